// What lets the kiosk sleep between frames: the flow names its next timer (and none on an untouched start
// screen), and the [speech] settings that decide whether the kiosk speaks by itself.
#include <doctest/doctest.h>

#include <fstream>

#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/flow/resident_flow.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace std::chrono_literals;

namespace {

const char* const kConsultation = R"toml(format = 1
id = "proef"
version = 1
languages = ["nl", "en"]
title.nl = "Proef"
title.en = "Trial"

[[question]]
id = "keuze"
type = "single_choice"
text.nl = "Doet u mee?"
text.en = "Will you take part?"
options = [
  { id = "ja", nl = "Ja", en = "Yes" },
  { id = "nee", nl = "Nee", en = "No" },
]
)toml";

Consultation load() {
    auto parsed = parse_consultation(kConsultation, "proef.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    return std::move(parsed).value();
}

} // namespace

TEST_CASE("the flow names its next timer, so the frame loop can sleep until then") {
    const Consultation consultation = load();
    ResidentFlow flow(consultation, FlowTimings{60s, 20s, 10s});
    Moment now = Moment::now();

    // An untouched start screen has no timer at all: the kiosk may sleep until a tap.
    CHECK_FALSE(flow.next_deadline(now).has_value());
    // A language left chosen goes back to Dutch after a while: that is a timer.
    flow.handle({FlowEventType::ChooseLanguage, "en"}, now);
    REQUIRE(flow.next_deadline(now).has_value());
    CHECK(*flow.next_deadline(now) == now.steady + 80s);

    flow.handle({FlowEventType::Start, {}}, now);
    REQUIRE(flow.screen() == Screen::Question);
    CHECK(*flow.next_deadline(now) == now.steady + 60s); // the idle warning

    now = now.plus(60s);
    flow.tick(now);
    REQUIRE(flow.idle_warning_shown());
    // The countdown changes every second: the next deadline is the next whole second, never later.
    CHECK(*flow.next_deadline(now) == now.steady + 1s);
    CHECK(*flow.next_deadline(now.plus(1500ms)) == now.steady + 2s);
    CHECK(*flow.next_deadline(now.plus(19500ms)) == now.steady + 20s); // the reset itself

    flow.handle({FlowEventType::StillHere, {}}, now);
    flow.handle({FlowEventType::Answer, "ja"}, now);
    flow.handle({FlowEventType::Next, {}}, now);
    REQUIRE(flow.screen() == Screen::Saving);
    CHECK_FALSE(flow.next_deadline(now).has_value());
    flow.saved(now);
    REQUIRE(flow.screen() == Screen::Thanks);
    CHECK(*flow.next_deadline(now) == now.steady + 10s);
}

TEST_CASE("kiosk config: [speech] turns read-aloud on, makes it automatic, or keeps it off the sound card") {
    test::TempDir dir;
    const auto path = dir / "kiosk.toml";
    std::ofstream(path) << "device_id = \"k\"\nconsultation = \"x.toml\"\n";
    auto defaults = load_kiosk_config(path);
    REQUIRE(defaults.ok());
    CHECK(defaults->speech);
    CHECK_FALSE(defaults->speak_automatically);
    CHECK(defaults->speech_to_device);

    std::ofstream(path) << "device_id = \"k\"\nconsultation = \"x.toml\"\n"
                        << "[speech]\nspeak_automatically = true\naudio = \"none\"\n";
    auto chosen = load_kiosk_config(path);
    REQUIRE_MESSAGE(chosen.ok(), (chosen.ok() ? "" : chosen.error()));
    CHECK(chosen->speak_automatically);
    CHECK_FALSE(chosen->speech_to_device);

    std::ofstream(path) << "device_id = \"k\"\nconsultation = \"x.toml\"\n[speech]\naudio = \"speakers\"\n";
    auto wrong = load_kiosk_config(path);
    REQUIRE_FALSE(wrong.ok());
    CHECK_MESSAGE(wrong.error().find("kiosk.toml:4: 'speech.audio' must be") != std::string::npos,
                  wrong.error());

    std::ofstream(path)
        << "device_id = \"k\"\nconsultation = \"x.toml\"\n[speech]\nspeak_automatically = 1\n";
    auto not_bool = load_kiosk_config(path);
    REQUIRE_FALSE(not_bool.ok());
    CHECK_MESSAGE(not_bool.error().find("kiosk.toml:4: 'speak_automatically' must be true or false") !=
                      std::string::npos,
                  not_bool.error());
}
