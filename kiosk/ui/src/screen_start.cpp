#include <algorithm>

#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

// "You said, we did": the council's result text under the welcome, in the resident's language (else
// the consultation's default), when the kiosk holds a verified one. Same texts as ScreenSentences reads.
void DrawResultText(const ResidentFlow& flow, KioskUiContext& ctx) {
    const ResultTextView* r = ctx.result != nullptr
                                  ? ctx.result->in(flow.language(), flow.consultation().default_language())
                                  : nullptr;
    if (r == nullptr) {
        return;
    }
    ImGui::Dummy(ImVec2(0, Px(16)));
    ImGui::BeginGroup();
    WrappedText(ctx.texts->text(flow.language(), "result.title"), ctx.fonts.title);
    WrappedText(r->text);
    for (const auto& [label, value] : r->figures) {
        WrappedText(label + ": " + value);
    }
    ImGui::EndGroup(); // the title and the text: taller than a finger, like every item in the map
    RecordItem(ctx, "result.text", r->text);
}

} // namespace

void DrawStartScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Consultation& c = flow.consultation();
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##start", ctx, "start");
    const ImGuiStyle& style = ImGui::GetStyle();

    // Bottom up: the main button at the bottom, full width, the easiest target on the screen; above it
    // the language buttons, never scrolled away (a resident who cannot read the Dutch above must still
    // find their language); above those the welcome, which scrolls by dragging when a long intro or
    // large text does not fit.
    const std::string begin = t.text(lang, "start.begin");
    // At large text with many languages on a small screen the welcome would get no room at all: then the
    // language names and the start button are drawn in the body font (their targets keep their size).
    ImFont* begin_font = ctx.fonts.title != nullptr ? ctx.fonts.title : ImGui::GetFont();
    ImFont* language_font = ImGui::GetFont();
    ImGui::PushFont(begin_font);
    float button_h = std::max(Px(110), ButtonHeight(begin, ImGui::GetContentRegionAvail().x));
    ImGui::PopFont();
    // Language buttons show each language's own name ("Nederlands", "English"). As many to a row as fit.
    std::vector<ButtonSpec> languages;
    for (const std::string& code : c.languages) {
        languages.push_back({"lang." + code, t.text(code, "language.name"),
                             code == lang ? ButtonFlags_Primary | ButtonFlags_Selected : ButtonFlags_Quiet,
                             code});
    }
    const std::string choose = t.text(lang, "start.choose_language");
    ImGui::PushFont(ctx.fonts.small != nullptr ? ctx.fonts.small : ImGui::GetFont());
    const float choose_h = WrappedTextHeight(choose, ImGui::GetContentRegionAvail().x);
    ImGui::PopFont();
    float languages_h = choose_h + style.ItemSpacing.y + ButtonRowsHeight(languages);
    float region_h =
        ImGui::GetContentRegionAvail().y - button_h - languages_h - style.ItemSpacing.y * 2 - Px(12);
    if (region_h < min_target_px() * 3.0f && ctx.fonts.small != nullptr) {
        begin_font = ImGui::GetFont();
        language_font = ctx.fonts.small;
        button_h = std::max(Px(110), ButtonHeight(begin, ImGui::GetContentRegionAvail().x));
        ImGui::PushFont(language_font);
        languages_h = choose_h + style.ItemSpacing.y + ButtonRowsHeight(languages);
        ImGui::PopFont();
        region_h =
            ImGui::GetContentRegionAvail().y - button_h - languages_h - style.ItemSpacing.y * 2 - Px(12);
    }

    BeginScrollRegion(ctx, "##welcome", region_h);
    ImGui::Dummy(ImVec2(0, Px(10)));
    WrappedText(c.title.in(lang), ctx.fonts.title);
    ImGui::Dummy(ImVec2(0, Px(6)));
    if (!c.intro.empty()) {
        WrappedText(c.intro.in(lang));
    }
    WrappedText(t.text(lang, "start.anonymous"), nullptr, p.muted_text);
    DrawResultText(flow, ctx);
    EndScrollRegion(ctx);

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - style.WindowPadding.y - button_h - style.ItemSpacing.y -
                         languages_h);
    WrappedText(choose, ctx.fonts.small, p.muted_text);
    ImGui::PushFont(language_font);
    const int chosen = ButtonRows(ctx, languages);
    ImGui::PopFont();
    if (chosen >= 0) {
        events.push_back({FlowEventType::ChooseLanguage, c.languages[static_cast<size_t>(chosen)]});
    }

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - style.WindowPadding.y - button_h);
    ImGui::PushFont(begin_font);
    if (BigButton(ctx, "start.begin", begin, ImVec2(-FLT_MIN, button_h))) {
        events.push_back({FlowEventType::Start, {}});
    }
    ImGui::PopFont();
    EndScreen(ctx);
}

} // namespace buurtstem::ui
