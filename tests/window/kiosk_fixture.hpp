// The window tests' fixture: an Xvfb display of a chosen size, the real kiosk binary on it, its automation
// map read back, and xdotool taps by item id. Shared by every file under tests/window/.
#pragma once

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

#include "buurtstem/core/sqlite.hpp"
#include "test_support.hpp"

namespace buurtstem::test {

using namespace std::chrono_literals;

inline const std::filesystem::path kSource = BUURTSTEM_SOURCE_DIR;

// An X server of our own. -displayfd makes Xvfb pick a free display and print its number when it is
// ready to accept clients: the event to wait for, instead of a sleep.
class VirtualDisplay {
public:
    // `size` is the screen's WIDTHxHEIGHT: 1920x1080 (kiosk), 1280x800 (tablet), 800x1280 (portrait).
    explicit VirtualDisplay(const std::string& size = "1280x800")
        : xvfb_({"/usr/bin/Xvfb", "-displayfd", "1", "-screen", "0", size + "x24", "-nolisten", "tcp"}),
          size_(size) {
        auto line = xvfb_.wait_for_line("", 20s);
        REQUIRE_MESSAGE(line.has_value(), "Xvfb did not start");
        name_ = ":" + *line;
    }
    const std::string& name() const { return name_; }
    const std::string& size() const { return size_; }

    // A screenshot of the whole screen, kept as a test artifact.
    std::filesystem::path screenshot(const std::string& file) const {
        const std::filesystem::path out = std::filesystem::path(BUURTSTEM_ARTIFACT_DIR) / file;
        const CommandResult r = run_command({"import", "-display", name_, "-window", "root", out.string()});
        CHECK_MESSAGE(r.exit_code == 0, r.output);
        return out;
    }

private:
    Process xvfb_;
    std::string size_;
    std::string name_;
};

struct MapItem {
    std::string id;
    std::string label;
    int x = 0, y = 0, w = 0, h = 0;
    bool selected = false;
    int lines = 0;           // lines the label wrapped to
    bool broke_word = false; // a word of the label was split between letters
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

// True when `item` shows a resident's choice: selected, other than the default text size, which the
// toolbar always shows as chosen (textsize.0) until somebody picks another.
inline bool chosen_by_resident(const MapItem& item) {
    return item.selected && item.id != "textsize.0";
}

// The kiosk under test, with its map file and database in a scratch folder.
class Kiosk {
public:
    Kiosk(const VirtualDisplay& display, const std::filesystem::path& folder,
          const std::string& extra_config = "",
          const std::filesystem::path& consultation = kSource / "config/consultations/minimaregelingen.toml",
          const std::vector<std::string>& extra_args = {})
        : display_(display), map_file_(folder / "map.json"), database_(folder / "kiosk.sqlite"),
          log_file_(folder / "kiosk.log") {
        const std::filesystem::path config = folder / "kiosk.toml";
        std::ofstream(config) << "device_id = \"kiosk-window-test\"\n"
                              << "consultation = \"" << consultation.string() << "\"\n"
                              << "database = \"" << database_.string() << "\"\n"
                              << "assets = \"" << (kSource / "assets").string() << "\"\n"
                              << extra_config;
        // The window fills the display, as on a kiosk or tablet.
        std::vector<std::string> argv{BUURTSTEM_KIOSK_BIN, "--config",          config.string(),   "--window",
                                      display.size(),      "--automation-file", map_file_.string()};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        process_ = std::make_unique<Process>(
            argv, std::map<std::string, std::string>{{"DISPLAY", display.name()}}, log_file_);
    }

    const std::filesystem::path& database() const { return database_; }
    // What the kiosk wrote to stderr so far.
    std::string log() const { return read_file(log_file_); }

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
                                 item.value("selected", false), item.value("lines", 0),
                                 item.value("broke_word", false)});
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
        // No `mousemove --sync`: it waits for the pointer to move, which never happens when two taps in a
        // row hit the same spot (the same key twice, Skip on consecutive questions). The X server handles
        // the motion before the click, in order.
        const CommandResult r = run_command({"env", "DISPLAY=" + display_.name(), "xdotool", "mousemove",
                                             std::to_string(item.x + item.w / 2),
                                             std::to_string(item.y + item.h / 2), "click", "1"});
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
    std::filesystem::path log_file_;
    std::unique_ptr<Process> process_;
};

inline std::map<std::string, std::string> stored_answers(const std::filesystem::path& database,
                                                         int64_t& responses) {
    sqlite::Database db(database);
    auto count = db.prepare("SELECT count(*) FROM responses");
    count.step();
    responses = count.column_int(0);
    std::map<std::string, std::string> answers;
    // Schema 2 packs each response's answers into responses.answers: [["question_id", "value"], ...].
    auto s = db.prepare("SELECT a.value ->> 0, a.value ->> 1 FROM responses r, json_each(r.answers) a");
    while (s.step()) {
        answers[s.column_text(0)] = s.column_text(1);
    }
    return answers;
}

} // namespace buurtstem::test
