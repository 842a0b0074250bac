// The pictograms an answer option may carry (`icon = "euro"` in a consultation): a small named table of
// icon-font glyphs (Fork Awesome 4.7 code points, fonts-fork-awesome). Names, not code points, go in
// consultation files, so a council writes "home" and the loader can refuse a typo with the list of
// names. The kiosk bakes exactly these glyphs into its font atlas (kiosk/ui fonts.cpp).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace buurtstem {

struct IconName {
    std::string_view name;
    char32_t code_point;
};

inline constexpr std::array<IconName, 36> kIcons = {{
    {"euro", 0xF153},      {"home", 0xF015},     {"child", 0xF1AE},     {"school", 0xF19D},
    {"care", 0xF21E},      {"medical", 0xF0FA},  {"sport", 0xF1E3},     {"letter", 0xF0E0},
    {"person", 0xF007},    {"people", 0xF0C0},   {"internet", 0xF0AC},  {"newspaper", 0xF1EA},
    {"question", 0xF128},  {"yes", 0xF00C},      {"no", 0xF00D},        {"not-say", 0xF070},
    {"book", 0xF02D},      {"card", 0xF09D},     {"form", 0xF15C},      {"talk", 0xF086},
    {"idea", 0xF0EB},      {"building", 0xF1AD}, {"language", 0xF1AB},  {"papers", 0xF0C5},
    {"hand", 0xF256},      {"smile", 0xF118},    {"thumbs-up", 0xF164}, {"thumbs-down", 0xF165},
    {"search", 0xF002},    {"phone", 0xF095},    {"star", 0xF005},      {"heart", 0xF004},
    {"handshake", 0xF2B5}, {"info", 0xF129},     {"frown", 0xF119},     {"meh", 0xF11A},
}};

// The kiosk's own toolbar glyphs, from the same font.
inline constexpr char32_t kIconSpeaker = 0xF028;  // volume-up: read aloud
inline constexpr char32_t kIconTextSize = 0xF034; // text-height
inline constexpr char32_t kIconContrast = 0xF042; // adjust (half-filled circle)

inline std::optional<char32_t> icon_code_point(std::string_view name) {
    for (const IconName& icon : kIcons) {
        if (icon.name == name) {
            return icon.code_point;
        }
    }
    return std::nullopt;
}

} // namespace buurtstem
