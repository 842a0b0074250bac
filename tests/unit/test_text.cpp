// The text pipeline without a window: Arabic shaping and reordering, wrapping then shaping, theme contrast,
// and that every shipped text draws with baked glyphs.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "buurtstem/text/appearance.hpp"
#include "buurtstem/text/layout.hpp"
#include "buurtstem/ui/text_wrap.hpp"

using namespace buurtstem::text;

namespace {

std::u32string visual(const std::string& logical) {
    return decode_utf8(shape_line(logical, Direction::RightToLeft));
}

// A fixed-pitch measure: every code point is one unit wide, so the tests know where lines must break.
float count_code_points(std::string_view s) {
    return static_cast<float>(decode_utf8(s).size());
}

} // namespace

TEST_CASE("Arabic letters join into presentation forms in visual order") {
    // kaf teh beh: initial kaf, medial teh, final beh; drawn left to right as beh, teh, kaf.
    CHECK(visual("كتب") == std::u32string{0xFE90, 0xFE98, 0xFEDB});
    // seen lam alef meem: lam + alef become one final ligature, and meem stands alone after alef
    // (alef never joins to its left).
    CHECK(visual("سلام") == std::u32string{0xFEE1, 0xFEFC, 0xFEB3});
    // "لا" alone: the isolated lam-alef ligature, no leftover U+FEFF filler.
    CHECK(visual("لا") == std::u32string{0xFEFB});
}

TEST_CASE("numbers keep their order inside right-to-left text and brackets are mirrored") {
    // "سؤال 1 من 7" (question 1 of 7): words reversed, digits left to right.
    CHECK(visual("سؤال 1 من 7") ==
          std::u32string{0x37, 0x20, 0xFEE6, 0xFEE3, 0x20, 0x31, 0x20, 0xFEDD, 0xFE8D, 0xFE86, 0xFEB3});
    CHECK(visual("(نعم)") == std::u32string{0x28, 0xFEE2, 0xFECC, 0xFEE7, 0x29});
    CHECK(visual("12 €") == U"€ 12");
}

TEST_CASE("left-to-right text without right-to-left letters passes unchanged") {
    CHECK(shape_line("Kent u de regelingen? Ça va, ğüşıöç żółć", Direction::LeftToRight) ==
          "Kent u de regelingen? Ça va, ğüşıöç żółć");
    CHECK(direction_of("ar") == Direction::RightToLeft);
    CHECK(direction_of("nl") == Direction::LeftToRight);
    CHECK(direction_of("tr") == Direction::LeftToRight);
}

TEST_CASE("Arabic wraps in logical order at spaces, then each line is shaped and reordered") {
    // The kiosk's pipeline (kiosk/ui widgets.cpp): wrap_at_spaces on the LOGICAL string, measuring each
    // candidate line in its shaped form, then shape_line per line for drawing.
    const std::string logical = "سلام كتب لا";
    const auto shaped_width = [](std::string_view s) {
        return count_code_points(shape_line(s, Direction::RightToLeft));
    };
    // "سلام" shapes to 3 glyphs (lam-alef is one), "كتب" to 3: both fit 7 with the space, "لا" does not.
    const buurtstem::ui::WrapResult wrap = buurtstem::ui::wrap_at_spaces(logical, 7, shaped_width);
    REQUIRE(wrap.lines.size() == 2);
    CHECK_FALSE(wrap.broke_word);
    std::vector<std::u32string> lines;
    for (const buurtstem::ui::WrappedLine& line : wrap.lines) {
        lines.push_back(decode_utf8(
            shape_line(logical.substr(line.begin, line.end - line.begin), Direction::RightToLeft)));
    }
    // Line one holds the first two words in logical order, drawn right to left: كتب then سلام from the right.
    CHECK(lines[0] == std::u32string{0xFE90, 0xFE98, 0xFEDB, 0x20, 0xFEE1, 0xFEFC, 0xFEB3});
    CHECK(lines[1] == std::u32string{0xFEFB});
}

TEST_CASE("UTF-8 decoding survives broken input") {
    CHECK(decode_utf8("a\xC3") == U"a\uFFFD");
    CHECK(decode_utf8("\xFF"
                      "b") == U"\uFFFDb");
    CHECK(encode_utf8(decode_utf8("€ ğ ض")) == "€ ğ ض");
}

TEST_CASE("UTF-8 decoding: each invalid sequence becomes one U+FFFD, and the text around it stays") {
    struct Case {
        const char* name;
        std::string bytes;
        std::u32string decoded;
    };
    for (const Case& c : std::vector<Case>{
             {"overlong '/'", "a\xC0\xAF/", U"a\uFFFD/"},
             {"overlong NUL in three bytes", "\xE0\x80\x80z", U"\uFFFDz"},
             {"UTF-16 surrogate", "x\xED\xA0\x80y", U"x\uFFFDy"},
             {"past U+10FFFF", "\xF4\x90\x80\x80!", U"\uFFFD!"},
             {"cut off before a letter",
              "\xE2\x82"
              "a",
              U"\uFFFDa"},
             {"cut off at the end", "ok\xF0\x9F\x91", U"ok\uFFFD"},
             {"stray continuation byte",
              "\x80"
              "a",
              U"\uFFFDa"},
             {"four-byte emoji", "\xF0\x9F\x91\x8D", U"\U0001F44D"},
         }) {
        CAPTURE(c.name);
        CHECK(decode_utf8(c.bytes) == c.decoded);
    }
}

TEST_CASE("every text colour stands out from its background in both themes") {
    for (const ColourPair& pair : text_pairs(Theme::Normal)) {
        CHECK_MESSAGE(contrast_ratio(pair.foreground, pair.background) >= 4.5, "normal theme: ", pair.name);
    }
    for (const ColourPair& pair : text_pairs(Theme::HighContrast)) {
        CHECK_MESSAGE(contrast_ratio(pair.foreground, pair.background) >= 7.0, "high contrast: ", pair.name);
    }
    // The formula itself, against WCAG's own extremes and a known value.
    CHECK(contrast_ratio({0, 0, 0}, {255, 255, 255}) == doctest::Approx(21.0));
    CHECK(contrast_ratio({118, 118, 118}, {255, 255, 255}) == doctest::Approx(4.54).epsilon(0.01));
}

TEST_CASE("every shipped text shapes into glyphs the kiosk bakes") {
    // Line by line, as the kiosk would draw them: Arabic lines shaped right to left, others as they are.
    const std::filesystem::path source = BUURTSTEM_SOURCE_DIR;
    std::vector<std::filesystem::path> files = {source / "config/consultations/minimaregelingen.toml",
                                                source / "config/consultations/snelle-peiling.toml",
                                                source / "tests/data/kiosk/five-languages.toml"};
    for (const auto& entry : std::filesystem::directory_iterator(source / "assets/i18n")) {
        files.push_back(entry.path());
    }
    REQUIRE(files.size() >= 6);
    for (const auto& file : files) {
        std::ifstream in(file);
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            const std::u32string logical = decode_utf8(line);
            const bool arabic = std::any_of(logical.begin(), logical.end(),
                                            [](char32_t cp) { return cp >= 0x0600 && cp <= 0x06FF; });
            const std::u32string drawn =
                decode_utf8(shape_line(line, arabic ? Direction::RightToLeft : Direction::LeftToRight));
            for (char32_t cp : drawn) {
                char code[16];
                std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
                CHECK_MESSAGE(in_text_glyphs(cp), file.string()
                                                      << ":" << number << ": " << code << " is not baked");
            }
        }
    }
}
