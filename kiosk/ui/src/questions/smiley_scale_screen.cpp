// smiley_scale: five faces in a row (smiley.1 .. smiley.5), labels from the question or assets/i18n.
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawSmileyScale(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = (ImGui::GetContentRegionAvail().x - spacing * (kSmileyPoints - 1)) / kSmileyPoints;
    auto own_labels = q.scale_labels.find(lang);
    for (int point = 1; point <= kSmileyPoints; ++point) {
        if (point > 1) {
            ImGui::SameLine();
        }
        const std::string label = own_labels != q.scale_labels.end()
                                      ? own_labels->second[static_cast<size_t>(point - 1)]
                                      : ctx.texts->text(lang, "smiley." + std::to_string(point));
        const std::string value = std::to_string(point);
        const std::string id = "smiley." + value;
        if (SmileyButton(ctx, id.c_str(), point, label, ImVec2(width, Px(260)), answer == value)) {
            events.push_back({FlowEventType::Answer, value});
        }
    }
}

} // namespace buurtstem::ui
