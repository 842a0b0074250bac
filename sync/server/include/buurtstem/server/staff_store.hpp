// StaffStore: the council's staff accounts and their login sessions, and the device overview the
// dashboard shows. Kept apart from ServerStore (kiosk traffic) so a second backend (PostgreSQL) ports it
// as one more small class; its SQL is plain (no SQLite-only syntax) for that reason.
//
// Every implementation promises:
//  - a password is kept only as a libsodium crypto_pwhash string (Argon2id, salted), never in clear;
//  - a session id is kept only as its BLAKE2b hash, so a copied database opens no session;
//  - failed-login counts and lock times are stored, so a restart does not reset a lockout.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/core/result.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

enum class StaffRole { Admin, Analyst };

// "admin" / "analyst"; nullopt for anything else.
std::optional<StaffRole> parse_staff_role(const std::string& text);
std::string to_string(StaffRole role);

struct StaffAccount {
    std::string user;
    StaffRole role = StaffRole::Analyst;
    std::string municipality; // empty: every municipality (admins)
    std::string password_hash;
    int failed_logins = 0;    // since the last successful login
    std::string locked_until; // ISO 8601 UTC; empty when not locked
};

struct StaffSession {
    std::string user;
    std::string expires_at; // ISO 8601 UTC
};

// One kiosk as the dashboard lists it.
struct DeviceOverview {
    std::string device_id;
    std::string created_at;
    std::string revoked_at; // empty while active
    std::string last_sync;  // received_at of its newest stored response; empty when none yet
    int64_t responses = 0;
    std::optional<int64_t> pending; // what the kiosk last said it still has to send; nullopt: never said
    std::string pending_at;         // when it said so (ISO 8601 UTC)
};

class StaffStore {
public:
    virtual ~StaffStore() = default;

    // Adds an account, or (replace) gives an existing one a new role, municipality and password.
    virtual Status<ServerStoreError> put_staff(const StaffAccount& account, bool replace) = 0;
    virtual Result<std::optional<StaffAccount>, ServerStoreError> find_staff(const std::string& user) = 0;
    // Stores the login counters of `user` (after a failure, or reset after a success).
    virtual Status<ServerStoreError> set_login_state(const std::string& user, int failed_logins,
                                                     const std::string& locked_until) = 0;

    virtual Status<ServerStoreError> add_session(const std::string& session_hash, const std::string& user,
                                                 const std::string& expires_at) = 0;
    // The session with this hash if it has not expired at `now`.
    virtual Result<std::optional<StaffSession>, ServerStoreError>
    find_session(const std::string& session_hash, const std::string& now) = 0;
    virtual Status<ServerStoreError> remove_session(const std::string& session_hash) = 0;
    // Forgets sessions that expired before `now` (called at login, so the table stays small).
    virtual Status<ServerStoreError> remove_expired_sessions(const std::string& now) = 0;

    // Every registered device with its last sync and response count.
    virtual Result<std::vector<DeviceOverview>, ServerStoreError> device_overview() = 0;
};

// The staff tables in the SQLite server database at `path` (open the ServerStore first: it creates the
// file and its tables). A second connection: SQLite's WAL lets it read while the ServerStore writes.
Result<std::unique_ptr<StaffStore>, ServerStoreError> open_sqlite_staff_store(const std::string& path);
// The staff tables in the PostgreSQL database at `uri` (the ServerStore's database; its tables first).
Result<std::unique_ptr<StaffStore>, ServerStoreError> open_postgresql_staff_store(const std::string& uri);
// What every `--db` takes, as open_server_store: a postgresql:// or postgres:// address opens PostgreSQL,
// anything else is the path of an SQLite file.
Result<std::unique_ptr<StaffStore>, ServerStoreError> open_staff_store(const std::string& db);

} // namespace buurtstem
