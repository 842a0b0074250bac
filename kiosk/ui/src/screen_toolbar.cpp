// The strip at the top of every resident screen: text size (three steps), contrast, and the speaker.
// It mirrors with the reading direction: at the right edge for left-to-right languages, at the left
// for Arabic. Buttons are the tappable minimum (Px(66)) high.
#include <imgui.h>

#include "buurtstem/consultation/icons.hpp"
#include "screens.hpp"
#include "text_draw.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

float ToolbarHeight() {
    return Px(74);
}

namespace {

// A square toolbar button: `glyph` (a shaped label or an icon) in `font`, filled when selected.
bool ToolbarButton(KioskUiContext& ctx, const char* automation_id, const std::string& glyph, ImFont* font,
                   float pixels, const std::string& label, float width, bool selected) {
    const Palette p = GetPalette(ctx.flags);
    const float h = Px(66); // 88 px per 1080 px of screen: the smallest tappable size (issue rule 1)
    ImGui::PushID(automation_id);
    const bool pressed = ImGui::InvisibleButton("##tool", ImVec2(width, h));
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, selected ? p.primary : p.surface, Px(12));
    draw->AddRect(min, max, selected ? p.selected_outline : p.outline, Px(12), 0, Px(3));
    if (font == nullptr) {
        font = ImGui::GetFont();
    }
    if (pixels <= 0.0f) {
        pixels = font->FontSize;
    }
    const ImVec2 size = font->CalcTextSizeA(pixels, FLT_MAX, 0.0f, glyph.c_str());
    draw->AddText(font, pixels, ImVec2((min.x + max.x - size.x) * 0.5f, (min.y + max.y - size.y) * 0.5f),
                  selected ? p.primary_text : p.text, glyph.c_str());
    // The map (and speech, and assistive tools) get the words, not the glyph.
    RecordItem(ctx, automation_id, label, selected);
    return pressed;
}

} // namespace

void DrawToolbar(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float height = ToolbarHeight();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(Px(40), (height - Px(66)) * 0.5f));
    ImGui::Begin("##toolbar", nullptr, flags);
    ImGui::PopStyleVar();

    const Catalog& t = *ctx.texts;
    const std::string& lang = flow.language();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float size_w = Px(80);
    const float contrast_w = Px(80);
    // [k3-speech] The speaker button ("speak") goes in this slot: reserve its width here and draw it
    // first in the row below (at the outer edge, where a hand finds it without reading).
    const float speaker_w = 0.0f;
    const float row_w = size_w * text::kTextSizeCount + contrast_w + spacing * text::kTextSizeCount +
                        (speaker_w > 0 ? speaker_w + spacing : 0.0f);
    const float content_min = ImGui::GetWindowContentRegionMin().x;
    const float content_max = ImGui::GetWindowContentRegionMax().x;
    ImGui::SetCursorPosX(RightToLeft() ? content_min : content_max - row_w);

    // Text size: "A" in each size's own font, small to large, left to right in every language (the
    // order of sizes is a picture, not text).
    const std::string text_size_label = t.text(lang, "toolbar.text_size");
    for (int i = 0; i < text::kTextSizeCount; ++i) {
        if (i > 0) {
            ImGui::SameLine();
        }
        const std::string id = "textsize." + std::to_string(i);
        const std::string percent =
            std::to_string(static_cast<int>(text::kTextSizeScale[static_cast<size_t>(i)] * 100));
        // The atlas holds only the current size (fonts.cpp): the three A's are drawn from its small font
        // at each size's height; a single letter scaled is a picture, not reading text.
        const float pixels = Px(22) * text::kTextSizeScale[static_cast<size_t>(i)];
        if (ToolbarButton(ctx, id.c_str(), "A", ctx.fonts.small, pixels,
                          text_size_label + ": " + percent + " %", size_w, ctx.text_size == i)) {
            events.push_back({FlowEventType::SetTextSize, std::to_string(i)});
        }
    }
    ImGui::SameLine();
    const bool high = (ctx.flags & KioskDisplayFlags_HighContrast) != 0;
    if (ToolbarButton(ctx, "contrast", Utf8(kIconContrast), nullptr, 0.0f, t.text(lang, "toolbar.contrast"),
                      contrast_w, high)) {
        events.push_back({FlowEventType::ToggleContrast, {}});
    }
    // [k3-speech] end of the speaker slot.
    ImGui::End();
}

} // namespace buurtstem::ui
