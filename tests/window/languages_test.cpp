// The text pipeline in the real kiosk (Xvfb, tapped with xdotool, read through the automation map): the
// five languages, Arabic shaped, right to left and mirrored, and the resident's text size, contrast,
// language and speech, which are gone for the next resident after the thank-you and after the
// inactivity reset. Runs on tests/data/kiosk/five-languages.toml (the demo's tr/pl/ar texts are another
// stream's); the whole demo at every text size is layout_test.cpp.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kFiveLanguages =
    std::filesystem::path(BUURTSTEM_TEST_DATA_DIR) / "kiosk/five-languages.toml";
const std::string kClockSpeech = "[speech]\naudio = \"none\"\n";

// The map's top-level fields (language, text_size, contrast, speech) besides screen and items.
nlohmann::json fields(const ScreenMap& map) {
    auto json = nlohmann::json::parse(map.raw, nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    json.erase("items");
    return json;
}

// Waits until the map's top-level `key` is `value` (a text size change re-bakes the font atlas, which
// can take a frame or two after the map first changes); returns that map.
ScreenMap wait_for_field(const Kiosk& kiosk, const std::string& key, const nlohmann::json& value) {
    ScreenMap map;
    const bool reached = eventually(
        [&] {
            map = kiosk.read_map();
            return !map.raw.empty() && fields(map)[key] == value;
        },
        15s);
    REQUIRE_MESSAGE(reached, key << " never became " << value.dump() << "; map: " << map.raw);
    return map;
}

struct LanguageCase {
    const char* code;
    const char* name;  // on its own button, in its own language
    const char* begin; // the start button, from assets/i18n/<code>.toml
    const char* first_option;
};

const LanguageCase kLanguages[] = {
    {"nl", "Nederlands", "Beginnen", "Ja, die ken ik goed"},
    {"en", "English", "Start", "Yes, I know them well"},
    {"tr", "Türkçe", "Başla", "Evet, onları iyi biliyorum"},
    {"pl", "Polski", "Zacznij", "Tak, znam je dobrze"},
    {"ar", "العربية", "ابدأ", "نعم، أعرفها جيدا"},
};

// Scrolls `id` into view with the "more below" bar where large text pushed it down; returns that map.
ScreenMap reveal(const Kiosk& kiosk, const std::string& id) {
    ScreenMap map;
    eventually(
        [&] {
            map = kiosk.read_map();
            return map.find(id) != nullptr || map.find("scroll.more") != nullptr;
        },
        10s);
    for (int i = 0; i < 20 && map.find(id) == nullptr && map.find("scroll.more") != nullptr; ++i) {
        map = kiosk.tap("scroll.more");
    }
    return map;
}

// Every id a resident's choices show up in, checked at their defaults: nothing of the last resident.
void check_defaults(const ScreenMap& map) {
    INFO("screen '" << map.screen << "'");
    const nlohmann::json f = fields(map);
    CHECK(f["language"] == "nl");
    CHECK(f["text_size"] == 0);
    CHECK(f["contrast"] == "normal");
    CHECK(f["speech"] == "idle");
    REQUIRE(map.find("textsize.0") != nullptr);
    CHECK(map.find("textsize.0")->selected);
    REQUIRE(map.find("contrast") != nullptr);
    CHECK_FALSE(map.find("contrast")->selected);
    REQUIRE(map.find("speak") != nullptr);
    CHECK_FALSE(map.find("speak")->selected);
    for (const MapItem& item : map.items) {
        if (item.id != "textsize.0" && item.id != "lang.nl") {
            CHECK_MESSAGE(!item.selected, item.id << " is still chosen from the previous resident");
        }
    }
}

// A resident who chooses Arabic in high contrast, answers, types on the last question, turns the text up
// to 200 % there and has it read aloud.
void answer_as_arabic_resident(const Kiosk& kiosk) {
    kiosk.wait_for_screen("start");
    kiosk.tap("lang.ar");
    kiosk.tap("contrast");
    wait_for_field(kiosk, "contrast", "high");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:belangrijk");
    kiosk.tap("nav.skip");
    kiosk.wait_for_screen("question:eens");
    kiosk.tap("nav.skip");
    kiosk.wait_for_screen("question:hulp");
    kiosk.tap("nav.skip");
    kiosk.wait_for_screen("question:idee");
    kiosk.tap("key.latin"); // the Arabic keyboard's switch to Latin letters
    kiosk.tap("key.a");
    const ScreenMap typed = kiosk.tap("key.b");
    REQUIRE(typed.find("text.input") != nullptr);
    CHECK(typed.find("text.input")->label == "2");
    kiosk.tap("textsize.2"); // the toolbar works on a question too
    wait_for_field(kiosk, "text_size", 2);
    kiosk.tap("speak");
    wait_for_field(kiosk, "speech", "playing");
}

// The next resident: defaults on the start screen, no answer on the first question, no typed text.
void check_next_resident_sees_nothing(const Kiosk& kiosk) {
    const ScreenMap start = kiosk.wait_for_screen("start");
    check_defaults(wait_for_field(kiosk, "speech", "idle"));
    CHECK(start.find("start.begin")->label == "Beginnen");
    kiosk.tap("start.begin");
    check_defaults(kiosk.wait_for_screen("question:kent-regelingen"));
    kiosk.tap("option.ja-goed");
    kiosk.tap("nav.next");
    for (const char* id : {"belangrijk", "eens", "hulp"}) {
        check_defaults(kiosk.wait_for_screen(std::string("question:") + id));
        kiosk.tap("nav.skip");
    }
    const ScreenMap text = kiosk.wait_for_screen("question:idee");
    check_defaults(text);
    REQUIRE(text.find("text.input") != nullptr);
    CHECK(text.find("text.input")->label == "0"); // the typed text is gone
}

} // namespace

TEST_CASE("the start screen and the first question in each of the five languages, Arabic mirrored") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), "", kFiveLanguages);

    ScreenMap start = kiosk.wait_for_screen("start");
    for (const LanguageCase& lang : kLanguages) {
        CAPTURE(lang.code);
        const std::string button = std::string("lang.") + lang.code;
        REQUIRE(start.find(button) != nullptr);
        CHECK(start.find(button)->label == lang.name); // the map keeps the logical string
    }
    for (const LanguageCase& lang : kLanguages) {
        CAPTURE(lang.code);
        const std::string button = std::string("lang.") + lang.code;
        start = kiosk.read_map();
        if (!start.find(button)->selected) {
            start = kiosk.tap(button);
        }
        CHECK(fields(start)["language"] == lang.code);
        CHECK(start.find(button)->selected);
        REQUIRE(start.find("start.begin") != nullptr);
        CHECK(start.find("start.begin")->label == lang.begin);

        kiosk.tap("start.begin");
        const ScreenMap q = kiosk.wait_for_screen("question:kent-regelingen");
        REQUIRE(q.find("option.ja-goed") != nullptr);
        CHECK(q.find("option.ja-goed")->label == lang.first_option);
        const MapItem* back = q.find("nav.back");
        const MapItem* stop = q.find("nav.stop");
        const MapItem* speak = q.find("speak");
        REQUIRE(back != nullptr);
        REQUIRE(stop != nullptr);
        REQUIRE(speak != nullptr);
        if (std::string(lang.code) == "ar") {
            display.screenshot("kiosk-ar-question.png"); // kept: glyphs joined, right to left, pictograms
            // Mirrored: Back at the right, the toolbar (speaker outermost) at the left, Stop beside it.
            CHECK(back->x > 640);
            CHECK(speak->x < 100);
            // Stop just right of the toolbar (which keeps clear of the volunteer corner at the top left).
            CHECK(stop->x > speak->x);
            CHECK(stop->x < 700);
            const ScreenMap answered = kiosk.tap("option.ja-goed");
            REQUIRE(answered.find("nav.next") != nullptr);
            CHECK(answered.find("nav.next")->x + answered.find("nav.next")->w < answered.find("nav.back")->x);
            display.screenshot("kiosk-ar-answered.png");
        } else {
            CHECK(back->x < 640); // Back at the left, the speaker at the right
            CHECK(speak->x + speak->w > 1180);
        }
        // Back from the first question goes to the start screen; the language stays the resident's.
        kiosk.tap("nav.back");
        start = kiosk.wait_for_screen("start");
        CHECK(fields(start)["language"] == lang.code);
    }
}

TEST_CASE("text size and contrast work on every screen and grow the text, not the tap targets") {
    TempDir dir;
    VirtualDisplay display("1920x1080");
    Kiosk kiosk(display, dir.path(), "", kFiveLanguages);

    ScreenMap map = kiosk.wait_for_screen("start");
    CHECK(fields(map)["text_size"] == 0);
    CHECK(fields(map)["contrast"] == "normal");
    kiosk.tap("start.begin");
    map = kiosk.wait_for_screen("question:kent-regelingen");
    REQUIRE(map.find("option.ja-goed") != nullptr);
    const int small_height = map.find("option.ja-goed")->h;
    const int small_key = map.find("textsize.1")->w;

    for (const int size : {1, 2}) {
        CAPTURE(size);
        kiosk.tap("textsize." + std::to_string(size));
        map = wait_for_field(kiosk, "text_size", size);
        for (int other = 0; other < 3; ++other) {
            const std::string id = "textsize." + std::to_string(other);
            REQUIRE(map.find(id) != nullptr);
            CHECK(map.find(id)->selected == (other == size));
            CHECK(map.find(id)->w == small_key); // the buttons keep their size: only the text grows
        }
        map = reveal(kiosk, "option.ja-goed"); // at 200 % it is below the question, behind "more below"
        REQUIRE(map.find("option.ja-goed") != nullptr);
        CHECK(map.find("option.ja-goed")->h > small_height); // its height follows its (larger) text
    }
    kiosk.tap("contrast");
    map = wait_for_field(kiosk, "contrast", "high");
    CHECK(map.find("contrast")->selected);
    display.screenshot("kiosk-text-200-contrast.png");
    kiosk.tap("contrast");
    map = wait_for_field(kiosk, "contrast", "normal");
    CHECK_FALSE(map.find("contrast")->selected);
}

TEST_CASE("after the thank-you nothing of the last resident remains: answers, text, language, size, "
          "contrast, speech") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), kClockSpeech, kFiveLanguages);
    answer_as_arabic_resident(kiosk);
    kiosk.tap("nav.next");
    const ScreenMap thanks = kiosk.wait_for_screen("thanks");
    CHECK(fields(thanks)["text_size"] == 2); // still theirs while they read the thank-you
    CHECK(fields(thanks)["language"] == "ar");
    kiosk.tap("thanks.done");
    check_next_resident_sees_nothing(kiosk);
    int64_t responses = 0;
    const auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(answers.at("idee") == "Ab"); // the keyboard starts with a capital
}

TEST_CASE("after the inactivity reset nothing of the last resident remains: answers, text, language, "
          "size, contrast, speech") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(),
                kClockSpeech + "[timing]\nidle_warning_seconds = 6\nidle_reset_seconds = 2\n",
                kFiveLanguages);
    answer_as_arabic_resident(kiosk);
    kiosk.wait_for_screen("idle", 15s);
    check_next_resident_sees_nothing(kiosk);
    int64_t responses = 0;
    stored_answers(kiosk.database(), responses);
    CHECK(responses == 0); // an abandoned response is never stored
}
