// The quick poll's language buttons in the real kiosk window: on its one screen, each language in its own
// name, the chosen one selected; the passer-by's language for their tap and thank-you, then the default
// again for the next one.
#include <doctest/doctest.h>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const MapItem& item(const ScreenMap& map, const std::string& id) {
    const MapItem* found = map.find(id);
    REQUIRE_MESSAGE(found != nullptr, "no '" << id << "' on '" << map.screen << "'");
    return *found;
}

} // namespace

TEST_CASE("quick poll: language buttons on the question, the default again after each passer-by") {
    TempDir dir;
    VirtualDisplay display("800x1280");
    Kiosk kiosk(display, dir.path(), "", kSource / "config/consultations/snelle-peiling.toml");

    ScreenMap map = kiosk.wait_for_screen("question:weet-waar-hulp");
    CHECK(item(map, "lang.nl").label == "Nederlands");
    CHECK(item(map, "lang.en").label == "English");
    CHECK(item(map, "lang.tr").label == "Türkçe");
    CHECK(item(map, "lang.pl").label == "Polski");
    CHECK(item(map, "lang.ar").label == "العربية");
    CHECK(item(map, "lang.nl").selected);
    CHECK_FALSE(item(map, "lang.pl").selected);
    CHECK(item(map, "yesno.yes").label == "Ja");
    // The buttons sit below the answers, inside the window.
    CHECK(item(map, "lang.nl").y > item(map, "yesno.unknown").y + item(map, "yesno.unknown").h);
    CHECK(item(map, "lang.ar").y + item(map, "lang.ar").h <= 1280);

    // A language tap is not an answer: the question stays, in Polish.
    map = kiosk.tap("lang.pl");
    CHECK(map.screen == "question:weet-waar-hulp");
    CHECK(item(map, "lang.pl").selected);
    CHECK_FALSE(item(map, "lang.nl").selected);
    CHECK(item(map, "yesno.yes").label == "Tak");
    CHECK(item(map, "yesno.unknown").label == "Nie wiem");
    display.screenshot("quick-poll-pl.png");

    kiosk.tap("yesno.no");
    map = kiosk.wait_for_screen("thanks");
    CHECK(item(map, "thanks.done").label == "Gotowe"); // thanked in their own language

    // The next passer-by finds the default language, and nothing chosen.
    map = kiosk.wait_for_screen("question:weet-waar-hulp", 10s);
    CHECK(item(map, "lang.nl").selected);
    CHECK_FALSE(item(map, "lang.pl").selected);
    CHECK(item(map, "yesno.yes").label == "Ja");
    CHECK_FALSE(item(map, "yesno.no").selected);

    int64_t responses = 0;
    const auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(answers.at("weet-waar-hulp") == "no");
    sqlite::Database db(kiosk.database());
    auto language = db.prepare("SELECT language FROM responses");
    REQUIRE(language.step());
    CHECK(language.column_text(0) == "pl");

    // Arabic for the next one, then back to Dutch the same way.
    map = kiosk.tap("lang.ar");
    CHECK(item(map, "yesno.yes").label == "نعم");
    kiosk.tap("yesno.yes");
    kiosk.wait_for_screen("thanks");
    map = kiosk.wait_for_screen("question:weet-waar-hulp", 10s);
    CHECK(item(map, "lang.nl").selected);
    CHECK(item(map, "yesno.yes").label == "Ja");
}
