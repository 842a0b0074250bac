// free_text: a text field and the on-screen keyboard (key.X); the map records the length typed
// (text.input), never the words.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

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

} // namespace buurtstem::ui
