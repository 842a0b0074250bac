// The whole demo consultation in each of the five languages, in the real kiosk window (Xvfb + xdotool
// through the automation map): every screen shows that language's texts, read from the map's labels
// (logical strings; Arabic is drawn unshaped until the text pipeline, kiosk/text, is merged), Arabic is
// typed on the Arabic keys, and the stored response names its language. One test case per language, so
// ctest runs them side by side.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <string>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

// The interface texts of `language` straight from assets/i18n/<language>.toml ("section.key" -> text).
// Enough TOML for those files: [section] headers and key = "text" lines without escapes.
std::map<std::string, std::string> interface_texts(const std::string& language) {
    std::ifstream in(kSource / "assets" / "i18n" / (language + ".toml"));
    REQUIRE(in.good());
    std::map<std::string, std::string> texts;
    std::string section;
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
            section = line.substr(1, line.size() - 2);
            continue;
        }
        const size_t eq = line.find(" = \"");
        if (line.empty() || line[0] == '#' || eq == std::string::npos || line.back() != '"') {
            continue;
        }
        texts[section + "." + line.substr(0, eq)] = line.substr(eq + 4, line.size() - eq - 5);
    }
    REQUIRE(texts.size() > 40);
    return texts;
}

// A few texts of the demo consultation (config/consultations/minimaregelingen.toml) per language.
struct DemoTexts {
    const char* code;
    const char* ja_goed;       // kent-regelingen, option ja-goed
    const char* gebruikt_ja;   // gebruikt, option ja
    const char* zorg;          // welke-gebruikt, option zorg
    const char* heel_moeilijk; // aanvragen-makkelijk, smiley 1
    const char* taal;          // wat-houdt-tegen, option taal
    const char* brief;         // hoe-informeren, option brief
    // What the resident types on the free-text question, key by key (key.X ids), and the stored text.
    std::vector<std::string> keys;
    const char* typed;
};

const DemoTexts kDemo[] = {
    {"nl",
     "Ja, die ken ik goed",
     "Ja",
     "Hulp bij de kosten van zorg",
     "Heel moeilijk",
     "De taal is te moeilijk",
     "Met een brief thuis",
     {"key.j", "key.a"},
     "Ja"},
    {"en",
     "Yes, I know them well",
     "Yes",
     "Help with the cost of care",
     "Very hard",
     "The language is too hard",
     "A letter at home",
     {"key.o", "key.k"},
     "Ok"},
    {"tr",
     "Evet, onları iyi biliyorum",
     "Evet",
     "Bakım masraflarına yardım",
     "Çok zor",
     "Dil çok zor",
     "Eve gelen bir mektupla",
     {"key.e", "key.v", "key.e", "key.t"},
     "Evet"},
    {"pl",
     "Tak, znam je dobrze",
     "Tak",
     "Pomoc w kosztach opieki",
     "Bardzo trudno",
     "Język jest za trudny",
     "Listem do domu",
     {"key.t", "key.a", "key.k"},
     "Tak"},
    // Arabic: "شكرا" (thank you) on the Arabic keys, then " ok" after switching to the Latin keys;
    // stored in the order typed (logical order).
    {"ar",
     "نعم، أعرفها جيدا",
     "نعم",
     "مساعدة في تكاليف الرعاية",
     "صعب جدا",
     "اللغة صعبة جدا",
     "برسالة إلى البيت",
     {"key.ش", "key.ك", "key.ر", "key.ا", "key.space", "key.latin", "key.o", "key.k"},
     "شكرا ok"},
};

// Characters as the resident sees them (UTF-8 code points), as the map counts text.input.
size_t code_points(const std::string& text) {
    size_t n = 0;
    for (const char c : text) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

const MapItem& item(const ScreenMap& map, const std::string& id) {
    const MapItem* found = map.find(id);
    REQUIRE_MESSAGE(found != nullptr, "no '" << id << "' on '" << map.screen << "'");
    return *found;
}

std::string stored_language(const std::filesystem::path& database) {
    sqlite::Database db(database);
    auto s = db.prepare("SELECT language FROM responses");
    REQUIRE(s.step());
    return s.column_text(0);
}

void walk_demo_in(const DemoTexts& lang) {
    const std::string code = lang.code;
    const auto t = interface_texts(code);
    const auto nl = interface_texts("nl");
    TempDir dir;
    VirtualDisplay display("1280x800");
    Kiosk kiosk(display, dir.path());

    ScreenMap map = kiosk.wait_for_screen("start");
    // Every language button in its own language, whatever the language on screen.
    for (const char* other : {"nl", "en", "tr", "pl", "ar"}) {
        CHECK(item(map, std::string("lang.") + other).label == interface_texts(other).at("language.name"));
    }
    if (code != "nl") {
        map = kiosk.tap("lang." + code);
    }
    CHECK(item(map, "lang." + code).selected);
    CHECK(item(map, "start.begin").label == t.at("start.begin"));
    kiosk.tap("start.begin");

    map = kiosk.wait_for_screen("question:kent-regelingen");
    CHECK(item(map, "option.ja-goed").label == lang.ja_goed);
    CHECK(item(map, "nav.stop").label == t.at("nav.stop"));
    CHECK(item(map, "nav.back").label == t.at("nav.back"));
    if (code == "ar") {
        display.screenshot("languages-ar-question.png"); // unshaped on main until kiosk/text is merged
    }
    map = kiosk.tap("option.ja-goed");
    CHECK(item(map, "nav.next").label == t.at("nav.next"));
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:gebruikt");
    CHECK(item(map, "option.ja").label == lang.gebruikt_ja);
    CHECK(item(map, "nav.skip").label == t.at("nav.skip"));
    kiosk.tap("option.ja");
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:welke-gebruikt"); // show-if, in every language
    CHECK(item(map, "option.zorg").label == lang.zorg);
    kiosk.tap("option.zorg");
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:aanvragen-makkelijk");
    CHECK(item(map, "smiley.1").label == lang.heel_moeilijk);
    kiosk.tap("smiley.4");
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:wat-houdt-tegen");
    CHECK(item(map, "option.taal").label == lang.taal);
    kiosk.tap("option.taal");
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:informatie-duidelijk");
    for (int point = 1; point <= 5; ++point) {
        const std::string n = std::to_string(point);
        CHECK(item(map, "scale." + n).label == t.at("agree." + n));
    }
    kiosk.tap("scale.5");
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:hoe-informeren");
    CHECK(item(map, "rank.brief").label == lang.brief);
    map = kiosk.tap("rank.brief");
    CHECK(item(map, "rank.brief").label.find(lang.brief) != std::string::npos);
    CHECK(item(map, "rank.brief").selected);
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:hulp-bij-aanvragen");
    CHECK(item(map, "yesno.yes").label == t.at("yesno.yes"));
    CHECK(item(map, "yesno.no").label == t.at("yesno.no"));
    CHECK(item(map, "yesno.unknown").label == t.at("yesno.unknown"));
    kiosk.tap("yesno.unknown");
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("question:ideeen");
    display.screenshot("languages-" + code + "-keyboard.png");
    CHECK(item(map, "key.space").label == t.at("text.space"));
    if (code == "ar") {
        // Arabic keys first, no Latin letters and no shift until the resident asks for them.
        CHECK(map.find("key.ب") != nullptr);
        CHECK(map.find("key.q") == nullptr);
        CHECK(map.find("key.shift") == nullptr);
        CHECK(item(map, "key.latin").label == "ABC 123");
    } else {
        CHECK(item(map, "key.shift").label == t.at("text.shift"));
        CHECK(map.find("key.latin") == nullptr);
        CHECK(map.find("key.ب") == nullptr);
    }
    for (const std::string& key : lang.keys) {
        map = kiosk.tap(key);
    }
    CHECK(item(map, "text.input").label == std::to_string(code_points(lang.typed)));
    CHECK(item(map, "key.erase").label == t.at("text.erase")); // tappable once there is text
    if (code == "ar") {
        // After "ABC 123" the Latin keys, with the way back to the Arabic ones.
        CHECK(map.find("key.q") != nullptr);
        CHECK(map.find("key.ب") == nullptr);
        display.screenshot("languages-ar-keyboard-latin.png");
        map = kiosk.tap("key.arabic");
        CHECK(map.find("key.ب") != nullptr);
        display.screenshot("languages-ar-keyboard-back.png");
    }
    CHECK(item(map, "nav.next").label == t.at("nav.finish"));
    kiosk.tap("nav.next");

    map = kiosk.wait_for_screen("thanks");
    CHECK(item(map, "thanks.done").label == t.at("thanks.done"));
    if (code != "nl") {
        CHECK(t.at("thanks.done") != nl.at("thanks.done")); // the check above can tell the languages apart
    }

    int64_t responses = 0;
    const auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(stored_language(kiosk.database()) == code);
    CHECK(answers.at("kent-regelingen") == "ja-goed");
    CHECK(answers.at("welke-gebruikt") == "zorg");
    CHECK(answers.at("aanvragen-makkelijk") == "4");
    CHECK(answers.at("wat-houdt-tegen") == "taal");
    CHECK(answers.at("informatie-duidelijk") == "5");
    CHECK(answers.at("hoe-informeren") == "brief");
    CHECK(answers.at("hulp-bij-aanvragen") == "unknown");
    CHECK(answers.at("ideeen") == lang.typed);

    // The next resident starts in Dutch, with the Latin keys nowhere in sight of the last one's choice.
    kiosk.tap("thanks.done");
    map = kiosk.wait_for_screen("start");
    CHECK(item(map, "lang.nl").selected);
    CHECK(item(map, "start.begin").label == nl.at("start.begin"));
}

} // namespace

TEST_CASE("the whole demo in Dutch") {
    walk_demo_in(kDemo[0]);
}

TEST_CASE("the whole demo in English") {
    walk_demo_in(kDemo[1]);
}

TEST_CASE("the whole demo in Turkish") {
    walk_demo_in(kDemo[2]);
}

TEST_CASE("the whole demo in Polish") {
    walk_demo_in(kDemo[3]);
}

TEST_CASE("the whole demo in Arabic, typed on the Arabic keys") {
    walk_demo_in(kDemo[4]);
}

// The Arabic keys on the portrait tablet (ten to a row, digits on top) and the kiosk (twelve to a row):
// every key inside the window, finger-sized (88 px per 1080 px of the short side), none overlapping.
static void check_arabic_keyboard(const std::string& size) {
    TempDir dir;
    VirtualDisplay display(size);
    Kiosk kiosk(display, dir.path());
    const int w = std::stoi(size.substr(0, size.find('x')));
    const int h = std::stoi(size.substr(size.find('x') + 1));
    const double min_target = 88.0 * std::min(w, h) / 1080.0;

    kiosk.wait_for_screen("start");
    kiosk.tap("lang.ar");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");
    for (const char* id : {"gebruikt", "aanvragen-makkelijk", "wat-houdt-tegen", "informatie-duidelijk",
                           "hoe-informeren", "hulp-bij-aanvragen"}) {
        kiosk.wait_for_screen(std::string("question:") + id);
        kiosk.tap("nav.skip");
    }
    kiosk.wait_for_screen("question:ideeen");
    auto check_keys = [&](const ScreenMap& map, const std::string& page) {
        INFO(size << ", " << page << " keys");
        std::vector<const MapItem*> keys;
        for (const MapItem& i : map.items) {
            if (i.id.rfind("key.", 0) == 0) {
                keys.push_back(&i);
            }
        }
        CHECK(keys.size() >= 35);
        for (const MapItem* k : keys) {
            CAPTURE(k->id);
            CHECK(k->x >= 0);
            CHECK(k->y >= 0);
            CHECK(k->x + k->w <= w);
            CHECK(k->y + k->h <= h);
            CHECK(k->w + 0.5 >= min_target);
            CHECK(k->h + 0.5 >= min_target);
        }
        for (size_t a = 0; a < keys.size(); ++a) {
            for (size_t b = a + 1; b < keys.size(); ++b) {
                const MapItem& p = *keys[a];
                const MapItem& q = *keys[b];
                const bool overlap =
                    p.x < q.x + q.w - 1 && q.x < p.x + p.w - 1 && p.y < q.y + q.h - 1 && q.y < p.y + p.h - 1;
                CHECK_MESSAGE(!overlap, p.id << " overlaps " << q.id);
            }
        }
    };
    ScreenMap map = kiosk.tap("key.ب"); // erase becomes tappable: every key of the page is in the map
    CHECK(item(map, "text.input").label == "1");
    CHECK(map.find("key.ض") != nullptr);
    check_keys(map, "Arabic");
    display.screenshot("languages-ar-keyboard-" + size + ".png");
    map = kiosk.tap("key.latin");
    CHECK(map.find("key.q") != nullptr);
    check_keys(map, "Latin");
    map = kiosk.tap("key.arabic");
    CHECK(map.find("key.ض") != nullptr);
}

TEST_CASE("the Arabic keyboard fits the portrait tablet and the kiosk screen") {
    check_arabic_keyboard("800x1280");
    check_arabic_keyboard("1920x1080");
}
