// The toolbar on every resident screen: text size (three steps: textsize.0..2), contrast, and the
// speaker (speak, EN 301 549 5.1.3; only where read-aloud is on). On the question screen it joins the top
// row beside "Stoppen" where the width allows (the answers need the height); elsewhere, and on narrow
// portrait screens, it is a strip of its own above the screen. It mirrors with the reading direction:
// at the right edge for left-to-right languages, at the left for Arabic, the speaker at the outer edge.
// Mirrored too: the speaker's icon (at the button's right, its waves pointing left into the button) and
// the order of the text sizes (small at the right: a scale reads in the reading direction). The volunteer
// corner stays at the top left in every language (a volunteer finds it without knowing the language on
// screen), so the Arabic toolbar starts right of it.
// Every button is min_target_px() in both directions; text size makes text larger, not the targets.
//
//   speaker: tap while quiet or paused: read from the top   tap while reading: pause
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "buurtstem/consultation/icons.hpp"
#include "buurtstem/text/appearance.hpp"
#include "screens.hpp"
#include "text_draw.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

constexpr float kPi = 3.14159265f;

// A loudspeaker with sound waves, drawn (no icon font needed) in a box of `h` pixels square at `at`, the
// waves to the right; `mirrored`: to the left (the icon at the end of a right-to-left button).
void DrawSpeakerIcon(ImDrawList* draw, ImVec2 at, float h, ImU32 color, bool waves, bool mirrored) {
    // Horizontal positions are offsets from the box's left edge, flipped about its centre when mirrored.
    const auto x = [&](float offset) { return mirrored ? at.x + h - offset : at.x + offset; };
    const float cy = at.y + h * 0.5f;
    const float o = h * 0.12f;
    draw->AddRectFilled(ImVec2(std::min(x(o), x(o + h * 0.16f)), cy - h * 0.14f),
                        ImVec2(std::max(x(o), x(o + h * 0.16f)), cy + h * 0.14f), color);
    // Clockwise in both directions: ImGui's filled convex shapes are anti-aliased on one winding.
    const ImVec2 tip(x(o + h * 0.1f), cy);
    const ImVec2 top(x(o + h * 0.42f), cy - h * 0.34f);
    const ImVec2 bottom(x(o + h * 0.42f), cy + h * 0.34f);
    if (mirrored) {
        draw->AddTriangleFilled(tip, bottom, top, color);
    } else {
        draw->AddTriangleFilled(tip, top, bottom, color);
    }
    draw->AddRectFilled(ImVec2(std::min(x(o + h * 0.1f), x(o + h * 0.42f)), cy - h * 0.14f),
                        ImVec2(std::max(x(o + h * 0.1f), x(o + h * 0.42f)), cy + h * 0.14f), color);
    if (waves) {
        const float from = mirrored ? kPi - 0.9f : -0.9f;
        for (int i = 1; i <= 2; ++i) {
            draw->PathArcTo(ImVec2(x(o + h * 0.42f), cy), h * (0.14f + 0.14f * static_cast<float>(i)), from,
                            from + 1.8f, 12);
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

std::string SpeakLabel(const KioskUiContext& ctx) {
    return ctx.texts->text(ctx.language, Reading(ctx) ? "speech.pause" : "speech.listen");
}

ImFont* LabelFont(const KioskUiContext& ctx) {
    return ctx.fonts.small != nullptr ? ctx.fonts.small : ImGui::GetFont();
}

// The speaker button: an icon as wide as it is high, then its label (small print: the toolbar must
// not crowd out the question at 200 % text).
ImVec2 SpeakSize(const KioskUiContext& ctx) {
    const float h = min_target_px();
    const std::string_view label = Shaped(SpeakLabel(ctx));
    ImFont* font = LabelFont(ctx);
    const float w =
        font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, label.data(), label.data() + label.size()).x;
    return ImVec2(std::ceil(h * 1.05f + w + Px(24)), h);
}

// How far right of the window's padding the Arabic toolbar starts: clear of the volunteer corner
// (volunteer_corner.cpp: min_target_px() square at the window's top left) by one item spacing.
float CornerClearance() {
    if (!RightToLeft()) {
        return 0.0f;
    }
    return std::max(0.0f,
                    min_target_px() + ImGui::GetStyle().ItemSpacing.x - ImGui::GetStyle().WindowPadding.x);
}

float ToolbarWidth(const KioskUiContext& ctx) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    float w = min_target_px() * (text::kTextSizeCount + 1) + spacing * text::kTextSizeCount;
    if (ctx.speech != SpeechView::Off) {
        w += spacing + SpeakSize(ctx).x;
    }
    return w;
}

// A toolbar button `size` big at the cursor, filled when selected; `draw_face` draws its face.
template <class DrawFace>
bool ToolButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, ImVec2 size,
                bool selected, DrawFace draw_face) {
    const Palette p = GetPalette(ctx.flags);
    ImGui::PushID(automation_id);
    const bool pressed = ImGui::InvisibleButton("##tool", size);
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, selected ? p.primary : p.surface, Px(12));
    draw->AddRect(min, max, selected ? p.primary : p.outline, Px(12), ImDrawFlags_None, Px(3));
    draw_face(draw, min, max, selected ? p.primary_text : p.text);
    // The map (and assistive tools) get the words, not the glyph.
    RecordItem(ctx, automation_id, label, selected);
    return pressed;
}

} // namespace

void PlaceToolbar(const ResidentFlow& flow, KioskUiContext& ctx) {
    ctx.top_bar_height = 0;
    ctx.top_row_reserve = 0;
    bool question_row = flow.screen() == Screen::Question && !flow.is_quick() && !flow.idle_warning_shown() &&
                        !flow.stop_confirmation_shown();
    if (question_row) {
        // ... if the row keeps room for "Stoppen" (Px(200) in screen_question.cpp) and a readable
        // progress bar; on a narrow portrait screen the toolbar takes a strip of its own instead.
        const float row = ImGui::GetMainViewport()->WorkSize.x - 2 * ImGui::GetStyle().WindowPadding.x;
        const float needed =
            CornerClearance() + ToolbarWidth(ctx) + Px(200) + Px(160) + 2 * ImGui::GetStyle().ItemSpacing.x;
        question_row = needed <= row;
    }
    if (question_row) {
        ctx.top_row_reserve = CornerClearance() + ToolbarWidth(ctx) + ImGui::GetStyle().ItemSpacing.x;
    } else {
        ctx.top_bar_height = min_target_px() + Px(16);
    }
}

void DrawToolbar(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const ImVec2 padding = ImGui::GetStyle().WindowPadding;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float h = min_target_px();
    const float width = ToolbarWidth(ctx);
    const bool rtl = RightToLeft();
    // In a strip of its own above the screen, or in the question screen's top row (its window padding).
    const float top = ctx.top_bar_height > 0 ? (ctx.top_bar_height - h) * 0.5f : padding.y;
    const float left = rtl ? padding.x + CornerClearance() : viewport->WorkSize.x - padding.x - width;
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + left, viewport->WorkPos.y + top));
    ImGui::SetNextWindowSize(ImVec2(width, h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin("##toolbar", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar(2);
    const Catalog& t = *ctx.texts;
    const std::string& lang = flow.language();

    const auto speaker = [&] {
        const bool reading = Reading(ctx);
        const std::string label = SpeakLabel(ctx);
        if (ToolButton(
                ctx, "speak", label, SpeakSize(ctx), reading,
                [&](ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 ink) {
                    // Icon then label in the reading direction: right to left, the icon at the right.
                    const float bh = max.y - min.y;
                    const ImVec2 icon_at(rtl ? max.x - bh : min.x, min.y);
                    if (reading) {
                        DrawPauseIcon(draw, icon_at, bh, ink);
                    } else {
                        DrawSpeakerIcon(draw, icon_at, bh, ink, true, rtl);
                    }
                    ImFont* font = LabelFont(ctx);
                    const std::string_view drawn = Shaped(label);
                    const float th = font->FontSize;
                    const float tw =
                        font->CalcTextSizeA(th, FLT_MAX, 0.0f, drawn.data(), drawn.data() + drawn.size()).x;
                    const float tx = rtl ? max.x - bh * 1.05f - tw : min.x + bh * 1.05f;
                    draw->AddText(font, th, ImVec2(tx, min.y + (bh - th) * 0.5f), ink, drawn.data(),
                                  drawn.data() + drawn.size());
                })) {
            ctx.speak_tapped = true;
        }
    };
    const auto contrast = [&] {
        const bool high = (ctx.flags & KioskDisplayFlags_HighContrast) != 0;
        const std::string glyph = Utf8(kIconContrast);
        if (ToolButton(ctx, "contrast", t.text(lang, "toolbar.contrast"), ImVec2(h, h), high,
                       [&](ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 ink) {
                           ImFont* font = ctx.fonts.body != nullptr ? ctx.fonts.body : ImGui::GetFont();
                           const float px = std::round(h * 0.55f);
                           const ImVec2 size = font->CalcTextSizeA(px, FLT_MAX, 0.0f, glyph.c_str());
                           draw->AddText(font, px,
                                         ImVec2(std::floor((min.x + max.x - size.x) * 0.5f),
                                                std::floor((min.y + max.y - size.y) * 0.5f)),
                                         ink, glyph.c_str());
                       })) {
            events.push_back({FlowEventType::ToggleContrast, {}});
        }
    };
    // Text size: "A" at each size, small to large in the reading direction: right to left for Arabic, as
    // a slider is mirrored there. The atlas holds only the current text size, but the three letters at
    // their button sizes besides (fonts.cpp): each is drawn at the size it was baked at, sharp.
    const auto text_sizes = [&] {
        const std::string what = t.text(lang, "toolbar.text_size");
        for (int slot = 0; slot < text::kTextSizeCount; ++slot) {
            if (slot > 0) {
                ImGui::SameLine(0, spacing);
            }
            const int i = rtl ? text::kTextSizeCount - 1 - slot : slot;
            const float scale = text::kTextSizeScale[static_cast<size_t>(i)];
            const std::string id = "textsize." + std::to_string(i);
            const std::string label = what + ": " + std::to_string(static_cast<int>(scale * 100)) + " %";
            if (ToolButton(ctx, id.c_str(), label, ImVec2(h, h), ctx.text_size == i,
                           [&](ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 ink) {
                               const float px = TextSizeLetterPx(ShortSide(), i);
                               ImFont* font = ctx.fonts.size_letters[i] != nullptr ? ctx.fonts.size_letters[i]
                                                                                   : LabelFont(ctx);
                               const ImVec2 size = font->CalcTextSizeA(px, FLT_MAX, 0.0f, "A");
                               draw->AddText(font, px,
                                             ImVec2(std::floor((min.x + max.x - size.x) * 0.5f),
                                                    std::floor((min.y + max.y - size.y) * 0.5f)),
                                             ink, "A");
                           })) {
                events.push_back({FlowEventType::SetTextSize, std::to_string(i)});
            }
        }
    };
    // The speaker at the outer edge, where a hand finds it without reading.
    const bool with_speaker = ctx.speech != SpeechView::Off;
    if (rtl) {
        if (with_speaker) {
            speaker();
            ImGui::SameLine(0, spacing);
        }
        contrast();
        ImGui::SameLine(0, spacing);
        text_sizes();
    } else {
        text_sizes();
        ImGui::SameLine(0, spacing);
        contrast();
        if (with_speaker) {
            ImGui::SameLine(0, spacing);
            speaker();
        }
    }
    ImGui::End();
}

} // namespace buurtstem::ui
