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

// The strip at the top of every screen: text size, contrast, and the speaker (screen_toolbar.cpp).
float ToolbarHeight();
void DrawToolbar(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

} // namespace buurtstem::ui
