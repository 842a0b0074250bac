#include "buurtstem/speech/speech_worker.hpp"

#include <chrono>

#include "buurtstem/speech/synthesis.hpp"
#include "speech_library.hpp"

namespace buurtstem::speech {

const char* to_string(SpeechState state) {
    switch (state) {
    case SpeechState::Idle:
        return "idle";
    case SpeechState::Preparing:
        return "preparing";
    case SpeechState::Playing:
        return "playing";
    case SpeechState::Paused:
        return "paused";
    }
    return "idle";
}

namespace {

struct CancelCheck {
    const std::atomic<uint64_t>* generation;
    uint64_t mine;
};

bool cancelled(const void* context) {
    const auto* check = static_cast<const CancelCheck*>(context);
    return check->generation->load() != check->mine;
}

// Between sentences: a pause a listener can hear, as after a full stop.
constexpr double kSentenceGap = 0.35;
// Playback is written in slices this long, so a pause or stop is heard within about this time.
constexpr double kSlice = 0.1;

} // namespace

SpeechWorker::SpeechWorker(std::function<void()> on_change, AudioOutput output)
    : on_change_(std::move(on_change)), output_(output), thread_([this] { run(); }) {
    status_.output = output == AudioOutput::Clock ? "clock (no audio device asked for)" : "not opened yet";
}

SpeechWorker::~SpeechWorker() {
    {
        std::lock_guard<std::mutex> guard(lock_);
        quit_ = true;
        ++generation_;
    }
    wake_.notify_all();
    thread_.join();
    if (device_ != nullptr) {
        pcaudio_->close(device_);
        pcaudio_->destroy(device_);
    }
}

void SpeechWorker::speak(const std::vector<std::string>& sentences, const std::string& language) {
    std::vector<Sentence> spoken;
    for (const std::string& text : sentences) {
        spoken.push_back({text, language});
    }
    speak(std::move(spoken));
}

void SpeechWorker::speak(std::vector<Sentence> sentences) {
    {
        std::lock_guard<std::mutex> guard(lock_);
        ++generation_;
        sentences_ = std::move(sentences);
        pending_ = true;
        ++status_.request;
        status_.state = SpeechState::Preparing;
        status_.seconds = 0.0;
    }
    wake_.notify_all();
}

void SpeechWorker::pause() {
    {
        std::lock_guard<std::mutex> guard(lock_);
        if (status_.state != SpeechState::Preparing && status_.state != SpeechState::Playing) {
            return;
        }
        ++generation_;
        pending_ = false;
        status_.state = SpeechState::Paused;
    }
    wake_.notify_all();
}

void SpeechWorker::stop() {
    {
        std::lock_guard<std::mutex> guard(lock_);
        if (status_.state == SpeechState::Idle) {
            return;
        }
        ++generation_;
        pending_ = false;
        status_.state = SpeechState::Idle;
    }
    wake_.notify_all();
}

SpeechStatus SpeechWorker::status() const {
    std::lock_guard<std::mutex> guard(lock_);
    return status_;
}

void SpeechWorker::set_state(SpeechState state, uint64_t generation) {
    {
        std::lock_guard<std::mutex> guard(lock_);
        if (superseded(generation)) {
            return; // the UI thread has moved on; its own call already set the state
        }
        status_.state = state;
    }
    if (on_change_) {
        on_change_();
    }
}

void SpeechWorker::run() {
    std::unique_lock<std::mutex> guard(lock_);
    for (;;) {
        wake_.wait(guard, [this] { return quit_ || pending_; });
        if (quit_) {
            return;
        }
        pending_ = false;
        const uint64_t generation = generation_.load();
        const std::vector<Sentence> sentences = sentences_;
        guard.unlock();

        std::vector<int16_t> samples;
        int rate = 22050;
        std::string error;
        const CancelCheck check{&generation_, generation};
        for (const Sentence& sentence : sentences) {
            if (sentence.text.empty() || superseded(generation)) {
                continue;
            }
            auto pcm = synthesise(sentence.text, sentence.language, cancelled, &check);
            if (!pcm) {
                // One language without a voice silences only its own sentences (a language name on the
                // start screen); when it is the screen's language, nothing is said and the error stays.
                error = pcm.error();
                continue;
            }
            rate = pcm->rate;
            samples.insert(samples.end(), pcm->samples.begin(), pcm->samples.end());
            samples.insert(samples.end(), static_cast<size_t>(kSentenceGap * rate), int16_t{0});
        }

        guard.lock();
        if (superseded(generation)) {
            continue;
        }
        if (samples.empty()) {
            status_.last_error = error;
            status_.state = SpeechState::Idle;
            guard.unlock();
            if (on_change_) {
                on_change_();
            }
            guard.lock();
            continue;
        }
        status_.seconds = static_cast<double>(samples.size()) / rate;
        status_.last_error = error;
        guard.unlock();
        set_state(SpeechState::Playing, generation);
        play(samples, rate, generation);
        set_state(SpeechState::Idle, generation);
        guard.lock();
    }
}

// Runs on the worker thread without the lock, except for the clock's wait.
void SpeechWorker::play(const std::vector<int16_t>& samples, int rate, uint64_t generation) {
    if (output_ == AudioOutput::Device && !device_tried_) {
        device_tried_ = true;
        std::string output = "pcaudio";
        auto api = pcaudio_api(); // opened now, on this thread (speech_library.hpp)
        if (api) {
            pcaudio_ = *api;
            device_ = pcaudio_->create_device(nullptr, "buurtstem-kiosk", "Read-aloud");
        }
        if (!api) {
            output = "clock (" + api.error() + ")";
        } else if (device_ == nullptr) {
            output = "clock (no audio system found)";
        } else if (const int err =
                       pcaudio_->open(device_, AUDIO_OBJECT_FORMAT_S16LE, static_cast<uint32_t>(rate), 1);
                   err != 0) {
            output = std::string("clock (no audio device: ") + pcaudio_->strerror(device_, err) + ")";
            pcaudio_->destroy(device_);
            device_ = nullptr;
        }
        std::lock_guard<std::mutex> guard(lock_);
        status_.output = output;
    }
    const size_t slice = static_cast<size_t>(kSlice * rate);
    if (device_ != nullptr) {
        for (size_t at = 0; at < samples.size(); at += slice) {
            if (superseded(generation)) {
                pcaudio_->flush(device_); // drop what is queued: a pause is heard at once
                return;
            }
            const size_t n = std::min(slice, samples.size() - at);
            if (pcaudio_->write(device_, samples.data() + at, n * sizeof(int16_t)) != 0) {
                break; // the device went away mid-sentence; the reading simply ends
            }
        }
        pcaudio_->drain(device_);
        return;
    }
    // No device: the reading lasts as long as it would have sounded, and stops when asked.
    const auto end = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(samples.size()) / rate));
    std::unique_lock<std::mutex> guard(lock_);
    wake_.wait_until(guard, end, [&] { return quit_ || superseded(generation); });
}

} // namespace buurtstem::speech
