// The kiosk store's schema: creation, the migration from version 1, and the row <-> response mapping
// shared by ResponseStore and Outbox. SCHEMA.md describes the tables and why they look as they do.
//
// [SECTION] Schema text
// [SECTION] Migration from version 1
// [SECTION] Migration to version 3 (events, channels, contacts)
// [SECTION] Opening
// [SECTION] Rows and answers
#include "schema.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "buurtstem/protocol/protocol.hpp"

namespace buurtstem::store_detail {

namespace {

//-----------------------------------------------------------------------------------------------------
// [SECTION] Schema text
//-----------------------------------------------------------------------------------------------------

// One row per response, answers packed in it: a commit writes one table row and two small index
// entries, where version 1 wrote eight rows into up to five indexes keyed on random UUIDs (the cost
// that made a commit 1.5x a bare insert). The pending index is partial: it holds only what still waits
// to be sent, so it stays small however many responses the kiosk keeps.
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE responses (
    seq                  INTEGER PRIMARY KEY,           -- completion order, for fair batches
    id                   TEXT NOT NULL UNIQUE,          -- UUID made on the kiosk
    consultation_id      TEXT NOT NULL,
    consultation_version INTEGER NOT NULL,
    device_id            TEXT NOT NULL,
    language             TEXT NOT NULL,
    started_at           TEXT NOT NULL,
    completed_at         TEXT NOT NULL,
    answers              TEXT NOT NULL                  -- [["question_id", "value"], ...] in question order
                         CHECK (json_valid(answers) AND json_type(answers) = 'array'),
    sync_state           TEXT NOT NULL DEFAULT 'pending'  -- not IN (...): that builds a temp b-tree per row
                         CHECK (sync_state = 'pending' OR sync_state = 'synced' OR sync_state = 'rejected'),
    synced_at            TEXT,
    sync_error           TEXT
);
CREATE INDEX responses_pending ON responses (seq) WHERE sync_state = 'pending';
)sql";

//-----------------------------------------------------------------------------------------------------
// [SECTION] Migration from version 1
//-----------------------------------------------------------------------------------------------------

// Version 1 kept answers in a table of their own. Everything is copied inside the caller's transaction,
// so a kiosk switched off half-way still has its version 1 file, whole. Done in C++ rather than with
// json_group_array: SQLite 3.40 does not promise the order of an aggregate, and question order matters.
void migrate_from_1(sqlite::Database& db) {
    db.exec("ALTER TABLE responses RENAME TO responses_v1");
    db.exec("DROP INDEX IF EXISTS responses_by_state");
    db.exec(kCreateSchema);
    auto old = db.prepare("SELECT seq, id, consultation_id, consultation_version, device_id, language,"
                          " started_at, completed_at, sync_state, synced_at, sync_error FROM responses_v1"
                          " ORDER BY seq");
    auto answers =
        db.prepare("SELECT question_id, value FROM answers WHERE response_id = ?1 ORDER BY position");
    auto insert = db.prepare(
        "INSERT INTO responses (seq, id, consultation_id, consultation_version, device_id, language,"
        " started_at, completed_at, answers, sync_state, synced_at, sync_error)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    while (old.step()) {
        std::vector<Answer> list;
        answers.reset();
        answers.bind(1, old.column_text(1));
        while (answers.step()) {
            list.push_back({answers.column_text(0), answers.column_text(1)});
        }
        insert.reset();
        insert.bind(1, old.column_int(0))
            .bind(2, old.column_text(1))
            .bind(3, old.column_text(2))
            .bind(4, old.column_int(3))
            .bind(5, old.column_text(4))
            .bind(6, old.column_text(5))
            .bind(7, old.column_text(6))
            .bind(8, old.column_text(7))
            .bind(9, encode_answers(list))
            .bind(10, old.column_text(8))
            .bind(11, old.column_optional_text(9))
            .bind(12, old.column_optional_text(10))
            .run();
    }
    old.reset();
    answers.reset();
    db.exec("DROP TABLE answers");
    db.exec("DROP TABLE responses_v1");
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] Migration to version 3 (events, channels, contacts)
//-----------------------------------------------------------------------------------------------------

// Added columns only, so existing responses keep every byte: they read as channel 'kiosk', no event,
// and sent_at NULL (a synced one is confirmed anyway). One running event at most: the partial unique
// index makes a second start fail inside SQLite even if two handles race.
//
// contacts shares no column name with responses and holds no time finer than a day; WITHOUT ROWID
// with a random key, so its storage order is the order of the random ids, not of insertion: nothing
// in the table lines a contact up with the response given just before it (SCHEMA.md "contacts").
constexpr const char* kMigrationTo3 = R"sql(
CREATE TABLE events (
    id           TEXT PRIMARY KEY,      -- random UUID
    name         TEXT NOT NULL,
    wijk         TEXT NOT NULL,
    municipality TEXT NOT NULL,
    day          TEXT NOT NULL,         -- YYYY-MM-DD, local
    started_at   TEXT NOT NULL,         -- ISO 8601 UTC
    ended_at     TEXT
);
CREATE UNIQUE INDEX events_one_running ON events ((ended_at IS NULL)) WHERE ended_at IS NULL;
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'
    CHECK (channel = 'kiosk' OR channel = 'facilitated' OR channel = 'paper');
ALTER TABLE responses ADD COLUMN note TEXT;
ALTER TABLE responses ADD COLUMN event_id TEXT REFERENCES events (id);
ALTER TABLE responses ADD COLUMN sent_at TEXT;
CREATE INDEX responses_by_event ON responses (event_id) WHERE event_id IS NOT NULL;
CREATE TABLE contacts (
    contact_id       TEXT PRIMARY KEY,  -- random, unrelated to any response id
    for_consultation TEXT NOT NULL,     -- '' when not asked by one consultation
    on_day           TEXT NOT NULL,     -- YYYY-MM-DD only: no time to line it up with a response
    person_name      TEXT NOT NULL,
    reach            TEXT NOT NULL,     -- phone number or e-mail address as typed
    delivered        INTEGER NOT NULL DEFAULT 0 CHECK (delivered = 0 OR delivered = 1)
) WITHOUT ROWID;
)sql";

} // namespace

//-----------------------------------------------------------------------------------------------------
// [SECTION] Opening
//-----------------------------------------------------------------------------------------------------

StoreError to_store_error(const sqlite::Error& error) {
    if (error.is_disk_full()) {
        return {StoreError::Kind::DiskFull, std::string("disk full: ") + error.what()};
    }
    if (error.code() == SQLITE_CONSTRAINT_UNIQUE) {
        return {StoreError::Kind::Duplicate, error.what()};
    }
    return {StoreError::Kind::Failed, error.what()};
}

Result<sqlite::Database, StoreError> open_database(const std::filesystem::path& path) {
    try {
        sqlite::Database db(path);
        const auto newer = [&](int version) {
            return StoreError{StoreError::Kind::NewerSchema,
                              path.string() + " was written by a newer Buurtstem (schema " +
                                  std::to_string(version) + ", this kiosk knows " +
                                  std::to_string(kSchemaVersion) + "); it was left untouched"};
        };
        if (const int version = db.user_version(); version > kSchemaVersion) {
            return fail(newer(version));
        }
        db.set_durability(sqlite::Durability::Full);
        if (db.user_version() < kSchemaVersion) {
            sqlite::Transaction tx(db);
            // Read again under the write lock: the UI's store and the sync thread's outbox open the
            // same file at start-up, and only the first may create or migrate it.
            const int version = db.user_version();
            if (version > kSchemaVersion) {
                return fail(newer(version));
            }
            if (version == 0) {
                db.exec(kCreateSchema);
            } else if (version == 1) {
                migrate_from_1(db);
            }
            if (version < 3) {
                db.exec(kMigrationTo3);
            }
            db.set_user_version(kSchemaVersion);
            tx.commit();
        }
        return db;
    } catch (const sqlite::Error& error) {
        StoreError e = to_store_error(error);
        if (e.kind == StoreError::Kind::Failed) {
            e.kind = StoreError::Kind::CannotOpen;
        }
        return fail(e);
    }
}

Result<SyncCounts, StoreError> count_by_state(sqlite::Database& db) {
    try {
        SyncCounts counts;
        auto s = db.prepare("SELECT sync_state, count(*) FROM responses GROUP BY sync_state");
        while (s.step()) {
            const std::string state = s.column_text(0);
            const int64_t n = s.column_int(1);
            if (state == "pending") {
                counts.pending = n;
            } else if (state == "synced") {
                counts.synced = n;
            } else {
                counts.rejected = n;
            }
        }
        return counts;
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] Rows and answers
//-----------------------------------------------------------------------------------------------------

std::string encode_answers(const std::vector<Answer>& answers) {
    nlohmann::json list = nlohmann::json::array();
    for (const Answer& a : answers) {
        list.push_back({a.question_id, a.value});
    }
    // Invalid UTF-8 is replaced (U+FFFD), as the protocol does on the wire, rather than thrown: the flow
    // only produces valid text, and a resident's answer must never make the commit fail.
    return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string typed_text_problem(std::string_view what, std::string_view text, size_t max_bytes,
                               bool may_be_empty) {
    const auto blank = text.find_first_not_of(' ') == std::string_view::npos;
    if (blank && !may_be_empty) {
        return std::string(what) + " is empty";
    }
    if (text.size() > max_bytes) {
        return std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes";
    }
    if (std::string problem = protocol::text_problem(text); !problem.empty()) {
        return std::string(what) + " " + problem;
    }
    return {};
}

CompletedResponse read_response(const sqlite::Statement& s) {
    CompletedResponse r{s.column_text(0),
                        s.column_text(1),
                        static_cast<int>(s.column_int(2)),
                        s.column_text(3),
                        s.column_text(4),
                        s.column_text(5),
                        s.column_text(6),
                        {}};
    r.channel = parse_channel(s.column_text(8)).value_or(Channel::Kiosk);
    r.note = s.column_optional_text(9).value_or("");
    if (const auto event_id = s.column_optional_text(10)) {
        r.event = ResponseEvent{*event_id, s.column_text(11), s.column_text(12), s.column_text(13),
                                s.column_text(14)};
    }
    const auto list = nlohmann::json::parse(s.column_text(7), nullptr, false);
    const auto corrupt = [&] {
        return sqlite::Error(SQLITE_CORRUPT,
                             "response " + r.id + ": answers column is not [[question, value], ...]");
    };
    if (!list.is_array()) {
        throw corrupt();
    }
    for (const auto& pair : list) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
            throw corrupt();
        }
        r.answers.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
    return r;
}

} // namespace buurtstem::store_detail
