// `buurtstem-server export` on what the real sync put into the server's database.
#include <doctest/doctest.h>

#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

size_t count_of(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture, "export writes one CSV row per synced response, with Dutch labels" *
                                     doctest::test_suite("server-store")) {
    constexpr size_t kResponses = 60;
    const auto responses = demo_responses(kResponses, device_id);
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, responses);
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    REQUIRE(report->accepted == kResponses);

    // While the server still runs: an export must not wait for, or disturb, a live server.
    const auto csv_path = path("export.csv");
    const CommandResult r = run_command({server_binary().string(), "export", "--db", server_db.string(),
                                         "--consultation", kDemoConsultation, "--consultations",
                                         demo_consultations_folder().string(), "--out", csv_path.string()});
    INFO("export said: " << r.output);
    REQUIRE(r.exit_code == 0);
    const std::string csv = read_file(csv_path);

    CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0); // BOM, so Excel reads UTF-8
    CHECK(count_of(csv, "\r\n") == kResponses + 1);
    CHECK(count_of(csv, "\n") == kResponses + 1); // every line ends in CRLF, none in a bare LF
    const std::string header = csv.substr(3, csv.find("\r\n") - 3);
    CHECK(header.rfind("response_id;device_id;consultation_version;language;", 0) == 0);
    CHECK(header.find(";kent-regelingen;gebruikt;welke-gebruikt: Geld voor sport, muziek of een club;") !=
          std::string::npos);
    for (const CompletedResponse& response : responses) {
        CHECK(count_of(csv, response.id) == 1);
    }
    CHECK(csv.find(";Ik ken er een paar;") != std::string::npos);   // label of "een-paar"
    CHECK(csv.find(";Nee, die ken ik niet;") != std::string::npos); // label of "nee"
    CHECK(csv.find(";een-paar;") == std::string::npos);             // ids never leak into the export
    CHECK(csv.find("Eén formulier voor alles, graag") != std::string::npos);
    CHECK(csv.find(R"("Brief in ""gewone"" taal; niet zo ambtelijk")") != std::string::npos); // RFC 4180

    SUBCASE("to stdout with ',' between fields") {
        const CommandResult out = run_command({server_binary().string(), "export", "--db", server_db.string(),
                                               "--consultation", kDemoConsultation, "--consultations",
                                               demo_consultations_folder().string(), "--separator", ","});
        REQUIRE(out.exit_code == 0);
        CHECK(count_of(out.output, "\r\n") == kResponses + 1);
        CHECK(out.output.find("response_id,device_id,") != std::string::npos);
        CHECK(out.output.find(R"(,"Nee, die ken ik niet",)") != std::string::npos);
    }
}

TEST_CASE_FIXTURE(ServerFixture, "export of a consultation with no responses is just the header" *
                                     doctest::test_suite("server-store")) {
    const auto csv_path = path("empty.csv");
    const CommandResult r = run_command({server_binary().string(), "export", "--db", server_db.string(),
                                         "--consultation", kDemoConsultation, "--consultations",
                                         demo_consultations_folder().string(), "--out", csv_path.string()});
    INFO("export said: " << r.output);
    REQUIRE(r.exit_code == 0);
    const std::string csv = read_file(csv_path);
    CHECK(count_of(csv, "\r\n") == 1);
    CHECK(csv.find("kent-regelingen") != std::string::npos);
}
