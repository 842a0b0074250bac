// The PIN pad: ten digit keys, erase and OK, as large as the screen allows (never below the residents'
// minimum target), the digits typed shown as dots, and after repeated wrong PINs a countdown instead of
// keys. Map: screen "volunteer-pin" ("volunteer-pin-locked" while locked), items pin.0-9, pin.erase,
// pin.ok, volunteer.cancel; the fields volunteer_lockout_seconds (the countdown) and volunteer_pin_message
// (none, wrong, locked, no-pin, error) say what the pad shows.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "buurtstem/ui/automation.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

void DrawPinPad(const VolunteerFlow& flow, KioskUiContext& ctx, std::vector<VolunteerEvent>& events) {
    const Palette p = GetPalette(ctx.flags);
    const Catalog& t = *ctx.texts;
    const int locked = flow.locked_seconds(ctx.now);
    if (ctx.automation != nullptr) {
        ctx.automation->set_field("volunteer_lockout_seconds", std::to_string(locked));
        static const char* const kMessages[] = {"\"none\"", "\"wrong\"", "\"locked\"", "\"no-pin\"",
                                                "\"error\""};
        // How many digits are typed (never which): each tap changes the map, as on every other screen.
        ctx.automation->set_field("volunteer_pin_digits", std::to_string(flow.pin_digits()));
        ctx.automation->set_field("volunteer_pin_message", kMessages[static_cast<int>(flow.pin_message())]);
        // Opening the console or leaving the program: a test tells the two pads apart.
        ctx.automation->set_field("volunteer_pin_purpose",
                                  flow.pin_purpose() == PinPurpose::Quit ? "\"quit\"" : "\"open\"");
    }
    BeginScreen("##volunteer-pin", ctx, locked > 0 ? "volunteer-pin-locked" : "volunteer-pin");
    const ImGuiStyle& style = ImGui::GetStyle();

    WrappedText(VText(ctx, flow.pin_purpose() == PinPurpose::Quit ? "pin_quit_title" : "pin_title"),
                ctx.fonts.title);
    std::string message;
    if (locked > 0) {
        message = t.format(ctx.language, "volunteer.pin_locked", {{"seconds", std::to_string(locked)}});
    } else if (flow.pin_message() == PinMessage::NoPin) {
        message = VText(ctx, "pin_none");
    } else if (flow.pin_message() == PinMessage::Error) {
        message = VText(ctx, "pin_error") + " " + flow.pin_error();
    } else if (flow.pin_message() == PinMessage::Wrong) {
        message =
            t.format(ctx.language, "volunteer.pin_wrong", {{"count", std::to_string(flow.attempts_left())}});
    } else {
        message = VText(ctx, "pin_hint");
    }
    // The digits typed, as dots (drawn: the font has no bullet), never the digits themselves. A line of
    // fixed height, so the pad does not jump while typing.
    const float line_h = ImGui::GetFontSize() * 1.2f;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(ImGui::GetContentRegionAvail().x, line_h));
    const float radius = std::round(ImGui::GetFontSize() * 0.25f);
    for (size_t i = 0; i < flow.pin_digits(); ++i) {
        ImGui::GetWindowDrawList()->AddCircleFilled(
            ImVec2(at.x + radius + static_cast<float>(i) * radius * 3.0f, at.y + line_h * 0.5f), radius,
            p.text, 16);
    }
    WrappedText(message, ctx.fonts.small,
                locked > 0 || flow.pin_message() == PinMessage::Wrong ? p.text : p.muted_text);

    // Keys: three columns, four rows, then "Annuleren". As large as the height left allows.
    const float spacing = style.ItemSpacing.y;
    const float cancel_h = min_target_px();
    const float avail_h = ImGui::GetContentRegionAvail().y - cancel_h - spacing * 2;
    const float key_h = std::max(min_target_px(), std::min(Px(110), std::floor((avail_h - spacing * 3) / 4)));
    const float key_w = std::max(
        min_target_px(), std::min(Px(200), std::floor((ImGui::GetContentRegionAvail().x - spacing * 2) / 3)));
    const float pad_w = key_w * 3 + spacing * 2;
    const float left = std::floor((ImGui::GetContentRegionAvail().x - pad_w) * 0.5f) + ImGui::GetCursorPosX();
    const bool keys_on = locked == 0 && flow.has_pin();
    static const char* const kKeys[4][3] = {
        {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"erase", "0", "ok"}};
    ImGui::PushFont(ctx.fonts.title != nullptr ? ctx.fonts.title : ImGui::GetFont());
    for (const auto& row : kKeys) {
        ImGui::SetCursorPosX(left);
        for (int i = 0; i < 3; ++i) {
            if (i > 0) {
                ImGui::SameLine(0, spacing);
            }
            const std::string key = row[i];
            const std::string id = "pin." + key;
            if (key == "erase") {
                ImGui::PushFont(ctx.fonts.body != nullptr ? ctx.fonts.body : ImGui::GetFont());
                const bool on = flow.pin_digits() > 0;
                if (BigButton(ctx, id.c_str(), VText(ctx, "pin_erase"), ImVec2(key_w, key_h),
                              on ? ButtonFlags_Quiet : ButtonFlags_Disabled)) {
                    events.push_back({VolunteerEventType::PinErase, {}});
                }
                ImGui::PopFont();
            } else if (key == "ok") {
                ImGui::PushFont(ctx.fonts.body != nullptr ? ctx.fonts.body : ImGui::GetFont());
                const bool on = keys_on && flow.pin_digits() >= 4;
                if (BigButton(ctx, id.c_str(), VText(ctx, "pin_ok"), ImVec2(key_w, key_h),
                              on ? ButtonFlags_Primary : ButtonFlags_Disabled)) {
                    events.push_back({VolunteerEventType::PinOk, {}});
                }
                ImGui::PopFont();
            } else {
                const bool on = keys_on && flow.pin_digits() < kMaxPinDigits;
                if (BigButton(ctx, id.c_str(), key, ImVec2(key_w, key_h),
                              on ? ButtonFlags_Quiet : ButtonFlags_Disabled)) {
                    events.push_back({VolunteerEventType::PinDigit, key});
                }
            }
        }
    }
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, spacing));
    ImGui::SetCursorPosX(left);
    if (BigButton(ctx, "volunteer.cancel", VText(ctx, "cancel"), ImVec2(pad_w, cancel_h),
                  ButtonFlags_Quiet)) {
        events.push_back({VolunteerEventType::Cancel, {}});
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
