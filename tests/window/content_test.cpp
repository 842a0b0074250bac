// No content can crash the kiosk (issue 8 item 8): a consultation path that is not a regular file, a
// title far too long to draw, a language without interface texts: each gives the calm "cannot open"
// screen with the reason in the log, at once, and the kiosk keeps drawing. And the first screenshot
// shows the start screen, not a black frame.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>

#include "kiosk_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

std::string demo_text() {
    return read_file(kSource / "config/consultations/minimaregelingen.toml");
}

void replace(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "the demo no longer has: " << from);
    text.replace(at, from.size(), to);
}

// Starts the kiosk on `consultation` and expects the broken-consultation screen with `reason` in its log.
void expect_refused(const std::filesystem::path& consultation, const std::string& reason,
                    const std::string& shot) {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), "", consultation);
    kiosk.wait_for_screen("broken");
    display.screenshot(shot);
    CHECK(kiosk.read_map().items.empty());
    const bool said = eventually([&] { return kiosk.log().find(reason) != std::string::npos; }, 10s);
    CHECK_MESSAGE(said, "the kiosk's log does not say '" << reason << "': " << kiosk.log());
    CHECK(kiosk.process().terminate() == 0); // still drawing, closes cleanly
}

} // namespace

TEST_CASE("a FIFO given as the consultation is refused at once instead of hanging the kiosk") {
    TempDir dir;
    const std::filesystem::path fifo = dir / "pijp.toml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    expect_refused(fifo, fifo.string() + ": not a regular file: it is a named pipe (FIFO)",
                   "kiosk-content-fifo.png");
}

TEST_CASE("a 60 000-character title is refused by the loader, not drawn until ImGui aborts") {
    TempDir dir;
    std::string text = demo_text();
    replace(text, "title.nl = \"Regelingen voor inwoners met een laag inkomen\"",
            "title.nl = \"" + std::string(60000, 'x') + "\"");
    std::ofstream(dir / "lang.toml") << text;
    expect_refused(dir / "lang.toml", "'title.nl' is 60000 characters long; at most 150 fit",
                   "kiosk-content-long-title.png");
}

TEST_CASE("a consultation in a language the kiosk has no interface texts for is refused, naming it") {
    TempDir dir;
    // Frisian: a real language code, with no assets/i18n/fy.toml. The loader alone accepts the file.
    std::ofstream(dir / "fries.toml") << R"(format = 1
id = "fries"
version = 1
languages = ["nl", "fy"]
title.nl = "Een vraag"
title.fy = "In fraach"

[[question]]
id = "vraag"
type = "free_text"
text.nl = "Wat vindt u?"
text.fy = "Wat fine jo?"
)";
    expect_refused(dir / "fries.toml", "'languages' lists 'fy', but the kiosk has no interface texts in it",
                   "kiosk-content-language.png");
}

TEST_CASE("the first screenshot after the map says 'start' shows the start screen, not a black frame") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path());
    kiosk.wait_for_screen("start");
    const std::filesystem::path shot = display.screenshot("kiosk-content-first-frame.png");
    // A black (or any single-colour) frame has one colour; the start screen has text and buttons.
    const CommandResult colours = run_command({"convert", shot.string(), "-format", "%k", "info:"});
    REQUIRE_MESSAGE(colours.exit_code == 0, colours.output);
    CHECK_MESSAGE(std::stoi(colours.output) > 10,
                  "the first screenshot has " << colours.output << " colours");
}
