// smiley_scale: five faces in a row (smiley.1 .. smiley.5), labels from the question or assets/i18n.
// Laid out by the shared SmileyScale (k4).
#include "../widgets.hpp"
#include "buurtstem/ui/screen_sentences.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawSmileyScale(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    std::vector<std::string> labels;
    for (int point = 1; point <= kSmileyPoints; ++point) {
        labels.push_back(SmileyLabel(q, lang, *ctx.texts, point)); // the same words as read aloud
    }
    const int chosen = answer.size() == 1 && answer[0] >= '1' && answer[0] <= '5' ? answer[0] - '0' : 0;
    const int tapped = SmileyScale(ctx, labels, chosen);
    if (tapped > 0) {
        events.push_back({FlowEventType::Answer, std::to_string(tapped)});
    }
}

} // namespace buurtstem::ui
