// Right to left is a mirror, not just right-aligned text: every horizontal order on the residents' screens
// reads from the right in Arabic. Asserted from the automation map's rectangles (and the progress bar's
// "progress" field), beside the same screens in Dutch, and from the screenshot's pixels for the faces:
//   smiley.1 (the unhappy end) at the right, smiley.5 at the left;  the progress bar filled from the right;
//   nav.next left of nav.back;  the agree scale's steps top-down, a shared row from the right;  the toolbar
//   at the left with the speaker outermost and the text sizes small (textsize.0) at the right;  the volunteer
//   corner at the top left, clear of the toolbar.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "kiosk_fixture.hpp"
#include "layout_checks.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const MapItem& item(const ScreenMap& map, const std::string& id) {
    const MapItem* found = map.find(id);
    REQUIRE_MESSAGE(found != nullptr, "no '" << id << "' on screen '" << map.screen << "'");
    return *found;
}

struct Progress {
    int x = 0, w = 0, fill_x = 0, fill_w = 0;
};

Progress progress_of(const ScreenMap& map) {
    const auto json = nlohmann::json::parse(map.raw, nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    REQUIRE_MESSAGE(json.contains("progress"), "no progress bar in the map of '" << map.screen << "'");
    const auto& p = json["progress"];
    return {p["x"], p["w"], p["fill_x"], p["fill_w"]};
}

// Mean red and green of the screenshot inside `i`: a face of point 1 is red, of point 5 green.
std::pair<double, double> mean_red_green(const std::filesystem::path& shot, const MapItem& i) {
    const std::string crop = std::to_string(i.w) + "x" + std::to_string(i.h) + "+" + std::to_string(i.x) +
                             "+" + std::to_string(i.y);
    const CommandResult r = run_command({"convert", shot.string(), "-crop", crop, "+repage", "-format",
                                         "%[fx:mean.r] %[fx:mean.g]", "info:"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    std::istringstream in(r.output);
    double red = 0;
    double green = 0;
    in >> red >> green;
    return {red, green};
}

// From the start screen to the smiley question, answering only what is required.
ScreenMap to_smiley_question(const Kiosk& kiosk) {
    kiosk.tap("start.begin");
    ScreenMap first = kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("nav.skip");
    return kiosk.wait_for_screen("question:aanvragen-makkelijk");
}

} // namespace

TEST_CASE("Arabic mirrors every horizontal order: faces, progress, navigation, toolbar (Dutch does not)") {
    const std::string shape = "1280x800";
    const Size window = parse_size(shape);
    TempDir dir;
    VirtualDisplay display(shape);
    Kiosk kiosk(display, dir.path(), "[speech]\naudio = \"none\"\n");

    // Dutch first: the left-to-right order everything below is the mirror of.
    ScreenMap map = kiosk.wait_for_screen("start");
    CHECK(item(map, "textsize.0").x < item(map, "textsize.2").x);
    CHECK(item(map, "speak").x > item(map, "contrast").x);
    map = to_smiley_question(kiosk);
    for (int point = 1; point < 5; ++point) {
        CHECK(item(map, "smiley." + std::to_string(point)).x <
              item(map, "smiley." + std::to_string(point + 1)).x);
    }
    Progress p = progress_of(map);
    CHECK(p.fill_x == p.x);
    CHECK(p.fill_w > 0);
    CHECK(p.fill_w < p.w);
    CHECK(item(map, "nav.back").x < item(map, "nav.next").x);
    kiosk.tap("nav.stop");
    kiosk.wait_for_screen("stop");
    kiosk.tap("stop.confirm");

    // The next resident, in Arabic.
    map = kiosk.wait_for_screen("start");
    map = kiosk.tap("lang.ar");
    check_layout(map, window, shape + " ar start");
    const MapItem corner = item(map, "volunteer.corner");
    CHECK(corner.x == 0);
    CHECK(corner.y == 0);
    CHECK(item(map, "textsize.0").x > item(map, "textsize.2").x); // small at the right
    CHECK(item(map, "speak").x < item(map, "contrast").x);        // the speaker outermost, at the left
    CHECK(item(map, "speak").x >= corner.x + corner.w);           // right of the corner, not on it
    // The language buttons: the first (Nederlands) at the right.
    CHECK(item(map, "lang.nl").x > item(map, "lang.en").x);

    kiosk.tap("start.begin");
    map = kiosk.wait_for_screen("question:kent-regelingen");
    check_layout(map, window, shape + " ar first question");
    p = progress_of(map);
    CHECK(p.fill_x + p.fill_w == p.x + p.w); // filled from the right
    CHECK(p.fill_w > 0);
    CHECK(p.fill_w < p.w);
    CHECK(item(map, "nav.stop").x < p.x); // the row: toolbar, Stop, then the progress at the right
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("nav.skip");

    map = kiosk.wait_for_screen("question:aanvragen-makkelijk");
    check_layout(map, window, shape + " ar smiley");
    for (int point = 1; point < 5; ++point) {
        CHECK(item(map, "smiley." + std::to_string(point)).x >
              item(map, "smiley." + std::to_string(point + 1)).x);
    }
    const Progress later = progress_of(map);
    CHECK(later.fill_x + later.fill_w == later.x + later.w);
    CHECK(later.fill_w > p.fill_w); // further along: more of the bar filled, growing leftwards
    map = kiosk.tap("smiley.1");
    CHECK(item(map, "smiley.1").selected);
    CHECK(item(map, "nav.next").x + item(map, "nav.next").w <= item(map, "nav.back").x);
    // The picture agrees with the map: the red face (point 1) where the map says, at the right.
    const auto shot = display.screenshot("rtl-ar-smiley.png");
    const auto [red1, green1] = mean_red_green(shot, item(map, "smiley.1"));
    const auto [red5, green5] = mean_red_green(shot, item(map, "smiley.5"));
    CHECK(red1 > green1 + 0.03);
    CHECK(green5 > red5 + 0.03);

    // The agree scale is a list: its steps read top-down, and where two share a row, from the right.
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:wat-houdt-tegen");
    kiosk.tap("nav.skip");
    map = kiosk.wait_for_screen("question:informatie-duidelijk");
    check_layout(map, window, shape + " ar agree scale");
    for (int point = 1; point < 5; ++point) {
        const MapItem& a = item(map, "scale." + std::to_string(point));
        const MapItem& b = item(map, "scale." + std::to_string(point + 1));
        CAPTURE(point);
        CHECK((b.y >= a.y + a.h || (b.y == a.y && b.x + b.w <= a.x)));
    }
}

TEST_CASE("the volunteer corner stays clear of the Arabic toolbar on every screen shape and text size") {
    for (const std::string shape : {"1920x1080", "800x1280"}) {
        CAPTURE(shape);
        const Size window = parse_size(shape);
        TempDir dir;
        VirtualDisplay display(shape);
        Kiosk kiosk(display, dir.path(), "[speech]\naudio = \"none\"\n");
        kiosk.wait_for_screen("start");
        kiosk.tap("lang.ar");
        for (const char* size : {"textsize.2", "textsize.1"}) {
            ScreenMap map = kiosk.tap(size);
            REQUIRE(map.find("volunteer.corner") != nullptr);
            check_layout(map, window, shape + " ar start " + size);
            kiosk.tap("start.begin");
            map = kiosk.wait_for_screen("question:kent-regelingen");
            REQUIRE(map.find("volunteer.corner") != nullptr);
            check_layout(map, window, shape + " ar question " + size);
            kiosk.tap("nav.back");
            kiosk.wait_for_screen("start");
        }
    }
}
