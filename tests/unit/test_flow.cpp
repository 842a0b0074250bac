// The resident's pass through a consultation, driven event by event. Time moves only through
// Moment::plus, so the inactivity timers are tested to the millisecond without sleeping.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/flow/resident_flow.hpp"

using namespace buurtstem;
using namespace std::chrono_literals;

namespace {

const char* const kConsultation = R"toml(format = 1
id = "proef"
version = 1
languages = ["nl", "en"]
title.nl = "Proef"
title.en = "Trial"

[[question]]
id = "keuze"
type = "single_choice"
required = true
text.nl = "Doet u mee?"
text.en = "Will you take part?"
options = [
  { id = "ja", nl = "Ja", en = "Yes" },
  { id = "nee", nl = "Nee", en = "No" },
]

[[question]]
id = "gezicht"
type = "smiley_scale"
text.nl = "Hoe tevreden bent u?"
text.en = "How happy are you?"

[[question]]
id = "idee"
type = "free_text"
max_length = 20
text.nl = "Uw idee"
text.en = "Your idea"

[[question]]
id = "laatste"
type = "single_choice"
text.nl = "Nog iets?"
text.en = "Anything else?"
options = [
  { id = "a", nl = "A", en = "A" },
  { id = "b", nl = "B", en = "B" },
]
)toml";

const FlowTimings kTimings{60s, 20s, 10s};

Consultation load() {
    auto parsed = parse_consultation(kConsultation, "proef.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    return std::move(parsed).value();
}

FlowEvent ev(FlowEventType type, std::string value = {}) {
    return FlowEvent{type, std::move(value)};
}

// A flow plus the clock it runs on. `after` moves time forward and delivers an event at that moment.
struct Kiosk {
    Consultation consultation = load();
    ResidentFlow flow{consultation, kTimings};
    Moment now = Moment::now();

    void send(FlowEventType type, std::string value = {}) { flow.handle(ev(type, std::move(value)), now); }
    void after(std::chrono::milliseconds delta, FlowEventType type, std::string value = {}) {
        now = now.plus(delta);
        send(type, std::move(value));
    }
    void wait(std::chrono::milliseconds delta) {
        now = now.plus(delta);
        flow.tick(now);
    }
};

} // namespace

TEST_CASE("a resident answers, skips and finishes - answers come out in question order") {
    Kiosk k;
    CHECK(k.flow.screen() == Screen::Start);
    CHECK(k.flow.language() == "nl");
    CHECK(k.flow.question_count() == 4);

    k.send(FlowEventType::ChooseLanguage, "en");
    CHECK(k.flow.language() == "en");
    const auto started = k.now.plus(2s).wall;
    k.after(2s, FlowEventType::Start);
    REQUIRE(k.flow.screen() == Screen::Question);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.current_question().id == "keuze");
    CHECK(k.flow.current_answer().empty());

    k.after(3s, FlowEventType::Answer, "ja");
    CHECK(k.flow.current_answer() == "ja");
    k.after(1s, FlowEventType::Next);
    CHECK(k.flow.question_index() == 1);
    CHECK(k.flow.current_answer().empty());

    k.after(2s, FlowEventType::Answer, "4");
    k.after(1s, FlowEventType::Next);
    CHECK(k.flow.question_index() == 2);
    CHECK_FALSE(k.flow.is_last_question());

    k.after(2s, FlowEventType::Skip);
    CHECK(k.flow.question_index() == 3);
    CHECK(k.flow.is_last_question());

    k.after(2s, FlowEventType::Answer, "b");
    const auto completed = k.now.plus(1s).wall;
    k.after(1s, FlowEventType::Next);
    REQUIRE(k.flow.screen() == Screen::Saving);

    const FinishedAnswers& done = k.flow.finished_answers();
    CHECK(done.language == "en");
    CHECK(done.started == started);
    CHECK(done.completed == completed);
    REQUIRE(done.answers.size() == 3);
    CHECK(done.answers[0].question_id == "keuze");
    CHECK(done.answers[0].value == "ja");
    CHECK(done.answers[1].question_id == "gezicht");
    CHECK(done.answers[1].value == "4");
    CHECK(done.answers[2].question_id == "laatste");
    CHECK(done.answers[2].value == "b");

    k.flow.saved(k.now);
    CHECK(k.flow.screen() == Screen::Thanks);
    CHECK(k.flow.abandoned_count() == 0);
}

TEST_CASE("an answer cleared with an empty value, or skipped after answering, is left out") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "nee");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "2");
    k.send(FlowEventType::Answer, ""); // cleared again
    CHECK(k.flow.current_answer().empty());
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "Meer bankjes");
    k.send(FlowEventType::Skip); // skipping throws the typed text away
    k.send(FlowEventType::Skip);
    REQUIRE(k.flow.screen() == Screen::Saving);
    REQUIRE(k.flow.finished_answers().answers.size() == 1);
    CHECK(k.flow.finished_answers().answers[0].question_id == "keuze");
    CHECK(k.flow.finished_answers().language == "nl");
}

TEST_CASE("a required question blocks Next and Skip until it is answered") {
    Kiosk k;
    k.send(FlowEventType::Start);
    REQUIRE(k.flow.current_question().required);
    CHECK_FALSE(k.flow.can_go_next());
    CHECK_FALSE(k.flow.can_skip());
    k.send(FlowEventType::Next);
    CHECK(k.flow.question_index() == 0);
    k.send(FlowEventType::Skip);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.screen() == Screen::Question);

    k.send(FlowEventType::Answer, "ja");
    CHECK(k.flow.can_go_next());
    CHECK_FALSE(k.flow.can_skip());
    k.send(FlowEventType::Skip);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.current_answer() == "ja");
    k.send(FlowEventType::Next);
    CHECK(k.flow.question_index() == 1);

    // An optional question can be left either way.
    CHECK(k.flow.can_go_next());
    CHECK(k.flow.can_skip());
}

TEST_CASE("Back goes one question back with its answer, and from the first question to an empty Start") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "5");
    k.send(FlowEventType::Back);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.current_answer() == "ja");
    k.send(FlowEventType::Next);
    CHECK(k.flow.current_answer() == "5");

    k.send(FlowEventType::Back);
    k.send(FlowEventType::Back);
    CHECK(k.flow.screen() == Screen::Start);
    CHECK(k.flow.current_answer().empty()); // nothing is on screen
    CHECK(k.flow.abandoned_count() == 1);

    // Whoever taps Start next, within a second or an hour, begins with nothing filled in.
    k.send(FlowEventType::ChooseLanguage, "en");
    k.send(FlowEventType::Start);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.language() == "en");
    CHECK(k.flow.current_answer().empty());
    CHECK_FALSE(k.flow.can_go_next()); // the required first question is empty again
    k.send(FlowEventType::Answer, "nee");
    k.send(FlowEventType::Next);
    CHECK(k.flow.question_index() == 1);
    CHECK(k.flow.current_answer().empty()); // and so is the second, answered "5" before
}

TEST_CASE("Back to Start keeps the chosen language") {
    Kiosk k;
    k.send(FlowEventType::ChooseLanguage, "en");
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Back);
    CHECK(k.flow.screen() == Screen::Start);
    CHECK(k.flow.language() == "en");
    CHECK(k.flow.abandoned_count() == 0); // nothing was answered, nothing abandoned
}

TEST_CASE("stopping asks first - confirming throws the answers away and counts an abandoned pass") {
    Kiosk k;
    k.send(FlowEventType::ChooseLanguage, "en");
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "3");

    k.send(FlowEventType::AskStop);
    CHECK(k.flow.stop_confirmation_shown());
    // Under the confirmation nothing else reacts.
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "1");
    CHECK(k.flow.question_index() == 1);
    CHECK(k.flow.current_answer() == "3");

    SUBCASE("cancel keeps everything") {
        k.send(FlowEventType::CancelStop);
        CHECK_FALSE(k.flow.stop_confirmation_shown());
        CHECK(k.flow.screen() == Screen::Question);
        CHECK(k.flow.question_index() == 1);
        CHECK(k.flow.current_answer() == "3");
        CHECK(k.flow.abandoned_count() == 0);
    }
    SUBCASE("confirm resets") {
        k.send(FlowEventType::ConfirmStop);
        CHECK(k.flow.screen() == Screen::Start);
        CHECK_FALSE(k.flow.stop_confirmation_shown());
        CHECK(k.flow.abandoned_count() == 1);
        CHECK(k.flow.language() == "nl");

        k.send(FlowEventType::Start);
        CHECK(k.flow.question_index() == 0);
        CHECK(k.flow.current_answer().empty());
        k.send(FlowEventType::Answer, "nee");
        k.send(FlowEventType::Next);
        CHECK(k.flow.current_answer().empty());
    }
}

TEST_CASE("after idle_warning without a touch the kiosk asks 'Bent u er nog' - StillHere keeps the answers") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "2");

    k.wait(59'999ms);
    CHECK_FALSE(k.flow.idle_warning_shown());
    CHECK(k.flow.idle_seconds_left(k.now) == 0);
    k.wait(1ms);
    REQUIRE(k.flow.idle_warning_shown());
    CHECK(k.flow.idle_seconds_left(k.now) == 20);
    CHECK(k.flow.idle_seconds_left(k.now.plus(5500ms)) == 15);

    k.wait(19s);
    REQUIRE(k.flow.idle_warning_shown());
    CHECK(k.flow.screen() == Screen::Question);
    k.send(FlowEventType::StillHere);
    CHECK_FALSE(k.flow.idle_warning_shown());
    CHECK(k.flow.screen() == Screen::Question);
    CHECK(k.flow.question_index() == 1);
    CHECK(k.flow.current_answer() == "2");
    CHECK(k.flow.abandoned_count() == 0);

    // The idle timer starts again from StillHere.
    k.wait(59s);
    CHECK_FALSE(k.flow.idle_warning_shown());
    k.wait(1s);
    CHECK(k.flow.idle_warning_shown());
}

TEST_CASE("any event postpones the idle warning") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.wait(50s);
    k.after(0ms, FlowEventType::Touch);
    k.wait(59s);
    CHECK_FALSE(k.flow.idle_warning_shown());
    k.after(0ms, FlowEventType::Answer, "ja");
    k.wait(59s);
    CHECK_FALSE(k.flow.idle_warning_shown());
    k.wait(1s);
    CHECK(k.flow.idle_warning_shown());
    CHECK(k.flow.current_answer() == "ja");
}

TEST_CASE("with no answer to the idle warning the kiosk starts over: answers gone, language back to Dutch") {
    Kiosk k;
    k.send(FlowEventType::ChooseLanguage, "en");
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "4");
    k.send(FlowEventType::AskStop); // a half-finished stop question does not hold the reset back

    k.wait(60s);
    REQUIRE(k.flow.idle_warning_shown());
    CHECK_FALSE(k.flow.stop_confirmation_shown());
    k.wait(19'999ms);
    CHECK(k.flow.screen() == Screen::Question);
    k.wait(1ms);
    CHECK(k.flow.screen() == Screen::Start);
    CHECK_FALSE(k.flow.idle_warning_shown());
    CHECK(k.flow.language() == "nl");
    CHECK(k.flow.abandoned_count() == 1);

    k.send(FlowEventType::Start);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.current_answer().empty());
    CHECK(k.flow.language() == "nl");
}

TEST_CASE("while the idle warning is up, only StillHere does anything") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Answer, "3");
    k.wait(60s);
    REQUIRE(k.flow.idle_warning_shown());

    for (FlowEvent stray :
         {ev(FlowEventType::Answer, "5"), ev(FlowEventType::Answer, ""), ev(FlowEventType::Next),
          ev(FlowEventType::Skip), ev(FlowEventType::Back), ev(FlowEventType::AskStop),
          ev(FlowEventType::ConfirmStop), ev(FlowEventType::ChooseLanguage, "en"), ev(FlowEventType::Start),
          ev(FlowEventType::RetrySave), ev(FlowEventType::ThanksDone)}) {
        CAPTURE(static_cast<int>(stray.type));
        k.flow.handle(stray, k.now);
        CHECK(k.flow.screen() == Screen::Question);
        CHECK(k.flow.question_index() == 1);
        CHECK(k.flow.current_answer() == "3");
        CHECK(k.flow.idle_warning_shown());
        CHECK_FALSE(k.flow.stop_confirmation_shown());
        CHECK(k.flow.language() == "nl");
    }
    k.send(FlowEventType::StillHere);
    CHECK_FALSE(k.flow.idle_warning_shown());
    CHECK(k.flow.current_answer() == "3");
}

TEST_CASE("answers a question cannot have are ignored") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "misschien");
    CHECK(k.flow.current_answer().empty());
    CHECK_FALSE(k.flow.can_go_next());
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Answer, "Ja");
    CHECK(k.flow.current_answer() == "ja");
    k.send(FlowEventType::Next);

    for (const char* bad : {"0", "6", "3.5", "drie", "a"}) {
        CAPTURE(bad);
        k.send(FlowEventType::Answer, bad);
        CHECK(k.flow.current_answer().empty());
    }
    k.send(FlowEventType::Answer, "5");
    k.send(FlowEventType::Answer, "9");
    CHECK(k.flow.current_answer() == "5");
    k.send(FlowEventType::Next);

    k.send(FlowEventType::Answer, "twintig tekens: klaar"); // 21 characters, over max_length 20
    CHECK(k.flow.current_answer().empty());
    k.send(FlowEventType::Answer, "één idee van €20 ✓"); // 18 characters in more than 20 bytes
    CHECK(k.flow.current_answer() == "één idee van €20 ✓");
}

TEST_CASE("a failed save keeps the answers for a retry") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Skip);
    k.send(FlowEventType::Skip);
    k.send(FlowEventType::Skip);
    REQUIRE(k.flow.screen() == Screen::Saving);

    // Saving ignores the resident and the timers.
    k.send(FlowEventType::Back);
    k.wait(10min);
    CHECK(k.flow.screen() == Screen::Saving);

    k.flow.save_failed(k.now);
    REQUIRE(k.flow.screen() == Screen::SaveFailed);
    REQUIRE(k.flow.finished_answers().answers.size() == 1);
    CHECK(k.flow.finished_answers().answers[0].value == "ja");
    k.wait(10min);
    CHECK(k.flow.screen() == Screen::SaveFailed);
    k.flow.saved(k.now); // not saving: ignored
    CHECK(k.flow.screen() == Screen::SaveFailed);

    k.send(FlowEventType::RetrySave);
    CHECK(k.flow.screen() == Screen::Saving);
    CHECK(k.flow.finished_answers().answers.size() == 1);
    k.flow.saved(k.now);
    CHECK(k.flow.screen() == Screen::Thanks);
    CHECK(k.flow.abandoned_count() == 0);
}

TEST_CASE("the thank-you screen returns to Start by itself or on ThanksDone, ready for the next resident") {
    Kiosk k;
    k.send(FlowEventType::ChooseLanguage, "en");
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    k.send(FlowEventType::Next);
    k.send(FlowEventType::Skip);
    k.send(FlowEventType::Skip);
    k.send(FlowEventType::Skip);
    k.flow.saved(k.now);
    REQUIRE(k.flow.screen() == Screen::Thanks);

    SUBCASE("after the thanks timeout") {
        k.wait(9'999ms);
        CHECK(k.flow.screen() == Screen::Thanks);
        k.wait(1ms);
        CHECK(k.flow.screen() == Screen::Start);
    }
    SUBCASE("on ThanksDone") {
        k.send(FlowEventType::ThanksDone);
        CHECK(k.flow.screen() == Screen::Start);
    }
    CHECK(k.flow.language() == "nl");
    CHECK(k.flow.abandoned_count() == 0);
    k.send(FlowEventType::Start);
    CHECK(k.flow.question_index() == 0);
    CHECK(k.flow.current_answer().empty());
}

TEST_CASE("the start screen: unknown languages are ignored, a left-over language goes back to Dutch") {
    Kiosk k;
    k.send(FlowEventType::ChooseLanguage, "de");
    CHECK(k.flow.language() == "nl");
    k.send(FlowEventType::Next); // nothing to go to
    CHECK(k.flow.screen() == Screen::Start);

    k.send(FlowEventType::ChooseLanguage, "en");
    k.wait(60s);
    CHECK_FALSE(k.flow.idle_warning_shown()); // no warning on the start screen
    k.wait(19s);
    CHECK(k.flow.language() == "en");
    k.wait(1s);
    CHECK(k.flow.language() == "nl");
    CHECK(k.flow.screen() == Screen::Start);
    CHECK(k.flow.abandoned_count() == 0);
}

TEST_CASE("a retried save keeps the response id, so a save that did land is not stored twice") {
    Kiosk k;
    k.send(FlowEventType::Start);
    k.send(FlowEventType::Answer, "ja");
    while (k.flow.screen() == Screen::Question) {
        k.send(k.flow.can_skip() ? FlowEventType::Skip : FlowEventType::Next);
    }
    REQUIRE(k.flow.screen() == Screen::Saving);
    const std::string id = k.flow.finished_answers().id;
    CHECK(is_uuid(id));
    k.flow.save_failed(k.now);
    k.send(FlowEventType::RetrySave);
    REQUIRE(k.flow.screen() == Screen::Saving);
    CHECK(k.flow.finished_answers().id == id);
    const CompletedResponse r =
        to_completed_response(k.flow.consultation(), k.flow.finished_answers(), "kiosk-1");
    CHECK(r.id == id);
    CHECK(r.device_id == "kiosk-1");
    CHECK(r.consultation_version == k.flow.consultation().version);
    CHECK(r.answers.size() == 1);
}
