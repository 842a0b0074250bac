// The PostgreSQL implementation of ServerStore, for a region that outgrows one SQLite file.
//
// Implements:
//  [X] devices with hashed tokens, add / look up / reissue / revoke
//  [X] idempotent, atomic batch insert: a whole batch in three round trips (unnest of arrays), one
//      transaction; concurrent uploads of the same id are settled by the unique index (ON CONFLICT DO
//      NOTHING), and a deadlock between two such uploads is retried
//  [X] conflict detection for a reused id with different content (content fingerprint)
//  [X] ordered, streamed read-out per consultation for exports (a cursor; memory stays flat)
//  [X] one-time enrolment codes, stored as hashes, with expiry; redeemed by one atomic UPDATE
//  [X] numbered schema migrations (table schema_version), all in one transaction under an advisory lock
//  [X] exports: the question ids answered, in one query; rows streamed in one snapshot (above)
//  [X] result texts ("you said, we did") per consultation and language, with a revision
//  [X] events, channel and note per response; counts per event and channel (migration 5)
//  [X] device public keys for signed USB bundles; contacts in a table of their own (migration 5)
//  [X] dashboard counts by GROUP BY in one REPEATABLE READ snapshot (no response held in memory)
//  [ ] LISTEN/NOTIFY for the dashboard (not needed yet)
//
// Same tables and columns as the SQLite store (sqlite_server_store.cpp), and the same migration numbers:
// PostgreSQL migration N does what SQLite migration N does, so a store method ports with its SQL. Times
// stay ISO 8601 text, as in SQLite, so comparisons (expires_at > now) and exports read the same.
//
// A pool of connections, one per server worker thread: unlike SQLite, PostgreSQL runs writers side by
// side, so uploads from many kiosks are stored in parallel.
#include <iterator>
#include <set>
#include <unordered_map>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/server/pg.hpp"
#include "buurtstem/server/server_store.hpp"

#include <nlohmann/json.hpp>

namespace buurtstem {

namespace {

// Migration N brings a database from schema_version N-1 to N, like SQLite's migration N. Append only.
constexpr const char* kPgMigrations[] = {
    // 1: devices, responses, answers (answers already keyed as SQLite's migration 3 leaves them)
    R"sql(
CREATE TABLE devices (
    id          text PRIMARY KEY,
    token_hash  text NOT NULL UNIQUE,
    created_at  text NOT NULL,
    revoked_at  text
);
CREATE TABLE responses (
    seq                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                   text NOT NULL UNIQUE,
    consultation_id      text NOT NULL,
    consultation_version integer NOT NULL,
    device_id            text NOT NULL REFERENCES devices (id),
    language             text NOT NULL,
    started_at           text NOT NULL,
    completed_at         text NOT NULL,
    received_at          text NOT NULL,
    fingerprint          text NOT NULL
);
CREATE INDEX responses_by_consultation ON responses (consultation_id, seq);
CREATE TABLE answers (
    response_seq bigint NOT NULL REFERENCES responses (seq),
    position     integer NOT NULL,
    question_id  text NOT NULL,
    value        text NOT NULL,
    PRIMARY KEY (response_seq, position),
    UNIQUE (response_seq, question_id)
);
)sql",
    // 2: one-time enrolment codes
    R"sql(
CREATE TABLE enrolment_codes (
    code_hash   text PRIMARY KEY,
    device_id   text NOT NULL,
    created_at  text NOT NULL,
    expires_at  text NOT NULL,
    used_at     text
);
CREATE INDEX enrolment_codes_by_device ON enrolment_codes (device_id);
)sql",
    // 3: SQLite re-keyed answers on (response_seq, position); migration 1 here has that key already
    "SELECT 1",
    // 4: result texts ("you said, we did"), per consultation and language; figures as a JSON array
    R"sql(
CREATE TABLE results (
    consultation_id text PRIMARY KEY,
    revision        bigint NOT NULL,
    updated_at      text NOT NULL
);
CREATE TABLE result_texts (
    consultation_id text NOT NULL REFERENCES results (consultation_id),
    language        text NOT NULL,
    text            text NOT NULL,
    figures         text NOT NULL,
    updated_at      text NOT NULL,
    PRIMARY KEY (consultation_id, language)
);
)sql",
    // 5: issue 10, as SQLite's migration 5: events (the first report of an id is kept), each response's
    // channel, note and event; devices' bundle-signing keys; contacts, which share no column with
    // responses and keep only days (a text key, no arrival order).
    R"sql(
CREATE TABLE events (
    id           text PRIMARY KEY,
    device_id    text NOT NULL,
    name         text NOT NULL,
    wijk         text NOT NULL,
    municipality text NOT NULL,
    day          text NOT NULL,
    first_seq    bigint NOT NULL
);
ALTER TABLE responses ADD COLUMN channel text NOT NULL DEFAULT 'kiosk';
ALTER TABLE responses ADD COLUMN note text;
ALTER TABLE responses ADD COLUMN event_id text REFERENCES events (id);
CREATE INDEX responses_by_event ON responses (event_id, channel) WHERE event_id IS NOT NULL;
ALTER TABLE devices ADD COLUMN public_key text;
CREATE TABLE contacts (
    contact_id       text PRIMARY KEY,
    for_consultation text NOT NULL,
    on_day           text NOT NULL,
    person_name      text NOT NULL,
    reach            text NOT NULL,
    received_on      text NOT NULL
);
)sql",
    // 6: what a kiosk last said it still has to send, and when (as SQLite's migration 6)
    R"sql(
ALTER TABLE devices ADD COLUMN pending_count bigint;
ALTER TABLE devices ADD COLUMN pending_reported_at text;
)sql",
};

constexpr int kPgSchemaVersion = static_cast<int>(std::size(kPgMigrations));

// Any fixed number: servers starting at the same moment migrate one after the other.
constexpr int64_t kMigrationLock = 0x6275757274;

// Uploads racing on the same ids can deadlock in PostgreSQL's unique index; one of them is told so and
// runs again. More tries than this means something else is wrong.
constexpr int kMaxTries = 5;

ServerStoreError from_pg(const pg::Error& error) {
    if (error.is_disk_full()) {
        return {ServerStoreError::Kind::DiskFull,
                std::string("disk full on the PostgreSQL server: ") + error.what()};
    }
    return {ServerStoreError::Kind::Failed, error.what()};
}

ServerStoreError not_a_slug(const std::string& device_id) {
    return {ServerStoreError::Kind::Failed,
            "device id '" + device_id + "' must be 1-64 lower-case letters, digits, '-' or '_'"};
}

class PostgresServerStore final : public ServerStore {
public:
    explicit PostgresServerStore(const std::string& uri) : pool_(uri, kPoolSize) {}

    // Done at open, on the pool's first connection.
    std::optional<ServerStoreError> migrate() {
        auto c = pool_.lease();
        pg::Transaction tx(*c);
        c->query("SELECT pg_advisory_xact_lock($1)", {kMigrationLock});
        c->exec("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
        auto rows = c->query("SELECT version FROM schema_version");
        int version = 0;
        if (rows.empty()) {
            c->run("INSERT INTO schema_version (version) VALUES (0)");
        } else {
            version = static_cast<int>(rows.integer(0, 0));
        }
        if (version > kPgSchemaVersion) {
            return ServerStoreError{ServerStoreError::Kind::NewerSchema,
                                    pool_.address() + " was written by a newer Buurtstem server (schema " +
                                        std::to_string(version) + "); it was left untouched"};
        }
        // All steps in one transaction: PostgreSQL's DDL is transactional, so a failure leaves the old
        // schema, never half of a new one.
        for (int next = version + 1; next <= kPgSchemaVersion; ++next) {
            c->exec(kPgMigrations[next - 1]);
        }
        c->run("UPDATE schema_version SET version = $1", {kPgSchemaVersion});
        tx.commit();
        return std::nullopt;
    }

    Result<std::string, ServerStoreError> add_device(const std::string& device_id) override {
        if (!is_slug(device_id)) {
            return fail(not_a_slug(device_id));
        }
        try {
            auto c = pool_.lease();
            const std::string token = random_hex(32);
            const int64_t added =
                c->run("INSERT INTO devices (id, token_hash, created_at) VALUES ($1, $2, $3)"
                       " ON CONFLICT (id) DO NOTHING",
                       {device_id, token_hash(token), now_iso8601_utc()});
            if (added == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::Exists,
                                             "device '" + device_id + "' is already registered"});
            }
            return token;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::string, ServerStoreError> reissue_token(const std::string& device_id) override {
        try {
            auto c = pool_.lease();
            const std::string token = random_hex(32);
            if (c->run("UPDATE devices SET token_hash = $2, revoked_at = NULL WHERE id = $1",
                       {device_id, token_hash(token)}) == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            return token;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::optional<std::string>, ServerStoreError> device_for_token(const std::string& token) override {
        try {
            auto c = pool_.lease();
            auto rows = c->query("SELECT id FROM devices WHERE token_hash = $1 AND revoked_at IS NULL",
                                 {token_hash(token)});
            if (rows.empty()) {
                return std::optional<std::string>();
            }
            return std::optional<std::string>(rows.text(0, 0));
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<TokenCheck, ServerStoreError> check_token(const std::string& token) override {
        try {
            auto c = pool_.lease();
            auto rows = c->query("SELECT id, CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END FROM devices"
                                 " WHERE token_hash = $1",
                                 {token_hash(token)});
            if (rows.empty()) {
                return TokenCheck{};
            }
            return TokenCheck{rows.integer(0, 1) != 0 ? TokenCheck::State::Revoked
                                                      : TokenCheck::State::Active,
                              rows.text(0, 0)};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> revoke_device(const std::string& device_id) override {
        try {
            auto c = pool_.lease();
            pg::Transaction tx(*c);
            // A code handed out before the theft must not bring the stolen kiosk back.
            const int64_t cancelled_codes =
                c->run("DELETE FROM enrolment_codes WHERE device_id = $1 AND used_at IS NULL", {device_id});
            const int64_t revoked =
                c->run("UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
                       {device_id, now_iso8601_utc()});
            tx.commit();
            if (revoked == 0) {
                return fail(ServerStoreError{
                    ServerStoreError::Kind::NotFound,
                    "device '" + device_id + "' is not registered" +
                        (cancelled_codes > 0 ? "; its unused enrolment code was cancelled" : "")});
            }
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> add_enrolment_code(const std::string& device_id, const std::string& code_hash,
                                                const std::string& expires_at) override {
        if (!is_slug(device_id)) {
            return fail(not_a_slug(device_id));
        }
        try {
            auto c = pool_.lease();
            pg::Transaction tx(*c);
            c->run("DELETE FROM enrolment_codes WHERE device_id = $1 AND used_at IS NULL", {device_id});
            c->run("INSERT INTO enrolment_codes (code_hash, device_id, created_at, expires_at)"
                   " VALUES ($1, $2, $3, $4)",
                   {code_hash, device_id, now_iso8601_utc(), expires_at});
            tx.commit();
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::optional<Enrolment>, ServerStoreError>
    redeem_enrolment_code(const std::string& code_hash, const std::string& now,
                          const std::string& expected_device) override {
        try {
            auto c = pool_.lease();
            pg::Transaction tx(*c);
            // One UPDATE that checks and uses the code: two kiosks presenting the same code at the same
            // moment are serialised on its row, and the second finds it used.
            auto rows = c->query("UPDATE enrolment_codes SET used_at = $2"
                                 " WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2"
                                 " AND ($3 = '' OR device_id = $3) RETURNING device_id",
                                 {code_hash, now, expected_device});
            if (rows.empty()) {
                return std::optional<Enrolment>();
            }
            Enrolment enrolment{rows.text(0, 0), random_hex(32)};
            c->run("INSERT INTO devices (id, token_hash, created_at) VALUES ($1, $2, $3)"
                   " ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL",
                   {enrolment.device_id, token_hash(enrolment.token), now});
            tx.commit();
            return std::optional<Enrolment>(std::move(enrolment));
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::vector<StoreOutcome>, ServerStoreError>
    store_responses(const std::vector<CompletedResponse>& responses,
                    const std::string& received_at) override {
        for (int attempt = 1;; ++attempt) {
            try {
                auto c = pool_.lease();
                return store_once(*c, responses, received_at);
            } catch (const pg::Error& error) {
                if (!error.is_retryable() || attempt == kMaxTries) {
                    return fail(from_pg(error));
                }
            }
        }
    }

    Status<ServerStoreError> report_pending(const std::string& device_id, int64_t pending,
                                            const std::string& reported_at) override {
        try {
            auto c = pool_.lease();
            if (c->run("UPDATE devices SET pending_count = $2, pending_reported_at = $3 WHERE id = $1",
                       {device_id, pending, reported_at}) == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<int64_t, ServerStoreError> count_responses(const std::string& consultation_id) override {
        try {
            auto c = pool_.lease();
            auto rows = consultation_id.empty()
                            ? c->query("SELECT count(*) FROM responses")
                            : c->query("SELECT count(*) FROM responses WHERE consultation_id = $1",
                                       {consultation_id});
            return rows.integer(0, 0);
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError>
    for_each_response(const std::string& consultation_id,
                      const std::function<void(const StoredResponse&)>& visit) override {
        try {
            auto c = pool_.lease();
            pg::Transaction tx(*c);
            // One pass over responses joined with their answers, fetched a slice at a time through a
            // cursor: an export of 100 000 responses holds one slice, not the consultation.
            c->query(
                "DECLARE export_rows NO SCROLL CURSOR FOR"
                " SELECT r.seq, r.id, r.consultation_id, r.consultation_version, r.device_id, r.language,"
                " r.started_at, r.completed_at, r.received_at, r.channel, r.note, e.id, e.name, e.wijk,"
                " e.municipality, e.day, a.question_id, a.value"
                " FROM responses r LEFT JOIN events e ON e.id = r.event_id"
                " LEFT JOIN answers a ON a.response_seq = r.seq"
                " WHERE r.consultation_id = $1 ORDER BY r.seq, a.position",
                {consultation_id});
            std::optional<StoredResponse> current;
            int64_t current_seq = -1;
            for (;;) {
                auto rows = c->query("FETCH FORWARD 2000 FROM export_rows");
                if (rows.empty()) {
                    break;
                }
                for (int i = 0; i < rows.size(); ++i) {
                    const int64_t seq = rows.integer(i, 0);
                    if (!current || seq != current_seq) {
                        if (current) {
                            visit(*current);
                        }
                        current = StoredResponse{{rows.text(i, 1),
                                                  rows.text(i, 2),
                                                  static_cast<int>(rows.integer(i, 3)),
                                                  rows.text(i, 4),
                                                  rows.text(i, 5),
                                                  rows.text(i, 6),
                                                  rows.text(i, 7),
                                                  {}},
                                                 rows.text(i, 8)};
                        CompletedResponse& r = current->response;
                        r.channel = parse_channel(rows.text(i, 9)).value_or(Channel::Kiosk);
                        r.note = rows.optional_text(i, 10).value_or("");
                        if (!rows.is_null(i, 11)) {
                            r.event = ResponseEvent{rows.text(i, 11), rows.text(i, 12), rows.text(i, 13),
                                                    rows.text(i, 14), rows.text(i, 15)};
                        }
                        current_seq = seq;
                    }
                    if (!rows.is_null(i, 16)) {
                        current->response.answers.push_back({rows.text(i, 16), rows.text(i, 17)});
                    }
                }
            }
            if (current) {
                visit(*current);
            }
            c->exec("CLOSE export_rows");
            tx.commit();
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    // [SECTION] Exports

    Result<std::vector<std::string>, ServerStoreError>
    answered_question_ids(const std::string& consultation_id) override {
        try {
            auto c = pool_.lease();
            auto rows = c->query("SELECT DISTINCT a.question_id COLLATE \"C\" FROM answers a"
                                 " JOIN responses r ON r.seq = a.response_seq"
                                 " WHERE r.consultation_id = $1 ORDER BY 1",
                                 {consultation_id});
            std::vector<std::string> ids;
            for (int i = 0; i < rows.size(); ++i) {
                ids.push_back(rows.text(i, 0));
            }
            return ids;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    // [SECTION] Dashboard counts

    // One REPEATABLE READ transaction: every count is of the same snapshot, as in the SQLite store.
    Result<DashboardCounts, ServerStoreError> dashboard_counts(const std::string& consultation_id,
                                                               const DashboardQuery& query) override {
        try {
            auto c = pool_.lease();
            pg::Transaction tx(*c);
            c->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            DashboardCounts out;
            const auto keyed = [&](const std::string& column, std::vector<KeyCount>& into) {
                auto rows = c->query("SELECT " + column +
                                         ", count(*) FROM responses WHERE consultation_id = $1 GROUP BY 1",
                                     {consultation_id});
                for (int i = 0; i < rows.size(); ++i) {
                    into.push_back({rows.text(i, 0), rows.integer(i, 1)});
                }
            };
            keyed("substr(completed_at, 1, 10)", out.per_day);
            keyed("language", out.per_language);
            keyed("device_id", out.per_device);
            keyed("channel", out.per_channel);
            for (const KeyCount& day : out.per_day) {
                out.total += day.count;
            }
            auto events = c->query(
                "SELECT e.id, e.name, e.wijk, e.municipality, e.day, count(*) FROM responses r"
                " LEFT JOIN events e ON e.id = r.event_id WHERE r.consultation_id = $1 GROUP BY e.id",
                {consultation_id});
            for (int i = 0; i < events.size(); ++i) {
                EventGroupCount group;
                if (!events.is_null(i, 0)) {
                    group.event = ResponseEvent{"", events.text(i, 1), events.text(i, 2), events.text(i, 3),
                                                events.text(i, 4)};
                }
                group.count = events.integer(i, 5);
                out.per_event.push_back(std::move(group));
            }

            const DashboardSql sql = dashboard_sql(query, SqlDialect::Postgres, 2);
            std::vector<pg::Param> params{consultation_id};
            params.insert(params.end(), sql.answer_params.begin(), sql.answer_params.end());
            std::vector<pg::Param> text_params{consultation_id};
            text_params.insert(text_params.end(), sql.text_params.begin(), sql.text_params.end());
            auto answers = c->query("SELECT r.consultation_version, a.question_id, " + sql.answer_key +
                                        ", count(*) FROM responses r JOIN answers a ON a.response_seq = r.seq"
                                        " WHERE r.consultation_id = $1 GROUP BY 1, 2, 3",
                                    params);
            for (int i = 0; i < answers.size(); ++i) {
                out.answers.push_back({static_cast<int>(answers.integer(i, 0)), answers.text(i, 1),
                                       answers.text(i, 2), answers.integer(i, 3)});
            }
            const std::string from = " FROM responses r JOIN answers a ON a.response_seq = r.seq"
                                     " WHERE r.consultation_id = $1" +
                                     sql.text_filter;
            out.text_matches = c->query("SELECT count(*)" + from, text_params).integer(0, 0);
            auto texts = c->query("SELECT a.question_id, a.value, r.received_at" + from +
                                      " ORDER BY r.seq, a.position LIMIT " + std::to_string(query.max_texts),
                                  text_params);
            for (int i = 0; i < texts.size(); ++i) {
                out.texts.push_back({texts.text(i, 0), texts.text(i, 1), texts.text(i, 2)});
            }
            tx.commit();
            return out;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    // [SECTION] Result texts

    Status<ServerStoreError> set_result_text(const std::string& consultation_id,
                                             const ResultText& text) override {
        auto figures = result_figures_to_store(consultation_id, text);
        if (!figures) {
            return fail(figures.error());
        }
        try {
            auto c = pool_.lease();
            const std::string now = now_iso8601_utc();
            pg::Transaction tx(*c);
            c->run("INSERT INTO results (consultation_id, revision, updated_at) VALUES ($1, 1, $2)"
                   " ON CONFLICT (consultation_id) DO UPDATE SET revision = results.revision + 1,"
                   " updated_at = excluded.updated_at",
                   {consultation_id, now});
            if (text.text.empty() && text.figures.empty()) {
                c->run("DELETE FROM result_texts WHERE consultation_id = $1 AND language = $2",
                       {consultation_id, text.language});
            } else {
                c->run("INSERT INTO result_texts (consultation_id, language, text, figures, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consultation_id, language) DO UPDATE"
                       " SET text = excluded.text, figures = excluded.figures,"
                       " updated_at = excluded.updated_at",
                       {consultation_id, text.language, text.text, *figures, now});
            }
            tx.commit();
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
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
        try {
            auto c = pool_.lease();
            pg::Transaction tx(*c);
            c->run("DELETE FROM result_texts WHERE consultation_id = $1", {consultation_id});
            if (c->run("DELETE FROM results WHERE consultation_id = $1", {consultation_id}) == 0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "no result for '" + consultation_id + "'"});
            }
            tx.commit();
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    // [SECTION] Issue 10: events, device keys, contacts (as the SQLite store)

    Result<std::vector<EventCounts>, ServerStoreError> event_counts() override {
        try {
            auto c = pool_.lease();
            auto rows = c->query(
                "SELECT e.id, e.name, e.wijk, e.municipality, e.day, e.device_id,"
                " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'kiosk'),"
                " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'facilitated'),"
                " (SELECT count(*) FROM responses WHERE event_id = e.id AND channel = 'paper')"
                " FROM events e ORDER BY e.day COLLATE \"C\", e.first_seq");
            std::vector<EventCounts> out;
            for (int i = 0; i < rows.size(); ++i) {
                out.push_back(
                    {{rows.text(i, 0), rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.text(i, 4)},
                     rows.text(i, 5),
                     rows.integer(i, 6),
                     rows.integer(i, 7),
                     rows.integer(i, 8)});
            }
            return out;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> set_device_key(const std::string& device_id,
                                            const std::string& public_key_hex) override {
        try {
            auto c = pool_.lease();
            if (c->run("UPDATE devices SET public_key = $2 WHERE id = $1", {device_id, public_key_hex}) ==
                0) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::optional<std::string>, ServerStoreError> device_key(const std::string& device_id) override {
        try {
            auto c = pool_.lease();
            auto rows = c->query("SELECT public_key, CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END"
                                 " FROM devices WHERE id = $1",
                                 {device_id});
            if (rows.empty()) {
                return fail(ServerStoreError{ServerStoreError::Kind::NotFound,
                                             "device '" + device_id + "' is not registered"});
            }
            if (rows.integer(0, 1) != 0) {
                // A stolen kiosk's key must not bring in responses either.
                return fail(
                    ServerStoreError{ServerStoreError::Kind::Failed,
                                     "device '" + device_id + "' was switched off by the council (revoked)"});
            }
            return rows.optional_text(0, 0);
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<int64_t, ServerStoreError> store_contacts(const std::vector<ContactEntry>& contacts,
                                                     const std::string& received_day) override {
        std::vector<std::string> ids, consultations, days, names, reaches;
        for (const ContactEntry& e : contacts) {
            ids.push_back(e.contact_id);
            consultations.push_back(e.consultation_id);
            days.push_back(e.day);
            names.push_back(e.name);
            reaches.push_back(e.phone_or_email);
        }
        if (ids.empty()) {
            return int64_t{0};
        }
        try {
            auto c = pool_.lease();
            // One statement: all new contacts or none. A contact id twice in one call counts once
            // (DISTINCT ON: ON CONFLICT cannot settle two rows of the same INSERT).
            return c->run("INSERT INTO contacts (contact_id, for_consultation, on_day, person_name, reach,"
                          " received_on)"
                          " SELECT DISTINCT ON (u.id) u.id, u.consultation, u.day, u.name, u.reach, $6"
                          " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])"
                          " WITH ORDINALITY AS u(id, consultation, day, name, reach, n)"
                          " ORDER BY u.id, u.n ON CONFLICT (contact_id) DO NOTHING",
                          {pg::text_array(ids), pg::text_array(consultations), pg::text_array(days),
                           pg::text_array(names), pg::text_array(reaches), received_day});
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError>
    for_each_contact(const std::function<void(const ContactEntry&)>& visit) override {
        try {
            auto c = pool_.lease();
            // COLLATE "C": the same order as SQLite's byte order, whatever the cluster's locale.
            auto rows =
                c->query("SELECT contact_id, for_consultation, on_day, person_name, reach FROM contacts"
                         " ORDER BY for_consultation COLLATE \"C\", person_name COLLATE \"C\","
                         " contact_id COLLATE \"C\"");
            for (int i = 0; i < rows.size(); ++i) {
                visit({rows.text(i, 0), rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.text(i, 4)});
            }
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

private:
    // The server's worker threads (https_server.cpp) plus one for the command line and the dashboard.
    static constexpr size_t kPoolSize = 5;

    std::vector<StoreOutcome> store_once(pg::Connection& c, const std::vector<CompletedResponse>& responses,
                                         const std::string& received_at) {
        std::vector<StoreOutcome> outcomes(responses.size(), StoreOutcome::Stored);
        std::vector<std::string> fingerprints;
        fingerprints.reserve(responses.size());
        // The first of each id in this call decides; a later copy is judged against it.
        std::unordered_map<std::string, size_t> first;
        std::vector<std::string> unique_ids;
        for (size_t i = 0; i < responses.size(); ++i) {
            fingerprints.push_back(response_fingerprint(responses[i]));
            if (first.emplace(responses[i].id, i).second) {
                unique_ids.push_back(responses[i].id);
            }
        }
        pg::Transaction tx(c);
        // What is stored already: resends are the common case after a cut connection.
        std::unordered_map<std::string, std::string> stored;
        {
            auto rows = c.query("SELECT id, fingerprint FROM responses WHERE id = ANY($1::text[])",
                                {pg::text_array(unique_ids)});
            for (int i = 0; i < rows.size(); ++i) {
                stored.emplace(rows.text(i, 0), rows.text(i, 1));
            }
        }
        // The new ones, in batch order (seq follows it), in one statement. A concurrent upload that
        // stored one of them since the SELECT makes ON CONFLICT skip it; it is looked up below.
        Columns fresh;
        for (const std::string& id : unique_ids) {
            if (!stored.contains(id)) {
                fresh.add(responses[first.at(id)], fingerprints[first.at(id)]);
            }
        }
        std::unordered_map<std::string, int64_t> seq_of;
        if (!fresh.ids.empty()) {
            if (!fresh.event_rows.ids.empty()) {
                // Before the responses that refer to them. The first report of an event id is kept;
                // first_seq is about the seq its first response gets, for a stable listing order.
                const EventRows& e = fresh.event_rows;
                c.run("INSERT INTO events (id, device_id, name, wijk, municipality, day, first_seq)"
                      " SELECT u.id, u.device_id, u.name, u.wijk, u.municipality, u.day,"
                      " (SELECT coalesce(max(seq), 0) FROM responses) + u.position"
                      " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
                      " $7::bigint[]) AS u(id, device_id, name, wijk, municipality, day, position)"
                      " ON CONFLICT (id) DO NOTHING",
                      {pg::text_array(e.ids), pg::text_array(e.devices), pg::text_array(e.names),
                       pg::text_array(e.wijken), pg::text_array(e.municipalities), pg::text_array(e.days),
                       pg::int_array(e.positions)});
            }
            // Arrays carry no NULL (text_array quotes every value): an empty note or event id is sent
            // as '' and stored as NULL, as the SQLite store does.
            auto rows = c.query(
                "INSERT INTO responses (id, consultation_id, consultation_version, device_id, language,"
                " started_at, completed_at, received_at, fingerprint, channel, note, event_id)"
                " SELECT u.id, u.consultation_id, u.version, u.device_id, u.language, u.started_at,"
                " u.completed_at, $8, u.fingerprint, u.channel, nullif(u.note, ''), nullif(u.event_id, '')"
                " FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[],"
                " $7::text[], $9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY"
                " AS u(id, consultation_id, version, device_id, language, started_at, completed_at,"
                " fingerprint, channel, note, event_id, n)"
                " ORDER BY u.n ON CONFLICT (id) DO NOTHING RETURNING id, seq",
                {pg::text_array(fresh.ids), pg::text_array(fresh.consultations),
                 pg::int_array(fresh.versions), pg::text_array(fresh.devices),
                 pg::text_array(fresh.languages), pg::text_array(fresh.started),
                 pg::text_array(fresh.completed), received_at, pg::text_array(fresh.fingerprints),
                 pg::text_array(fresh.channels), pg::text_array(fresh.notes),
                 pg::text_array(fresh.event_ids)});
            for (int i = 0; i < rows.size(); ++i) {
                seq_of.emplace(rows.text(i, 0), rows.integer(i, 1));
            }
            std::vector<std::string> raced;
            for (const std::string& id : fresh.ids) {
                if (!seq_of.contains(id)) {
                    raced.push_back(id);
                }
            }
            if (!raced.empty()) {
                auto again = c.query("SELECT id, fingerprint FROM responses WHERE id = ANY($1::text[])",
                                     {pg::text_array(raced)});
                for (int i = 0; i < again.size(); ++i) {
                    stored.emplace(again.text(i, 0), again.text(i, 1));
                }
            }
            std::vector<int64_t> answer_seqs;
            std::vector<int64_t> positions;
            std::vector<std::string> questions;
            std::vector<std::string> values;
            for (const std::string& id : fresh.ids) {
                const auto seq = seq_of.find(id);
                if (seq == seq_of.end()) {
                    continue;
                }
                const CompletedResponse& r = responses[first.at(id)];
                for (size_t k = 0; k < r.answers.size(); ++k) {
                    answer_seqs.push_back(seq->second);
                    positions.push_back(static_cast<int64_t>(k));
                    questions.push_back(r.answers[k].question_id);
                    values.push_back(r.answers[k].value);
                }
            }
            if (!answer_seqs.empty()) {
                c.run("INSERT INTO answers (response_seq, position, question_id, value)"
                      " SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[])",
                      {pg::int_array(answer_seqs), pg::int_array(positions), pg::text_array(questions),
                       pg::text_array(values)});
            }
        }
        for (size_t i = 0; i < responses.size(); ++i) {
            const std::string& id = responses[i].id;
            const size_t decider = first.at(id);
            if (decider != i) {
                // A copy within this call: stored (or not) with its first occurrence.
                const auto earlier = stored.find(id);
                const std::string& kept = earlier != stored.end() ? earlier->second : fingerprints[decider];
                outcomes[i] = kept == fingerprints[i] ? StoreOutcome::AlreadyStored : StoreOutcome::Conflict;
            } else if (const auto earlier = stored.find(id); earlier != stored.end()) {
                outcomes[i] =
                    earlier->second == fingerprints[i] ? StoreOutcome::AlreadyStored : StoreOutcome::Conflict;
            } else if (!seq_of.contains(id)) {
                // Skipped by ON CONFLICT but gone again: the other upload rolled back. Say so rather
                // than acknowledge a response that is not stored; the kiosk sends it again.
                throw pg::Error("", "response " + id + " was being stored by another upload that gave up");
            }
        }
        tx.commit();
        return outcomes;
    }

    // One consultation's result, or every one (as the SQLite store's read_results).
    Result<std::vector<ConsultationResult>, ServerStoreError>
    read_results(const std::optional<std::string>& only) {
        try {
            auto c = pool_.lease();
            std::vector<ConsultationResult> results;
            auto heads = only ? c->query("SELECT consultation_id, revision, updated_at FROM results"
                                         " WHERE consultation_id = $1",
                                         {*only})
                              : c->query("SELECT consultation_id, revision, updated_at FROM results"
                                         " ORDER BY consultation_id COLLATE \"C\"");
            for (int h = 0; h < heads.size(); ++h) {
                ConsultationResult result{heads.text(h, 0), heads.integer(h, 1), heads.text(h, 2), {}};
                auto texts = c->query("SELECT language, text, figures, updated_at FROM result_texts"
                                      " WHERE consultation_id = $1 ORDER BY language COLLATE \"C\"",
                                      {result.consultation_id});
                for (int i = 0; i < texts.size(); ++i) {
                    ResultText t{texts.text(i, 0), texts.text(i, 1), {}, texts.text(i, 3)};
                    t.figures = result_figures_from_store(texts.text(i, 2));
                    result.texts.push_back(std::move(t));
                }
                results.push_back(std::move(result));
            }
            return results;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    // The events a batch's new responses bring, each once, column by column.
    struct EventRows {
        std::vector<std::string> ids, devices, names, wijken, municipalities, days;
        std::vector<int64_t> positions; // 1-based place of its first response among the new ones
        std::set<std::string> seen;
    };

    // The new responses of a batch, column by column, for unnest().
    struct Columns {
        std::vector<std::string> ids, consultations, devices, languages, started, completed, fingerprints;
        std::vector<std::string> channels, notes, event_ids;
        std::vector<int64_t> versions;
        EventRows event_rows;
        void add(const CompletedResponse& r, const std::string& fingerprint) {
            channels.emplace_back(channel_name(r.channel));
            notes.push_back(r.note);
            event_ids.push_back(r.event ? r.event->id : std::string());
            if (r.event && event_rows.seen.insert(r.event->id).second) {
                event_rows.ids.push_back(r.event->id);
                event_rows.devices.push_back(r.device_id);
                event_rows.names.push_back(r.event->name);
                event_rows.wijken.push_back(r.event->wijk);
                event_rows.municipalities.push_back(r.event->municipality);
                event_rows.days.push_back(r.event->date);
                event_rows.positions.push_back(static_cast<int64_t>(ids.size()) + 1);
            }
            ids.push_back(r.id);
            consultations.push_back(r.consultation_id);
            versions.push_back(r.consultation_version);
            devices.push_back(r.device_id);
            languages.push_back(r.language);
            started.push_back(r.started_at);
            completed.push_back(r.completed_at);
            fingerprints.push_back(fingerprint);
        }
    };

    pg::Pool pool_;
};

} // namespace

bool is_postgresql_address(const std::string& db) {
    return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<ServerStore>, ServerStoreError> open_postgresql_server_store(const std::string& uri) {
    try {
        auto store = std::make_unique<PostgresServerStore>(uri);
        if (auto refused = store->migrate()) {
            return fail(*refused);
        }
        return std::unique_ptr<ServerStore>(std::move(store));
    } catch (const pg::Error& error) {
        ServerStoreError e = from_pg(error);
        e.kind = e.kind == ServerStoreError::Kind::Failed ? ServerStoreError::Kind::CannotOpen : e.kind;
        return fail(e);
    }
}

Result<std::unique_ptr<ServerStore>, ServerStoreError> open_server_store(const std::string& db) {
    if (is_postgresql_address(db)) {
        return open_postgresql_server_store(db);
    }
    return open_sqlite_server_store(db);
}

} // namespace buurtstem
