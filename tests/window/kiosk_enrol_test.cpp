// The kiosk program's own enrolment and consultation commands, headless (no display needed): the real
// buurtstem-kiosk and buurtstem-server binaries over loopback HTTPS with the test CA.
//
//   buurtstem-kiosk --enrol CODE --config FILE   writes the token file (0600)
//   buurtstem-kiosk --sync-now --config FILE     uploads, then pulls signed consultations
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kiosk_fixture.hpp"

using namespace buurtstem::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

// A server with signed bundles and a kiosk configuration pointing at it, in one scratch folder.
struct EnrolWorld {
    TempDir dir;
    TestPki pki = make_test_pki(dir.path());
    std::string server_bin = BUURTSTEM_SERVER_BIN;
    fs::path server_db = dir / "server.sqlite";
    fs::path bundles = dir / "bundles";
    fs::path config = dir / "kiosk.toml";
    fs::path token = dir / "var" / "kiosk.token";
    std::unique_ptr<Process> server;

    EnrolWorld() {
        fs::create_directories(bundles);
        const CommandResult keys =
            run_command({server_bin, "keygen", "--secret-key", (dir / "council.sk").string(), "--public-key",
                         (dir / "council.pub").string()});
        REQUIRE_MESSAGE(keys.exit_code == 0, keys.output);
        const CommandResult signed_bundle = run_command(
            {server_bin, "sign", "--secret-key", (dir / "council.sk").string(), "--out", bundles.string(),
             (kSource / "config/consultations/minimaregelingen.toml").string()});
        REQUIRE_MESSAGE(signed_bundle.exit_code == 0, signed_bundle.output);
        server = std::make_unique<Process>(std::vector<std::string>{
            server_bin, "serve", "--db", server_db.string(), "--cert", pki.server_cert.string(), "--key",
            pki.server_key.string(), "--port", "0", "--bundles", bundles.string()});
        const auto line = server->wait_for_line("listening on", 20s);
        REQUIRE(line.has_value());
        const std::string port =
            line->substr(line->rfind(':') + 1, line->find(' ', line->rfind(':')) - line->rfind(':') - 1);
        fs::create_directories(dir / "var");
        std::ofstream(config) << "device_id = \"kiosk-enrol-test\"\n"
                              << "consultation = \""
                              << (kSource / "config/consultations/minimaregelingen.toml").string()
                              << "\"\ndatabase = \"var/kiosk.sqlite\"\n"
                              << "assets = \"" << (kSource / "assets").string() << "\"\n"
                              << "[sync]\nserver = \"https://127.0.0.1:" << port << "\"\n"
                              << "token_file = \"var/kiosk.token\"\n"
                              << "consultations_folder = \"var/consultations\"\n"
                              << "ca_file = \"" << pki.ca_cert.string() << "\"\n"
                              << first_line(keys.output) << "\n";
    }

    CommandResult kiosk(const std::vector<std::string>& args) const {
        std::vector<std::string> argv{BUURTSTEM_KIOSK_BIN, "--config", config.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv);
    }
    std::string enrol_code() const {
        const CommandResult r = run_command(
            {server_bin, "enrol-code", "--db", server_db.string(), "--device", "kiosk-enrol-test"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.output);
        return first_line(r.output);
    }
};

} // namespace

TEST_CASE("kiosk --enrol takes a code once, then --sync-now pulls the signed consultation") {
    EnrolWorld world;
    const CommandResult no_token = world.kiosk({"--sync-now"});
    CHECK(no_token.exit_code == 1);
    CHECK(no_token.output.find("--enrol CODE") != std::string::npos);

    const std::string code = world.enrol_code();
    const CommandResult enrolled = world.kiosk({"--enrol", code});
    INFO("kiosk said: " << enrolled.output);
    REQUIRE(enrolled.exit_code == 0);
    CHECK(enrolled.output.find("enrolled as device 'kiosk-enrol-test'") != std::string::npos);
    CHECK((fs::status(world.token).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);

    const CommandResult reused = world.kiosk({"--enrol", code});
    CHECK(reused.exit_code == 1);
    CHECK(reused.output.find("not accepted") != std::string::npos);

    const CommandResult synced = world.kiosk({"--sync-now"});
    INFO("sync said: " << synced.output);
    REQUIRE(synced.exit_code == 0);
    CHECK(synced.output.find("consultation minimaregelingen-ijmond version 1 received") != std::string::npos);
    CHECK(read_file(world.dir / "var/consultations/minimaregelingen-ijmond.toml") ==
          read_file(kSource / "config/consultations/minimaregelingen.toml"));
}

TEST_CASE("a revoked kiosk says in plain words that the council switched it off") {
    EnrolWorld world;
    REQUIRE(world.kiosk({"--enrol", world.enrol_code()}).exit_code == 0);
    const CommandResult revoked = run_command(
        {world.server_bin, "revoke", "--db", world.server_db.string(), "--device", "kiosk-enrol-test"});
    REQUIRE_MESSAGE(revoked.exit_code == 0, revoked.output);
    const CommandResult synced = world.kiosk({"--sync-now"});
    INFO("sync said: " << synced.output);
    CHECK(synced.exit_code == 1);
    CHECK(synced.output.find("this kiosk was switched off by the council") != std::string::npos);
    CHECK(synced.output.find("stays stored on this kiosk") != std::string::npos);
}

TEST_CASE("a newer consultation version pulled from the server is shown, and answers carry that version") {
    TempDir dir;
    const fs::path pulled = dir / "pulled";
    fs::create_directories(pulled);
    std::string v2 = read_file(kSource / "config/consultations/minimaregelingen.toml");
    v2.replace(v2.find("\nversion = 1"), 12, "\nversion = 2");
    std::ofstream(pulled / "minimaregelingen-ijmond.toml") << v2;

    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(),
                "[sync]\ncouncil_public_key = \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"\n"
                "consultations_folder = \"" +
                    pulled.string() + "\"\n");
    kiosk.wait_for_screen("start");
    CHECK(kiosk.log().find("showing minimaregelingen-ijmond version 2 from the server") != std::string::npos);
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
    buurtstem::sqlite::Database db(kiosk.database());
    auto s = db.prepare("SELECT consultation_version FROM responses");
    REQUIRE(s.step());
    CHECK(s.column_int(0) == 2);
}
