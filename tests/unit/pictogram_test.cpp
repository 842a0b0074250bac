// Image pictograms (`image = "pictograms/NAME.png"` on an option): the loader refuses, at the image's line,
// a path outside the pictograms folder, a missing file, a file that is not a PNG, one too large in bytes
// or in pixels, and one that does not decode; the shipped pictograms load, and the demo uses them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/consultation/pictogram.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

const fs::path kAssets = fs::path(BUURTSTEM_SOURCE_DIR) / "assets";

// A consultation whose second option carries `image` on line 11.
std::string with_image(const std::string& image) {
    return "format = 1\nid = \"plaatje\"\nversion = 1\nlanguages = [\"nl\"]\ntitle.nl = \"Titel\"\n"
           "[[question]]\nid = \"keuze\"\ntype = \"single_choice\"\ntext.nl = \"Welke?\"\noptions = [\n"
           "  { id = \"a\", nl = \"A\", icon = \"yes\" }, { id = \"b\", nl = \"B\", image = \"" +
           image + "\" },\n]\n";
}

// The PNG signature and an IHDR chunk of `width` x `height` (8-bit RGBA), and no pixel data: stb_image
// reads the size from it; the CRC is not checked.
std::string png_header(uint32_t width, uint32_t height) {
    std::string out("\x89PNG\r\n\x1a\n", 8);
    const auto be32 = [&](uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out += static_cast<char>((v >> shift) & 0xFF);
        }
    };
    be32(13);
    out += "IHDR";
    be32(width);
    be32(height);
    out += std::string("\x08\x06\x00\x00\x00", 5);
    be32(0);
    return out;
}

void write(const fs::path& file, const std::string& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

// Loads with_image(image) against `assets`; returns the error text, or "" when it loaded.
std::string refusal(const std::string& image, const fs::path& assets) {
    auto loaded = parse_consultation(with_image(image), "plaatje.toml", {assets});
    return loaded ? std::string() : loaded.error().to_string();
}

} // namespace

TEST_CASE("the shipped pictograms load, and the demo consultation draws two of them") {
    for (const char* name : {"pictograms/discount-card.png", "pictograms/banknote.png"}) {
        CAPTURE(name);
        CHECK_FALSE(pictogram_path_problem(name));
        auto p = load_pictogram(kAssets / name);
        REQUIRE_MESSAGE(p, (p ? "" : p.error()));
        CHECK(p->width > 0);
        CHECK(p->width <= kMaxPictogramSide);
        CHECK(p->rgba.size() == static_cast<size_t>(p->width) * p->height * 4);
    }
    auto demo = load_consultation_file(
        fs::path(BUURTSTEM_SOURCE_DIR) / "config/consultations/minimaregelingen.toml", {kAssets});
    REQUIRE_MESSAGE(demo, (demo ? "" : demo.error().to_string()));
    int images = 0;
    for (const Question& q : demo->questions) {
        for (const Option& o : q.options) {
            images += o.image.empty() ? 0 : 1;
            // Every choice keeps its glyph too: the fallback where an image cannot be drawn.
            CHECK_MESSAGE(!o.icon.empty(), q.id << "/" << o.id << " has no icon");
        }
    }
    CHECK(images == 2);
}

TEST_CASE("an option's image is refused at its line: wrong path, missing, not a PNG, too large, broken") {
    TempDir dir;
    const fs::path assets = dir.path();
    fs::create_directories(assets / "pictograms");
    fs::copy_file(kAssets / "pictograms/banknote.png", assets / "pictograms/good.png");
    CHECK(refusal("pictograms/good.png", assets).empty());

    // The path's form, checked with or without an assets folder (the server has none).
    for (const char* bad :
         {"../secret.png", "pictograms/../../etc/passwd.png", "pictograms/Bus.png", "pictograms/bus.jpg",
          "/usr/share/pixmaps/debian-logo.png", "pictograms/.png", "pictograms/sub/bus.png"}) {
        CAPTURE(bad);
        for (const fs::path& root : {assets, fs::path()}) {
            const std::string error = refusal(bad, root);
            CHECK(error.find("plaatje.toml:11:") == 0);
            CHECK(error.find("must look like \"pictograms/NAME.png\"") != std::string::npos);
        }
    }
    CHECK(refusal("pictograms/missing.png", fs::path()).empty()); // the server cannot tell; the kiosk can

    std::string error = refusal("pictograms/missing.png", assets);
    CHECK(error.find("plaatje.toml:11:") == 0);
    CHECK(error.find("option 'b'") != std::string::npos);
    CHECK(error.find("No such file or directory") != std::string::npos);

    write(assets / "pictograms/text.png", "this is not an image\n");
    error = refusal("pictograms/text.png", assets);
    CHECK(error.find("plaatje.toml:11:") == 0);
    CHECK(error.find("not a PNG image") != std::string::npos);

    write(assets / "pictograms/huge.png", png_header(4096, 64));
    error = refusal("pictograms/huge.png", assets);
    CHECK(error.find("plaatje.toml:11:") == 0);
    CHECK(error.find("4096x64 pixels, larger than the 512x512") != std::string::npos);

    write(assets / "pictograms/heavy.png", png_header(64, 64) + std::string(kMaxPictogramBytes, '\0'));
    error = refusal("pictograms/heavy.png", assets);
    CHECK(error.find("larger than 512 KiB") != std::string::npos);

    write(assets / "pictograms/broken.png", png_header(64, 64));
    error = refusal("pictograms/broken.png", assets);
    CHECK(error.find("plaatje.toml:11:") == 0);
    CHECK(error.find("does not decode") != std::string::npos);

    fs::create_directories(assets / "pictograms/folder.png");
    error = refusal("pictograms/folder.png", assets);
    CHECK(error.find("not a regular file") != std::string::npos);
}
