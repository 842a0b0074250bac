// single_choice: one answer card per option (option.<id>); tapping one chooses it.
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawSingleChoice(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& answer = flow.current_answer();
    // More than four options go in two columns on a wide screen, so that all of them fit without
    // scrolling; a portrait screen has the height for one column, and its width would break words.
    const ImVec2 screen = ImGui::GetMainViewport()->Size;
    const int columns = q.options.size() > 4 && screen.x > screen.y ? 2 : 1;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(columns - 1)) /
                        static_cast<float>(columns);
    for (size_t i = 0; i < q.options.size(); ++i) {
        const Option& option = q.options[i];
        if (columns == 2 && i % 2 == 1) {
            ImGui::SameLine();
        }
        const std::string id = "option." + option.id;
        if (ChoiceButton(ctx, id.c_str(), option.label.in(flow.language()), width, option.id == answer)) {
            events.push_back({FlowEventType::Answer, option.id});
        }
    }
}

} // namespace buurtstem::ui
