#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

void DrawStartScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Consultation& c = flow.consultation();
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##start", ctx, "start");

    ImGui::Dummy(ImVec2(0, Px(10)));
    WrappedText(c.title.in(lang), ctx.fonts.title);
    ImGui::Dummy(ImVec2(0, Px(6)));
    WrappedText(c.intro.in(lang));
    WrappedText(t.text(lang, "start.anonymous"), nullptr, p.muted_text);

    // Language buttons show each language's own name ("Nederlands", "English"), so a resident who
    // cannot read the current language still finds theirs.
    ImGui::Dummy(ImVec2(0, Px(12)));
    WrappedText(t.text(lang, "start.choose_language"), ctx.fonts.small, p.muted_text);
    const float language_w = Px(260);
    for (size_t i = 0; i < c.languages.size(); ++i) {
        const std::string& code = c.languages[i];
        if (i > 0) {
            ImGui::SameLine();
        }
        const std::string id = "lang." + code;
        const bool chosen = code == lang;
        if (BigButton(ctx, id.c_str(), t.text(code, "language.name"), ImVec2(language_w, Px(80)),
                      chosen ? ButtonFlags_Primary : ButtonFlags_Quiet)) {
            events.push_back({FlowEventType::ChooseLanguage, code});
        }
    }

    // The main button sits at the bottom, full width: the easiest target on the screen.
    const float button_h = Px(110);
    const float bottom = ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - button_h;
    if (ImGui::GetCursorPosY() < bottom) {
        ImGui::SetCursorPosY(bottom);
    }
    ImGui::PushFont(ctx.fonts.title);
    if (BigButton(ctx, "start.begin", t.text(lang, "start.begin"), ImVec2(-FLT_MIN, button_h))) {
        events.push_back({FlowEventType::Start, {}});
    }
    ImGui::PopFont();
    EndScreen(ctx);
}

} // namespace buurtstem::ui
