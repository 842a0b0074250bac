// The kiosk's word wrapping (kiosk/ui/include/buurtstem/ui/text_wrap.hpp), with a made-up font in which
// every byte is 10 px wide: lines break at spaces, never inside a word unless that word alone is wider
// than a line (and then it says so).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "buurtstem/ui/text_wrap.hpp"

using namespace buurtstem::ui;

namespace {

float ten_per_byte(std::string_view text) {
    return static_cast<float>(text.size()) * 10.0f;
}

std::vector<std::string> lines_of(std::string_view text, float width, bool* broke = nullptr) {
    const WrapResult r = wrap_at_spaces(text, width, ten_per_byte);
    if (broke != nullptr) {
        *broke = r.broke_word;
    }
    std::vector<std::string> lines;
    for (const WrappedLine& line : r.lines) {
        lines.emplace_back(text.substr(line.begin, line.end - line.begin));
    }
    return lines;
}

} // namespace

TEST_CASE("wrapping breaks at spaces and keeps every word whole") {
    bool broke = true;
    // "Very hard" in a column 60 px wide: ImGui would make "Ver y har d"; here each word is a line.
    CHECK(lines_of("Very hard", 60, &broke) == std::vector<std::string>{"Very", "hard"});
    CHECK_FALSE(broke);
    CHECK(lines_of("Heel makkelijk", 140, &broke) == std::vector<std::string>{"Heel makkelijk"});
    CHECK(lines_of("Dat zeg ik liever niet", 110, &broke) ==
          std::vector<std::string>{"Dat zeg ik", "liever niet"});
    CHECK_FALSE(broke);
}

TEST_CASE("wrapping: extra spaces vanish at line ends, newlines start a line, empty text is one line") {
    CHECK(lines_of("  een   twee  ", 70) == std::vector<std::string>{"een", "twee"});
    CHECK(lines_of("een\ntwee drie", 1000) == std::vector<std::string>{"een", "twee drie"});
    CHECK(lines_of("een\n\ntwee", 1000) == std::vector<std::string>{"een", "", "twee"});
    CHECK(lines_of("", 100).size() == 1);
}

TEST_CASE("a word wider than a line is split only as the last resort, at code points, and reported") {
    bool broke = false;
    CHECK(lines_of("ab arbeidsongeschikt cd", 50, &broke) ==
          std::vector<std::string>{"ab", "arbei", "dsong", "eschi", "kt cd"});
    CHECK(broke);
    // Multi-byte letters are never cut in half: "é" is two bytes (20 px here).
    const auto split = lines_of("ééé", 30, &broke);
    CHECK(split == std::vector<std::string>{"é", "é", "é"});
    // A width smaller than one letter still makes progress: one code point per line.
    CHECK(lines_of("abc", 1) == std::vector<std::string>{"a", "b", "c"});
    // One letter wider than the line overflows it; that splits nothing.
    CHECK(lines_of("Q", 5, &broke) == std::vector<std::string>{"Q"});
    CHECK_FALSE(broke);
}

TEST_CASE("widest_word measures the longest word, which the layout compares with a column") {
    CHECK(widest_word("Heel makkelijk", ten_per_byte) == 90.0f);
    CHECK(widest_word("", ten_per_byte) == 0.0f);
    CHECK(widest_word("een\nlangerwoord", ten_per_byte) == 110.0f);
}
