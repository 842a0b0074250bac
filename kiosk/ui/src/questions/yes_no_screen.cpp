// yes_no: three answer cards, yes / no / "weet ik niet" (yesno.yes|no|unknown).
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawYesNo(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    const float width = ImGui::GetContentRegionAvail().x;
    for (const char* value : {"yes", "no", "unknown"}) {
        const std::string id = std::string("yesno.") + value;
        if (ChoiceButton(ctx, id.c_str(), ctx.texts->text(lang, id), width, answer == value)) {
            events.push_back({FlowEventType::Answer, value});
        }
    }
}

} // namespace buurtstem::ui
