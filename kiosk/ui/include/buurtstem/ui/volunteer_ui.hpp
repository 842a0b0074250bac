// The volunteer's screens. DrawVolunteer() draws whatever screen the VolunteerFlow is on and appends the
// volunteer's taps to `events`; the app applies them after the frame. What the screens show besides the
// flow (counts, tallies, sync) comes in a ConsoleView the app fills from the store and the sync worker.
//
// Index (src/volunteer/):
//   volunteer_corner.cpp       the hidden corner on the residents' screens: a long press opens the PIN pad
//   screen_pin.cpp             the PIN pad with its lockout countdown
//   screen_home.cpp            the event, the way to every other screen, past events
//   screen_event_form.cpp      start an event: name, wijk, municipality on the on-screen keyboard
//   screen_live.cpp            live panel: counts, tallies as bars, stored here -> sent -> confirmed, sync
//   screen_conversation.cpp    a facilitated response's optional note
//   screen_settings.cpp        inactivity, unfinished answers, read-aloud, language, text size
//   screen_consultations.cpp   the consultations on this kiosk; switching to one after a confirmation
//   volunteer_ui.cpp           DrawVolunteer: the dispatcher
// Screen names in the automation map start with "volunteer", items with "volunteer." (and pin.N, key.X).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/ui/kiosk_ui.hpp"
#include "buurtstem/volunteer/volunteer_flow.hpp"

namespace buurtstem::ui {

struct ConsoleEvent {
    std::string name;
    std::string wijk;
    std::string municipality;
    std::string date; // as the volunteer reads it: "1-12-2026"
    int64_t kiosk = 0;
    int64_t facilitated = 0;
    int64_t paper = 0;
};

struct TallyBar {
    std::string label;
    int64_t count = 0;
};

struct QuestionTally {
    std::string question_id;
    std::string text;
    std::vector<TallyBar> bars;
};

// One consultation on the volunteer's list.
struct ConsoleConsultation {
    std::string id;
    std::string title; // in the console's language (else the consultation's first)
    int questions = 0;
    bool quick = false;  // a quick poll: one question, one tap
    bool active = false; // the one residents see now
};

enum class NetworkView { NoServer, Unknown, Reached, Unreachable, Revoked };

// Plain data, gathered by the app before a volunteer frame.
struct ConsoleView {
    std::optional<ConsoleEvent> current; // the event under way
    std::vector<ConsoleEvent> past;      // newest first
    int64_t in_event = 0;
    int64_t today = 0;
    // Each response's way to the council.
    int64_t stored_here = 0; // on this kiosk, not yet sent
    int64_t sent = 0;        // sent, the server's receipt not yet back
    int64_t confirmed = 0;   // the server confirmed it stored them
    int64_t held = 0;        // the server waits for their consultation file
    int64_t set_aside = 0;   // refused by the server; kept here
    std::vector<QuestionTally> tallies;
    // Invitations (contact opt-ins): counts only, never who.
    int64_t contacts_waiting = 0; // not yet confirmed by the server
    int64_t contacts_sent = 0;    // confirmed, still on the kiosk until a volunteer clears them
    bool sync_running = false;
    float sync_progress = 0.0f; // 0..1 while running
    std::string last_sync_time; // "14:05", empty when never
    std::string last_sync_words;
    NetworkView network = NetworkView::Unknown;
    uint64_t free_disk_bytes = 0;
    bool disk_low = false;
    std::string notice;                         // the outcome of the last action (an export), in words
    std::vector<std::string> languages;         // the consultation's: the residents' start language
    std::vector<std::string> console_languages; // every language the console has texts in
    std::vector<ConsoleConsultation> consultations;
    std::vector<std::string> broken_consultations; // "file:line:col: reason", cannot be chosen
};

// The long-press corner, drawn over a residents' screen (after it). Returns true on the frame a press
// that lasted `seconds` or more is let go. While a finger is on it, `wake_at` says when to draw next (the
// ring that fills).
bool DrawVolunteerCorner(KioskUiContext& ctx, float seconds,
                         std::optional<std::chrono::steady_clock::time_point>& wake_at);

void DrawVolunteer(const VolunteerFlow& flow, const ConsoleView& view, KioskUiContext& ctx,
                   std::vector<VolunteerEvent>& events);

} // namespace buurtstem::ui
