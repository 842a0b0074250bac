#include <doctest/doctest.h>

#include <fstream>

#include "buurtstem/app/kiosk_config.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

std::filesystem::path write_config(const TempDir& dir, const std::string& text) {
    const auto path = dir / "kiosk.toml";
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("kiosk config: relative paths are resolved against the config file's folder") {
    TempDir dir;
    const auto path = write_config(dir, "device_id = \"kiosk-1\"\nconsultation = \"c/x.toml\"\n"
                                        "[sync]\nserver = \"https://127.0.0.1:8443\"\ntoken_file = \"t\"\n"
                                        "[timing]\nidle_warning_seconds = 45\n");
    auto config = load_kiosk_config(path);
    REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error()));
    CHECK(config->device_id == "kiosk-1");
    CHECK(config->consultation == dir.path() / "c/x.toml");
    CHECK(config->token_file == dir.path() / "t");
    CHECK(config->server_url == "https://127.0.0.1:8443");
    CHECK(config->idle_warning == std::chrono::seconds(45));
    CHECK(config->idle_reset == std::chrono::seconds(20)); // default kept
}

TEST_CASE("kiosk config: mistakes are named with file and line") {
    TempDir dir;
    struct Case {
        std::string text;
        std::string expected;
    };
    const Case cases[] = {
        {"consultation = \"x.toml\"\n", "'device_id' is missing"},
        {"device_id = \"Kiosk 1\"\nconsultation = \"x.toml\"\n", "kiosk.toml:1: 'device_id' must be"},
        {"device_id = \"k\"\nconsultation = \"x.toml\"\n[timing]\nidle_reset_second = 5\n",
         "kiosk.toml:4: unknown key 'timing.idle_reset_second'"},
        {"device_id = \"k\"\nconsultation = \"x.toml\"\nsync = \"https://x\"\n",
         "kiosk.toml:3: 'sync' must be a section"},
        {"device_id = \"k\"\nconsultation = \"x.toml\"\n[timing]\nthanks_seconds = 0\n",
         "kiosk.toml:4: 'thanks_seconds'"},
        {"device_id = \"k\"\nconsultation = \n", "kiosk.toml:2:"},
    };
    for (const Case& c : cases) {
        const auto path = write_config(dir, c.text);
        auto config = load_kiosk_config(path);
        REQUIRE_FALSE_MESSAGE(config.ok(), c.text);
        CHECK_MESSAGE(config.error().find(c.expected) != std::string::npos, config.error());
    }
}

TEST_CASE("kiosk config: the token file may end in spaces or a Windows line end") {
    TempDir dir;
    std::ofstream(dir / "t") << "  abc123\r\n";
    const auto path = write_config(dir, "device_id = \"k\"\nconsultation = \"x.toml\"\n"
                                        "[sync]\nserver = \"https://127.0.0.1:1\"\ntoken_file = \"t\"\n");
    auto config = load_kiosk_config(path);
    REQUIRE(config.ok());
    auto settings = sync_settings_for(*config);
    REQUIRE(settings.ok());
    CHECK(settings->token == "abc123");

    std::ofstream(dir / "t", std::ios::trunc) << "\n";
    auto empty = sync_settings_for(*config);
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().find("add-device") != std::string::npos);
}

TEST_CASE("kiosk config: server_pin is passed to sync, and a pin of the wrong form is named") {
    TempDir dir;
    std::ofstream(dir / "t") << "token\n";
    const std::string pin = "sha256//" + std::string(43, 'A') + "=";
    auto config = load_kiosk_config(write_config(
        dir,
        "device_id = \"kiosk-1\"\nconsultation = \"x.toml\"\n[sync]\nserver = \"https://127.0.0.1:8443\"\n"
        "token_file = \"t\"\nserver_pin = \"" +
            pin + "\"\n"));
    REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error()));
    auto settings = sync_settings_for(*config);
    REQUIRE(settings.ok());
    CHECK(settings->pinned_public_key == pin);

    auto wrong = load_kiosk_config(write_config(
        dir, "device_id = \"kiosk-1\"\nconsultation = \"x.toml\"\n[sync]\nserver = \"https://h\"\n"
             "server_pin = \"abc\"\n"));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().find("kiosk.toml:5: 'sync.server_pin' must look like") != std::string::npos);
}

TEST_CASE("kiosk config: a missing or unusable config file says what is wrong, not FILE:0:0") {
    TempDir dir;
    auto missing = load_kiosk_config(dir / "kiosk.toml");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error() == (dir / "kiosk.toml").string() + ": cannot open: No such file or directory");
    std::filesystem::create_directory(dir / "map.toml");
    auto folder = load_kiosk_config(dir / "map.toml");
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.error() == (dir / "map.toml").string() + ": not a regular file: it is a folder");
}
