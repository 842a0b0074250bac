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

// The three text sizes a resident can choose, smallest first (automation ids textsize.0 .. textsize.2).
inline constexpr int kTextSizeCount = 3;
inline constexpr std::array<float, kTextSizeCount> kTextSizeScale = {1.0f, 1.5f, 2.0f};

} // namespace buurtstem::text
