// yes_no: three answer cards, yes / no / "weet ik niet" (yesno.yes|no|unknown).
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

void DrawYesNo(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    static constexpr const char* kValues[] = {"yes", "no", "unknown"};
    // Laid out by the shared ChoiceList (k4).
    std::vector<ChoiceSpec> choices;
    for (const char* value : kValues) {
        const std::string id = std::string("yesno.") + value;
        choices.push_back({id, ctx.texts->text(lang, id), answer == value});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        events.push_back({FlowEventType::Answer, kValues[tapped]});
    }
}

} // namespace buurtstem::ui
