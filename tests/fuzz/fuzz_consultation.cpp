// Any consultation file a council employee (or a broken download) can produce: parse_consultation
// must return a consultation or an error with a place, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "buurtstem/consultation/consultation_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto consultation = buurtstem::parse_consultation(text, "fuzz.toml");
    if (consultation) {
        // The loader's promises: at least one question, Dutch among the languages, every text there.
        if (consultation->questions.empty() || !consultation->offers_language("nl") ||
            consultation->title.in("nl").empty()) {
            __builtin_trap();
        }
    }
    return 0;
}
