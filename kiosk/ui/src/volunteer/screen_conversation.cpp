// Before a facilitated response: an optional short note ("met mevrouw bij de koffietafel"), then the
// resident's consultation, marked as filled in together. Map: screen "volunteer-conversation"; key.X,
// volunteer.back, volunteer.conversation_start; the field volunteer_note_length.
#include <imgui.h>

#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "buurtstem/ui/automation.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

void DrawConversation(const VolunteerFlow& flow, KioskUiContext& ctx, std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##volunteer-conversation", ctx, "volunteer-conversation");
    WrappedText(VText(ctx, "conversation_title"), ctx.fonts.title);
    WrappedText(VText(ctx, "conversation_hint"), ctx.fonts.small, p.muted_text);
    const std::string& note = flow.note();
    if (ctx.automation != nullptr) {
        // Its length, so each key changes the map (a test waits for that), as the contact form does.
        ctx.automation->set_field("volunteer_note_length", std::to_string(note.size()));
    }
    WrappedText(VText(ctx, "note") + ": " + note + "|");

    NavSlot slots[3];
    slots[0] = {"volunteer.back", VText(ctx, "back"), ButtonFlags_Quiet, false};
    slots[2] = {"volunteer.conversation_start", VText(ctx, "conversation_start"), ButtonFlags_Primary, false};
    const float nav_h = NavBarHeight(slots);
    std::string text = note;
    if (KeyboardAboveNav(ctx, text, kMaxNote, nav_h, "##shift", text.empty())) {
        events.push_back({VolunteerEventType::EditText, text});
    }

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({VolunteerEventType::Cancel, {}});
        break;
    case 2:
        events.push_back({VolunteerEventType::StartConversation, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
