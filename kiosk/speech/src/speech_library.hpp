// espeak-ng and pcaudio, opened with dlopen on the first speech request instead of linked.
//
// Why: linked, the two pull ~25 shared libraries into the kiosk (PulseAudio, ALSA, libsndfile with its
// codecs, D-Bus, systemd, libgcrypt, ...), every one mapped and relocated before main() and searched by
// every later symbol lookup (Mesa's drivers are dlopen'ed while the window opens). That cost ~5 ms of
// CPU before the first frame, on a machine where the first frame is held to a bare window's (bench/).
// Opened here, on the speech worker's thread, when a resident first asks for speech.
//
// Only the functions this folder calls; their types come from the libraries' own headers, so a changed
// signature is a compile error, not a crash.
#pragma once

#include <espeak-ng/speak_lib.h>
#include <pcaudiolib/audio.h>

#include <string>

#include "buurtstem/core/result.hpp"

namespace buurtstem::speech {

struct EspeakApi {
    decltype(&::espeak_Initialize) initialize = nullptr;
    decltype(&::espeak_SetSynthCallback) set_synth_callback = nullptr;
    decltype(&::espeak_SetVoiceByName) set_voice_by_name = nullptr;
    decltype(&::espeak_SetParameter) set_parameter = nullptr;
    decltype(&::espeak_Synth) synth = nullptr;
};

struct PcaudioApi {
    decltype(&::create_audio_device_object) create_device = nullptr;
    decltype(&::audio_object_open) open = nullptr;
    decltype(&::audio_object_close) close = nullptr;
    decltype(&::audio_object_destroy) destroy = nullptr;
    decltype(&::audio_object_write) write = nullptr;
    decltype(&::audio_object_drain) drain = nullptr;
    decltype(&::audio_object_flush) flush = nullptr;
    decltype(&::audio_object_strerror) strerror = nullptr;
};

// libespeak-ng.so.1, opened once (later calls return the same table or the same error, thread-safe).
// The error names the library and dlerror()'s reason: speech is then unavailable, the kiosk runs on.
[[nodiscard]] Result<const EspeakApi*, std::string> espeak_api();

// libpcaudio.so.0, the same way.
[[nodiscard]] Result<const PcaudioApi*, std::string> pcaudio_api();

} // namespace buurtstem::speech
