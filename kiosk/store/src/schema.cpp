#include "schema.hpp"

#include <sqlite3.h>

namespace buurtstem::store_detail {

namespace {

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS responses (
    seq                  INTEGER PRIMARY KEY,           -- completion order, for fair batches
    id                   TEXT NOT NULL UNIQUE,          -- UUID made on the kiosk
    consultation_id      TEXT NOT NULL,
    consultation_version INTEGER NOT NULL,
    device_id            TEXT NOT NULL,
    language             TEXT NOT NULL,
    started_at           TEXT NOT NULL,
    completed_at         TEXT NOT NULL,
    sync_state           TEXT NOT NULL DEFAULT 'pending'
                         CHECK (sync_state IN ('pending', 'synced', 'rejected')),
    synced_at            TEXT,
    sync_error           TEXT
);
CREATE INDEX IF NOT EXISTS responses_by_state ON responses (sync_state, seq);
CREATE TABLE IF NOT EXISTS answers (
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
)sql";

} // namespace

StoreError to_store_error(const sqlite::Error& error) {
    if (error.is_disk_full()) {
        return {StoreError::Kind::DiskFull, std::string("disk full: ") + error.what()};
    }
    // Only responses.id is UNIQUE; a PRIMARY KEY clash (two answers to one question) is a caller bug,
    // not "already stored".
    if (error.code() == SQLITE_CONSTRAINT_UNIQUE) {
        return {StoreError::Kind::Duplicate, error.what()};
    }
    return {StoreError::Kind::Failed, error.what()};
}

Result<sqlite::Database, StoreError> open_database(const std::filesystem::path& path) {
    try {
        sqlite::Database db(path);
        const int version = db.user_version();
        if (version > kSchemaVersion) {
            return fail(StoreError{StoreError::Kind::NewerSchema,
                                   path.string() + " was written by a newer Buurtstem (schema " +
                                       std::to_string(version) + ", this kiosk knows " +
                                       std::to_string(kSchemaVersion) + "); it was left untouched"});
        }
        db.set_durability(sqlite::Durability::Full);
        if (version < kSchemaVersion) {
            sqlite::Transaction tx(db);
            db.exec(kCreateSchema);
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

CompletedResponse read_response(const sqlite::Statement& s) {
    return {s.column_text(0),
            s.column_text(1),
            static_cast<int>(s.column_int(2)),
            s.column_text(3),
            s.column_text(4),
            s.column_text(5),
            s.column_text(6),
            {}};
}

void load_answers(sqlite::Database& db, CompletedResponse& response) {
    auto s = db.prepare("SELECT question_id, value FROM answers WHERE response_id = ?1 ORDER BY position");
    s.bind(1, response.id);
    while (s.step()) {
        response.answers.push_back({s.column_text(0), s.column_text(1)});
    }
}

} // namespace buurtstem::store_detail
