#include "buurtstem/core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace buurtstem {

std::string to_iso8601_utc(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text) {
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text[19] != 'Z') {
        return std::nullopt;
    }
    std::tm utc{};
    char* end = strptime(std::string(text).c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (end == nullptr) {
        return std::nullopt;
    }
    // system_clock counts nanoseconds in 64 bits and overflows past the year 2262; no response is
    // that old or that new, so a year outside 2000-2199 is refused rather than wrapped (found by fuzzing).
    if (utc.tm_year + 1900 < 2000 || utc.tm_year + 1900 > 2199) {
        return std::nullopt;
    }
    const auto time = std::chrono::system_clock::from_time_t(timegm(&utc));
    // timegm normalises 2026-02-30 to 03-02 and :60 to the next minute; only a time that reads back
    // the same is the time that was meant.
    if (to_iso8601_utc(time) != text) {
        return std::nullopt;
    }
    return time;
}

} // namespace buurtstem
