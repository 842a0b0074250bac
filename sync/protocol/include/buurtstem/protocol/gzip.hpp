// gzip for upload bodies (Content-Encoding: gzip, RFC 9110 8.4.1), with zlib. The kiosk compresses a
// batch when the server's replies say "Accept-Encoding: gzip" (RFC 7694); the server inflates it with
// a hard cap on the output, so a small body that inflates to gigabytes (a "zip bomb") costs at most the
// cap. See sync/PROTOCOL.md, "Compression".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "buurtstem/core/result.hpp"

namespace buurtstem::protocol {

// Level 1 of 9: on upload batches it keeps ~90 % of level 6's gain at a third of the CPU (a kiosk is
// a small machine, and the server pays nothing extra to inflate either).
inline constexpr int kGzipLevel = 1;

// A gzip member holding `data`. Never fails short of running out of memory (then std::bad_alloc).
std::string gzip(std::string_view data, int level = kGzipLevel);

struct InflateError {
    enum class Kind {
        NotGzip,  // not a gzip stream, corrupt, cut off, or bytes after its end
        TooLarge, // would inflate to more than the cap: refused, nothing more is inflated
    };
    Kind kind = Kind::NotGzip;
    std::string message;

    std::string to_string() const { return message; }
};

// The bytes a gzip member holds, at most `max_bytes` of them; memory used stays below the cap plus
// zlib's 32 KiB window, however the input was made. One member only (a kiosk sends one).
Result<std::string, InflateError> gunzip(std::string_view data, size_t max_bytes);

} // namespace buurtstem::protocol
