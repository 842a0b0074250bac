#include <algorithm>

#include "screens.hpp"
#include "text_draw.hpp"
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
    // Five languages do not fit in one row on a tablet: the row wraps, each button as wide as its name
    // needs. Right to left (Arabic on screen), the row starts at the right.
    const float min_w = Px(200);
    const float pad = ImGui::GetStyle().FramePadding.x * 2;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float start_x = ImGui::GetCursorPosX();
    float row_used = 0;
    for (size_t i = 0; i < c.languages.size(); ++i) {
        const std::string& code = c.languages[i];
        const std::string name = t.text(code, "language.name");
        // Measured in the font it is drawn in; shaped, because "العربية" is drawn joined.
        const std::string shaped = text::shape_line(name, text::direction_of(code));
        const float w = std::min(avail, std::max(min_w, ImGui::CalcTextSize(shaped.c_str()).x + pad));
        if (i > 0 && row_used + spacing + w <= avail) {
            ImGui::SameLine();
            row_used += spacing;
        } else {
            row_used = 0;
        }
        ImGui::SetCursorPosX(RightToLeft() ? start_x + avail - row_used - w : start_x + row_used);
        row_used += w;
        const std::string id = "lang." + code;
        const bool chosen = code == lang;
        // Each name is shaped in its own language's direction, whatever the screen's language is.
        const text::Direction screen_direction = TextDirection();
        SetTextDirection(text::direction_of(code));
        const bool tapped =
            BigButton(ctx, id.c_str(), name, ImVec2(w, Px(80)),
                      chosen ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet);
        SetTextDirection(screen_direction);
        if (tapped) {
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
