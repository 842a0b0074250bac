#include "speech_library.hpp"

#include <dlfcn.h>

#include <mutex>

namespace buurtstem::speech {

namespace {

// A library opened for good (never dlclose'd: espeak-ng keeps global state and threads of its own), or
// why it could not be.
struct Opened {
    void* handle = nullptr;
    std::string error;
};

Opened open_library(const char* soname) {
    dlerror();
    void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        return {nullptr, std::string(soname) + " could not be loaded: " + (why != nullptr ? why : "unknown")};
    }
    return {handle, {}};
}

// Fills `fn` with `name` from `opened`; on the first missing symbol, says which in opened.error.
template <class Fn>
void bind(Opened& opened, const char* soname, Fn& fn, const char* name) {
    if (!opened.error.empty()) {
        return;
    }
    fn = reinterpret_cast<Fn>(dlsym(opened.handle, name));
    if (fn == nullptr) {
        opened.error = std::string(soname) + " has no " + name + " (another version of the library?)";
    }
}

} // namespace

Result<const EspeakApi*, std::string> espeak_api() {
    static EspeakApi api;
    static std::string error;
    static std::once_flag once;
    std::call_once(once, [] {
        constexpr const char* kSoname = "libespeak-ng.so.1";
        Opened lib = open_library(kSoname);
        bind(lib, kSoname, api.initialize, "espeak_Initialize");
        bind(lib, kSoname, api.set_synth_callback, "espeak_SetSynthCallback");
        bind(lib, kSoname, api.set_voice_by_name, "espeak_SetVoiceByName");
        bind(lib, kSoname, api.set_parameter, "espeak_SetParameter");
        bind(lib, kSoname, api.synth, "espeak_Synth");
        error = lib.error;
    });
    if (!error.empty()) {
        return fail(error);
    }
    return &api;
}

Result<const PcaudioApi*, std::string> pcaudio_api() {
    static PcaudioApi api;
    static std::string error;
    static std::once_flag once;
    std::call_once(once, [] {
        constexpr const char* kSoname = "libpcaudio.so.0";
        Opened lib = open_library(kSoname);
        bind(lib, kSoname, api.create_device, "create_audio_device_object");
        bind(lib, kSoname, api.open, "audio_object_open");
        bind(lib, kSoname, api.close, "audio_object_close");
        bind(lib, kSoname, api.destroy, "audio_object_destroy");
        bind(lib, kSoname, api.write, "audio_object_write");
        bind(lib, kSoname, api.drain, "audio_object_drain");
        bind(lib, kSoname, api.flush, "audio_object_flush");
        bind(lib, kSoname, api.strerror, "audio_object_strerror");
        error = lib.error;
    });
    if (!error.empty()) {
        return fail(error);
    }
    return &api;
}

} // namespace buurtstem::speech
