// PinLock: the volunteer's PIN. Only a libsodium crypto_pwhash string (Argon2id, "interactive" limits) is
// stored, never the PIN. Repeated wrong PINs lock the pad for a growing time; the count and the end of
// the lockout are in the same file, so switching the kiosk off and on does not reset them.
//
//   wrong PIN 1..free_attempts-1   "wrong, N tries left"
//   wrong PIN free_attempts        locked first_lockout (30 s)
//   each wrong PIN after that      locked twice as long as the last time, at most max_lockout (15 min)
//   right PIN                      the count starts again
//
// The file (`[volunteer] pin_file`, by default next to the kiosk's database) is written with temp file +
// rename. Time is passed in (a wall-clock time point), so tests step through a lockout without sleeping;
// wall time because the lockout must outlive a restart, and a clock that jumps back is clamped to
// max_lockout.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

struct LockoutPolicy {
    int free_attempts = 3;
    std::chrono::seconds first_lockout{30};
    std::chrono::seconds max_lockout{std::chrono::minutes(15)};

    // How long the pad stays locked after `failures` wrong PINs in a row (0: not locked).
    std::chrono::seconds lockout_after(int failures) const;
};

enum class PinVerdict {
    Accepted,
    Wrong,     // attempts_left more before a lockout
    LockedOut, // not checked: the pad is locked for locked_for
    NoPin,     // no PIN has been set on this kiosk: the console stays closed
};

struct PinOutcome {
    PinVerdict verdict = PinVerdict::Wrong;
    int attempts_left = 0;
    std::chrono::seconds locked_for{0};
};

// A PIN is 4 to 8 digits: typed on a pad of ten digits, long enough that guessing takes many lockouts.
// Returns why `pin` is not one, or an empty string.
std::string pin_problem(std::string_view pin);

class PinLock {
public:
    // Reads `file`; a missing file means no PIN is set (has_pin() false). A damaged file is an error
    // naming file:line: the console then stays closed rather than open to anyone.
    static Result<PinLock, std::string> open(const std::filesystem::path& file, LockoutPolicy policy = {});
    // Hashes `pin` and writes `file` with a fresh lockout count (0600).
    static Status<std::string> set_pin(const std::filesystem::path& file, std::string_view pin);

    bool has_pin() const { return !hash_.empty(); }
    int failures() const { return failures_; }
    // Seconds the pad is still locked at `now`, rounded up (0: open).
    std::chrono::seconds locked_for(std::chrono::system_clock::time_point now) const;
    // Checks `pin` unless locked; a wrong PIN is counted and written to the file before this returns.
    // The error is a failed write (the verdict would not survive a restart): the PIN is refused then.
    Result<PinOutcome, std::string> check(std::string_view pin, std::chrono::system_clock::time_point now);

    const LockoutPolicy& policy() const { return policy_; }

private:
    PinLock(std::filesystem::path file, LockoutPolicy policy) : file_(std::move(file)), policy_(policy) {}
    Status<std::string> save() const;

    std::filesystem::path file_;
    LockoutPolicy policy_;
    std::string hash_;
    int failures_ = 0;
    int64_t locked_until_ = 0; // Unix seconds
};

} // namespace buurtstem
