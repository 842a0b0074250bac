// Shaping and direction for every language the kiosk speaks, Arabic included: one half of the kiosk's
// one text pipeline (translated text -> wrap in logical order at spaces, kiosk/ui text_wrap.hpp -> each
// line shaped and reordered here -> drawn by kiosk/ui; the automation map and speech keep the logical
// string).
//
// Dear ImGui draws glyphs left to right and knows nothing of joining or bidi. So each line goes through
// shape_line() before it is drawn (and measured): Arabic letters become their initial/medial/final/
// isolated presentation forms, lam + alef one ligature, and the line is reordered into VISUAL order with
// GNU FriBidi. Left-to-right text without any right-to-left letter passes through unchanged.
#pragma once

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

// One line of logical text shaped and reordered for drawing left to right. Explicit newlines are
// the caller's business (the wrapping splits on them first).
std::string shape_line(std::string_view logical, Direction direction);

// UTF-8 <-> code points, tolerant: an invalid byte becomes U+FFFD. (Exposed for the tests.)
std::u32string decode_utf8(std::string_view utf8);
std::string encode_utf8(std::u32string_view text);

} // namespace buurtstem::text
