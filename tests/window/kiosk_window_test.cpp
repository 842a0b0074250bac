// The real kiosk binary in a real X server (Xvfb, Mesa's software OpenGL), tapped with xdotool like a
// resident's finger. Buttons are found through the kiosk's --automation-file map, so the test follows
// the layout instead of hard-coding pixels.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "buurtstem/core/sqlite.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kSource = BUURTSTEM_SOURCE_DIR;

// An X server of our own. -displayfd makes Xvfb pick a free display and print its number when it is
// ready to accept clients: the event to wait for, instead of a sleep.
class VirtualDisplay {
public:
    VirtualDisplay() : xvfb_({"/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"}) {
        auto line = xvfb_.wait_for_line("", 20s);
        REQUIRE_MESSAGE(line.has_value(), "Xvfb did not start");
        name_ = ":" + *line;
    }
    const std::string& name() const { return name_; }

    // A screenshot of the whole screen, kept as a test artifact.
    std::filesystem::path screenshot(const std::string& file) const {
        const std::filesystem::path out = std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) / file;
        const CommandResult r = run_command({"import", "-display", name_, "-window", "root", out.string()});
        CHECK_MESSAGE(r.exit_code == 0, r.output);
        return out;
    }

private:
    Process xvfb_;
    std::string name_;
};

struct MapItem {
    std::string id;
    std::string label;
    int x = 0, y = 0, w = 0, h = 0;
    bool selected = false;
};

struct ScreenMap {
    std::string raw; // the whole file, to notice any change
    std::string screen;
    std::vector<MapItem> items;

    const MapItem* find(const std::string& id) const {
        for (const MapItem& item : items) {
            if (item.id == id) {
                return &item;
            }
        }
        return nullptr;
    }
};

// The kiosk under test, with its map file and database in a scratch folder.
class Kiosk {
public:
    Kiosk(const VirtualDisplay& display, const std::filesystem::path& folder, const std::string& extra_config = "")
        : display_(display), map_file_(folder / "map.json"), database_(folder / "kiosk.sqlite") {
        const std::filesystem::path config = folder / "kiosk.toml";
        std::ofstream(config) << "device_id = \"kiosk-window-test\"\n"
                              << "consultation = \"" << (kSource / "config/consultations/minimaregelingen.toml").string()
                              << "\"\n"
                              << "database = \"" << database_.string() << "\"\n"
                              << "assets = \"" << (kSource / "assets").string() << "\"\n"
                              << extra_config;
        process_ = std::make_unique<Process>(
            std::vector<std::string>{BUURTSTEM_KIOSK_BIN, "--config", config.string(), "--window", "1280x800",
                                     "--automation-file", map_file_.string()},
            std::map<std::string, std::string>{{"DISPLAY", display.name()}});
    }

    const std::filesystem::path& database() const { return database_; }

    ScreenMap read_map() const {
        ScreenMap map;
        map.raw = read_file(map_file_);
        const auto json = nlohmann::json::parse(map.raw, nullptr, false);
        if (json.is_discarded()) {
            return ScreenMap{};
        }
        map.screen = json.value("screen", "");
        for (const auto& item : json["items"]) {
            map.items.push_back({item["id"], item["label"], item["x"], item["y"], item["w"], item["h"],
                                 item.value("selected", false)});
        }
        return map;
    }

    // Waits until the kiosk shows `screen`; returns its map.
    ScreenMap wait_for_screen(const std::string& screen, std::chrono::milliseconds timeout = 15s) const {
        ScreenMap map;
        const bool shown = eventually(
            [&] {
                map = read_map();
                return map.screen == screen;
            },
            timeout);
        REQUIRE_MESSAGE(shown, "kiosk did not show '" << screen << "'; last screen: '" << map.screen << "'");
        return map;
    }

    // Taps the centre of item `id` and waits until the screen reacts (the map changes).
    ScreenMap tap(const std::string& id) const {
        ScreenMap before;
        const bool present = eventually(
            [&] {
                before = read_map();
                return before.find(id) != nullptr;
            },
            10s);
        REQUIRE_MESSAGE(present, "no tappable '" << id << "' on screen '" << before.screen << "'");
        const MapItem& item = *before.find(id);
        const CommandResult r = run_command({"env", "DISPLAY=" + display_.name(), "xdotool", "mousemove", "--sync",
                                             std::to_string(item.x + item.w / 2), std::to_string(item.y + item.h / 2),
                                             "click", "1"});
        REQUIRE_MESSAGE(r.exit_code == 0, "xdotool: " << r.output);
        ScreenMap after;
        const bool reacted = eventually(
            [&] {
                after = read_map();
                return !after.raw.empty() && after.raw != before.raw;
            },
            10s);
        REQUIRE_MESSAGE(reacted, "tapping '" << id << "' on '" << before.screen << "' changed nothing");
        return after;
    }

    Process& process() { return *process_; }

private:
    const VirtualDisplay& display_;
    std::filesystem::path map_file_;
    std::filesystem::path database_;
    std::unique_ptr<Process> process_;
};

std::map<std::string, std::string> stored_answers(const std::filesystem::path& database, int64_t& responses) {
    sqlite::Database db(database);
    auto count = db.prepare("SELECT count(*) FROM responses");
    count.step();
    responses = count.column_int(0);
    std::map<std::string, std::string> answers;
    auto s = db.prepare("SELECT question_id, value FROM answers");
    while (s.step()) {
        answers[s.column_text(0)] = s.column_text(1);
    }
    return answers;
}

} // namespace

TEST_CASE("a resident taps through the demo consultation and the response is in the kiosk's SQLite file") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path());

    kiosk.wait_for_screen("start");
    display.screenshot("kiosk-01-start.png");
    kiosk.tap("lang.en"); // English for this resident
    kiosk.tap("lang.nl"); // ... and back to Dutch: the language buttons work both ways
    kiosk.tap("start.begin");

    ScreenMap q = kiosk.wait_for_screen("question:kent-regelingen");
    CHECK_MESSAGE(q.find("nav.next") == nullptr, "a required question must not offer Next before an answer");
    q = kiosk.tap("option.een-paar");
    CHECK(q.find("option.een-paar")->selected);
    display.screenshot("kiosk-02-choice.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:gebruikt");
    kiosk.tap("option.nee");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:aanvragen-makkelijk");
    kiosk.tap("smiley.2");
    display.screenshot("kiosk-03-smiley.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:wat-houdt-tegen");
    kiosk.tap("option.formulier-moeilijk");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:hoe-informeren");
    kiosk.tap("nav.skip"); // optional: a resident may pass

    kiosk.wait_for_screen("question:informatie-oordeel");
    kiosk.tap("smiley.4");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("question:ideeen");
    for (const char* key : {"key.m", "key.e", "key.e", "key.r", "key.space", "key.u", "key.i", "key.t", "key.l",
                            "key.e", "key.g"}) {
        kiosk.tap(key);
    }
    const ScreenMap typed = kiosk.read_map();
    REQUIRE(typed.find("text.input") != nullptr);
    CHECK(typed.find("text.input")->label == "Meer uitleg"); // the first letter is a capital by itself
    display.screenshot("kiosk-04-keyboard.png");
    kiosk.tap("nav.next");

    kiosk.wait_for_screen("thanks");
    display.screenshot("kiosk-05-thanks.png");

    int64_t responses = 0;
    const auto answers = stored_answers(kiosk.database(), responses);
    CHECK(responses == 1);
    CHECK(answers.at("kent-regelingen") == "een-paar");
    CHECK(answers.at("gebruikt") == "nee");
    CHECK(answers.at("aanvragen-makkelijk") == "2");
    CHECK(answers.at("wat-houdt-tegen") == "formulier-moeilijk");
    CHECK(answers.count("hoe-informeren") == 0); // skipped
    CHECK(answers.at("informatie-oordeel") == "4");
    CHECK(answers.at("ideeen") == "Meer uitleg");

    kiosk.tap("thanks.done");
    kiosk.wait_for_screen("start");
    CHECK(kiosk.process().terminate() == 0); // SIGTERM closes the window cleanly
    CHECK(std::filesystem::file_size(std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) / "kiosk-05-thanks.png") > 0);
}

TEST_CASE("a resident who walks away is reset and the next one sees none of their answers") {
    TempDir dir;
    VirtualDisplay display;
    Kiosk kiosk(display, dir.path(), "[timing]\nidle_warning_seconds = 2\nidle_reset_seconds = 2\n");

    kiosk.wait_for_screen("start");
    kiosk.tap("start.begin");
    kiosk.wait_for_screen("question:kent-regelingen");
    kiosk.tap("option.ja-goed");

    // Nobody taps: first the kiosk asks whether anyone is there, then it starts over.
    kiosk.wait_for_screen("idle", 10s);
    display.screenshot("kiosk-06-idle.png");
    kiosk.wait_for_screen("start", 10s);

    kiosk.tap("start.begin");
    const ScreenMap q = kiosk.wait_for_screen("question:kent-regelingen");
    for (const MapItem& item : q.items) {
        CHECK_MESSAGE(!item.selected, item.id << " is still chosen from the previous resident");
    }
    int64_t responses = 0;
    stored_answers(kiosk.database(), responses);
    CHECK(responses == 0); // an abandoned response is never stored
}
