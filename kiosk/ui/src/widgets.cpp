#include "widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/consultation/icons.hpp"
#include "buurtstem/text/appearance.hpp"
#include "buurtstem/ui/automation.hpp"
#include "buurtstem/ui/keyboard_layout.hpp"
#include "buurtstem/ui/text_wrap.hpp"
#include "pictogram_texture.hpp"
#include "text_draw.hpp"
#include "theme.hpp"

namespace buurtstem::ui {

//-----------------------------------------------------------------------------
// [SECTION] Sizes
//-----------------------------------------------------------------------------

float ShortSide() {
    const ImVec2 size = ImGui::GetMainViewport()->Size;
    return std::min(size.x, size.y);
}

float Px(float design_pixels) {
    return std::round(design_pixels * ShortSide() / 800.0f);
}

float min_target_px() {
    return MinTargetPx(ShortSide());
}

float MinTargetPx(float short_side) {
    // Rounded up: 65.2 px at 800 must not become 65.
    return std::ceil(88.0f * short_side / 1080.0f);
}

float TextSizeLetterPx(float short_side, int text_size) {
    return std::round(MinTargetPx(short_side) * 0.3f * text::kTextSizeScale[static_cast<size_t>(text_size)]);
}

namespace {

// The height of the scroll region being drawn (0 outside one): layout decisions inside it compare
// with the region's whole height, which does not change while it scrolls.
float g_region_height = 0.0f;
// The top (in content coordinates) of the first item in the region that is not wholly in view below:
// where "more below" scrolls to, so that item comes into view whole (a fixed page step could leave a tall
// card straddling the edge at every step).
float g_region_next_top = -1.0f;

float AvailHeight() {
    if (g_region_height > 0.0f) {
        return g_region_height - ImGui::GetCursorPosY();
    }
    return ImGui::GetContentRegionAvail().y;
}

ImU32 Fade(ImU32 colour, float alpha) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
    c.w *= alpha;
    return ImGui::ColorConvertFloat4ToU32(c);
}

// A label wrapped at spaces, at a font size small enough that its widest word fits the width.
struct FittedLabel {
    float size = 0;
    WrapResult wrap;
    float height() const { return size * static_cast<float>(wrap.lines.size()); }
};

// The drawn width of a piece of LOGICAL text: measured in its shaped, visual form (text_draw.hpp), so
// the wrapping, which works in logical order, never makes an Arabic line wider than its box.
auto Measure(ImFont* font, float size) {
    return [font, size](std::string_view text) {
        const std::string_view drawn = Shaped(text);
        return font->CalcTextSizeA(size, FLT_MAX, 0.0f, drawn.data(), drawn.data() + drawn.size()).x;
    };
}

FittedLabel FitLabel(const std::string& text, float width, ImFont* font = nullptr, float size = 0) {
    if (font == nullptr) {
        font = ImGui::GetFont();
        size = ImGui::GetFontSize();
    }
    width = std::max(width, 1.0f);
    FittedLabel fitted;
    fitted.size = size;
    // A word that does not fit is drawn smaller (to half size at most) rather than split: "Verzekering"
    // in a narrow column stays one word.
    const float widest = widest_word(text, Measure(font, size));
    if (widest > width) {
        fitted.size = std::max(size * 0.5f, std::floor(size * width / widest));
    }
    fitted.wrap = wrap_at_spaces(text, width, Measure(font, fitted.size));
    return fitted;
}

// Draws the lines of `fitted` in the box [left, left + width) from `top`: each line shaped and in visual
// order, centred, or aligned to the reading direction's start (the right edge for Arabic).
void DrawLabel(ImDrawList* draw, const std::string& text, const FittedLabel& fitted, float left, float width,
               float top, ImU32 colour, bool centred) {
    ImFont* font = ImGui::GetFont();
    const bool rtl = RightToLeft();
    float y = top;
    for (const WrappedLine& line : fitted.wrap.lines) {
        const std::string_view drawn =
            Shaped(std::string_view(text).substr(line.begin, line.end - line.begin));
        const char* begin = drawn.data();
        const char* end = drawn.data() + drawn.size();
        float x = left;
        if (centred || rtl) {
            const float w = font->CalcTextSizeA(fitted.size, FLT_MAX, 0.0f, begin, end).x;
            x = centred ? left + std::floor((width - w) * 0.5f) : left + width - w;
        }
        draw->AddText(font, fitted.size, ImVec2(x, y), colour, begin, end);
        y += fitted.size;
    }
}

LabelLayout LayoutOf(const FittedLabel& fitted) {
    return {static_cast<int>(fitted.wrap.lines.size()), fitted.wrap.broke_word};
}

} // namespace

float LabelPadding() {
    return std::round(ImGui::GetFontSize() * 0.5f);
}

float WrappedTextHeight(const std::string& text, float width) {
    return FitLabel(text, width).height();
}

float WidestWord(const std::string& text) {
    return widest_word(text, Measure(ImGui::GetFont(), ImGui::GetFontSize()));
}

float TextWidth(const std::string& text) {
    return Measure(ImGui::GetFont(), ImGui::GetFontSize())(text);
}

//-----------------------------------------------------------------------------
// [SECTION] Screen and map
//-----------------------------------------------------------------------------

void BeginScreen(const char* name, KioskUiContext& ctx, const std::string& automation_screen) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x, viewport->WorkPos.y + ctx.top_bar_height));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, viewport->WorkSize.y - ctx.top_bar_height));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin(name, nullptr, flags);
    if (ctx.automation != nullptr) {
        ctx.automation->begin_frame(automation_screen);
    }
}

void EndScreen(KioskUiContext&) {
    // The map is composed and written by the app once the frame is on screen (end_frame, publish), so a test
    // that sees a screen named in the map never photographs an older or an empty frame.
    ImGui::End();
}

void RecordItem(KioskUiContext& ctx, const char* automation_id, const std::string& label, bool selected,
                LabelLayout layout, ImageRect image) {
    if (ctx.automation == nullptr) {
        return;
    }
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    // Items scrolled (partly) out of view cannot be tapped safely: a tap at their centre might land on
    // whatever is drawn over the hidden part. Leave them out of the map.
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImRect clip = window->ClipRect;
    if (g_region_height > 0.0f && max.y > clip.Max.y + 1.0f) {
        const float top = min.y - window->Pos.y + window->Scroll.y;
        if (g_region_next_top < 0.0f || top < g_region_next_top) {
            g_region_next_top = top;
        }
    }
    if (min.y < clip.Min.y - 1.0f || max.y > clip.Max.y + 1.0f) {
        return;
    }
    AutomationItem item{automation_id, label, min.x, min.y, max.x - min.x, max.y - min.y, selected};
    item.lines = layout.lines;
    item.broke_word = layout.broke_word;
    if (image.w > 0.0f) {
        item.image = true;
        item.image_x = image.x;
        item.image_y = image.y;
        item.image_w = image.w;
        item.image_h = image.h;
    }
    ctx.automation->add(std::move(item));
}

void WrappedText(const std::string& text, ImFont* font, ImU32 color, float width) {
    if (font != nullptr) {
        ImGui::PushFont(font);
    }
    if (width <= 0.0f) {
        width = ImGui::GetContentRegionAvail().x;
    }
    const FittedLabel fitted = FitLabel(text, width);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, fitted.height()));
    DrawLabel(ImGui::GetWindowDrawList(), text, fitted, at.x, width, at.y,
              color != 0 ? color : ImGui::GetColorU32(ImGuiCol_Text), false);
    if (font != nullptr) {
        ImGui::PopFont();
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Buttons and answer cards
//-----------------------------------------------------------------------------

float ButtonHeight(const std::string& label, float width) {
    const float pad = LabelPadding();
    const float pad_x = std::min(pad, std::floor(width * 0.12f)); // as BigButton
    return std::max(min_target_px(), std::ceil(WrappedTextHeight(label, width - pad_x * 2) + pad * 2));
}

float ButtonNaturalWidth(const std::string& label) {
    return std::max(min_target_px(), std::ceil(TextWidth(label) + LabelPadding() * 4));
}

bool BigButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, ImVec2 size,
               ButtonFlags flags) {
    const Palette p = GetPalette(ctx.flags);
    const bool quiet = (flags & ButtonFlags_Quiet) != 0;
    const bool disabled = (flags & ButtonFlags_Disabled) != 0;
    const float target = min_target_px();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float width = std::max(target, size.x > 0.0f ? size.x : avail + (size.x < 0.0f ? size.x : 0.0f));
    const bool arrows = (flags & (ButtonFlags_ArrowDown | ButtonFlags_ArrowUp)) != 0;
    const float arrow = arrows ? std::round(ImGui::GetFontSize() * 0.9f) : 0.0f;
    const float pad = LabelPadding();
    // With arrows, the label keeps clear of them: an arrow and a pad at each end. A narrow button (a key
    // at large text) keeps most of its width for the label.
    const float pad_x = std::min(pad, std::floor(width * 0.12f)) + (arrows ? arrow + pad : 0.0f);
    const FittedLabel fitted = FitLabel(label, width - pad_x * 2);
    const float height = std::max({size.y, target, std::ceil(fitted.height() + pad * 2)});

    ImGui::PushID(automation_id);
    if (disabled) {
        ImGui::BeginDisabled();
    }
    const bool pressed = ImGui::InvisibleButton("##button", ImVec2(width, height));
    if (disabled) {
        ImGui::EndDisabled();
    }
    ImGui::PopID();
    const bool held = ImGui::IsItemActive();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    const float alpha = disabled ? 0.4f : 1.0f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float rounding = Px(14);
    ImU32 fill = quiet ? p.surface : p.primary;
    ImU32 ink = quiet ? p.text : p.primary_text;
    if (held) {
        fill = p.selected_fill;
        ink = p.text;
    }
    draw->AddRectFilled(min, max, Fade(fill, alpha), rounding);
    if (quiet) {
        draw->AddRect(min, max, Fade(p.outline, alpha), rounding, 0, Px(3));
    }
    DrawLabel(draw, label, fitted, min.x + pad_x, width - pad_x * 2, (min.y + max.y - fitted.height()) * 0.5f,
              Fade(ink, alpha), true);
    if (arrows) {
        const float half = arrow * 0.5f;
        const float dir = (flags & ButtonFlags_ArrowDown) != 0 ? 1.0f : -1.0f;
        const float cy = (min.y + max.y) * 0.5f;
        for (const float cx : {min.x + pad + half, max.x - pad - half}) {
            draw->AddTriangleFilled(ImVec2(cx - half, cy - dir * half * 0.6f),
                                    ImVec2(cx + half, cy - dir * half * 0.6f),
                                    ImVec2(cx, cy + dir * half * 0.6f), Fade(ink, alpha));
        }
    }
    if (!disabled) {
        RecordItem(ctx, automation_id, label, (flags & ButtonFlags_Selected) != 0, LayoutOf(fitted));
    }
    return pressed && !disabled;
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

// The mark at the start of a card: a radio circle (face_point 0) or a smiley face.
float CardMarkSize(int face_point) {
    const float font = ImGui::GetFontSize();
    return face_point == 0 ? std::round(font) : std::round(std::max(font * 1.6f, min_target_px() * 0.8f));
}

// A pictogram between the mark and the label: a square 1.4 font sizes wide (the title font's size, in
// which the icon font is baked: crisp, not scaled).
float CardIconSize(bool has_icon) {
    return has_icon ? std::round(ImGui::GetFontSize() * 1.4f) : 0.0f;
}

float CardTextWidth(float width, int face_point, bool has_icon) {
    const float icon = CardIconSize(has_icon);
    return width - LabelPadding() * 3 - CardMarkSize(face_point) - (has_icon ? icon + LabelPadding() : 0.0f);
}

float CardHeight(const std::string& label, float width, int face_point, bool has_icon) {
    const float pad = LabelPadding();
    return std::max(
        {min_target_px(),
         std::ceil(WrappedTextHeight(label, CardTextWidth(width, face_point, has_icon)) + pad * 2),
         CardMarkSize(face_point) + pad, CardIconSize(has_icon) + pad});
}

// An answer card `width` wide and at least `min_height` high: mark, pictogram (`image`: an image under
// ctx.assets; else `icon`: UTF-8 of an icon-font glyph; or neither), then the label wrapped at spaces.
// Right to left the card is mirrored: mark at the right edge, the label aligned right. The pictogram is
// not mirrored: it shows a thing, not a direction.
bool Card(KioskUiContext& ctx, const char* automation_id, const std::string& label, float width,
          float min_height, bool selected, int face_point, const std::string& icon = {},
          const std::string& image = {}) {
    const Palette p = GetPalette(ctx.flags);
    const float pad = LabelPadding();
    const bool has_icon = !icon.empty() || !image.empty();
    const float mark = CardMarkSize(face_point);
    const float icon_size = CardIconSize(has_icon);
    const float text_width = CardTextWidth(width, face_point, has_icon);
    const FittedLabel fitted = FitLabel(label, text_width);
    const float height = std::max(
        {min_height, min_target_px(), std::ceil(fitted.height() + pad * 2), mark + pad, icon_size + pad});

    ImGui::PushID(automation_id);
    const bool pressed = ImGui::InvisibleButton("##card", ImVec2(width, height));
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float rounding = Px(14);
    draw->AddRectFilled(min, max, selected ? p.selected_fill : p.surface, rounding);
    draw->AddRect(min, max, selected ? p.selected_outline : p.outline, rounding, 0, selected ? Px(5) : Px(2));
    const bool rtl = RightToLeft();
    const ImVec2 centre(rtl ? max.x - pad - mark * 0.5f : min.x + pad + mark * 0.5f, (min.y + max.y) * 0.5f);
    if (face_point == 0) {
        draw->AddCircle(centre, mark * 0.5f, p.text, 32, Px(3));
        if (selected) {
            draw->AddCircleFilled(centre, mark * 0.28f, p.selected_outline, 32);
        }
    } else {
        DrawFace(draw, centre, mark * 0.5f, face_point, selected ? p.selected_outline : p.outline);
    }
    const float box_x = rtl ? max.x - pad * 2 - mark - icon_size : min.x + pad * 2 + mark;
    // The image wins over the glyph: a council that made a picture for this option meant it. The glyph
    // stays the fallback for an image the kiosk could not load (the file went after loading).
    const PictogramTexture texture =
        image.empty() ? PictogramTexture{} : GetPictogramTexture(ctx.assets, image);
    ImageRect drawn_image;
    if (texture) {
        // Fitted into the icon's square, its proportions kept, centred.
        const float scale = icon_size / static_cast<float>(std::max(texture.width, texture.height));
        const float w = std::round(static_cast<float>(texture.width) * scale);
        const float h = std::round(static_cast<float>(texture.height) * scale);
        const ImVec2 at(std::floor(box_x + (icon_size - w) * 0.5f), std::floor((min.y + max.y - h) * 0.5f));
        draw->AddImage(texture.id, at, ImVec2(at.x + w, at.y + h));
        drawn_image = {at.x, at.y, w, h};
    } else if (!icon.empty()) {
        ImFont* icon_font = ctx.fonts.title != nullptr ? ctx.fonts.title : ImGui::GetFont();
        const float glyph_px = icon_size;
        const ImVec2 glyph = icon_font->CalcTextSizeA(glyph_px, FLT_MAX, 0.0f, icon.c_str());
        draw->AddText(icon_font, glyph_px,
                      ImVec2(std::floor(box_x + (icon_size - glyph.x) * 0.5f),
                             std::floor((min.y + max.y - glyph.y) * 0.5f)),
                      p.text, icon.c_str());
    }
    const float text_left = rtl ? min.x + pad : max.x - pad - text_width;
    DrawLabel(draw, label, fitted, text_left, text_width, (min.y + max.y - fitted.height()) * 0.5f, p.text,
              false);
    RecordItem(ctx, automation_id, label, selected, LayoutOf(fitted), drawn_image);
    return pressed;
}

} // namespace

std::string OptionIcon(const std::string& name) {
    const std::optional<char32_t> code_point = icon_code_point(name);
    return code_point ? Utf8(*code_point) : std::string();
}

float ChoiceButtonHeight(const std::string& label, float width, bool has_icon) {
    return CardHeight(label, width, 0, has_icon);
}

bool ChoiceButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, float width,
                  bool selected, const std::string& icon, const std::string& image) {
    return Card(ctx, automation_id, label, width, 0.0f, selected, 0, icon, image);
}

namespace {

float SmileyLabelWidth(float width) {
    return width - Px(12);
}

float SmileyFaceRadius(float width) {
    return std::round(std::min(width * 0.36f, Px(75)));
}

float SmileyButtonHeight(const std::vector<std::string>& labels, float width) {
    float label_h = 0.0f;
    for (const std::string& label : labels) {
        label_h = std::max(label_h, WrappedTextHeight(label, SmileyLabelWidth(width)));
    }
    return std::ceil(Px(16) + SmileyFaceRadius(width) * 2 + Px(14) + label_h + Px(16));
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
    const float radius = SmileyFaceRadius(size.x);
    const ImVec2 centre((min.x + max.x) * 0.5f, min.y + Px(16) + radius);
    DrawFace(draw, centre, radius, point, selected ? p.selected_outline : p.outline);
    const float label_width = SmileyLabelWidth(size.x);
    const FittedLabel fitted = FitLabel(label, label_width);
    DrawLabel(draw, label, fitted, centre.x - label_width * 0.5f, label_width, centre.y + radius + Px(14),
              p.text, true);
    RecordItem(ctx, automation_id, label, selected, LayoutOf(fitted));
    return pressed;
}

//-----------------------------------------------------------------------------
// [SECTION] Layout helpers
//-----------------------------------------------------------------------------

namespace {

struct RowsGeometry {
    float width = 0;
    float height = 0; // of one button
    size_t per_row = 1;
    size_t rows = 0;
};

RowsGeometry MeasureButtonRows(const std::vector<ButtonSpec>& buttons) {
    RowsGeometry g;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    for (const ButtonSpec& b : buttons) {
        g.width = std::max(g.width, ButtonNaturalWidth(b.label));
    }
    g.width = std::min(std::max(g.width, Px(260)), avail);
    g.per_row = std::max<size_t>(1, static_cast<size_t>(std::floor((avail + spacing) / (g.width + spacing))));
    g.rows = (buttons.size() + g.per_row - 1) / g.per_row;
    for (const ButtonSpec& b : buttons) {
        g.height = std::max(g.height, ButtonHeight(b.label, g.width));
    }
    return g;
}

} // namespace

float ButtonRowsHeight(const std::vector<ButtonSpec>& buttons) {
    const RowsGeometry g = MeasureButtonRows(buttons);
    return static_cast<float>(g.rows) * g.height +
           static_cast<float>(g.rows > 0 ? g.rows - 1 : 0) * ImGui::GetStyle().ItemSpacing.y;
}

int ButtonRows(KioskUiContext& ctx, const std::vector<ButtonSpec>& buttons, bool centred) {
    if (buttons.empty()) {
        return -1;
    }
    const RowsGeometry g = MeasureButtonRows(buttons);
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float origin_x = ImGui::GetCursorPosX();
    int tapped = -1;
    for (size_t i = 0; i < buttons.size(); ++i) {
        const size_t column = i % g.per_row;
        if (RightToLeft()) {
            // Mirrored: the first button of each row at the right edge (or right of centre), the next to
            // its left.
            const size_t in_row = std::min(g.per_row, buttons.size() - (i - column));
            const float row_w =
                static_cast<float>(in_row) * g.width + static_cast<float>(in_row - 1) * spacing;
            const float right = origin_x + avail - (centred ? std::floor((avail - row_w) * 0.5f) : 0.0f);
            if (column > 0) {
                ImGui::SameLine();
            }
            ImGui::SetCursorPosX(right - static_cast<float>(column + 1) * g.width -
                                 static_cast<float>(column) * spacing);
        } else if (column == 0 && centred) {
            const size_t in_row = std::min(g.per_row, buttons.size() - i);
            const float row_w =
                static_cast<float>(in_row) * g.width + static_cast<float>(in_row - 1) * spacing;
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::floor((avail - row_w) * 0.5f));
        } else if (column > 0) {
            ImGui::SameLine();
        }
        const ScopedTextDirection direction(
            buttons[i].language.empty() ? TextDirection() : text::direction_of(buttons[i].language));
        if (BigButton(ctx, buttons[i].id.c_str(), buttons[i].label, ImVec2(g.width, g.height),
                      buttons[i].flags)) {
            tapped = static_cast<int>(i);
        }
    }
    return tapped;
}

int ChoiceList(KioskUiContext& ctx, const std::vector<ChoiceSpec>& choices) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = AvailHeight();
    const size_t n = choices.size();
    float one_column = 0.0f;
    for (const ChoiceSpec& c : choices) {
        one_column += ChoiceButtonHeight(c.label, avail_w, c.has_pictogram()) + style.ItemSpacing.y;
    }
    // Two columns only when one does not fit, and only without splitting or shrinking a word.
    const float half = std::floor((avail_w - style.ItemSpacing.x) * 0.5f);
    bool two_columns = false;
    std::vector<float> row_heights;
    if (n > 2 && one_column > avail_h && half >= min_target_px()) {
        bool words_fit = true;
        for (const ChoiceSpec& c : choices) {
            words_fit = words_fit && WidestWord(c.label) <= CardTextWidth(half, 0, c.has_pictogram());
        }
        float two = 0.0f;
        for (size_t i = 0; i < n; i += 2) {
            float h = ChoiceButtonHeight(choices[i].label, half, choices[i].has_pictogram());
            if (i + 1 < n) {
                h = std::max(h,
                             ChoiceButtonHeight(choices[i + 1].label, half, choices[i + 1].has_pictogram()));
            }
            row_heights.push_back(h);
            two += h + style.ItemSpacing.y;
        }
        two_columns = words_fit && two < one_column;
    }
    const float row_left = ImGui::GetCursorPosX();
    int tapped = -1;
    for (size_t i = 0; i < n; ++i) {
        const ChoiceSpec& c = choices[i];
        bool pressed = false;
        if (two_columns) {
            if (i % 2 == 1) {
                ImGui::SameLine();
            }
            if (RightToLeft()) {
                // The first of each pair stands at the right.
                ImGui::SetCursorPosX(i % 2 == 0 ? row_left + avail_w - half : row_left);
            }
            pressed =
                Card(ctx, c.id.c_str(), c.label, half, row_heights[i / 2], c.selected, 0, c.icon, c.image);
        } else {
            pressed = Card(ctx, c.id.c_str(), c.label, avail_w, 0.0f, c.selected, 0, c.icon, c.image);
        }
        if (pressed) {
            tapped = static_cast<int>(i);
        }
    }
    return tapped;
}

int SmileyScale(KioskUiContext& ctx, const std::vector<std::string>& labels, int answer) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float points = static_cast<float>(labels.size());
    const float width = std::floor((avail_w - spacing * (points - 1.0f)) / points);
    // Side by side only when every label's words fit under its face and the row fits the height left.
    bool in_a_row = width >= min_target_px();
    for (const std::string& label : labels) {
        in_a_row = in_a_row && WidestWord(label) <= SmileyLabelWidth(width);
    }
    const float row_h = std::max(min_target_px(), SmileyButtonHeight(labels, width));
    in_a_row = in_a_row && row_h <= AvailHeight();
    int tapped = 0;
    const float row_left = ImGui::GetCursorPosX();
    // A scale reads in the reading direction: right to left, point 1 (the unhappy end) stands at the right,
    // where an Arabic reader starts (as browsers mirror a range or meter element). The map keeps 1..5.
    const bool rtl = RightToLeft();
    for (size_t i = 0; i < labels.size(); ++i) {
        const int point = static_cast<int>(i) + 1;
        const std::string id = "smiley." + std::to_string(point);
        bool pressed = false;
        if (in_a_row) {
            if (i > 0) {
                ImGui::SameLine();
            }
            const size_t slot = rtl ? labels.size() - 1 - i : i;
            ImGui::SetCursorPosX(row_left + static_cast<float>(slot) * (width + spacing));
            pressed = SmileyButton(ctx, id.c_str(), point, labels[i], ImVec2(width, row_h), answer == point);
        } else {
            pressed = Card(ctx, id.c_str(), labels[i], avail_w, 0.0f, answer == point, point);
        }
        if (pressed) {
            tapped = point;
        }
    }
    return tapped;
}

namespace {

struct ScrollKeys {
    ImGuiID content;  // the content height measured last frame
    ImGuiID pending;  // a scroll position asked for by the cue bar, applied next frame
    ImGuiID pressed;  // the finger went down inside the region
    ImGuiID dragging; // ... and has moved far enough to be a drag, not a tap
    ImGuiID start;    // the scroll position when the finger went down
};

struct ScrollRegionFrame {
    ScrollKeys keys{};
    ImGuiStorage* storage = nullptr;
    float height = 0.0f;
    bool overflow = false;
    float cue_h = 0.0f;
};

// Regions do not nest; one frame record is enough.
ScrollRegionFrame g_region;

std::string CueLabel(const KioskUiContext& ctx, bool more) {
    return ctx.texts->text(ctx.language, more ? "scroll.more" : "scroll.top");
}

} // namespace

void BeginScrollRegion(KioskUiContext& ctx, const char* id, float height) {
    ImGui::PushID(id);
    ScrollRegionFrame& r = g_region;
    r.storage = ImGui::GetStateStorage();
    r.keys = {ImGui::GetID("content"), ImGui::GetID("pending"), ImGui::GetID("pressed"),
              ImGui::GetID("dragging"), ImGui::GetID("start")};
    r.height = std::max(height, 1.0f);
    r.overflow = r.storage->GetFloat(r.keys.content, 0.0f) > r.height + 0.5f;
    r.cue_h = 0.0f;
    if (r.overflow) {
        // The bar speaks in small print: it must not take the room of what it points at.
        ImGui::PushFont(ctx.fonts.small != nullptr ? ctx.fonts.small : ImGui::GetFont());
        const float width = ImGui::GetContentRegionAvail().x;
        // The label's room beside the arrows (see BigButton).
        const float label_w = width - (std::round(ImGui::GetFontSize() * 0.9f) + LabelPadding()) * 2;
        r.cue_h = std::max(ButtonHeight(CueLabel(ctx, true), label_w),
                           ButtonHeight(CueLabel(ctx, false), label_w)) +
                  ImGui::GetStyle().ItemSpacing.y;
        ImGui::PopFont();
    }
    ImGui::BeginChild("##region", ImVec2(0, std::max(r.height - r.cue_h, 1.0f)), false,
                      ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar |
                          (r.overflow ? 0 : ImGuiWindowFlags_NoScrollWithMouse));
    const float pending = r.storage->GetFloat(r.keys.pending, -1.0f);
    if (pending >= 0.0f) {
        ImGui::SetScrollY(pending);
        r.storage->SetFloat(r.keys.pending, -1.0f);
    }
    // Touch scrolling: Dear ImGui 1.86 scrolls only with a wheel or a scrollbar. A finger that goes down
    // in the region and moves more than a fifth of a target scrolls it, and the item under the finger
    // loses its hold, so lifting the finger is not a tap.
    const ImGuiIO& io = ImGui::GetIO();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (io.MouseClicked[0]) {
        r.storage->SetBool(r.keys.pressed, window->Rect().Contains(io.MouseClickedPos[0]));
        r.storage->SetBool(r.keys.dragging, false);
        r.storage->SetFloat(r.keys.start, window->Scroll.y);
    }
    if (io.MouseDown[0] && r.storage->GetBool(r.keys.pressed) && r.overflow) {
        const float dy = io.MousePos.y - io.MouseClickedPos[0].y;
        if (!r.storage->GetBool(r.keys.dragging) && std::fabs(dy) > min_target_px() * 0.2f) {
            r.storage->SetBool(r.keys.dragging, true);
        }
        if (r.storage->GetBool(r.keys.dragging)) {
            ImGui::ClearActiveID();
            ImGui::SetScrollY(std::round(std::max(0.0f, r.storage->GetFloat(r.keys.start) - dy)));
            ctx.wants_redraw = true;
        }
    }
    if (!io.MouseDown[0]) {
        r.storage->SetBool(r.keys.pressed, false);
    }
    g_region_height = r.height;
    g_region_next_top = -1.0f;
}

void EndScrollRegion(KioskUiContext& ctx) {
    ScrollRegionFrame& r = g_region;
    g_region_height = 0.0f;
    const float next_top = g_region_next_top;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float content = window->DC.CursorMaxPos.y - window->DC.CursorStartPos.y;
    const float scroll = ImGui::GetScrollY();
    const float visible = window->InnerRect.GetHeight();
    // The same tolerance as RecordItem's: at the end, the last item is whole and in the map.
    const bool more = scroll < ImGui::GetScrollMaxY() - 1.0f;
    ImGui::EndChild();
    const bool overflow = content > r.height + 0.5f;
    if (overflow != r.overflow || std::fabs(r.storage->GetFloat(r.keys.content, 0.0f) - content) > 0.5f) {
        ctx.wants_redraw = true; // the layout of the next frame differs: draw it without waiting for input
    }
    r.storage->SetFloat(r.keys.content, content);
    if (r.overflow) {
        const std::string label = CueLabel(ctx, more);
        ImGui::PushFont(ctx.fonts.small != nullptr ? ctx.fonts.small : ImGui::GetFont());
        const bool tapped =
            BigButton(ctx, more ? "scroll.more" : "scroll.top", label,
                      ImVec2(-FLT_MIN, r.cue_h - ImGui::GetStyle().ItemSpacing.y),
                      ButtonFlags_Quiet | (more ? ButtonFlags_ArrowDown : ButtonFlags_ArrowUp));
        ImGui::PopFont();
        if (tapped) {
            // Down to the first item not wholly in view (or a page, when that item is the one at the top
            // already: taller than the region), never past the end.
            float target = scroll + visible * 0.8f;
            if (next_top > scroll + 1.0f) {
                target = next_top;
            }
            // Whole pixels: a fractional scroll leaves the last item a fraction of a pixel out of view.
            r.storage->SetFloat(r.keys.pending,
                                more ? std::round(std::min(target, content - visible)) : 0.0f);
        }
    }
    ImGui::PopID();
}

void ProgressBar(KioskUiContext& ctx, float fraction, ImVec2 size) {
    const Palette p = GetPalette(ctx.flags);
    fraction = std::clamp(fraction, 0.0f, 1.0f);
    ImGui::Dummy(size);
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    const float fill_w = std::round((max.x - min.x) * fraction);
    // Progress runs with time, and time runs in the reading direction: from the right for Arabic (as the
    // browsers draw a <progress> element in a right-to-left page).
    const float fill_x = RightToLeft() ? max.x - fill_w : min.x;
    const float rounding = std::floor(size.y * 0.5f);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, p.surface, rounding);
    if (fill_w > 0.0f) {
        draw->AddRectFilled(ImVec2(fill_x, min.y), ImVec2(fill_x + fill_w, max.y), p.primary, rounding);
    }
    if (ctx.automation != nullptr) {
        const auto n = [](float v) { return std::to_string(std::lround(v)); };
        ctx.automation->set_frame_field(
            "progress", "{\"x\": " + n(min.x) + ", \"y\": " + n(min.y) + ", \"w\": " + n(max.x - min.x) +
                            ", \"h\": " + n(max.y - min.y) + ", \"fill_x\": " + n(fill_x) +
                            ", \"fill_w\": " + n(fill_w) + "}");
    }
}

namespace {

struct NavGeometry {
    float button_w = 0;
    float message_w = 0;
    float height = 0;
};

NavGeometry MeasureNavBar(const NavSlot (&slots)[3]) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float slot_w = std::floor((avail - spacing * 2) / 3);
    NavGeometry g;
    float natural = Px(260);
    for (const NavSlot& s : slots) {
        if (!s.id.empty() && !s.message_only) {
            natural = std::max(natural, ButtonNaturalWidth(s.label));
        }
    }
    g.button_w = std::min(slot_w, natural);
    g.message_w = avail - (g.button_w + spacing) * 2;
    g.height = min_target_px();
    for (const NavSlot& s : slots) {
        if (s.id.empty()) {
            continue;
        }
        g.height = std::max(g.height, s.message_only ? WrappedTextHeight(s.label, g.message_w)
                                                     : ButtonHeight(s.label, g.button_w));
    }
    return g;
}

} // namespace

float NavBarHeight(const NavSlot (&slots)[3]) {
    return MeasureNavBar(slots).height;
}

int NavBar(KioskUiContext& ctx, const NavSlot (&slots)[3]) {
    const NavGeometry g = MeasureNavBar(slots);
    const float avail = ImGui::GetContentRegionAvail().x;
    const ImVec2 origin = ImGui::GetCursorPos();
    const ImVec2 origin_screen = ImGui::GetCursorScreenPos();
    // Back at the start, Next at the end of the reading direction: mirrored right to left, Next on the left.
    const bool rtl = RightToLeft();
    const float xs[3] = {rtl ? origin.x + avail - g.button_w : origin.x,
                         origin.x + std::floor((avail - g.button_w) * 0.5f),
                         rtl ? origin.x : origin.x + avail - g.button_w};
    int tapped = -1;
    for (int i = 0; i < 3; ++i) {
        const NavSlot& s = slots[i];
        if (s.id.empty()) {
            continue;
        }
        if (s.message_only) {
            const Palette p = GetPalette(ctx.flags);
            const FittedLabel fitted = FitLabel(s.label, g.message_w);
            const float left = origin_screen.x + g.button_w + ImGui::GetStyle().ItemSpacing.x;
            const float top = origin_screen.y + (g.height - fitted.height()) * 0.5f;
            DrawLabel(ImGui::GetWindowDrawList(), s.label, fitted, left, g.message_w, top, p.muted_text,
                      true);
            continue;
        }
        ImGui::SetCursorPos(ImVec2(xs[i], origin.y));
        if (BigButton(ctx, s.id.c_str(), s.label, ImVec2(g.button_w, g.height), s.flags)) {
            tapped = i;
        }
    }
    ImGui::SetCursorPos(ImVec2(origin.x, origin.y + g.height));
    return tapped;
}

//-----------------------------------------------------------------------------
// [SECTION] Keyboard
//-----------------------------------------------------------------------------

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

bool OnScreenKeyboard(KioskUiContext& ctx, std::string& text, int max_length, bool& shift,
                      KeyboardFlags flags) {
    const float target = min_target_px();
    const float width = ImGui::GetContentRegionAvail().x;
    // Narrow gaps: on a portrait tablet ten keys of 65 px leave 70 px for nine gaps.
    const float spacing = std::max(2.0f, std::floor(std::min(Px(8), (width - target * 10) / 9)));
    const bool wide = std::floor((width - spacing * 11) / 12) >= target;
    const float columns = wide ? 12.0f : 10.0f;
    const float key_w = std::floor((width - spacing * (columns - 1)) / columns);
    const float key_h = std::max(target, std::round(ImGui::GetFontSize() * 1.9f));
    // The resident's own script first (keyboard_layout.hpp); the page they switched to lasts until the
    // next resident (DrawKiosk resets it).
    const KeyboardScript native = NativeScript(ctx.language);
    const KeyboardScript script = ctx.keyboard_latin ? KeyboardScript::Latin : native;
    std::vector<KeyRowDef> rows = KeyboardRows(script, wide, native != KeyboardScript::Latin);
    // Digits get a row only where the screen has room for it (portrait tablets); on a landscape
    // screen the letters and the navigation bar must fit without scrolling.
    const float rows_h = static_cast<float>(rows.size() + 1) * (key_h + spacing);
    if (AvailHeight() >= rows_h || (flags & KeyboardFlags_Contact) != 0) {
        rows.insert(rows.begin(), DigitKeys());
    }
    if ((flags & KeyboardFlags_Contact) != 0) {
        for (KeyRowDef& row : rows) {
            for (KeyDef& key : row) {
                if (std::string_view(key.key) == "!") {
                    key.key = "@";
                }
            }
        }
    }
    const bool full = utf8_length(text) >= static_cast<size_t>(max_length);
    const ButtonFlags letter_flags = full ? ButtonFlags_Disabled : ButtonFlags_Quiet;
    std::string typed;
    bool changed = false;

    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, spacing));
    for (const KeyRowDef& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) {
            if (i > 0) {
                ImGui::SameLine();
            }
            const std::string key = row[i].key;
            const float units = static_cast<float>(row[i].units);
            const ImVec2 size(key_w * units + spacing * (units - 1.0f), key_h);
            const std::string id = "key." + key;
            if (key == "shift") {
                if (BigButton(ctx, id.c_str(), ctx.texts->text(ctx.language, "text.shift"), size,
                              shift ? ButtonFlags_Primary : ButtonFlags_Quiet)) {
                    shift = !shift;
                }
            } else if (key == "space") {
                if (BigButton(ctx, id.c_str(), ctx.texts->text(ctx.language, "text.space"), size,
                              letter_flags)) {
                    typed = " ";
                }
            } else if (key == "latin" || key == "arabic") {
                if (BigButton(ctx, id.c_str(), ScriptSwitchLegend(key), size, ButtonFlags_Quiet)) {
                    ctx.keyboard_latin = key == "latin";
                    ctx.wants_redraw = true; // other keys from the next frame on
                }
            } else if (key == "erase") {
                if (BigButton(ctx, id.c_str(), ctx.texts->text(ctx.language, "text.erase"), size,
                              text.empty() ? ButtonFlags_Disabled : ButtonFlags_Quiet)) {
                    erase_last_code_point(text);
                    changed = true;
                }
            } else {
                const std::string shown = shift ? to_upper(key) : key;
                if (BigButton(ctx, id.c_str(), shown, size, letter_flags)) {
                    typed = shown;
                }
            }
        }
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

bool KeyboardAboveNav(KioskUiContext& ctx, std::string& text, int max_length, float nav_height,
                      const char* shift_id, bool capital_first, KeyboardFlags flags) {
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID id = ImGui::GetID(shift_id);
    bool shift = storage->GetBool(id, capital_first);
    ImGui::BeginChild(
        "##keys", ImVec2(0, ImGui::GetContentRegionAvail().y - nav_height - ImGui::GetStyle().ItemSpacing.y),
        false, ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    const bool changed = OnScreenKeyboard(ctx, text, max_length, shift, flags);
    ImGui::EndChild();
    storage->SetBool(id, shift);
    return changed;
}

} // namespace buurtstem::ui
