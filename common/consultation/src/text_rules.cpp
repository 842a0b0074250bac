#include "buurtstem/consultation/text_rules.hpp"

#include <cstdio>

namespace buurtstem {

namespace {

std::string code_point_name(char32_t c) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
    return buffer;
}

// What is wrong with code point `c`, or nothing.
std::optional<std::string> character_problem(char32_t c, TextFlags flags) {
    if (c == '\n') {
        if (flags & TextFlags_SingleLine) {
            return std::string("a line break");
        }
        return std::nullopt;
    }
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
        return "a control character (" + code_point_name(c) + ")";
    }
    if (c == 0x202E) {
        return "a right-to-left override (U+202E)";
    }
    if (c == 0x202D) {
        return "a left-to-right override (U+202D)";
    }
    if ((c >= 0x202A && c <= 0x202C) || (c >= 0x2066 && c <= 0x2069)) {
        return "a bidirectional control character (" + code_point_name(c) + ")";
    }
    if (c == 0x2028 || c == 0x2029) {
        return "a line or paragraph separator (" + code_point_name(c) + ")";
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> text_problem(std::string_view text, size_t max_length, TextFlags flags) {
    size_t count = 0;
    size_t at = 0;
    while (at < text.size()) {
        const auto lead = static_cast<unsigned char>(text[at]);
        size_t length = 0;
        char32_t c = 0;
        if (lead < 0x80) {
            length = 1;
            c = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            c = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            c = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            c = lead & 0x07;
        }
        bool valid = length > 0 && at + length <= text.size();
        for (size_t i = 1; valid && i < length; ++i) {
            const auto next = static_cast<unsigned char>(text[at + i]);
            valid = (next & 0xC0) == 0x80;
            c = (c << 6) | (next & 0x3F);
        }
        if (!valid) {
            return "is not valid UTF-8 (at byte " + std::to_string(at + 1) + ")";
        }
        ++count;
        if (auto wrong = character_problem(c, flags)) {
            return "contains " + *wrong + " at character " + std::to_string(count) + ": remove it";
        }
        at += length;
    }
    if (count > max_length) {
        return "is " + std::to_string(count) + " characters long; at most " + std::to_string(max_length) +
               " fit on the kiosk's screen";
    }
    return std::nullopt;
}

TextRule text_rule_for_key(std::string_view key) {
    if (key == "title") {
        return {kMaxTitleLength, TextFlags_SingleLine};
    }
    if (key == "intro") {
        return {kMaxIntroLength, TextFlags_None};
    }
    if (key == "hint") {
        return {kMaxHintLength, TextFlags_None};
    }
    return {kMaxQuestionTextLength, TextFlags_None};
}

} // namespace buurtstem
