// The server's answer check beyond one answer at a time: show-if (an answer to a question the resident
// was never asked is refused, with its path in the response), and how a yes_no answer reads in the CSV.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/server/ingest.hpp"
#include "test_support.hpp"

using namespace buurtstem;

namespace {

const std::filesystem::path kDemo =
    std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" / "minimaregelingen.toml";

Consultation load_demo() {
    auto loaded = load_consultation_file(kDemo);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    return std::move(loaded).value();
}

// A chain of show-ifs: "soort" only after "woont" = "ja", "hoelang" only after "soort" is huur or koop.
constexpr const char* kChain = R"(format = 1
id = "keten"
version = 1
languages = ["nl"]
title.nl = "Keten"

[[question]]
id = "woont"
type = "yes_no"
text.nl = "Woont u hier?"

[[question]]
id = "soort"
type = "multiple_choice"
show_if = { question = "woont", equals = "yes" }
text.nl = "Wat voor huis?"
options = [ { id = "huur", nl = "Huur" }, { id = "koop", nl = "Koop" }, { id = "anders", nl = "Anders" } ]

[[question]]
id = "hoelang"
type = "smiley_scale"
show_if = { question = "soort", in = ["huur", "koop"] }
text.nl = "Hoe woont u?"
)";

Consultation load_chain() {
    auto parsed = parse_consultation(kChain, "keten.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    return std::move(parsed).value();
}

CompletedResponse response_to(const Consultation& c, std::vector<Answer> answers) {
    CompletedResponse r;
    r.id = "6b0549a4-ed7b-4d92-a6ab-196aa5f796c9";
    r.consultation_id = c.id;
    r.consultation_version = c.version;
    r.device_id = "kiosk-a";
    r.language = "nl";
    r.started_at = "2026-11-24T13:05:09Z";
    r.completed_at = "2026-11-24T13:08:40Z";
    r.answers = std::move(answers);
    return r;
}

} // namespace

TEST_CASE("the server refuses an answer to a question whose show-if does not hold, naming its path") {
    const ConsultationCatalog catalog({load_demo()});
    const Consultation& c = *catalog.find("minimaregelingen-ijmond", 1);

    // Asked: "gebruikt" is "ja".
    CHECK(check_response(
              catalog,
              response_to(c, {{"kent-regelingen", "nee"}, {"gebruikt", "ja"}, {"welke-gebruikt", "zorg"}}))
              .empty());
    // Not asked: "gebruikt" is "nee".
    CHECK(check_response(catalog, response_to(c, {{"kent-regelingen", "nee"},
                                                  {"gebruikt", "nee"},
                                                  {"welke-gebruikt", "zorg"}})) ==
          "answers[2]: question 'welke-gebruikt' is only asked when 'gebruikt' is 'ja'; this response "
          "answers 'gebruikt' with 'nee'");
    // Not asked: "gebruikt" skipped. The answer's own place in the response is named.
    CHECK(check_response(catalog, response_to(c, {{"welke-gebruikt", "zorg"}, {"kent-regelingen", "nee"}})) ==
          "answers[0]: question 'welke-gebruikt' is only asked when 'gebruikt' is 'ja'; this response has no "
          "answer to 'gebruikt'");
    // Without the hidden answer the same response is fine.
    CHECK(check_response(catalog, response_to(c, {{"kent-regelingen", "nee"}, {"gebruikt", "nee"}})).empty());
}

TEST_CASE("show-if on the server: 'in' values, a multiple choice as condition, and a chain") {
    const Consultation chain = load_chain();
    const ConsultationCatalog catalog({chain});
    const Consultation& c = *catalog.find("keten", 1);

    CHECK(check_response(catalog,
                         response_to(c, {{"woont", "yes"}, {"soort", "koop,anders"}, {"hoelang", "4"}}))
              .empty());
    CHECK(
        check_response(catalog, response_to(c, {{"woont", "yes"}, {"soort", "anders"}, {"hoelang", "4"}})) ==
        "answers[2]: question 'hoelang' is only asked when 'soort' is 'huur' or 'koop'; this response "
        "answers 'soort' with 'anders'");
    // "soort" itself hidden: both its answer and the one that depends on it are out; the first is named.
    CHECK(check_response(catalog, response_to(c, {{"woont", "no"}, {"soort", "huur"}, {"hoelang", "4"}})) ==
          "answers[1]: question 'soort' is only asked when 'woont' is 'yes'; this response answers 'woont' "
          "with 'no'");
    CHECK(
        check_response(catalog, response_to(c, {{"woont", "no"}, {"hoelang", "4"}})) ==
        "answers[1]: question 'hoelang' is only asked when 'soort' is 'huur' or 'koop', and 'soort' itself "
        "was not asked: question 'soort' is only asked when 'woont' is 'yes'; this response answers 'woont' "
        "with 'no'");
}

TEST_CASE("the kiosk's flow and the server share one show-if rule") {
    const Consultation c = load_chain();
    // By question index: woont, soort, hoelang.
    CHECK(is_question_shown(c, 0, {"", "", ""}));
    CHECK_FALSE(is_question_shown(c, 1, {"", "", ""}));
    CHECK(is_question_shown(c, 1, {"yes", "", ""}));
    CHECK_FALSE(is_question_shown(c, 2, {"yes", "anders", ""}));
    CHECK(is_question_shown(c, 2, {"yes", "anders,huur", ""}));
    CHECK_FALSE(is_question_shown(c, 2, {"unknown", "huur", ""})); // its condition's question is hidden
    CHECK_FALSE(why_question_hidden(c, 2, {"yes", "huur", ""}).has_value());
    REQUIRE(why_question_hidden(c, 1, {"no", "", ""}).has_value());
}

TEST_CASE("a yes_no answer reads as ja / nee / weet ik niet in the CSV, as options show their labels") {
    const Consultation c = load_demo();
    const Question& q = *c.find_question("hulp-bij-aanvragen");
    REQUIRE(q.type_name() == "yes_no");
    REQUIRE(q.type->csv_columns(q, "nl").size() == 1);
    CHECK(q.type->csv_cells(q, "yes", "nl") == std::vector<std::string>{"ja"});
    CHECK(q.type->csv_cells(q, "no", "nl") == std::vector<std::string>{"nee"});
    CHECK(q.type->csv_cells(q, "unknown", "nl") == std::vector<std::string>{"weet ik niet"});
    // An English export reads English, like the option labels beside it.
    CHECK(q.type->csv_cells(q, "yes", "en") == std::vector<std::string>{"yes"});
    CHECK(q.type->csv_cells(q, "unknown", "en") == std::vector<std::string>{"don't know"});
    // Other export languages get the Dutch words (the council's own language).
    CHECK(q.type->csv_cells(q, "no", "tr") == std::vector<std::string>{"nee"});
}
