// Start an event: name, wijk and municipality typed on the residents' on-screen keyboard (tap a field to
// type in it); the date is the kiosk's. Map: screen "volunteer-event"; volunteer.field.name|wijk|
// municipality, key.X, volunteer.back, volunteer.event_start.
#include <imgui.h>

#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

void DrawEventForm(const VolunteerFlow& flow, KioskUiContext& ctx, std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##volunteer-event", ctx, "volunteer-event");
    WrappedText(VText(ctx, "event_title"), ctx.fonts.title);
    WrappedText(VText(ctx, "event_hint"), ctx.fonts.small, p.muted_text);

    const EventForm& form = flow.form();
    struct Field {
        EventField field;
        const char* id;
        const char* key;
        const std::string* text;
        const char* value;
    };
    const Field fields[] = {{EventField::Name, "volunteer.field.name", "field_name", &form.name, "name"},
                            {EventField::Wijk, "volunteer.field.wijk", "field_wijk", &form.wijk, "wijk"},
                            {EventField::Municipality, "volunteer.field.municipality", "field_municipality",
                             &form.municipality, "municipality"}};
    std::vector<ButtonSpec> buttons;
    for (const Field& f : fields) {
        const bool focused = flow.focused_field() == f.field;
        // The field being typed in shows a cursor bar, so the volunteer sees where the keys go.
        buttons.push_back({f.id, VText(ctx, f.key) + ": " + *f.text + (focused ? "|" : ""),
                           focused ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet});
    }
    const int tapped = ButtonRows(ctx, buttons);
    if (tapped >= 0) {
        events.push_back({VolunteerEventType::FocusField, fields[tapped].value});
    }

    NavSlot slots[3];
    slots[0] = {"volunteer.back", VText(ctx, "back"), ButtonFlags_Quiet, false};
    slots[2] = {"volunteer.event_start", VText(ctx, "event_start"),
                flow.can_submit_event() ? ButtonFlags_Primary : ButtonFlags_Disabled, false};
    const float nav_h = NavBarHeight(slots);

    std::string text = flow.focused_field() == EventField::Name   ? form.name
                       : flow.focused_field() == EventField::Wijk ? form.wijk
                                                                  : form.municipality;
    // A capital to begin each field: the shift state is kept per field.
    const char* shift_id = flow.focused_field() == EventField::Name   ? "##shift-name"
                           : flow.focused_field() == EventField::Wijk ? "##shift-wijk"
                                                                      : "##shift-municipality";
    if (KeyboardAboveNav(ctx, text, kMaxEventText, nav_h, shift_id, text.empty())) {
        events.push_back({VolunteerEventType::EditText, text});
    }

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({VolunteerEventType::Cancel, {}});
        break;
    case 2:
        events.push_back({VolunteerEventType::SubmitEvent, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
