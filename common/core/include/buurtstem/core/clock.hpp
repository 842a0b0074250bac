#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace buurtstem {

// "2026-11-24T13:05:09Z": UTC, whole seconds. Sorts as text, reads in Excel, carries no time zone doubt.
std::string to_iso8601_utc(std::chrono::system_clock::time_point time);

// Parses exactly the form to_iso8601_utc writes, years 2000-2199; nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601_utc(std::string_view text);

inline std::string now_iso8601_utc() {
    return to_iso8601_utc(std::chrono::system_clock::now());
}

} // namespace buurtstem
