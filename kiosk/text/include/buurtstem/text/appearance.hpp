// How the kiosk's text looks, as plain data: the colour palettes of both themes and the three text
// sizes. Kept free of ImGui so a unit test can check every text/background pair for contrast
// (WCAG 2.x relative luminance) without opening a window; kiosk/ui/src/theme.cpp turns it into ImGui
// colours.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace buurtstem::text {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

struct PaletteData {
    Rgb background;
    Rgb text;
    Rgb primary; // main action buttons
    Rgb primary_text;
    Rgb surface; // answer cards
    Rgb outline;
    Rgb selected_fill; // a chosen answer
    Rgb selected_outline;
    Rgb muted_text; // hints, progress
};

enum class Theme {
    Normal,
    HighContrast,
};

PaletteData palette_data(Theme theme);

// Every pair of (text colour, background it is drawn on) the screens use, named for test messages.
struct ColourPair {
    std::string_view name;
    Rgb foreground;
    Rgb background;
};
std::vector<ColourPair> text_pairs(Theme theme);

// WCAG 2.x: relative luminance of an sRGB colour, and the contrast ratio (1..21) of two colours.
double relative_luminance(Rgb colour);
double contrast_ratio(Rgb a, Rgb b);

// The code points the kiosk bakes into its font atlas (kiosk/ui fonts.cpp), as inclusive ranges: Latin-1,
// Latin Extended-A (Dutch, Turkish, Polish), Arabic letters, punctuation and digits, general
// punctuation, €, and Arabic Presentation Forms-B (all the shaper produces for Arabic). A unit test
// shapes every shipped text and checks each resulting code point is in here: nothing draws as '?'.
struct CodePointRange {
    char32_t first;
    char32_t last;
};
inline constexpr std::array<CodePointRange, 10> kTextGlyphRanges = {{
    {0x0020, 0x00FF},
    {0x0100, 0x017F},
    {0x060C, 0x060C},
    {0x061B, 0x061F},
    {0x0621, 0x064A},
    {0x0660, 0x066C},
    {0x2010, 0x2027},
    {0x20AC, 0x20AC},
    {0xFE70, 0xFEFF},
    {0x2030, 0x203A}, // per mille, single guillemets
}};
inline bool in_text_glyphs(char32_t cp) {
    for (const CodePointRange& r : kTextGlyphRanges) {
        if (cp >= r.first && cp <= r.last) {
            return true;
        }
    }
    return false;
}

// The three text sizes a resident can choose, smallest first (automation ids textsize.0 .. textsize.2).
inline constexpr int kTextSizeCount = 3;
inline constexpr std::array<float, kTextSizeCount> kTextSizeScale = {1.0f, 1.5f, 2.0f};

} // namespace buurtstem::text
