// ranking: the resident taps the options in order of importance (rank.<id>). A ranked card shows its
// number in front of the label; tapping it again takes it out and the later ones move up.
#include <algorithm>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawRanking(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Palette p = GetPalette(ctx.flags);
    const std::vector<std::string> ranked = split_list(flow.current_answer());
    WrappedText(ctx.texts->text(lang, "ranking.how"), ctx.fonts.small, p.muted_text);
    // Laid out by the shared ChoiceList (k4).
    std::vector<ChoiceSpec> choices;
    for (const Option& option : q.options) {
        const auto at = std::find(ranked.begin(), ranked.end(), option.id);
        const bool selected = at != ranked.end();
        const std::string label =
            selected ? std::to_string(at - ranked.begin() + 1) + ".  " + option.label.in(lang)
                     : option.label.in(lang);
        choices.push_back({"rank." + option.id, label, selected, OptionIcon(option.icon), option.image});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        const std::string& id = q.options[static_cast<size_t>(tapped)].id;
        std::vector<std::string> next = ranked;
        const auto at = std::find(next.begin(), next.end(), id);
        if (at != next.end()) {
            next.erase(at);
        } else {
            next.push_back(id);
        }
        events.push_back({FlowEventType::Answer, join_list(next)});
    }
}

} // namespace buurtstem::ui
