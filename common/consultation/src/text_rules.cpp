#include "buurtstem/consultation/text_rules.hpp"

#include <utf8.h>

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
    // utfcpp finds the first byte that does not start a valid sequence (a stray or missing continuation
    // byte, an overlong form, a UTF-16 surrogate, a code point past U+10FFFF, a sequence cut off); the
    // characters before it are checked first, so the first problem in reading order is the one named.
    const auto valid_end = utf8::find_invalid(text.begin(), text.end());
    size_t count = 0;
    for (auto at = text.begin(); at != valid_end;) {
        const auto c = static_cast<char32_t>(utf8::unchecked::next(at));
        ++count;
        if (auto wrong = character_problem(c, flags)) {
            return "contains " + *wrong + " at character " + std::to_string(count) + ": remove it";
        }
    }
    if (valid_end != text.end()) {
        return "is not valid UTF-8 (at byte " + std::to_string(valid_end - text.begin() + 1) + ")";
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
