// The five languages as data (issue 8): every interface file has exactly the keys Dutch has, each
// language button can show its own name, the machine-assisted translations say they await a native
// speaker, and both demo consultations have every text in every language they list.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;

namespace {

const fs::path kSource = BUURTSTEM_SOURCE_DIR;
const std::vector<std::string> kFive = {"nl", "en", "tr", "pl", "ar"};
// Translations made with machine help; a council must have them checked before residents see them.
const std::vector<std::string> kAwaitingCheck = {"tr", "pl", "ar"};
// Metadata about a file, not a text shown to residents: only the files that need a check carry it.
const std::string kTranslationSection = "translation.";

Catalog load_shipped() {
    auto loaded = Catalog::load_folder(kSource / "assets" / "i18n");
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error()));
    return std::move(loaded).value();
}

Consultation load_demo(const std::string& file) {
    auto loaded = load_consultation_file(kSource / "config" / "consultations" / file);
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    return std::move(loaded).value();
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += item + " ";
    }
    return out;
}

// Every text of `c` in `language`, named by where it is, for the checks below.
std::vector<std::pair<std::string, std::string>> consultation_texts(const Consultation& c,
                                                                    const std::string& language) {
    std::vector<std::pair<std::string, std::string>> texts;
    auto add = [&](const std::string& where, const LocalizedText& text) {
        texts.emplace_back(where, text.has(language) ? text.all().at(language) : std::string());
    };
    add("title", c.title);
    if (!c.intro.empty()) {
        add("intro", c.intro);
    }
    for (const Question& q : c.questions) {
        add(q.id + ".text", q.text);
        if (!q.hint.empty()) {
            add(q.id + ".hint", q.hint);
        }
        for (const Option& o : q.options) {
            add(q.id + ".option." + o.id, o.label);
        }
        if (!q.scale_labels.empty()) {
            auto labels = q.scale_labels.find(language);
            texts.emplace_back(q.id + ".labels", labels == q.scale_labels.end() || labels->second.size() != 5
                                                     ? std::string()
                                                     : labels->second[0]);
        }
    }
    return texts;
}

} // namespace

TEST_CASE("five interface languages are shipped, each file with exactly the keys nl.toml has") {
    const Catalog catalog = load_shipped();
    CHECK(catalog.languages() == std::vector<std::string>{"ar", "en", "nl", "pl", "tr"});
    for (const std::string& language : kFive) {
        CAPTURE(language);
        CHECK_MESSAGE(catalog.missing_keys(language).empty(),
                      "missing: " << joined(catalog.missing_keys(language)));
        std::vector<std::string> extra = catalog.extra_keys(language);
        std::erase_if(extra, [](const std::string& key) { return key.rfind(kTranslationSection, 0) == 0; });
        CHECK_MESSAGE(extra.empty(), "not in nl.toml: " << joined(extra));
    }
    // The check itself can fail: a key Dutch lacks is found.
    buurtstem::test::TempDir dir;
    std::ofstream(dir / "nl.toml") << "[nav]\nnext = \"Volgende\"\n";
    std::ofstream(dir / "tr.toml") << "[nav]\nnext = \"İleri\"\nnxet = \"İleri\"\n";
    auto small = Catalog::load_folder(dir.path());
    REQUIRE(small.ok());
    CHECK(small.value().extra_keys("tr") == std::vector<std::string>{"nav.nxet"});
    CHECK(small.value().extra_keys("nl").empty());
}

TEST_CASE("each language names itself on its button, and the machine-assisted ones await a native speaker") {
    const Catalog catalog = load_shipped();
    CHECK(catalog.text("nl", "language.name") == "Nederlands");
    CHECK(catalog.text("en", "language.name") == "English");
    CHECK(catalog.text("tr", "language.name") == "Türkçe");
    CHECK(catalog.text("pl", "language.name") == "Polski");
    CHECK(catalog.text("ar", "language.name") == "العربية");
    for (const std::string& language : kAwaitingCheck) {
        CAPTURE(language);
        CHECK(catalog.text(language, "translation.status") == "awaiting native speaker check");
    }
}

TEST_CASE("no interface text of tr, pl or ar is the Dutch text left untranslated") {
    const Catalog catalog = load_shipped();
    for (const std::string& language : kAwaitingCheck) {
        CAPTURE(language);
        for (const std::string& key : catalog.missing_keys("xx")) { // every Dutch key
            CAPTURE(key);
            // "OK" on the PIN pad is the word Turkish and Polish keypads use too.
            if (catalog.text("nl", key) == "OK" && catalog.text(language, key) == "OK") {
                continue;
            }
            CHECK(catalog.text(language, key) != catalog.text("nl", key));
        }
    }
}

TEST_CASE("both demo consultations list the five languages and have every text in each") {
    const Catalog catalog = load_shipped();
    const std::vector<std::string> interface_languages = catalog.languages();
    for (const char* file : {"minimaregelingen.toml", "snelle-peiling.toml"}) {
        CAPTURE(file);
        const Consultation c = load_demo(file);
        CHECK(c.languages == kFive);
        const auto dutch = consultation_texts(c, "nl");
        for (const std::string& language : c.languages) {
            CAPTURE(language);
            // The kiosk refuses a consultation language without interface texts.
            CHECK(std::find(interface_languages.begin(), interface_languages.end(), language) !=
                  interface_languages.end());
            const auto texts = consultation_texts(c, language);
            REQUIRE(texts.size() == dutch.size());
            for (size_t i = 0; i < texts.size(); ++i) {
                CAPTURE(texts[i].first);
                CHECK_FALSE(texts[i].second.empty());
                if (language != "nl" && language != "en") {
                    CHECK(texts[i].second != dutch[i].second); // translated, not copied
                }
            }
        }
        for (const Question& q : c.questions) {
            for (const auto& [language, labels] : q.scale_labels) {
                CHECK(labels.size() == 5);
            }
        }
    }
}

TEST_CASE("the loader itself refuses a consultation text missing in one of its languages") {
    // So a sixth language cannot be half added: the kiosk never shows a question in a mix of two.
    std::string demo = buurtstem::test::read_file(kSource / "config/consultations/snelle-peiling.toml");
    const std::string line = "hint.pl = \"Dotknij swojej odpowiedzi. Nie musisz podawać swojego imienia.\"\n";
    const size_t at = demo.find(line);
    REQUIRE(at != std::string::npos);
    demo.erase(at, line.size());
    auto loaded = parse_consultation(demo, "snelle-peiling.toml");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().message.find("'pl'") != std::string::npos);
    CHECK(loaded.error().line > 0);
}
