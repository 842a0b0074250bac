// single_choice: one answer card per option (option.<id>); tapping one chooses it. Laid out by the
// shared ChoiceList (k4), which wraps long labels and keeps every card a full-size target.
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawSingleChoice(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& answer = flow.current_answer();
    std::vector<ChoiceSpec> choices;
    for (const Option& option : q.options) {
        choices.push_back({"option." + option.id, option.label.in(flow.language()), option.id == answer,
                           OptionIcon(option.icon), option.image});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        events.push_back({FlowEventType::Answer, q.options[static_cast<size_t>(tapped)].id});
    }
}

} // namespace buurtstem::ui
