// The text pipeline without a window: Arabic shaping and reordering, wrapping, theme contrast.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "buurtstem/text/appearance.hpp"
#include "buurtstem/text/layout.hpp"

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

TEST_CASE("wrapping breaks at spaces only, never inside a word") {
    const std::string text = "Heeft u zelf wel eens een regeling gebruikt voor uw kinderen?";
    for (float width = 3; width <= 40; width += 1) {
        const auto lines = layout_paragraph(text, Direction::LeftToRight, width, count_code_points);
        std::string joined;
        for (const std::string& line : lines) {
            CHECK_MESSAGE(line.find("  ") == std::string::npos, line);
            CHECK_MESSAGE((line.empty() || (line.front() != ' ' && line.back() != ' ')), line);
            // A line is longer than the width only when it is one word that cannot fit anywhere.
            if (count_code_points(line) > width) {
                CHECK_MESSAGE(line.find(' ') == std::string::npos, line);
            }
            joined += (joined.empty() ? "" : " ") + line;
        }
        CHECK(joined == text); // every word whole, in order
    }
    CHECK(layout_paragraph("", Direction::LeftToRight, 10, count_code_points).size() == 1);
    CHECK(layout_paragraph("een\ntwee", Direction::LeftToRight, 100, count_code_points) ==
          std::vector<std::string>{"een", "twee"});
}

TEST_CASE("Arabic wraps in logical order, then each line is reordered") {
    // Three words "كتب كتب سلام" at a width of two words: the first two words (logical) on line one.
    const auto lines = layout_paragraph("سلام كتب لا", Direction::RightToLeft, 8, count_code_points);
    REQUIRE(lines.size() == 2);
    CHECK(decode_utf8(lines[0]) == std::u32string{0xFE90, 0xFE98, 0xFEDB, 0x20, 0xFEE1, 0xFEFC, 0xFEB3});
    CHECK(decode_utf8(lines[1]) == std::u32string{0xFEFB});
}

TEST_CASE("UTF-8 decoding survives broken input") {
    CHECK(decode_utf8("a\xC3") == U"a\uFFFD");
    CHECK(decode_utf8("\xFF"
                      "b") == U"\uFFFDb");
    CHECK(encode_utf8(decode_utf8("€ ğ ض")) == "€ ğ ض");
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
    std::vector<std::filesystem::path> files = {source / "config/consultations/minimaregelingen.toml"};
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
