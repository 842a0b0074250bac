// The WCAG 2.2 AA audit (tests/browser/accessibility_audit.py) against the real server: this sets up
// a world where every page has its full content (a staff account, 40 responses with language groups
// over and under 5, free texts, a result text with figures in Dutch and Arabic) and runs the audit,
// which fails naming page, element and rule. Screenshots: <build>/test-artifacts/accessibility/.
// The pages render the same from either store, so this runs on SQLite only.
#include <doctest/doctest.h>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/server/server_store.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

TEST_CASE_FIXTURE(ServerFixture, "browser: WCAG 2.2 AA audit of the login, every dashboard page and the "
                                 "public results page in five languages finds no violation") {
    const std::string password = "correct horse battery staple";
    const CommandResult added =
        run_command({"sh", "-c",
                     "printf '%s\\n' '" + password + "' | '" + server_binary().string() +
                         "' add-staff --db '" + server_db.string() + "' --user beheer --role admin"});
    INFO("add-staff said: " << added.output);
    REQUIRE(added.exit_code == 0);

    auto responses = demo_responses(40, device_id);
    static const char* const languages[] = {"nl", "nl", "nl", "tr", "ar", "nl", "pl", "en"};
    for (size_t i = 0; i < responses.size(); ++i) {
        responses[i].language = languages[i % 8];
    }
    responses.back().language = "pl"; // nl 15, tr 5, ar 5, pl 6, en 4 (suppressed)
    {
        auto store = open_server_store(server_db.string());
        REQUIRE(store.ok());
        REQUIRE((*store)->store_responses(responses, now_iso8601_utc()).ok());
        ResultText nl;
        nl.language = "nl";
        nl.text = "We maken één aanvraagformulier.\nVanaf maart.";
        nl.figures = {{"Reacties", "40"}, {"Wijken", "6"}};
        REQUIRE((*store)->set_result_text(kDemoConsultation, nl).ok());
        ResultText ar;
        ar.language = "ar";
        ar.text = "سنصنع نموذج طلب واحدا.";
        ar.figures = {{"الردود", "40"}};
        REQUIRE((*store)->set_result_text(kDemoConsultation, ar).ok());
    }

    const std::filesystem::path artifacts = std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) / "accessibility";
    const CommandResult audit = run_command(
        {"/usr/bin/python3", std::string(BUURTSTEM_SOURCE_DIR) + "/tests/browser/accessibility_audit.py",
         "--url", url(), "--cert", pki.server_cert.string(), "--user", "beheer", "--password", password,
         "--consultation", kDemoConsultation, "--artifacts", artifacts.string()});
    INFO("audit said:\n" << audit.output);
    MESSAGE(audit.output);
    CHECK(audit.exit_code == 0);
    CHECK(audit.output.find("no accessibility violations") != std::string::npos);
    CHECK(audit.output.find("VIOLATION") == std::string::npos);
}
