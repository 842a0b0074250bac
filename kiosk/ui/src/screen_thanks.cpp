#include "screens.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

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
    EndScreen(ctx);
}

} // namespace buurtstem::ui
