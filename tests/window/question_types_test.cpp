// Every question type, show-if, multiple-choice limits and the quick poll, in the real kiosk window
// (Xvfb + xdotool through the automation map; see kiosk_fixture.hpp).
#include <doctest/doctest.h>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

bool selected(const ScreenMap& map, const std::string& id) {
    const MapItem* item = map.find(id);
    REQUIRE_MESSAGE(item != nullptr, "no '" << id << "' on '" << map.screen << "'");
    return item->selected;
}

std::string label(const ScreenMap& map, const std::string& id) {
    const MapItem* item = map.find(id);
    REQUIRE_MESSAGE(item != nullptr, "no '" << id << "' on '" << map.screen << "'");
    return item->label;
}

} // namespace

// The whole walk, at one screen size; screenshots are named after it.
static void walk_every_type(const std::string& size) {
    TempDir dir;
    VirtualDisplay display(size);
    Kiosk kiosk(display, dir.path());
    const std::string shot = "types-" + size + "-";

    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.ja-goed");
    kiosk.tap("nav.next");

    // show-if: "welke-gebruikt" only follows a "Ja".
    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("option.ja");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:welke-gebruikt");
    display.screenshot(shot + "00-show-if.png");
    kiosk.tap("option.sport-cultuur");
    ScreenMap map = kiosk.tap("option.zorg");
    CHECK(selected(map, "option.sport-cultuur")); // several chosen at once
    CHECK(selected(map, "option.zorg"));
    CHECK_FALSE(selected(map, "option.school"));
    map = kiosk.tap("option.sport-cultuur"); // a second tap takes it away
    CHECK_FALSE(selected(map, "option.sport-cultuur"));
    display.screenshot(shot + "01-multiple-choice.png");
    kiosk.tap("nav.next");

    // Back to "gebruikt" and answer "Nee": the follow-up question and its answer go away.
    kiosk.wait_for_screen("question:aanvragen-makkelijk");
    kiosk.tap("nav.back");
    kiosk.wait_for_screen("question:welke-gebruikt");
    kiosk.tap("nav.back");
    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:aanvragen-makkelijk");
    kiosk.tap("nav.back");
    kiosk.wait_for_screen("question:gebruikt"); // backwards too, the hidden question is stepped over
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:aanvragen-makkelijk");
    kiosk.tap("smiley.5");
    kiosk.tap("nav.next");

    // At most three: a fourth tap is refused with an explanation, and the three stay chosen.
    kiosk.wait_for_screen("question:wat-houdt-tegen");
    display.screenshot(shot + "02-multiple-choice-max.png");
    CHECK(kiosk.read_map().find("notice.limit") == nullptr);
    kiosk.tap("option.niet-geweten");
    kiosk.tap("option.veel-papieren");
    kiosk.tap("option.taal");
    map = kiosk.tap("option.schaamte");
    CHECK_FALSE(selected(map, "option.schaamte"));
    CHECK(selected(map, "option.niet-geweten"));
    CHECK(selected(map, "option.veel-papieren"));
    CHECK(selected(map, "option.taal"));
    REQUIRE(map.find("notice.limit") != nullptr);
    CHECK(map.find("notice.limit")->label.find("3") != std::string::npos);
    display.screenshot(shot + "02-multiple-choice-limit.png");
    CHECK(kiosk.read_map().find("notice.limit") != nullptr); // it stays until the next tap
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:informatie-duidelijk");
    CHECK(label(map, "scale.1") == "Helemaal oneens");
    CHECK(label(map, "scale.5") == "Helemaal eens");
    map = kiosk.tap("scale.2");
    CHECK(selected(map, "scale.2"));
    display.screenshot(shot + "03-agree-scale.png");
    kiosk.tap("nav.next");

    // Ranking: the tapped item shows its rank; tapping it again takes it out and the rest move up.
    kiosk.wait_for_screen("question:hoe-informeren");
    kiosk.tap("rank.buurthuis");
    kiosk.tap("rank.brief");
    map = kiosk.tap("rank.persoonlijk");
    CHECK(label(map, "rank.buurthuis").rfind("1.", 0) == 0);
    CHECK(label(map, "rank.brief").rfind("2.", 0) == 0);
    CHECK(label(map, "rank.persoonlijk").rfind("3.", 0) == 0);
    CHECK_FALSE(selected(map, "rank.internet"));
    display.screenshot(shot + "04-ranking.png");
    map = kiosk.tap("rank.buurthuis");
    CHECK_FALSE(selected(map, "rank.buurthuis"));
    CHECK(label(map, "rank.buurthuis") == "In het buurthuis");
    CHECK(label(map, "rank.brief").rfind("1.", 0) == 0);
    CHECK(label(map, "rank.persoonlijk").rfind("2.", 0) == 0);
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:hulp-bij-aanvragen");
    CHECK(label(map, "yesno.unknown") == "Weet ik niet");
    map = kiosk.tap("yesno.unknown");
    CHECK(selected(map, "yesno.unknown"));
    CHECK_FALSE(selected(map, "yesno.yes"));
    display.screenshot(shot + "05-yes-no.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:ideeen");
    kiosk.tap("nav.skip");
    kiosk.wait_for_screen("thanks");

    int64_t responses = 0;
    const auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(answers.at("gebruikt") == "nee");
    CHECK(answers.count("welke-gebruikt") == 0); // hidden after all: its answer was dropped
    CHECK(answers.at("aanvragen-makkelijk") == "5");
    CHECK(answers.at("wat-houdt-tegen") == "niet-geweten,veel-papieren,taal");
    CHECK(answers.at("informatie-duidelijk") == "2");
    CHECK(answers.at("hoe-informeren") == "brief,persoonlijk");
    CHECK(answers.at("hulp-bij-aanvragen") == "unknown");
    CHECK(answers.count("ideeen") == 0);
}

TEST_CASE("every question type of the demo, with show-if and a multiple-choice limit, on a tablet") {
    walk_every_type("1280x800");
}

// A portrait walk (800x1280) waits for the scrolling answer area (k4-layout): there the six options of
// "wat-houdt-tegen" do not all fit, and the map leaves out items that are scrolled out of view.

TEST_CASE("quick poll: one tap stores a response, two seconds of thanks, then the question again") {
    TempDir dir;
    VirtualDisplay display("800x1280");
    Kiosk kiosk(display, dir.path(), "", kSource / "config/consultations/snelle-peiling.toml");

    ScreenMap map = kiosk.wait_for_screen("question:weet-waar-hulp");
    CHECK(map.find("nav.next") == nullptr); // one tap, nothing else to learn
    CHECK(map.find("nav.stop") == nullptr);
    CHECK(map.find("start.begin") == nullptr);
    kiosk.tap("yesno.yes");
    kiosk.wait_for_screen("thanks");
    const auto thanked = std::chrono::steady_clock::now();
    map = kiosk.wait_for_screen("question:weet-waar-hulp", 10s);
    const auto shown = std::chrono::steady_clock::now() - thanked;
    CHECK(shown < 6s); // two seconds, not the ten of a full consultation
    // Taken now rather than at the very start: the first frames after launch can still be black.
    display.screenshot("types-06-quick-poll.png");
    for (const MapItem& item : map.items) {
        if (item.id.rfind("lang.", 0) == 0) {
            continue; // the language buttons: the default one is chosen (quick_languages_test.cpp)
        }
        CHECK_MESSAGE(!chosen_by_resident(item), item.id << " is still chosen from the previous passer-by");
    }
    int64_t responses = 0;
    auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(answers.at("weet-waar-hulp") == "yes");

    kiosk.tap("yesno.unknown");
    kiosk.wait_for_screen("thanks");
    kiosk.wait_for_screen("question:weet-waar-hulp", 10s);
    stored_answers(kiosk.database(), responses);
    CHECK(responses == 2);
}
