#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "questions/question_screens.hpp"
#include "screens.hpp"
#include "text_draw.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

void DrawQuestionScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##question", ctx, "question:" + q.id);

    // Top bar: where am I (text and bar), and a way out. Counts only the questions shown with the
    // answers so far (show-if). A quick poll is one tap: no progress, no way out, no navigation to learn.
    const bool quick = flow.is_quick();
    if (!quick) {
        const std::string progress = t.format(lang, "question.progress",
                                              {{"current", std::to_string(flow.progress_position())},
                                               {"total", std::to_string(flow.progress_total())}});
        const std::string stop_label = t.text(lang, "nav.stop");
        const float stop_w = std::min(std::max(Px(200), ButtonNaturalWidth(stop_label)),
                                      std::floor(ImGui::GetContentRegionAvail().x * 0.4f));
        const float reserve = ctx.top_row_reserve; // the toolbar's place, at the row's end
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        const float top_y = ImGui::GetCursorPosY();
        // Mirrored right to left: progress at the right, then "Stoppen", then the toolbar at the left.
        const bool rtl = RightToLeft();
        const float left_x = ImGui::GetCursorPosX();
        // Measured before the right-to-left shift below, which takes the same room off the available width.
        const float progress_w = ImGui::GetContentRegionAvail().x - stop_w - reserve - spacing;
        if (rtl) {
            ImGui::SetCursorPosX(left_x + stop_w + reserve + spacing);
        }
        ImGui::BeginGroup();
        WrappedText(progress, ctx.fonts.small, p.muted_text, progress_w);
        ProgressBar(ctx,
                    static_cast<float>(flow.progress_position()) / static_cast<float>(flow.progress_total()),
                    ImVec2(progress_w, Px(14)));
        ImGui::EndGroup();
        const float group_bottom = ImGui::GetItemRectMax().y;
        ImGui::SetCursorPos(ImVec2(rtl ? ImGui::GetWindowContentRegionMin().x + reserve
                                       : ImGui::GetWindowContentRegionMax().x - stop_w - reserve,
                                   top_y));
        if (BigButton(ctx, "nav.stop", stop_label, ImVec2(stop_w, 0), ButtonFlags_Quiet)) {
            events.push_back({FlowEventType::AskStop, {}});
        }
        const float top_bottom = std::max(group_bottom, ImGui::GetItemRectMax().y);
        ImGui::SetCursorScreenPos(
            ImVec2(ImGui::GetWindowPos().x + left_x, top_bottom + ImGui::GetStyle().ItemSpacing.y));
    }

    // Navigation: Back at the start, Skip (only without an answer) or why Next is missing in the middle,
    // Next/Done at the end. Measured first: the question and its answers get the height above it.
    NavSlot slots[3];
    slots[0] = {"nav.back", t.text(lang, "nav.back"), ButtonFlags_Quiet, false};
    if (flow.can_skip() && flow.current_answer().empty()) {
        slots[1] = {"nav.skip", t.text(lang, "nav.skip"), ButtonFlags_Quiet, false};
    } else if (!flow.can_go_next()) {
        slots[1] = {"nav.why", t.text(lang, "question.required"), ButtonFlags_None, true};
    }
    slots[2] = {"nav.next", t.text(lang, flow.is_last_question() ? "nav.finish" : "nav.next"),
                flow.can_go_next() ? ButtonFlags_Primary : ButtonFlags_Disabled, false};
    // A quick poll has its language buttons where other questions have the navigation bar.
    const float nav_h = quick ? LanguageChoiceHeight(flow, ctx) : NavBarHeight(slots);

    // The question and its answers scroll, by dragging, only if they do not fit; the navigation bar
    // below never does. Per-question ids: ImGui keeps widget state (an edit buffer, the keyboard's
    // shift, the scroll position) by id, and nothing of one question may show up on another.
    const float region_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    ImGui::PushID(q.id.c_str());
    BeginScrollRegion(ctx, "##answers", region_h);
    WrappedText(q.text.in(lang), ctx.fonts.title);
    if (!q.hint.empty()) {
        WrappedText(q.hint.in(lang), nullptr, p.muted_text);
    }
    if (const DrawAnswersFn draw = FindAnswerScreen(q.type_name())) {
        draw(flow, ctx, events);
    }
    EndScrollRegion(ctx);
    ImGui::PopID();

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
    if (quick) {
        DrawLanguageChoice(flow, ctx, events);
        EndScreen(ctx);
        return;
    }
    switch (NavBar(ctx, slots)) {
    case 0:
        events.push_back({FlowEventType::Back, {}});
        break;
    case 1:
        events.push_back({FlowEventType::Skip, {}});
        break;
    case 2:
        events.push_back({FlowEventType::Next, {}});
        break;
    default:
        break;
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
