// Staff login for the dashboard: password hashing, lockout, sessions and CSRF tokens. The routes that
// use it are in routes_staff.cpp (login, logout) and routes_dashboard.cpp (everything behind login).
//
// Design (why):
//  - Passwords: libsodium crypto_pwhash_str (Argon2id, interactive limits: ~64 MiB, a fraction of a
//    second). At most two hashes run at once, so a burst of logins cannot take the memory of the server.
//  - Lockout: after kFreeFailures wrong passwords in a row the account is locked for 1 minute, doubling
//    with each further failure up to 24 hours; stored in the database, so a restart does not reset it.
//    A locked account refuses even the right password until the time has passed. A wrong password for
//    an unknown user costs the same hash, so timing does not tell which users exist.
//  - Sessions: a random 256-bit id in the cookie "__Host-buurtstem" (Secure; HttpOnly; SameSite=Strict;
//    Path=/), only its BLAKE2b hash in the database, 8 hours at most.
//  - CSRF: every form carries a token derived from the session id (BLAKE2b("csrf:" + id)); a POST whose
//    token does not match is refused. The login form, before any session, uses a double-submit cookie.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "buurtstem/core/result.hpp"
#include "buurtstem/server/http_route.hpp"
#include "buurtstem/server/staff_store.hpp"

namespace buurtstem {

inline constexpr std::string_view kSessionCookie = "__Host-buurtstem";
inline constexpr std::string_view kLoginCookie = "__Host-buurtstem-login";
inline constexpr int kFreeFailures = 5;

// A crypto_pwhash string for `password`, or why not (out of memory).
[[nodiscard]] Result<std::string, std::string> hash_staff_password(const std::string& password);
// Whether `password` matches `hash` (constant time in the password).
bool verify_staff_password(const std::string& hash, const std::string& password);

// The value of cookie `name` in the request's Cookie header, or "".
std::string cookie_value(const HttpRequest& request, std::string_view name);
// Constant-time comparison of two tokens.
bool same_token(std::string_view a, std::string_view b);

// Who is logged in for one request.
struct StaffLogin {
    StaffAccount account;
    std::string session_hash;
    std::string csrf; // put in every form; checked on every POST
};

struct LoginOutcome {
    enum class Kind { Ok, WrongPassword, Locked, StoreFailed };
    Kind kind = Kind::WrongPassword;
    std::string session_id;   // Ok: goes in the cookie
    std::string locked_until; // Locked: ISO 8601 UTC
};

class StaffAuth {
public:
    explicit StaffAuth(StaffStore& store, std::chrono::seconds session_lifetime = std::chrono::hours(8))
        : store_(store), session_lifetime_(session_lifetime) {}

    LoginOutcome login(const std::string& user, const std::string& password);
    // The login behind the request's session cookie; nullopt without a cookie, or for an unknown or
    // expired session.
    std::optional<StaffLogin> session(const HttpRequest& request);
    void logout(const StaffLogin& login);

    // The CSRF token of the pre-login form for the value in the login cookie.
    static std::string login_csrf(std::string_view login_cookie);
    static std::string session_csrf(std::string_view session_id);
    static std::string session_hash(std::string_view session_id);
    // How long an account is locked after `failures` wrong passwords in a row (0 below the limit).
    static std::chrono::seconds lock_time(int failures);

    // Set-Cookie values.
    std::string session_cookie(const std::string& session_id) const;
    static std::string expired_session_cookie();

private:
    StaffStore& store_;
    std::chrono::seconds session_lifetime_;
};

} // namespace buurtstem
