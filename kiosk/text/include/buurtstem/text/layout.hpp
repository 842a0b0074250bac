// Paragraph layout for every language the kiosk speaks, Arabic included.
//
// Dear ImGui draws glyphs left to right and knows nothing of joining or bidi. So text goes through here
// first: wrapped at spaces in LOGICAL order (measured in its shaped form, so a line never overflows),
// then each line is shaped (Arabic letters become their initial/medial/final/isolated presentation
// forms, lam + alef one ligature) and reordered into VISUAL order with GNU FriBidi. The result is a list
// of UTF-8 lines ImGui can draw as they are. Left-to-right text without any right-to-left letter
// passes through unchanged.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace buurtstem::text {

enum class Direction {
    LeftToRight,
    RightToLeft,
};

// The paragraph direction of an interface language ("ar" is right to left).
Direction direction_of(std::string_view language);

// Width of a run of (already shaped, visual-order) UTF-8 text in the font it will be drawn in.
using Measure = std::function<float(std::string_view)>;

// One line of logical text shaped and reordered for drawing left to right. Explicit newlines are
// the caller's business (layout_paragraph splits on them first).
std::string shape_line(std::string_view logical, Direction direction);

// Wraps `logical` to `width` and shapes each line. Breaks only at spaces and at '\n': a word longer than
// the width stays whole on a line of its own (it overflows rather than being cut). An empty paragraph
// gives one empty line, so callers always have a line height to reserve.
std::vector<std::string> layout_paragraph(std::string_view logical, Direction direction, float width,
                                          const Measure& measure);

// UTF-8 <-> code points, tolerant: an invalid byte becomes U+FFFD. (Exposed for the tests.)
std::u32string decode_utf8(std::string_view utf8);
std::string encode_utf8(std::u32string_view text);

} // namespace buurtstem::text
