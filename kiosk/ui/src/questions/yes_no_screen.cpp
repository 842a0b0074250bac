// yes_no: three answer cards, yes / no / "weet ik niet" (yesno.yes|no|unknown).
#include <iterator>

#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawYesNo(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    static constexpr const char* kValues[] = {"yes", "no", "unknown"};
    static constexpr const char* kIcons[] = {"yes", "no", "question"}; // a tick, a cross, a question mark
    // Laid out by the shared ChoiceList (k4).
    std::vector<ChoiceSpec> choices;
    for (size_t i = 0; i < std::size(kValues); ++i) {
        const std::string id = std::string("yesno.") + kValues[i];
        choices.push_back({id, ctx.texts->text(lang, id), answer == kValues[i], OptionIcon(kIcons[i])});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        events.push_back({FlowEventType::Answer, kValues[tapped]});
    }
}

} // namespace buurtstem::ui
