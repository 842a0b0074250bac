// The kiosk's own texts: every shipped language is complete, placeholders are filled, and a missing
// text is visible on screen instead of silently blank.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "buurtstem/i18n/catalog.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;

namespace {

const fs::path kShipped = fs::path(BUURTSTEM_SOURCE_DIR) / "assets" / "i18n";

Catalog load_shipped() {
    auto loaded = Catalog::load_folder(kShipped);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error()));
    return std::move(loaded).value();
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

// The "{name}" placeholders in a text.
std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> names;
    const std::regex pattern(R"(\{([a-z_]+)\})");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator();
         ++it) {
        names.insert((*it)[1].str());
    }
    return names;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("the shipped translations load with Dutch and English") {
    const Catalog catalog = load_shipped();
    const auto languages = catalog.languages();
    CHECK(std::find(languages.begin(), languages.end(), "nl") != languages.end());
    CHECK(std::find(languages.begin(), languages.end(), "en") != languages.end());
    CHECK(catalog.text("nl", "nav.next") == "Volgende");
    CHECK(catalog.text("en", "nav.next") == "Next");
    CHECK(catalog.text("nl", "language.name") == "Nederlands");
}

TEST_CASE("every shipped language has every key Dutch has, with the same placeholders") {
    const Catalog catalog = load_shipped();
    // Asking for a language that does not exist lists every Dutch key.
    const auto dutch_keys = catalog.missing_keys("xx");
    REQUIRE(dutch_keys.size() >= 20);
    for (const std::string& language : catalog.languages()) {
        CAPTURE(language);
        const auto missing = catalog.missing_keys(language);
        std::string list;
        for (const std::string& key : missing) {
            list += key + " ";
        }
        CHECK_MESSAGE(missing.empty(), "missing: " << list);
        for (const std::string& key : dutch_keys) {
            CAPTURE(key);
            const std::string text = catalog.text(language, key);
            CHECK_FALSE(text.empty());
            CHECK(placeholders(text) == placeholders(catalog.text("nl", key)));
        }
    }
}

TEST_CASE("format fills placeholders") {
    const Catalog catalog = load_shipped();
    CHECK(catalog.format("nl", "question.progress", {{"current", "2"}, {"total", "7"}}) == "Vraag 2 van 7");
    CHECK(catalog.format("en", "question.progress", {{"current", "2"}, {"total", "7"}}) == "Question 2 of 7");
    CHECK(catalog.format("nl", "text.characters_left", {{"count", "598"}}) == "Nog 598 tekens");
    // A placeholder without a value stays visible rather than vanishing.
    CHECK(catalog.format("nl", "question.progress", {{"current", "2"}}) == "Vraag 2 van {total}");
}

TEST_CASE("format replaces every occurrence and never re-expands a filled-in value") {
    buurtstem::test::TempDir dir;
    write_file(dir / "nl.toml", "[t]\ntwice = \"{a} en {a}\"\nself = \"<{a}>\"\n");
    auto loaded = Catalog::load_folder(dir.path());
    REQUIRE(loaded.ok());
    CHECK(loaded.value().format("nl", "t.twice", {{"a", "x"}}) == "x en x");
    CHECK(loaded.value().format("nl", "t.self", {{"a", "{a}{a}"}}) == "<{a}{a}>");
}

TEST_CASE("a missing key renders as [key]") {
    const Catalog catalog = load_shipped();
    CHECK(catalog.text("nl", "nav.bestaat_niet") == "[nav.bestaat_niet]");
    CHECK(catalog.text("en", "geen.sleutel") == "[geen.sleutel]");
    CHECK(catalog.format("en", "geen.sleutel", {{"count", "1"}}) == "[geen.sleutel]");
    // A section is not a text.
    CHECK(catalog.text("nl", "nav") == "[nav]");
}

TEST_CASE("a key a language lacks falls back to Dutch") {
    buurtstem::test::TempDir dir;
    write_file(dir / "nl.toml", "[nav]\nnext = \"Volgende\"\nback = \"Terug\"\n");
    write_file(dir / "tr.toml", "[nav]\nnext = \"Sonraki\"\n");
    write_file(dir / "LEESMIJ.txt", "not a translation");
    auto loaded = Catalog::load_folder(dir.path());
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error()));
    const Catalog& catalog = loaded.value();
    CHECK(catalog.languages() == std::vector<std::string>{"nl", "tr"});
    CHECK(catalog.text("tr", "nav.next") == "Sonraki");
    CHECK(catalog.text("tr", "nav.back") == "Terug");
    CHECK(catalog.text("de", "nav.back") == "Terug");
    CHECK(catalog.missing_keys("tr") == std::vector<std::string>{"nav.back"});
    CHECK(catalog.missing_keys("nl").empty());
}

TEST_CASE("a translations folder without Dutch is refused") {
    buurtstem::test::TempDir dir;
    write_file(dir / "en.toml", "[nav]\nnext = \"Next\"\n");
    auto loaded = Catalog::load_folder(dir.path());
    REQUIRE_FALSE(loaded.ok());
    CHECK(contains(loaded.error(), "nl.toml"));
}

TEST_CASE("a broken translation file is reported with its name and line") {
    buurtstem::test::TempDir dir;
    write_file(dir / "nl.toml", "[nav]\nnext = \"Volgende\"\n");

    SUBCASE("not TOML") {
        write_file(dir / "en.toml", "[nav]\nnext = \"Next\"\nback = \n");
        auto loaded = Catalog::load_folder(dir.path());
        REQUIRE_FALSE(loaded.ok());
        CHECK(contains(loaded.error(), (dir / "en.toml").string() + ":3:"));
    }
    SUBCASE("a value that is not text") {
        write_file(dir / "en.toml", "[nav]\nnext = \"Next\"\nback = 3\n");
        auto loaded = Catalog::load_folder(dir.path());
        REQUIRE_FALSE(loaded.ok());
        CHECK(contains(loaded.error(), (dir / "en.toml").string() + ":3:"));
        CHECK(contains(loaded.error(), "'nav.back'"));
    }
}

TEST_CASE("a translations folder that does not exist is an error naming it") {
    buurtstem::test::TempDir dir;
    auto loaded = Catalog::load_folder(dir / "nergens");
    REQUIRE_FALSE(loaded.ok());
    CHECK(contains(loaded.error(), "nergens"));
}
