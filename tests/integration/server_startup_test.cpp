// `buurtstem-server serve` refuses to start on a bad setup, and says what to fix: the file, or the file
// and line. Each broken consultation is a change to the demo file plus the line the error must name.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

struct Setup {
    TempDir dir;
    TestPki pki = make_test_pki(dir.path());
};

std::vector<std::string> serve_command(const std::filesystem::path& db, const std::filesystem::path& cert,
                                       const std::filesystem::path& key,
                                       const std::filesystem::path& consultations,
                                       const std::string& port = "0") {
    return {server_binary().string(),
            "serve",
            "--db",
            db.string(),
            "--cert",
            cert.string(),
            "--key",
            key.string(),
            "--port",
            port,
            "--consultations",
            consultations.string()};
}

// 1-based number of the first line of `text` that contains `needle`; 0 when none does.
int line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    if (at == std::string::npos) {
        return 0;
    }
    return 1 +
           static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

struct BrokenConsultation {
    const char* name;
    const char* original; // text in the demo file...
    const char* broken;   // ...replaced by this; the error must name the line it is on
    const char* expected; // and say this
};

} // namespace

TEST_CASE("serve with a missing certificate or key exits non-zero naming the file") {
    Setup s;
    const auto missing = s.dir / "no-such-cert.pem";
    SUBCASE("certificate") {
        const CommandResult r = run_command(
            serve_command(s.dir / "server.db", missing, s.pki.server_key, demo_consultations_folder()));
        INFO("serve said: " << r.output);
        CHECK(r.exit_code != 0);
        CHECK(r.output.find(missing.string()) != std::string::npos);
        CHECK(r.output.find("listening") == std::string::npos);
    }
    SUBCASE("key") {
        const CommandResult r = run_command(
            serve_command(s.dir / "server.db", s.pki.server_cert, missing, demo_consultations_folder()));
        INFO("serve said: " << r.output);
        CHECK(r.exit_code != 0);
        CHECK(r.output.find(missing.string()) != std::string::npos);
    }
}

TEST_CASE("serve with a key that does not belong to the certificate exits non-zero naming both") {
    Setup s;
    std::filesystem::create_directory(s.dir / "other");
    const TestPki other = make_test_pki(s.dir / "other");
    const CommandResult r = run_command(
        serve_command(s.dir / "server.db", s.pki.server_cert, other.server_key, demo_consultations_folder()));
    INFO("serve said: " << r.output);
    CHECK(r.exit_code != 0);
    CHECK(r.output.find(s.pki.server_cert.string()) != std::string::npos);
    CHECK(r.output.find(other.server_key.string()) != std::string::npos);
}

TEST_CASE("serve with a broken consultation file exits non-zero naming file and line") {
    const std::vector<BrokenConsultation> cases = {
        {"unknown question type", "type = \"smiley_scale\"\ntext.nl = \"Hoe makkelijk",
         "type = \"slider\"\ntext.nl = \"Hoe makkelijk", "slider"},
        {"TOML syntax error", "id = \"gebruikt\"", "id = \"gebruikt", "not valid TOML"},
        // By its English text alone: an icon and more languages may stand around it on the line.
        {"option without English text", "nl = \"Met een brief thuis\", en = \"A letter at home\"",
         "nl = \"Met een brief thuis\"", "'en'"},
    };
    const std::string demo = read_file(demo_consultations_folder() / "minimaregelingen.toml");
    REQUIRE(!demo.empty());
    for (const BrokenConsultation& c : cases) {
        CAPTURE(c.name);
        Setup s;
        const auto pos = demo.find(c.original);
        REQUIRE(pos != std::string::npos);
        std::string broken = demo;
        broken.replace(pos, std::string(c.original).size(), c.broken);
        std::filesystem::create_directory(s.dir / "consultations");
        const auto file = s.dir / "consultations" / "kapot.toml";
        std::ofstream(file, std::ios::binary) << broken;
        const int line = line_of(broken, c.broken);
        REQUIRE(line > 0);

        const CommandResult r = run_command(
            serve_command(s.dir / "server.db", s.pki.server_cert, s.pki.server_key, s.dir / "consultations"));
        INFO("serve said: " << r.output);
        CHECK(r.exit_code != 0);
        CHECK(r.output.find(file.string() + ":" + std::to_string(line) + ":") != std::string::npos);
        CHECK(r.output.find(c.expected) != std::string::npos);
        CHECK(r.output.find("listening") == std::string::npos);
    }
}

TEST_CASE("serve refuses a port another server already listens on") {
    Setup s;
    Process first(
        serve_command(s.dir / "first.db", s.pki.server_cert, s.pki.server_key, demo_consultations_folder()),
        {}, s.dir / "first.log");
    const auto line = first.wait_for_line("listening on https://127.0.0.1:", std::chrono::seconds(20));
    REQUIRE(line.has_value());
    const std::string port = std::to_string(std::stoi(line->substr(line->rfind(':') + 1)));
    REQUIRE(std::stoi(port) > 0);

    // A second server on the same port would take half of the kiosks' uploads into another database.
    Process second(serve_command(s.dir / "second.db", s.pki.server_cert, s.pki.server_key,
                                 demo_consultations_folder(), port),
                   {}, s.dir / "second.log");
    // Either it says it listens (wrong) or it ends and closes stdout: no waiting for a timeout.
    const auto second_line = second.wait_for_line("listening on", std::chrono::seconds(20));
    INFO("second server said: " << read_file(s.dir / "second.log") << second.output());
    REQUIRE_FALSE(second_line.has_value());
    const auto exit_code = second.wait(std::chrono::seconds(10));
    REQUIRE(exit_code.has_value());
    CHECK(*exit_code != 0);
    CHECK(read_file(s.dir / "second.log").find("cannot listen on 127.0.0.1:" + port) != std::string::npos);
}

TEST_CASE("serve refuses a port that is not a port, with a clear message") {
    Setup setup;
    for (const char* port : {"99999999999", "70000", "-1", "8443x", "poort"}) {
        const CommandResult r =
            run_command(serve_command(setup.dir / "server.db", setup.pki.server_cert, setup.pki.server_key,
                                      demo_consultations_folder(), port));
        CHECK_MESSAGE(r.exit_code == 2, port << ": " << r.output);
        CHECK_MESSAGE(r.output.find("--port must be a number") != std::string::npos, r.output);
    }
}

TEST_CASE("reissue-token gives a kiosk a new token, and the old one stops working" *
          doctest::test_suite("server-store")) {
    ServerFixture server;
    const auto kiosk = server.path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(3, server.device_id));
    const SyncSettings old_settings = server.sync_settings();

    const auto token_file = server.path("new.token");
    const CommandResult r =
        run_command({server_binary().string(), "reissue-token", "--db", server.server_db.string(), "--device",
                     server.device_id, "--token-file", token_file.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    CHECK((std::filesystem::status(token_file).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none); // a secret: not readable by others

    {
        SyncClient client = make_client(old_settings, kiosk);
        auto refused = client.sync_all();
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == SyncError::Kind::Auth);
    }
    SyncSettings new_settings = old_settings;
    std::string token = read_file(token_file);
    new_settings.token = token.substr(0, token.find('\n'));
    SyncClient client = make_client(new_settings, kiosk);
    REQUIRE(client.sync_all().ok());
    CHECK(server.server_count() == 3); // the same device id: nothing pending was orphaned

    const CommandResult unknown = run_command({server_binary().string(), "reissue-token", "--db",
                                               server.server_db.string(), "--device", "bestaat-niet"});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.output.find("'bestaat-niet' is not registered") != std::string::npos);
}
