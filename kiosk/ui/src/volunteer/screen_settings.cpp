// Event settings, each saved the moment it is tapped: inactivity time, keep or discard unfinished
// answers, read-aloud by itself, the default language and text size. Map: screen "volunteer-settings";
// volunteer.idle.N, volunteer.unfinished.keep|discard, volunteer.speak.on|off, volunteer.language.XX,
// volunteer.textsize.0|1|2, volunteer.console_language.XX, volunteer.back.
#include <imgui.h>

#include <string>

#include "../theme.hpp"
#include "../widgets.hpp"
#include "volunteer_screens.hpp"

namespace buurtstem::ui {

namespace {

ButtonFlags Chosen(bool selected) {
    return selected ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet;
}

// A heading and a row of choices; returns the value of the one tapped, or an empty string.
std::string Choices(KioskUiContext& ctx, const std::string& heading, const std::vector<ButtonSpec>& buttons,
                    const std::vector<std::string>& values) {
    WrappedText(heading, ctx.fonts.small, GetPalette(ctx.flags).muted_text);
    const int tapped = ButtonRows(ctx, buttons);
    ImGui::Dummy(ImVec2(0, Px(6)));
    return tapped >= 0 ? values[static_cast<size_t>(tapped)] : std::string();
}

} // namespace

void DrawVolunteerSettings(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                           std::vector<VolunteerEvent>& events) {
    const VolunteerSettings& s = flow.settings();
    const Catalog& t = *ctx.texts;
    BeginScreen("##volunteer-settings", ctx, "volunteer-settings");
    WrappedText(VText(ctx, "settings_title"), ctx.fonts.title);

    NavSlot slots[3];
    slots[0] = {"volunteer.back", VText(ctx, "back"), ButtonFlags_Quiet, false};
    const float nav_h = NavBarHeight(slots);
    const float region_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    BeginScrollRegion(ctx, "##settings", region_h);

    // The console's own language first, each button in its own language: a volunteer who does not read
    // Dutch finds theirs without scrolling.
    std::vector<ButtonSpec> own;
    for (const std::string& code : view.console_languages) {
        const bool chosen = s.console_language == code || (s.console_language.empty() && code == "nl");
        own.push_back(
            {"volunteer.console_language." + code, t.text(code, "language.name"), Chosen(chosen), code});
    }
    if (auto v = Choices(ctx, VText(ctx, "console_language_heading"), own, view.console_languages);
        !v.empty()) {
        events.push_back({VolunteerEventType::SetConsoleLanguage, v});
    }
    std::vector<ButtonSpec> idle;
    std::vector<std::string> idle_values;
    for (const int seconds : kIdleChoicesSeconds) {
        idle.push_back({"volunteer.idle." + std::to_string(seconds),
                        t.format(ctx.language, "volunteer.seconds", {{"count", std::to_string(seconds)}}),
                        Chosen(s.idle_warning.count() == seconds)});
        idle_values.push_back(std::to_string(seconds));
    }
    if (auto v = Choices(ctx, VText(ctx, "idle_heading"), idle, idle_values); !v.empty()) {
        events.push_back({VolunteerEventType::SetIdle, v});
    }
    const bool keep = s.unfinished == UnfinishedAnswers::Keep;
    if (auto v = Choices(ctx, VText(ctx, "unfinished_heading"),
                         {{"volunteer.unfinished.discard", VText(ctx, "unfinished_discard"), Chosen(!keep)},
                          {"volunteer.unfinished.keep", VText(ctx, "unfinished_keep"), Chosen(keep)}},
                         {"discard", "keep"});
        !v.empty()) {
        events.push_back({VolunteerEventType::SetUnfinished, v});
    }
    if (auto v = Choices(ctx, VText(ctx, "speak_heading"),
                         {{"volunteer.speak.off", VText(ctx, "off"), Chosen(!s.speak_automatically)},
                          {"volunteer.speak.on", VText(ctx, "on"), Chosen(s.speak_automatically)}},
                         {"0", "1"});
        !v.empty()) {
        events.push_back({VolunteerEventType::SetSpeak, v});
    }
    std::vector<ButtonSpec> languages;
    for (size_t i = 0; i < view.languages.size(); ++i) {
        const std::string& code = view.languages[i];
        const bool chosen = s.default_language == code || (s.default_language.empty() && i == 0);
        languages.push_back({"volunteer.language." + code, t.text(code, "language.name"), Chosen(chosen)});
    }
    if (auto v = Choices(ctx, VText(ctx, "language_heading"), languages, view.languages); !v.empty()) {
        events.push_back({VolunteerEventType::SetLanguage, v});
    }
    if (auto v = Choices(ctx, VText(ctx, "textsize_heading"),
                         {{"volunteer.textsize.0", VText(ctx, "textsize_0"), Chosen(s.text_size == 0)},
                          {"volunteer.textsize.1", VText(ctx, "textsize_1"), Chosen(s.text_size == 1)},
                          {"volunteer.textsize.2", VText(ctx, "textsize_2"), Chosen(s.text_size == 2)}},
                         {"0", "1", "2"});
        !v.empty()) {
        events.push_back({VolunteerEventType::SetTextSize, v});
    }
    WrappedText(VText(ctx, "settings_note"), ctx.fonts.small, GetPalette(ctx.flags).muted_text);
    EndScrollRegion(ctx);

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    if (NavBar(ctx, slots) == 0) {
        events.push_back({VolunteerEventType::Cancel, {}});
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
