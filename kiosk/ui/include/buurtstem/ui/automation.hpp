// AutomationLog: a map of what can be tapped on screen right now, written to a JSON file whenever it
// changes. Tests read it to tap buttons with xdotool wherever layout puts them; later, a screen reader
// or switch-access tool could use the same map.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace buurtstem::ui {

struct AutomationItem {
    std::string id;                   // stable: "nav.next", "option.ja", "smiley.4", "key.a"
    std::string label;                // what the resident reads on it
    float x = 0, y = 0, w = 0, h = 0; // window pixels
    bool selected = false;            // a chosen answer
    int lines = 0;                    // lines the label wrapped to (0: not a wrapped label)
    bool broke_word = false;          // a word of the label had to be split: a layout bug to catch
    // An image pictogram drawn on the item (an option's `image`): its rectangle, written as "image":
    // {"x", "y", "w", "h"} (left out when the item shows none), so a test can look at its pixels.
    bool image = false;
    float image_x = 0, image_y = 0, image_w = 0, image_h = 0;
};

class AutomationLog {
public:
    explicit AutomationLog(std::filesystem::path file) : file_(std::move(file)) {}

    void begin_frame(std::string screen);
    void add(AutomationItem item);
    // A top-level field besides "screen" and "items", e.g. ("speech", "\"playing\""); `json_value` is
    // written as is. Kept until set again.
    void set_field(const std::string& name, std::string json_value);
    // The same for this frame only: gone from the map when the next frame does not set it (what a screen
    // shows, such as its progress bar, unlike the speech state set before the screen is drawn).
    void set_frame_field(const std::string& name, std::string json_value);
    // Composes the frame's map; publish() writes it.
    void end_frame();
    // Writes the file (atomically) only when the screen or items differ from the last write. Called after
    // the frame is on screen (after the buffer swap), so a reader of the map that takes a screenshot sees
    // the screen the map describes, never the frame before it (the first screenshot was black).
    void publish();

private:
    std::filesystem::path file_;
    std::string screen_;
    std::vector<AutomationItem> items_;
    std::string pending_;
    std::map<std::string, std::string> fields_;
    std::map<std::string, std::string> frame_fields_;
    std::string last_written_;
    long frame_ = 0;
};

} // namespace buurtstem::ui
