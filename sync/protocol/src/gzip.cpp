#include "buurtstem/protocol/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <new>

namespace buurtstem::protocol {

namespace {

constexpr int kGzipWindowBits = 15 + 16; // 32 KiB window, gzip header and trailer (not raw zlib)

// zlib counts in uInt; feed it pieces that fit.
uInt piece(size_t left) {
    return static_cast<uInt>(std::min<size_t>(left, UINT_MAX / 2));
}

} // namespace

std::string gzip(std::string_view data, int level) {
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::bad_alloc();
    }
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    size_t in_left = data.size();
    size_t out_left = out.size();
    int rc = Z_OK;
    while (rc == Z_OK) {
        // deflateBound() promises room for the whole stream; pieces only matter above 2 GiB.
        z.avail_in = piece(in_left);
        z.avail_out = piece(out_left);
        const uInt in_given = z.avail_in;
        const uInt out_given = z.avail_out;
        rc = deflate(&z, in_left == in_given ? Z_FINISH : Z_NO_FLUSH);
        in_left -= in_given - z.avail_in;
        out_left -= out_given - z.avail_out;
    }
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        throw std::bad_alloc(); // only when deflateBound lied, i.e. never
    }
    out.resize(out.size() - out_left);
    return out;
}

Result<std::string, InflateError> gunzip(std::string_view data, size_t max_bytes) {
    z_stream z{};
    if (inflateInit2(&z, kGzipWindowBits) != Z_OK) {
        throw std::bad_alloc();
    }
    struct End {
        z_stream* z;
        ~End() { inflateEnd(z); }
    } end{&z};
    std::string out;
    // Grow as it inflates, never past the cap (+1 byte, to tell "exactly the cap" from "more").
    out.resize(std::min<size_t>(max_bytes + 1, std::max<size_t>(data.size() * 4, 64 * 1024)));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    size_t in_left = data.size();
    size_t produced = 0;
    for (;;) {
        if (produced == out.size()) {
            if (out.size() > max_bytes) {
                return fail(
                    InflateError{InflateError::Kind::TooLarge,
                                 "gzip body inflates to more than " + std::to_string(max_bytes) + " bytes"});
            }
            out.resize(std::min<size_t>(max_bytes + 1, out.size() * 2));
        }
        z.avail_in = piece(in_left);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
        z.avail_out = piece(out.size() - produced);
        const uInt in_given = z.avail_in;
        const uInt out_given = z.avail_out;
        const int rc = inflate(&z, Z_NO_FLUSH);
        in_left -= in_given - z.avail_in;
        produced += out_given - z.avail_out;
        if (produced > max_bytes) {
            return fail(InflateError{InflateError::Kind::TooLarge, "gzip body inflates to more than " +
                                                                       std::to_string(max_bytes) + " bytes"});
        }
        if (rc == Z_STREAM_END) {
            if (in_left != 0) {
                return fail(InflateError{InflateError::Kind::NotGzip,
                                         std::to_string(in_left) + " bytes after the end of the gzip data"});
            }
            out.resize(produced);
            return out;
        }
        if (rc == Z_BUF_ERROR && in_left == 0 && produced < out.size()) {
            return fail(InflateError{InflateError::Kind::NotGzip, "gzip data is cut off"});
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return fail(InflateError{InflateError::Kind::NotGzip, std::string("not valid gzip data (") +
                                                                      (z.msg ? z.msg : "zlib error") + ")"});
        }
    }
}

} // namespace buurtstem::protocol
