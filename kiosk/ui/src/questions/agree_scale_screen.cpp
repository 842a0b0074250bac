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
    // Pictograms (icons.hpp) from a thumb down through a frown, a neutral face and a smile to a thumb up:
    // the step reads without the words.
    static constexpr const char* kIcons[kSteps] = {"thumbs-down", "frown", "meh", "smile", "thumbs-up"};
    // Laid out by the shared ChoiceList (k4).
    std::vector<ChoiceSpec> choices;
    for (int point = 1; point <= kSteps; ++point) {
        const std::string value = std::to_string(point);
        choices.push_back({"scale." + value, ctx.texts->text(lang, "agree." + value), answer == value,
                           OptionIcon(kIcons[point - 1])});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        events.push_back({FlowEventType::Answer, std::to_string(tapped + 1)});
    }
}

} // namespace buurtstem::ui
