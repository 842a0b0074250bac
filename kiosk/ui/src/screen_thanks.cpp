#include "qr_widget.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

// Kiosk respondents are anonymous: nobody can tell them later what became of their input. The public
// results page can, so its QR code and short address go home with them.
void DrawResultsAddress(const std::string& lang, KioskUiContext& ctx) {
    if (ctx.result == nullptr || ctx.result->address.empty()) {
        return;
    }
    const Palette p = GetPalette(ctx.flags);
    ImGui::Dummy(ImVec2(0, Px(30)));
    WrappedText(ctx.texts->text(lang, "result.scan"), ctx.fonts.small, p.muted_text);
    ImGui::Dummy(ImVec2(0, Px(8)));
    const float side = std::min(Px(260), ImGui::GetContentRegionAvail().x);
    // The code opens the page in the language the resident used here; the address below stays short
    // to type (the page then follows the phone's language).
    if (!QrCode(ctx, "result.qr", ctx.result->address + "?lang=" + lang, side)) {
        return;
    }
    ImGui::Dummy(ImVec2(0, Px(8)));
    // Without "https://": shorter to type, and every phone browser adds it.
    std::string shown = ctx.result->address;
    if (shown.starts_with("https://")) {
        shown.erase(0, 8);
    }
    // A box a finger high, like every item in the map, with the address in it.
    ImGui::BeginGroup();
    const ImVec2 start = ImGui::GetCursorPos();
    WrappedText(shown);
    const float used = ImGui::GetCursorPosY() - start.y;
    if (used < min_target_px()) {
        ImGui::Dummy(ImVec2(min_target_px(), min_target_px() - used));
    }
    ImGui::EndGroup();
    RecordItem(ctx, "result.address", ctx.result->address);
}

} // namespace

void DrawThanksScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    BeginScreen("##thanks", ctx, "thanks");
    ImGui::Dummy(ImVec2(0, Px(80)));
    WrappedText(t.text(lang, "thanks.title"), ctx.fonts.title);
    ImGui::Dummy(ImVec2(0, Px(10)));
    WrappedText(t.text(lang, "thanks.body"));
    ImGui::Dummy(ImVec2(0, Px(40)));
    if (ButtonRows(ctx, {{"thanks.done", t.text(lang, "thanks.done"), ButtonFlags_Primary}}) == 0) {
        events.push_back({FlowEventType::ThanksDone, {}});
    }
    DrawResultsAddress(lang, ctx);
    EndScreen(ctx);
}

} // namespace buurtstem::ui
