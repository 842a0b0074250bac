// Consultation files: the shipped demo loads, every kind of mistake a council employee can make is
// reported at the right line, and answers are checked against their question.
//
// Each malformed file in tests/data/consultations/ is one scenario (curl's tests/data style). Its first
// line says what the loader must report:
//     # expect: <line>: <part of the message>
// Adding a scenario is adding a file; the test below picks it up.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;

namespace {

const fs::path kDemo = fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" / "minimaregelingen.toml";
const fs::path kBadFolder = fs::path(BUURTSTEM_TEST_DATA_DIR) / "consultations";

// A small valid consultation to vary in the tests that need one.
const char* const kSmall = R"toml(format = 1
id = "klein"
version = 3
languages = ["nl", "en"]
title.nl = "Titel"
title.en = "Title"

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
id = "tekst"
type = "free_text"
max_length = 10
text.nl = "Uw idee"
text.en = "Your idea"
)toml";

struct Expectation {
    int line = -1;
    std::string message;
};

// Reads "# expect: <line>: <message part>" from the first line of a scenario file.
Expectation read_expectation(const fs::path& file) {
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    const std::string prefix = "# expect: ";
    Expectation e;
    if (first.rfind(prefix, 0) != 0) {
        return e;
    }
    const std::string rest = first.substr(prefix.size());
    const size_t colon = rest.find(": ");
    if (colon == std::string::npos) {
        return e;
    }
    e.line = std::stoi(rest.substr(0, colon));
    e.message = rest.substr(colon + 2);
    return e;
}

std::vector<fs::path> scenario_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(kBadFolder)) {
        if (entry.path().extension() == ".toml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

} // namespace

TEST_CASE("the shipped demo consultation loads completely") {
    auto loaded = load_consultation_file(kDemo);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    const Consultation& c = loaded.value();

    CHECK(c.id == "minimaregelingen-ijmond");
    CHECK(c.version == 1);
    CHECK(c.languages == std::vector<std::string>{"nl", "en", "tr", "pl", "ar"});
    CHECK(c.default_language() == "nl");
    CHECK(c.source == kDemo.string());
    CHECK(c.questions.size() >= 5);
    CHECK(c.questions.size() <= 10);

    // The demo shows every question type and one show-if.
    auto has_type = [&](std::string_view type) {
        return std::any_of(c.questions.begin(), c.questions.end(),
                           [&](const Question& q) { return q.type_name() == type; });
    };
    for (const char* type : {"single_choice", "multiple_choice", "smiley_scale", "agree_scale", "yes_no",
                             "ranking", "free_text"}) {
        CAPTURE(type);
        CHECK(has_type(type));
    }
    CHECK(std::any_of(c.questions.begin(), c.questions.end(),
                      [](const Question& q) { return !q.show_if_question.empty(); }));
    CHECK_FALSE(c.quick);

    auto in_both = [](const LocalizedText& text) {
        return text.has("nl") && text.has("en") && !text.in("nl").empty() && !text.in("en").empty();
    };
    CHECK(in_both(c.title));
    CHECK(in_both(c.intro));
    for (const Question& q : c.questions) {
        CAPTURE(q.id);
        CHECK(in_both(q.text));
        if (!q.hint.empty()) {
            CHECK(in_both(q.hint));
        }
        for (const Option& o : q.options) {
            CAPTURE(o.id);
            CHECK(in_both(o.label));
        }
        if (q.type_name() == "single_choice" || q.type_name() == "multiple_choice" ||
            q.type_name() == "ranking") {
            CHECK(q.options.size() >= 2);
        } else {
            CHECK(q.options.empty());
        }
        for (const auto& [language, labels] : q.scale_labels) {
            CHECK(labels.size() == static_cast<size_t>(kSmileyPoints));
        }
    }
    // The first question must be answered; the rest may be skipped.
    CHECK(c.questions.front().required);
    REQUIRE(c.find_question("ideeen") != nullptr);
    CHECK(c.find_question("ideeen")->max_length == 600);
    CHECK(c.find_question("bestaat-niet") == nullptr);
}

TEST_CASE("the config folder loads as a folder") {
    auto loaded = load_consultation_folder(kDemo.parent_path());
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    REQUIRE(loaded.value().size() == 2); // sorted by file name
    CHECK(loaded.value()[0].id == "minimaregelingen-ijmond");
    CHECK(loaded.value()[1].id == "snelle-peiling-hulp-weten");
    CHECK(loaded.value()[1].quick);
}

TEST_CASE("every malformed consultation in tests/data is refused at the line it names") {
    const std::vector<fs::path> files = scenario_files();
    REQUIRE(files.size() >= 15);
    for (const fs::path& file : files) {
        CAPTURE(file.filename().string());
        const Expectation expected = read_expectation(file);
        REQUIRE_MESSAGE(expected.line >= 0, "first line must be '# expect: <line>: <message part>'");

        auto loaded = load_consultation_file(file);
        REQUIRE_FALSE(loaded.ok());
        const ConsultationError& error = loaded.error();
        CAPTURE(error.to_string());
        CHECK(error.file == file.string());
        CHECK(error.line == expected.line);
        CHECK(contains(error.message, expected.message));
        CHECK(error.to_string().rfind(file.string() + ":", 0) == 0);
        if (error.line > 0) {
            CHECK(error.column > 0);
            CHECK(contains(error.to_string(), ":" + std::to_string(error.line) + ":"));
        }
    }
}

TEST_CASE("a missing consultation file is reported without a line") {
    buurtstem::test::TempDir dir;
    const fs::path missing = dir / "bestaat-niet.toml";
    auto loaded = load_consultation_file(missing);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().line == 0);
    CHECK(loaded.error().column == 0);
    CHECK(loaded.error().file == missing.string());
    CHECK(loaded.error().to_string().rfind(missing.string() + ": ", 0) == 0);
    CHECK(contains(loaded.error().message, "cannot open"));
}

TEST_CASE("a folder stops at its first broken file, sorted by name") {
    auto loaded = load_consultation_folder(kBadFolder);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().file == scenario_files().front().string());
}

TEST_CASE("a folder loads every .toml file in name order and ignores other files") {
    buurtstem::test::TempDir dir;
    std::string second = kSmall;
    second.replace(second.find("id = \"klein\""), std::string("id = \"klein\"").size(), "id = \"b-tweede\"");
    std::string first = kSmall;
    first.replace(first.find("id = \"klein\""), std::string("id = \"klein\"").size(), "id = \"a-eerste\"");
    write_file(dir / "2.toml", second);
    write_file(dir / "1.toml", first);
    write_file(dir / "notities.txt", "geen toml");

    auto loaded = load_consultation_folder(dir.path());
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    REQUIRE(loaded.value().size() == 2);
    CHECK(loaded.value()[0].id == "a-eerste");
    CHECK(loaded.value()[1].id == "b-tweede");
}

TEST_CASE("a folder that does not exist is an error naming it") {
    buurtstem::test::TempDir dir;
    auto loaded = load_consultation_folder(dir / "nergens");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().line == 0);
    CHECK(contains(loaded.error().to_string(), "nergens"));
}

TEST_CASE("parse_consultation reads every field of a question") {
    auto parsed = parse_consultation(kSmall, "klein.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    const Consultation& c = parsed.value();
    CHECK(c.source == "klein.toml");
    CHECK(c.version == 3);
    CHECK(c.intro.empty());
    REQUIRE(c.questions.size() == 3);

    const Question& choice = c.questions[0];
    CHECK(choice.id == "keuze");
    CHECK(choice.type_name() == "single_choice");
    CHECK(choice.required);
    REQUIRE(choice.options.size() == 2);
    CHECK(choice.options[0].id == "ja");
    CHECK(choice.options[1].label.in("en") == "No");
    CHECK(choice.find_option("nee") == &choice.options[1]);
    CHECK(choice.find_option("misschien") == nullptr);

    const Question& smiley = c.questions[1];
    CHECK(smiley.type_name() == "smiley_scale");
    CHECK_FALSE(smiley.required);
    CHECK(smiley.scale_labels.empty());

    const Question& text = c.questions[2];
    CHECK(text.type_name() == "free_text");
    CHECK(text.max_length == 10);
    CHECK(text.text.in("de") == "Uw idee"); // falls back to Dutch
}

TEST_CASE("a parse error names the source given to parse_consultation") {
    auto parsed = parse_consultation("format = \n", "van-het-scherm");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().file == "van-het-scherm");
    CHECK(parsed.error().line == 1);
    CHECK(parsed.error().to_string().rfind("van-het-scherm:1:", 0) == 0);
}

TEST_CASE("the question-type registry finds every type by its file name") {
    for (const char* name : {"single_choice", "multiple_choice", "smiley_scale", "agree_scale", "yes_no",
                             "ranking", "free_text"}) {
        CAPTURE(name);
        const QuestionType* type = find_question_type(name);
        REQUIRE(type != nullptr);
        CHECK(type->name() == name);
        CHECK(contains(question_type_list(), name));
    }
    CHECK(find_question_type("multiple_choise") == nullptr);
    CHECK(find_question_type("") == nullptr);
}

TEST_CASE("check_answer accepts exactly the values a question allows") {
    auto parsed = parse_consultation(kSmall, "klein.toml");
    REQUIRE(parsed.ok());
    const Question& choice = parsed.value().questions[0];
    const Question& smiley = parsed.value().questions[1];
    const Question& text = parsed.value().questions[2];

    SUBCASE("single choice") {
        CHECK_FALSE(check_answer(choice, "ja").has_value());
        CHECK_FALSE(check_answer(choice, "nee").has_value());
        auto problem = check_answer(choice, "misschien");
        REQUIRE(problem.has_value());
        CHECK(contains(*problem, "misschien"));
        CHECK(contains(*problem, "keuze"));
        CHECK(check_answer(choice, "").has_value());
        CHECK(check_answer(choice, "Ja").has_value());
    }
    SUBCASE("smiley scale") {
        for (const char* ok : {"1", "2", "3", "4", "5"}) {
            CAPTURE(ok);
            CHECK_FALSE(check_answer(smiley, ok).has_value());
        }
        for (const char* bad : {"0", "6", "", "3.5", "3 ", " 3", "-1", "drie", "05x"}) {
            CAPTURE(bad);
            CHECK(check_answer(smiley, bad).has_value());
        }
    }
    SUBCASE("free text counts characters, not bytes") {
        CHECK_FALSE(check_answer(text, "kort").has_value());
        CHECK_FALSE(check_answer(text, "0123456789").has_value());
        CHECK(check_answer(text, "01234567890").has_value());
        // Nine characters in fifteen bytes: é and ë take two bytes each, ✓ three.
        const std::string nine = "ééëë✓abcd";
        REQUIRE(nine.size() == 15);
        CHECK(utf8_length(nine) == 9);
        CHECK_FALSE(check_answer(text, nine + "e").has_value());
        CHECK(check_answer(text, nine + "ee").has_value());
        CHECK(check_answer(text, "").has_value());
    }
}

TEST_CASE("utf8_length counts code points") {
    CHECK(utf8_length("") == 0);
    CHECK(utf8_length("abc") == 3);
    CHECK(utf8_length("café") == 4);
    CHECK(utf8_length("€") == 1);
    CHECK(utf8_length("😀!") == 2);
    CHECK(utf8_length("één") == 3);
}

TEST_CASE("LocalizedText falls back to the fallback language, then to any") {
    LocalizedText both(std::map<std::string, std::string>{{"nl", "Hallo"}, {"en", "Hello"}});
    CHECK(both.in("en") == "Hello");
    CHECK(both.in("tr") == "Hallo");
    CHECK(both.in("tr", "en") == "Hello");
    LocalizedText english_only(std::map<std::string, std::string>{{"en", "Hello"}});
    CHECK(english_only.in("tr") == "Hello");
    CHECK_FALSE(english_only.has("nl"));
    LocalizedText none;
    CHECK(none.empty());
    CHECK(none.in("nl").empty());
}

TEST_CASE("the catalog finds versions and the latest one") {
    auto v3 = parse_consultation(kSmall, "klein-3.toml");
    REQUIRE(v3.ok());
    std::string text_v5 = kSmall;
    text_v5.replace(text_v5.find("version = 3"), std::string("version = 3").size(), "version = 5");
    auto v5 = parse_consultation(text_v5, "klein-5.toml");
    REQUIRE(v5.ok());

    ConsultationCatalog catalog({v5.value(), v3.value()});
    CHECK(catalog.size() == 2);
    REQUIRE(catalog.find("klein", 3) != nullptr);
    CHECK(catalog.find("klein", 3)->source == "klein-3.toml");
    CHECK(catalog.find("klein", 4) == nullptr);
    CHECK(catalog.find("groot", 3) == nullptr);
    REQUIRE(catalog.latest("klein") != nullptr);
    CHECK(catalog.latest("klein")->version == 5);
    CHECK(catalog.latest("groot") == nullptr);
}

TEST_CASE("two files with the same consultation id and version are refused, naming both") {
    buurtstem::test::TempDir dir;
    const std::string demo = buurtstem::test::read_file(kDemo);
    write_file(dir / "a-oud.toml", demo);
    write_file(dir / "b-nieuw.toml", demo);
    auto loaded = load_consultation_folder(dir.path());
    REQUIRE_FALSE(loaded.ok());
    CHECK(contains(loaded.error().to_string(), "b-nieuw.toml"));
    CHECK(contains(loaded.error().to_string(), "a-oud.toml"));
    CHECK(contains(loaded.error().to_string(), "raise 'version'"));
}
