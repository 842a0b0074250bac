// Switching consultation behind the PIN: the consultations this kiosk holds (title in the console's
// language, number of questions, quick poll or not, the active one marked), and a file that cannot be
// used with its error, greyed and not choosable. Tapping one asks to confirm; confirming starts the
// residents' screens afresh with it. Map: screen "volunteer-consultations"; volunteer.consultation.<id>,
// volunteer.consultation_broken.N (shown, not tappable), volunteer.back. Screen
// "volunteer-consultation-confirm"; volunteer.consultation_confirm, volunteer.back.
#include <imgui.h>

#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

namespace {

std::string ConsultationLine(const KioskUiContext& ctx, const ConsoleConsultation& c) {
    std::string line = ctx.texts->format(
        ctx.language, c.quick ? "volunteer.consultation_quick" : "volunteer.consultation_line",
        {{"title", c.title}, {"count", std::to_string(c.questions)}});
    if (c.active) {
        line += " " + VText(ctx, "consultation_active");
    }
    return line;
}

const ConsoleConsultation* Find(const ConsoleView& view, const std::string& id) {
    for (const ConsoleConsultation& c : view.consultations) {
        if (c.id == id) {
            return &c;
        }
    }
    return nullptr;
}

} // namespace

void DrawConsultations(const VolunteerFlow&, const ConsoleView& view, KioskUiContext& ctx,
                       std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##volunteer-consultations", ctx, "volunteer-consultations");
    WrappedText(VText(ctx, "consultations_title"), ctx.fonts.title);
    WrappedText(VText(ctx, "consultations_hint"), ctx.fonts.small, p.muted_text);

    NavSlot slots[3];
    slots[0] = {"volunteer.back", VText(ctx, "back"), ButtonFlags_Quiet, false};
    const float nav_h = NavBarHeight(slots);
    const float region_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    BeginScrollRegion(ctx, "##consultations", region_h);
    for (const ConsoleConsultation& c : view.consultations) {
        const std::string id = "volunteer.consultation." + c.id;
        const ButtonFlags flags = c.active ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet;
        if (BigButton(ctx, id.c_str(), ConsultationLine(ctx, c), ImVec2(0, 0), flags)) {
            events.push_back({VolunteerEventType::ChooseConsultation, c.id});
        }
    }
    for (size_t i = 0; i < view.broken_consultations.size(); ++i) {
        // Greyed and not tappable; in the map all the same, so a test (and a technician reading it) sees
        // the file and line that need fixing.
        const std::string id = "volunteer.consultation_broken." + std::to_string(i);
        const std::string label = ctx.texts->format(ctx.language, "volunteer.consultation_broken",
                                                    {{"error", view.broken_consultations[i]}});
        BigButton(ctx, id.c_str(), label, ImVec2(0, 0), ButtonFlags_Quiet | ButtonFlags_Disabled);
        RecordItem(ctx, id.c_str(), label);
    }
    EndScrollRegion(ctx);

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    if (NavBar(ctx, slots) == 0) {
        events.push_back({VolunteerEventType::Cancel, {}});
    }
    EndScreen(ctx);
}

void DrawConfirmConsultation(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                             std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##volunteer-consultation-confirm", ctx, "volunteer-consultation-confirm");
    const ConsoleConsultation* chosen = Find(view, flow.chosen_consultation());
    const std::string title = chosen != nullptr ? chosen->title : flow.chosen_consultation();
    WrappedText(VText(ctx, "consultation_confirm_title"), ctx.fonts.title);
    if (chosen != nullptr) {
        WrappedText(ConsultationLine(ctx, *chosen));
    }
    WrappedText(ctx.texts->format(ctx.language, "volunteer.consultation_confirm_text", {{"title", title}}));
    // An event under way goes on: it is a place and a day, and its answers are counted per consultation.
    if (view.current) {
        WrappedText(ctx.texts->format(ctx.language, "volunteer.consultation_confirm_event",
                                      {{"name", view.current->name}}),
                    ctx.fonts.small, p.muted_text);
    }

    NavSlot slots[3];
    slots[0] = {"volunteer.back", VText(ctx, "back"), ButtonFlags_Quiet, false};
    slots[2] = {"volunteer.consultation_confirm", VText(ctx, "consultation_confirm"), ButtonFlags_Primary,
                false};
    const float nav_h = NavBarHeight(slots);
    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({VolunteerEventType::Cancel, {}});
        break;
    case 2:
        events.push_back({VolunteerEventType::ConfirmConsultation, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
