// multiple_choice: answer cards (option.<id>) that toggle; a line says how many may be chosen. A tap
// beyond the maximum is refused by the flow and the line turns into an explanation (notice.limit).
#include <algorithm>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawMultipleChoice(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Palette p = GetPalette(ctx.flags);
    const std::vector<std::string> chosen = split_list(flow.current_answer());
    const std::string min = std::to_string(q.min_choices);
    const std::string max = std::to_string(q.max_choices);
    if (flow.answer_refused()) {
        const std::string notice = ctx.texts->format(lang, "multiple.too_many", {{"min", min}, {"max", max}});
        WrappedText(notice, nullptr, p.text);
        RecordItem(ctx, "notice.limit", notice);
    } else {
        const bool any = q.min_choices <= 1 && q.max_choices == static_cast<int>(q.options.size());
        const char* key = any                              ? "multiple.choose_any"
                          : q.min_choices == q.max_choices ? "multiple.choose_exactly"
                          : q.min_choices <= 1             ? "multiple.choose_up_to"
                                                           : "multiple.choose_range";
        WrappedText(ctx.texts->format(lang, key, {{"min", min}, {"max", max}}), ctx.fonts.small,
                    p.muted_text);
    }
    // Laid out by the shared ChoiceList (k4): one or two columns, whatever fits the screen.
    std::vector<ChoiceSpec> choices;
    for (const Option& option : q.options) {
        const bool selected = std::find(chosen.begin(), chosen.end(), option.id) != chosen.end();
        choices.push_back(
            {"option." + option.id, option.label.in(lang), selected, OptionIcon(option.icon), option.image});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        const Option& option = q.options[static_cast<size_t>(tapped)];
        // The new value in option order, the encoding the model checks.
        std::vector<std::string> next;
        for (const Option& o : q.options) {
            const bool was = std::find(chosen.begin(), chosen.end(), o.id) != chosen.end();
            if (o.id == option.id ? !was : was) {
                next.push_back(o.id);
            }
        }
        events.push_back({FlowEventType::Answer, join_list(next)});
    }
}

} // namespace buurtstem::ui
