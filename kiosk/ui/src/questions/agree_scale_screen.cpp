// agree_scale: five answer cards from "helemaal oneens" to "helemaal eens" (scale.1 .. scale.5). On a
// wide screen they stand in a row, read as a scale from left to right; where the row would squeeze the
// labels (portrait), one under the other, so the long labels stay whole and the order reads top-down.
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawAgreeScale(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    constexpr int kSteps = 5;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 screen = ImGui::GetMainViewport()->Size;
    const bool row = screen.x > screen.y;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = row ? (avail.x - spacing * (kSteps - 1)) / kSteps : avail.x;
    for (int point = 1; point <= kSteps; ++point) {
        if (row && point > 1) {
            ImGui::SameLine();
        }
        const std::string value = std::to_string(point);
        const std::string id = "scale." + value;
        if (ChoiceButton(ctx, id.c_str(), ctx.texts->text(lang, "agree." + value), width, answer == value)) {
            events.push_back({FlowEventType::Answer, value});
        }
    }
}

} // namespace buurtstem::ui
