// Read-aloud in the real kiosk: the speaker button speaks, pauses and repeats; speech stops when the
// screen changes or the resident answers; an event setting makes questions speak by themselves. The
// kiosk runs with `audio = "none"`, so speech plays against the clock as on a machine without a sound
// card (CI), and the map's "speech" field shows its state.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const std::string kClockSpeech = "[speech]\naudio = \"none\"\n";

std::string speech_of(const ScreenMap& map) {
    const auto json = nlohmann::json::parse(map.raw, nullptr, false);
    return json.is_discarded() ? std::string() : json.value("speech", std::string());
}

// Waits until the map says speech is `state`; returns that map.
ScreenMap wait_for_speech(const Kiosk& kiosk, const std::string& state,
                          std::chrono::milliseconds timeout = 15s) {
    ScreenMap map;
    const bool reached = eventually(
        [&] {
            map = kiosk.read_map();
            return speech_of(map) == state;
        },
        timeout);
    REQUIRE_MESSAGE(reached, "speech never became '" << state << "'; last: '" << speech_of(map) << "' on '"
                                                     << map.screen << "'");
    return map;
}

} // namespace

TEST_CASE("the speaker button reads the screen aloud, pauses, repeats, and stops with the screen") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), kClockSpeech);

    ScreenMap map = kiosk.wait_for_screen("start");
    REQUIRE(map.find("speak") != nullptr);
    CHECK(speech_of(map) == "idle");
    CHECK_FALSE(map.find("speak")->selected);

    kiosk.tap("speak");
    map = wait_for_speech(kiosk, "playing");
    CHECK(map.find("speak")->selected);
    CHECK(map.find("speak")->label == "Pauze");

    // Frames keep coming while it speaks: another tap is answered at once, and a new language is a new
    // screen, so the Dutch reading stops.
    map = kiosk.tap("lang.en");
    REQUIRE(map.find("start.begin") != nullptr);
    CHECK(map.find("start.begin")->label == "Start");
    map = wait_for_speech(kiosk, "idle");
    CHECK(map.find("speak")->label == "Read aloud");

    kiosk.tap("speak");
    wait_for_speech(kiosk, "playing");
    kiosk.tap("speak"); // a second tap pauses
    map = wait_for_speech(kiosk, "paused");
    CHECK_FALSE(map.find("speak")->selected);
    kiosk.tap("speak"); // another reads again
    wait_for_speech(kiosk, "playing");

    kiosk.tap("start.begin"); // the screen changes: speech stops
    map = kiosk.wait_for_screen("question:kent-regelingen");
    map = wait_for_speech(kiosk, "idle");
    REQUIRE(map.find("speak") != nullptr);

    kiosk.tap("speak");
    wait_for_speech(kiosk, "playing");
    map = kiosk.tap("option.een-paar"); // answering stops the reading
    map = wait_for_speech(kiosk, "idle");
    REQUIRE(map.find("option.een-paar") != nullptr);
    CHECK(map.find("option.een-paar")->selected);
    CHECK(kiosk.log().find("read-aloud plays to clock") != std::string::npos);
}

TEST_CASE("with speak_automatically every question reads itself aloud, the start screen does not") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), kClockSpeech + "speak_automatically = true\n");

    ScreenMap map = kiosk.wait_for_screen("start");
    CHECK(speech_of(map) == "idle");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    wait_for_speech(kiosk, "playing");
    kiosk.tap("option.nee");
    wait_for_speech(kiosk, "idle");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:gebruikt");
    wait_for_speech(kiosk, "playing");
}

TEST_CASE("the first screenshot shows the start screen, not a black frame") {
    TempDir dir;
    VirtualDisplay display("800x1280");
    Kiosk kiosk(display, dir.path(), kClockSpeech);
    kiosk.wait_for_screen("start");
    // No wait between the map and the screenshot: the map is written only once the frame is presented.
    const auto shot = display.screenshot("speech-first-frame.png");
    const CommandResult mean = run_command({"identify", "-format", "%[fx:mean]", shot.string()});
    REQUIRE(mean.exit_code == 0);
    // The light theme's background is nearly white; a black frame has a mean near 0.
    CHECK(std::stod(mean.output) > 0.5);
}

TEST_CASE("a tap after a pause reads the screen again from the top: a new reading, as long as the first") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), kClockSpeech);
    const auto field = [](const ScreenMap& map, const char* name) {
        const auto json = nlohmann::json::parse(map.raw, nullptr, false);
        return json.is_discarded() ? -1L : json.value(name, -1L);
    };
    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    ScreenMap map = kiosk.wait_for_screen("question:kent-regelingen");
    const long before = field(map, "speech_reading");

    kiosk.tap("speak");
    map = wait_for_speech(kiosk, "playing");
    const long first = field(map, "speech_reading");
    const long first_ms = field(map, "speech_ms");
    CHECK(first == before + 1);
    CHECK(first_ms > 1000); // the question and its options, read aloud

    map = kiosk.tap("speak"); // a second tap pauses ...
    map = wait_for_speech(kiosk, "paused");
    CHECK(field(map, "speech_reading") == first);
    CHECK(map.find("speak")->label == "Voorlezen"); // ... and the button offers to read again
    CHECK_FALSE(map.find("speak")->selected);

    kiosk.tap("speak"); // another repeats: a new reading of the whole screen, not the rest of the old one
    map = wait_for_speech(kiosk, "playing");
    CHECK(field(map, "speech_reading") == first + 1);
    // The whole screen again: as long as the first reading (within 1 %: espeak-ng's first synthesis in a
    // process comes out some 20 ms different), where the rest of a paused one would be shorter.
    CHECK(std::abs(field(map, "speech_ms") - first_ms) <= first_ms / 100);
    CHECK(map.screen == "question:kent-regelingen");
    CHECK(map.find("speak")->label == "Pauze");

    // Paused, then another screen: the paused reading is dropped, not resumed there.
    kiosk.tap("speak");
    wait_for_speech(kiosk, "paused");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("question:gebruikt");
    map = wait_for_speech(kiosk, "idle");
    CHECK(field(map, "speech_reading") == first + 1);
}
