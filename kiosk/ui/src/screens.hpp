// One Draw* function per screen (cf. Tracy's TracyView_*.cpp). Each reads the flow and pushes events.
#pragma once

#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

void DrawStartScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);
void DrawQuestionScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);
void DrawThanksScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);
void DrawIdleWarning(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);
void DrawStopConfirmation(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);
void DrawSaving(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);
void DrawSaveFailed(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

// "Kies uw taal" and the lang.XX buttons, for a screen without a start screen before it (the quick
// poll); nothing, and height 0, for a consultation in one language (language_choice.cpp).
float LanguageChoiceHeight(const ResidentFlow& flow, const KioskUiContext& ctx);
void DrawLanguageChoice(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

// The toolbar on every screen (screen_toolbar.cpp): text size, contrast, and the speaker where speech is
// on. Place before the screen (it sets ctx.top_bar_height / top_row_reserve, which the screen leaves
// free), draw after it (its window lies above the screen's; its items join the same map).
void PlaceToolbar(const ResidentFlow& flow, KioskUiContext& ctx);
void DrawToolbar(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

} // namespace buurtstem::ui
