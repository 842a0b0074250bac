// agree_scale: five answer cards from "helemaal oneens" to "helemaal eens" (scale.1 .. scale.5), one
// under the other: the long labels stay whole on a portrait screen, and the order reads top-down.
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawAgreeScale(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    const float width = ImGui::GetContentRegionAvail().x;
    for (int point = 1; point <= 5; ++point) {
        const std::string value = std::to_string(point);
        const std::string id = "scale." + value;
        if (ChoiceButton(ctx, id.c_str(), ctx.texts->text(lang, "agree." + value), width, answer == value)) {
            events.push_back({FlowEventType::Answer, value});
        }
    }
}

} // namespace buurtstem::ui
