#include "buurtstem/volunteer/pin_lock.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/read_file.hpp"

namespace buurtstem {

namespace {

int64_t unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool parse_int(std::string_view text, int64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

} // namespace

std::chrono::seconds LockoutPolicy::lockout_after(int failures) const {
    if (failures < free_attempts) {
        return std::chrono::seconds(0);
    }
    std::chrono::seconds lock = first_lockout;
    for (int i = free_attempts; i < failures && lock < max_lockout; ++i) {
        lock *= 2;
    }
    return std::min(lock, max_lockout);
}

std::string pin_problem(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 8) {
        return "a PIN has 4 to 8 digits (got " + std::to_string(pin.size()) + " characters)";
    }
    if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return "a PIN has only the digits 0-9 (the pad has no other keys)";
    }
    return {};
}

Result<PinLock, std::string> PinLock::open(const std::filesystem::path& file, LockoutPolicy policy) {
    PinLock lock(file, policy);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return lock; // no PIN set yet
    }
    auto content = read_small_file(file, 4096);
    if (!content) {
        return fail(file.string() + ": " + content.error());
    }
    std::istringstream in(*content);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const std::string where = file.string() + ":" + std::to_string(number) + ": ";
        const std::string text = trim(line);
        if (text.empty() || text[0] == '#') {
            continue;
        }
        const auto eq = text.find('=');
        if (eq == std::string::npos) {
            return fail(where + "expected 'key = value'");
        }
        const std::string key = trim(std::string_view(text).substr(0, eq));
        const std::string value = trim(std::string_view(text).substr(eq + 1));
        int64_t n = 0;
        if (key == "hash") {
            // crypto_pwhash_str writes a NUL-terminated string shorter than crypto_pwhash_STRBYTES.
            if (value.rfind("$argon2", 0) != 0 || value.size() >= crypto_pwhash_STRBYTES) {
                return fail(where + "'hash' is not a crypto_pwhash string (set the PIN again with "
                                    "buurtstem-kiosk --set-pin)");
            }
            lock.hash_ = value;
        } else if (key == "failures") {
            if (!parse_int(value, n) || n < 0 || n > 1000000) {
                return fail(where + "'failures' must be a whole number of 0 or more");
            }
            lock.failures_ = static_cast<int>(n);
        } else if (key == "locked_until") {
            if (!parse_int(value, n) || n < 0) {
                return fail(where + "'locked_until' must be Unix seconds");
            }
            lock.locked_until_ = n;
        } else {
            return fail(where + "unknown key '" + key + "' (allowed: hash, failures, locked_until)");
        }
    }
    if (lock.hash_.empty()) {
        return fail(file.string() + ": no 'hash' line (set the PIN again with buurtstem-kiosk --set-pin)");
    }
    return lock;
}

Status<std::string> PinLock::set_pin(const std::filesystem::path& file, std::string_view pin) {
    if (const std::string problem = pin_problem(pin); !problem.empty()) {
        return fail(problem);
    }
    if (sodium_init() < 0) {
        return fail(std::string("libsodium could not start (no source of randomness)"));
    }
    char hash[crypto_pwhash_STRBYTES];
    // Interactive limits: a tenth of a second or so on a kiosk, which is all one tap on OK may cost.
    if (crypto_pwhash_str(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return fail(std::string("crypto_pwhash_str ran out of memory"));
    }
    PinLock lock(file, {});
    lock.hash_ = hash;
    return lock.save();
}

Status<std::string> PinLock::save() const {
    std::string content =
        "# Buurtstem volunteer PIN: a libsodium crypto_pwhash string, never the PIN itself.\n"
        "# Set it with: buurtstem-kiosk --set-pin --config FILE (reads the PIN from stdin).\n";
    content += "hash = " + hash_ + "\n";
    content += "failures = " + std::to_string(failures_) + "\n";
    content += "locked_until = " + std::to_string(locked_until_) + "\n";
    return write_file_atomically(file_, content, 0600);
}

std::chrono::seconds PinLock::locked_for(std::chrono::system_clock::time_point now) const {
    const int64_t left = locked_until_ - unix_seconds(now);
    if (left <= 0) {
        return std::chrono::seconds(0);
    }
    // A clock set back by hours must not lock the volunteers out for hours.
    return std::min(std::chrono::seconds(left), policy_.lockout_after(failures_));
}

Result<PinOutcome, std::string> PinLock::check(std::string_view pin,
                                               std::chrono::system_clock::time_point now) {
    if (!has_pin()) {
        return PinOutcome{PinVerdict::NoPin, 0, std::chrono::seconds(0)};
    }
    if (const auto left = locked_for(now); left.count() > 0) {
        return PinOutcome{PinVerdict::LockedOut, 0, left};
    }
    if (sodium_init() < 0) {
        return fail(std::string("libsodium could not start (no source of randomness)"));
    }
    const bool right = crypto_pwhash_str_verify(hash_.c_str(), pin.data(), pin.size()) == 0;
    if (right) {
        if (failures_ != 0 || locked_until_ != 0) {
            failures_ = 0;
            locked_until_ = 0;
            if (auto saved = save(); !saved) {
                return fail(saved.error());
            }
        }
        return PinOutcome{PinVerdict::Accepted, policy_.free_attempts, std::chrono::seconds(0)};
    }
    ++failures_;
    const std::chrono::seconds lock = policy_.lockout_after(failures_);
    locked_until_ = lock.count() > 0 ? unix_seconds(now) + lock.count() : 0;
    if (auto saved = save(); !saved) {
        return fail(saved.error());
    }
    if (lock.count() > 0) {
        return PinOutcome{PinVerdict::LockedOut, 0, lock};
    }
    return PinOutcome{PinVerdict::Wrong, policy_.free_attempts - failures_, std::chrono::seconds(0)};
}

} // namespace buurtstem
