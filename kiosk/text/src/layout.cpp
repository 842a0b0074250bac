#include "buurtstem/text/layout.hpp"

#include <fribidi.h>
#include <utf8.h>

#include <algorithm>
#include <iterator>

namespace buurtstem::text {

Direction direction_of(std::string_view language) {
    // Of the kiosk's five languages only Arabic is written right to left; Hebrew, Persian and Urdu
    // would be too, should a council add them.
    for (std::string_view rtl : {"ar", "he", "fa", "ur"}) {
        if (language == rtl) {
            return Direction::RightToLeft;
        }
    }
    return Direction::LeftToRight;
}

std::u32string decode_utf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    if (utf8::is_valid(s.begin(), s.end())) {
        utf8::unchecked::utf8to32(s.begin(), s.end(), std::back_inserter(out));
        return out;
    }
    // Each broken sequence becomes one U+FFFD, so a bad byte shows as a box, not as a lost line.
    std::string repaired;
    repaired.reserve(s.size() + 8);
    utf8::replace_invalid(s.begin(), s.end(), std::back_inserter(repaired), 0xFFFD);
    utf8::unchecked::utf8to32(repaired.begin(), repaired.end(), std::back_inserter(out));
    return out;
}

std::string encode_utf8(std::u32string_view text) {
    // Unchecked: the code points come from decode_utf8 and fribidi, never from outside; this never throws.
    std::string out;
    out.reserve(text.size());
    utf8::unchecked::utf32to8(text.begin(), text.end(), std::back_inserter(out));
    return out;
}

namespace {

bool needs_bidi(std::u32string_view text) {
    // Below U+0590 every script is left to right and needs no shaping.
    return std::any_of(text.begin(), text.end(), [](char32_t cp) { return cp >= 0x0590; });
}

} // namespace

std::string shape_line(std::string_view logical, Direction direction) {
    std::u32string u = decode_utf8(logical);
    if (u.empty() || (direction == Direction::LeftToRight && !needs_bidi(u))) {
        return std::string(logical);
    }
    const auto n = static_cast<FriBidiStrIndex>(u.size());
    std::vector<FriBidiChar> chars(u.begin(), u.end());
    std::vector<FriBidiCharType> types(u.size());
    std::vector<FriBidiBracketType> brackets(u.size());
    std::vector<FriBidiLevel> levels(u.size());
    std::vector<FriBidiArabicProp> props(u.size());
    FriBidiParType base = direction == Direction::RightToLeft ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    fribidi_get_bidi_types(chars.data(), n, types.data());
    fribidi_get_bracket_types(chars.data(), n, types.data(), brackets.data());
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) == 0) {
        return std::string(logical); // only on allocation failure: better unshaped than nothing
    }
    fribidi_get_joining_types(chars.data(), n, props.data());
    fribidi_join_arabic(types.data(), n, levels.data(), props.data());
    // Presentation forms and the lam-alef ligatures: DejaVu Sans has both (U+FE70..U+FEFC).
    fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels.data(), n, props.data(), chars.data());
    if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, types.data(), n, 0, base, levels.data(), chars.data(),
                             nullptr) == 0) {
        return std::string(logical);
    }
    std::u32string visual;
    visual.reserve(chars.size());
    for (FriBidiChar c : chars) {
        // A ligature leaves U+FEFF where its second letter was; it has no glyph and no width.
        if (c != 0xFEFF) {
            visual.push_back(static_cast<char32_t>(c));
        }
    }
    return encode_utf8(visual);
}

} // namespace buurtstem::text
