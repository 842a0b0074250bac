#include <string>

#include "buurtstem/ui/automation.hpp"
#include "screens.hpp"
#include "text_draw.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

void DrawIdleWarning(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    BeginScreen("##idle", ctx, "idle");
    ImGui::Dummy(ImVec2(0, Px(120)));
    WrappedText(t.text(lang, "idle.title"), ctx.fonts.title);
    WrappedText(t.text(lang, "idle.body"));
    ImGui::Dummy(ImVec2(0, Px(20)));
    // A countdown a resident can see: better than being reset without warning.
    ImGui::PushFont(ctx.fonts.title);
    ImGui::Text("%d", flow.idle_seconds_left(ctx.now));
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, Px(20)));
    if (BigButton(ctx, "idle.continue", t.text(lang, "idle.continue"), ImVec2(Px(480), Px(110)))) {
        events.push_back({FlowEventType::StillHere, {}});
    }
    EndScreen(ctx);
}

void DrawStopConfirmation(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    BeginScreen("##stop", ctx, "stop");
    ImGui::Dummy(ImVec2(0, Px(140)));
    WrappedText(t.text(lang, "stop.question"), ctx.fonts.title);
    ImGui::Dummy(ImVec2(0, Px(40)));
    // "Go on" is the primary, safe choice; stopping throws answers away, so it is the quiet one.
    // Right to left, "go on" comes first from the right.
    const bool rtl = RightToLeft();
    const float right_x = ImGui::GetWindowContentRegionMax().x - Px(420);
    if (rtl) {
        ImGui::SetCursorPosX(right_x);
    }
    if (BigButton(ctx, "stop.cancel", t.text(lang, "stop.cancel"), ImVec2(Px(420), Px(110)))) {
        events.push_back({FlowEventType::CancelStop, {}});
    }
    ImGui::SameLine(rtl ? right_x - Px(420) - Px(40) : 0.0f, rtl ? -1.0f : Px(40));
    if (BigButton(ctx, "stop.confirm", t.text(lang, "stop.confirm"), ImVec2(Px(420), Px(110)),
                  ButtonFlags_Quiet)) {
        events.push_back({FlowEventType::ConfirmStop, {}});
    }
    EndScreen(ctx);
}

void DrawSaving(const ResidentFlow&, KioskUiContext& ctx, std::vector<FlowEvent>&) {
    // Shown for the length of one commit; nothing to tap.
    BeginScreen("##saving", ctx, "saving");
    EndScreen(ctx);
}

void DrawSaveFailed(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    BeginScreen("##save-failed", ctx, "save-failed");
    ImGui::Dummy(ImVec2(0, Px(140)));
    WrappedText(t.text(lang, "error.store"), ctx.fonts.title);
    ImGui::Dummy(ImVec2(0, Px(40)));
    if (BigButton(ctx, "error.retry", t.text(lang, "error.retry"), ImVec2(Px(420), Px(110)))) {
        events.push_back({FlowEventType::RetrySave, {}});
    }
    EndScreen(ctx);
}

void DrawBrokenConsultation(const std::string& detail, KioskUiContext& ctx) {
    const Palette p = GetPalette(ctx.flags);
    if (ctx.fonts.body != nullptr) {
        ImGui::PushFont(ctx.fonts.body);
    }
    BeginScreen("##broken", ctx, "broken");
    ImGui::Dummy(ImVec2(0, Px(140)));
    WrappedText(ctx.texts->text(ctx.language, "error.consultation"), ctx.fonts.title);
    ImGui::Dummy(ImVec2(0, Px(40)));
    WrappedText(detail, ctx.fonts.small, p.muted_text);
    EndScreen(ctx);
    if (ctx.fonts.body != nullptr) {
        ImGui::PopFont();
    }
    if (ctx.automation != nullptr) {
        ctx.automation->end_frame(); // no toolbar here: nothing for a resident to adjust
    }
}

} // namespace buurtstem::ui
