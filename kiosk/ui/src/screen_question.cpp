#include <imgui.h>
#include <imgui_stdlib.h>

#include <cfloat>
#include <optional>
#include <string>

#include "buurtstem/consultation/icons.hpp"
#include "screens.hpp"
#include "text_draw.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

void DrawChoices(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& answer = flow.current_answer();
    // More than four options go in two columns so that all of them fit without scrolling.
    const int columns = q.options.size() > 4 ? 2 : 1;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(columns - 1)) /
                        static_cast<float>(columns);
    for (size_t i = 0; i < q.options.size(); ++i) {
        const Option& option = q.options[i];
        if (columns == 2 && i % 2 == 1) {
            ImGui::SameLine();
        }
        const std::string id = "option." + option.id;
        const std::optional<char32_t> icon = icon_code_point(option.icon);
        if (ChoiceButton(ctx, id.c_str(), option.label.in(flow.language()), width, option.id == answer,
                         icon ? Utf8(*icon) : std::string())) {
            events.push_back({FlowEventType::Answer, option.id});
        }
    }
}

void DrawSmileys(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = (ImGui::GetContentRegionAvail().x - spacing * (kSmileyPoints - 1)) / kSmileyPoints;
    auto own_labels = q.scale_labels.find(lang);
    for (int point = 1; point <= kSmileyPoints; ++point) {
        if (point > 1) {
            ImGui::SameLine();
        }
        const std::string label = own_labels != q.scale_labels.end()
                                      ? own_labels->second[static_cast<size_t>(point - 1)]
                                      : ctx.texts->text(lang, "smiley." + std::to_string(point));
        const std::string value = std::to_string(point);
        const std::string id = "smiley." + value;
        if (SmileyButton(ctx, id.c_str(), point, label, ImVec2(width, Px(260)), answer == value)) {
            events.push_back({FlowEventType::Answer, value});
        }
    }
}

struct TextLimit {
    int max_length;
};

// Keeps ImGui's own edit buffer within the question's length, so what the resident sees while typing
// on a real keyboard (or pasting) is exactly what will be stored.
int LimitLength(ImGuiInputTextCallbackData* data) {
    const int max_length = static_cast<const TextLimit*>(data->UserData)->max_length;
    int points = 0;
    for (int i = 0; i < data->BufTextLen; ++i) {
        if ((static_cast<unsigned char>(data->Buf[i]) & 0xC0) != 0x80) {
            if (points == max_length) {
                data->DeleteChars(i, data->BufTextLen - i);
                break;
            }
            ++points;
        }
    }
    return 0;
}

void DrawFreeText(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Palette p = GetPalette(ctx.flags);
    // ImGui owns the text while the field is being edited with a real keyboard; otherwise the flow's
    // answer is the truth and this copy is made fresh each frame.
    std::string text = flow.current_answer();
    ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, Px(3));
    TextLimit limit{q.max_length};
    const bool edited = ImGui::InputTextMultiline(
        "##text", &text, ImVec2(-FLT_MIN, Px(92)),
        ImGuiInputTextFlags_NoHorizontalScroll | ImGuiInputTextFlags_CallbackEdit, LimitLength, &limit);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    // The map gets the length, not the words: it is a file on disk, and residents' text belongs in
    // the response store only.
    RecordItem(ctx, "text.input", std::to_string(utf8_length(text)));
    if (edited) {
        events.push_back({FlowEventType::Answer, text});
    }
    const size_t used = utf8_length(text);
    const size_t left =
        used >= static_cast<size_t>(q.max_length) ? 0 : static_cast<size_t>(q.max_length) - used;
    WrappedText(text.empty()
                    ? ctx.texts->text(lang, "text.placeholder")
                    : ctx.texts->format(lang, "text.characters_left", {{"count", std::to_string(left)}}),
                ctx.fonts.small, p.muted_text);

    // The keyboard's shift state only lives while this question is on screen: ImGui's state storage
    // keeps it per window without any global of ours.
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID shift_id = ImGui::GetID("##shift");
    bool shift = storage->GetBool(shift_id, text.empty());
    std::string typed = flow.current_answer();
    if (OnScreenKeyboard(ctx, typed, q.max_length, shift)) {
        events.push_back({FlowEventType::Answer, typed});
    }
    storage->SetBool(shift_id, shift);
}

} // namespace

void DrawQuestionScreen(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Catalog& t = *ctx.texts;
    const Palette p = GetPalette(ctx.flags);
    BeginScreen("##question", ctx, "question:" + q.id);

    // Top bar: where am I (text and bar), and a way out.
    const std::string progress = t.format(lang, "question.progress",
                                          {{"current", std::to_string(flow.question_index() + 1)},
                                           {"total", std::to_string(flow.question_count())}});
    const float stop_w = Px(200);
    ImGui::BeginGroup();
    // Wrapped beside the Stop button, not under it (right to left, the text starts at that side).
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - stop_w -
                           ImGui::GetStyle().ItemSpacing.x);
    WrappedText(progress, ctx.fonts.small, p.muted_text);
    ImGui::PopTextWrapPos();
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, p.primary);
    ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
    ImGui::ProgressBar(
        static_cast<float>(flow.question_index() + 1) / static_cast<float>(flow.question_count()),
        ImVec2(ImGui::GetContentRegionAvail().x - stop_w - ImGui::GetStyle().ItemSpacing.x, Px(14)), "");
    ImGui::PopStyleColor(2);
    ImGui::EndGroup();
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - stop_w);
    if (BigButton(ctx, "nav.stop", t.text(lang, "nav.stop"), ImVec2(stop_w, Px(64)), ButtonFlags_Quiet)) {
        events.push_back({FlowEventType::AskStop, {}});
    }

    WrappedText(q.text.in(lang), ctx.fonts.title);
    if (!q.hint.empty()) {
        WrappedText(q.hint.in(lang), nullptr, p.muted_text);
    }

    // Answers scroll if they must; the navigation bar below never does.
    const float nav_h = Px(96);
    const float answers_h = ImGui::GetContentRegionAvail().y - nav_h - ImGui::GetStyle().ItemSpacing.y;
    // Per-question ids: ImGui keeps widget state (an edit buffer, the keyboard's shift) by id, and
    // nothing of one question may show up on another.
    ImGui::PushID(q.id.c_str());
    ImGui::BeginChild("##answers", ImVec2(0, answers_h), false, ImGuiWindowFlags_NoBackground);
    switch (q.kind) {
    case QuestionKind::SingleChoice:
        DrawChoices(flow, ctx, events);
        break;
    case QuestionKind::SmileyScale:
        DrawSmileys(flow, ctx, events);
        break;
    case QuestionKind::FreeText:
        DrawFreeText(flow, ctx, events);
        break;
    }
    ImGui::EndChild();
    ImGui::PopID();

    // Navigation: Back left, Skip in the middle (only without an answer), Next/Done right; mirrored
    // for a right-to-left language (Next on the left, where the reading goes).
    const float button_w = Px(260);
    const bool rtl = RightToLeft();
    const float left = ImGui::GetWindowContentRegionMin().x;
    if (rtl) {
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - button_w);
    }
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
        const std::string why = ShapeLabel(t.text(lang, "question.required"));
        const ImVec2 back_min = ImGui::GetItemRectMin();
        const ImVec2 back_max = ImGui::GetItemRectMax();
        const float why_w = ImGui::CalcTextSize(why.c_str()).x;
        const float y = back_max.y - nav_h * 0.5f - ImGui::GetFontSize() * 0.5f;
        const ImVec2 at(rtl ? back_min.x - Px(30) - why_w : back_max.x + Px(30), y);
        ImGui::GetWindowDrawList()->AddText(at, p.muted_text, why.c_str());
    }
    ImGui::SameLine(rtl ? left : right);
    const std::string next_label = t.text(lang, flow.is_last_question() ? "nav.finish" : "nav.next");
    if (BigButton(ctx, "nav.next", next_label, ImVec2(button_w, nav_h),
                  flow.can_go_next() ? ButtonFlags_Primary : ButtonFlags_Disabled)) {
        events.push_back({FlowEventType::Next, {}});
    }
    EndScreen(ctx);
}

} // namespace buurtstem::ui
