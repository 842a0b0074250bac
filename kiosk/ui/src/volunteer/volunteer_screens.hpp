// One Draw* function per volunteer screen; each reads the flow and the view and pushes events.
#pragma once

#include <vector>

#include "buurtstem/ui/volunteer_ui.hpp"

namespace buurtstem::ui {

void DrawPinPad(const VolunteerFlow& flow, KioskUiContext& ctx, std::vector<VolunteerEvent>& events);
void DrawVolunteerHome(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                       std::vector<VolunteerEvent>& events);
void DrawEventForm(const VolunteerFlow& flow, KioskUiContext& ctx, std::vector<VolunteerEvent>& events);
void DrawLivePanel(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                   std::vector<VolunteerEvent>& events);
void DrawConversation(const VolunteerFlow& flow, KioskUiContext& ctx, std::vector<VolunteerEvent>& events);
void DrawVolunteerSettings(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                           std::vector<VolunteerEvent>& events);
void DrawConsultations(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                       std::vector<VolunteerEvent>& events);
void DrawConfirmConsultation(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                             std::vector<VolunteerEvent>& events);

// The text of volunteer.<key> in the console's language.
std::string VText(const KioskUiContext& ctx, const char* key);

} // namespace buurtstem::ui
