// The SQLite implementation of ServerStore.
//
// Implements:
//  [X] devices with hashed tokens, add / look up
//  [X] idempotent, atomic batch insert (INSERT of new ids inside one IMMEDIATE transaction)
//  [X] conflict detection for a reused id with different content (content fingerprint)
//  [X] ordered read-out per consultation for exports
//  [X] device revocation (revoked_at; the hash is kept so a revoked token is told apart from an unknown)
//  [X] one-time enrolment codes, stored as hashes, with expiry
//  [X] numbered schema migrations (PRAGMA user_version), so old databases upgrade in place
//  [X] events, channel and note per response; counts per event and channel (migration 5)
//  [X] device public keys for signed USB bundles; contacts in a table of their own (migration 5)
//  [X] exports read on a connection of their own, in one read transaction (a snapshot): a slow
//      download never holds the lock that ingest needs (WAL: readers do not block the writer)
//  [X] result texts ("you said, we did") per consultation and language, with a revision
//  [X] dashboard counts by GROUP BY in one read snapshot (no response is held in memory)
//
// One connection, guarded by a mutex: cpp-httplib calls handlers from a thread pool, and SQLite
// serialises writers anyway, so more connections would add contention, not throughput.
#include <iterator>
#include <mutex>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/server/server_store.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace buurtstem {

namespace {

// Migration N brings a database from user_version N-1 to N. Append only: a released migration is never
// edited, because databases out there already ran it.
constexpr const char* kMigrations[] = {
    // 1: devices, responses, answers
    R"sql(
CREATE TABLE IF NOT EXISTS devices (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE TABLE IF NOT EXISTS responses (
    seq                  INTEGER PRIMARY KEY,
    id                   TEXT NOT NULL UNIQUE,
    consultation_id      TEXT NOT NULL,
    consultation_version INTEGER NOT NULL,
    device_id            TEXT NOT NULL REFERENCES devices (id),
    language             TEXT NOT NULL,
    started_at           TEXT NOT NULL,
    completed_at         TEXT NOT NULL,
    received_at          TEXT NOT NULL,
    fingerprint          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_consultation ON responses (consultation_id, seq);
CREATE TABLE IF NOT EXISTS answers (
    response_id TEXT NOT NULL REFERENCES responses (id),
    position    INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);
)sql",
    // 2: one-time enrolment codes (item "enrolment and revocation")
    R"sql(
CREATE TABLE enrolment_codes (
    code_hash   TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX enrolment_codes_by_device ON enrolment_codes (device_id);
)sql",
    // 3: answers keyed on (response_seq, position), so a batch appends to the answers tree instead of
    // writing into random places of it (the UUID key made storing 4x the cost of a raw insert of the same
    // rows; now 1.6x)
    R"sql(
ALTER TABLE answers RENAME TO answers_v1;
CREATE TABLE answers (
    response_seq INTEGER NOT NULL REFERENCES responses (seq),
    position     INTEGER NOT NULL,
    question_id  TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (response_seq, position),
    UNIQUE (response_seq, question_id)
) WITHOUT ROWID;
INSERT INTO answers (response_seq, position, question_id, value)
    SELECT r.seq, a.position, a.question_id, a.value FROM answers_v1 a JOIN responses r ON r.id = a.response_id;
DROP TABLE answers_v1;
)sql",
    // 4: result texts ("you said, we did"), per consultation and language. Plain tables and TEXT columns
    // (figures as a JSON array), so the same statements run on PostgreSQL.
    R"sql(
CREATE TABLE results (
    consultation_id TEXT PRIMARY KEY,
    revision        INTEGER NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE TABLE result_texts (
    consultation_id TEXT NOT NULL REFERENCES results (consultation_id),
    language        TEXT NOT NULL,
    text            TEXT NOT NULL,
    figures         TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (consultation_id, language)
);
)sql",
    // 5: issue 10. Events as kiosks report them (the first report of an id is kept), each response's
    // channel, note and event; devices' bundle-signing keys; contacts, which share no column with
    // responses and keep only days (a random key and WITHOUT ROWID: no arrival order either).
    R"sql(
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    name         TEXT NOT NULL,
    wijk         TEXT NOT NULL,
    municipality TEXT NOT NULL,
    day          TEXT NOT NULL,
    first_seq    INTEGER NOT NULL   -- the first response that brought it, for a stable listing order
);
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
ALTER TABLE responses ADD COLUMN note TEXT;
ALTER TABLE responses ADD COLUMN event_id TEXT REFERENCES events (id);
CREATE INDEX responses_by_event ON responses (event_id, channel) WHERE event_id IS NOT NULL;
ALTER TABLE devices ADD COLUMN public_key TEXT;
CREATE TABLE contacts (
    contact_id       TEXT PRIMARY KEY,
    for_consultation TEXT NOT NULL,
    on_day           TEXT NOT NULL,
    person_name      TEXT NOT NULL,
    reach            TEXT NOT NULL,
    received_on      TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 6: the number of responses a kiosk says it still has to send, and when it said so (the
    // Buurtstem-Pending header, sync/PROTOCOL.md); NULL until the kiosk reports it (older kiosks never do).
    R"sql(
ALTER TABLE devices ADD COLUMN pending_count INTEGER;
ALTER TABLE devices ADD COLUMN pending_reported_at TEXT;
)sql",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

ServerStoreError from_sqlite(const sqlite::Error& error) {
    if (error.is_disk_full()) {
        return {ServerStoreError::Kind::DiskFull, std::string("disk full: ") + error.what()};
    }
    return {ServerStoreError::Kind::Failed, error.what()};
}

class SqliteServerStore final : public ServerStore {
public:
    explicit SqliteServerStore(sqlite::Database db) : db_(std::move(db)) {}

    Result<std::string, ServerStoreError> add_device(const std::string& device_id) override {
        if (!is_slug(device_id)) {
            return fail(ServerStoreError{ServerStoreError::Kind::Failed,
                                         "device id '" + device_id +
                                             "' must be 1-64 lower-case letters, digits, '-' or '_'"});
        }
        std::lock_guard lock(mutex_);
        try {
            auto exists = db_.prepare("SELECT 1 FROM devices WHERE id = ?1");
            exists.bind(1, device_id);
            if (exists.step()) {
                return fail(ServerStoreError{ServerStoreError::Kind::Exists,
                                             "device '" + device_id + "' is already registered"});
            }
            const std::string token = random_hex(32);
            db_.prepare("INSERT INTO devices (id, token_hash, created_at) VALUES (?1, ?2, ?3)")
                .bind(1, device_id)
                .bind(2, token_hash(token))
                .bind(3, now_iso8601_utc())
                .run();
            return token;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::string, ServerStoreError> reissue_token(const std::string& device_id) override {
        std::lock_guard lock(mutex_);
        try {
            const std::string token = random_hex(32);
            db_.prepare("UPDATE devices SET token_hash = ?2, revoked_at = NULL WHERE id = ?1")
                .bind(1, device_id)
                .bind(2, token_hash(token))
                .run();
            if (db_.changes() == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            return token;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::optional<std::string>, ServerStoreError> device_for_token(const std::string& token) override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare("SELECT id FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL");
            s.bind(1, token_hash(token));
            if (s.step()) {
                return std::optional<std::string>(s.column_text(0));
            }
            return std::optional<std::string>();
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<TokenCheck, ServerStoreError> check_token(const std::string& token) override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare("SELECT id, revoked_at IS NOT NULL FROM devices WHERE token_hash = ?1");
            s.bind(1, token_hash(token));
            if (!s.step()) {
                return TokenCheck{};
            }
            return TokenCheck{s.column_int(1) != 0 ? TokenCheck::State::Revoked : TokenCheck::State::Active,
                              s.column_text(0)};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> revoke_device(const std::string& device_id) override {
        std::lock_guard lock(mutex_);
        try {
            sqlite::Transaction tx(db_);
            // A code handed out before the theft must not bring the stolen kiosk back.
            db_.prepare("DELETE FROM enrolment_codes WHERE device_id = ?1 AND used_at IS NULL")
                .bind(1, device_id)
                .run();
            const int64_t cancelled_codes = db_.changes();
            db_.prepare("UPDATE devices SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1")
                .bind(1, device_id)
                .bind(2, now_iso8601_utc())
                .run();
            const int64_t revoked = db_.changes();
            tx.commit();
            if (revoked == 0) {
                return fail(ServerStoreError{
                    ServerStoreError::Kind::NotFound,
                    "device '" + device_id + "' is not registered" +
                        (cancelled_codes > 0 ? "; its unused enrolment code was cancelled" : "")});
            }
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> add_enrolment_code(const std::string& device_id, const std::string& code_hash,
                                                const std::string& expires_at) override {
        if (!is_slug(device_id)) {
            return fail(ServerStoreError{ServerStoreError::Kind::Failed,
                                         "device id '" + device_id +
                                             "' must be 1-64 lower-case letters, digits, '-' or '_'"});
        }
        std::lock_guard lock(mutex_);
        try {
            sqlite::Transaction tx(db_);
            db_.prepare("DELETE FROM enrolment_codes WHERE device_id = ?1 AND used_at IS NULL")
                .bind(1, device_id)
                .run();
            db_.prepare("INSERT INTO enrolment_codes (code_hash, device_id, created_at, expires_at)"
                        " VALUES (?1, ?2, ?3, ?4)")
                .bind(1, code_hash)
                .bind(2, device_id)
                .bind(3, now_iso8601_utc())
                .bind(4, expires_at)
                .run();
            tx.commit();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::optional<Enrolment>, ServerStoreError>
    redeem_enrolment_code(const std::string& code_hash, const std::string& now,
                          const std::string& expected_device) override {
        std::lock_guard lock(mutex_);
        try {
            sqlite::Transaction tx(db_);
            auto s = db_.prepare("SELECT device_id FROM enrolment_codes"
                                 " WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2"
                                 " AND (?3 = '' OR device_id = ?3)");
            s.bind(1, code_hash);
            s.bind(2, now);
            s.bind(3, expected_device);
            if (!s.step()) {
                return std::optional<Enrolment>();
            }
            Enrolment enrolment{s.column_text(0), random_hex(32)};
            db_.prepare("UPDATE enrolment_codes SET used_at = ?2 WHERE code_hash = ?1")
                .bind(1, code_hash)
                .bind(2, now)
                .run();
            db_.prepare("INSERT INTO devices (id, token_hash, created_at) VALUES (?1, ?2, ?3)"
                        " ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL")
                .bind(1, enrolment.device_id)
                .bind(2, token_hash(enrolment.token))
                .bind(3, now)
                .run();
            tx.commit();
            return std::optional<Enrolment>(std::move(enrolment));
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::vector<StoreOutcome>, ServerStoreError>
    store_responses(const std::vector<CompletedResponse>& responses,
                    const std::string& received_at) override {
        std::lock_guard lock(mutex_);
        try {
            std::vector<StoreOutcome> outcomes;
            sqlite::Transaction tx(db_);
            auto existing = db_.prepare("SELECT fingerprint FROM responses WHERE id = ?1");
            auto insert = db_.prepare(
                "INSERT INTO responses (id, consultation_id, consultation_version, device_id, language, "
                "started_at, completed_at, received_at, fingerprint, channel, note, event_id)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
            auto event = db_.prepare(
                "INSERT INTO events (id, device_id, name, wijk, municipality, day, first_seq)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT coalesce(max(seq), 0) + 1 FROM responses))"
                " ON CONFLICT (id) DO NOTHING");
            auto answer = db_.prepare(
                "INSERT INTO answers (response_seq, position, question_id, value) VALUES (?1, ?2, ?3, ?4)");
            for (const CompletedResponse& r : responses) {
                const std::string fingerprint = response_fingerprint(r);
                existing.reset();
                existing.bind(1, r.id);
                if (existing.step()) {
                    outcomes.push_back(existing.column_text(0) == fingerprint ? StoreOutcome::AlreadyStored
                                                                              : StoreOutcome::Conflict);
                    continue;
                }
                if (r.event) {
                    event.reset();
                    event.bind(1, r.event->id)
                        .bind(2, r.device_id)
                        .bind(3, r.event->name)
                        .bind(4, r.event->wijk)
                        .bind(5, r.event->municipality)
                        .bind(6, r.event->date)
                        .run();
                }
                insert.reset();
                insert.bind(1, r.id)
                    .bind(2, r.consultation_id)
                    .bind(3, r.consultation_version)
                    .bind(4, r.device_id)
                    .bind(5, r.language)
                    .bind(6, r.started_at)
                    .bind(7, r.completed_at)
                    .bind(8, received_at)
                    .bind(9, fingerprint)
                    .bind(10, channel_name(r.channel))
                    .bind(11,
                          r.note.empty() ? std::optional<std::string>() : std::optional<std::string>(r.note))
                    .bind(12,
                          r.event ? std::optional<std::string>(r.event->id) : std::optional<std::string>())
                    .run();
                const int64_t seq = sqlite3_last_insert_rowid(db_.handle()); // under mutex_: ours
                for (size_t i = 0; i < r.answers.size(); ++i) {
                    answer.reset();
                    answer.bind(1, seq)
                        .bind(2, static_cast<int64_t>(i))
                        .bind(3, r.answers[i].question_id)
                        .bind(4, r.answers[i].value)
                        .run();
                }
                outcomes.push_back(StoreOutcome::Stored);
            }
            tx.commit();
            return outcomes;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> report_pending(const std::string& device_id, int64_t pending,
                                            const std::string& reported_at) override {
        std::lock_guard lock(mutex_);
        try {
            db_.prepare("UPDATE devices SET pending_count = ?2, pending_reported_at = ?3 WHERE id = ?1")
                .bind(1, device_id)
                .bind(2, pending)
                .bind(3, reported_at)
                .run();
            if (db_.changes() == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<int64_t, ServerStoreError> count_responses(const std::string& consultation_id) override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare(consultation_id.empty()
                                     ? "SELECT count(*) FROM responses"
                                     : "SELECT count(*) FROM responses WHERE consultation_id = ?1");
            if (!consultation_id.empty()) {
                s.bind(1, consultation_id);
            }
            s.step();
            return s.column_int(0);
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    // On a connection of its own, in one read transaction: the rows are a snapshot of when the export
    // began, and a download that stalls (the visitor blocks on a slow client) holds no lock that ingest
    // needs. The visitor may take as long as it likes.
    Status<ServerStoreError>
    for_each_response(const std::string& consultation_id,
                      const std::function<void(const StoredResponse&)>& visit) override {
        try {
            sqlite::Database reader(db_.path());
            reader.exec("BEGIN");
            auto s = reader.prepare("SELECT r.id, r.consultation_id, r.consultation_version, r.device_id, "
                                    "r.language, r.started_at,"
                                    " r.completed_at, r.received_at, r.seq, r.channel, r.note, e.id, e.name, "
                                    "e.wijk, e.municipality,"
                                    " e.day FROM responses r LEFT JOIN events e ON e.id = r.event_id"
                                    " WHERE r.consultation_id = ?1 ORDER BY r.seq");
            auto answers = reader.prepare(
                "SELECT question_id, value FROM answers WHERE response_seq = ?1 ORDER BY position");
            s.bind(1, consultation_id);
            StoredResponse stored; // one, reused: its strings keep their capacity from row to row
            while (s.step()) {
                CompletedResponse& r = stored.response;
                r.id = s.column_text(0);
                r.consultation_id = s.column_text(1);
                r.consultation_version = static_cast<int>(s.column_int(2));
                r.device_id = s.column_text(3);
                r.language = s.column_text(4);
                r.started_at = s.column_text(5);
                r.completed_at = s.column_text(6);
                stored.received_at = s.column_text(7);
                r.channel = parse_channel(s.column_text(9)).value_or(Channel::Kiosk);
                r.note = s.column_optional_text(10).value_or("");
                r.event.reset();
                if (const auto event_id = s.column_optional_text(11)) {
                    r.event = ResponseEvent{*event_id, s.column_text(12), s.column_text(13),
                                            s.column_text(14), s.column_text(15)};
                }
                r.answers.clear();
                answers.reset();
                answers.bind(1, s.column_int(8));
                while (answers.step()) {
                    r.answers.push_back({answers.column_text(0), answers.column_text(1)});
                }
                visit(stored);
            }
            reader.exec("COMMIT");
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    // [SECTION] Issue 10: events, device keys, contacts

    Result<std::vector<EventCounts>, ServerStoreError> event_counts() override {
        std::lock_guard lock(mutex_);
        try {
            std::vector<EventCounts> out;
            auto s = db_.prepare(
                "SELECT e.id, e.name, e.wijk, e.municipality, e.day, e.device_id,"
                " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'kiosk'),"
                " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'facilitated'),"
                " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'paper')"
                " FROM events e ORDER BY e.day, e.first_seq");
            while (s.step()) {
                out.push_back({{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
                                s.column_text(4)},
                               s.column_text(5),
                               s.column_int(6),
                               s.column_int(7),
                               s.column_int(8)});
            }
            return out;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> set_device_key(const std::string& device_id,
                                            const std::string& public_key_hex) override {
        std::lock_guard lock(mutex_);
        try {
            db_.prepare("UPDATE devices SET public_key = ?2 WHERE id = ?1")
                .bind(1, device_id)
                .bind(2, public_key_hex)
                .run();
            if (db_.changes() == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::optional<std::string>, ServerStoreError> device_key(const std::string& device_id) override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare("SELECT public_key, revoked_at IS NOT NULL FROM devices WHERE id = ?1");
            s.bind(1, device_id);
            if (!s.step()) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            if (s.column_int(1) != 0) {
                // A stolen kiosk's key must not bring in responses either.
                return fail(
                    ServerStoreError{ServerStoreError::Kind::Failed,
                                     "device '" + device_id + "' was switched off by the council (revoked)"});
            }
            return s.column_optional_text(0);
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<int64_t, ServerStoreError> store_contacts(const std::vector<ContactEntry>& contacts,
                                                     const std::string& received_day) override {
        std::lock_guard lock(mutex_);
        try {
            sqlite::Transaction tx(db_);
            auto insert =
                db_.prepare("INSERT INTO contacts (contact_id, for_consultation, on_day, person_name,"
                            " reach, received_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                            " ON CONFLICT (contact_id) DO NOTHING");
            int64_t stored = 0;
            for (const ContactEntry& c : contacts) {
                insert.reset();
                insert.bind(1, c.contact_id)
                    .bind(2, c.consultation_id)
                    .bind(3, c.day)
                    .bind(4, c.name)
                    .bind(5, c.phone_or_email)
                    .bind(6, received_day)
                    .run();
                stored += db_.changes();
            }
            tx.commit();
            return stored;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError>
    for_each_contact(const std::function<void(const ContactEntry&)>& visit) override {
        std::lock_guard lock(mutex_);
        try {
            auto s =
                db_.prepare("SELECT contact_id, for_consultation, on_day, person_name, reach FROM contacts"
                            " ORDER BY for_consultation, person_name, contact_id");
            while (s.step()) {
                visit({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
                       s.column_text(4)});
            }
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    // [SECTION] Exports

    Result<std::vector<std::string>, ServerStoreError>
    answered_question_ids(const std::string& consultation_id) override {
        try {
            sqlite::Database reader(db_.path());
            auto s = reader.prepare("SELECT DISTINCT a.question_id FROM answers a"
                                    " JOIN responses r ON r.seq = a.response_seq"
                                    " WHERE r.consultation_id = ?1 ORDER BY a.question_id");
            s.bind(1, consultation_id);
            std::vector<std::string> ids;
            while (s.step()) {
                ids.push_back(s.column_text(0));
            }
            return ids;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    // [SECTION] Dashboard counts

    // On a reader connection of its own in one read transaction, like an export: every count is of the
    // same snapshot, and a page being counted never holds up ingest.
    Result<DashboardCounts, ServerStoreError> dashboard_counts(const std::string& consultation_id,
                                                               const DashboardQuery& query) override {
        try {
            sqlite::Database reader(db_.path());
            reader.exec("BEGIN");
            DashboardCounts out;
            const auto keyed = [&](const std::string& column, std::vector<KeyCount>& into) {
                auto s = reader.prepare("SELECT " + column +
                                        ", count(*) FROM responses WHERE consultation_id = ?1 GROUP BY 1");
                s.bind(1, consultation_id);
                while (s.step()) {
                    into.push_back({s.column_text(0), s.column_int(1)});
                }
            };
            keyed("substr(completed_at, 1, 10)", out.per_day);
            keyed("language", out.per_language);
            keyed("device_id", out.per_device);
            keyed("channel", out.per_channel);
            for (const KeyCount& day : out.per_day) {
                out.total += day.count;
            }
            auto events = reader.prepare(
                "SELECT e.id, e.name, e.wijk, e.municipality, e.day, count(*) FROM responses r"
                " LEFT JOIN events e ON e.id = r.event_id WHERE r.consultation_id = ?1 GROUP BY e.id");
            events.bind(1, consultation_id);
            while (events.step()) {
                EventGroupCount group;
                if (!events.column_is_null(0)) {
                    group.event = ResponseEvent{"", events.column_text(1), events.column_text(2),
                                                events.column_text(3), events.column_text(4)};
                }
                group.count = events.column_int(5);
                out.per_event.push_back(std::move(group));
            }

            const DashboardSql sql = dashboard_sql(query, SqlDialect::Sqlite, 2);
            const auto bind_all = [&](sqlite::Statement& s, const std::vector<std::string>& params) {
                s.bind(1, consultation_id);
                for (size_t i = 0; i < params.size(); ++i) {
                    s.bind(static_cast<int>(i + 2), params[i]);
                }
            };
            auto answers =
                reader.prepare("SELECT r.consultation_version, a.question_id, " + sql.answer_key +
                               ", count(*) FROM responses r JOIN answers a ON a.response_seq = r.seq"
                               " WHERE r.consultation_id = ?1 GROUP BY 1, 2, 3");
            bind_all(answers, sql.answer_params);
            while (answers.step()) {
                out.answers.push_back({static_cast<int>(answers.column_int(0)), answers.column_text(1),
                                       answers.column_text(2), answers.column_int(3)});
            }
            const std::string from = " FROM responses r JOIN answers a ON a.response_seq = r.seq"
                                     " WHERE r.consultation_id = ?1" +
                                     sql.text_filter;
            auto matches = reader.prepare("SELECT count(*)" + from);
            bind_all(matches, sql.text_params);
            matches.step();
            out.text_matches = matches.column_int(0);
            auto texts =
                reader.prepare("SELECT a.question_id, a.value, r.received_at" + from +
                               " ORDER BY r.seq, a.position LIMIT " + std::to_string(query.max_texts));
            bind_all(texts, sql.text_params);
            while (texts.step()) {
                out.texts.push_back({texts.column_text(0), texts.column_text(1), texts.column_text(2)});
            }
            reader.exec("COMMIT");
            return out;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    // [SECTION] Result texts

    Status<ServerStoreError> set_result_text(const std::string& consultation_id,
                                             const ResultText& text) override {
        auto figures = result_figures_to_store(consultation_id, text);
        if (!figures) {
            return fail(figures.error());
        }
        std::lock_guard lock(mutex_);
        try {
            const std::string now = now_iso8601_utc();
            sqlite::Transaction tx(db_);
            db_.prepare("INSERT INTO results (consultation_id, revision, updated_at) VALUES (?1, 1, ?2)"
                        " ON CONFLICT (consultation_id) DO UPDATE SET revision = results.revision + 1,"
                        " updated_at = excluded.updated_at")
                .bind(1, consultation_id)
                .bind(2, now)
                .run();
            if (text.text.empty() && text.figures.empty()) {
                db_.prepare("DELETE FROM result_texts WHERE consultation_id = ?1 AND language = ?2")
                    .bind(1, consultation_id)
                    .bind(2, text.language)
                    .run();
            } else {
                db_.prepare("INSERT INTO result_texts (consultation_id, language, text, figures, updated_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (consultation_id, language) DO UPDATE"
                            " SET text = excluded.text, figures = excluded.figures,"
                            " updated_at = excluded.updated_at")
                    .bind(1, consultation_id)
                    .bind(2, text.language)
                    .bind(3, text.text)
                    .bind(4, *figures)
                    .bind(5, now)
                    .run();
            }
            tx.commit();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::optional<ConsultationResult>, ServerStoreError>
    result_for(const std::string& consultation_id) override {
        auto all = read_results(consultation_id);
        if (!all) {
            return fail(all.error());
        }
        if (all->empty()) {
            return std::optional<ConsultationResult>();
        }
        return std::optional<ConsultationResult>(std::move(all->front()));
    }

    Result<std::vector<ConsultationResult>, ServerStoreError> all_results() override {
        return read_results(std::nullopt);
    }

    Status<ServerStoreError> remove_result(const std::string& consultation_id) override {
        std::lock_guard lock(mutex_);
        try {
            sqlite::Transaction tx(db_);
            db_.prepare("DELETE FROM result_texts WHERE consultation_id = ?1").bind(1, consultation_id).run();
            db_.prepare("DELETE FROM results WHERE consultation_id = ?1").bind(1, consultation_id).run();
            if (db_.changes() == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "no result for '" + consultation_id + "'"});
            }
            tx.commit();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

private:
    // One consultation's result, or every one.
    Result<std::vector<ConsultationResult>, ServerStoreError>
    read_results(const std::optional<std::string>& only) {
        std::lock_guard lock(mutex_);
        try {
            std::vector<ConsultationResult> results;
            auto heads = db_.prepare(only ? "SELECT consultation_id, revision, updated_at FROM results"
                                            " WHERE consultation_id = ?1"
                                          : "SELECT consultation_id, revision, updated_at FROM results"
                                            " ORDER BY consultation_id");
            if (only) {
                heads.bind(1, *only);
            }
            auto texts = db_.prepare("SELECT language, text, figures, updated_at FROM result_texts"
                                     " WHERE consultation_id = ?1 ORDER BY language");
            while (heads.step()) {
                ConsultationResult result{
                    heads.column_text(0), heads.column_int(1), heads.column_text(2), {}};
                texts.reset();
                texts.bind(1, result.consultation_id);
                while (texts.step()) {
                    ResultText t{texts.column_text(0), texts.column_text(1), {}, texts.column_text(3)};
                    t.figures = result_figures_from_store(texts.column_text(2));
                    result.texts.push_back(std::move(t));
                }
                results.push_back(std::move(result));
            }
            return results;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

private:
    std::mutex mutex_; // one connection, many handler threads
    sqlite::Database db_;
};

} // namespace

Result<std::unique_ptr<ServerStore>, ServerStoreError> open_sqlite_server_store(const std::string& path) {
    try {
        // FULL, not NORMAL: once the server acknowledges a response the kiosk stops resending it, so an
        // acknowledged commit must survive a power cut here.
        sqlite::Database db(path);
        const int version = db.user_version();
        if (version > kSchemaVersion) {
            return fail(ServerStoreError{ServerStoreError::Kind::NewerSchema,
                                         path + " was written by a newer Buurtstem server (schema " +
                                             std::to_string(version) + "); it was left untouched"});
        }
        db.set_durability(sqlite::Durability::Full);
        if (version < kSchemaVersion) {
            // All steps in one transaction: a power cut leaves the old schema, never half of a new one.
            sqlite::Transaction tx(db);
            for (int next = version + 1; next <= kSchemaVersion; ++next) {
                db.exec(kMigrations[next - 1]);
            }
            db.set_user_version(kSchemaVersion);
            tx.commit();
        }
        return std::unique_ptr<ServerStore>(std::make_unique<SqliteServerStore>(std::move(db)));
    } catch (const sqlite::Error& error) {
        ServerStoreError e = from_sqlite(error);
        e.kind = e.kind == ServerStoreError::Kind::Failed ? ServerStoreError::Kind::CannotOpen : e.kind;
        return fail(e);
    }
}

} // namespace buurtstem
