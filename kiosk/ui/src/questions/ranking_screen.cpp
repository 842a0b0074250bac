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
    const float width = ImGui::GetContentRegionAvail().x;
    for (const Option& option : q.options) {
        const auto at = std::find(ranked.begin(), ranked.end(), option.id);
        const bool selected = at != ranked.end();
        const std::string label =
            selected ? std::to_string(at - ranked.begin() + 1) + ".  " + option.label.in(lang)
                     : option.label.in(lang);
        const std::string id = "rank." + option.id;
        if (ChoiceButton(ctx, id.c_str(), label, width, selected)) {
            std::vector<std::string> next = ranked;
            if (selected) {
                next.erase(next.begin() + (at - ranked.begin()));
            } else {
                next.push_back(option.id);
            }
            events.push_back({FlowEventType::Answer, join_list(next)});
        }
    }
}

} // namespace buurtstem::ui
