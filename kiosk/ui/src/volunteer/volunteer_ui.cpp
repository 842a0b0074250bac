#include <imgui.h>

#include "../screens.hpp"
#include "../widgets.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

std::string VText(const KioskUiContext& ctx, const char* key) {
    return ctx.texts->text(ctx.language, std::string("volunteer.") + key);
}

void DrawVolunteer(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                   std::vector<VolunteerEvent>& events) {
    // The console speaks the volunteer's own language (settings), Dutch unless one is chosen: most
    // volunteers of the participatieraden speak Dutch, not all of them.
    const std::string& own = flow.settings().console_language;
    ctx.language = own.empty() ? std::string("nl") : own;
    ctx.wants_redraw = false;
    ctx.top_bar_height = 0;
    ctx.top_row_reserve = 0;
    if (ctx.fonts.body != nullptr) {
        ImGui::PushFont(ctx.fonts.body);
    }
    switch (flow.screen()) {
    case VolunteerScreen::Pin:
        DrawPinPad(flow, ctx, events);
        break;
    case VolunteerScreen::Home:
        DrawVolunteerHome(flow, view, ctx, events);
        break;
    case VolunteerScreen::EventForm:
        DrawEventForm(flow, ctx, events);
        break;
    case VolunteerScreen::Live:
        DrawLivePanel(flow, view, ctx, events);
        break;
    case VolunteerScreen::Conversation:
        DrawConversation(flow, ctx, events);
        break;
    case VolunteerScreen::Settings:
        DrawVolunteerSettings(flow, view, ctx, events);
        break;
    case VolunteerScreen::Consultations:
        DrawConsultations(flow, view, ctx, events);
        break;
    case VolunteerScreen::ConfirmConsultation:
        DrawConfirmConsultation(flow, view, ctx, events);
        break;
    case VolunteerScreen::Closed:
    case VolunteerScreen::Assisting:
        break; // the residents' screens: the app draws those
    }
    if (ctx.fonts.body != nullptr) {
        ImGui::PopFont();
    }
}

} // namespace buurtstem::ui
