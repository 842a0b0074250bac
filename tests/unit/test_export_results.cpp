// Streamed exports in-process (the sink contract, JSON Lines, the summary from counts) and "you said, we
// did": result texts in the SQLite store, their rules, signing and the public results code.
#include <doctest/doctest.h>

#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/server/csv_export.hpp"
#include "buurtstem/server/export.hpp"
#include "buurtstem/server/ingest.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

const fs::path kDemo = fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" / "minimaregelingen.toml";
const std::string kId = "minimaregelingen-ijmond";
const std::string kDevice = "kiosk-export";

ConsultationCatalog demo_catalog() {
    auto loaded = load_consultation_file(kDemo);
    REQUIRE(loaded.ok());
    return ConsultationCatalog({std::move(loaded).value()});
}

std::unique_ptr<ServerStore> store_with(const fs::path& path, size_t responses) {
    auto opened = open_sqlite_server_store(path.string());
    REQUIRE(opened.ok());
    auto store = std::move(opened).value();
    REQUIRE(store->add_device(kDevice).ok());
    std::vector<CompletedResponse> batch;
    const char* known[] = {"ja-goed", "een-paar", "nee"};
    for (size_t i = 0; i < responses; ++i) {
        CompletedResponse r;
        r.id = new_uuid_v4();
        r.consultation_id = kId;
        r.consultation_version = 1;
        r.device_id = kDevice;
        r.language = i % 2 ? "en" : "nl";
        r.started_at = "2026-11-24T13:05:09Z";
        r.completed_at = "2026-11-24T13:08:40Z";
        r.answers = {{"kent-regelingen", known[i % 3]},
                     {"aanvragen-makkelijk", std::to_string(1 + i % 5)},
                     {"ideeen", "idee " + std::to_string(i)}};
        batch.push_back(r);
    }
    REQUIRE(store->store_responses(batch, "2026-11-24T14:00:00Z").ok());
    return store;
}

ResultText nl_text(std::string text) {
    return ResultText{"nl", std::move(text), {{"Reacties", "412"}}, ""};
}

} // namespace

TEST_CASE("the CSV export streams in chunks, and a sink that stops ends it with Cancelled") {
    TempDir dir;
    auto store = store_with(dir / "s.sqlite", 3000);
    const ConsultationCatalog catalog = demo_catalog();
    std::string whole;
    size_t chunks = 0;
    REQUIRE(write_csv(*store, catalog, kId, ExportOptions{}, [&](std::string_view chunk) {
                CHECK(chunk.size() <= 80 * 1024);
                whole += chunk;
                ++chunks;
                return true;
            }).ok());
    CHECK(chunks > 1); // not one string at the end
    auto collected = export_csv(*store, catalog, kId, CsvOptions{});
    REQUIRE(collected.ok());
    CHECK(whole == *collected);
    CHECK(std::count(whole.begin(), whole.end(), '\n') == 3001);

    size_t calls = 0;
    auto stopped =
        write_csv(*store, catalog, kId, ExportOptions{}, [&](std::string_view) { return ++calls < 2; });
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.error().kind == ExportError::Kind::Cancelled);
    CHECK(calls == 2);
}

TEST_CASE("export_to_file leaves the old file alone when the export fails, and writes 0600 when it works") {
    TempDir dir;
    auto store = store_with(dir / "s.sqlite", 10);
    const fs::path target = dir / "out.csv";
    REQUIRE(export_to_file(ExportFormat::Json, *store, demo_catalog(), kId, ExportOptions{}, target).ok());
    CHECK((fs::status(target).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);
    const fs::path missing = dir / "no-such-folder" / "out.csv";
    auto failed = export_to_file(ExportFormat::Csv, *store, demo_catalog(), kId, ExportOptions{}, missing);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().message.find("no-such-folder") != std::string::npos);
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
    }
}

TEST_CASE("XLSX export is a zip made in constant memory, streamed to the sink") {
    TempDir dir;
    auto store = store_with(dir / "s.sqlite", 50);
    std::string bytes;
    REQUIRE(write_xlsx(*store, demo_catalog(), kId, ExportOptions{}, [&](std::string_view chunk) {
                bytes += chunk;
                return true;
            }).ok());
    REQUIRE(bytes.size() > 1000);
    CHECK(bytes.rfind("PK\x03\x04", 0) == 0);
}

TEST_CASE("every type's summary from counts equals its summary from the answers one by one") {
    const ConsultationCatalog catalog = demo_catalog();
    const Consultation* demo = catalog.latest(kId);
    REQUIRE(demo != nullptr);
    for (const Question& q : demo->questions) {
        CAPTURE(q.id);
        std::vector<std::string> values;
        for (const Option& o : q.options) {
            values.push_back(o.id);
            values.push_back(o.id);
        }
        if (q.options.size() >= 2) {
            values.push_back(q.options[1].id + "," + q.options[0].id);
        }
        for (const char* v : {"1", "2", "5", "5", "yes", "no", "Een idee", "", ""}) {
            values.push_back(v);
        }
        std::vector<ValueCount> counted;
        std::map<std::string, int64_t> keyed;
        for (const std::string& v : values) {
            ++keyed[q.type->summary_key(v)];
        }
        for (const auto& [k, n] : keyed) {
            counted.push_back({k, n});
        }
        const auto one_by_one = q.type->summarize(q, values, "nl");
        const auto by_count = q.type->summarize_counted(q, counted, "nl");
        REQUIRE(one_by_one.size() == by_count.size());
        for (size_t i = 0; i < one_by_one.size(); ++i) {
            CHECK(one_by_one[i].label == by_count[i].label);
            CHECK(one_by_one[i].value == doctest::Approx(by_count[i].value));
        }
    }
}

TEST_CASE("result texts: set per language, revision up at every change, a language removed") {
    TempDir dir;
    auto opened = open_sqlite_server_store((dir / "s.sqlite").string());
    REQUIRE(opened.ok());
    ServerStore& store = **opened;
    auto none = store.result_for(kId);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());

    REQUIRE(store.set_result_text(kId, nl_text("We maken het formulier korter.")).ok());
    REQUIRE(store.set_result_text(kId, ResultText{"en", "We will make the form shorter.", {}, ""}).ok());
    auto both = store.result_for(kId);
    REQUIRE(both.ok());
    REQUIRE(both->has_value());
    CHECK((*both)->revision == 2);
    REQUIRE((*both)->texts.size() == 2);
    CHECK((*both)->texts[0].language == "en"); // sorted
    CHECK((*both)->texts[1].figures.size() == 1);
    CHECK((*both)->texts[1].figures[0].value == "412");
    CHECK_FALSE((*both)->texts[1].updated_at.empty());

    REQUIRE(store.set_result_text(kId, ResultText{"en", "", {}, ""}).ok());
    auto all = store.all_results();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 1);
    CHECK(all->front().revision == 3);
    REQUIRE(all->front().texts.size() == 1);
    CHECK(all->front().texts[0].language == "nl");

    auto refused = store.set_result_text(kId, nl_text("Kijk \u202Ehier"));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("U+202E") != std::string::npos);
    auto bad_id = store.set_result_text("../etc", nl_text("x"));
    CHECK_FALSE(bad_id.ok());
}

TEST_CASE("result text rules and the text file format name what is wrong") {
    CHECK_FALSE(check_result_text(nl_text("Goed zo.")).has_value());
    CHECK(check_result_text(ResultText{"NL", "x", {}, ""}).value().find("language") != std::string::npos);
    CHECK(check_result_text(nl_text(std::string(801, 'a'))).has_value());
    CHECK_FALSE(check_result_text(nl_text(std::string(800, 'a'))).has_value());
    ResultText many = nl_text("x");
    many.figures.assign(7, {"a", "b"});
    CHECK(check_result_text(many).value().find("at most 6") != std::string::npos);
    ResultText newline_label = nl_text("x");
    newline_label.figures = {{"a\nb", "1"}};
    CHECK(check_result_text(newline_label).value().find("figures[0] (nl).label") != std::string::npos);

    auto parsed =
        parse_result_text_file("\xEF\xBB\xBFRegel een.\r\nRegel twee.\r\n\r\n---\r\nReacties: 1 234\r\n\r\n"
                               "Wijken:7\r\n",
                               "nl");
    REQUIRE(parsed.ok());
    CHECK(parsed->text == "Regel een.\nRegel twee.");
    REQUIRE(parsed->figures.size() == 2);
    CHECK(parsed->figures[0].value == "1 234");
    CHECK(parsed->figures[1].label == "Wijken");
    auto broken = parse_result_text_file("Tekst\n---\nzonder dubbele punt\n", "nl");
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().find("line 3") != std::string::npos);
}

TEST_CASE("a signed result verifies with its key only, and any changed byte is refused") {
    const bundle::KeyPair key = bundle::generate_key_pair();
    const bundle::KeyPair other = bundle::generate_key_pair();
    ConsultationResult result{kId, 4, "2026-11-30T10:00:00Z", {nl_text("We maken het formulier korter.")}};
    auto signed_result = result_bundle::sign_result(result, key.secret_key);
    REQUIRE(signed_result.ok());
    auto decoded = result_bundle::decode_signed(result_bundle::encode_signed(*signed_result));
    REQUIRE(decoded.ok());
    auto verified = result_bundle::verify_result(*decoded, key.public_key);
    REQUIRE_MESSAGE(verified.ok(), (verified.ok() ? "" : verified.error()));
    CHECK(verified->revision == 4);
    CHECK(verified->in("tr") == &verified->texts[0]); // falls back to Dutch

    CHECK_FALSE(result_bundle::verify_result(*decoded, other.public_key).ok());
    result_bundle::SignedResult tampered = *decoded;
    tampered.result_json.replace(tampered.result_json.find("korter"), 6, "langer");
    auto refused = result_bundle::verify_result(tampered, key.public_key);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().find("bad signature") != std::string::npos);
    // A consultation bundle's signature is no result signature, even from the same key.
    auto consultation = bundle::sign_consultation(buurtstem::test::read_file(kDemo), key.secret_key, "demo");
    REQUIRE(consultation.ok());
    result_bundle::SignedResult moved{decoded->result_json, consultation->signature};
    CHECK_FALSE(result_bundle::verify_result(moved, key.public_key).ok());
}

TEST_CASE("the public results code: six characters, one per consultation, the same every time") {
    const std::string code = public_result_code(kId);
    CHECK(code.size() == 6);
    CHECK(code.find_first_not_of("23456789abcdefghjkmnpqrstuvwxyz") == std::string::npos);
    CHECK(public_result_code(kId) == code);
    CHECK(public_result_code("snelle-peiling-hulp-weten") != code);
    CHECK(public_result_address("https://buurtstem.velsen.nl/", kId) ==
          "https://buurtstem.velsen.nl/r/" + code);
}

TEST_CASE("a download pipe carries the whole export, and a reader that goes away ends the writer") {
    TempDir dir;
    auto store = store_with(dir / "s.sqlite", 2000);
    const ConsultationCatalog catalog = demo_catalog();
    auto expected = export_csv(*store, catalog, kId, CsvOptions{});
    REQUIRE(expected.ok());
    auto fd = start_export_pipe(ExportFormat::Csv, *store, catalog, kId, ExportOptions{}, {});
    // (read to the end below: the writer has finished with the store once the pipe is at its end)
    REQUIRE(fd.ok());
    std::string got;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(*fd, buffer, sizeof buffer)) > 0) {
        got.append(buffer, static_cast<size_t>(n));
    }
    ::close(*fd);
    CHECK(got == *expected);

    // Read a little, then hang up: the writer sees EPIPE and stops with Cancelled; it held no lock the
    // store's writers need meanwhile.
    auto outcome = std::make_shared<std::promise<Status<ExportError>>>();
    auto early = start_export_pipe(ExportFormat::Csv, *store, catalog, kId, ExportOptions{},
                                   [outcome](const Status<ExportError>& s) { outcome->set_value(s); });
    REQUIRE(early.ok());
    REQUIRE(::read(*early, buffer, sizeof buffer) > 0);
    CHECK(store->set_result_text(kId, nl_text("Nog steeds bruikbaar.")).ok());
    ::close(*early);
    auto ended = outcome->get_future();
    REQUIRE(ended.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    const Status<ExportError> status = ended.get();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == ExportError::Kind::Cancelled);
}
