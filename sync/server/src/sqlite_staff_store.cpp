// The SQLite implementation of StaffStore (staff_store.hpp).
//
// Its tables live in the server database next to ServerStore's, with their own version table
// (staff_schema) because PRAGMA user_version belongs to ServerStore's migrations. Plain SQL only, so the
// PostgreSQL store can take the same statements.
#include <iterator>
#include <mutex>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/server/staff_store.hpp"

namespace buurtstem {

namespace {

// Migration N brings the staff tables from staff_schema version N-1 to N. Append only.
constexpr const char* kStaffMigrations[] = {
    // 1: accounts and sessions
    R"sql(
CREATE TABLE staff (
    username       TEXT PRIMARY KEY,
    role           TEXT NOT NULL,
    municipality   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE TABLE staff_sessions (
    session_hash  TEXT PRIMARY KEY,
    username      TEXT NOT NULL REFERENCES staff (username),
    expires_at    TEXT NOT NULL
);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);
)sql",
};

constexpr int kStaffSchemaVersion = static_cast<int>(std::size(kStaffMigrations));

ServerStoreError from_sqlite(const sqlite::Error& error) {
    if (error.is_disk_full()) {
        return {ServerStoreError::Kind::DiskFull, std::string("disk full: ") + error.what()};
    }
    return {ServerStoreError::Kind::Failed, error.what()};
}

class SqliteStaffStore final : public StaffStore {
public:
    explicit SqliteStaffStore(sqlite::Database db) : db_(std::move(db)) {}

    Status<ServerStoreError> put_staff(const StaffAccount& account, bool replace) override {
        std::lock_guard lock(mutex_);
        try {
            sqlite::Transaction tx(db_);
            auto exists = db_.prepare("SELECT 1 FROM staff WHERE username = ?1");
            exists.bind(1, account.user);
            const bool found = exists.step();
            if (found && !replace) {
                return fail(ServerStoreError{ServerStoreError::Kind::Exists,
                                             "staff account '" + account.user + "' exists already"});
            }
            if (found) {
                // A new password also lifts a lockout and ends the account's sessions.
                db_.prepare("UPDATE staff SET role = ?2, municipality = ?3, password_hash = ?4,"
                            " failed_logins = 0, locked_until = '' WHERE username = ?1")
                    .bind(1, account.user)
                    .bind(2, to_string(account.role))
                    .bind(3, account.municipality)
                    .bind(4, account.password_hash)
                    .run();
                db_.prepare("DELETE FROM staff_sessions WHERE username = ?1").bind(1, account.user).run();
            } else {
                db_.prepare("INSERT INTO staff (username, role, municipality, password_hash, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)")
                    .bind(1, account.user)
                    .bind(2, to_string(account.role))
                    .bind(3, account.municipality)
                    .bind(4, account.password_hash)
                    .bind(5, now_iso8601_utc())
                    .run();
            }
            tx.commit();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::optional<StaffAccount>, ServerStoreError> find_staff(const std::string& user) override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare("SELECT username, role, municipality, password_hash, failed_logins,"
                                 " locked_until FROM staff WHERE username = ?1");
            s.bind(1, user);
            if (!s.step()) {
                return std::optional<StaffAccount>();
            }
            StaffAccount account;
            account.user = s.column_text(0);
            account.role = parse_staff_role(s.column_text(1)).value_or(StaffRole::Analyst);
            account.municipality = s.column_text(2);
            account.password_hash = s.column_text(3);
            account.failed_logins = static_cast<int>(s.column_int(4));
            account.locked_until = s.column_text(5);
            return std::optional<StaffAccount>(std::move(account));
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> set_login_state(const std::string& user, int failed_logins,
                                             const std::string& locked_until) override {
        std::lock_guard lock(mutex_);
        try {
            db_.prepare("UPDATE staff SET failed_logins = ?2, locked_until = ?3 WHERE username = ?1")
                .bind(1, user)
                .bind(2, failed_logins)
                .bind(3, locked_until)
                .run();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> add_session(const std::string& session_hash, const std::string& user,
                                         const std::string& expires_at) override {
        std::lock_guard lock(mutex_);
        try {
            db_.prepare("INSERT INTO staff_sessions (session_hash, username, expires_at) VALUES (?1, ?2, ?3)")
                .bind(1, session_hash)
                .bind(2, user)
                .bind(3, expires_at)
                .run();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::optional<StaffSession>, ServerStoreError> find_session(const std::string& session_hash,
                                                                       const std::string& now) override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare("SELECT username, expires_at FROM staff_sessions"
                                 " WHERE session_hash = ?1 AND expires_at > ?2");
            s.bind(1, session_hash);
            s.bind(2, now);
            if (!s.step()) {
                return std::optional<StaffSession>();
            }
            return std::optional<StaffSession>(StaffSession{s.column_text(0), s.column_text(1)});
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> remove_session(const std::string& session_hash) override {
        std::lock_guard lock(mutex_);
        try {
            db_.prepare("DELETE FROM staff_sessions WHERE session_hash = ?1").bind(1, session_hash).run();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Status<ServerStoreError> remove_expired_sessions(const std::string& now) override {
        std::lock_guard lock(mutex_);
        try {
            db_.prepare("DELETE FROM staff_sessions WHERE expires_at <= ?1").bind(1, now).run();
            return Unit{};
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

    Result<std::vector<DeviceOverview>, ServerStoreError> device_overview() override {
        std::lock_guard lock(mutex_);
        try {
            auto s = db_.prepare(
                "SELECT d.id, d.created_at, coalesce(d.revoked_at, ''), coalesce(max(r.received_at), ''),"
                " count(r.seq), d.pending_count, coalesce(d.pending_reported_at, '')"
                " FROM devices d LEFT JOIN responses r ON r.device_id = d.id"
                " GROUP BY d.id, d.created_at, d.revoked_at, d.pending_count, d.pending_reported_at ORDER BY "
                "d.id");
            std::vector<DeviceOverview> devices;
            while (s.step()) {
                devices.push_back(
                    {s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_int(4),
                     s.column_is_null(5) ? std::nullopt : std::optional<int64_t>(s.column_int(5)),
                     s.column_text(6)});
            }
            return devices;
        } catch (const sqlite::Error& error) {
            return fail(from_sqlite(error));
        }
    }

private:
    std::mutex mutex_; // one connection, many handler threads
    sqlite::Database db_;
};

} // namespace

std::optional<StaffRole> parse_staff_role(const std::string& text) {
    if (text == "admin") {
        return StaffRole::Admin;
    }
    if (text == "analyst") {
        return StaffRole::Analyst;
    }
    return std::nullopt;
}

std::string to_string(StaffRole role) {
    return role == StaffRole::Admin ? "admin" : "analyst";
}

Result<std::unique_ptr<StaffStore>, ServerStoreError> open_sqlite_staff_store(const std::string& path) {
    try {
        sqlite::Database db(path);
        db.set_durability(sqlite::Durability::Full);
        sqlite::Transaction tx(db);
        db.exec("CREATE TABLE IF NOT EXISTS staff_schema (version INTEGER NOT NULL)");
        int version = 0;
        {
            auto s = db.prepare("SELECT max(version) FROM staff_schema");
            if (s.step() && !s.column_is_null(0)) {
                version = static_cast<int>(s.column_int(0));
            }
        }
        if (version > kStaffSchemaVersion) {
            return fail(ServerStoreError{ServerStoreError::Kind::NewerSchema,
                                         path +
                                             ": staff tables written by a newer Buurtstem server (version " +
                                             std::to_string(version) + "); left untouched"});
        }
        for (int next = version + 1; next <= kStaffSchemaVersion; ++next) {
            db.exec(kStaffMigrations[next - 1]);
            db.prepare("INSERT INTO staff_schema (version) VALUES (?1)").bind(1, next).run();
        }
        tx.commit();
        return std::unique_ptr<StaffStore>(std::make_unique<SqliteStaffStore>(std::move(db)));
    } catch (const sqlite::Error& error) {
        ServerStoreError e = from_sqlite(error);
        e.kind = e.kind == ServerStoreError::Kind::Failed ? ServerStoreError::Kind::CannotOpen : e.kind;
        return fail(e);
    }
}

} // namespace buurtstem
