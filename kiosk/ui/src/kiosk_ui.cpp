#include <imgui.h>

#include <algorithm>

#include "buurtstem/ui/kiosk_ui.hpp"

#include "buurtstem/text/appearance.hpp"
#include "buurtstem/ui/automation.hpp"
#include "screens.hpp"
#include "text_draw.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

// The resident's language, text size and contrast (kept by the flow, reset with it) become this frame's
// direction, theme and map fields. The fonts of the text size are baked before the frame (UpdateFonts).
void ApplyResidentChoices(const ResidentFlow& flow, KioskUiContext& ctx) {
    ctx.language = flow.language();
    SetTextDirection(text::direction_of(ctx.language));
    NewTextFrame();
    const ResidentDisplay& display = flow.display();
    ctx.text_size = std::clamp(display.text_size, 0, text::kTextSizeCount - 1);
    const KioskDisplayFlags flags = (ctx.flags & ~KioskDisplayFlags_HighContrast) |
                                    (display.high_contrast ? KioskDisplayFlags_HighContrast : 0);
    if (flags != ctx.flags) {
        // Before any window of this frame begins, so the whole frame has one theme.
        ApplyTheme(flags, ShortSide() / 800.0f);
        ctx.flags = flags;
    }
    if (ctx.automation != nullptr) {
        ctx.automation->set_field("language", "\"" + ctx.language + "\"");
        ctx.automation->set_field("text_size", std::to_string(ctx.text_size));
        ctx.automation->set_field("contrast", display.high_contrast ? "\"high\"" : "\"normal\"");
    }
}

} // namespace

void DrawKiosk(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    ApplyResidentChoices(flow, ctx);
    ctx.wants_redraw = false;
    if (flow.screen() != Screen::Question) {
        ctx.keyboard_latin = false;
    }
    if (ctx.fonts.body != nullptr) {
        ImGui::PushFont(ctx.fonts.body);
    }
    PlaceToolbar(flow, ctx);
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
    DrawToolbar(flow, ctx, events);
    if (ctx.fonts.body != nullptr) {
        ImGui::PopFont();
    }
}

} // namespace buurtstem::ui
