// SpeechWorker: reads a screen aloud on a thread of its own, so neither synthesis nor playback ever holds
// up a frame. The UI thread asks (speak, pause, stop) and reads a snapshot (status); the worker tells it
// that the snapshot changed through `on_change` (the kiosk passes glfwPostEmptyEvent), never by touching
// the UI itself.
//
//   Idle --speak--> Preparing --synthesised--> Playing --played to the end--> Idle
//                        |                        |
//                        +--------pause-----------+--> Paused (a later speak starts from the top)
//   stop, or a new speak, from any state: what was playing ends at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct audio_object; // pcaudio's device, in the global namespace

namespace buurtstem::speech {

struct PcaudioApi; // pcaudio's functions, opened on first use (src/speech_library.hpp)

enum class SpeechState { Idle, Preparing, Playing, Paused };
const char* to_string(SpeechState state);

enum class AudioOutput {
    Device, // the sound card through pcaudio (PulseAudio, ALSA or OSS); the clock when there is none
    Clock,  // no device at all: speech "plays" for as long as it would last (tests, machines without sound)
};

// One sentence and the language whose voice speaks it: a screen may mix languages (the start screen ends
// with each language's name in its own voice).
struct Sentence {
    std::string text;
    std::string language;
};

struct SpeechStatus {
    SpeechState state = SpeechState::Idle;
    uint64_t request = 0;   // counts speak() calls: tells one reading from the next
    double seconds = 0.0;   // length of the reading being played
    std::string output;     // where the sound goes: "pcaudio" or "clock (...why...)"
    std::string last_error; // the last synthesis failure, empty when none
};

class SpeechWorker {
public:
    explicit SpeechWorker(std::function<void()> on_change, AudioOutput output = AudioOutput::Device);
    ~SpeechWorker();
    SpeechWorker(const SpeechWorker&) = delete;
    SpeechWorker& operator=(const SpeechWorker&) = delete;

    // Speaks `sentences` in `language`, replacing whatever was being said.
    void speak(const std::vector<std::string>& sentences, const std::string& language);
    // Speaks each sentence in its own language's voice, in order, replacing whatever was being said. A
    // sentence whose language has no voice is left out (its error in last_error); the rest is spoken.
    void speak(std::vector<Sentence> sentences);
    // Stops the sound now and shows Paused (only while Preparing or Playing).
    void pause();
    // Stops the sound now; Idle.
    void stop();

    SpeechStatus status() const;

private:
    void run();
    void play(const std::vector<int16_t>& samples, int rate, uint64_t generation);
    void set_state(SpeechState state, uint64_t generation);
    bool superseded(uint64_t generation) const { return generation_.load() != generation; }

    std::function<void()> on_change_;
    AudioOutput output_;
    mutable std::mutex lock_;
    std::condition_variable wake_;
    SpeechStatus status_;
    std::vector<Sentence> sentences_;
    bool pending_ = false;
    bool quit_ = false;
    // Bumped by every speak/pause/stop: whatever the worker is doing for an older number is abandoned.
    std::atomic<uint64_t> generation_{0};
    const PcaudioApi* pcaudio_ = nullptr;
    ::audio_object* device_ = nullptr;
    bool device_tried_ = false;
    std::thread thread_; // last: starts once everything above exists
};

} // namespace buurtstem::speech
