// Any bytes a server (or whoever answers on its address) can reply with.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "buurtstem/protocol/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    (void)buurtstem::protocol::decode_reply(body);
    return 0;
}
