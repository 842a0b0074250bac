#include <imgui.h>

#include <string>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/ui/automation.hpp"
#include "buurtstem/ui/contact_ui.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

void DrawAsk(KioskUiContext& ctx, std::vector<ContactEvent>& events) {
    const Catalog& t = *ctx.texts;
    const std::string& lang = ctx.language;
    BeginScreen("##contact", ctx, "contact");
    ImGui::Dummy(ImVec2(0, Px(60)));
    WrappedText(t.text(lang, "contact.question"), ctx.fonts.title);
    WrappedText(t.text(lang, "contact.why"), nullptr, GetPalette(ctx.flags).muted_text);
    ImGui::Dummy(ImVec2(0, Px(30)));
    switch (ButtonRows(ctx, {{"contact.yes", t.text(lang, "contact.yes"), ButtonFlags_Primary},
                             {"contact.no", t.text(lang, "contact.no"), ButtonFlags_Quiet}})) {
    case 0:
        events.push_back({ContactEventType::Yes, {}});
        break;
    case 1:
        events.push_back({ContactEventType::No, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

void DrawForm(const ContactFlow& flow, KioskUiContext& ctx, std::vector<ContactEvent>& events) {
    const Catalog& t = *ctx.texts;
    const std::string& lang = ctx.language;
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##contact-form", ctx, "contact-form");
    WrappedText(t.text(lang, "contact.form_title"), ctx.fonts.title);
    WrappedText(t.text(lang, "contact.form_hint"), ctx.fonts.small, p.muted_text);
    const ContactAnswer& entry = flow.entry();
    const bool on_name = flow.focused() == ContactField::Name;
    // The map gets each field's name and length, never what was typed: a file on disk is no place for a
    // phone number.
    struct Field {
        const char* id;
        const char* key;
        const std::string* text;
        bool focused;
        const char* value;
    };
    const Field fields[] = {
        {"contact.field.name", "contact.name", &entry.name, on_name, "name"},
        {"contact.field.reach", "contact.reach", &entry.phone_or_email, !on_name, "reach"}};
    for (const Field& f : fields) {
        AutomationLog* automation = ctx.automation;
        ctx.automation = nullptr;
        const bool pressed = BigButton(
            ctx, f.id, t.text(lang, f.key) + ": " + *f.text + (f.focused ? "|" : ""), ImVec2(-FLT_MIN, 0),
            f.focused ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet);
        ctx.automation = automation;
        RecordItem(ctx, f.id, std::to_string(utf8_length(*f.text)), f.focused);
        if (pressed) {
            events.push_back({ContactEventType::Focus, f.value});
        }
    }

    NavSlot slots[3];
    slots[0] = {"contact.skip", t.text(lang, "contact.skip"), ButtonFlags_Quiet, false};
    if (!flow.can_send()) {
        slots[1] = {"contact.why", t.text(lang, "contact.needed"), ButtonFlags_None, true};
    }
    slots[2] = {"contact.send", t.text(lang, "contact.send"),
                flow.can_send() ? ButtonFlags_Primary : ButtonFlags_Disabled, false};
    const float nav_h = NavBarHeight(slots);
    std::string text = on_name ? entry.name : entry.phone_or_email;
    if (KeyboardAboveNav(ctx, text, on_name ? kMaxContactName : kMaxContactReach, nav_h, "##shift",
                         on_name && text.empty(), KeyboardFlags_Contact)) {
        events.push_back({ContactEventType::Edit, text});
    }
    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({ContactEventType::Skip, {}});
        break;
    case 2:
        events.push_back({ContactEventType::Send, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace

void DrawContact(const ContactFlow& flow, const std::string& language, KioskUiContext& ctx,
                 std::vector<ContactEvent>& events) {
    ctx.language = language;
    ctx.wants_redraw = false;
    ctx.top_bar_height = 0;
    ctx.top_row_reserve = 0;
    if (ctx.fonts.body != nullptr) {
        ImGui::PushFont(ctx.fonts.body);
    }
    if (flow.screen() == ContactScreen::Ask) {
        DrawAsk(ctx, events);
    } else if (flow.screen() == ContactScreen::Form) {
        DrawForm(flow, ctx, events);
    }
    if (ctx.fonts.body != nullptr) {
        ImGui::PopFont();
    }
}

} // namespace buurtstem::ui
