// The real kiosk binary in a real X server (Xvfb, Mesa's software OpenGL), tapped with xdotool like a
// resident's finger. Buttons are found through the kiosk's --automation-file map, so the test follows
// the layout instead of hard-coding pixels.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

TEST_CASE("a resident taps through the demo consultation and the response is in the kiosk's SQLite file") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path());

    kiosk.wait_for_screen("start");
    display.screenshot("kiosk-01-start.png");
    const ScreenMap english = kiosk.tap("lang.en"); // English for this resident
    REQUIRE(english.find("start.begin") != nullptr);
    CHECK(english.find("start.begin")->label == "Start");
    const ScreenMap dutch = kiosk.tap("lang.nl"); // ... and back: the language buttons work both ways
    REQUIRE(dutch.find("start.begin") != nullptr);
    CHECK(dutch.find("start.begin")->label == "Beginnen");
    kiosk.tap("start.begin");

    ScreenMap q = kiosk.wait_for_screen("question:kent-regelingen");
    CHECK_MESSAGE(q.find("nav.next") == nullptr, "a required question must not offer Next before an answer");
    q = kiosk.tap("option.een-paar");
    REQUIRE(q.find("option.een-paar") != nullptr);
    CHECK(q.find("option.een-paar")->selected);
    display.screenshot("kiosk-02-choice.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");

    // "welke-gebruikt" is only for residents who used a scheme (show-if): it is stepped over.
    kiosk.wait_for_screen("question:aanvragen-makkelijk");
    kiosk.tap("smiley.2");
    display.screenshot("kiosk-03-smiley.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:wat-houdt-tegen");
    kiosk.tap("option.formulier-moeilijk");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:informatie-duidelijk");
    kiosk.tap("scale.4");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:hoe-informeren");
    kiosk.tap("nav.skip"); // optional: a resident may pass

    kiosk.wait_for_screen("question:hulp-bij-aanvragen");
    kiosk.tap("nav.skip");

    kiosk.wait_for_screen("question:ideeen");
    for (const char* key : {"key.m", "key.e", "key.e", "key.r", "key.space", "key.u", "key.i", "key.t",
                            "key.l", "key.e", "key.g"}) {
        kiosk.tap(key);
    }
    const ScreenMap typed = kiosk.read_map();
    REQUIRE(typed.find("text.input") != nullptr);
    CHECK(typed.find("text.input")->label == "11"); // the map tells the length, never the words
    display.screenshot("kiosk-04-keyboard.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("thanks");
    display.screenshot("kiosk-05-thanks.png");

    int64_t responses = 0;
    const auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(answers.at("kent-regelingen") == "een-paar");
    CHECK(answers.at("gebruikt") == "nee");
    CHECK(answers.at("aanvragen-makkelijk") == "2");
    CHECK(answers.at("wat-houdt-tegen") == "formulier-moeilijk");
    CHECK(answers.count("welke-gebruikt") == 0); // not shown
    CHECK(answers.at("informatie-duidelijk") == "4");
    CHECK(answers.count("hoe-informeren") == 0); // skipped
    CHECK(answers.count("hulp-bij-aanvragen") == 0);
    CHECK(answers.at("ideeen") == "Meer uitleg");

    kiosk.tap("thanks.done");
    kiosk.wait_for_screen("start");
    CHECK(kiosk.process().terminate() == 0); // SIGTERM closes the window cleanly
    CHECK(std::filesystem::file_size(std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) / "kiosk-05-thanks.png") >
          0);
}

TEST_CASE("a resident who walks away is reset and the next one sees none of their answers") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), "[timing]\nidle_warning_seconds = 2\nidle_reset_seconds = 2\n");

    kiosk.wait_for_screen("start");
    // Their own language, text size and contrast, which must go with them too.
    kiosk.tap("lang.en");
    kiosk.tap("textsize.1");
    kiosk.tap("contrast");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    const ScreenMap chosen = kiosk.tap("option.ja-goed");
    REQUIRE(chosen.find("option.ja-goed") != nullptr);
    REQUIRE(chosen.find("option.ja-goed")->selected); // there is an answer to lose

    // Nobody taps: first the kiosk asks whether anyone is there, then it starts over.
    kiosk.wait_for_screen("idle", 10s);
    display.screenshot("kiosk-06-idle.png");
    const ScreenMap start = kiosk.wait_for_screen("start", 10s);
    const auto fields = nlohmann::json::parse(start.raw);
    CHECK(fields["language"] == "nl");
    CHECK(fields["text_size"] == 0);
    CHECK(fields["contrast"] == "normal");
    REQUIRE(start.find("start.begin") != nullptr);
    CHECK(start.find("start.begin")->label == "Beginnen");
    for (const MapItem& item : start.items) {
        CHECK_MESSAGE((!chosen_by_resident(item) || item.id == "lang.nl"),
                      item.id << " is still chosen from the previous resident");
    }

    kiosk.tap("start.begin");
    const ScreenMap q = kiosk.wait_for_screen("question:kent-regelingen");
    REQUIRE(q.find("option.ja-goed") != nullptr);
    for (const MapItem& item : q.items) {
        CHECK_MESSAGE(!chosen_by_resident(item), item.id << " is still chosen from the previous resident");
    }
    int64_t responses = 0;
    stored_answers(kiosk.database(), responses);
    CHECK(responses == 0); // an abandoned response is never stored
}

// The walking skeleton's whole thread: a resident taps on a kiosk with no server in reach, the answers
// wait in SQLite, the server comes up, the kiosk's sync worker delivers them exactly once, and the
// council's CSV export shows them.
TEST_CASE("a response tapped on an offline kiosk reaches the council's export exactly once") {
    TempDir dir;
    const TestPki pki = make_test_pki(dir.path());
    const std::string server_bin = BUURTSTEM_SERVER_BIN;
    const std::filesystem::path server_db = dir / "server.sqlite";
    const std::filesystem::path token = dir / "kiosk.token";
    const CommandResult registered =
        run_command({server_bin, "add-device", "--db", server_db.string(), "--device", "kiosk-window-test",
                     "--token-file", token.string()});
    REQUIRE_MESSAGE(registered.exit_code == 0, registered.output);
    const int port = free_loopback_port();

    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(),
                "[sync]\nserver = \"https://127.0.0.1:" + std::to_string(port) + "\"\ntoken_file = \"" +
                    token.string() + "\"\nca_file = \"" + pki.ca_cert.string() +
                    "\"\ninterval_seconds = 1\n");

    kiosk.wait_for_screen("start");
    kiosk.tap("lang.en");
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

    // No server yet: the response is stored and waits.
    auto sync_state = [&] {
        sqlite::Database db(kiosk.database());
        auto s = db.prepare("SELECT sync_state FROM responses");
        return s.step() ? s.column_text(0) : std::string("none");
    };
    CHECK(sync_state() == "pending");

    Process server({server_bin, "serve", "--db", server_db.string(), "--cert", pki.server_cert.string(),
                    "--key", pki.server_key.string(), "--port", std::to_string(port), "--consultations",
                    (kSource / "config/consultations").string()});
    REQUIRE(server.wait_for_line("listening on", 20s).has_value());

    // The worker retries every second; the kiosk marks the response synced only after the server
    // acknowledged it.
    CHECK(eventually([&] { return sync_state() == "synced"; }, 30s));
    auto server_count = [&] {
        return run_command(
            {server_bin, "count", "--db", server_db.string(), "--consultation", "minimaregelingen-ijmond"});
    };
    CHECK(server_count().output == "1\n");

    // A later pass must not deliver it again.
    CHECK(kiosk.process().terminate() == 0);
    const CommandResult again =
        run_command({BUURTSTEM_KIOSK_BIN, "--config", (dir / "kiosk.toml").string(), "--sync-now"});
    CHECK_MESSAGE(again.exit_code == 0, again.output);
    CHECK_MESSAGE(again.output.find("0 accepted, 0 rejected in 0 batches") != std::string::npos,
                  again.output);
    CHECK(server_count().output == "1\n");

    const std::filesystem::path csv =
        std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) / "export-after-window-test.csv";
    const CommandResult exported = run_command(
        {server_bin, "export", "--db", server_db.string(), "--consultation", "minimaregelingen-ijmond",
         "--consultations", (kSource / "config/consultations").string(), "--out", csv.string()});
    REQUIRE_MESSAGE(exported.exit_code == 0, exported.output);
    const std::string text = read_file(csv);
    CHECK(text.find("Nee, die ken ik niet") != std::string::npos); // the Dutch label, for the council
    CHECK(text.find(";en;") != std::string::npos);                 // the resident's language is kept
}

TEST_CASE("a broken consultation file shows a calm message, names file and line, and stores nothing") {
    TempDir dir;
    const std::filesystem::path broken = dir / "kapot.toml";
    std::string text = read_file(kSource / "config/consultations/minimaregelingen.toml");
    const std::string from = "type = \"smiley_scale\"";
    text.replace(text.find(from), from.size(), "type = \"smiley\"");
    std::ofstream(broken) << text;

    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), "", broken);
    kiosk.wait_for_screen("broken");
    display.screenshot("kiosk-07-broken-consultation.png");
    CHECK(kiosk.read_map().items.empty()); // nothing to tap: no answers can be taken
    CHECK(eventually([&] { return kiosk.log().find("kapot.toml:") != std::string::npos; }, 10s));
    CHECK(kiosk.log().find("unknown type 'smiley'") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(kiosk.database()));
}
