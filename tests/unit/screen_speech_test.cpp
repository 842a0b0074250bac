// What the speaker button reads on the start screen: the screen in the resident's language, then every
// language button's name in that language's own voice, from assets/i18n; and each name really sounds.
#include <doctest/doctest.h>

#include <algorithm>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "buurtstem/speech/speech_worker.hpp"
#include "buurtstem/speech/synthesis.hpp"
#include "buurtstem/ui/screen_sentences.hpp"
#include "test_support.hpp"

using namespace buurtstem;

namespace {

Consultation demo() {
    auto consultation = load_consultation_file(std::filesystem::path(BUURTSTEM_SOURCE_DIR) /
                                               "config/consultations/minimaregelingen.toml");
    REQUIRE_MESSAGE(consultation.ok(), (consultation.ok() ? "" : consultation.error().to_string()));
    return std::move(*consultation);
}

Catalog interface_texts() {
    auto texts = Catalog::load_folder(std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "assets/i18n");
    REQUIRE(texts.ok());
    return std::move(*texts);
}

} // namespace

TEST_CASE("the start screen's speech ends with every language's name in its own voice, after the screen") {
    const Consultation c = demo();
    const Catalog texts = interface_texts();
    REQUIRE(c.languages.size() == 5);
    ResidentFlow flow(c, FlowTimings{});
    for (const std::string resident : {"nl", "ar"}) {
        CAPTURE(resident);
        if (resident != flow.language()) {
            flow.handle({FlowEventType::ChooseLanguage, resident}, Moment::now());
        }
        const std::vector<ui::SpokenSentence> speech = ui::ScreenSpeech(flow, texts);
        const std::vector<std::string> screen = ui::ScreenSentences(flow, texts);
        REQUIRE(speech.size() == screen.size() + c.languages.size());
        // First the screen, as ScreenSentences reads it, in the resident's voice ...
        for (size_t i = 0; i < screen.size(); ++i) {
            CHECK(speech[i] == ui::SpokenSentence{screen[i], resident});
        }
        // ... then the buttons, in their order, each in its language: "Türkçe" in the Turkish voice.
        for (size_t i = 0; i < c.languages.size(); ++i) {
            const std::string& code = c.languages[i];
            const ui::SpokenSentence& said = speech[screen.size() + i];
            CHECK(said.language == code);
            CHECK(said.text == texts.text(code, "language.name"));
        }
    }
    const auto has = [](const std::vector<ui::SpokenSentence>& speech, const ui::SpokenSentence& s) {
        return std::find(speech.begin(), speech.end(), s) != speech.end();
    };
    const auto start = ui::ScreenSpeech(flow, texts);
    CHECK(has(start, {"Nederlands", "nl"}));
    CHECK(has(start, {"Türkçe", "tr"}));
    CHECK(has(start, {"العربية", "ar"}));

    // A question has no language buttons: only the resident's voice.
    flow.handle({FlowEventType::Start, {}}, Moment::now());
    REQUIRE(flow.screen() == Screen::Question);
    for (const ui::SpokenSentence& s : ui::ScreenSpeech(flow, texts)) {
        CHECK(s.language == "ar");
    }
}

TEST_CASE("espeak-ng says every language's name in that language, audibly") {
    const Catalog texts = interface_texts();
    for (const std::string code : {"nl", "en", "tr", "pl", "ar"}) {
        CAPTURE(code);
        const std::string name = texts.text(code, "language.name");
        REQUIRE_FALSE(name.empty());
        auto pcm = speech::synthesise(name, code);
        REQUIRE_MESSAGE(pcm, (pcm ? "" : pcm.error()));
        // One word: shorter than a sentence, but a word, not a click (see speech_test.cpp for the levels).
        CHECK(pcm->seconds() > 0.25);
        CHECK(pcm->rms() > 0.02);
        CHECK(pcm->peak() > 0.2);
    }
}

TEST_CASE("the speech worker reads each sentence in its own voice and leaves out a language without one") {
    using namespace std::chrono_literals;
    speech::SpeechWorker worker([] {}, speech::AudioOutput::Clock);
    worker.speak(
        std::vector<speech::Sentence>{{"Nederlands", "nl"}, {"hallo", "xx-nonexistent"}, {"Türkçe", "tr"}});
    REQUIRE(test::eventually([&] { return worker.status().state == speech::SpeechState::Playing; }, 10s));
    const speech::SpeechStatus status = worker.status();
    CHECK(status.seconds > 0.5); // two names and the gaps after them
    CHECK(status.last_error.find("xx-nonexistent") != std::string::npos);
    worker.stop();
    CHECK(worker.status().state == speech::SpeechState::Idle);
}
