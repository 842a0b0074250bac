// Image pictograms in the real kiosk: the demo's "kortingspas" and "onverwachte-kosten" options carry a PNG
// (assets/pictograms), drawn in place of their glyph. The map gives each drawn image's rectangle
// ("image": {x, y, w, h}); the screenshot shows the picture there (not a blank square), at the reading
// direction's start of the card: after the mark on the left in Dutch, on the right in Arabic.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>
#include <sstream>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
};

// The "image" rectangle of item `id`, or nothing when it shows no image.
std::optional<Rect> image_of(const ScreenMap& map, const std::string& id) {
    const auto json = nlohmann::json::parse(map.raw, nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    for (const auto& item : json["items"]) {
        if (item["id"] == id && item.contains("image")) {
            const auto& r = item["image"];
            return Rect{r["x"], r["y"], r["w"], r["h"]};
        }
    }
    return std::nullopt;
}

// The mean red, green, blue and the standard deviation of the screenshot inside `r`.
std::vector<double> pixel_stats(const std::filesystem::path& shot, const Rect& r) {
    const std::string crop = std::to_string(r.w) + "x" + std::to_string(r.h) + "+" + std::to_string(r.x) +
                             "+" + std::to_string(r.y);
    const CommandResult out =
        run_command({"convert", shot.string(), "-crop", crop, "+repage", "-format",
                     "%[fx:mean.r] %[fx:mean.g] %[fx:mean.b] %[fx:standard_deviation]", "info:"});
    REQUIRE_MESSAGE(out.exit_code == 0, out.output);
    std::istringstream in(out.output);
    std::vector<double> stats(4);
    in >> stats[0] >> stats[1] >> stats[2] >> stats[3];
    return stats;
}

ScreenMap to_schemes_question(const Kiosk& kiosk) {
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("option.ja");
    kiosk.tap("nav.next");
    return kiosk.wait_for_screen("question:welke-gebruikt");
}

void check_pictograms(const VirtualDisplay& display, const ScreenMap& map, const std::string& language) {
    INFO(language);
    const std::optional<Rect> card = image_of(map, "option.kortingspas");
    const std::optional<Rect> note = image_of(map, "option.onverwachte-kosten");
    REQUIRE_MESSAGE(card.has_value(), "no image drawn on option.kortingspas: " << map.raw);
    REQUIRE(note.has_value());
    CHECK_FALSE(image_of(map, "option.zorg").has_value()); // a glyph only
    const MapItem& item = *map.find("option.kortingspas");
    // Inside its card, about the size of the glyph it stands for, at the start of the reading direction.
    CHECK(card->x >= item.x);
    CHECK(card->x + card->w <= item.x + item.w);
    CHECK(card->y >= item.y);
    CHECK(card->y + card->h <= item.y + item.h);
    CHECK(card->w >= 20);
    CHECK(card->w == card->h); // a square picture stays square
    CHECK(note->h < note->w);  // ... and a wide one wide
    if (language == "ar") {
        CHECK(card->x > item.x + item.w / 2);
    } else {
        CHECK(card->x + card->w < item.x + item.w / 2);
    }
    const auto shot = display.screenshot("pictograms-" + language + ".png");
    // Not blank: the blue card with its white "%", and the green note.
    const std::vector<double> blue = pixel_stats(shot, *card);
    CHECK(blue[3] > 0.1);
    CHECK(blue[2] > blue[0] + 0.1);
    const std::vector<double> green = pixel_stats(shot, *note);
    CHECK(green[3] > 0.1);
    CHECK(green[1] > green[0] + 0.05);
}

} // namespace

TEST_CASE("an option's image pictogram is drawn in its card, mirrored with the card in Arabic") {
    TempDir dir;
    VirtualDisplay display("1280x800");
    Kiosk kiosk(display, dir.path());
    kiosk.wait_for_screen("start");
    check_pictograms(display, to_schemes_question(kiosk), "nl");

    kiosk.tap("nav.stop");
    kiosk.wait_for_screen("stop");
    kiosk.tap("stop.confirm");
    kiosk.wait_for_screen("start");
    kiosk.tap("lang.ar");
    check_pictograms(display, to_schemes_question(kiosk), "ar");
    CHECK(kiosk.log().find("pictogram") == std::string::npos); // nothing left out, nothing failed
}

TEST_CASE("a kiosk whose consultation names a missing image refuses it at that line") {
    TempDir dir;
    const std::filesystem::path consultation = dir.path() / "plaatje.toml";
    std::ofstream(consultation)
        << "format = 1\nid = \"plaatje\"\nversion = 1\nlanguages = [\"nl\"]\n"
           "title.nl = \"Titel\"\n[[question]]\nid = \"keuze\"\ntype = \"single_choice\"\n"
           "text.nl = \"Welke?\"\noptions = [\n  { id = \"a\", nl = \"A\" },\n"
           "  { id = \"b\", nl = \"B\", image = \"pictograms/weg.png\" },\n]\n";
    VirtualDisplay display("1280x800");
    Kiosk kiosk(display, dir.path(), "", consultation);
    CHECK(eventually(
        [&] {
            const std::string log = kiosk.log();
            return log.find("plaatje.toml:12:") != std::string::npos &&
                   log.find("pictograms/weg.png") != std::string::npos;
        },
        15s));
}
