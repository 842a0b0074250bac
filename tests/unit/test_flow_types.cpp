// The flow with every question type, show-if and the quick poll; and each type's model (answer check,
// CSV cells, summary) as the server uses it.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/flow/resident_flow.hpp"

using namespace buurtstem;
using namespace std::chrono_literals;

namespace {

const char* const kTypes = R"toml(format = 1
id = "soorten"
version = 1
languages = ["nl", "en"]
title.nl = "Soorten"
title.en = "Types"

[[question]]
id = "gebruikt"
type = "yes_no"
text.nl = "Gebruikt u een regeling?"
text.en = "Do you use a scheme?"

[[question]]
id = "welke"
type = "multiple_choice"
min_choices = 2
max_choices = 3
show_if = { question = "gebruikt", equals = "yes" }
text.nl = "Welke?"
text.en = "Which?"
options = [
  { id = "sport", nl = "Sport", en = "Sport" },
  { id = "school", nl = "School", en = "School" },
  { id = "zorg", nl = "Zorg", en = "Care" },
  { id = "pas", nl = "Pas", en = "Card" },
]

[[question]]
id = "sport-goed"
type = "agree_scale"
show_if = { question = "welke", equals = "sport" }
text.nl = "Sport helpt."
text.en = "Sport helps."

[[question]]
id = "volgorde"
type = "ranking"
text.nl = "Wat is het belangrijkst?"
text.en = "What matters most?"
options = [
  { id = "geld", nl = "Geld", en = "Money" },
  { id = "hulp", nl = "Hulp", en = "Help" },
  { id = "info", nl = "Informatie", en = "Information" },
]
)toml";

const char* const kQuick = R"toml(format = 1
id = "snel"
version = 1
languages = ["nl"]
quick = true
title.nl = "Snel"

[[question]]
id = "blij"
type = "smiley_scale"
text.nl = "Hoe blij bent u?"
)toml";

Consultation load(const char* text) {
    auto parsed = parse_consultation(text, "test.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    return std::move(parsed).value();
}

struct Driver {
    const Consultation& c;
    ResidentFlow flow;
    Moment now = Moment::now();
    explicit Driver(const Consultation& consultation)
        : c(consultation), flow(consultation, FlowTimings{60s, 20s, 10s, 2s}) {}
    void send(FlowEventType type, std::string value = {}) {
        now = now.plus(100ms);
        flow.handle({type, std::move(value)}, now);
    }
    std::string on() const { return flow.current_question().id; }
};

} // namespace

TEST_CASE("show-if: a hidden question is stepped over forwards and backwards") {
    const Consultation c = load(kTypes);
    Driver d(c);
    d.send(FlowEventType::Start);
    CHECK(d.on() == "gebruikt");
    d.send(FlowEventType::Answer, "no");
    CHECK(d.flow.progress_position() == 1);
    CHECK(d.flow.progress_total() == 2); // welke and sport-goed are hidden
    d.send(FlowEventType::Next);
    CHECK(d.on() == "volgorde");
    CHECK(d.flow.progress_position() == 2);
    d.send(FlowEventType::Back);
    CHECK(d.on() == "gebruikt");

    d.send(FlowEventType::Answer, "yes");
    CHECK(d.flow.progress_total() == 3); // welke shown; sport-goed waits for its answer
    d.send(FlowEventType::Next);
    CHECK(d.on() == "welke");
    CHECK(d.flow.progress_position() == 2);
}

TEST_CASE("show-if: answers of questions that become hidden are dropped and never stored") {
    const Consultation c = load(kTypes);
    Driver d(c);
    d.send(FlowEventType::Start);
    d.send(FlowEventType::Answer, "yes");
    d.send(FlowEventType::Next);
    d.send(FlowEventType::Answer, "sport,zorg");
    d.send(FlowEventType::Next);
    CHECK(d.on() == "sport-goed"); // shown: "sport" is among the choices
    d.send(FlowEventType::Answer, "5");
    CHECK(d.flow.progress_total() == 4);
    // Back to the first question and change the answer: both dependent questions disappear, and their
    // answers with them (a chain: sport-goed depends on welke).
    d.send(FlowEventType::Back);
    d.send(FlowEventType::Back);
    CHECK(d.on() == "gebruikt");
    d.send(FlowEventType::Answer, "no");
    CHECK(d.flow.progress_total() == 2);
    d.send(FlowEventType::Next);
    CHECK(d.on() == "volgorde");
    d.send(FlowEventType::Answer, "info,geld");
    d.send(FlowEventType::Next);
    REQUIRE(d.flow.screen() == Screen::Saving);
    const auto& answers = d.flow.finished_answers().answers;
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].question_id == "gebruikt");
    CHECK(answers[0].value == "no");
    CHECK(answers[1].question_id == "volgorde");
    CHECK(answers[1].value == "info,geld");
}

TEST_CASE("multiple choice: Next waits for the minimum, a tap beyond the maximum is refused") {
    const Consultation c = load(kTypes);
    Driver d(c);
    d.send(FlowEventType::Start);
    d.send(FlowEventType::Answer, "yes");
    d.send(FlowEventType::Next);
    REQUIRE(d.on() == "welke");
    d.send(FlowEventType::Answer, "school");
    CHECK(d.flow.current_answer() == "school"); // a draft below the minimum of 2 is kept ...
    CHECK_FALSE(d.flow.can_go_next());          // ... but is no answer yet
    d.send(FlowEventType::Next);
    CHECK(d.on() == "welke");
    d.send(FlowEventType::Answer, "sport,school,pas");
    CHECK(d.flow.can_go_next());
    d.send(FlowEventType::Answer, "sport,school,zorg,pas"); // a fourth: above the maximum of 3
    CHECK(d.flow.answer_refused());
    CHECK(d.flow.current_answer() == "sport,school,pas");
    d.send(FlowEventType::Answer, "school,pas"); // any other event clears the notice
    CHECK_FALSE(d.flow.answer_refused());
    d.send(FlowEventType::Answer, "pas,school"); // not in option order: not a value the UI makes
    CHECK(d.flow.answer_refused());
    d.send(FlowEventType::Answer, "");
    CHECK(d.flow.current_answer().empty());
    CHECK(d.flow.can_skip());
}

TEST_CASE("ranking, agree scale and yes/no accept exactly their encodings") {
    const Consultation c = load(kTypes);
    const Question& yes_no = *c.find_question("gebruikt");
    const Question& agree = *c.find_question("sport-goed");
    const Question& ranking = *c.find_question("volgorde");
    const Question& multiple = *c.find_question("welke");
    for (const char* ok : {"yes", "no", "unknown"}) {
        CHECK_FALSE(check_answer(yes_no, ok).has_value());
    }
    for (const char* bad : {"", "ja", "Yes", "maybe"}) {
        CHECK(check_answer(yes_no, bad).has_value());
    }
    for (const char* ok : {"1", "3", "5"}) {
        CHECK_FALSE(check_answer(agree, ok).has_value());
    }
    for (const char* bad : {"0", "6", "", "helemaal eens"}) {
        CHECK(check_answer(agree, bad).has_value());
    }
    for (const char* ok : {"geld", "info,geld", "hulp,geld,info"}) {
        CHECK_FALSE(check_answer(ranking, ok).has_value());
    }
    for (const char* bad : {"", "geld,geld", "geld,", "x", "geld,hulp,info,x"}) {
        CAPTURE(bad);
        CHECK(check_answer(ranking, bad).has_value());
    }
    for (const char* ok : {"sport,school", "sport,zorg,pas"}) {
        CHECK_FALSE(check_answer(multiple, ok).has_value());
    }
    for (const char* bad : {"sport", "sport,school,zorg,pas", "school,sport", "sport,sport", "sport,x"}) {
        CAPTURE(bad);
        CHECK(check_answer(multiple, bad).has_value());
    }
}

TEST_CASE("ranking in the flow: taking an item out moves the later ones up") {
    const Consultation c = load(kTypes);
    Driver d(c);
    d.send(FlowEventType::Start);
    d.send(FlowEventType::Next); // gebruikt is optional
    REQUIRE(d.on() == "volgorde");
    d.send(FlowEventType::Answer, "hulp,geld,info");
    d.send(FlowEventType::Answer, "geld,info"); // the screen sends the list without "hulp"
    CHECK(d.flow.current_answer() == "geld,info");
    CHECK(d.flow.can_go_next());
}

TEST_CASE("the export and summary of each new type") {
    const Consultation c = load(kTypes);
    const Question& multiple = *c.find_question("welke");
    const Question& ranking = *c.find_question("volgorde");
    const auto columns = multiple.type->csv_columns(multiple, "nl");
    REQUIRE(columns.size() == 4);
    CHECK(columns[2].header == "welke: Zorg");
    CHECK(multiple.type->csv_cells(multiple, "sport,zorg", "nl") ==
          std::vector<std::string>{"1", "0", "1", "0"});
    CHECK(ranking.type->csv_cells(ranking, "info,geld", "nl") == std::vector<std::string>{"2", "", "1"});
    CHECK(ranking.type->csv_columns(ranking, "en")[2].header == "volgorde: Information");

    const auto counts = multiple.type->summarize(multiple, {"sport,school", "sport,zorg", ""}, "nl");
    REQUIRE(counts.size() == 4);
    CHECK(counts[0].label == "Sport");
    CHECK(counts[0].value == 2);
    CHECK(counts[3].value == 0);
    const auto ranks = ranking.type->summarize(ranking, {"info,geld", "geld"}, "nl");
    CHECK(ranks[0].value == doctest::Approx(1.5)); // geld: ranks 2 and 1
    CHECK(ranks[1].value == 0);                    // hulp: never ranked
    const Question& agree = *c.find_question("sport-goed");
    const auto scale = agree.type->summarize(agree, {"5", "4", "", "5"}, "nl");
    REQUIRE(scale.size() == 6);
    CHECK(scale[4].value == 2);
    CHECK(scale[5].label == "mean");
    CHECK(scale[5].value == doctest::Approx(14.0 / 3.0));
}

TEST_CASE("quick poll: the question is the start screen, one tap is a response, thanks for two seconds") {
    const Consultation c = load(kQuick);
    REQUIRE(c.quick);
    Driver d(c);
    CHECK(d.flow.screen() == Screen::Question);
    d.send(FlowEventType::Next); // no navigation in a quick poll
    d.send(FlowEventType::AskStop);
    CHECK_FALSE(d.flow.stop_confirmation_shown());
    CHECK(d.flow.screen() == Screen::Question);
    // Nobody there for minutes: no "Bent u er nog?" on a resting question.
    d.now = d.now.plus(10min);
    d.flow.tick(d.now);
    CHECK_FALSE(d.flow.idle_warning_shown());

    d.send(FlowEventType::Answer, "4");
    REQUIRE(d.flow.screen() == Screen::Saving);
    REQUIRE(d.flow.finished_answers().answers.size() == 1);
    CHECK(d.flow.finished_answers().answers[0].value == "4");
    d.flow.saved(d.now);
    CHECK(d.flow.screen() == Screen::Thanks);
    d.flow.tick(d.now.plus(1999ms));
    CHECK(d.flow.screen() == Screen::Thanks);
    d.flow.tick(d.now.plus(2s));
    CHECK(d.flow.screen() == Screen::Question);
    CHECK(d.flow.current_answer().empty()); // the next passer-by sees no answer
}
