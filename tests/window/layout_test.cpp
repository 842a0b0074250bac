// Rule 1 of issue 8, "fits every screen", asserted from the automation map on every screen a resident
// can reach, at the three screen shapes the councils use (and every text size once the kiosk has them):
// no tappable item outside the window, none overlapping another, each at least 88 px per 1080 px of the
// short side in width and height, and no label with a word split between letters.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "kiosk_fixture.hpp"
#include "layout_checks.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

// The screen shapes: kiosk, tablet, portrait tablet.
const std::vector<std::string> kShapes = {"1920x1080", "1280x800", "800x1280"};

// Text sizes: the taps on the start screen that select each (100 %, 150 %, 200 %).
const std::vector<std::vector<std::string>> kTextSizes = {{}, {"textsize.1"}, {"textsize.2"}};

ScreenMap check_screen(const Kiosk& kiosk, const std::string& screen, const Size& window,
                       const std::string& where) {
    const ScreenMap map = kiosk.wait_for_screen(screen);
    check_layout(map, window, where);
    return map;
}

// Taps `id`, first scrolling it into view with the "more below" bar where large text pushed it down;
// every map on the way must keep rule 1 too.
ScreenMap reveal_and_tap(const Kiosk& kiosk, const std::string& id, const Size& window,
                         const std::string& where) {
    // The first frame of a screen does not yet know its content overflows: wait for the item or the bar.
    ScreenMap map;
    eventually(
        [&] {
            map = kiosk.read_map();
            return map.find(id) != nullptr || map.find("scroll.more") != nullptr;
        },
        10s);
    for (int i = 0; i < 20 && map.find(id) == nullptr && map.find("scroll.more") != nullptr; ++i) {
        map = kiosk.tap("scroll.more");
        check_layout(map, window, where + " scrolling to " + id);
    }
    return kiosk.tap(id);
}

} // namespace

// Every screen of the demo at one screen shape and text size (an index into kTextSizes): a whole run
// through the demo, every question type answered, in `language` (nl, or ar: the mirrored layout, where the
// toolbar moves to the volunteer corner's side).
void check_every_screen(const std::string& shape, size_t text_size_index,
                        const std::string& language = "nl") {
    {
        {
            const std::vector<std::string>& text_size = kTextSizes.at(text_size_index);
            std::string where = shape + " " + language;
            for (const std::string& tap : text_size) {
                where += " " + tap;
            }
            CAPTURE(where);
            const Size window = parse_size(shape);
            TempDir dir;
            VirtualDisplay display(shape);
            Kiosk kiosk(display, dir.path());
            check_screen(kiosk, "start", window, where);
            for (const std::string& tap : text_size) {
                kiosk.tap(tap);
            }
            check_layout(kiosk.tap("lang.en"), window, where + " english");
            const ScreenMap start = kiosk.tap("lang." + language);
            check_layout(start, window, where);
            // The hidden corner is a tappable item like any other: in the map, so the checks above cover it.
            CHECK(start.find("volunteer.corner") != nullptr);
            kiosk.tap("start.begin");

            check_screen(kiosk, "question:kent-regelingen", window, where);
            check_layout(reveal_and_tap(kiosk, "option.een-paar", window, where), window,
                         where + " answered");
            kiosk.tap("nav.stop");
            check_screen(kiosk, "stop", window, where);
            kiosk.tap("stop.cancel");
            check_screen(kiosk, "question:kent-regelingen", window, where);
            kiosk.tap("nav.next");

            check_screen(kiosk, "question:gebruikt", window, where);
            reveal_and_tap(kiosk, "option.nee", window, where);
            kiosk.tap("nav.next");
            check_screen(kiosk, "question:aanvragen-makkelijk", window, where);
            check_layout(reveal_and_tap(kiosk, "smiley.2", window, where), window, where + " answered");
            const std::string shot = "layout-" + shape + "-text" + std::to_string(text_size_index) +
                                     (language == "nl" ? "" : "-" + language);
            display.screenshot(shot + "-smiley.png");
            kiosk.tap("nav.next");
            check_screen(kiosk, "question:wat-houdt-tegen", window, where);
            display.screenshot(shot + "-choices.png");
            check_layout(reveal_and_tap(kiosk, "option.taal", window, where), window, where + " answered");
            kiosk.tap("nav.next");
            check_screen(kiosk, "question:informatie-duidelijk", window, where);
            check_layout(reveal_and_tap(kiosk, "scale.4", window, where), window, where + " answered");
            kiosk.tap("nav.next");
            check_screen(kiosk, "question:hoe-informeren", window, where);
            check_layout(reveal_and_tap(kiosk, "rank.buurthuis", window, where), window, where + " answered");
            kiosk.tap("nav.next");
            check_screen(kiosk, "question:hulp-bij-aanvragen", window, where);
            check_layout(reveal_and_tap(kiosk, "yesno.unknown", window, where), window, where + " answered");
            kiosk.tap("nav.next");

            check_screen(kiosk, "question:ideeen", window, where);
            // The resident's own script's keys come first (Arabic letters for Arabic).
            const std::string key = language == "ar" ? "key.ب" : "key.a";
            check_layout(reveal_and_tap(kiosk, key, window, where), window, where + " typed");
            display.screenshot(shot + "-keyboard.png");

            kiosk.tap("nav.next");
            check_screen(kiosk, "thanks", window, where);
            CHECK(kiosk.process().terminate() == 0);

            // The idle warning, in a kiosk of its own that warns after 1 s without a tap (in the run
            // above, slow software rendering at large text could bring it up between taps).
            TempDir idle_dir;
            Kiosk idle(display, idle_dir.path(),
                       "[timing]\nidle_warning_seconds = 1\nidle_reset_seconds = 30\n");
            idle.wait_for_screen("start");
            for (const std::string& tap : text_size) {
                idle.tap(tap);
            }
            if (language != "nl") {
                idle.tap("lang." + language);
            }
            idle.tap("start.begin");
            check_screen(idle, "idle", window, where);
            CHECK(idle.process().terminate() == 0);
        }
    }
}

// One test case per shape and text size, so ctest runs them side by side. The 200 % ones are the
// demo's whole run at the largest text.
TEST_CASE("every screen of the demo fits the kiosk (1920x1080) at 100 % text") {
    check_every_screen(kShapes[0], 0);
}
TEST_CASE("every screen of the demo fits the kiosk (1920x1080) at 150 % text") {
    check_every_screen(kShapes[0], 1);
}
TEST_CASE("every screen of the demo fits the kiosk (1920x1080) at 200 % text") {
    check_every_screen(kShapes[0], 2);
}

TEST_CASE("every screen of the demo fits the tablet (1280x800) at 100 % text") {
    check_every_screen(kShapes[1], 0);
}
TEST_CASE("every screen of the demo fits the tablet (1280x800) at 150 % text") {
    check_every_screen(kShapes[1], 1);
}
TEST_CASE("every screen of the demo fits the tablet (1280x800) at 200 % text") {
    check_every_screen(kShapes[1], 2);
}

TEST_CASE("every screen of the demo fits the portrait tablet (800x1280) at 100 % text") {
    check_every_screen(kShapes[2], 0);
}
TEST_CASE("every screen of the demo fits the portrait tablet (800x1280) at 150 % text") {
    check_every_screen(kShapes[2], 1);
}
TEST_CASE("every screen of the demo fits the portrait tablet (800x1280) at 200 % text") {
    check_every_screen(kShapes[2], 2);
}

// Arabic: the mirrored layout, with the toolbar at the top left beside the volunteer corner.
TEST_CASE("every screen of the demo fits the kiosk (1920x1080) in Arabic") {
    check_every_screen(kShapes[0], 0, "ar");
}
TEST_CASE("every screen of the demo fits the tablet (1280x800) in Arabic") {
    check_every_screen(kShapes[1], 0, "ar");
}
TEST_CASE("every screen of the demo fits the portrait tablet (800x1280) in Arabic at 200 % text") {
    check_every_screen(kShapes[2], 2, "ar");
}

TEST_CASE("answers that do not fit scroll by dragging, behind a 'more below' bar, and a drag is no tap") {
    const std::string shape = "1280x800";
    const Size window = parse_size(shape);
    TempDir dir;
    VirtualDisplay display(shape);
    Kiosk kiosk(display, dir.path(), "",
                std::filesystem::path(BUURTSTEM_TEST_DATA_DIR) / "layout/many-long-options.toml");
    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    ScreenMap q = check_screen(kiosk, "question:lang", window, shape);
    REQUIRE_MESSAGE(q.find("scroll.more") != nullptr,
                    "twelve long options fit 1280x800? then the test needs more");
    CHECK(q.find("option.l") == nullptr); // the last option is below the bar, not tappable yet
    CHECK(q.find("scroll.top") == nullptr);
    display.screenshot("layout-scroll-top.png");

    // A finger drags the list up from the first visible option: the list moves, nothing is chosen.
    auto is_option = [](const MapItem& i) { return i.id.rfind("option.", 0) == 0; };
    // At large text the question may fill the region: bring the first option into view.
    for (int i = 0; i < 5 && std::none_of(q.items.begin(), q.items.end(), is_option); ++i) {
        q = kiosk.tap("scroll.more");
    }
    const auto first_option = std::find_if(q.items.begin(), q.items.end(), is_option);
    REQUIRE(first_option != q.items.end());
    const MapItem first = *first_option;
    const int x = first.x + first.w / 2;
    const int y0 = first.y + first.h / 2;
    // A finger takes time: the pauses let the kiosk see the finger down, moving, then up, in separate
    // frames (all at once, X would deliver a click at the end point).
    std::vector<std::string> steps{"env",
                                   "DISPLAY=" + display.name(),
                                   "xdotool",
                                   "mousemove",
                                   std::to_string(x),
                                   std::to_string(y0),
                                   "mousedown",
                                   "1"};
    for (int dy = 40; dy <= 320; dy += 40) {
        for (const std::string& step : {std::string("sleep"), std::string("0.05"), std::string("mousemove"),
                                        std::to_string(x), std::to_string(y0 - dy)}) {
            steps.push_back(step);
        }
    }
    for (const char* step : {"sleep", "0.1", "mouseup", "1"}) {
        steps.push_back(step);
    }
    const CommandResult drag = run_command(steps);
    REQUIRE_MESSAGE(drag.exit_code == 0, drag.output);
    ScreenMap dragged;
    const bool moved = eventually(
        [&] {
            dragged = kiosk.read_map();
            return dragged.find(first.id) == nullptr || dragged.find(first.id)->y < first.y - 100;
        },
        10s);
    CHECK_MESSAGE(moved, "dragging did not scroll the options");
    for (const MapItem& item : dragged.items) {
        CHECK_MESSAGE(!chosen_by_resident(item), item.id << " was chosen by a drag");
    }
    check_layout(dragged, window, shape + " dragged");

    // The bar scrolls down when tapped, until the end, where it offers the way back up.
    ScreenMap now = kiosk.read_map();
    for (int i = 0; i < 10 && now.find("scroll.more") != nullptr; ++i) {
        now = kiosk.tap("scroll.more");
        check_layout(now, window, shape + " scrolled");
    }
    REQUIRE(now.find("scroll.top") != nullptr);
    REQUIRE(now.find("option.l") != nullptr);
    display.screenshot("layout-scroll-end.png");
    now = kiosk.tap("option.l");
    CHECK(now.find("option.l")->selected);
    now = kiosk.tap("scroll.top");
    // Back at the top: the bar says "more below" again, and the last option is out of reach.
    CHECK(eventually(
        [&] {
            const ScreenMap top = kiosk.read_map();
            return top.find("scroll.more") != nullptr && top.find("option.l") == nullptr;
        },
        10s));
}
