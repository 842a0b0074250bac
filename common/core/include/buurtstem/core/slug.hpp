#pragma once

#include <algorithm>
#include <string_view>

namespace buurtstem {

// Ids that travel between kiosks, server and exports (device, consultation, question, option ids):
// 1 to 64 lower-case letters, digits, '-' or '_'. Safe as a CSV header, a file name and a log word.
inline bool is_slug(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

} // namespace buurtstem
