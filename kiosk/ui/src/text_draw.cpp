#include "text_draw.hpp"

#include <unordered_map>

namespace buurtstem::ui {

namespace {

text::Direction g_direction = text::Direction::LeftToRight;

// Keyed by direction + logical text. Only shaped strings are stored: Latin text never enters it.
std::unordered_map<std::string, std::string>& Cache() {
    static std::unordered_map<std::string, std::string> cache;
    return cache;
}

bool NeedsShaping(std::string_view s) {
    // Every code point from U+0590 (Hebrew, Arabic, ...) starts with a byte of 0xD6 or more.
    for (const char c : s) {
        if (static_cast<unsigned char>(c) >= 0xD6) {
            return true;
        }
    }
    return false;
}

} // namespace

void SetTextDirection(text::Direction direction) {
    g_direction = direction;
}

text::Direction TextDirection() {
    return g_direction;
}

std::string_view Shaped(std::string_view logical) {
    // In a left-to-right paragraph, text without right-to-left letters is drawn as it is. In a
    // right-to-left one even Latin text goes through FriBidi (a number, a question mark at the end).
    if (g_direction == text::Direction::LeftToRight && !NeedsShaping(logical)) {
        return logical;
    }
    std::string key;
    key.reserve(logical.size() + 1);
    key += g_direction == text::Direction::RightToLeft ? 'r' : 'l';
    key += logical;
    auto& cache = Cache();
    if (auto it = cache.find(key); it != cache.end()) {
        return it->second;
    }
    std::string shaped = text::shape_line(logical, g_direction);
    return cache.emplace(std::move(key), std::move(shaped)).first->second;
}

void NewTextFrame() {
    // Wrapping measures every candidate line, so typed Arabic text could add a few hundred entries a
    // frame; starting afresh now and then costs one re-shaping of what is on screen.
    if (Cache().size() > 4096) {
        Cache().clear();
    }
}

std::string Utf8(char32_t code_point) {
    return text::encode_utf8(std::u32string(1, code_point));
}

} // namespace buurtstem::ui
