// Read-aloud: espeak-ng really speaks every kiosk language, and the speech worker's state machine pauses,
// stops and finishes without a sound card (the clock output), as on CI.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>

#include "buurtstem/speech/speech_worker.hpp"
#include "buurtstem/speech/synthesis.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace buurtstem::speech;
using namespace buurtstem::test;
using namespace std::chrono_literals;

TEST_CASE("espeak-ng speaks a sentence in each kiosk language, audibly") {
    const std::pair<const char*, const char*> sentences[] = {
        {"nl", "Wat vindt u van de buurt?"},
        {"en", "What do you think of the neighbourhood?"},
        {"tr", "Mahalle hakkında ne düşünüyorsunuz?"},
        {"pl", "Co pan myśli o okolicy?"},
        {"ar", "ما رأيك في الحي؟"},
    };
    for (const auto& [language, text] : sentences) {
        CAPTURE(language);
        REQUIRE(has_voice(language));
        auto pcm = synthesise(text, language);
        REQUIRE_MESSAGE(pcm, (pcm ? "" : pcm.error()));
        CHECK(pcm->rate > 8000);
        CHECK(pcm->seconds() > 0.3);
        // Silence (or a voice that only clicks) has an RMS near 0; espeak-ng's speech is about 0.1.
        CHECK(pcm->rms() > 0.02);
        CHECK(pcm->peak() > 0.2);
    }
}

TEST_CASE("a language espeak-ng has no voice for is an error naming it") {
    auto pcm = synthesise("hallo", "xx-nonexistent");
    REQUIRE_FALSE(pcm);
    CHECK(pcm.error().find("xx-nonexistent") != std::string::npos);
}

TEST_CASE("the speech worker plays, pauses, stops and ends by itself, and tells the UI each time") {
    std::atomic<int> changes{0};
    SpeechWorker worker([&] { ++changes; }, AudioOutput::Clock);
    CHECK(worker.status().state == SpeechState::Idle);

    worker.speak({"Dit is een zin.", "En dit is er nog een."}, "nl");
    CHECK(worker.status().request == 1);
    REQUIRE(eventually([&] { return worker.status().state == SpeechState::Playing; }, 10s));
    CHECK(worker.status().seconds > 1.0);
    CHECK(worker.status().output.find("clock") == 0);
    CHECK(changes.load() >= 1);

    worker.pause();
    CHECK(worker.status().state == SpeechState::Paused);
    worker.stop();
    CHECK(worker.status().state == SpeechState::Idle);

    // A short word plays to its end and the worker comes back to Idle on its own.
    worker.speak({"Ja."}, "nl");
    REQUIRE(eventually([&] { return worker.status().state == SpeechState::Playing; }, 10s));
    REQUIRE(eventually([&] { return worker.status().state == SpeechState::Idle; }, 10s));
    CHECK(worker.status().request == 2);
}

TEST_CASE("the speech worker stops within a slice when destroyed mid-sentence") {
    const auto start = std::chrono::steady_clock::now();
    {
        SpeechWorker worker({}, AudioOutput::Clock);
        worker.speak({"Een lange zin die veel langer duurt dan de test wil wachten, echt heel erg lang."},
                     "nl");
        REQUIRE(eventually([&] { return worker.status().state == SpeechState::Playing; }, 10s));
    }
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE(
    "with the sound card asked for, speech plays to it or, without one, to the clock, and never hangs") {
    SpeechWorker worker({}, AudioOutput::Device);
    worker.speak({"Ja."}, "nl");
    REQUIRE(eventually([&] { return worker.status().state == SpeechState::Playing; }, 10s));
    REQUIRE(eventually([&] { return worker.status().state == SpeechState::Idle; }, 10s));
    const std::string output = worker.status().output;
    CAPTURE(output);
    CHECK((output == "pcaudio" || output.find("clock (") == 0));
}
