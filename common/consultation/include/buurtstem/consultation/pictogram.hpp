// Image pictograms: an answer option may carry `image = "pictograms/NAME.png"`, a PNG under the kiosk's
// assets folder, beside or instead of an icon-font glyph (`icon`). Decoded with stb_image from Debian's
// libstb (the copy Dear ImGui's pkg-config brings along; no stb source in this repository).
//
// The loader (consultation_loader.cpp) checks the path's form always and, given the assets folder, the
// file itself, so a council learns at file:line what is wrong before a resident sees a blank card; the
// kiosk decodes the same file once more to upload it as a texture.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

// A pictogram is drawn at about 1.4 font sizes (under 150 px at 200 % text on a 1080 px screen): a side
// of 512 px is plenty, and bounds what one file can cost in memory (1 MiB of RGBA) and in upload time.
inline constexpr int kMaxPictogramSide = 512;
// Read no further than this: a PNG of 512x512 simple shapes is far smaller.
inline constexpr std::uintmax_t kMaxPictogramBytes = 512 * 1024;

struct Pictogram {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> rgba; // width * height * 4, rows top to bottom
};

// Why `relative` cannot be an image path ("pictograms/NAME.png": lower-case letters, digits, '-' or '_'
// in NAME), or nothing when it can. Keeps a consultation from reaching outside the pictograms folder.
std::optional<std::string> pictogram_path_problem(std::string_view relative);

// Reads and decodes the PNG at `file`. Refuses, with the true reason: a file that cannot be opened, is not
// a regular file or is over kMaxPictogramBytes; one that is not a PNG (by its signature, whatever its
// name); a PNG wider or higher than kMaxPictogramSide; one that does not decode.
[[nodiscard]] Result<Pictogram, std::string> load_pictogram(const std::filesystem::path& file);

} // namespace buurtstem
