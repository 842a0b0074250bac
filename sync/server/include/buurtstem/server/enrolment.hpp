// One-time enrolment codes: how a new (or replaced) kiosk gets its device token without anyone copying
// a token file.
//
// A code is 10 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I), so 50 random
// bits, shown as ABCD-EFGH-JK to be typed on the kiosk's keyboard. The server keeps only its BLAKE2b
// hash, it expires, it works once, and wrong guesses are limited per address (EnrolmentLimiter), so
// guessing one of the few live codes is hopeless.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "buurtstem/server/http_route.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

inline constexpr std::string_view kEnrolmentAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr size_t kEnrolmentCodeLength = 10;
inline constexpr std::string_view kEnrolPath = "/api/v1/enrol";

// A fresh random code, grouped "ABCD-EFGH-JK".
std::string new_enrolment_code();
// What was typed, made canonical (upper case; dashes and spaces dropped): the 10 code characters, or
// nullopt when it cannot be a code.
std::optional<std::string> normalize_enrolment_code(std::string_view typed);
// The hash the store keeps: BLAKE2b of the canonical code.
std::string enrolment_code_hash(std::string_view canonical_code);

// Counts failed enrolment attempts per client address in a sliding window; in memory, as it only has
// to slow an attacker down while the server runs. Thread-safe.
class EnrolmentLimiter {
public:
    EnrolmentLimiter(int max_failures, std::chrono::seconds window)
        : max_failures_(max_failures), window_(window) {}
    // Whether `address` may try now.
    bool allowed(const std::string& address, std::chrono::steady_clock::time_point now);
    void record_failure(const std::string& address, std::chrono::steady_clock::time_point now);

private:
    struct Entry {
        int failures = 0;
        std::chrono::steady_clock::time_point window_start;
    };
    int max_failures_;
    std::chrono::seconds window_;
    std::mutex mutex_; // handlers run on the transport's thread pool
    std::map<std::string, Entry> entries_;
};

// POST /api/v1/enrol {"code": "ABCD-EFGH-JK", "device_id": "..."} -> {"device_id": ..., "token": ...}.
// `device_id` is optional; when given, only a code for that device is taken (a kiosk configured for
// another place must not take over this one). Every refusal of a code is the same 403, whatever the
// reason, so a guesser learns nothing about which codes exist.
void add_enrolment_routes(RouteTable& table, ServerStore& store, EnrolmentLimiter& limiter,
                          std::function<void(const std::string&)> log);

} // namespace buurtstem
