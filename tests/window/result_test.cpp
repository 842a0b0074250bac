// "You said, we did" on the real kiosk: a result text set on the real server (`set-result`), signed
// with the server's result key, pulled by the kiosk's own sync worker over loopback HTTPS, shown on the
// start screen; the thank-you screen's QR code of the public results page.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kiosk_fixture.hpp"

using namespace buurtstem::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string trimmed_file(const fs::path& path) {
    std::string text = read_file(path);
    text.erase(text.find_last_not_of("\r\n") + 1);
    return text;
}

// A server with a result key and a registered kiosk; the [sync] section a kiosk needs to reach it.
struct ResultWorld {
    TempDir dir;
    TestPki pki = make_test_pki(dir.path());
    std::string server_bin = BUURTSTEM_SERVER_BIN;
    fs::path server_db = dir / "server.sqlite";
    std::unique_ptr<Process> server;
    std::string port;

    explicit ResultWorld(const std::string& result_text) {
        for (const char* name : {"result", "other"}) {
            const CommandResult keys = run_command(
                {server_bin, "keygen", "--secret-key", (dir / (std::string(name) + ".sk")).string(),
                 "--public-key", (dir / (std::string(name) + ".pub")).string()});
            REQUIRE_MESSAGE(keys.exit_code == 0, keys.output);
        }
        const CommandResult device =
            run_command({server_bin, "add-device", "--db", server_db.string(), "--device",
                         "kiosk-window-test", "--token-file", (dir / "token").string()});
        REQUIRE_MESSAGE(device.exit_code == 0, device.output);
        std::ofstream(dir / "result.txt") << result_text;
        const CommandResult set = run_command({server_bin, "set-result", "--db", server_db.string(),
                                               "--consultation", "minimaregelingen-ijmond", "--lang", "nl",
                                               "--text-file", (dir / "result.txt").string()});
        REQUIRE_MESSAGE(set.exit_code == 0, set.output);
        server = std::make_unique<Process>(std::vector<std::string>{
            server_bin, "serve", "--db", server_db.string(), "--cert", pki.server_cert.string(), "--key",
            pki.server_key.string(), "--port", "0", "--result-key", (dir / "result.sk").string()});
        const auto line = server->wait_for_line("listening on", 20s);
        REQUIRE(line.has_value());
        const size_t colon = line->rfind(':');
        port = line->substr(colon + 1, line->find(' ', colon) - colon - 1);
    }

    std::string sync_section(const std::string& key_name, const fs::path& kept) const {
        return "[sync]\nserver = \"https://127.0.0.1:" + port + "\"\ntoken_file = \"" +
               (dir / "token").string() + "\"\nca_file = \"" + pki.ca_cert.string() +
               "\"\nresult_public_key = \"" + trimmed_file(dir / (key_name + ".pub")) +
               "\"\nconsultations_folder = \"" + kept.string() +
               "\"\npublic_url = \"https://buurtstem.example.nl\"\n";
    }
};

} // namespace

TEST_CASE("a result text set on the server is pulled, verified and shown on the start screen") {
    ResultWorld world("We maken het aanvraagformulier korter.\n---\nReacties: 412\n");
    TempDir kiosk_dir;
    VirtualDisplay display("800x1280");
    Kiosk kiosk(display, kiosk_dir.path(), world.sync_section("result", kiosk_dir / "kept"));
    kiosk.wait_for_screen("start");
    // The worker's first pass pulls it; the start screen shows it without a restart.
    ScreenMap map;
    const bool shown = eventually(
        [&] {
            map = kiosk.read_map();
            return map.find("result.text") != nullptr;
        },
        20s);
    INFO("kiosk log: " << kiosk.log());
    REQUIRE(shown);
    CHECK(map.find("result.text")->label == "We maken het aanvraagformulier korter.");
    CHECK(map.find("start.begin") != nullptr);
    CHECK(kiosk.log().find("result minimaregelingen-ijmond revision 1 received") != std::string::npos);
    display.screenshot("result-01-start.png");
    // English has no text of its own: the Dutch one stays (the consultation's default language).
    map = kiosk.tap("lang.en");
    CHECK(map.find("result.text") != nullptr);
}

TEST_CASE("a result signed with another key than the kiosk trusts is refused and not shown") {
    ResultWorld world("Deze tekst mag niet op het scherm komen.\n");
    TempDir kiosk_dir;
    VirtualDisplay display("800x1280");
    Kiosk kiosk(display, kiosk_dir.path(), world.sync_section("other", kiosk_dir / "kept"));
    kiosk.wait_for_screen("start");
    const bool refused =
        eventually([&] { return kiosk.log().find("result refused:") != std::string::npos; }, 20s);
    INFO("kiosk log: " << kiosk.log());
    REQUIRE(refused);
    CHECK(kiosk.log().find("bad signature") != std::string::npos);
    CHECK(kiosk.read_map().find("result.text") == nullptr);
    CHECK_FALSE(fs::exists(kiosk_dir / "kept" / "minimaregelingen-ijmond.result.json"));
}

TEST_CASE("the thank-you screen shows the QR code and short address of the public results page, and "
          "the code, decoded by zbarimg from a screenshot, opens it in the resident's language") {
    TempDir dir;
    VirtualDisplay display("800x1280");
    Kiosk kiosk(display, dir.path(), "[sync]\npublic_url = \"https://buurtstem.example.nl/\"\n",
                kSource / "config/consultations/snelle-peiling.toml");
    kiosk.wait_for_screen("question:weet-waar-hulp");
    kiosk.tap("lang.ar");
    kiosk.tap("yesno.yes");
    const ScreenMap map = kiosk.wait_for_screen("thanks");
    const fs::path shot = display.screenshot("result-02-thanks-qr.png");
    // The quick poll thanks for two seconds: the screenshot shows the thank-you screen if it still shows.
    const bool still_thanks = kiosk.read_map().screen == "thanks";
    const MapItem* qr = map.find("result.qr");
    const MapItem* address = map.find("result.address");
    REQUIRE(qr != nullptr);
    REQUIRE(address != nullptr);
    const std::string base = "https://buurtstem.example.nl/r/";
    CHECK(address->label.rfind(base, 0) == 0);
    CHECK(address->label.size() == base.size() + 6);
    CHECK(qr->label == address->label + "?lang=ar");
    CHECK(qr->w == qr->h);
    CHECK(qr->w >= 150); // big enough for a phone at arm's length
    CHECK(address->y >= qr->y + qr->h);
    // What a phone reads: the pixels on the screen, decoded by a reader that is not ours.
    if (still_thanks) {
        // zbarimg's stderr (a D-Bus complaint on machines without one) is not part of what it read.
        const CommandResult decoded = run_command(
            {"sh", "-c", "zbarimg --raw -q -Sdisable -Sqrcode.enable '" + shot.string() + "' 2>/dev/null"});
        INFO("zbarimg said: " << decoded.output);
        CHECK(decoded.exit_code == 0);
        CHECK(decoded.output == qr->label + "\n");
    } else {
        MESSAGE("the thank-you screen had gone before the screenshot; QR decoding not checked this run");
    }
}
