// AutomationLog: a map of what can be tapped on screen right now, written to a JSON file whenever it
// changes. Tests read it to tap buttons with xdotool wherever layout puts them; later, a screen reader
// or switch-access tool could use the same map.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace buurtstem::ui {

struct AutomationItem {
    std::string id;                   // stable: "nav.next", "option.ja", "smiley.4", "key.a"
    std::string label;                // what the resident reads on it
    float x = 0, y = 0, w = 0, h = 0; // window pixels
    bool selected = false;            // a chosen answer
};

class AutomationLog {
public:
    explicit AutomationLog(std::filesystem::path file) : file_(std::move(file)) {}

    void begin_frame(std::string screen);
    void add(AutomationItem item);
    // A top-level field of the map besides "screen" and "items", e.g. "language": "ar", "text_size": "2",
    // "contrast": "high". Kept across frames until set again. Values are written as JSON strings.
    void set_state(const std::string& key, std::string value);
    // Writes the file (atomically) only when the screen or items differ from the last write.
    void end_frame();

private:
    std::filesystem::path file_;
    std::string screen_;
    std::vector<AutomationItem> items_;
    std::vector<std::pair<std::string, std::string>> state_; // in the order first set
    std::string last_written_;
    long frame_ = 0;
};

} // namespace buurtstem::ui
