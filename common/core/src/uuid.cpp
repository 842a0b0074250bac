#include "buurtstem/core/uuid.hpp"

#include <sodium.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace buurtstem {

namespace {

void ensure_sodium() {
    // sodium_init is thread-safe and idempotent; it returns -1 only when the OS has no entropy source.
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise its random number generator");
    }
}

std::string to_hex(const uint8_t* data, size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (size_t i = 0; i < size; ++i) {
        out.push_back(digits[data[i] >> 4]);
        out.push_back(digits[data[i] & 0x0f]);
    }
    return out;
}

} // namespace

std::string new_uuid_v4() {
    ensure_sodium();
    std::array<uint8_t, 16> b{};
    randombytes_buf(b.data(), b.size());
    b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40); // version 4
    b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
    const std::string hex = to_hex(b.data(), b.size());
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
           "-" + hex.substr(20, 12);
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36) {
        return false;
    }
    for (size_t i = 0; i < text.size(); ++i) {
        const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_position ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
            return false;
        }
    }
    return true;
}

std::string random_hex(size_t bytes) {
    ensure_sodium();
    std::vector<uint8_t> b(bytes);
    randombytes_buf(b.data(), b.size());
    return to_hex(b.data(), b.size());
}

} // namespace buurtstem
