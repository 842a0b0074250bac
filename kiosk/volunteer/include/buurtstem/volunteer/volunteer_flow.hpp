// VolunteerFlow: the volunteer's console as a state machine, beside the resident's ResidentFlow. Events
// in (taps, the long press, the PIN), commands out (start an event, send now, ...) for the app to carry
// out; no window, no storage, so doctest drives it with a clock of its own.
//
//   Closed --LongPress--> Pin(Open) --right PIN--> Home --Open--> EventForm | Live | Conversation | Settings
//     ^                     |  wrong PIN: stays, counts; locked: countdown, digits refused     |
//     |                     +-- Cancel, or 30 s idle -------------------------------------------+
//     +-- CloseConsole, or console_idle without a tap (ResumeResidents) ------------- Home <----+
//   Home --StartPaper / StartConversation--> Assisting (the resident flow, marked with that channel)
//        --ResidentDone--> Home
//   Home --AskQuit--> Pin(Quit) --right PIN--> Quit        window close (with a PIN set) --> Pin(Quit)
//   Home --Open consultations--> Consultations --ChooseConsultation--> ConfirmConsultation
//        --ConfirmConsultation--> Home (command SwitchConsultation; Cancel: back to the list)
//
// While Closed or Assisting the app shows the resident's screens (resident_mode()).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/volunteer/pin_lock.hpp"
#include "buurtstem/volunteer/volunteer_settings.hpp"

namespace buurtstem {

// How a response came in: a resident alone at the kiosk, a volunteer with a resident in conversation,
// or a paper form typed in afterwards. Every response carries it.
enum class EntryChannel { Kiosk, Facilitated, Paper };
const char* to_string(EntryChannel channel); // "kiosk", "facilitated", "paper"

enum class VolunteerScreen {
    Closed,
    Pin,
    Home,
    EventForm,
    Live,
    Conversation,
    Settings,
    Assisting,
    Consultations,       // the consultations this kiosk holds, the active one marked
    ConfirmConsultation, // "switch to ...?"
};
enum class PinPurpose { Open, Quit };
enum class PinMessage { None, Wrong, LockedOut, NoPin, Error };
enum class EventField { Name, Wijk, Municipality };

enum class VolunteerEventType {
    Touch,       // any tap: the volunteer is still there
    LongPress,   // the hidden corner was held long enough
    WindowClose, // the window manager asked to close the window
    PinDigit,    // value: "0".."9"
    PinErase,
    PinOk,
    Cancel,     // back one step: PIN pad to residents, a sub-screen to Home
    Open,       // value: "event", "live", "conversation", "settings", "consultations"
    FocusField, // value: "name", "wijk", "municipality"
    EditText,   // value: the whole new text of the focused field (the note on Conversation)
    SubmitEvent,
    EndEvent,
    SyncNow,
    Export,
    StartPaper,
    StartConversation,
    SetIdle,            // value: seconds
    SetUnfinished,      // value: "keep" | "discard"
    SetSpeak,           // value: "1" | "0"
    SetLanguage,        // value: language code
    SetTextSize,        // value: "0" | "1" | "2"
    SetConsoleLanguage, // value: language code: the console's own language
    ChooseConsultation, // value: consultation id (on the list): asks to confirm
    ConfirmConsultation,
    ClearContacts, // wipe the contacts the server confirmed (live panel)
    CloseConsole,  // back to the residents
    AskQuit,       // leave the program: asks the PIN again
    ResidentDone,  // from the app: the assisted response was stored or given up
};

struct VolunteerEvent {
    VolunteerEventType type = VolunteerEventType::Touch;
    std::string value;
};

struct EventForm {
    std::string name;
    std::string wijk;
    std::string municipality;
};

enum class VolunteerCommandType {
    StartEvent,         // form
    EndEvent,           //
    SyncNow,            //
    Export,             // pending responses to a USB stick
    SaveSettings,       // settings (already applied to the flow's copy)
    BeginAssisted,      // channel, note: a fresh resident flow for one facilitated or paper response
    ResumeResidents,    // the console closed: a fresh resident flow with the current settings
    Quit,               // the right PIN was given to leave the program
    ListConsultations,  // the list opened: look at what the kiosk holds now
    SwitchConsultation, // consultation: the id confirmed; the app switches, then consultation_switched()
    ClearContacts,      // delete the contacts the server has confirmed
};

struct VolunteerCommand {
    VolunteerCommandType type = VolunteerCommandType::SyncNow;
    EventForm form;
    EntryChannel channel = EntryChannel::Kiosk;
    std::string note;
    VolunteerSettings settings;
    std::string consultation;
};

struct VolunteerTimings {
    std::chrono::seconds pin_idle{30};      // the PIN pad closes by itself
    std::chrono::seconds console_idle{120}; // an unattended console closes by itself
};

inline constexpr size_t kMaxPinDigits = 8;
inline constexpr int kMaxEventText = 60; // code points, per field
inline constexpr int kMaxNote = 140;

class VolunteerFlow {
public:
    // `pin` must outlive the flow.
    VolunteerFlow(PinLock& pin, VolunteerSettings settings, VolunteerTimings timings = {});

    void handle(const VolunteerEvent& event, Moment now);
    void tick(Moment now);
    // The commands produced since the last call, in order.
    std::vector<VolunteerCommand> take_commands();

    VolunteerScreen screen() const { return screen_; }
    // The resident's screens are shown (Closed, or Assisting a facilitated/paper response).
    bool resident_mode() const {
        return screen_ == VolunteerScreen::Closed || screen_ == VolunteerScreen::Assisting;
    }
    // The channel the next stored response comes through.
    EntryChannel channel() const {
        return screen_ == VolunteerScreen::Assisting ? channel_ : EntryChannel::Kiosk;
    }
    const std::string& note() const { return note_; }

    PinPurpose pin_purpose() const { return pin_purpose_; }
    size_t pin_digits() const { return pin_entry_.size(); }
    PinMessage pin_message() const { return pin_message_; }
    const std::string& pin_error() const { return pin_error_; }
    int attempts_left() const { return attempts_left_; }
    // Seconds the pad is still locked (the countdown on screen).
    int locked_seconds(Moment now) const;
    bool has_pin() const { return pin_.has_pin(); }

    const EventForm& form() const { return form_; }
    EventField focused_field() const { return field_; }
    bool can_submit_event() const; // name, wijk and municipality all filled in
    const VolunteerSettings& settings() const { return settings_; }
    // The consultation picked on the list, awaiting confirmation.
    const std::string& chosen_consultation() const { return chosen_consultation_; }
    // The app switched to `id` (configured: the configuration's consultation file); the choice goes into
    // the settings, which the app then saves. Returns them.
    const VolunteerSettings& consultation_switched(const std::string& id, const std::string& configured);

    // When the screen next changes by itself (the lockout countdown's next second, an idle close).
    std::optional<std::chrono::steady_clock::time_point> next_deadline(Moment now) const;

private:
    void go(VolunteerScreen screen, Moment now);
    void on_pin(const VolunteerEvent& event, Moment now);
    void on_console(const VolunteerEvent& event, Moment now);
    void close_console(Moment now);
    void emit(VolunteerCommandType type);
    void save_settings();

    PinLock& pin_;
    VolunteerSettings settings_;
    VolunteerTimings timings_;
    VolunteerScreen screen_ = VolunteerScreen::Closed;
    VolunteerScreen before_pin_ = VolunteerScreen::Closed;
    PinPurpose pin_purpose_ = PinPurpose::Open;
    std::string pin_entry_;
    PinMessage pin_message_ = PinMessage::None;
    std::string pin_error_;
    int attempts_left_ = 0;
    EventForm form_;
    EventField field_ = EventField::Name;
    std::string note_;
    std::string chosen_consultation_;
    EntryChannel channel_ = EntryChannel::Kiosk;
    std::chrono::steady_clock::time_point last_touch_{};
    std::vector<VolunteerCommand> commands_;
};

} // namespace buurtstem
