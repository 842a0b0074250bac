// The drawing end of the kiosk's one text pipeline: translated text -> kiosk/text (wrap in logical
// order, shape, reorder) -> these helpers (draw, aligned to the reading direction) -> the automation
// map and speech get the same logical string. Every screen and widget draws residents' text through
// here, so Arabic is joined and right to left everywhere.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "buurtstem/text/layout.hpp"

namespace buurtstem::ui {

// The reading direction of the language on screen this frame; DrawKiosk sets it.
void SetTextDirection(text::Direction direction);
text::Direction TextDirection();
inline bool RightToLeft() {
    return TextDirection() == text::Direction::RightToLeft;
}

enum TextAlign_ {
    TextAlign_Start = 0,  // left in left-to-right languages, right in right-to-left ones
    TextAlign_Center = 1, // under a smiley, on a button
};
using TextAlign = int;

// `logical` wrapped to `width` in `font` at `size`, each line shaped and in visual order. Cached: the
// kiosk draws the same texts frame after frame.
const std::vector<std::string>& LayoutLines(const std::string& logical, ImFont* font, float size,
                                            float width);

// The size the lines take (widest line, line count x line height).
ImVec2 LinesSize(const std::vector<std::string>& lines, ImFont* font, float size);

// Draws laid-out lines in a box starting at `min` of width `width`.
void DrawLines(ImDrawList* draw, ImFont* font, float size, ImVec2 min, float width,
               const std::vector<std::string>& lines, ImU32 color, TextAlign align);

// One line for a button label: shaped and reordered, not wrapped.
std::string ShapeLabel(const std::string& logical);

// A wrapped paragraph as a layout item filling the content width (replaces ImGui::TextWrapped).
void Paragraph(const std::string& logical, ImFont* font, ImU32 color);

// UTF-8 for one code point (icon glyphs).
std::string Utf8(char32_t code_point);

} // namespace buurtstem::ui
