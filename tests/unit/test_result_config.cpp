// The kiosk configuration's keys for "you said, we did": [sync] result_public_key and public_url, and
// what the start screen reads aloud when a result is there.
#include <doctest/doctest.h>

#include <fstream>

#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/ui/screen_sentences.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using buurtstem::test::TempDir;

TEST_CASE("kiosk config: the result key, and the public address that defaults to the server's") {
    TempDir dir;
    const auto path = dir / "kiosk.toml";
    const std::string key = bundle::generate_key_pair().public_key;
    std::ofstream(path)
        << "device_id = \"kiosk-1\"\nconsultation = \"c.toml\"\n[sync]\nserver = \"https://x:8443\"\n"
        << "result_public_key = \"" << key << "\"\n";
    auto config = load_kiosk_config(path);
    REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error()));
    CHECK(config->result_public_key == key);
    CHECK(config->public_url == "https://x:8443");

    std::ofstream(path, std::ios::trunc) << "device_id = \"kiosk-1\"\nconsultation = \"c.toml\"\n[sync]\n"
                                         << "public_url = \"https://buurtstem.velsen.nl\"\n";
    config = load_kiosk_config(path);
    REQUIRE(config.ok());
    CHECK(config->public_url == "https://buurtstem.velsen.nl");
    CHECK(config->result_public_key.empty());

    for (const char* bad : {"public_url = \"http://plain.example.nl\"", "public_url = \"https://a b\"",
                            "result_public_key = \"dGVzdA==\""}) {
        CAPTURE(bad);
        std::ofstream(path, std::ios::trunc) << "device_id = \"kiosk-1\"\nconsultation = \"c.toml\"\n[sync]\n"
                                             << bad << "\n";
        config = load_kiosk_config(path);
        REQUIRE_FALSE(config.ok());
        CHECK(config.error().find("kiosk.toml:4:") != std::string::npos);
    }
}

TEST_CASE("the start screen reads the result text aloud, in the resident's language or the default") {
    auto consultation = load_consultation_file(std::filesystem::path(BUURTSTEM_SOURCE_DIR) /
                                               "config/consultations/minimaregelingen.toml");
    REQUIRE(consultation.ok());
    auto texts = Catalog::load_folder(std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "assets/i18n");
    REQUIRE(texts.ok());
    ResidentFlow flow(*consultation, FlowTimings{});
    ui::ResultView result;
    result.by_language["nl"] = ui::ResultTextView{"We maken het formulier korter.", {{"Reacties", "412"}}};
    const auto without = ui::ScreenSentences(flow, *texts);
    const auto with = ui::ScreenSentences(flow, *texts, &result);
    REQUIRE(with.size() == without.size() + 3);
    CHECK(with[with.size() - 4] == texts->text("nl", "result.title"));
    CHECK(with[with.size() - 3] == "We maken het formulier korter.");
    CHECK(with[with.size() - 2] == "Reacties: 412");
    CHECK(with.back() == texts->text("nl", "start.begin")); // the button is still read last

    flow.handle({FlowEventType::ChooseLanguage, "en"}, Moment::now());
    const auto english = ui::ScreenSentences(flow, *texts, &result);
    CHECK(std::find(english.begin(), english.end(), "We maken het formulier korter.") != english.end());
    CHECK(std::find(english.begin(), english.end(), texts->text("en", "result.title")) != english.end());
}
