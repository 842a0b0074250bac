// free_text: a text field and the on-screen keyboard (key.X); the map records the length typed
// (text.input), never the words.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "../text_draw.hpp"
#include "../theme.hpp"
#include "../widgets.hpp"
#include "question_screens.hpp"

namespace buurtstem::ui {

namespace {

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

} // namespace

void DrawFreeText(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const Question& q = flow.current_question();
    const std::string& lang = flow.language();
    const Palette p = GetPalette(ctx.flags);
    // ImGui owns the text while the field is being edited with a real keyboard; otherwise the flow's
    // answer is the truth and this copy is made fresh each frame.
    std::string text = flow.current_answer();
    const ImVec2 box(-FLT_MIN, std::max(Px(92), std::round(ImGui::GetFontSize() * 2.6f)));
    bool edited = false;
    if (Shaped(text) != std::string_view(text)) {
        // ImGui's own text field draws code points as they come: typed Arabic would show unjoined and left
        // to right. Arabic is typed on the on-screen keyboard only, so the field is then drawn through the
        // text pipeline (shaped, right to left), showing the end of what was typed.
        ImGui::PushStyleColor(ImGuiCol_ChildBg, p.surface);
        ImGui::PushStyleColor(ImGuiCol_Border, p.outline);
        ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, Px(3));
        ImGui::BeginChild("##text-shaped", box, true, ImGuiWindowFlags_NoScrollbar);
        WrappedText(text, nullptr, p.text);
        ImGui::SetScrollY(ImGui::GetScrollMaxY());
        ImGui::EndChild();
        ImGui::PopStyleVar();
        ImGui::PopStyleColor(2);
    } else {
        ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, Px(3));
        TextLimit limit{q.max_length};
        edited = ImGui::InputTextMultiline(
            "##text", &text, box, ImGuiInputTextFlags_NoHorizontalScroll | ImGuiInputTextFlags_CallbackEdit,
            LimitLength, &limit);
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    }
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

} // namespace buurtstem::ui
