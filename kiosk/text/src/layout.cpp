#include "buurtstem/text/layout.hpp"

#include <fribidi.h>

#include <algorithm>

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
    size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        int extra = 0;
        char32_t cp = 0;
        if (b < 0x80) {
            cp = b;
        } else if ((b & 0xE0) == 0xC0) {
            extra = 1;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            extra = 3;
            cp = b & 0x07;
        } else {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        if (i + static_cast<size_t>(extra) >= s.size()) {
            out.push_back(0xFFFD); // a sequence cut off at the end
            break;
        }
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            const auto c = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
            if ((c & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        if (!ok) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += static_cast<size_t>(extra) + 1;
    }
    return out;
}

std::string encode_utf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
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
