// The streamed exports (CSV, XLSX, JSON Lines) of what the real sync put into the server, read back with
// other tools than ours (python3-openpyxl for XLSX), and "you said, we did" from `set-result` on the
// server to a kiosk's verified result file over the real HTTPS pull.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/sync/result_pull.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
namespace fs = std::filesystem;

namespace {

size_t lines_of(const std::string& text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Syncs `n` demo responses into the fixture's server; returns them.
std::vector<CompletedResponse> fill_server(ServerFixture& f, size_t n) {
    auto responses = demo_responses(n, f.device_id);
    const auto kiosk = f.path("kiosk.db");
    commit_to_kiosk(kiosk, responses);
    SyncClient client = make_client(f.sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    REQUIRE(report->accepted == n);
    return responses;
}

CommandResult export_as(const ServerFixture& f, const std::string& format, const fs::path& out) {
    return run_command({server_binary().string(), "export", "--db", f.server_db.string(), "--consultation",
                        kDemoConsultation, "--consultations", demo_consultations_folder().string(),
                        "--format", format, "--out", out.string()});
}

// `keygen` into dir; returns the public key line's key.
std::string make_key(const fs::path& dir, const std::string& name) {
    const CommandResult keys =
        run_command({server_binary().string(), "keygen", "--secret-key", (dir / (name + ".sk")).string(),
                     "--public-key", (dir / (name + ".pub")).string()});
    REQUIRE_MESSAGE(keys.exit_code == 0, keys.output);
    std::string pub = read_file(dir / (name + ".pub"));
    pub.erase(pub.find_last_not_of("\r\n") + 1);
    return pub;
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "XLSX export: raw sheet with the CSV's columns and a summary sheet per question") {
    constexpr size_t kResponses = 40;
    const auto responses = fill_server(*this, kResponses);
    const fs::path xlsx = path("export.xlsx");
    const CommandResult r = export_as(*this, "xlsx", xlsx);
    INFO("export said: " << r.output);
    REQUIRE(r.exit_code == 0);
    CHECK((fs::status(xlsx).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);
    const CommandResult csv = export_as(*this, "csv", path("export.csv"));
    REQUIRE(csv.exit_code == 0);
    const std::string csv_text = read_file(path("export.csv"));
    const std::string csv_header = csv_text.substr(3, csv_text.find("\r\n") - 3);

    // Read back by openpyxl: sheet names, the header row, row count, every response id, a summary.
    const fs::path script = path("read.py");
    std::ofstream(script) << R"(import json, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
raw = wb["Antwoorden"]
rows = list(raw.iter_rows(values_only=True))
out = {"sheets": wb.sheetnames, "header": list(rows[0]), "rows": len(rows) - 1,
       "ids": [r[0] for r in rows[1:]], "versions": sorted({r[2] for r in rows[1:]}),
       "summary": {}}
for name in wb.sheetnames[1:]:
    s = list(wb[name].iter_rows(values_only=True))
    out["summary"][name] = {"title": s[0][0], "rows": [[r[0], r[1]] for r in s[3:] if r and r[0] is not None]}
print(json.dumps(out))
)";
    // Debian's python3 (where python3-openpyxl is), not whatever python3 comes first on the PATH.
    const CommandResult read = run_command({"/usr/bin/python3", script.string(), xlsx.string()});
    INFO("openpyxl said: " << read.output);
    REQUIRE(read.exit_code == 0);
    const nlohmann::json book = nlohmann::json::parse(read.output);
    CHECK(book["sheets"][0] == "Antwoorden");
    CHECK(book["sheets"].size() == 1 + 9); // a summary sheet per question of the demo
    CHECK(book["sheets"][1] == "V1 kent-regelingen");
    std::string header;
    for (const auto& cell : book["header"]) {
        header += (header.empty() ? "" : ";") + cell.get<std::string>();
    }
    CHECK(header == csv_header); // the same columns as the CSV
    CHECK(book["rows"] == kResponses);
    CHECK(book["versions"] == nlohmann::json::array({1})); // a number, not text
    for (size_t i = 0; i < responses.size(); ++i) {
        CHECK(book["ids"][i] == responses[i].id); // oldest first, as received
    }
    // The summary of the first question counts every answer once, by its Dutch label.
    double total = 0;
    for (const auto& row : book["summary"]["V1 kent-regelingen"]["rows"]) {
        total += row[1].get<double>();
    }
    CHECK(total == doctest::Approx(kResponses));
    CHECK(book["summary"]["V1 kent-regelingen"]["rows"][0][0].get<std::string>().size() > 3);
}

TEST_CASE_FIXTURE(ServerFixture, "JSON Lines export: a header line, then one object per response") {
    constexpr size_t kResponses = 25;
    const auto responses = fill_server(*this, kResponses);
    const CommandResult r = export_as(*this, "json", path("export.jsonl"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    const std::string text = read_file(path("export.jsonl"));
    REQUIRE(lines_of(text) == kResponses + 1);
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    const nlohmann::json head = nlohmann::json::parse(line);
    CHECK(head["format"] == "buurtstem-export-v1");
    CHECK(head["consultation_id"] == kDemoConsultation);
    CHECK(head["questions"].size() == 9);
    for (const CompletedResponse& expected : responses) {
        REQUIRE(std::getline(in, line));
        const nlohmann::json row = nlohmann::json::parse(line);
        CHECK(row["response_id"] == expected.id);
        for (const Answer& a : expected.answers) {
            CHECK(row["answers"][a.question_id] == a.value); // raw values, exactly as stored
        }
    }

    SUBCASE("a wrong format is refused by name") {
        const CommandResult bad = export_as(*this, "pdf", path("x.pdf"));
        CHECK(bad.exit_code == 2);
        CHECK(bad.output.find("--format must be csv, xlsx or json, not 'pdf'") != std::string::npos);
        CHECK_FALSE(fs::exists(path("x.pdf")));
    }
}

TEST_CASE_FIXTURE(ServerFixture,
                  "set-result reaches the kiosk signed, and a result signed with another key is refused") {
    const std::string result_pub = make_key(dir.path(), "result");
    extra_serve_args = {"--result-key", path("result.sk").string()};
    stop_server();
    start_server();

    std::ofstream(path("result.txt"))
        << "We maken het aanvraagformulier korter.\nDank u wel voor uw mening!\n"
           "---\nReacties: 412\nWijken: 7\n";
    const CommandResult set =
        run_command({server_binary().string(), "set-result", "--db", server_db.string(), "--consultation",
                     kDemoConsultation, "--lang", "nl", "--text-file", path("result.txt").string()});
    INFO("set-result said: " << set.output);
    REQUIRE(set.exit_code == 0);
    CHECK(set.output.find("/r/" + public_result_code(kDemoConsultation)) != std::string::npos);

    const SyncSettings sync = sync_settings();
    PullSettings pull;
    pull.server_url = sync.server_url;
    pull.token = sync.token;
    pull.ca_file = sync.ca_file;
    pull.folder = path("kiosk-consultations");
    auto pulled = pull_results(pull, result_pub);
    REQUIRE_MESSAGE(pulled.ok(), pulled.error().message);
    CHECK(pulled->updated == std::vector<std::string>{std::string(kDemoConsultation) + " revision 1"});
    auto kept = load_pulled_result(pull.folder, kDemoConsultation, result_pub);
    REQUIRE(kept.has_value());
    const ResultText* nl = kept->in("nl");
    REQUIRE(nl != nullptr);
    CHECK(nl->text == "We maken het aanvraagformulier korter.\nDank u wel voor uw mening!");
    REQUIRE(nl->figures.size() == 2);
    CHECK(nl->figures[1].label == "Wijken");
    CHECK(nl->figures[1].value == "7");

    // Unchanged: nothing written again.
    auto again = pull_results(pull, result_pub);
    REQUIRE(again.ok());
    CHECK(again->unchanged == 1);

    // A kiosk trusting another key refuses it, and keeps nothing.
    const std::string other_pub = make_key(dir.path(), "other");
    PullSettings other = pull;
    other.folder = path("other-consultations");
    auto refused = pull_results(other, other_pub);
    REQUIRE(refused.ok());
    REQUIRE(refused->refused.size() == 1);
    CHECK(refused->refused[0].find("bad signature") != std::string::npos);
    CHECK_FALSE(fs::exists(other.folder / (std::string(kDemoConsultation) + ".result.json")));

    // The kept file changed on the kiosk's disk (a word swapped) is not shown.
    const fs::path file = pull.folder / (std::string(kDemoConsultation) + ".result.json");
    std::string bytes = read_file(file);
    bytes.replace(bytes.find("korter"), 6, "langer");
    std::ofstream(file, std::ios::trunc) << bytes;
    std::string why;
    CHECK_FALSE(load_pulled_result(pull.folder, kDemoConsultation, result_pub, &why).has_value());
    CHECK(why.find("bad signature") != std::string::npos);

    SUBCASE("a text over the limit is refused by set-result, naming the rule") {
        std::ofstream(path("long.txt")) << std::string(900, 'a') << "\n";
        const CommandResult too_long =
            run_command({server_binary().string(), "set-result", "--db", server_db.string(), "--consultation",
                         kDemoConsultation, "--lang", "nl", "--text-file", path("long.txt").string()});
        CHECK(too_long.exit_code == 1);
        CHECK(too_long.output.find("text (nl)") != std::string::npos);
    }
}

TEST_CASE_FIXTURE(ServerFixture,
                  "withdraw-result takes a result off the server, and the kiosk's next pull removes it") {
    const std::string result_pub = make_key(dir.path(), "result");
    extra_serve_args = {"--result-key", path("result.sk").string()};
    stop_server();
    start_server();
    std::ofstream(path("result.txt")) << "Er komt een spreekuur in het buurthuis.\n";
    const CommandResult set =
        run_command({server_binary().string(), "set-result", "--db", server_db.string(), "--consultation",
                     kDemoConsultation, "--lang", "nl", "--text-file", path("result.txt").string()});
    REQUIRE(set.exit_code == 0);

    const SyncSettings sync = sync_settings();
    PullSettings pull;
    pull.server_url = sync.server_url;
    pull.token = sync.token;
    pull.ca_file = sync.ca_file;
    pull.folder = path("kiosk-consultations");
    REQUIRE(pull_results(pull, result_pub).ok());
    REQUIRE(load_pulled_result(pull.folder, kDemoConsultation, result_pub).has_value());

    const CommandResult withdrawn = run_command({server_binary().string(), "withdraw-result", "--db",
                                                 server_db.string(), "--consultation", kDemoConsultation});
    INFO("withdraw-result said: " << withdrawn.output);
    REQUIRE(withdrawn.exit_code == 0);
    CHECK(withdrawn.output.find("withdrawn") != std::string::npos);

    auto pulled = pull_results(pull, result_pub);
    REQUIRE_MESSAGE(pulled.ok(), pulled.error().message);
    CHECK(pulled->removed.size() == 1);
    CHECK_FALSE(load_pulled_result(pull.folder, kDemoConsultation, result_pub).has_value());

    // Nothing left to withdraw: said so, exit 1.
    const CommandResult again = run_command({server_binary().string(), "withdraw-result", "--db",
                                             server_db.string(), "--consultation", kDemoConsultation});
    CHECK(again.exit_code == 1);
    CHECK(again.output.find("no result to withdraw") != std::string::npos);
}
