// The volunteer's console as a state machine, driven event by event with a clock of the test's own: the
// long press, the PIN pad (a real PIN file and crypto_pwhash), the screens, and the commands the app
// carries out. Also the settings file.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

#include "buurtstem/volunteer/volunteer_flow.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

struct Console {
    TempDir dir;
    PinLock lock;
    VolunteerFlow flow;
    Moment now{std::chrono::steady_clock::time_point(100s),
               std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};

    explicit Console(bool with_pin = true)
        : lock(make_lock(dir, with_pin)), flow(lock, VolunteerSettings{}) {}

    static PinLock make_lock(const TempDir& dir, bool with_pin) {
        if (with_pin) {
            REQUIRE(PinLock::set_pin(dir / "pin", "1357").ok());
        }
        auto lock = PinLock::open(dir / "pin");
        REQUIRE(lock.ok());
        return std::move(lock).value();
    }
    void send(VolunteerEventType type, std::string value = {}) { flow.handle({type, std::move(value)}, now); }
    void type_pin(const std::string& digits) {
        for (char d : digits) {
            send(VolunteerEventType::PinDigit, std::string(1, d));
        }
        send(VolunteerEventType::PinOk);
    }
    void pass(std::chrono::seconds s) {
        now = now.plus(s);
        flow.tick(now);
    }
    std::vector<VolunteerCommandType> commands() {
        std::vector<VolunteerCommandType> types;
        for (const VolunteerCommand& c : flow.take_commands()) {
            types.push_back(c.type);
        }
        return types;
    }
};

} // namespace

TEST_CASE("a long press opens the PIN pad, a wrong PIN keeps it closed, the right one opens the console") {
    Console c;
    CHECK(c.flow.resident_mode());
    CHECK(c.flow.channel() == EntryChannel::Kiosk);
    c.send(VolunteerEventType::PinDigit, "1"); // the pad is not open: nothing happens
    CHECK(c.flow.screen() == VolunteerScreen::Closed);

    c.send(VolunteerEventType::LongPress);
    REQUIRE(c.flow.screen() == VolunteerScreen::Pin);
    CHECK(c.flow.pin_purpose() == PinPurpose::Open);
    c.send(VolunteerEventType::PinDigit, "1");
    c.send(VolunteerEventType::PinDigit, "2");
    c.send(VolunteerEventType::PinErase);
    CHECK(c.flow.pin_digits() == 1);
    c.send(VolunteerEventType::PinOk); // fewer than 4 digits: not checked
    CHECK(c.flow.pin_message() == PinMessage::None);

    c.send(VolunteerEventType::PinErase);
    c.type_pin("9999");
    CHECK(c.flow.screen() == VolunteerScreen::Pin);
    CHECK(c.flow.pin_message() == PinMessage::Wrong);
    CHECK(c.flow.attempts_left() == 2);
    CHECK(c.flow.pin_digits() == 0);

    c.type_pin("1357");
    CHECK(c.flow.screen() == VolunteerScreen::Home);
    CHECK_FALSE(c.flow.resident_mode());
    CHECK(c.commands().empty());

    c.send(VolunteerEventType::CloseConsole);
    CHECK(c.flow.screen() == VolunteerScreen::Closed);
    CHECK(c.commands() == std::vector{VolunteerCommandType::ResumeResidents});
}

TEST_CASE("three wrong PINs lock the pad with a countdown, and digits are refused until it ends") {
    Console c;
    c.send(VolunteerEventType::LongPress);
    c.type_pin("0000");
    c.type_pin("0000");
    c.type_pin("0000");
    CHECK(c.flow.pin_message() == PinMessage::LockedOut);
    CHECK(c.flow.locked_seconds(c.now) == 30);
    c.send(VolunteerEventType::PinDigit, "1");
    CHECK(c.flow.pin_digits() == 0);
    // The screen wakes for each second of the countdown.
    const auto deadline = c.flow.next_deadline(c.now);
    REQUIRE(deadline.has_value());
    CHECK(*deadline - c.now.steady <= 1s);

    c.now = c.now.plus(12s);
    CHECK(c.flow.locked_seconds(c.now) == 18);
    c.now = c.now.plus(18s);
    CHECK(c.flow.locked_seconds(c.now) == 0);
    c.type_pin("1357");
    CHECK(c.flow.screen() == VolunteerScreen::Home);
}

TEST_CASE("the PIN pad and the console close by themselves when nobody uses them") {
    Console c;
    c.send(VolunteerEventType::LongPress);
    c.pass(29s);
    CHECK(c.flow.screen() == VolunteerScreen::Pin);
    c.pass(1s);
    CHECK(c.flow.screen() == VolunteerScreen::Closed);

    c.send(VolunteerEventType::LongPress);
    c.type_pin("1357");
    c.send(VolunteerEventType::Open, "live");
    CHECK(c.flow.screen() == VolunteerScreen::Live);
    c.pass(100s);
    c.send(VolunteerEventType::Touch); // a tap restarts the wait
    c.pass(100s);
    CHECK(c.flow.screen() == VolunteerScreen::Live);
    c.pass(20s);
    CHECK(c.flow.screen() == VolunteerScreen::Closed);
    CHECK(c.commands() == std::vector{VolunteerCommandType::ResumeResidents});
}

TEST_CASE("starting an event takes a name, wijk and municipality, each typed into the focused field") {
    Console c;
    c.send(VolunteerEventType::LongPress);
    c.type_pin("1357");
    c.send(VolunteerEventType::Open, "event");
    REQUIRE(c.flow.screen() == VolunteerScreen::EventForm);
    CHECK_FALSE(c.flow.can_submit_event());
    c.send(VolunteerEventType::SubmitEvent);
    CHECK(c.flow.screen() == VolunteerScreen::EventForm);
    c.send(VolunteerEventType::EditText, "Buurtfeest ");
    c.send(VolunteerEventType::SubmitEvent); // the wijk and municipality are still missing
    CHECK(c.flow.screen() == VolunteerScreen::EventForm);
    c.send(VolunteerEventType::FocusField, "wijk");
    c.send(VolunteerEventType::EditText, "Oosterwijk");
    c.send(VolunteerEventType::FocusField, "municipality");
    c.send(VolunteerEventType::EditText, "Beverwijk");
    c.send(VolunteerEventType::EditText, std::string(kMaxEventText + 1, 'x')); // too long: refused
    CHECK(c.flow.form().municipality == "Beverwijk");
    c.send(VolunteerEventType::SubmitEvent);
    CHECK(c.flow.screen() == VolunteerScreen::Home);
    const auto commands = c.flow.take_commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].type == VolunteerCommandType::StartEvent);
    CHECK(commands[0].form.name == "Buurtfeest");
    CHECK(commands[0].form.wijk == "Oosterwijk");
    CHECK(commands[0].form.municipality == "Beverwijk");

    c.send(VolunteerEventType::EndEvent);
    c.send(VolunteerEventType::SyncNow);
    c.send(VolunteerEventType::Export);
    CHECK(c.commands() == std::vector{VolunteerCommandType::EndEvent, VolunteerCommandType::SyncNow,
                                      VolunteerCommandType::Export});
}

TEST_CASE(
    "a conversation and a paper form run the resident flow with their channel, then back to the console") {
    Console c;
    c.send(VolunteerEventType::LongPress);
    c.type_pin("1357");
    c.send(VolunteerEventType::Open, "conversation");
    c.send(VolunteerEventType::EditText, "met mevrouw bij de koffie");
    c.send(VolunteerEventType::StartConversation);
    CHECK(c.flow.screen() == VolunteerScreen::Assisting);
    CHECK(c.flow.resident_mode());
    CHECK(c.flow.channel() == EntryChannel::Facilitated);
    auto commands = c.flow.take_commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].type == VolunteerCommandType::BeginAssisted);
    CHECK(commands[0].channel == EntryChannel::Facilitated);
    CHECK(commands[0].note == "met mevrouw bij de koffie");
    c.pass(600s); // a long conversation is no idle console
    CHECK(c.flow.screen() == VolunteerScreen::Assisting);
    c.send(VolunteerEventType::ResidentDone);
    CHECK(c.flow.screen() == VolunteerScreen::Home);
    CHECK(c.flow.channel() == EntryChannel::Kiosk);

    c.send(VolunteerEventType::StartPaper);
    CHECK(c.flow.channel() == EntryChannel::Paper);
    commands = c.flow.take_commands();
    REQUIRE(commands.size() == 1);
    CHECK(commands[0].channel == EntryChannel::Paper);
    CHECK(commands[0].note.empty());
    // The long press during an assisted response goes to the PIN pad, as from the residents' screens.
    c.send(VolunteerEventType::LongPress);
    CHECK(c.flow.screen() == VolunteerScreen::Pin);
}

TEST_CASE("leaving the program takes the PIN, and without a PIN set closing works as before") {
    Console c;
    c.send(VolunteerEventType::WindowClose);
    CHECK(c.flow.screen() == VolunteerScreen::Pin);
    CHECK(c.flow.pin_purpose() == PinPurpose::Quit);
    c.type_pin("1111");
    CHECK(c.commands().empty());
    c.send(VolunteerEventType::Cancel);
    CHECK(c.flow.screen() == VolunteerScreen::Closed);

    c.send(VolunteerEventType::LongPress);
    c.type_pin("1357");
    c.send(VolunteerEventType::AskQuit);
    CHECK(c.flow.pin_purpose() == PinPurpose::Quit);
    c.type_pin("1357");
    CHECK(c.commands() == std::vector{VolunteerCommandType::Quit});

    Console open(false);
    open.send(VolunteerEventType::LongPress);
    CHECK(open.flow.pin_message() == PinMessage::NoPin);
    open.send(VolunteerEventType::PinDigit, "1");
    CHECK(open.flow.pin_digits() == 0);
    open.send(VolunteerEventType::Cancel);
    open.send(VolunteerEventType::WindowClose);
    CHECK(open.commands() == std::vector{VolunteerCommandType::Quit});
}

TEST_CASE("settings change behind the PIN, are saved at once, and load back from their file") {
    Console c;
    c.send(VolunteerEventType::SetIdle, "60"); // the console is closed: ignored
    CHECK(c.commands().empty());
    c.send(VolunteerEventType::LongPress);
    c.type_pin("1357");
    c.send(VolunteerEventType::Open, "settings");
    c.send(VolunteerEventType::SetIdle, "61"); // not a choice on screen
    c.send(VolunteerEventType::SetIdle, "60");
    c.send(VolunteerEventType::SetUnfinished, "keep");
    c.send(VolunteerEventType::SetSpeak, "1");
    c.send(VolunteerEventType::SetLanguage, "en");
    c.send(VolunteerEventType::SetTextSize, "2");
    const auto commands = c.flow.take_commands();
    REQUIRE(commands.size() == 5);
    const VolunteerSettings& s = commands.back().settings;
    CHECK(s.idle_warning == 60s);
    CHECK(s.unfinished == UnfinishedAnswers::Keep);
    CHECK(s.speak_automatically);
    CHECK(s.default_language == "en");
    CHECK(s.text_size == 2);

    const auto file = c.dir / "settings.toml";
    REQUIRE(save_volunteer_settings(file, s).ok());
    auto loaded = load_volunteer_settings(file, VolunteerSettings{});
    REQUIRE(loaded.ok());
    CHECK(loaded->idle_warning == 60s);
    CHECK(loaded->unfinished == UnfinishedAnswers::Keep);
    CHECK(loaded->speak_automatically);
    CHECK(loaded->default_language == "en");
    CHECK(loaded->text_size == 2);

    std::ofstream(file) << "idle_warning_seconds = 60\ntext_size = 7\n";
    auto bad = load_volunteer_settings(file, VolunteerSettings{});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().find("settings.toml:2: 'text_size'") != std::string::npos);
    VolunteerSettings defaults;
    defaults.idle_warning = 45s;
    CHECK(load_volunteer_settings(c.dir / "none.toml", defaults)->idle_warning == 45s);
}
