// The kiosk configuration's keys for signed consultations: [sync] council_public_key and
// consultations_folder.
#include <doctest/doctest.h>

#include <fstream>

#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using buurtstem::test::TempDir;

TEST_CASE("kiosk config: the council's public key and the folder for pulled consultations") {
    TempDir dir;
    const auto path = dir / "kiosk.toml";
    const std::string key = bundle::generate_key_pair().public_key;
    std::ofstream(path)
        << "device_id = \"kiosk-1\"\nconsultation = \"c.toml\"\n[sync]\nserver = \"https://x\"\n"
        << "council_public_key = \"" << key << "\"\nconsultations_folder = \"pulled\"\n";
    auto config = load_kiosk_config(path);
    REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error()));
    CHECK(config->council_public_key == key);
    CHECK(config->consultations_folder == dir.path() / "pulled");
}

TEST_CASE("kiosk config: a council key that is not a key is named with file and line") {
    TempDir dir;
    const auto path = dir / "kiosk.toml";
    std::ofstream(path)
        << "device_id = \"kiosk-1\"\nconsultation = \"c.toml\"\n[sync]\nserver = \"https://x\"\n"
        << "council_public_key = \"dGVzdA==\"\n";
    auto config = load_kiosk_config(path);
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().find("kiosk.toml:5:") != std::string::npos);
    CHECK(config.error().find("council_public_key") != std::string::npos);
}
