#include "widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/ui/automation.hpp"
#include "text_draw.hpp"
#include "theme.hpp"

namespace buurtstem::ui {

float Px(float design_pixels) {
    return std::round(design_pixels * ImGui::GetMainViewport()->Size.y / 800.0f);
}

void BeginScreen(const char* name, KioskUiContext& ctx, const std::string& automation_screen) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    // Below the toolbar strip (screen_toolbar.cpp), which is drawn over every screen.
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x, viewport->WorkPos.y + ctx.toolbar_height));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, viewport->WorkSize.y - ctx.toolbar_height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    // With the toolbar above, the screen's own top margin would only add to the toolbar's: keep the
    // vertical padding small so the question's content keeps the room it had before the toolbar.
    const bool below_toolbar = ctx.toolbar_height > 0.0f;
    if (below_toolbar) {
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().WindowPadding.x, Px(12)));
    }
    ImGui::Begin(name, nullptr, flags);
    if (below_toolbar) {
        ImGui::PopStyleVar();
    }
    if (ctx.automation != nullptr) {
        ctx.automation->begin_frame(automation_screen);
    }
}

void EndScreen(KioskUiContext&) {
    // The automation frame ends after the toolbar (DrawKiosk), so its items are in the same map.
    ImGui::End();
}

void RecordItem(KioskUiContext& ctx, const char* automation_id, const std::string& label, bool selected) {
    if (ctx.automation == nullptr) {
        return;
    }
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    // Items scrolled (partly) out of view cannot be tapped safely: a tap at their centre might land on
    // whatever is drawn over the hidden part. Leave them out of the map.
    const ImRect clip = ImGui::GetCurrentWindow()->ClipRect;
    if (min.y < clip.Min.y - 0.5f || max.y > clip.Max.y + 0.5f) {
        return;
    }
    ctx.automation->add({automation_id, label, min.x, min.y, max.x - min.x, max.y - min.y, selected});
}

void WrappedText(const std::string& text, ImFont* font, ImU32 color) {
    // Through the text pipeline (text_draw.hpp): wrapped at spaces, shaped, in the reading direction.
    Paragraph(text, font, color != 0 ? color : ImGui::GetColorU32(ImGuiCol_Text));
}

bool BigButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, ImVec2 size,
               ButtonFlags flags) {
    const Palette p = GetPalette(ctx.flags);
    const bool quiet = (flags & ButtonFlags_Quiet) != 0;
    const bool disabled = (flags & ButtonFlags_Disabled) != 0;
    ImGui::PushID(automation_id);
    ImGui::PushStyleColor(ImGuiCol_Button, quiet ? p.surface : p.primary);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, quiet ? p.surface : p.primary);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, p.selected_fill);
    ImGui::PushStyleColor(ImGuiCol_Text, quiet ? p.text : p.primary_text);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, quiet ? Px(3) : 0.0f);
    if (disabled) {
        ImGui::BeginDisabled();
    }
    const bool pressed = ImGui::Button(ShapeLabel(label).c_str(), size); // shaped, in visual order
    if (disabled) {
        ImGui::EndDisabled();
    }
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
    ImGui::PopID();
    if (!disabled) {
        RecordItem(ctx, automation_id, label, (flags & ButtonFlags_Selected) != 0);
    }
    return pressed && !disabled;
}

bool ChoiceButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, float width,
                  bool selected, const std::string& icon) {
    const Palette p = GetPalette(ctx.flags);
    ImFont* font = ImGui::GetFont();
    const float font_size = ImGui::GetFontSize();
    const float pad = Px(20);
    const float mark = Px(30);
    // A pictogram (icon-font glyph) sits between the mark and the label, drawn from the title font (the
    // icons are baked into it at its size: crisp, not scaled).
    ImFont* icon_font = ctx.fonts.title != nullptr ? ctx.fonts.title : font;
    const float glyph_size = icon_font->FontSize;
    const float icon_w = icon.empty() ? 0.0f : glyph_size + pad;
    const float text_width = width - pad * 3 - mark - icon_w;
    const auto& lines = LayoutLines(label, font, font_size, text_width);
    const ImVec2 text_size = LinesSize(lines, font, font_size);
    const float height = std::max(Px(76), text_size.y + pad * 2);

    ImGui::PushID(automation_id);
    const bool pressed = ImGui::InvisibleButton("##choice", ImVec2(width, height));
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float rounding = Px(14);
    draw->AddRectFilled(min, max, selected ? p.selected_fill : p.surface, rounding);
    draw->AddRect(min, max, selected ? p.selected_outline : p.outline, rounding, 0, selected ? Px(5) : Px(2));
    // Right to left mirrors the card: mark at the right edge, then the pictogram, text aligned right.
    const bool rtl = RightToLeft();
    const float mark_x = rtl ? max.x - pad - mark * 0.5f : min.x + pad + mark * 0.5f;
    const ImVec2 centre(mark_x, (min.y + max.y) * 0.5f);
    draw->AddCircle(centre, mark * 0.5f, p.text, 32, Px(3));
    if (selected) {
        draw->AddCircleFilled(centre, mark * 0.28f, p.selected_outline, 32);
    }
    if (!icon.empty()) {
        const float icon_x = rtl ? max.x - pad * 2 - mark - glyph_size : min.x + pad * 2 + mark;
        const ImVec2 glyph = icon_font->CalcTextSizeA(glyph_size, FLT_MAX, 0.0f, icon.c_str());
        draw->AddText(icon_font, glyph_size,
                      ImVec2(icon_x + (glyph_size - glyph.x) * 0.5f, (min.y + max.y - glyph.y) * 0.5f),
                      p.text, icon.c_str());
    }
    const float text_x = rtl ? min.x + pad : min.x + pad * 2 + mark + icon_w;
    DrawLines(draw, font, font_size, ImVec2(text_x, (min.y + max.y - text_size.y) * 0.5f), text_width, lines,
              p.text, TextAlign_Start);
    RecordItem(ctx, automation_id, label, selected);
    return pressed;
}

namespace {

void DrawFace(ImDrawList* draw, ImVec2 centre, float radius, int point, ImU32 outline) {
    // Colour supports the face but never carries the meaning alone: the mouth does.
    static const ImU32 fills[kSmileyPoints] = {IM_COL32(229, 115, 115, 255), IM_COL32(240, 160, 100, 255),
                                               IM_COL32(245, 208, 98, 255), IM_COL32(165, 214, 120, 255),
                                               IM_COL32(102, 187, 106, 255)};
    const ImU32 ink = IM_COL32(30, 30, 30, 255);
    draw->AddCircleFilled(centre, radius, fills[point - 1], 48);
    draw->AddCircle(centre, radius, outline, 48, radius * 0.06f);
    const float eye_dx = radius * 0.35f;
    const float eye_y = centre.y - radius * 0.25f;
    draw->AddCircleFilled(ImVec2(centre.x - eye_dx, eye_y), radius * 0.1f, ink, 16);
    draw->AddCircleFilled(ImVec2(centre.x + eye_dx, eye_y), radius * 0.1f, ink, 16);
    // Mouth: a curve from frown (point 1) through flat (3) to a broad smile (5).
    const float curve = (static_cast<float>(point) - 3.0f) / 2.0f;
    const float mouth_y = centre.y + radius * 0.38f - curve * radius * 0.08f;
    const float half = radius * 0.45f;
    const ImVec2 left(centre.x - half, mouth_y);
    const ImVec2 right(centre.x + half, mouth_y);
    const float bend = curve * radius * 0.35f;
    draw->AddBezierCubic(left, ImVec2(left.x + half * 0.5f, mouth_y + bend),
                         ImVec2(right.x - half * 0.5f, mouth_y + bend), right, ink, radius * 0.09f, 24);
}

} // namespace

bool SmileyButton(KioskUiContext& ctx, const char* automation_id, int point, const std::string& label,
                  ImVec2 size, bool selected) {
    const Palette p = GetPalette(ctx.flags);
    ImGui::PushID(automation_id);
    const bool pressed = ImGui::InvisibleButton("##smiley", size);
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float rounding = Px(14);
    if (selected) {
        draw->AddRectFilled(min, max, p.selected_fill, rounding);
        draw->AddRect(min, max, p.selected_outline, rounding, 0, Px(5));
    }
    ImFont* font = ImGui::GetFont();
    const float font_size = ImGui::GetFontSize();
    const float label_width = size.x - Px(12);
    const auto& label_lines = LayoutLines(label, font, font_size, label_width);
    const ImVec2 label_size = LinesSize(label_lines, font, font_size);
    const float radius = std::min(size.x * 0.36f, (size.y - label_size.y - Px(40)) * 0.5f);
    const ImVec2 centre((min.x + max.x) * 0.5f, min.y + Px(16) + radius);
    DrawFace(draw, centre, radius, point, selected ? p.selected_outline : p.outline);
    // Centre each wrapped line under the face (wrapped at spaces and shaped: text_draw.hpp).
    DrawLines(draw, font, font_size,
              ImVec2(min.x + (size.x - label_width) * 0.5f, centre.y + radius + Px(14)), label_width,
              label_lines, p.text, TextAlign_Center);
    RecordItem(ctx, automation_id, label, selected);
    return pressed;
}

namespace {

// Upper case for the letters on the keyboard (ASCII and the Dutch accented ones shown).
std::string to_upper(const std::string& key) {
    if (key == "é") {
        return "É";
    }
    if (key == "ë") {
        return "Ë";
    }
    if (key == "ï") {
        return "Ï";
    }
    if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z') {
        return std::string(1, static_cast<char>(key[0] - 'a' + 'A'));
    }
    return key;
}

void erase_last_code_point(std::string& text) {
    while (!text.empty()) {
        const bool continuation = (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80;
        text.pop_back();
        if (!continuation) {
            break;
        }
    }
}

} // namespace

bool OnScreenKeyboard(KioskUiContext& ctx, std::string& text, int max_length, bool& shift) {
    static const std::vector<std::string> digits = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};
    static const std::vector<std::vector<std::string>> rows = {
        {"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
        {"a", "s", "d", "f", "g", "h", "j", "k", "l", "é"},
        {"z", "x", "c", "v", "b", "n", "m", ",", ".", "?"},
    };
    static const std::vector<std::string> extra = {"ë", "ï", "'", "-", "!"};
    const float spacing = std::floor(ImGui::GetStyle().ItemSpacing.x * 0.5f);
    const float width = ImGui::GetContentRegionAvail().x;
    const float key_w = std::floor((width - spacing * 9) / 10);
    const float key_h = Px(50);
    const float row_h = key_h + spacing;
    // Digits get a row only where the screen has room for it (portrait tablets); on a landscape
    // screen the letters and the navigation bar must fit without scrolling.
    const bool with_digits = ImGui::GetContentRegionAvail().y >= row_h * 5;
    const bool full = utf8_length(text) >= static_cast<size_t>(max_length);
    const ButtonFlags letter_flags = full ? ButtonFlags_Disabled : ButtonFlags_Quiet;
    std::string typed;

    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, spacing));
    std::vector<std::vector<std::string>> shown_rows;
    if (with_digits) {
        shown_rows.push_back(digits);
    }
    shown_rows.insert(shown_rows.end(), rows.begin(), rows.end());
    for (const auto& row : shown_rows) {
        for (size_t i = 0; i < row.size(); ++i) {
            if (i > 0) {
                ImGui::SameLine();
            }
            const std::string id = "key." + row[i];
            const std::string key = shift ? to_upper(row[i]) : row[i];
            if (BigButton(ctx, id.c_str(), key, ImVec2(key_w, key_h), letter_flags)) {
                typed = key;
            }
        }
    }
    // Bottom row, ten key widths in all: capitals and erase two keys wide each, the five extra
    // characters half a key each, and space takes what is left.
    const float wide = key_w * 2 + spacing;
    if (BigButton(ctx, "key.shift", ctx.texts->text(ctx.language, "text.shift"), ImVec2(wide, key_h),
                  shift ? ButtonFlags_Primary : ButtonFlags_Quiet)) {
        shift = !shift;
    }
    for (const std::string& key : extra) {
        ImGui::SameLine();
        const std::string id = "key." + key;
        const std::string shown = shift ? to_upper(key) : key;
        if (BigButton(ctx, id.c_str(), shown, ImVec2(key_w * 0.5f - spacing * 0.5f, key_h), letter_flags)) {
            typed = shown;
        }
    }
    ImGui::SameLine();
    const float erase_w = wide;
    const float space_w = ImGui::GetContentRegionAvail().x - erase_w - spacing;
    if (BigButton(ctx, "key.space", ctx.texts->text(ctx.language, "text.space"), ImVec2(space_w, key_h),
                  letter_flags)) {
        typed = " ";
    }
    ImGui::SameLine();
    bool changed = false;
    if (BigButton(ctx, "key.erase", ctx.texts->text(ctx.language, "text.erase"), ImVec2(erase_w, key_h),
                  text.empty() ? ButtonFlags_Disabled : ButtonFlags_Quiet)) {
        erase_last_code_point(text);
        changed = true;
    }
    ImGui::PopStyleVar();
    if (!typed.empty() && !full) {
        text += typed;
        if (typed != " ") {
            shift = false;
        }
        changed = true;
    }
    return changed;
}

} // namespace buurtstem::ui
