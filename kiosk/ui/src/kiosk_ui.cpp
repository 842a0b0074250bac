#include <imgui.h>

#include "buurtstem/ui/kiosk_ui.hpp"

#include "screens.hpp"

namespace buurtstem::ui {

void DrawKiosk(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    ctx.language = flow.language();
    ctx.wants_redraw = false;
    if (flow.screen() != Screen::Question) {
        ctx.keyboard_latin = false;
    }
    if (ctx.fonts.body != nullptr) {
        ImGui::PushFont(ctx.fonts.body);
    }
    PlaceSpeakerButton(flow, ctx);
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
    // After the screen: its BeginScreen starts the automation map's item list.
    DrawSpeakerBar(ctx);
    if (ctx.fonts.body != nullptr) {
        ImGui::PopFont();
    }
}

Fonts LoadFonts(const std::string& font_file, float short_side, KioskDisplayFlags flags) {
    ImGuiIO& io = ImGui::GetIO();
    Fonts fonts;
    if (font_file.empty()) {
        return fonts;
    }
    // Latin-1 and Latin Extended-A (é ë ï ĳ and the letters of Turkish and Polish names), general
    // punctuation (‘ ’ “ ” – …) and the euro sign.
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x2027, 0x20AC, 0x20AC, 0};
    const float scale = short_side / 800.0f * ((flags & KioskDisplayFlags_LargeText) ? 1.25f : 1.0f);
    fonts.body = io.Fonts->AddFontFromFileTTF(font_file.c_str(), 30.0f * scale, nullptr, ranges);
    if (fonts.body == nullptr) {
        return Fonts{};
    }
    fonts.title = io.Fonts->AddFontFromFileTTF(font_file.c_str(), 42.0f * scale, nullptr, ranges);
    fonts.small = io.Fonts->AddFontFromFileTTF(font_file.c_str(), 22.0f * scale, nullptr, ranges);
    return fonts;
}

} // namespace buurtstem::ui
