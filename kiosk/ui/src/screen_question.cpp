#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

void DrawChoices(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& answer = flow.current_answer();
    std::vector<ChoiceSpec> choices;
    for (const Option& option : q.options) {
        choices.push_back({"option." + option.id, option.label.in(flow.language()), option.id == answer});
    }
    const int tapped = ChoiceList(ctx, choices);
    if (tapped >= 0) {
        events.push_back({FlowEventType::Answer, q.options[static_cast<size_t>(tapped)].id});
    }
}

void DrawSmileys(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const std::string& answer = flow.current_answer();
    auto own_labels = q.scale_labels.find(lang);
    std::vector<std::string> labels;
    for (int point = 1; point <= kSmileyPoints; ++point) {
        labels.push_back(own_labels != q.scale_labels.end()
                             ? own_labels->second[static_cast<size_t>(point - 1)]
                             : ctx.texts->text(lang, "smiley." + std::to_string(point)));
    }
    const int chosen = answer.size() == 1 && answer[0] >= '1' && answer[0] <= '5' ? answer[0] - '0' : 0;
    const int tapped = SmileyScale(ctx, labels, chosen);
    if (tapped > 0) {
        events.push_back({FlowEventType::Answer, std::to_string(tapped)});
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
        "##text", &text, ImVec2(-FLT_MIN, std::max(Px(92), std::round(ImGui::GetFontSize() * 2.6f))),
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
    const std::string stop_label = t.text(lang, "nav.stop");
    const float stop_w = std::min(std::max(Px(200), ButtonNaturalWidth(stop_label)),
                                  std::floor(ImGui::GetContentRegionAvail().x * 0.4f));
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float top_y = ImGui::GetCursorPosY();
    ImGui::BeginGroup();
    WrappedText(progress, ctx.fonts.small, p.muted_text, ImGui::GetContentRegionAvail().x - stop_w - spacing);
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, p.primary);
    ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
    ImGui::ProgressBar(static_cast<float>(flow.question_index() + 1) /
                           static_cast<float>(flow.question_count()),
                       ImVec2(ImGui::GetContentRegionAvail().x - stop_w - spacing, Px(14)), "");
    ImGui::PopStyleColor(2);
    ImGui::EndGroup();
    const float group_bottom = ImGui::GetItemRectMax().y;
    const float left_x = ImGui::GetCursorPosX();
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - stop_w, top_y));
    if (BigButton(ctx, "nav.stop", stop_label, ImVec2(stop_w, 0), ButtonFlags_Quiet)) {
        events.push_back({FlowEventType::AskStop, {}});
    }
    const float top_bottom = std::max(group_bottom, ImGui::GetItemRectMax().y);
    ImGui::SetCursorScreenPos(
        ImVec2(ImGui::GetWindowPos().x + left_x, top_bottom + ImGui::GetStyle().ItemSpacing.y));

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
    const float nav_h = NavBarHeight(slots);

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
    EndScrollRegion(ctx);
    ImGui::PopID();

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y - nav_h);
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
