#include <imgui.h>

#include <string>

#include "questions/question_screens.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

void DrawQuestionScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##question", ctx, "question:" + q.id);

    // Top bar: where am I (text and bar), and a way out.
    // Counts only the questions shown with the answers so far (show-if).
    const std::string progress = t.format(lang, "question.progress",
                                          {{"current", std::to_string(flow.progress_position())},
                                           {"total", std::to_string(flow.progress_total())}});
    const float stop_w = Px(200);
    const bool quick = flow.is_quick();
    // A quick poll is one tap: no progress, no way out, no navigation to learn.
    if (!quick) {
        ImGui::BeginGroup();
        WrappedText(progress, ctx.fonts.small, p.muted_text);
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, p.primary);
        ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
        ImGui::ProgressBar(
            static_cast<float>(flow.progress_position()) / static_cast<float>(flow.progress_total()),
            ImVec2(ImGui::GetContentRegionAvail().x - stop_w - ImGui::GetStyle().ItemSpacing.x, Px(14)), "");
        ImGui::PopStyleColor(2);
        ImGui::EndGroup();
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - stop_w);
        if (BigButton(ctx, "nav.stop", t.text(lang, "nav.stop"), ImVec2(stop_w, Px(64)), ButtonFlags_Quiet)) {
            events.push_back({FlowEventType::AskStop, {}});
        }
    }

    WrappedText(q.text.in(lang), ctx.fonts.title);
    if (!q.hint.empty()) {
        WrappedText(q.hint.in(lang), nullptr, p.muted_text);
    }

    // Answers scroll if they must; the navigation bar below never does.
    const float nav_h = quick ? 0.0f : Px(96);
    const float answers_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    // Per-question ids: ImGui keeps widget state (an edit buffer, the keyboard's shift) by id, and
    // nothing of one question may show up on another.
    ImGui::PushID(q.id.c_str());
    ImGui::BeginChild("##answers", ImVec2(0, answers_h), false, ImGuiWindowFlags_NoBackground);
    if (const DrawAnswersFn draw = FindAnswerScreen(q.type_name())) {
        draw(flow, ctx, events);
    }
    ImGui::EndChild();
    ImGui::PopID();

    if (quick) {
        EndScreen(ctx);
        return;
    }
    // Navigation: Back left, Skip in the middle (only without an answer), Next/Done right.
    const float button_w = Px(260);
    if (BigButton(ctx, "nav.back", t.text(lang, "nav.back"), ImVec2(button_w, nav_h), ButtonFlags_Quiet)) {
        events.push_back({FlowEventType::Back, {}});
    }
    const float right = ImGui::GetWindowContentRegionMax().x - button_w;
    if (flow.can_skip() && flow.current_answer().empty()) {
        ImGui::SameLine((right + button_w) * 0.5f - button_w * 0.5f +
                        ImGui::GetStyle().WindowPadding.x * 0.5f);
        if (BigButton(ctx, "nav.skip", t.text(lang, "nav.skip"), ImVec2(button_w, nav_h),
                      ButtonFlags_Quiet)) {
            events.push_back({FlowEventType::Skip, {}});
        }
    } else if (!flow.can_go_next()) {
        // Drawn, not laid out, so the Next button keeps its place on the same line.
        const std::string why = t.text(lang, "question.required");
        const ImVec2 back_max = ImGui::GetItemRectMax();
        const ImVec2 at(back_max.x + Px(30), back_max.y - nav_h * 0.5f - ImGui::GetFontSize() * 0.5f);
        ImGui::GetWindowDrawList()->AddText(at, p.muted_text, why.c_str());
    }
    ImGui::SameLine(right);
    const std::string next_label = t.text(lang, flow.is_last_question() ? "nav.finish" : "nav.next");
    if (BigButton(ctx, "nav.next", next_label, ImVec2(button_w, nav_h),
                  flow.can_go_next() ? ButtonFlags_Primary : ButtonFlags_Disabled)) {
        events.push_back({FlowEventType::Next, {}});
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
