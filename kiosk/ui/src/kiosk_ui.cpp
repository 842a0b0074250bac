#include <imgui.h>

#include <algorithm>

#include "buurtstem/ui/kiosk_ui.hpp"

#include "buurtstem/ui/automation.hpp"
#include "screens.hpp"
#include "text_draw.hpp"

namespace buurtstem::ui {

namespace {

// The resident's language, text size and contrast (kept by the flow) become this frame's fonts,
// direction and theme.
void ApplyResidentChoices(const ResidentFlow& flow, KioskUiContext& ctx) {
    ctx.language = flow.language();
    ctx.direction = text::direction_of(ctx.language);
    SetTextDirection(ctx.direction);
    const ResidentDisplay& display = flow.display();
    ctx.text_size = std::clamp(display.text_size, 0, text::kTextSizeCount - 1);
    if (ctx.font_sizes[static_cast<size_t>(ctx.text_size)].body != nullptr) {
        ctx.fonts = ctx.font_sizes[static_cast<size_t>(ctx.text_size)];
    }
    const KioskDisplayFlags flags = (ctx.flags & ~KioskDisplayFlags_HighContrast) |
                                    (display.high_contrast ? KioskDisplayFlags_HighContrast : 0);
    if (flags != ctx.flags) {
        // Before any window of this frame begins, so the whole frame has one theme.
        ApplyTheme(flags, ImGui::GetMainViewport()->Size.y / 800.0f);
        ctx.flags = flags;
    }
    if (ctx.automation != nullptr) {
        ctx.automation->set_state("language", ctx.language);
        ctx.automation->set_state("text_size", std::to_string(ctx.text_size));
        ctx.automation->set_state("contrast", display.high_contrast ? "high" : "normal");
    }
}

} // namespace

void DrawKiosk(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    ApplyResidentChoices(flow, ctx);
    ctx.toolbar_height = ToolbarHeight();
    if (ctx.fonts.body != nullptr) {
        ImGui::PushFont(ctx.fonts.body);
    }
    switch (flow.screen()) {
    case Screen::Start:
        DrawStartScreen(flow, ctx, events);
        break;
    case Screen::Question:
        // Overlays replace the question rather than dim it: nothing underneath can be tapped by accident,
        // and a resident with low vision sees only the one thing that matters now.
        if (flow.idle_warning_shown()) {
            DrawIdleWarning(flow, ctx, events);
        } else if (flow.stop_confirmation_shown()) {
            DrawStopConfirmation(flow, ctx, events);
        } else {
            DrawQuestionScreen(flow, ctx, events);
        }
        break;
    case Screen::Saving:
        DrawSaving(flow, ctx, events);
        break;
    case Screen::SaveFailed:
        DrawSaveFailed(flow, ctx, events);
        break;
    case Screen::Thanks:
        DrawThanksScreen(flow, ctx, events);
        break;
    }
    // The toolbar after the screen: it is a window of its own above the screen's, and its items go
    // into the same automation frame, which ends here.
    DrawToolbar(flow, ctx, events);
    if (ctx.fonts.body != nullptr) {
        ImGui::PopFont();
    }
    if (ctx.automation != nullptr) {
        ctx.automation->end_frame();
    }
}

Fonts LoadFonts(const std::string& font_file, float window_height, KioskDisplayFlags flags) {
    ImGuiIO& io = ImGui::GetIO();
    Fonts fonts;
    if (font_file.empty()) {
        return fonts;
    }
    // Latin-1 and Latin Extended-A (é ë ï ĳ and the letters of Turkish and Polish names), general
    // punctuation (‘ ’ “ ” – …) and the euro sign.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x2027, 0x20AC, 0x20AC, 0};
    const float scale = window_height / 800.0f * ((flags & KioskDisplayFlags_LargeText) ? 1.25f : 1.0f);
    fonts.body = io.Fonts->AddFontFromFileTTF(font_file.c_str(), 30.0f * scale, nullptr, ranges);
    if (fonts.body == nullptr) {
        return Fonts{};
    }
    fonts.title = io.Fonts->AddFontFromFileTTF(font_file.c_str(), 42.0f * scale, nullptr, ranges);
    fonts.small = io.Fonts->AddFontFromFileTTF(font_file.c_str(), 22.0f * scale, nullptr, ranges);
    return fonts;
}

} // namespace buurtstem::ui
