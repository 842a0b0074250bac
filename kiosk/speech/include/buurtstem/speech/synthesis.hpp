// Text to speech with espeak-ng, offline. espeak-ng is one engine per process with global state: every
// call here takes one lock, so the speech worker and a test may both use it without stepping on each other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "buurtstem/core/result.hpp"

namespace buurtstem::speech {

// Mono 16-bit samples.
struct Pcm {
    std::vector<int16_t> samples;
    int rate = 22050;

    double seconds() const { return rate > 0 ? static_cast<double>(samples.size()) / rate : 0.0; }
    // Root mean square and peak of the samples, 0..1 of full scale: how a test tells speech from silence.
    double rms() const;
    double peak() const;
};

// Synthesises `text` with the voice for `language` ("nl", "en", "tr", "pl", "ar"). `cancelled`, when
// given, is polled while espeak-ng works: once it returns true, synthesis stops and returns what it has.
// Errors name the language or espeak-ng's reason.
[[nodiscard]] Result<Pcm, std::string> synthesise(const std::string& text, const std::string& language,
                                                  bool (*cancelled)(const void*) = nullptr,
                                                  const void* cancel_context = nullptr);

// True when espeak-ng has a voice for `language` in its data folder.
bool has_voice(const std::string& language);

} // namespace buurtstem::speech
