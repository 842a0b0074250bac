// The event settings a volunteer changes behind the PIN, kept in a small TOML file beside the kiosk's
// database (`[volunteer] settings_file`), so they hold after a restart. Written with temp file + rename.
// Values missing from the file keep the kiosk configuration's defaults.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

enum class UnfinishedAnswers {
    Discard, // a resident who walks away leaves nothing behind (the default)
    Keep,    // ... their answers so far are stored as a response (at an event where people are called away)
};

struct VolunteerSettings {
    std::chrono::seconds idle_warning{90}; // no tap for this long: "Bent u er nog?"
    UnfinishedAnswers unfinished = UnfinishedAnswers::Discard;
    bool speak_automatically = false;
    std::string default_language; // empty: the consultation's own first language
    int text_size = 0;            // 0 normal, 1 large, 2 largest (as the kiosk's text-size buttons)
    // The language the console itself speaks to the volunteer; empty: Dutch. Apart from default_language:
    // the volunteer and the residents are different people (a Polish-speaking volunteer at a session
    // where residents start in Dutch, a Dutch one where they start in Turkish).
    std::string console_language;
    // The consultation a volunteer switched to (its id), and the configuration's `consultation` file at
    // that moment. The choice holds only while the configuration still names that file: a technician who
    // puts a new consultation in the configuration is not overruled by an old choice on the kiosk.
    std::string consultation;
    std::string consultation_configured;
};

// The choices the settings screen offers for the inactivity time.
inline constexpr int kIdleChoicesSeconds[] = {30, 60, 90, 120, 180, 300};

// `defaults` filled in from `file` (a missing file: `defaults` unchanged). Errors name file:line.
Result<VolunteerSettings, std::string> load_volunteer_settings(const std::filesystem::path& file,
                                                               const VolunteerSettings& defaults);
Status<std::string> save_volunteer_settings(const std::filesystem::path& file, const VolunteerSettings& s);

} // namespace buurtstem
