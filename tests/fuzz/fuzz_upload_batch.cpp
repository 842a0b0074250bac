// Any bytes a kiosk (or anyone with a token) can send as an upload body: decode_batch must return a
// value or an error, never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "buurtstem/protocol/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto batch = buurtstem::protocol::decode_batch(body);
    if (batch) {
        // What decodes must encode and decode again to the same thing.
        auto again = buurtstem::protocol::decode_batch(buurtstem::protocol::encode_batch(*batch));
        if (!again || again->responses.size() != batch->responses.size()) {
            __builtin_trap();
        }
    }
    return 0;
}
