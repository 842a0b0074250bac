// Headless Chromium against the real server: this sets up the world (server over loopback HTTPS with
// the test CA, a staff account, responses with a language group under 5) and runs
// tests/browser/dashboard_browser.py, which drives the browser and checks the pages against the
// database (the SQLite file, or PostgreSQL through psql). Screenshots: <build>/test-artifacts/
// dashboard-browser/ (dashboard-browser-pg/ for the PostgreSQL run).
#include <doctest/doctest.h>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/server/server_store.hpp"
#include "pg_cluster.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

TEST_CASE_FIXTURE(ServerFixture,
                  "browser: Chromium logs in, reads charts that match the database, downloads the CSV" *
                      doctest::test_suite("server-store")) {
    const std::string password = "correct horse battery staple";
    const CommandResult added =
        run_command({"sh", "-c",
                     "printf '%s\\n' '" + password + "' | '" + server_binary().string() +
                         "' add-staff --db '" + server_db.string() + "' --user beheer --role admin"});
    INFO("add-staff said: " << added.output);
    REQUIRE(added.exit_code == 0);

    auto responses = demo_responses(23, device_id);
    for (size_t i = 0; i < responses.size(); ++i) {
        responses[i].language = i < 20 ? "nl" : "en"; // 3 in English: suppressed
    }
    {
        auto store = open_server_store(server_db.string());
        REQUIRE(store.ok());
        REQUIRE((*store)->store_responses(responses, now_iso8601_utc()).ok());
    }

    const std::filesystem::path artifacts =
        std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) /
        (testing_postgresql() ? "dashboard-browser-pg" : "dashboard-browser");
    // Debian's python3 (the selenium package lives there), not whatever python3 comes first in PATH.
    const CommandResult browser = run_command(
        {"/usr/bin/python3", std::string(BUURTSTEM_SOURCE_DIR) + "/tests/browser/dashboard_browser.py",
         "--url", url(), "--cert", pki.server_cert.string(), "--db", server_db.string(), "--user", "beheer",
         "--password", password, "--consultation", kDemoConsultation, "--artifacts", artifacts.string()});
    INFO("browser test said:\n" << browser.output);
    INFO("server log:\n" << server_log());
    MESSAGE(browser.output);
    CHECK(browser.exit_code == 0);
    CHECK(browser.output.find("all browser checks passed") != std::string::npos);
}
