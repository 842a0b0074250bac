// The language buttons of a screen that has no start screen before it (the quick poll's question): the
// same "Kies uw taal" line and lang.XX buttons as the start screen, each in its own language, the chosen
// one selected.
#include <imgui.h>

#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

std::vector<ButtonSpec> LanguageButtons(const ResidentFlow& flow, const KioskUiContext& ctx) {
    std::vector<ButtonSpec> buttons;
    for (const std::string& code : flow.consultation().languages) {
        buttons.push_back(
            {"lang." + code, ctx.texts->text(code, "language.name"),
             code == flow.language() ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet,
             code}); // each name shaped in its own language's direction
    }
    return buttons;
}

} // namespace

float LanguageChoiceHeight(const ResidentFlow& flow, const KioskUiContext& ctx) {
    if (flow.consultation().languages.size() < 2) {
        return 0.0f;
    }
    ImGui::PushFont(ctx.fonts.small != nullptr ? ctx.fonts.small : ImGui::GetFont());
    const float choose_h = WrappedTextHeight(ctx.texts->text(flow.language(), "start.choose_language"),
                                             ImGui::GetContentRegionAvail().x);
    ImGui::PopFont();
    return choose_h + ImGui::GetStyle().ItemSpacing.y + ButtonRowsHeight(LanguageButtons(flow, ctx));
}

void DrawLanguageChoice(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    if (flow.consultation().languages.size() < 2) {
        return;
    }
    WrappedText(ctx.texts->text(flow.language(), "start.choose_language"), ctx.fonts.small,
                GetPalette(ctx.flags).muted_text);
    const int chosen = ButtonRows(ctx, LanguageButtons(flow, ctx));
    if (chosen >= 0) {
        events.push_back(
            {FlowEventType::ChooseLanguage, flow.consultation().languages[static_cast<size_t>(chosen)]});
    }
}

} // namespace buurtstem::ui
