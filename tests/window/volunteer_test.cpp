// The volunteer's console in the real kiosk window (Xvfb, xdotool): the hidden long press, the PIN pad
// with a wrong PIN, its lockout countdown and the right PIN, leaving the program only with the PIN, the
// live panel's counts before and after "Nu versturen" against the real server, and the console's screens
// under the residents' layout rules at 1280x800 and 800x1280.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "kiosk_fixture.hpp"
#include "layout_checks.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPin = "2468";

// Writes the volunteer PIN the way a council's technician does: --set-pin with the PIN on stdin. The
// configuration written here is the one the Kiosk fixture writes again (same database folder, so the
// same PIN file beside it).
void set_pin(const std::filesystem::path& folder, const std::string& pin) {
    const std::filesystem::path config = folder / "kiosk.toml";
    std::ofstream(config) << "device_id = \"kiosk-window-test\"\n"
                          << "consultation = \""
                          << (kSource / "config/consultations/minimaregelingen.toml").string()
                          << "\"\ndatabase = \"" << (folder / "kiosk.sqlite").string() << "\"\n";
    const CommandResult r = run_command({"sh", "-c",
                                         "echo " + pin + " | '" + std::string(BUURTSTEM_KIOSK_BIN) +
                                             "' --set-pin --config '" + config.string() + "'"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    REQUIRE(r.output.find("volunteer PIN set") != std::string::npos);
}

// A finger held on the hidden corner for `seconds`.
void hold_corner(const VirtualDisplay& display, const Kiosk& kiosk, double seconds) {
    ScreenMap map;
    REQUIRE(eventually(
        [&] {
            map = kiosk.read_map();
            return map.find("volunteer.corner") != nullptr;
        },
        10s));
    const MapItem& corner = *map.find("volunteer.corner");
    const CommandResult r =
        run_command({"env", "DISPLAY=" + display.name(), "xdotool", "mousemove",
                     std::to_string(corner.x + corner.w / 2), std::to_string(corner.y + corner.h / 2),
                     "mousedown", "1", "sleep", std::to_string(seconds), "mouseup", "1"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
}

nlohmann::json map_json(const Kiosk& kiosk) {
    return nlohmann::json::parse(kiosk.read_map().raw, nullptr, false);
}

void type_pin(const Kiosk& kiosk, const std::string& pin) {
    for (char digit : pin) {
        kiosk.tap(std::string("pin.") + digit);
    }
    kiosk.tap("pin.ok");
}

} // namespace

TEST_CASE("a long press opens the PIN pad: a wrong PIN, the lockout countdown, the right PIN, and leaving "
          "takes the PIN") {
    TempDir dir;
    set_pin(dir.path(), kPin);
    VirtualDisplay display("1280x800");
    // Two wrong PINs lock the pad for 3 s here (3 and 30 s in the field), so the test sees the countdown end.
    Kiosk kiosk(display, dir.path(), "[volunteer]\npin_attempts = 2\nlockout_seconds = 3\n");
    kiosk.wait_for_screen("start");
    CHECK(read_file(dir / "volunteer.pin").find(kPin) == std::string::npos); // only the hash is stored

    // A touch on the corner shorter than 3 s opens nothing.
    hold_corner(display, kiosk, 1.0);
    CHECK_FALSE(eventually([&] { return kiosk.read_map().screen != "start"; }, 2500ms));

    hold_corner(display, kiosk, 3.4);
    ScreenMap pad = kiosk.wait_for_screen("volunteer-pin");
    CHECK(pad.find("pin.0") != nullptr);
    CHECK(pad.find("pin.ok") == nullptr); // OK only after four digits
    display.screenshot("volunteer-01-pin.png");

    type_pin(kiosk, "1111");
    CHECK(eventually([&] { return map_json(kiosk).value("volunteer_pin_message", "") == "wrong"; }, 10s));
    CHECK(kiosk.read_map().screen == "volunteer-pin");

    type_pin(kiosk, "1357");
    const ScreenMap locked = kiosk.wait_for_screen("volunteer-pin-locked");
    CHECK(locked.find("pin.1") == nullptr); // no keys while locked
    const int countdown = map_json(kiosk).value("volunteer_lockout_seconds", -1);
    CHECK(countdown >= 1);
    CHECK(countdown <= 3);
    display.screenshot("volunteer-02-locked.png");
    // The countdown runs down by itself (the kiosk wakes each second) and the keys come back.
    kiosk.wait_for_screen("volunteer-pin", 10s);

    type_pin(kiosk, kPin);
    ScreenMap home = kiosk.wait_for_screen("volunteer-home");
    CHECK(home.find("volunteer.start_event") != nullptr);
    CHECK(home.find("volunteer.live") != nullptr);
    display.screenshot("volunteer-03-home.png");

    // Leaving the program asks the PIN again; a wrong one leaves the kiosk running.
    kiosk.tap("volunteer.quit");
    kiosk.wait_for_screen("volunteer-pin");
    type_pin(kiosk, "9999");
    CHECK(eventually([&] { return map_json(kiosk).value("volunteer_pin_message", "") == "wrong"; }, 10s));
    CHECK_FALSE(kiosk.process().wait(500ms).has_value());
    kiosk.tap("volunteer.cancel");
    kiosk.wait_for_screen("volunteer-home");
    kiosk.tap("volunteer.close");
    kiosk.wait_for_screen("start");

    hold_corner(display, kiosk, 3.4);
    kiosk.wait_for_screen("volunteer-pin");
    type_pin(kiosk, kPin);
    kiosk.wait_for_screen("volunteer-home");
    kiosk.tap("volunteer.quit");
    kiosk.wait_for_screen("volunteer-pin");
    for (char digit : std::string(kPin)) {
        kiosk.tap(std::string("pin.") + digit);
    }
    // The right PIN: the program ends by itself, cleanly.
    const ScreenMap before_ok = kiosk.read_map();
    const MapItem ok = *before_ok.find("pin.ok");
    run_command({"env", "DISPLAY=" + display.name(), "xdotool", "mousemove", std::to_string(ok.x + ok.w / 2),
                 std::to_string(ok.y + ok.h / 2), "click", "1"});
    CHECK(kiosk.process().wait(15s) == std::optional<int>(0));
    CHECK(kiosk.log().find("closed by a volunteer") != std::string::npos);
}

TEST_CASE(
    "an event: start it, a resident answers, the tally changes, 'Nu versturen' gets the server's receipt, "
    "end it") {
    TempDir dir;
    set_pin(dir.path(), kPin);
    const TestPki pki = make_test_pki(dir.path());
    const std::string server_bin = BUURTSTEM_SERVER_BIN;
    const std::filesystem::path server_db = dir / "server.sqlite";
    const std::filesystem::path token = dir / "kiosk.token";
    const CommandResult registered =
        run_command({server_bin, "add-device", "--db", server_db.string(), "--device", "kiosk-window-test",
                     "--token-file", token.string()});
    REQUIRE_MESSAGE(registered.exit_code == 0, registered.output);
    const int port = free_loopback_port();

    VirtualDisplay display("1280x800");
    // Once an hour by itself: only "Nu versturen" sends during this test (the first pass finds no server
    // and backs off; a resident finishing does not cut the back-off short).
    Kiosk kiosk(display, dir.path(),
                "[sync]\nserver = \"https://127.0.0.1:" + std::to_string(port) + "\"\ntoken_file = \"" +
                    token.string() + "\"\nca_file = \"" + pki.ca_cert.string() +
                    "\"\ninterval_seconds = 3600\n");
    kiosk.wait_for_screen("start");
    CHECK(eventually([&] { return kiosk.log().find("sync: 0 pending") != std::string::npos; }, 20s));

    // The volunteer starts the event.
    hold_corner(display, kiosk, 3.4);
    kiosk.wait_for_screen("volunteer-pin");
    type_pin(kiosk, kPin);
    kiosk.wait_for_screen("volunteer-home");
    kiosk.tap("volunteer.start_event");
    kiosk.wait_for_screen("volunteer-event");
    for (const char* key : {"key.f", "key.e", "key.e", "key.s", "key.t"}) {
        kiosk.tap(key);
    }
    CHECK(kiosk.read_map().find("volunteer.event_start") == nullptr); // wijk and municipality first
    kiosk.tap("volunteer.field.wijk");
    for (const char* key : {"key.o", "key.o", "key.s", "key.t"}) {
        kiosk.tap(key);
    }
    kiosk.tap("volunteer.field.municipality");
    for (const char* key : {"key.v", "key.e", "key.l", "key.s", "key.e", "key.n"}) {
        kiosk.tap(key);
    }
    kiosk.tap("volunteer.event_start");
    kiosk.wait_for_screen("volunteer-home");
    CHECK(eventually([&] { return kiosk.read_map().find("volunteer.end_event") != nullptr; }, 10s));
    kiosk.tap("volunteer.close");

    // A resident answers.
    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    for (const char* question : {"gebruikt", "aanvragen-makkelijk", "wat-houdt-tegen", "informatie-duidelijk",
                                 "hoe-informeren", "hulp-bij-aanvragen", "ideeen"}) {
        kiosk.wait_for_screen(std::string("question:") + question);
        kiosk.tap("nav.skip");
    }
    kiosk.wait_for_screen("thanks");
    kiosk.tap("thanks.done");
    kiosk.wait_for_screen("start");

    hold_corner(display, kiosk, 3.4);
    kiosk.wait_for_screen("volunteer-pin");
    type_pin(kiosk, kPin);
    kiosk.wait_for_screen("volunteer-home");
    kiosk.tap("volunteer.live");
    kiosk.wait_for_screen("volunteer-live");
    auto counts = [&] { return map_json(kiosk).value("volunteer_counts", nlohmann::json::object()); };
    auto tally = [&] {
        const auto tallies = map_json(kiosk).value("volunteer_tallies", nlohmann::json::object());
        return tallies.value("kent-regelingen", nlohmann::json::object()).value("Nee, die ken ik niet", -1);
    };
    // Not confirmed yet: still here, or sent in the pass that found no server (no receipt).
    CHECK(
        eventually([&] { return counts().value("stored_here", -1) + counts().value("sent", -1) == 1; }, 10s));
    CHECK(counts().value("in_event", -1) == 1);
    CHECK(counts().value("today", -1) == 1);
    CHECK(counts().value("confirmed", -1) == 0);
    CHECK(tally() == 1); // the bar of the answer given
    display.screenshot("volunteer-04-live-before.png");

    Process server({server_bin, "serve", "--db", server_db.string(), "--cert", pki.server_cert.string(),
                    "--key", pki.server_key.string(), "--port", std::to_string(port), "--consultations",
                    (kSource / "config/consultations").string()});
    REQUIRE(server.wait_for_line("listening on", 20s).has_value());

    kiosk.tap("volunteer.sync_now");
    CHECK(eventually([&] { return counts().value("confirmed", -1) == 1; }, 30s));
    CHECK(counts().value("stored_here", -1) == 0);
    CHECK(counts().value("sent", -1) == 0);
    display.screenshot("volunteer-05-live-after.png");
    const CommandResult on_server = run_command(
        {server_bin, "count", "--db", server_db.string(), "--consultation", "minimaregelingen-ijmond"});
    CHECK(on_server.output == "1\n");

    // End the event: the home screen offers a new one, and the kiosk's file has it ended.
    kiosk.tap("volunteer.back");
    kiosk.wait_for_screen("volunteer-home");
    kiosk.tap("volunteer.end_event");
    CHECK(eventually([&] { return kiosk.read_map().find("volunteer.start_event") != nullptr; }, 10s));
    sqlite::Database db(kiosk.database());
    auto ended = db.prepare("SELECT name, wijk, municipality, ended_at IS NOT NULL FROM events");
    REQUIRE(ended.step());
    CHECK(ended.column_text(0) == "Feest");
    CHECK(ended.column_text(1) == "Oost");
    CHECK(ended.column_text(2) == "Velsen");
    CHECK(ended.column_int(3) == 1);
}

namespace {

void check_console_layout(const std::string& shape) {
    const Size window = parse_size(shape);
    TempDir dir;
    set_pin(dir.path(), kPin);
    VirtualDisplay display(shape);
    Kiosk kiosk(display, dir.path());
    check_layout(kiosk.wait_for_screen("start"), window, shape + " start with the corner");
    hold_corner(display, kiosk, 3.4);
    check_layout(kiosk.wait_for_screen("volunteer-pin"), window, shape);
    display.screenshot("volunteer-layout-" + shape + "-pin.png");
    kiosk.tap("pin.2");
    check_layout(kiosk.read_map(), window, shape + " one digit");
    for (const char* digit : {"pin.4", "pin.6", "pin.8"}) {
        kiosk.tap(digit);
    }
    kiosk.tap("pin.ok");
    check_layout(kiosk.wait_for_screen("volunteer-home"), window, shape);
    display.screenshot("volunteer-layout-" + shape + "-home.png");

    kiosk.tap("volunteer.start_event");
    check_layout(kiosk.wait_for_screen("volunteer-event"), window, shape);
    kiosk.tap("key.b");
    kiosk.tap("volunteer.field.wijk");
    check_layout(kiosk.read_map(), window, shape + " typing");
    display.screenshot("volunteer-layout-" + shape + "-event.png");
    kiosk.tap("volunteer.back");

    kiosk.tap("volunteer.live");
    check_layout(kiosk.wait_for_screen("volunteer-live"), window, shape);
    display.screenshot("volunteer-layout-" + shape + "-live.png");
    kiosk.tap("volunteer.back");

    kiosk.tap("volunteer.conversation");
    check_layout(kiosk.wait_for_screen("volunteer-conversation"), window, shape);
    kiosk.tap("volunteer.back");

    kiosk.tap("volunteer.settings");
    ScreenMap settings = kiosk.wait_for_screen("volunteer-settings");
    check_layout(settings, window, shape);
    display.screenshot("volunteer-layout-" + shape + "-settings.png");
    kiosk.tap("volunteer.back");
    kiosk.wait_for_screen("volunteer-home");
    CHECK(kiosk.process().terminate() == 0);
}

} // namespace

TEST_CASE("the volunteer's screens fit the tablet (1280x800)") {
    check_console_layout("1280x800");
}

TEST_CASE("the volunteer's screens fit the portrait tablet (800x1280)") {
    check_console_layout("800x1280");
}

namespace {

// A resident answers the one question of a consultation that asks for contact details.
void answer_invitation_consultation(const Kiosk& kiosk) {
    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:vaker-spelen");
    kiosk.tap("yesno.yes");
    kiosk.tap("nav.next");
}

const std::filesystem::path kInvitation =
    std::filesystem::path(BUURTSTEM_TEST_DATA_DIR) / "volunteer/uitnodiging.toml";

} // namespace

TEST_CASE("a consultation that asks for it invites the resident, and name and phone are typed and never "
          "shown again") {
    const std::string shape = "1280x800";
    const Size window = parse_size(shape);
    TempDir dir;
    VirtualDisplay display(shape);
    Kiosk kiosk(display, dir.path(), "", kInvitation);
    answer_invitation_consultation(kiosk);
    check_layout(kiosk.wait_for_screen("contact"), window, shape);
    display.screenshot("contact-01-question.png");
    int64_t responses = 0;
    stored_answers(kiosk.database(), responses);
    CHECK(responses == 1); // the answers are stored before the question comes

    kiosk.tap("contact.yes");
    ScreenMap form = kiosk.wait_for_screen("contact-form");
    check_layout(form, window, shape);
    CHECK(form.find("contact.send") == nullptr); // not before a name and a way to reach them
    CHECK(form.find("key.@") != nullptr);
    CHECK(form.find("key.0") != nullptr);
    for (const char* key : {"key.a", "key.n"}) {
        kiosk.tap(key);
    }
    kiosk.tap("contact.field.reach");
    for (const char* key :
         {"key.0", "key.6", "key.1", "key.2", "key.3", "key.4", "key.5", "key.6", "key.7", "key.8"}) {
        kiosk.tap(key);
    }
    form = kiosk.read_map();
    check_layout(form, window, shape + " typed");
    CHECK(form.raw.find("0612345678") == std::string::npos); // the map has lengths, never the number
    REQUIRE(form.find("contact.field.reach") != nullptr);
    CHECK(form.find("contact.field.reach")->label == "10");
    display.screenshot("contact-02-form.png");
    kiosk.tap("contact.send");
    kiosk.wait_for_screen("thanks");
    CHECK(kiosk.log().find("asked to be invited") != std::string::npos);
    CHECK(kiosk.log().find("0612345678") == std::string::npos);

    // The next resident: the question again, empty; "Nee, dank u" goes straight to the thank-you.
    kiosk.tap("thanks.done");
    answer_invitation_consultation(kiosk);
    kiosk.wait_for_screen("contact");
    kiosk.tap("contact.yes");
    form = kiosk.wait_for_screen("contact-form");
    CHECK(form.find("contact.field.name")->label == "0");
    CHECK(form.find("contact.field.reach")->label == "0");
    kiosk.tap("contact.skip");
    kiosk.wait_for_screen("thanks");
}

TEST_CASE("the invitation screens fit the portrait tablet (800x1280)") {
    const std::string shape = "800x1280";
    const Size window = parse_size(shape);
    TempDir dir;
    VirtualDisplay display(shape);
    Kiosk kiosk(display, dir.path(), "", kInvitation);
    answer_invitation_consultation(kiosk);
    check_layout(kiosk.wait_for_screen("contact"), window, shape);
    kiosk.tap("contact.yes");
    check_layout(kiosk.wait_for_screen("contact-form"), window, shape);
    kiosk.tap("key.a");
    check_layout(kiosk.read_map(), window, shape + " typed");
    display.screenshot("contact-03-portrait.png");
    kiosk.tap("contact.skip");
    kiosk.wait_for_screen("thanks");
}
