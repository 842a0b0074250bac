// The speaker button: reads the screen aloud (EN 301 549 5.1.3). On the question screen it sits in the
// top row beside "Stoppen"; on the others in a bar of its own above the screen. The screen toolbar (text
// size, contrast) takes it over later.
//
//   tap while quiet or paused: read from the top   tap while reading: pause
#include <imgui.h>

#include <cmath>

#include "screens.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

// A loudspeaker with sound waves, drawn (no icon font needed) in a box of `h` pixels high at `at`.
void DrawSpeakerIcon(ImDrawList* draw, ImVec2 at, float h, ImU32 color, bool waves) {
    const float cy = at.y + h * 0.5f;
    const float x = at.x + h * 0.12f;
    draw->AddRectFilled(ImVec2(x, cy - h * 0.14f), ImVec2(x + h * 0.16f, cy + h * 0.14f), color);
    draw->AddTriangleFilled(ImVec2(x + h * 0.1f, cy), ImVec2(x + h * 0.42f, cy - h * 0.34f),
                            ImVec2(x + h * 0.42f, cy + h * 0.34f), color);
    draw->AddRectFilled(ImVec2(x + h * 0.1f, cy - h * 0.14f), ImVec2(x + h * 0.42f, cy + h * 0.14f), color);
    if (waves) {
        for (int i = 1; i <= 2; ++i) {
            draw->PathArcTo(ImVec2(x + h * 0.42f, cy), h * (0.14f + 0.14f * static_cast<float>(i)), -0.9f,
                            0.9f, 12);
            draw->PathStroke(color, ImDrawFlags_None, std::max(2.0f, h * 0.06f));
        }
    }
}

void DrawPauseIcon(ImDrawList* draw, ImVec2 at, float h, ImU32 color) {
    const float top = at.y + h * 0.22f;
    const float bottom = at.y + h * 0.78f;
    const float x = at.x + h * 0.22f;
    draw->AddRectFilled(ImVec2(x, top), ImVec2(x + h * 0.18f, bottom), color);
    draw->AddRectFilled(ImVec2(x + h * 0.34f, top), ImVec2(x + h * 0.52f, bottom), color);
}

} // namespace

namespace {

bool Reading(const KioskUiContext& ctx) {
    return ctx.speech == SpeechView::Playing || ctx.speech == SpeechView::Preparing;
}

std::string Label(const KioskUiContext& ctx) {
    return ctx.texts->text(ctx.language, Reading(ctx) ? "speech.pause" : "speech.listen");
}

// The button: at least 65 px high at 800 (88 per 1080), an icon as wide as it is high, then the label.
ImVec2 ButtonSize(const KioskUiContext& ctx) {
    const float h = Px(66);
    return ImVec2(h * 1.05f + ImGui::CalcTextSize(Label(ctx).c_str()).x + Px(24), h);
}

} // namespace

void PlaceSpeakerButton(const ResidentFlow& flow, KioskUiContext& ctx) {
    ctx.top_bar_height = 0;
    ctx.top_right_reserve = 0;
    if (ctx.speech == SpeechView::Off) {
        return;
    }
    bool question_row =
        flow.screen() == Screen::Question && !flow.idle_warning_shown() && !flow.stop_confirmation_shown();
    if (question_row) {
        // ... if the row keeps room for "Stoppen" (Px(200) in screen_question.cpp) and a readable
        // progress bar; on a narrow portrait screen the button takes a bar of its own instead.
        const float row = ImGui::GetMainViewport()->WorkSize.x - 2 * ImGui::GetStyle().WindowPadding.x;
        const float needed = ButtonSize(ctx).x + Px(200) + Px(160) + 2 * ImGui::GetStyle().ItemSpacing.x;
        question_row = needed <= row;
    }
    if (question_row) {
        // The question screen needs its height for answers and the keyboard: the button joins its top
        // row, left of "Stoppen".
        ctx.top_right_reserve = ButtonSize(ctx).x + ImGui::GetStyle().ItemSpacing.x;
    } else {
        ctx.top_bar_height = ButtonSize(ctx).y + Px(16);
    }
}

void DrawSpeakerBar(KioskUiContext& ctx) {
    if (ctx.speech == SpeechView::Off) {
        return;
    }
    const Palette p = GetPalette(ctx.flags);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const ImVec2 size = ButtonSize(ctx);
    const ImVec2 padding = ImGui::GetStyle().WindowPadding;
    // In a bar of its own above the screen, or in the question screen's top row (its window padding).
    const float top = ctx.top_bar_height > 0 ? (ctx.top_bar_height - size.y) * 0.5f : padding.y;
    const ImVec2 at(viewport->WorkPos.x + viewport->WorkSize.x - padding.x - size.x,
                    viewport->WorkPos.y + top);
    ImGui::SetNextWindowPos(at);
    ImGui::SetNextWindowSize(size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin("##speaker", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar(2);

    const bool reading = Reading(ctx);
    const std::string label = Label(ctx);
    const ImVec2 min = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton("##speak", size)) {
        ctx.speak_tapped = true;
    }
    RecordItem(ctx, "speak", label, reading);

    // Filled while reading, so a resident sees that the sound comes from the kiosk and how to stop it.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float h = size.y;
    const ImVec2 max(min.x + size.x, min.y + h);
    draw->AddRectFilled(min, max, reading ? p.primary : p.surface, Px(12));
    draw->AddRect(min, max, reading ? p.primary : p.outline, Px(12), ImDrawFlags_None, Px(3));
    const ImU32 ink = reading ? p.primary_text : p.text;
    if (reading) {
        DrawPauseIcon(draw, min, h, ink);
    } else {
        DrawSpeakerIcon(draw, min, h, ink, true);
    }
    const ImVec2 text_size = ImGui::CalcTextSize(label.c_str());
    draw->AddText(ImVec2(min.x + h * 1.05f, min.y + (h - text_size.y) * 0.5f), ink, label.c_str());
    ImGui::End();
}

} // namespace buurtstem::ui
