// The volunteer's console, second part (issue 10), in the real kiosk window under Xvfb: switching
// consultation behind the PIN (to the quick poll and back, a broken file listed and not choosable, the
// choice kept across a restart, a half-answered resident not carried over), and the console in the
// volunteer's own language; a facilitated response with a note and a paper one typed in, counted per
// channel; "Naar USB-stick" writing a signed bundle the server imports once; closing the window (as a
// window manager asks, WM_DELETE_WINDOW) takes the PIN.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "kiosk_fixture.hpp"
#include "layout_checks.hpp"
#include "window_close.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPin = "2468";

void set_pin(const std::filesystem::path& folder, const std::filesystem::path& consultation) {
    const std::filesystem::path config = folder / "kiosk.toml";
    std::ofstream(config) << "device_id = \"kiosk-window-test\"\nconsultation = \"" << consultation.string()
                          << "\"\ndatabase = \"" << (folder / "kiosk.sqlite").string() << "\"\n";
    const CommandResult r = run_command({"sh", "-c",
                                         std::string("echo ") + kPin + " | '" + BUURTSTEM_KIOSK_BIN +
                                             "' --set-pin --config '" + config.string() + "'"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
}

void hold_corner(const VirtualDisplay& display, const Kiosk& kiosk) {
    ScreenMap map;
    REQUIRE(eventually(
        [&] {
            map = kiosk.read_map();
            return map.find("volunteer.corner") != nullptr;
        },
        10s));
    const MapItem& corner = *map.find("volunteer.corner");
    const CommandResult r = run_command(
        {"env", "DISPLAY=" + display.name(), "xdotool", "mousemove", std::to_string(corner.x + corner.w / 2),
         std::to_string(corner.y + corner.h / 2), "mousedown", "1", "sleep", "3.4", "mouseup", "1"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
}

void open_console(const VirtualDisplay& display, const Kiosk& kiosk) {
    hold_corner(display, kiosk);
    kiosk.wait_for_screen("volunteer-pin");
    for (char digit : std::string(kPin)) {
        kiosk.tap(std::string("pin.") + digit);
    }
    kiosk.tap("pin.ok");
    kiosk.wait_for_screen("volunteer-home");
}

const char* kMinima = "minimaregelingen-ijmond";
const char* kQuick = "snelle-peiling-hulp-weten";

// The kiosk's consultations in a folder of the test's own, with one broken file beside them.
std::filesystem::path consultations_folder(const TempDir& dir) {
    const std::filesystem::path folder = dir / "consultations";
    std::filesystem::create_directories(folder);
    for (const char* name : {"minimaregelingen.toml", "snelle-peiling.toml"}) {
        std::filesystem::copy_file(kSource / "config/consultations" / name, folder / name);
    }
    std::ofstream(folder / "kapot.toml") << "format = 1\nid = \"kapot\"\nversion = \"een\"\n";
    return folder;
}

void switch_to(const Kiosk& kiosk, const std::string& id) {
    kiosk.tap("volunteer.consultations");
    kiosk.wait_for_screen("volunteer-consultations");
    kiosk.tap("volunteer.consultation." + id);
    kiosk.wait_for_screen("volunteer-consultation-confirm");
    kiosk.tap("volunteer.consultation_confirm");
    kiosk.wait_for_screen("volunteer-home");
}

} // namespace

TEST_CASE("switching consultation behind the PIN: to the quick poll and back, kept across a restart") {
    const std::string shape = "1280x800";
    const Size window = parse_size(shape);
    TempDir dir;
    const std::filesystem::path folder = consultations_folder(dir);
    set_pin(dir.path(), folder / "minimaregelingen.toml");
    VirtualDisplay display(shape);
    auto kiosk = std::make_unique<Kiosk>(display, dir.path(), "", folder / "minimaregelingen.toml");

    // A resident is half-way when the volunteer comes.
    kiosk->wait_for_screen("start");
    kiosk->tap("start.begin");
    kiosk->wait_for_screen("question:kent-regelingen");
    kiosk->tap("option.nee");
    open_console(display, *kiosk);

    kiosk->tap("volunteer.consultations");
    ScreenMap list = kiosk->wait_for_screen("volunteer-consultations");
    check_layout(list, window, shape + " consultations");
    display.screenshot("volunteer-consultations.png");
    const MapItem* minima = list.find(std::string("volunteer.consultation.") + kMinima);
    const MapItem* quick = list.find(std::string("volunteer.consultation.") + kQuick);
    REQUIRE(minima != nullptr);
    REQUIRE(quick != nullptr);
    CHECK(minima->selected); // the active one
    CHECK_FALSE(quick->selected);
    CHECK(minima->label.find("9 vragen") != std::string::npos);
    CHECK(quick->label.find("snelle peiling") != std::string::npos);
    // The broken file: shown with its file and line, not choosable.
    const MapItem* broken = list.find("volunteer.consultation_broken.0");
    REQUIRE(broken != nullptr);
    CHECK(broken->label.find("kapot.toml:3") != std::string::npos);
    CHECK(list.find("volunteer.consultation.kapot") == nullptr);

    kiosk->tap(std::string("volunteer.consultation.") + kQuick);
    ScreenMap confirm = kiosk->wait_for_screen("volunteer-consultation-confirm");
    check_layout(confirm, window, shape + " confirm");
    kiosk->tap("volunteer.back"); // not yet
    kiosk->wait_for_screen("volunteer-consultations");
    kiosk->tap("volunteer.back");
    kiosk->wait_for_screen("volunteer-home");

    switch_to(*kiosk, kQuick);
    kiosk->tap("volunteer.close");
    // The quick poll's question is its start screen.
    kiosk->wait_for_screen("question:weet-waar-hulp");
    CHECK(read_file(dir / "volunteer-settings.toml").find(kQuick) != std::string::npos);
    CHECK(kiosk->log().find(std::string("a volunteer switched to ") + kQuick) != std::string::npos);

    // A restart keeps the choice.
    CHECK(kiosk->process().terminate() == 0);
    kiosk.reset();
    std::filesystem::remove(dir / "map.json");
    kiosk = std::make_unique<Kiosk>(display, dir.path(), "", folder / "minimaregelingen.toml");
    kiosk->wait_for_screen("question:weet-waar-hulp");

    // And back: the start screen is the long consultation's again, and the resident who was half-way
    // before the switch left nothing behind.
    open_console(display, *kiosk);
    kiosk->tap("volunteer.consultations");
    list = kiosk->wait_for_screen("volunteer-consultations");
    REQUIRE(list.find(std::string("volunteer.consultation.") + kQuick) != nullptr);
    CHECK(list.find(std::string("volunteer.consultation.") + kQuick)->selected);
    kiosk->tap("volunteer.back");
    kiosk->wait_for_screen("volunteer-home");
    switch_to(*kiosk, kMinima);
    kiosk->tap("volunteer.close");
    kiosk->wait_for_screen("start");
    kiosk->tap("start.begin");
    const ScreenMap first = kiosk->wait_for_screen("question:kent-regelingen");
    REQUIRE(first.find("option.nee") != nullptr);
    CHECK_FALSE(first.find("option.nee")->selected);
    int64_t responses = -1;
    stored_answers(kiosk->database(), responses);
    CHECK(responses == 0);
    CHECK(kiosk->process().terminate() == 0);
}

TEST_CASE("the console speaks the volunteer's language, chosen in its settings and kept") {
    TempDir dir;
    const std::filesystem::path consultation = kSource / "config/consultations/minimaregelingen.toml";
    set_pin(dir.path(), consultation);
    VirtualDisplay display("1280x800");
    auto kiosk = std::make_unique<Kiosk>(display, dir.path());
    kiosk->wait_for_screen("start");
    open_console(display, *kiosk);
    CHECK(kiosk->read_map().find("volunteer.settings")->label == "Instellingen");
    kiosk->tap("volunteer.settings");
    ScreenMap settings = kiosk->wait_for_screen("volunteer-settings");
    REQUIRE(settings.find("volunteer.console_language.pl") != nullptr);
    CHECK(settings.find("volunteer.console_language.nl")->selected);
    kiosk->tap("volunteer.console_language.pl");
    CHECK(eventually([&] { return kiosk->read_map().find("volunteer.back")->label == "Wstecz"; }, 10s));
    kiosk->tap("volunteer.back");
    const ScreenMap home = kiosk->wait_for_screen("volunteer-home");
    CHECK(home.find("volunteer.settings")->label == "Ustawienia");
    CHECK(home.find("volunteer.consultations")->label == "Wybierz ankietę");
    display.screenshot("volunteer-console-polish.png");
    // The residents' screens keep their own language.
    kiosk->tap("volunteer.close");
    const ScreenMap start = kiosk->wait_for_screen("start");
    CHECK(nlohmann::json::parse(start.raw).value("language", "") == "nl");

    CHECK(kiosk->process().terminate() == 0);
    kiosk.reset();
    std::filesystem::remove(dir / "map.json");
    kiosk = std::make_unique<Kiosk>(display, dir.path());
    kiosk->wait_for_screen("start");
    open_console(display, *kiosk);
    CHECK(kiosk->read_map().find("volunteer.settings")->label == "Ustawienia");
    CHECK(kiosk->process().terminate() == 0);
}

namespace {

// A resident (or a volunteer with one) answers the first question and skips the rest.
void answer_minima(const Kiosk& kiosk) {
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
}

void start_event(const Kiosk& kiosk) {
    kiosk.tap("volunteer.start_event");
    kiosk.wait_for_screen("volunteer-event");
    kiosk.tap("key.m");
    kiosk.tap("volunteer.field.wijk");
    kiosk.tap("key.z");
    kiosk.tap("volunteer.field.municipality");
    kiosk.tap("key.v");
    kiosk.tap("volunteer.event_start");
    kiosk.wait_for_screen("volunteer-home");
}

nlohmann::json counts(const Kiosk& kiosk) {
    const auto map = nlohmann::json::parse(kiosk.read_map().raw, nullptr, false);
    return map.is_object() ? map.value("volunteer_counts", nlohmann::json::object())
                           : nlohmann::json::object();
}

} // namespace

TEST_CASE("a conversation with a note and a paper form through the window, counted per channel, and the USB "
          "button writes a signed bundle the server imports once") {
    TempDir dir;
    const std::filesystem::path consultation = kSource / "config/consultations/minimaregelingen.toml";
    set_pin(dir.path(), consultation);
    std::filesystem::create_directories(dir / "stick");
    VirtualDisplay display("1280x800");
    Kiosk kiosk(display, dir.path(),
                "[sync]\ndevice_key_file = \"" + (dir / "kiosk.key").string() +
                    "\"\n[volunteer]\nusb_folder = \"" + (dir / "stick").string() + "\"\n");
    kiosk.wait_for_screen("start");
    open_console(display, kiosk);
    start_event(kiosk);

    // In conversation, with a short note.
    kiosk.tap("volunteer.conversation");
    kiosk.wait_for_screen("volunteer-conversation");
    for (const char* key : {"key.k", "key.o", "key.f", "key.f", "key.i", "key.e"}) {
        kiosk.tap(key);
    }
    kiosk.tap("volunteer.conversation_start");
    answer_minima(kiosk);
    kiosk.wait_for_screen("volunteer-home"); // the console takes over again

    // A paper form typed in.
    kiosk.tap("volunteer.paper");
    answer_minima(kiosk);
    kiosk.wait_for_screen("volunteer-home");

    kiosk.tap("volunteer.live");
    kiosk.wait_for_screen("volunteer-live");
    CHECK(eventually([&] { return counts(kiosk).value("in_event", -1) == 2; }, 10s));
    CHECK(counts(kiosk).value("kiosk", -1) == 0);
    CHECK(counts(kiosk).value("facilitated", -1) == 1);
    CHECK(counts(kiosk).value("paper", -1) == 1);
    display.screenshot("volunteer-live-channels.png");
    {
        sqlite::Database db(kiosk.database());
        auto rows = db.prepare("SELECT channel, coalesce(note, '') FROM responses ORDER BY channel");
        REQUIRE(rows.step());
        CHECK(rows.column_text(0) == "facilitated");
        CHECK(rows.column_text(1) == "Koffie"); // the first letter capital, as the keyboard starts
        REQUIRE(rows.step());
        CHECK(rows.column_text(0) == "paper");
        CHECK(rows.column_text(1) == "");
    }
    kiosk.tap("volunteer.back");
    kiosk.wait_for_screen("volunteer-home");

    // "Naar USB-stick": a bundle file on the stick, signed with the kiosk's key.
    kiosk.tap("volunteer.export");
    std::filesystem::path bundle;
    CHECK(eventually(
        [&] {
            for (const auto& entry : std::filesystem::directory_iterator(dir / "stick")) {
                if (entry.path().extension() == ".bundle") {
                    bundle = entry.path();
                }
            }
            return !bundle.empty();
        },
        10s));
    REQUIRE_FALSE(bundle.empty());
    CHECK(read_file(bundle).starts_with("buurtstem-usb-bundle 1 kiosk-window-test "));
    CHECK(eventually([&] { return kiosk.log().find("2 responses exported to") != std::string::npos; }, 10s));

    // The server imports it once: its key is the public half of the kiosk's key file.
    const std::string server_bin = BUURTSTEM_SERVER_BIN;
    const std::string server_db = (dir / "server.sqlite").string();
    const CommandResult added = run_command({server_bin, "add-device", "--db", server_db, "--device",
                                             "kiosk-window-test", "--token-file", (dir / "token").string()});
    REQUIRE_MESSAGE(added.exit_code == 0, added.output);
    std::string secret = read_file(dir / "kiosk.key");
    REQUIRE(secret.size() >= 128);
    const CommandResult keyed = run_command({server_bin, "device-key", "--db", server_db, "--device",
                                             "kiosk-window-test", "--key", secret.substr(64, 64)});
    REQUIRE_MESSAGE(keyed.exit_code == 0, keyed.output);
    const std::string folder = (kSource / "config/consultations").string();
    const CommandResult first =
        run_command({server_bin, "import", bundle.string(), "--db", server_db, "--consultations", folder});
    INFO("import said: " << first.output);
    CHECK(first.exit_code == 0);
    CHECK(first.output.find("2 responses, 2 stored now") != std::string::npos);
    const CommandResult again =
        run_command({server_bin, "import", bundle.string(), "--db", server_db, "--consultations", folder});
    CHECK(again.output.find("2 responses, 0 stored now, 2 already stored") != std::string::npos);
    const CommandResult count =
        run_command({server_bin, "count", "--db", server_db, "--consultation", "minimaregelingen-ijmond"});
    CHECK(count.output == "2\n");
    CHECK(kiosk.process().terminate() == 0);
}

namespace {

// What a window manager does when the close button is clicked: a WM_DELETE_WINDOW client message to
// the window (Xvfb runs no window manager, so the test is one). GLFW turns it into "should close".
void ask_window_to_close(const VirtualDisplay& display) {
    const CommandResult found =
        run_command({"env", "DISPLAY=" + display.name(), "xdotool", "search", "--name", "^Buurtstem$"});
    REQUIRE_MESSAGE(found.exit_code == 0, found.output);
    const unsigned long window = std::stoul(found.output.substr(0, found.output.find('\n')));
    CHECK(send_wm_delete_window(display.name(), window));
}

} // namespace

TEST_CASE(
    "closing the window (WM_DELETE_WINDOW) asks the PIN: a wrong one or none keeps the kiosk, the right "
    "one closes it") {
    TempDir dir;
    set_pin(dir.path(), kSource / "config/consultations/minimaregelingen.toml");
    VirtualDisplay display("1280x800");
    Kiosk kiosk(display, dir.path());
    kiosk.wait_for_screen("start");

    ask_window_to_close(display);
    kiosk.wait_for_screen("volunteer-pin");
    CHECK(nlohmann::json::parse(kiosk.read_map().raw).value("volunteer_pin_purpose", "") == "quit");
    for (char digit : std::string("9999")) {
        kiosk.tap(std::string("pin.") + digit);
    }
    kiosk.tap("pin.ok");
    CHECK(eventually(
        [&] {
            return nlohmann::json::parse(kiosk.read_map().raw, nullptr, false)
                       .value("volunteer_pin_message", "") == "wrong";
        },
        10s));
    CHECK_FALSE(kiosk.process().wait(std::chrono::milliseconds(500)).has_value());
    kiosk.tap("volunteer.cancel");
    kiosk.wait_for_screen("start"); // back to the residents, still running

    ask_window_to_close(display);
    kiosk.wait_for_screen("volunteer-pin");
    for (char digit : std::string(kPin)) {
        kiosk.tap(std::string("pin.") + digit);
    }
    const ScreenMap pad = kiosk.read_map();
    REQUIRE(pad.find("pin.ok") != nullptr);
    const MapItem ok = *pad.find("pin.ok");
    run_command({"env", "DISPLAY=" + display.name(), "xdotool", "mousemove", std::to_string(ok.x + ok.w / 2),
                 std::to_string(ok.y + ok.h / 2), "click", "1"});
    CHECK(kiosk.process().wait(15s) == std::optional<int>(0));
    CHECK(kiosk.log().find("closed by a volunteer") != std::string::npos);
}

TEST_CASE("the live panel counts invitations without showing who, and wipes those the server confirmed") {
    TempDir dir;
    const std::filesystem::path invitation =
        std::filesystem::path(BUURTSTEM_TEST_DATA_DIR) / "volunteer/uitnodiging.toml";
    set_pin(dir.path(), invitation);
    const TestPki pki = make_test_pki(dir.path());
    const std::string server_bin = BUURTSTEM_SERVER_BIN;
    const std::filesystem::path server_db = dir / "server.sqlite";
    const std::filesystem::path token = dir / "kiosk.token";
    const CommandResult registered =
        run_command({server_bin, "add-device", "--db", server_db.string(), "--device", "kiosk-window-test",
                     "--token-file", token.string()});
    REQUIRE_MESSAGE(registered.exit_code == 0, registered.output);
    const int port = free_loopback_port();
    Process server({server_bin, "serve", "--db", server_db.string(), "--cert", pki.server_cert.string(),
                    "--key", pki.server_key.string(), "--port", std::to_string(port), "--consultations",
                    invitation.parent_path().string()});
    REQUIRE(server.wait_for_line("listening on", 20s).has_value());

    VirtualDisplay display("1280x800");
    Kiosk kiosk(display, dir.path(),
                "[sync]\nserver = \"https://127.0.0.1:" + std::to_string(port) + "\"\ntoken_file = \"" +
                    token.string() + "\"\nca_file = \"" + pki.ca_cert.string() +
                    "\"\ninterval_seconds = 3600\n",
                invitation);
    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:vaker-spelen");
    kiosk.tap("yesno.yes");
    kiosk.tap("nav.next");
    kiosk.wait_for_screen("contact");
    kiosk.tap("contact.yes");
    kiosk.wait_for_screen("contact-form");
    kiosk.tap("key.a");
    kiosk.tap("key.n");
    kiosk.tap("contact.field.reach");
    for (const char* key :
         {"key.0", "key.6", "key.9", "key.8", "key.7", "key.6", "key.5", "key.4", "key.3"}) {
        kiosk.tap(key);
    }
    kiosk.tap("contact.send");
    kiosk.wait_for_screen("thanks");
    kiosk.tap("thanks.done");
    kiosk.wait_for_screen("start");

    open_console(display, kiosk);
    kiosk.tap("volunteer.live");
    kiosk.wait_for_screen("volunteer-live");
    kiosk.tap("volunteer.sync_now");
    CHECK(eventually([&] { return counts(kiosk).value("contacts_sent", -1) == 1; }, 30s));
    CHECK(counts(kiosk).value("contacts_waiting", -1) == 0);
    // Counts only: the number typed never comes back on screen (nor in the map of what is on screen).
    const ScreenMap live = kiosk.read_map();
    CHECK(live.raw.find("069876543") == std::string::npos);
    REQUIRE(live.find("volunteer.clear_contacts") != nullptr);
    display.screenshot("volunteer-live-invitations.png");
    kiosk.tap("volunteer.clear_contacts");
    CHECK(eventually([&] { return counts(kiosk).value("contacts_sent", -1) == 0; }, 10s));
    CHECK(kiosk.read_map().find("volunteer.clear_contacts") == nullptr);
    sqlite::Database db(kiosk.database());
    auto left = db.prepare("SELECT count(*) FROM contacts");
    REQUIRE(left.step());
    CHECK(left.column_int(0) == 0);
    // The council has it, once.
    const CommandResult exported = run_command({server_bin, "export-contacts", "--db", server_db.string()});
    CHECK(exported.output.find("069876543") != std::string::npos);
    CHECK(kiosk.process().terminate() == 0);
}
