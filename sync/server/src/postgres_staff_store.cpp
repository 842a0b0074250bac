// The PostgreSQL implementation of StaffStore (staff_store.hpp), for a server whose --db is a
// postgresql:// address.
//
// Same tables as sqlite_staff_store.cpp, in the same database as the ServerStore's tables, with their
// own version table (staff_schema: one row per migration done), because schema_version belongs to the
// ServerStore's migrations. The statements are the SQLite store's, ported as DESIGN.md says; a
// check-then-write is one statement here (ON CONFLICT), since writers run side by side.
#include <iterator>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/server/pg.hpp"
#include "buurtstem/server/staff_store.hpp"

namespace buurtstem {

namespace {

// Migration N brings the staff tables from staff_schema version N-1 to N, like SQLite's. Append only.
constexpr const char* kPgStaffMigrations[] = {
    // 1: accounts and sessions
    R"sql(
CREATE TABLE staff (
    username       text PRIMARY KEY,
    role           text NOT NULL,
    municipality   text NOT NULL,
    password_hash  text NOT NULL,
    failed_logins  integer NOT NULL DEFAULT 0,
    locked_until   text NOT NULL DEFAULT '',
    created_at     text NOT NULL
);
CREATE TABLE staff_sessions (
    session_hash  text PRIMARY KEY,
    username      text NOT NULL REFERENCES staff (username),
    expires_at    text NOT NULL
);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);
)sql",
};

constexpr int kPgStaffSchemaVersion = static_cast<int>(std::size(kPgStaffMigrations));

// Not the ServerStore's number (servers starting at once run the staff migrations one after the
// other; neither waits on the ServerStore's migrations).
constexpr int64_t kStaffMigrationLock = 0x7374616666;

ServerStoreError from_pg(const pg::Error& error) {
    if (error.is_disk_full()) {
        return {ServerStoreError::Kind::DiskFull,
                std::string("disk full on the PostgreSQL server: ") + error.what()};
    }
    return {ServerStoreError::Kind::Failed, error.what()};
}

class PostgresStaffStore final : public StaffStore {
public:
    explicit PostgresStaffStore(const std::string& uri) : pool_(uri, kPoolSize) {}

    std::optional<ServerStoreError> migrate() {
        auto c = pool_.lease();
        pg::Transaction tx(*c);
        c->query("SELECT pg_advisory_xact_lock($1)", {kStaffMigrationLock});
        c->exec("CREATE TABLE IF NOT EXISTS staff_schema (version integer NOT NULL)");
        auto rows = c->query("SELECT max(version) FROM staff_schema");
        const int version = rows.is_null(0, 0) ? 0 : static_cast<int>(rows.integer(0, 0));
        if (version > kPgStaffSchemaVersion) {
            return ServerStoreError{ServerStoreError::Kind::NewerSchema,
                                    pool_.address() +
                                        ": staff tables written by a newer Buurtstem server (version " +
                                        std::to_string(version) + "); left untouched"};
        }
        for (int next = version + 1; next <= kPgStaffSchemaVersion; ++next) {
            c->exec(kPgStaffMigrations[next - 1]);
            c->run("INSERT INTO staff_schema (version) VALUES ($1)", {next});
        }
        tx.commit();
        return std::nullopt;
    }

    Status<ServerStoreError> put_staff(const StaffAccount& account, bool replace) override {
        try {
            auto c = pool_.lease();
            const std::string role = to_string(account.role);
            if (!replace) {
                if (c->run("INSERT INTO staff (username, role, municipality, password_hash, created_at)"
                           " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING",
                           {account.user, role, account.municipality, account.password_hash,
                            now_iso8601_utc()}) == 0) {
                    return fail(ServerStoreError{ServerStoreError::Kind::Exists,
                                                 "staff account '" + account.user + "' exists already"});
                }
                return Unit{};
            }
            pg::Transaction tx(*c);
            // A new password also lifts a lockout and ends the account's sessions.
            c->run("INSERT INTO staff (username, role, municipality, password_hash, created_at)"
                   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO UPDATE SET role = excluded.role,"
                   " municipality = excluded.municipality, password_hash = excluded.password_hash,"
                   " failed_logins = 0, locked_until = ''",
                   {account.user, role, account.municipality, account.password_hash, now_iso8601_utc()});
            c->run("DELETE FROM staff_sessions WHERE username = $1", {account.user});
            tx.commit();
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::optional<StaffAccount>, ServerStoreError> find_staff(const std::string& user) override {
        try {
            auto c = pool_.lease();
            auto rows = c->query("SELECT username, role, municipality, password_hash, failed_logins,"
                                 " locked_until FROM staff WHERE username = $1",
                                 {user});
            if (rows.empty()) {
                return std::optional<StaffAccount>();
            }
            StaffAccount account;
            account.user = rows.text(0, 0);
            account.role = parse_staff_role(rows.text(0, 1)).value_or(StaffRole::Analyst);
            account.municipality = rows.text(0, 2);
            account.password_hash = rows.text(0, 3);
            account.failed_logins = static_cast<int>(rows.integer(0, 4));
            account.locked_until = rows.text(0, 5);
            return std::optional<StaffAccount>(std::move(account));
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> set_login_state(const std::string& user, int failed_logins,
                                             const std::string& locked_until) override {
        try {
            auto c = pool_.lease();
            c->run("UPDATE staff SET failed_logins = $2, locked_until = $3 WHERE username = $1",
                   {user, failed_logins, locked_until});
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> add_session(const std::string& session_hash, const std::string& user,
                                         const std::string& expires_at) override {
        try {
            auto c = pool_.lease();
            c->run("INSERT INTO staff_sessions (session_hash, username, expires_at) VALUES ($1, $2, $3)",
                   {session_hash, user, expires_at});
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::optional<StaffSession>, ServerStoreError> find_session(const std::string& session_hash,
                                                                       const std::string& now) override {
        try {
            auto c = pool_.lease();
            auto rows = c->query("SELECT username, expires_at FROM staff_sessions"
                                 " WHERE session_hash = $1 AND expires_at > $2",
                                 {session_hash, now});
            if (rows.empty()) {
                return std::optional<StaffSession>();
            }
            return std::optional<StaffSession>(StaffSession{rows.text(0, 0), rows.text(0, 1)});
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> remove_session(const std::string& session_hash) override {
        try {
            auto c = pool_.lease();
            c->run("DELETE FROM staff_sessions WHERE session_hash = $1", {session_hash});
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Status<ServerStoreError> remove_expired_sessions(const std::string& now) override {
        try {
            auto c = pool_.lease();
            c->run("DELETE FROM staff_sessions WHERE expires_at <= $1", {now});
            return Unit{};
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

    Result<std::vector<DeviceOverview>, ServerStoreError> device_overview() override {
        try {
            auto c = pool_.lease();
            auto rows = c->query(
                "SELECT d.id, d.created_at, coalesce(d.revoked_at, ''), coalesce(max(r.received_at), ''),"
                " count(r.seq), d.pending_count, coalesce(d.pending_reported_at, '')"
                " FROM devices d LEFT JOIN responses r ON r.device_id = d.id"
                " GROUP BY d.id, d.created_at, d.revoked_at, d.pending_count, d.pending_reported_at ORDER BY "
                "d.id COLLATE \"C\"");
            std::vector<DeviceOverview> devices;
            for (int i = 0; i < rows.size(); ++i) {
                devices.push_back(
                    {rows.text(i, 0), rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.integer(i, 4),
                     rows.is_null(i, 5) ? std::nullopt : std::optional<int64_t>(rows.integer(i, 5)),
                     rows.text(i, 6)});
            }
            return devices;
        } catch (const pg::Error& error) {
            return fail(from_pg(error));
        }
    }

private:
    // Logins and dashboard pages come from the server's 4 worker threads; each call is one short
    // statement, so fewer connections than the ServerStore's pool do.
    static constexpr size_t kPoolSize = 2;

    pg::Pool pool_;
};

} // namespace

Result<std::unique_ptr<StaffStore>, ServerStoreError> open_postgresql_staff_store(const std::string& uri) {
    try {
        auto store = std::make_unique<PostgresStaffStore>(uri);
        if (auto refused = store->migrate()) {
            return fail(*refused);
        }
        return std::unique_ptr<StaffStore>(std::move(store));
    } catch (const pg::Error& error) {
        ServerStoreError e = from_pg(error);
        e.kind = e.kind == ServerStoreError::Kind::Failed ? ServerStoreError::Kind::CannotOpen : e.kind;
        return fail(e);
    }
}

Result<std::unique_ptr<StaffStore>, ServerStoreError> open_staff_store(const std::string& db) {
    if (is_postgresql_address(db)) {
        return open_postgresql_staff_store(db);
    }
    return open_sqlite_staff_store(db);
}

} // namespace buurtstem
