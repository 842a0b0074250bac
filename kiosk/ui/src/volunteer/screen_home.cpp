// The console's home: the event under way (or none), a button for each task, and past events with their
// counts per channel. Map: screen "volunteer-home"; volunteer.start_event | volunteer.end_event,
// volunteer.live, volunteer.conversation, volunteer.paper, volunteer.settings, volunteer.export,
// volunteer.consultations,
// volunteer.quit (asks the PIN again), volunteer.close (back to the residents).
#include <imgui.h>

#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

namespace {

std::string EventLine(const KioskUiContext& ctx, const ConsoleEvent& e) {
    std::string place = e.wijk;
    if (!e.municipality.empty()) {
        place += (place.empty() ? "" : ", ") + e.municipality;
    }
    return ctx.texts->format(ctx.language, "volunteer.event_line",
                             {{"name", e.name},
                              {"place", place},
                              {"date", e.date},
                              {"kiosk", std::to_string(e.kiosk)},
                              {"facilitated", std::to_string(e.facilitated)},
                              {"paper", std::to_string(e.paper)}});
}

} // namespace

void DrawVolunteerHome(const VolunteerFlow&, const ConsoleView& view, KioskUiContext& ctx,
                       std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##volunteer-home", ctx, "volunteer-home");
    WrappedText(VText(ctx, "home_title"), ctx.fonts.title);
    if (view.current) {
        WrappedText(EventLine(ctx, *view.current));
    } else {
        WrappedText(VText(ctx, "no_event"), nullptr, p.muted_text);
    }
    if (!view.notice.empty()) {
        WrappedText(view.notice, ctx.fonts.small, p.text);
    }
    ImGui::Dummy(ImVec2(0, Px(6)));

    std::vector<ButtonSpec> tasks;
    if (view.current) {
        tasks.push_back({"volunteer.end_event", VText(ctx, "end_event"), ButtonFlags_Quiet});
    } else {
        tasks.push_back({"volunteer.start_event", VText(ctx, "start_event"), ButtonFlags_Primary});
    }
    tasks.push_back({"volunteer.live", VText(ctx, "live"), ButtonFlags_Primary});
    tasks.push_back({"volunteer.conversation", VText(ctx, "conversation"), ButtonFlags_Quiet});
    tasks.push_back({"volunteer.paper", VText(ctx, "paper"), ButtonFlags_Quiet});
    tasks.push_back({"volunteer.settings", VText(ctx, "settings"), ButtonFlags_Quiet});
    tasks.push_back({"volunteer.export", VText(ctx, "export"), ButtonFlags_Quiet});
    tasks.push_back({"volunteer.consultations", VText(ctx, "consultations"), ButtonFlags_Quiet});
    switch (ButtonRows(ctx, tasks)) {
    case 0:
        events.push_back(view.current ? VolunteerEvent{VolunteerEventType::EndEvent, {}}
                                      : VolunteerEvent{VolunteerEventType::Open, "event"});
        break;
    case 1:
        events.push_back({VolunteerEventType::Open, "live"});
        break;
    case 2:
        events.push_back({VolunteerEventType::Open, "conversation"});
        break;
    case 3:
        events.push_back({VolunteerEventType::StartPaper, {}});
        break;
    case 4:
        events.push_back({VolunteerEventType::Open, "settings"});
        break;
    case 5:
        events.push_back({VolunteerEventType::Export, {}});
        break;
    case 6:
        events.push_back({VolunteerEventType::Open, "consultations"});
        break;
    default:
        break;
    }

    NavSlot slots[3];
    slots[0] = {"volunteer.quit", VText(ctx, "quit"), ButtonFlags_Quiet, false};
    slots[2] = {"volunteer.close", VText(ctx, "close"), ButtonFlags_Primary, false};
    const float nav_h = NavBarHeight(slots);
    const float region_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    BeginScrollRegion(ctx, "##past", region_h);
    WrappedText(VText(ctx, "past_events"), ctx.fonts.small, p.muted_text);
    if (view.past.empty()) {
        WrappedText(VText(ctx, "no_past_events"), ctx.fonts.small, p.muted_text);
    }
    for (const ConsoleEvent& e : view.past) {
        WrappedText(EventLine(ctx, e), ctx.fonts.small);
    }
    EndScrollRegion(ctx);
    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({VolunteerEventType::AskQuit, {}});
        break;
    case 2:
        events.push_back({VolunteerEventType::CloseConsole, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
