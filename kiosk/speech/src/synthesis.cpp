#include "buurtstem/speech/synthesis.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "speech_library.hpp"

namespace buurtstem::speech {

double Pcm::rms() const {
    if (samples.empty()) {
        return 0.0;
    }
    double sum = 0.0;
    for (int16_t s : samples) {
        const double v = s / 32768.0;
        sum += v * v;
    }
    return std::sqrt(sum / static_cast<double>(samples.size()));
}

double Pcm::peak() const {
    int peak = 0;
    for (int16_t s : samples) {
        peak = std::max(peak, std::abs(static_cast<int>(s)));
    }
    return peak / 32768.0;
}

namespace {

std::mutex g_engine_lock;
int g_rate = 0;                      // 0: not initialised yet; -1: espeak-ng could not start
const EspeakApi* g_espeak = nullptr; // set once the library is open (espeak_api)

struct Collect {
    Pcm* pcm;
    bool (*cancelled)(const void*);
    const void* context;
};

int on_samples(short* wav, int count, espeak_EVENT* events) {
    // espeak-ng passes the user_data of espeak_Synth in every event of the list.
    auto* collect = static_cast<Collect*>(events != nullptr ? events->user_data : nullptr);
    if (collect == nullptr) {
        return 0;
    }
    if (wav != nullptr && count > 0) {
        collect->pcm->samples.insert(collect->pcm->samples.end(), wav, wav + count);
    }
    // Non-zero stops synthesis: a resident who changed screen must not wait for a long sentence.
    return collect->cancelled != nullptr && collect->cancelled(collect->context) ? 1 : 0;
}

// Call with g_engine_lock held. The first call opens libespeak-ng (speech_library.hpp): on the speech
// worker's thread, long after the kiosk's first frame.
bool ensure_engine(std::string& error) {
    if (g_rate == 0) {
        auto api = espeak_api();
        if (!api) {
            g_rate = -1;
        } else {
            g_espeak = *api;
            // SYNCHRONOUS: espeak_Synth returns once every sample has gone through on_samples; espeak-ng
            // opens no audio device of its own (playback is ours, so it can be paused and timed).
            g_rate = g_espeak->initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, nullptr, 0);
            if (g_rate <= 0) {
                g_rate = -1;
            } else {
                g_espeak->set_synth_callback(on_samples);
            }
        }
    }
    if (g_rate < 0) {
        auto api = espeak_api();
        error = api ? "espeak-ng could not start (is espeak-ng-data installed?)"
                    : "speech is unavailable: " + api.error();
        return false;
    }
    return true;
}

} // namespace

Result<Pcm, std::string> synthesise(const std::string& text, const std::string& language,
                                    bool (*cancelled)(const void*), const void* cancel_context) {
    std::lock_guard<std::mutex> lock(g_engine_lock);
    std::string error;
    if (!ensure_engine(error)) {
        return fail(error);
    }
    if (g_espeak->set_voice_by_name(language.c_str()) != EE_OK) {
        return fail("espeak-ng has no voice for language '" + language + "'");
    }
    // A little slower than espeak-ng's 175 words a minute: easier to follow for elderly residents and
    // for those listening in their second language.
    g_espeak->set_parameter(espeakRATE, 150, 0);
    Pcm pcm;
    pcm.rate = g_rate;
    Collect collect{&pcm, cancelled, cancel_context};
    const espeak_ERROR result = g_espeak->synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                                espeakCHARS_UTF8, nullptr, &collect);
    if (result != EE_OK) {
        return fail("espeak-ng could not speak the text (error " + std::to_string(static_cast<int>(result)) +
                    ")");
    }
    return pcm;
}

bool has_voice(const std::string& language) {
    std::lock_guard<std::mutex> lock(g_engine_lock);
    std::string error;
    return ensure_engine(error) && g_espeak->set_voice_by_name(language.c_str()) == EE_OK;
}

} // namespace buurtstem::speech
