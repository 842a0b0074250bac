// Staff login: hashing, lockout, sessions, CSRF (see staff_auth.hpp for the design).
#include "buurtstem/server/staff_auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <semaphore>
#include <stdexcept>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"

namespace buurtstem {

namespace {

// Each Argon2id hash takes ~64 MiB for a moment: two at a time bounds what a login flood can take.
std::counting_semaphore<2>& hash_slots() {
    static std::counting_semaphore<2> slots(2);
    return slots;
}

struct HashSlot {
    HashSlot() { hash_slots().acquire(); }
    ~HashSlot() { hash_slots().release(); }
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;
};

void init_sodium() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise");
    }
}

// A hash of a password nobody has, checked when the user is unknown, so the reply takes as long.
const std::string& decoy_hash() {
    static const std::string hash = [] {
        auto made = hash_staff_password(random_hex(16));
        return made ? *made : std::string();
    }();
    return hash;
}

} // namespace

Result<std::string, std::string> hash_staff_password(const std::string& password) {
    init_sodium();
    char out[crypto_pwhash_STRBYTES] = {};
    HashSlot slot;
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return fail(std::string("cannot hash the password (out of memory)"));
    }
    return std::string(out);
}

bool verify_staff_password(const std::string& hash, const std::string& password) {
    init_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    HashSlot slot;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string cookie_value(const HttpRequest& request, std::string_view name) {
    const std::string& header = request.header("cookie");
    size_t at = 0;
    while (at < header.size()) {
        size_t end = header.find(';', at);
        if (end == std::string::npos) {
            end = header.size();
        }
        std::string_view pair(header.data() + at, end - at);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        const size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
        at = end + 1;
    }
    return {};
}

bool same_token(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string StaffAuth::login_csrf(std::string_view login_cookie) {
    return token_hash("login-csrf:" + std::string(login_cookie));
}

std::string StaffAuth::session_csrf(std::string_view session_id) {
    return token_hash("csrf:" + std::string(session_id));
}

std::string StaffAuth::session_hash(std::string_view session_id) {
    return token_hash("session:" + std::string(session_id));
}

std::chrono::seconds StaffAuth::lock_time(int failures) {
    if (failures < kFreeFailures) {
        return std::chrono::seconds(0);
    }
    const int doublings = std::min(failures - kFreeFailures, 11); // 2^11 minutes > 24 h
    return std::min<std::chrono::seconds>(std::chrono::minutes(1) * (1 << doublings), std::chrono::hours(24));
}

LoginOutcome StaffAuth::login(const std::string& user, const std::string& password) {
    const auto now = std::chrono::system_clock::now();
    const std::string now_text = to_iso8601_utc(now);
    auto account = store_.find_staff(user);
    if (!account) {
        return {LoginOutcome::Kind::StoreFailed, {}, {}};
    }
    if (!account->has_value()) {
        (void)verify_staff_password(decoy_hash(), password);
        return {LoginOutcome::Kind::WrongPassword, {}, {}};
    }
    const StaffAccount& staff = **account;
    if (!staff.locked_until.empty() && staff.locked_until > now_text) {
        // No hash at all while locked: the lock also stops a guesser from learning the password.
        return {LoginOutcome::Kind::Locked, {}, staff.locked_until};
    }
    if (!verify_staff_password(staff.password_hash, password)) {
        const int failures = staff.failed_logins + 1;
        const auto lock = lock_time(failures);
        const std::string until = lock.count() > 0 ? to_iso8601_utc(now + lock) : std::string();
        if (!store_.set_login_state(staff.user, failures, until)) {
            return {LoginOutcome::Kind::StoreFailed, {}, {}};
        }
        if (!until.empty()) {
            return {LoginOutcome::Kind::Locked, {}, until};
        }
        return {LoginOutcome::Kind::WrongPassword, {}, {}};
    }
    if (staff.failed_logins != 0 || !staff.locked_until.empty()) {
        if (!store_.set_login_state(staff.user, 0, "")) {
            return {LoginOutcome::Kind::StoreFailed, {}, {}};
        }
    }
    (void)store_.remove_expired_sessions(now_text); // housekeeping; a failure here harms nothing
    const std::string session_id = random_hex(32);
    if (!store_.add_session(session_hash(session_id), staff.user, to_iso8601_utc(now + session_lifetime_))) {
        return {LoginOutcome::Kind::StoreFailed, {}, {}};
    }
    return {LoginOutcome::Kind::Ok, session_id, {}};
}

std::optional<StaffLogin> StaffAuth::session(const HttpRequest& request) {
    const std::string id = cookie_value(request, kSessionCookie);
    // Our ids are 64 hex digits; anything else is not worth a database look-up.
    if (id.size() != 64 || id.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return std::nullopt;
    }
    const std::string hash = session_hash(id);
    auto session = store_.find_session(hash, now_iso8601_utc());
    if (!session || !session->has_value()) {
        return std::nullopt;
    }
    auto account = store_.find_staff((*session)->user);
    if (!account || !account->has_value()) {
        return std::nullopt;
    }
    return StaffLogin{std::move(**account), hash, session_csrf(id)};
}

void StaffAuth::logout(const StaffLogin& login) {
    (void)store_.remove_session(login.session_hash);
}

std::string StaffAuth::session_cookie(const std::string& session_id) const {
    return std::string(kSessionCookie) + "=" + session_id +
           "; Path=/; Max-Age=" + std::to_string(session_lifetime_.count()) +
           "; Secure; HttpOnly; SameSite=Strict";
}

std::string StaffAuth::expired_session_cookie() {
    return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict";
}

} // namespace buurtstem
