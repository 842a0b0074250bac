#include "buurtstem/text/appearance.hpp"

#include <algorithm>
#include <cmath>

namespace buurtstem::text {

PaletteData palette_data(Theme theme) {
    if (theme == Theme::HighContrast) {
        // Black on white, yellow for what is chosen: 21:1 for text, and the chosen answer stands out
        // without relying on a colour alone (it also gets a thick outline).
        return {{255, 255, 255}, {0, 0, 0},     {0, 0, 0}, {255, 255, 255}, {255, 255, 255},
                {0, 0, 0},       {255, 214, 0}, {0, 0, 0}, {0, 0, 0}};
    }
    // Warm paper background and dark ink: calm, readable in a bright community centre. Primary blue
    // has a contrast ratio above 7:1 against white text (WCAG AAA).
    return {{250, 247, 240}, {26, 26, 26},    {11, 79, 122}, {255, 255, 255}, {255, 255, 255},
            {60, 60, 60},    {255, 236, 170}, {11, 79, 122}, {90, 90, 90}};
}

std::vector<ColourPair> text_pairs(Theme theme) {
    const PaletteData p = palette_data(theme);
    return {
        {"text on background", p.text, p.background},
        {"text on answer card", p.text, p.surface},
        {"text on chosen answer", p.text, p.selected_fill},
        {"button text on primary button", p.primary_text, p.primary},
        {"hint text on background", p.muted_text, p.background},
        {"hint text on answer card", p.muted_text, p.surface},
        {"text on pressed button", p.text, p.selected_fill},
    };
}

double relative_luminance(Rgb colour) {
    auto channel = [](std::uint8_t value) {
        const double c = value / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b);
}

double contrast_ratio(Rgb a, Rgb b) {
    const double la = relative_luminance(a);
    const double lb = relative_luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace buurtstem::text
