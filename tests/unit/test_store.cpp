// The kiosk's response file: what is committed survives reopening, ids are stored once, the outbox
// hands out pending responses fairly, and a file from a newer Buurtstem or a full disk is refused
// without damage. Every test uses a real SQLite file in a scratch folder.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

CompletedResponse make_response(int n) {
    CompletedResponse r;
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
    r.id = id;
    r.consultation_id = "minimaregelingen-ijmond";
    r.consultation_version = 1;
    r.device_id = "kiosk-bibliotheek";
    r.language = n % 2 == 0 ? "nl" : "en";
    r.started_at = "2026-11-24T13:05:09Z";
    r.completed_at = "2026-11-24T13:08:" + std::to_string(10 + n % 50) + "Z";
    // Deliberately not in alphabetical order: the store must keep the order given.
    r.answers = {
        {"kent-regelingen", "een-paar"},
        {"aanvragen-makkelijk", std::to_string(1 + n % 5)},
        {"ideeen", "Meer uitleg in het buurthuis; \"graag\"\nen in het Turks. Nummer " + std::to_string(n)}};
    return r;
}

void check_same(const CompletedResponse& actual, const CompletedResponse& expected) {
    CHECK(actual.id == expected.id);
    CHECK(actual.consultation_id == expected.consultation_id);
    CHECK(actual.consultation_version == expected.consultation_version);
    CHECK(actual.device_id == expected.device_id);
    CHECK(actual.language == expected.language);
    CHECK(actual.started_at == expected.started_at);
    CHECK(actual.completed_at == expected.completed_at);
    REQUIRE(actual.answers.size() == expected.answers.size());
    for (size_t i = 0; i < expected.answers.size(); ++i) {
        CAPTURE(i);
        CHECK(actual.answers[i].question_id == expected.answers[i].question_id);
        CHECK(actual.answers[i].value == expected.answers[i].value);
    }
}

ResponseStore open_store(const fs::path& path) {
    auto store = ResponseStore::open(path);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

Outbox open_outbox(const fs::path& path) {
    auto outbox = Outbox::open(path);
    REQUIRE_MESSAGE(outbox.ok(), (outbox.ok() ? "" : outbox.error().to_string()));
    return std::move(outbox).value();
}

// A plain SQLite connection beside the store's, to look at the file the way another program would.
class RawDb {
public:
    explicit RawDb(const fs::path& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
            SQLITE_OK) {
            FAIL("cannot open " << path);
        }
    }
    ~RawDb() { sqlite3_close_v2(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
        const std::string message = error != nullptr ? error : "";
        sqlite3_free(error);
        REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << message);
    }
    // The first column of the first row, as text.
    std::string query(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        std::string out;
        if (sqlite3_step(stmt) == SQLITE_ROW) {
            const unsigned char* text = sqlite3_column_text(stmt, 0);
            out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
        }
        sqlite3_finalize(stmt);
        return out;
    }

    // EXPLAIN QUERY PLAN's steps for `sql`, one per line.
    std::string plan(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db_, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) ==
                SQLITE_OK);
        std::string out;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
            out += "\n";
        }
        sqlite3_finalize(stmt);
        return out;
    }

private:
    sqlite3* db_ = nullptr;
};

// Runs on every SQLite connection opened while it is registered: caps the file at the size it has now,
// so the next write that needs a new page fails with SQLITE_FULL, as on a full disk.
int cap_database_size(sqlite3* db, const char** /*error*/, const struct sqlite3_api_routines* /*api*/) {
    sqlite3_exec(db, "PRAGMA max_page_count = 1", nullptr, nullptr, nullptr); // clamped to the current size
    return SQLITE_OK;
}

struct DiskFullGuard {
    DiskFullGuard() { sqlite3_auto_extension(reinterpret_cast<void (*)(void)>(cap_database_size)); }
    ~DiskFullGuard() { sqlite3_reset_auto_extension(); }
    DiskFullGuard(const DiskFullGuard&) = delete;
    DiskFullGuard& operator=(const DiskFullGuard&) = delete;
};

} // namespace

TEST_CASE("a committed response reads back the same after reopening the file") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    const CompletedResponse first = make_response(1);
    const CompletedResponse second = make_response(2);
    {
        ResponseStore store = open_store(file);
        CHECK(store.path() == file);
        REQUIRE(store.commit(first).ok());
        REQUIRE(store.commit(second).ok());
    }
    ResponseStore store = open_store(file);
    auto found = store.find(first.id);
    REQUIRE(found.ok());
    REQUIRE(found.value().has_value());
    check_same(*found.value(), first);

    auto found_second = store.find(second.id);
    REQUIRE(found_second.ok());
    REQUIRE(found_second.value().has_value());
    check_same(*found_second.value(), second);

    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 2);
    CHECK(counts.value().synced == 0);
    CHECK(counts.value().rejected == 0);
}

TEST_CASE("a response without answers (every question skipped) is stored too") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    CompletedResponse empty = make_response(3);
    empty.answers.clear();
    REQUIRE(store.commit(empty).ok());
    auto found = store.find(empty.id);
    REQUIRE(found.ok());
    REQUIRE(found.value().has_value());
    check_same(*found.value(), empty);
}

TEST_CASE("find of an unknown id is empty, not an error") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    auto found = store.find("00000000-0000-4000-8000-999999999999");
    REQUIRE(found.ok());
    CHECK_FALSE(found.value().has_value());
    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 0);
}

TEST_CASE("a second commit with the same id fails as Duplicate and leaves the first intact") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    const CompletedResponse original = make_response(4);
    REQUIRE(store.commit(original).ok());

    CompletedResponse again = make_response(5);
    again.id = original.id;
    again.answers = {{"gebruikt", "ja"}};
    auto second = store.commit(again);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == StoreError::Kind::Duplicate);
    CHECK_FALSE(second.error().to_string().empty());

    auto found = store.find(original.id);
    REQUIRE(found.ok());
    REQUIRE(found.value().has_value());
    check_same(*found.value(), original);
    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 1);
}

TEST_CASE("a commit that fails half-way writes nothing of that response") {
    TempDir dir;
    ResponseStore store = open_store(dir / "kiosk.sqlite");
    CompletedResponse broken = make_response(6);
    // The same question twice: one answer per question is part of what a response is.
    broken.answers.push_back(broken.answers.front());
    auto refused = store.commit(broken);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().to_string().find("twice") != std::string::npos);
    auto found = store.find(broken.id);
    REQUIRE(found.ok());
    CHECK_FALSE(found.value().has_value());

    // The file is still usable, and the id is free.
    broken.answers.pop_back();
    REQUIRE(store.commit(broken).ok());
    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 1);
}

TEST_CASE("the store file is in WAL mode at the current schema version") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    REQUIRE(store.commit(make_response(7)).ok());
    RawDb raw(file);
    CHECK(raw.query("PRAGMA journal_mode") == "wal");
    CHECK(raw.query("PRAGMA user_version") == "3");
    CHECK(raw.query("SELECT count(*) FROM responses") == "1");
    CHECK(raw.query("SELECT sync_state FROM responses") == "pending");
}

TEST_CASE("a database from a newer Buurtstem is refused and left at its version") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    {
        RawDb raw(file);
        raw.exec("CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('bewaar mij'); PRAGMA "
                 "user_version = 99");
    }
    auto store = ResponseStore::open(file);
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().kind == StoreError::Kind::NewerSchema);
    CHECK(store.error().to_string().find(file.string()) != std::string::npos);
    CHECK(store.error().to_string().find("99") != std::string::npos);

    auto outbox = Outbox::open(file);
    REQUIRE_FALSE(outbox.ok());
    CHECK(outbox.error().kind == StoreError::Kind::NewerSchema);

    RawDb raw(file);
    CHECK(raw.query("PRAGMA user_version") == "99");
    CHECK(raw.query("SELECT count(*) FROM sqlite_master WHERE name IN ('responses', 'answers')") == "0");
    CHECK(raw.query("SELECT x FROM future") == "bewaar mij");
}

TEST_CASE("a store that cannot be opened says so") {
    TempDir dir;
    SUBCASE("folder missing") {
        auto store = ResponseStore::open(dir / "nergens" / "kiosk.sqlite");
        REQUIRE_FALSE(store.ok());
        CHECK(store.error().kind == StoreError::Kind::CannotOpen);
        CHECK(store.error().to_string().find("nergens") != std::string::npos);
    }
    SUBCASE("not a database") {
        const fs::path file = dir / "kiosk.sqlite";
        std::ofstream(file) << "Dit is geen database, maar een boodschappenlijst: brood, melk, kaas.\n"
                            << std::string(2000, 'x');
        auto store = ResponseStore::open(file);
        REQUIRE_FALSE(store.ok());
        CHECK(store.error().kind == StoreError::Kind::CannotOpen);
    }
}

TEST_CASE("a full disk fails the commit as DiskFull and writes nothing") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    {
        ResponseStore store = open_store(file);
        REQUIRE(store.commit(make_response(8)).ok());
    }
    CompletedResponse big = make_response(9);
    big.answers.back().value = std::string(64 * 1024, 'a'); // needs pages the capped file does not have
    {
        DiskFullGuard full;
        ResponseStore store = open_store(file);
        auto committed = store.commit(big);
        REQUIRE_FALSE(committed.ok());
        CHECK(committed.error().kind == StoreError::Kind::DiskFull);
        auto found = store.find(big.id);
        REQUIRE(found.ok());
        CHECK_FALSE(found.value().has_value());
        auto counts = store.counts();
        REQUIRE(counts.ok());
        CHECK(counts.value().pending == 1);
    }
    // With space again, the same response goes in.
    ResponseStore store = open_store(file);
    REQUIRE(store.commit(big).ok());
    auto found = store.find(big.id);
    REQUIRE(found.ok());
    REQUIRE(found.value().has_value());
    check_same(*found.value(), big);
}

TEST_CASE("the outbox hands out pending responses oldest first, at most max_count") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    Outbox outbox = open_outbox(file); // a second connection, as the sync thread has
    // Ids deliberately not in commit order, so sorting by id would give a different order.
    const std::vector<int> order = {5, 1, 4, 2, 3};
    for (int n : order) {
        REQUIRE(store.commit(make_response(n)).ok());
    }

    auto batch = outbox.next_batch(3);
    REQUIRE(batch.ok());
    REQUIRE(batch.value().size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        check_same(batch.value()[i], make_response(order[i]));
    }
    auto all = outbox.next_batch(100);
    REQUIRE(all.ok());
    CHECK(all.value().size() == 5);
    // Handing out does not mark anything.
    auto counts = outbox.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 5);

    auto none = outbox.next_batch(0);
    REQUIRE(none.ok());
    CHECK(none.value().empty());
}

TEST_CASE("mark_synced affects only the listed ids") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    Outbox outbox = open_outbox(file);
    for (int n = 1; n <= 4; ++n) {
        REQUIRE(store.commit(make_response(n)).ok());
    }
    REQUIRE(
        outbox.mark_synced({make_response(1).id, make_response(3).id, "00000000-0000-4000-8000-000000000077"})
            .ok());

    auto counts = outbox.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 2);
    CHECK(counts.value().synced == 2);
    CHECK(counts.value().rejected == 0);

    auto batch = outbox.next_batch(10);
    REQUIRE(batch.ok());
    REQUIRE(batch.value().size() == 2);
    CHECK(batch.value()[0].id == make_response(2).id);
    CHECK(batch.value()[1].id == make_response(4).id);

    // The store's own connection sees the same counts, and synced responses stay readable.
    auto store_counts = store.counts();
    REQUIRE(store_counts.ok());
    CHECK(store_counts.value().synced == 2);
    auto found = store.find(make_response(1).id);
    REQUIRE(found.ok());
    CHECK(found.value().has_value());

    RawDb raw(file);
    CHECK_FALSE(
        raw.query("SELECT synced_at FROM responses WHERE id = '" + make_response(1).id + "'").empty());
    CHECK(raw.query("SELECT count(*) FROM responses WHERE synced_at IS NULL") == "2");

    // An empty list is fine and changes nothing.
    REQUIRE(outbox.mark_synced({}).ok());
    auto after = outbox.counts();
    REQUIRE(after.ok());
    CHECK(after.value().pending == 2);
}

TEST_CASE("mark_rejected keeps the response but leaves it out of later batches") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    Outbox outbox = open_outbox(file);
    for (int n = 1; n <= 3; ++n) {
        REQUIRE(store.commit(make_response(n)).ok());
    }
    const std::string bad = make_response(1).id;
    REQUIRE(outbox.mark_rejected(bad, "question 'x' is not in minimaregelingen-ijmond version 1").ok());

    auto batch = outbox.next_batch(10);
    REQUIRE(batch.ok());
    REQUIRE(batch.value().size() == 2);
    CHECK(batch.value()[0].id == make_response(2).id);
    CHECK(batch.value()[1].id == make_response(3).id);

    auto counts = outbox.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().pending == 2);
    CHECK(counts.value().rejected == 1);
    CHECK(counts.value().synced == 0);

    auto found = store.find(bad);
    REQUIRE(found.ok());
    REQUIRE(found.value().has_value());
    check_same(*found.value(), make_response(1));
    RawDb raw(file);
    CHECK(raw.query("SELECT sync_error FROM responses WHERE id = '" + bad + "'") ==
          "question 'x' is not in minimaregelingen-ijmond version 1");

    // A rejected response is not turned into a synced one later.
    REQUIRE(outbox.mark_synced({bad}).ok());
    auto after = outbox.counts();
    REQUIRE(after.ok());
    CHECK(after.value().rejected == 1);
    CHECK(after.value().synced == 0);
}

TEST_CASE("a version 1 file (answers in their own table) is migrated whole, order and states kept") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    {
        // The schema kiosks wrote before answers were packed into the response row.
        RawDb raw(file);
        raw.exec(R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE responses (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, consultation_id TEXT NOT NULL,
    consultation_version INTEGER NOT NULL, device_id TEXT NOT NULL, language TEXT NOT NULL,
    started_at TEXT NOT NULL, completed_at TEXT NOT NULL,
    sync_state TEXT NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending', 'synced', 'rejected')),
    synced_at TEXT, sync_error TEXT);
CREATE INDEX responses_by_state ON responses (sync_state, seq);
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE, position INTEGER NOT NULL,
    question_id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (response_id, question_id));
PRAGMA user_version = 1;
)sql");
        for (int n = 1; n <= 3; ++n) {
            const CompletedResponse r = make_response(n);
            raw.exec(
                "INSERT INTO responses (seq, id, consultation_id, consultation_version, device_id, language,"
                " started_at, completed_at) VALUES (" +
                std::to_string(10 * n) + ", '" + r.id + "', '" + r.consultation_id + "', 1, '" + r.device_id +
                "', '" + r.language + "', '" + r.started_at + "', '" + r.completed_at + "')");
            // Inserted in reverse: the migration must follow `position`, not insertion order.
            for (size_t i = r.answers.size(); i-- > 0;) {
                std::string value;
                for (char c : r.answers[i].value) {
                    value += c == '\'' ? std::string("''") : std::string(1, c);
                }
                raw.exec("INSERT INTO answers VALUES ('" + r.id + "', " + std::to_string(i) + ", '" +
                         r.answers[i].question_id + "', '" + value + "')");
            }
        }
        raw.exec(
            "UPDATE responses SET sync_state = 'synced', synced_at = '2026-11-24T14:00:00Z' WHERE seq = 10");
        raw.exec("UPDATE responses SET sync_state = 'rejected', sync_error = 'te oud' WHERE seq = 30");
    }
    ResponseStore store = open_store(file);
    for (int n = 1; n <= 3; ++n) {
        CAPTURE(n);
        auto found = store.find(make_response(n).id);
        REQUIRE(found.ok());
        REQUIRE(found.value().has_value());
        check_same(*found.value(), make_response(n));
    }
    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts.value().synced == 1);
    CHECK(counts.value().pending == 1);
    CHECK(counts.value().rejected == 1);
    Outbox outbox = open_outbox(file);
    auto batch = outbox.next_batch(10);
    REQUIRE(batch.ok());
    REQUIRE(batch.value().size() == 1);
    CHECK(batch.value()[0].id == make_response(2).id);
    // New responses come after the migrated ones.
    REQUIRE(store.commit(make_response(4)).ok());

    RawDb raw(file);
    CHECK(raw.query("PRAGMA user_version") == "3");
    CHECK(raw.query("SELECT count(*) FROM sqlite_master WHERE name IN ('answers', 'responses_v1')") == "0");
    CHECK(raw.query("SELECT seq FROM responses WHERE id = '" + make_response(4).id + "'") == "31");
    CHECK(raw.query("SELECT synced_at FROM responses WHERE seq = 10") == "2026-11-24T14:00:00Z");
    CHECK(raw.query("SELECT sync_error FROM responses WHERE seq = 30") == "te oud");
    CHECK(raw.query("PRAGMA integrity_check") == "ok");
}

TEST_CASE("the outbox query reads the pending index, not the whole table") {
    // A kiosk keeps every response it ever took; handing out a batch must not get slower with them.
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    RawDb raw(file);
    const std::string plan =
        raw.plan("SELECT id FROM responses WHERE sync_state = 'pending' ORDER BY seq LIMIT 50");
    CAPTURE(plan);
    CHECK(plan.find("responses_pending") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("an answers column this kiosk did not write is reported, not taken for answers") {
    TempDir dir;
    const fs::path file = dir / "kiosk.sqlite";
    ResponseStore store = open_store(file);
    REQUIRE(store.commit(make_response(1)).ok());
    {
        RawDb raw(file);
        raw.exec("UPDATE responses SET answers = '[[\"kent-regelingen\"]]'");
    }
    auto found = store.find(make_response(1).id);
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().to_string().find("answers column") != std::string::npos);
    // The store stays usable after the failure.
    REQUIRE(store.commit(make_response(2)).ok());
}
