// Any bytes a server (or whoever answers on its address) can send as a consultation bundle: decoded,
// then verified (signature, then the TOML inside) with a fixed council key.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "buurtstem/protocol/bundle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto decoded = buurtstem::bundle::decode_bundle(body);
    if (decoded) {
        (void)buurtstem::bundle::verify_bundle(*decoded, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    }
    return 0;
}
