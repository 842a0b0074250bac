// The quick poll's language buttons in the flow (chosen on the question itself, back to the default
// after each response and after a passer-by walks away), and the on-screen keyboard's Arabic keys as data.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/ui/keyboard_layout.hpp"

using namespace buurtstem;
using namespace buurtstem::ui;
using namespace std::chrono_literals;

namespace {

Consultation load_quick_demo() {
    auto loaded = load_consultation_file(std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "config" /
                                         "consultations" / "snelle-peiling.toml");
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().to_string()));
    return std::move(loaded).value();
}

// Every key's `key`, in order, across `rows`.
std::vector<std::string> keys_of(const std::vector<KeyRowDef>& rows) {
    std::vector<std::string> keys;
    for (const KeyRowDef& row : rows) {
        for (const KeyDef& key : row) {
            keys.emplace_back(key.key);
        }
    }
    return keys;
}

// UTF-8 of one code point below U+0800 (the Arabic block is U+0600-U+06FF).
std::string utf8(char32_t c) {
    std::string out;
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
    return out;
}

} // namespace

TEST_CASE("quick poll: a language is chosen on the question and goes back to the default after the thanks") {
    const Consultation c = load_quick_demo();
    REQUIRE(c.quick);
    ResidentFlow flow(c, FlowTimings{60s, 20s, 10s, 2s});
    Moment now = Moment::now();
    REQUIRE(flow.screen() == Screen::Question);
    CHECK(flow.language() == "nl");

    flow.handle({FlowEventType::ChooseLanguage, "tr"}, now);
    CHECK(flow.language() == "tr");
    CHECK(flow.screen() == Screen::Question); // no answer yet: choosing a language is not a response
    flow.handle({FlowEventType::ChooseLanguage, "de"}, now); // not offered: ignored
    CHECK(flow.language() == "tr");

    flow.handle({FlowEventType::Answer, "yes"}, now);
    REQUIRE(flow.screen() == Screen::Saving);
    CHECK(flow.finished_answers().language == "tr"); // the response says in which language it was given
    flow.saved(now);
    CHECK(flow.language() == "tr"); // the thank-you in the passer-by's language
    flow.tick(now.plus(2s));
    CHECK(flow.screen() == Screen::Question);
    CHECK(flow.language() == "nl");
}

TEST_CASE("quick poll: a language chosen by a passer-by who walks away goes back to the default") {
    const Consultation c = load_quick_demo();
    ResidentFlow flow(c, FlowTimings{60s, 20s, 10s, 2s});
    const Moment start = Moment::now();
    CHECK_FALSE(flow.next_deadline(start).has_value()); // at rest: nothing to wake up for
    flow.handle({FlowEventType::ChooseLanguage, "ar"}, start);
    REQUIRE(flow.next_deadline(start).has_value());
    CHECK(*flow.next_deadline(start) == start.steady + 80s);
    flow.tick(start.plus(79s));
    CHECK(flow.language() == "ar");
    flow.tick(start.plus(80s));
    CHECK(flow.language() == "nl");
    CHECK(flow.screen() == Screen::Question);
    CHECK_FALSE(flow.next_deadline(start.plus(80s)).has_value());
}

TEST_CASE("a full consultation ignores a language choice on a question") {
    auto parsed = parse_consultation(R"(format = 1
id = "twee"
version = 1
languages = ["nl", "en"]
title.nl = "Twee"
title.en = "Two"
[[question]]
id = "q"
type = "yes_no"
text.nl = "Vraag?"
text.en = "Question?"
)",
                                     "twee.toml");
    REQUIRE(parsed.ok());
    ResidentFlow flow(parsed.value(), FlowTimings{});
    const Moment now = Moment::now();
    flow.handle({FlowEventType::Start, {}}, now);
    REQUIRE(flow.screen() == Screen::Question);
    flow.handle({FlowEventType::ChooseLanguage, "en"}, now);
    CHECK(flow.language() == "nl"); // the language is chosen on the start screen, before any answer
}

TEST_CASE("the keyboard: Arabic residents get every Arabic letter first, and a key to the Latin ones") {
    CHECK(NativeScript("ar") == KeyboardScript::Arabic);
    for (const char* latin : {"nl", "en", "tr", "pl"}) {
        CHECK(NativeScript(latin) == KeyboardScript::Latin);
    }
    // The 28 letters, hamza and its carriers, alef with madda, alef maqsura and ta marbuta.
    std::set<std::string> wanted;
    for (char32_t c = U'\u0621'; c <= U'\u063A'; ++c) { // ء .. غ
        wanted.insert(utf8(c));
    }
    for (char32_t c = U'\u0641'; c <= U'\u064A'; ++c) { // ف .. ي
        wanted.insert(utf8(c));
    }
    REQUIRE(wanted.size() == 36);
    for (bool wide : {true, false}) {
        CAPTURE(wide);
        const auto& rows = KeyboardRows(KeyboardScript::Arabic, wide, true);
        const std::vector<std::string> keys = keys_of(rows);
        for (const std::string& letter : wanted) {
            CAPTURE(letter);
            CHECK(std::count(keys.begin(), keys.end(), letter) == 1);
        }
        // Arabic punctuation, the switch, space and erase; no shift (Arabic has no capitals).
        for (const char* key : {"،", "؟", ".", "latin", "space", "erase"}) {
            CHECK(std::count(keys.begin(), keys.end(), std::string(key)) == 1);
        }
        CHECK(std::count(keys.begin(), keys.end(), std::string("shift")) == 0);
        CHECK(std::count(keys.begin(), keys.end(), std::string("q")) == 0);
        // Standard Arabic keyboard positions: ض where Q is, ش where A is.
        CHECK(std::string(rows[0][0].key) == "ض");
        CHECK(std::string(rows[1][0].key) == (wide ? "ش" : "ج"));
        for (const KeyRowDef& row : rows) {
            int units = 0;
            for (const KeyDef& key : row) {
                units += key.units;
            }
            CHECK(units == (wide ? 12 : 10)); // every row fills the keyboard's width
        }
        // The Latin rows of an Arabic resident: the Latin letters, shift, and the way back.
        const std::vector<std::string> latin = keys_of(KeyboardRows(KeyboardScript::Latin, wide, true));
        for (const char* key : {"q", "a", "z", "é", "shift", "arabic", "space", "erase"}) {
            CHECK(std::count(latin.begin(), latin.end(), std::string(key)) == 1);
        }
        // A Latin-script resident's keyboard is unchanged: no switch key.
        const std::vector<std::string> plain = keys_of(KeyboardRows(KeyboardScript::Latin, wide, false));
        CHECK(std::count(plain.begin(), plain.end(), std::string("arabic")) == 0);
        CHECK(plain.size() + 1 == latin.size());
        // Ids are unique per page: "key." + key.
        for (const auto* page : {&keys, &latin, &plain}) {
            CHECK(std::set<std::string>(page->begin(), page->end()).size() == page->size());
        }
    }
    CHECK(IsCommandKey("latin"));
    CHECK(IsCommandKey("arabic"));
    CHECK_FALSE(IsCommandKey("ب"));
    CHECK(std::string(ScriptSwitchLegend("latin")) == "ABC 123");
}
