// The server's side in-process, on a real SQLite file: device tokens, idempotent ingest that checks
// answers against the demo consultation, and the CSV export a council opens in Excel.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/server/aggregates.hpp"
#include "buurtstem/server/csv_export.hpp"
#include "buurtstem/server/ingest.hpp"
#include "buurtstem/server/pg.hpp"
#include "buurtstem/server/server_store.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "pg_cluster.hpp"
#include "server_v1_database.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

const fs::path kDemo = fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" / "minimaregelingen.toml";
const std::string kConsultationId = "minimaregelingen-ijmond";
const std::string kDevice = "kiosk-bibliotheek";

ConsultationCatalog demo_catalog() {
    auto loaded = load_consultation_file(kDemo);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    return ConsultationCatalog({std::move(loaded).value()});
}

// SQLite at `path`, or under BUURTSTEM_TEST_STORE=postgresql a fresh PostgreSQL schema that stands for
// it (pg_cluster.hpp): the test cases marked "server-store" run against both.
std::unique_ptr<ServerStore> open_store(const fs::path& path) {
    auto store = open_server_store(test::test_store_address(path));
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

// A response that fits the demo consultation.
CompletedResponse make_response(const std::string& device = kDevice) {
    CompletedResponse r;
    r.id = new_uuid_v4();
    r.consultation_id = kConsultationId;
    r.consultation_version = 1;
    r.device_id = device;
    r.language = "nl";
    r.started_at = "2026-11-24T13:05:09Z";
    r.completed_at = "2026-11-24T13:08:40Z";
    r.answers = {{"kent-regelingen", "ja-goed"}, {"aanvragen-makkelijk", "4"}, {"ideeen", "Meer uitleg"}};
    return r;
}

protocol::UploadBatch batch_of(std::vector<CompletedResponse> responses) {
    return protocol::UploadBatch{kDevice, std::move(responses)};
}

std::vector<StoredResponse> stored(ServerStore& store, const std::string& consultation_id = kConsultationId) {
    std::vector<StoredResponse> out;
    auto visited =
        store.for_each_response(consultation_id, [&](const StoredResponse& r) { out.push_back(r); });
    REQUIRE(visited.ok());
    return out;
}

int64_t count(ServerStore& store, const std::string& consultation_id = kConsultationId) {
    auto n = store.count_responses(consultation_id);
    REQUIRE(n.ok());
    return n.value();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// The first column of the first row of `sql` on a plain connection to `path`.
std::string query(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) ==
            SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return out;
}

// query() on whichever store the test runs against.
std::string store_query(const fs::path& path, const std::string& sql) {
    if (!test::testing_postgresql()) {
        return query(path, sql);
    }
    pg::Connection c(test::test_store_address(path));
    auto rows = c.query(sql);
    return rows.empty() ? "" : rows.text(0, 0);
}

// An RFC 4180 reader, the way a spreadsheet reads the export: rows end in CRLF, quoted fields may hold
// the separator, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, char separator) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == separator) {
            row.push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(field);
            field.clear();
            rows.push_back(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    CHECK_MESSAGE(row.empty(), "the export must end with a line break");
    CHECK_MESSAGE(field.empty(), "the export must end with a line break");
    CHECK_FALSE(quoted);
    return rows;
}

const std::string kBom = "\xEF\xBB\xBF";

} // namespace

// [SECTION] Devices

TEST_CASE("a registered device is found by its token, and only by its token" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const fs::path file = dir / "server.sqlite";
    std::string token;
    {
        auto store = open_store(file);
        auto added = store->add_device(kDevice);
        REQUIRE_MESSAGE(added.ok(), (added.ok() ? "" : added.error().to_string()));
        token = added.value();
        CHECK(token.size() >= 32);

        auto found = store->device_for_token(token);
        REQUIRE(found.ok());
        REQUIRE(found.value().has_value());
        CHECK(*found.value() == kDevice);

        auto second = store->add_device("kiosk-buurthuis");
        REQUIRE(second.ok());
        CHECK(second.value() != token);
        auto found_second = store->device_for_token(second.value());
        REQUIRE(found_second.ok());
        CHECK(found_second.value() == std::optional<std::string>("kiosk-buurthuis"));

        for (const std::string& wrong :
             {std::string(), std::string("geheim"), token + "0", token.substr(1)}) {
            CAPTURE(wrong);
            auto none = store->device_for_token(wrong);
            REQUIRE(none.ok());
            CHECK_FALSE(none.value().has_value());
        }
    }
    // After a restart the token still works.
    auto store = open_store(file);
    auto found = store->device_for_token(token);
    REQUIRE(found.ok());
    CHECK(found.value() == std::optional<std::string>(kDevice));

    // Only the hash is kept.
    CHECK(store_query(file, "SELECT count(*) FROM devices WHERE token_hash = '" + token + "'") == "0");
    CHECK(store_query(file, "SELECT token_hash FROM devices WHERE id = '" + kDevice + "'") ==
          token_hash(token));
    CHECK(token_hash(token) != token);
}

TEST_CASE("registering the same device twice fails with Exists and keeps the first token" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.sqlite");
    auto first = store->add_device(kDevice);
    REQUIRE(first.ok());
    auto again = store->add_device(kDevice);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind == ServerStoreError::Kind::Exists);
    CHECK(contains(again.error().to_string(), kDevice));
    auto found = store->device_for_token(first.value());
    REQUIRE(found.ok());
    CHECK(found.value() == std::optional<std::string>(kDevice));
}

TEST_CASE("a device id that is not a slug is refused, naming it" * doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.sqlite");
    auto refused = store->add_device("Kiosk 1");
    REQUIRE_FALSE(refused.ok());
    CHECK(contains(refused.error().to_string(), "'Kiosk 1'"));
    CHECK(contains(refused.error().to_string(), "lower-case"));
}

TEST_CASE("reissue_token replaces the token of a registered device only" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.sqlite");
    auto first = store->add_device(kDevice);
    REQUIRE(first.ok());
    auto second = store->reissue_token(kDevice);
    REQUIRE(second.ok());
    CHECK(second.value() != first.value());
    CHECK(store->device_for_token(first.value()).value() == std::nullopt);
    CHECK(store->device_for_token(second.value()).value() == std::optional<std::string>(kDevice));
    auto unknown = store->reissue_token("bestaat-niet");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == ServerStoreError::Kind::NotFound);
}

TEST_CASE("a server database from a newer Buurtstem is refused and left at its version") {
    TempDir dir;
    const fs::path file = dir / "server.sqlite";
    query(file, "PRAGMA user_version = 42");
    REQUIRE(query(file, "PRAGMA user_version") == "42");
    auto store = open_sqlite_server_store(file.string());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().kind == ServerStoreError::Kind::NewerSchema);
    CHECK(contains(store.error().to_string(), file.string()));
    CHECK(query(file, "PRAGMA user_version") == "42");
    CHECK(query(file, "SELECT count(*) FROM sqlite_master") == "0");
}

TEST_CASE("a server store in a missing folder cannot be opened") {
    TempDir dir;
    auto store = open_sqlite_server_store((dir / "nergens" / "server.sqlite").string());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().kind == ServerStoreError::Kind::CannotOpen);
}

// [SECTION] Ingest

TEST_CASE("ingest stores a batch once - the same batch again is acknowledged again without copies" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());

    std::vector<CompletedResponse> responses;
    for (int i = 0; i < 5; ++i) {
        responses.push_back(make_response());
    }
    const protocol::UploadBatch batch = batch_of(responses);

    auto first = ingest_batch(*store, catalog, kDevice, batch);
    REQUIRE_MESSAGE(first.ok(), (first.ok() ? "" : first.error().to_string()));
    CHECK(first.value().rejected.empty());
    REQUIRE(first.value().accepted.size() == 5);
    for (size_t i = 0; i < 5; ++i) {
        CHECK(first.value().accepted[i] == responses[i].id);
    }
    CHECK(count(*store) == 5);
    CHECK(count(*store, "") == 5);
    CHECK(count(*store, "andere-raadpleging") == 0);

    auto second = ingest_batch(*store, catalog, kDevice, batch);
    REQUIRE(second.ok());
    CHECK(second.value().rejected.empty());
    CHECK(second.value().accepted == first.value().accepted);
    CHECK(count(*store) == 5);

    // Stored in the order received, with every answer in order.
    const auto all = stored(*store);
    REQUIRE(all.size() == 5);
    for (size_t i = 0; i < 5; ++i) {
        CAPTURE(i);
        CHECK(all[i].response.id == responses[i].id);
        CHECK(all[i].response.device_id == kDevice);
        CHECK(all[i].response.completed_at == responses[i].completed_at);
        REQUIRE(all[i].response.answers.size() == 3);
        CHECK(all[i].response.answers[0].question_id == "kent-regelingen");
        CHECK(all[i].response.answers[2].value == "Meer uitleg");
        CHECK(parse_iso8601_utc(all[i].received_at).has_value());
    }
}

TEST_CASE("a response naming another device than the one that sent it is rejected" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    REQUIRE(store->add_device("kiosk-buurthuis").ok());

    const CompletedResponse own = make_response();
    const CompletedResponse foreign = make_response("kiosk-buurthuis");
    auto reply = ingest_batch(*store, catalog, kDevice, batch_of({foreign, own}));
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == std::vector<std::string>{own.id});
    REQUIRE(reply.value().rejected.size() == 1);
    CHECK(reply.value().rejected[0].id == foreign.id);
    CHECK(contains(reply.value().rejected[0].reason, "kiosk-buurthuis"));
    CHECK(count(*store) == 1);
}

TEST_CASE("an answer that does not fit the consultation is rejected with a reason - the rest is stored" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());

    struct Case {
        const char* name;
        std::vector<Answer> answers;
        std::string language;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {"unknown option", {{"kent-regelingen", "misschien"}}, "nl", "misschien"},
        {"unknown question",
         {{"kent-regelingen", "nee"}, {"lievelingskleur", "blauw"}},
         "nl",
         "lievelingskleur"},
        {"answered twice", {{"kent-regelingen", "nee"}, {"kent-regelingen", "ja-goed"}}, "nl", "twice"},
        {"required question missing", {{"gebruikt", "ja"}}, "nl", "kent-regelingen"},
        {"smiley out of range",
         {{"kent-regelingen", "nee"}, {"aanvragen-makkelijk", "6"}},
         "nl",
         "aanvragen-makkelijk"},
        {"text too long", {{"kent-regelingen", "nee"}, {"ideeen", std::string(601, 'x')}}, "nl", "600"},
        {"empty text", {{"kent-regelingen", "nee"}, {"ideeen", ""}}, "nl", "ideeen"},
        {"language not offered", {{"kent-regelingen", "nee"}}, "de", "'de'"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const CompletedResponse before = make_response();
        CompletedResponse bad = make_response();
        bad.answers = c.answers;
        bad.language = c.language;
        const CompletedResponse after = make_response();
        const int64_t count_before = count(*store);

        CHECK_FALSE(check_response(catalog, bad).empty());
        CHECK(check_response(catalog, before).empty());

        auto reply = ingest_batch(*store, catalog, kDevice, batch_of({before, bad, after}));
        REQUIRE(reply.ok());
        CHECK(reply.value().accepted == std::vector<std::string>{before.id, after.id});
        REQUIRE(reply.value().rejected.size() == 1);
        CHECK(reply.value().rejected[0].id == bad.id);
        CHECK(contains(reply.value().rejected[0].reason, c.reason));
        CHECK(count(*store) == count_before + 2);
    }
}

TEST_CASE("a consultation version the server has no file for is deferred, not stored" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    CompletedResponse newer = make_response();
    newer.consultation_version = 2;
    newer.answers = {{"nieuwe-vraag", "iets"}};
    CompletedResponse unknown = make_response();
    unknown.consultation_id = "speeltuin-zuid";
    const CompletedResponse known = make_response();

    auto reply = ingest_batch(*store, catalog, kDevice, batch_of({newer, unknown, known}));
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == std::vector<std::string>{known.id});
    CHECK(reply.value().rejected.empty());
    REQUIRE(reply.value().deferred.size() == 2);
    CHECK(reply.value().deferred[0].id == newer.id);
    CHECK(reply.value().deferred[0].reason.find("version 2 is not known") != std::string::npos);
    CHECK(reply.value().deferred[1].id == unknown.id);
    CHECK(reply.value().deferred[1].reason.find("'speeltuin-zuid'") != std::string::npos);
    CHECK(count(*store) == 1);
    CHECK(count(*store, "speeltuin-zuid") == 0);
}

TEST_CASE("responses the decoder refused one by one come back rejected, the rest is stored" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    protocol::UploadBatch batch = batch_of({make_response()});
    batch.invalid.push_back(
        {"7B0549A4-ED7B-4D92-A6AB-196AA5F796C9", protocol::Error{"responses[1].id", "must be lower case"}});
    auto reply = ingest_batch(*store, catalog, kDevice, batch);
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted.size() == 1);
    REQUIRE(reply.value().rejected.size() == 1);
    CHECK(reply.value().rejected[0].reason == "responses[1].id: must be lower case");
    CHECK(count(*store) == 1);
}

TEST_CASE("the same id with different content is a conflict - the original is kept" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());

    const CompletedResponse original = make_response();
    REQUIRE(ingest_batch(*store, catalog, kDevice, batch_of({original})).ok());

    CompletedResponse changed = original;
    changed.answers[1].value = "1";
    const CompletedResponse fresh = make_response();
    auto reply = ingest_batch(*store, catalog, kDevice, batch_of({changed, fresh}));
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == std::vector<std::string>{fresh.id});
    REQUIRE(reply.value().rejected.size() == 1);
    CHECK(reply.value().rejected[0].id == original.id);
    CHECK(contains(reply.value().rejected[0].reason, "already stored"));

    const auto all = stored(*store);
    REQUIRE(all.size() == 2);
    CHECK(all[0].response.id == original.id);
    CHECK(all[0].response.answers[1].value == "4");
    CHECK(response_fingerprint(all[0].response) == response_fingerprint(original));
}

TEST_CASE("an id twice in one batch is stored once - the first one decides" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    const CompletedResponse first = make_response();
    CompletedResponse second = first;
    second.answers[0].value = "nee";
    auto reply = ingest_batch(*store, catalog, kDevice, batch_of({first, second}));
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == std::vector<std::string>{first.id});
    CHECK(reply.value().rejected.empty());
    const auto all = stored(*store);
    REQUIRE(all.size() == 1);
    CHECK(all[0].response.answers[0].value == "ja-goed");
}

TEST_CASE("response fingerprints tell content apart") {
    const CompletedResponse r = make_response();
    CHECK(response_fingerprint(r) == response_fingerprint(r));
    CompletedResponse moved = r;
    // Moving text between two fields must change the fingerprint (fields are length-prefixed).
    moved.answers[2].question_id = "ideeenM";
    moved.answers[2].value = "eer uitleg";
    CHECK(response_fingerprint(moved) != response_fingerprint(r));
    CompletedResponse version = r;
    version.consultation_version = 2;
    CHECK(response_fingerprint(version) != response_fingerprint(r));
    CompletedResponse fewer = r;
    fewer.answers.pop_back();
    CHECK(response_fingerprint(fewer) != response_fingerprint(r));
}

// [SECTION] CSV export

TEST_CASE("the CSV export: header, Dutch labels, quoting, formula guard and BOM" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());

    CompletedResponse tricky = make_response();
    tricky.answers = {{"kent-regelingen", "nee"},
                      {"gebruikt", "zeg-niet"},
                      {"informatie-duidelijk", "2"},
                      {"ideeen", "Meer uitleg; in \"gewone\" taal\nen in het buurthuis"}};
    CompletedResponse formula = make_response();
    formula.language = "en";
    formula.answers = {{"kent-regelingen", "een-paar"}, {"ideeen", "=HYPERLINK(\"http://x\")"}};
    auto reply = ingest_batch(*store, catalog, kDevice, batch_of({tricky, formula}));
    REQUIRE(reply.ok());
    REQUIRE(reply.value().accepted.size() == 2);

    auto exported = export_csv(*store, catalog, kConsultationId, CsvOptions{});
    REQUIRE_MESSAGE(exported.ok(), (exported.ok() ? "" : exported.error().to_string()));
    const std::string& csv = exported.value();
    REQUIRE(csv.rfind(kBom, 0) == 0);
    CHECK(contains(csv, "\r\n"));
    CHECK(contains(csv, "\"Meer uitleg; in \"\"gewone\"\" taal\nen in het buurthuis\""));
    CHECK(contains(csv, ";\"'=HYPERLINK(\"\"http://x\"\")\""));

    const auto rows = parse_csv(csv.substr(kBom.size()), ';');
    REQUIRE(rows.size() == 3);
    // A multiple choice and a ranking have a column per option (FORMAT.md); the others one.
    const std::vector<std::string> expected_header = {
        "response_id",
        "device_id",
        "consultation_version",
        "language",
        "started_at",
        "completed_at",
        "received_at",
        "kent-regelingen",
        "gebruikt",
        "welke-gebruikt: Geld voor sport, muziek of een club",
        "welke-gebruikt: Geld voor school van de kinderen",
        "welke-gebruikt: Hulp bij de kosten van zorg",
        "welke-gebruikt: Een pas met korting",
        "welke-gebruikt: Hulp bij onverwachte kosten",
        "aanvragen-makkelijk",
        "wat-houdt-tegen: Ze weten niet dat het bestaat",
        "wat-houdt-tegen: Het formulier is te moeilijk",
        "wat-houdt-tegen: Ze moeten te veel papieren laten zien",
        "wat-houdt-tegen: Ze denken dat ze er geen recht op hebben",
        "wat-houdt-tegen: Ze vinden het moeilijk om hulp te vragen",
        "wat-houdt-tegen: De taal is te moeilijk",
        "informatie-duidelijk",
        "hoe-informeren: Met een brief thuis",
        "hoe-informeren: Iemand legt het mij uit",
        "hoe-informeren: In het buurthuis",
        "hoe-informeren: Op internet of in een app",
        "hulp-bij-aanvragen",
        "ideeen",
        "channel",
        "event",
        "event_date",
        "wijk",
        "municipality",
        "note"};
    CHECK(rows[0] == expected_header);

    REQUIRE(rows[1].size() == expected_header.size());
    CHECK(rows[1][0] == tricky.id);
    CHECK(rows[1][1] == kDevice);
    CHECK(rows[1][2] == "1");
    CHECK(rows[1][3] == "nl");
    CHECK(rows[1][4] == tricky.started_at);
    CHECK(rows[1][5] == tricky.completed_at);
    CHECK(parse_iso8601_utc(rows[1][6]).has_value());
    CHECK(rows[1][7] == "Nee, die ken ik niet");
    CHECK(rows[1][8] == "Dat zeg ik liever niet");
    CHECK(rows[1][9].empty()); // skipped: empty, not 0, in every column of a multiple choice
    CHECK(rows[1][13].empty());
    CHECK(rows[1][14].empty());
    CHECK(rows[1][21] == "2");
    CHECK(rows[1][27] == "Meer uitleg; in \"gewone\" taal\nen in het buurthuis");

    REQUIRE(rows[2].size() == expected_header.size());
    CHECK(rows[2][0] == formula.id);
    CHECK(rows[2][3] == "en");
    CHECK(rows[2][7] == "Ik ken er een paar"); // labels in Dutch, whatever language the resident used
    CHECK(rows[2][27] == "'=HYPERLINK(\"http://x\")");
}

TEST_CASE("the CSV export options: no BOM, comma separator, English labels" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    CompletedResponse r = make_response();
    r.answers = {{"kent-regelingen", "ja-goed"}, {"ideeen", "Sport, school en zorg"}};
    REQUIRE(ingest_batch(*store, catalog, kDevice, batch_of({r})).ok());

    CsvOptions options;
    options.separator = ',';
    options.byte_order_mark = false;
    options.language = "en";
    auto exported = export_csv(*store, catalog, kConsultationId, options);
    REQUIRE(exported.ok());
    CHECK(exported.value().rfind("response_id,device_id,", 0) == 0);
    const auto rows = parse_csv(exported.value(), ',');
    REQUIRE(rows.size() == 2);
    REQUIRE(rows[1].size() == rows[0].size());
    CHECK(rows[1][7] == "Yes, I know them well");
    CHECK(rows[1][27] == "Sport, school en zorg");
}

TEST_CASE("the CSV export lays out multiple choice as 1/0 per option and ranking as the rank per option" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    CompletedResponse r = make_response();
    r.answers = {{"kent-regelingen", "nee"},
                 {"gebruikt", "ja"},
                 {"welke-gebruikt", "sport-cultuur,zorg"},
                 {"hoe-informeren", "internet,brief"},
                 {"hulp-bij-aanvragen", "unknown"}};
    // The server checks the new types with the same models as the kiosk.
    CompletedResponse bad = make_response();
    bad.answers = {{"kent-regelingen", "nee"}, {"wat-houdt-tegen", "niet-geweten,geen-recht,schaamte,taal"}};
    auto reply = ingest_batch(*store, catalog, kDevice, batch_of({r, bad}));
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == std::vector<std::string>{r.id});
    REQUIRE(reply.value().rejected.size() == 1);
    CHECK(reply.value().rejected[0].id == bad.id);
    CHECK(contains(reply.value().rejected[0].reason, "more than 3"));

    auto exported = export_csv(*store, catalog, kConsultationId, CsvOptions{});
    REQUIRE(exported.ok());
    const auto rows = parse_csv(exported.value().substr(kBom.size()), ';');
    REQUIRE(rows.size() == 2);
    auto cell = [&](const std::string& header) {
        const auto at = std::find(rows[0].begin(), rows[0].end(), header);
        REQUIRE_MESSAGE(at != rows[0].end(), "no column " << header);
        return rows[1][static_cast<size_t>(at - rows[0].begin())];
    };
    CHECK(cell("welke-gebruikt: Geld voor sport, muziek of een club") == "1");
    CHECK(cell("welke-gebruikt: Geld voor school van de kinderen") == "0");
    CHECK(cell("welke-gebruikt: Hulp bij de kosten van zorg") == "1");
    CHECK(cell("hoe-informeren: Op internet of in een app") == "1");
    CHECK(cell("hoe-informeren: Met een brief thuis") == "2");
    CHECK(cell("hoe-informeren: In het buurthuis").empty());
    CHECK(cell("hulp-bij-aanvragen") == "weet ik niet");            // the Dutch label, as choices show theirs
    CHECK(cell("wat-houdt-tegen: De taal is te moeilijk").empty()); // not answered: empty, not 0
}

TEST_CASE("the CSV export of a consultation without responses is just the header" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    auto exported = export_csv(*store, catalog, kConsultationId, CsvOptions{});
    REQUIRE(exported.ok());
    const auto rows = parse_csv(exported.value().substr(kBom.size()), ';');
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].size() == 7 + 21 + 6); // 9 questions; with 5, 6 and 4 option columns; 6 of issue 10
}

TEST_CASE("answers to questions only an unknown version had get their own columns, sorted, unlabelled" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const ConsultationCatalog catalog = demo_catalog();
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    CompletedResponse old = make_response();
    old.consultation_version = 7;
    old.answers = {{"zwembad", "ja"}, {"kent-regelingen", "nee"}, {"bibliotheek", "open"}};
    // Stored before the server deferred unknown versions (or its file was removed since): straight in.
    REQUIRE(store->store_responses({old}, now_iso8601_utc()).ok());

    auto exported = export_csv(*store, catalog, kConsultationId, CsvOptions{});
    REQUIRE(exported.ok());
    const auto rows = parse_csv(exported.value().substr(kBom.size()), ';');
    REQUIRE(rows.size() == 2);
    REQUIRE(rows[0].size() == 36);
    CHECK(rows[0][28] == "bibliotheek");
    CHECK(rows[0][29] == "zwembad");
    CHECK(rows[1][7] == "nee"); // version 7 is unknown: no label to look up
    CHECK(rows[1][28] == "open");
    CHECK(rows[1][29] == "ja");
}

TEST_CASE("csv_field quotes only when needed and disarms formulas") {
    CHECK(csv_field("", ';') == "");
    CHECK(csv_field("gewoon", ';') == "gewoon");
    CHECK(csv_field("a,b", ';') == "a,b");
    CHECK(csv_field("a,b", ',') == "\"a,b\"");
    CHECK(csv_field("a;b", ';') == "\"a;b\"");
    CHECK(csv_field("a;b", ',') == "a;b");
    CHECK(csv_field("zeg \"ja\"", ';') == "\"zeg \"\"ja\"\"\"");
    CHECK(csv_field("\"", ';') == "\"\"\"\"");
    CHECK(csv_field("regel 1\nregel 2", ';') == "\"regel 1\nregel 2\"");
    CHECK(csv_field("regel 1\r\nregel 2", ';') == "\"regel 1\r\nregel 2\"");
    CHECK(csv_field("=1+1", ';') == "'=1+1");
    CHECK(csv_field("+31 6 1234", ';') == "'+31 6 1234");
    CHECK(csv_field("-5", ';') == "'-5");
    CHECK(csv_field("@SUM(A1)", ';') == "'@SUM(A1)");
    CHECK(csv_field("=A1;B1", ';') == "\"'=A1;B1\"");
    CHECK(csv_field("a=b", ';') == "a=b");
    CHECK(csv_field("café ë", ';') == "café ë");
    CHECK(csv_field("\t=1+1", ';') == "'\t=1+1"); // a leading tab or CR can hide a formula too
    CHECK(csv_field("\r=1+1", ';') == "\"'\r=1+1\"");
}

TEST_CASE("a version 1 server database (answers keyed on the response id) is migrated whole") {
    TempDir dir;
    const fs::path file = dir / "server.sqlite";
    test::make_v1_server_database(file, R"sql(
INSERT INTO devices VALUES ('kiosk-bibliotheek', 'hash', '2026-11-24T10:00:00Z', NULL);
INSERT INTO responses VALUES (7, '00000000-0000-4000-8000-000000000007', 'minimaregelingen-ijmond', 1,
    'kiosk-bibliotheek', 'nl', '2026-11-24T13:05:09Z', '2026-11-24T13:08:40Z', '2026-11-24T14:00:00Z', 'f7');
INSERT INTO responses VALUES (9, '00000000-0000-4000-8000-000000000009', 'minimaregelingen-ijmond', 1,
    'kiosk-bibliotheek', 'en', '2026-11-24T13:05:09Z', '2026-11-24T13:09:40Z', '2026-11-24T14:00:00Z', 'f9');
INSERT INTO answers VALUES ('00000000-0000-4000-8000-000000000007', 1, 'ideeen', 'Meer uitleg');
INSERT INTO answers VALUES ('00000000-0000-4000-8000-000000000007', 0, 'kent-regelingen', 'nee');
INSERT INTO answers VALUES ('00000000-0000-4000-8000-000000000009', 0, 'kent-regelingen', 'ja-goed');
)sql");
    auto store = open_store(file);
    const auto responses = stored(*store);
    REQUIRE(responses.size() == 2);
    CHECK(responses[0].response.id == "00000000-0000-4000-8000-000000000007");
    REQUIRE(responses[0].response.answers.size() == 2);
    CHECK(responses[0].response.answers[0].question_id == "kent-regelingen"); // position order, not insertion
    CHECK(responses[0].response.answers[1].value == "Meer uitleg");
    REQUIRE(responses[1].response.answers.size() == 1);
    CHECK(responses[1].response.answers[0].value == "ja-goed");
    CHECK(responses[1].received_at == "2026-11-24T14:00:00Z");

    // New responses go in after the migrated ones, and the file is sound.
    REQUIRE(store->store_responses({make_response()}, now_iso8601_utc()).ok());
    CHECK(stored(*store).size() == 3);
    CHECK(query(file, "PRAGMA user_version") ==
          "6"); // 4: result texts, 5: events, keys, contacts, 6: pending
    CHECK(query(file, "SELECT count(*) FROM sqlite_master WHERE name = 'answers_v1'") == "0");
    CHECK(query(file, "SELECT count(*) FROM answers") == "6");
    CHECK(query(file, "PRAGMA integrity_check") == "ok");
    CHECK(query(file, "PRAGMA foreign_key_check") == "");
}

TEST_CASE("the dashboard counts kiosk, conversation and paper side by side per event, small groups hidden" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir.path() / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    const ResponseEvent market{"3b1d2c4e-5f60-4718-8a9b-0c1d2e3f4a5b", "Markt Beverwijk", "Centrum",
                               "Beverwijk", "2026-11-24"};
    std::vector<CompletedResponse> responses;
    const auto add = [&](int count, Channel channel, std::optional<ResponseEvent> event) {
        for (int i = 0; i < count; ++i) {
            CompletedResponse r = make_response();
            r.channel = channel;
            r.event = event;
            responses.push_back(r);
        }
    };
    add(6, Channel::Kiosk, market);
    add(5, Channel::Facilitated, market);
    add(2, Channel::Paper, market);
    add(1, Channel::Kiosk, std::nullopt);
    REQUIRE(store->store_responses(responses, "2026-11-24T14:00:00Z").ok());

    const ConsultationCatalog catalog = demo_catalog();
    auto aggregate = aggregate_consultation(*store, catalog, kConsultationId, AggregateOptions{});
    REQUIRE_MESSAGE(aggregate.ok(), (aggregate.ok() ? "" : aggregate.error().to_string()));
    CHECK(aggregate->total == 14);
    const auto groups = [&](const std::string& key) {
        for (const Breakdown& b : aggregate->breakdowns) {
            if (b.key == key) {
                CHECK(b.recorded);
                return b.groups;
            }
        }
        FAIL("no breakdown " << key);
        return std::vector<GroupCount>{};
    };
    const auto count_of = [](const std::vector<GroupCount>& of, const std::string& label) {
        for (const GroupCount& g : of) {
            if (g.label == label) {
                return g.suppressed ? int64_t{-1} : g.count;
            }
        }
        return int64_t{-2};
    };
    const auto mode = groups("mode");
    CHECK(count_of(mode, "Zelf op de kiosk") == 7);
    CHECK(count_of(mode, "In gesprek met een vrijwilliger") == 5);
    CHECK(count_of(mode, "Papieren formulier") == -1); // 2: under five, never shown as a number
    CHECK(count_of(groups("event"), "2026-11-24 Markt Beverwijk") == 13);
    CHECK(count_of(groups("wijk"), "Centrum") == 13);
    CHECK(count_of(groups("municipality"), "(zonder activiteit)") == -1);
}

TEST_CASE("issue 10 data: channel, note and event come back as stored, counted per event and channel" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    const ResponseEvent markt{"0f6c3f1e-1111-4a7b-9c00-000000000001", "Markt 's-Gravenhage", "Centrum",
                              "Velsen", "2026-11-24"};
    const ResponseEvent later{"0f6c3f1e-2222-4a7b-9c00-000000000002", "Buurthuis", "Noord", "Velsen",
                              "2026-11-25"};
    CompletedResponse plain = make_response();
    CompletedResponse helped = make_response();
    helped.channel = Channel::Facilitated;
    helped.note = "Vond vraag 2 lastig; \"uitleg\" gegeven";
    helped.event = markt;
    CompletedResponse paper = make_response();
    paper.channel = Channel::Paper;
    paper.event = markt;
    CompletedResponse next_day = make_response();
    next_day.event = later;
    // The later event in the first batch, the earlier one after it: events list by day.
    REQUIRE(store->store_responses({next_day}, now_iso8601_utc()).ok());
    auto outcomes = store->store_responses({plain, helped, paper}, now_iso8601_utc());
    REQUIRE(outcomes.ok());
    CHECK(*outcomes == std::vector<StoreOutcome>(3, StoreOutcome::Stored));
    // A resend is the same content, channel and event included.
    auto again = store->store_responses({helped}, now_iso8601_utc());
    REQUIRE(again.ok());
    CHECK(again->front() == StoreOutcome::AlreadyStored);

    const auto all = stored(*store);
    REQUIRE(all.size() == 4);
    CHECK(all[0].response.event == later);
    CHECK(all[1].response.channel == Channel::Kiosk);
    CHECK(all[1].response.note.empty());
    CHECK_FALSE(all[1].response.event.has_value());
    CHECK(all[2].response.channel == Channel::Facilitated);
    CHECK(all[2].response.note == helped.note);
    CHECK(all[2].response.event == markt);
    CHECK(all[3].response.channel == Channel::Paper);
    CHECK(all[3].response.event == markt);
    for (size_t i = 0; i < all.size(); ++i) {
        CHECK(response_fingerprint(all[i].response) ==
              response_fingerprint(std::vector{next_day, plain, helped, paper}[i]));
    }

    auto counts = store->event_counts();
    REQUIRE(counts.ok());
    REQUIRE(counts->size() == 2);
    CHECK((*counts)[0].event == markt);
    CHECK((*counts)[0].device_id == kDevice);
    CHECK((*counts)[0].kiosk == 0);
    CHECK((*counts)[0].facilitated == 1);
    CHECK((*counts)[0].paper == 1);
    CHECK((*counts)[1].event == later);
    CHECK((*counts)[1].kiosk == 1);
}

TEST_CASE("issue 10 data: device keys and contacts, each contact stored once and listed by name" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.sqlite");
    REQUIRE(store->add_device(kDevice).ok());
    const std::string key(64, 'a');

    auto none = store->device_key(kDevice);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    REQUIRE(store->set_device_key(kDevice, key).ok());
    auto some = store->device_key(kDevice);
    REQUIRE(some.ok());
    CHECK(*some == std::optional<std::string>(key));
    auto unknown = store->set_device_key("bestaat-niet", key);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == ServerStoreError::Kind::NotFound);
    auto no_device = store->device_key("bestaat-niet");
    REQUIRE_FALSE(no_device.ok());
    CHECK(no_device.error().kind == ServerStoreError::Kind::NotFound);
    REQUIRE(store->revoke_device(kDevice).ok());
    auto revoked = store->device_key(kDevice);
    REQUIRE_FALSE(revoked.ok());
    CHECK(contains(revoked.error().message, "revoked"));

    const ContactEntry zeynep{std::string(32, '1'), kConsultationId, "2026-11-24", "Zeynep", "06-12345678"};
    const ContactEntry anna{std::string(32, '2'), kConsultationId, "2026-11-24", "Anna", "anna@example.nl"};
    const ContactEntry general{std::string(32, '3'), "", "2026-11-25", "Piet", "piet@example.nl"};
    auto first = store->store_contacts({zeynep, anna, zeynep}, "2026-11-26");
    REQUIRE(first.ok());
    CHECK(*first == 2);
    auto second = store->store_contacts({anna, general}, "2026-11-27");
    REQUIRE(second.ok());
    CHECK(*second == 1);
    auto nothing = store->store_contacts({}, "2026-11-27");
    REQUIRE(nothing.ok());
    CHECK(*nothing == 0);
    std::vector<ContactEntry> listed;
    REQUIRE(store->for_each_contact([&](const ContactEntry& c) { listed.push_back(c); }).ok());
    CHECK(listed == std::vector<ContactEntry>{general, anna, zeynep});
}

TEST_CASE("staff store: accounts, replacement, login state, sessions and the device overview" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    const std::string address = test::test_store_address(dir / "server.sqlite");
    auto store = open_store(dir / "server.sqlite"); // the server's tables first, as the server does
    REQUIRE(store->add_device(kDevice).ok());
    REQUIRE(store->store_responses({make_response(), make_response()}, "2026-11-24T14:00:00Z").ok());
    auto opened = open_staff_store(address);
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().to_string()));
    StaffStore& staff = **opened;

    StaffAccount account{"analist", StaffRole::Analyst, "Velsen", "$argon2id$first", 0, ""};
    REQUIRE(staff.put_staff(account, false).ok());
    auto twice = staff.put_staff(account, false);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().kind == ServerStoreError::Kind::Exists);
    REQUIRE(staff.set_login_state("analist", 5, "2099-01-01T00:00:00Z").ok());
    REQUIRE(staff.add_session("sessie-hash", "analist", "2099-01-01T00:00:00Z").ok());
    auto found = staff.find_staff("analist");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->role == StaffRole::Analyst);
    CHECK((*found)->municipality == "Velsen");
    CHECK((*found)->failed_logins == 5);
    CHECK((*found)->locked_until == "2099-01-01T00:00:00Z");
    auto session = staff.find_session("sessie-hash", "2026-11-24T00:00:00Z");
    REQUIRE(session.ok());
    REQUIRE(session->has_value());
    CHECK((*session)->user == "analist");
    auto expired = staff.find_session("sessie-hash", "2099-01-02T00:00:00Z");
    REQUIRE(expired.ok());
    CHECK_FALSE(expired->has_value());

    // A replacement: new role and password, the lockout lifted and its sessions ended.
    account.role = StaffRole::Admin;
    account.municipality = "";
    account.password_hash = "$argon2id$second";
    REQUIRE(staff.put_staff(account, true).ok());
    found = staff.find_staff("analist");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->role == StaffRole::Admin);
    CHECK((*found)->password_hash == "$argon2id$second");
    CHECK((*found)->failed_logins == 0);
    CHECK((*found)->locked_until.empty());
    CHECK_FALSE(staff.find_session("sessie-hash", "2026-11-24T00:00:00Z")->has_value());

    REQUIRE(staff.add_session("oud", "analist", "2020-01-01T00:00:00Z").ok());
    REQUIRE(staff.add_session("nieuw", "analist", "2099-01-01T00:00:00Z").ok());
    REQUIRE(staff.remove_expired_sessions("2026-11-24T00:00:00Z").ok());
    CHECK_FALSE(staff.find_session("oud", "2000-01-01T00:00:00Z")->has_value());
    CHECK(staff.find_session("nieuw", "2026-11-24T00:00:00Z")->has_value());
    REQUIRE(staff.remove_session("nieuw").ok());
    CHECK_FALSE(staff.find_session("nieuw", "2026-11-24T00:00:00Z")->has_value());
    CHECK_FALSE(staff.find_staff("niemand")->has_value());

    REQUIRE(store->add_device("kiosk-zonder-reacties").ok());
    auto devices = staff.device_overview();
    REQUIRE(devices.ok());
    REQUIRE(devices->size() == 2);
    CHECK((*devices)[0].device_id == kDevice);
    CHECK((*devices)[0].responses == 2);
    CHECK((*devices)[0].last_sync == "2026-11-24T14:00:00Z");
    CHECK((*devices)[1].device_id == "kiosk-zonder-reacties");
    CHECK((*devices)[1].responses == 0);
    CHECK((*devices)[1].last_sync.empty());

    // Opened again (a restart): the tables are there, nothing is migrated twice.
    opened->reset();
    auto reopened = open_staff_store(address);
    REQUIRE(reopened.ok());
    CHECK((*reopened)->find_staff("analist")->has_value());
}
