// ResidentFlow: one resident's pass through a consultation, as a state machine.
//
//   Start --Start--> Question 1 --Next/Skip--> ... Question N --Next--> Saving --saved()--> Thanks
//     ^                  |  (Back goes one question back; from Q1 to Start) |                  |
//     |                  +-- AskStop + ConfirmStop, or idle too long ------+-- save_failed()  |
//     +------------------------------------------- ThanksDone, or thanks shown long enough --+
//
// show-if: questions whose condition does not hold are hidden. Next and Back step over them; an answer
// that hides later questions drops their answers (they no longer apply); progress counts only the
// questions shown with the answers given so far.
//
// Quick poll (Consultation::quick): the one question is the start screen; one tap answers and finishes;
// the thank-you lasts FlowTimings::quick_thanks, then the question is back for the next passer-by, in
// the default language. Its language buttons work on the question itself (ChooseLanguage there); a
// language left chosen without a tap goes back to the default after idle_warning + idle_reset.
//
// Every event carries the time (a Moment), so tests step through inactivity without sleeping.
// Every way back to Start (Back from the first question, Stop, the idle reset) throws the answers
// away: the next resident never sees them, and an unfinished response is never stored.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/consultation/response.hpp"

namespace buurtstem {

// Steady time runs the timers (a clock change cannot cut a resident off); wall time stamps responses.
struct Moment {
    std::chrono::steady_clock::time_point steady;
    std::chrono::system_clock::time_point wall;

    static Moment now() { return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()}; }
    Moment plus(std::chrono::milliseconds delta) const { return {steady + delta, wall + delta}; }
};

enum class Screen {
    Start,      // welcome, choose language, "Beginnen"
    Question,   // one question per screen
    Saving,     // finished; waiting for the store to commit (a moment)
    SaveFailed, // the store refused; answers are kept in memory, the volunteer can retry
    Thanks,     // thank-you; returns to Start by itself
};

enum class FlowEventType {
    Touch,          // any tap or key: the resident is still there
    ChooseLanguage, // value: language code
    Start,
    Answer, // value: option id, "1".."5", or text; an empty value clears the answer
    Next,
    Back,
    Skip,
    AskStop, // the resident taps "Stoppen": ask for confirmation
    ConfirmStop,
    CancelStop,
    StillHere, // answer to "Bent u er nog?"
    RetrySave,
    ThanksDone,
    SetTextSize,    // value: "0", "1" or "2" (100 %, 150 %, 200 %); on any screen
    ToggleContrast, // the high-contrast theme on or off; on any screen
};

struct FlowEvent {
    FlowEventType type = FlowEventType::Touch;
    std::string value;
};

// How the kiosk looks for the resident at it: theirs, like their answers and language, so it goes back
// to the defaults when they leave (thank-you done, stop, the idle reset). See resident_display.cpp.
struct ResidentDisplay {
    int text_size = 0; // index into text::kTextSizeScale (kiosk/text): 100 %, 150 %, 200 %
    bool high_contrast = false;
};
inline constexpr int kResidentTextSizes = 3;

struct FlowTimings {
    std::chrono::seconds idle_warning{60}; // no touch for this long on a question: ask "Bent u er nog?"
    std::chrono::seconds idle_reset{20};   // then, no answer for this long: start over
    std::chrono::seconds thanks{10};       // the thank-you screen shows this long
    std::chrono::seconds quick_thanks{2};  // ... and this long after a quick poll's one tap
    // An event setting (volunteer console): when the idle reset comes and every required question shown
    // has its answer, store what was given instead of dropping it. Stopping on purpose still drops.
    bool keep_unfinished = false;
};

// What the flow hands to storage when a resident finishes.
struct FinishedAnswers {
    std::string id; // the response's UUID, made once at the finish: a retried save stores the same id
    std::string language;
    std::chrono::system_clock::time_point started;
    std::chrono::system_clock::time_point completed;
    std::vector<Answer> answers; // in question order; skipped questions are absent
};

class ResidentFlow {
public:
    // `consultation` must outlive the flow.
    ResidentFlow(const Consultation& consultation, FlowTimings timings);
    // Holds a reference to its consultation: copies would make it easy to outlive it.
    ResidentFlow(const ResidentFlow&) = delete;
    ResidentFlow& operator=(const ResidentFlow&) = delete;

    // Applies one event; events that make no sense in the current state are ignored (a double tap on
    // a button that has just gone away must not do anything surprising).
    void handle(const FlowEvent& event, Moment now);
    // Advances the timers; call once per frame or at least once a second.
    void tick(Moment now);

    // The storage side reports the outcome of committing finished_answers().
    void saved(Moment now);
    void save_failed(Moment now);

    Screen screen() const { return screen_; }
    const std::string& language() const { return language_; }
    size_t question_index() const { return index_; }
    size_t question_count() const { return consultation_.questions.size(); }
    // Progress as the resident sees it: the position of this question among those shown, and how many
    // are shown given the answers so far (show-if).
    size_t progress_position() const;
    size_t progress_total() const;
    // Whether question `index` is shown with the answers given so far.
    bool is_visible(size_t index) const;
    // The last Answer event was refused as out of bounds (a multiple choice beyond its maximum): the
    // screen explains the limit. Cleared by the next event.
    bool answer_refused() const { return answer_refused_; }
    bool is_quick() const { return consultation_.quick; }
    const Question& current_question() const { return consultation_.questions.at(index_); }
    const Consultation& consultation() const { return consultation_; }
    // The current answer to the question on screen, empty when none.
    const std::string& current_answer() const;
    bool can_go_next() const;
    bool can_skip() const;
    bool is_last_question() const { return !next_visible(index_).has_value(); }
    bool idle_warning_shown() const { return idle_warning_; }
    bool stop_confirmation_shown() const { return confirm_stop_; }
    // Seconds left before the idle warning resets the flow (for the countdown on screen).
    int idle_seconds_left(Moment now) const;
    // When tick() next has something to do or the screen next changes by itself (the idle warning, its
    // countdown's next second, the reset, the end of the thank-you); nullopt when only a tap can change
    // anything. Lets the frame loop sleep until then instead of redrawing.
    std::optional<std::chrono::steady_clock::time_point> next_deadline(Moment now) const;

    const ResidentDisplay& display() const { return display_; }

    // Valid on Saving and SaveFailed.
    const FinishedAnswers& finished_answers() const { return finished_; }

    // The language each resident starts in (a volunteer setting); ignored unless the consultation offers
    // it. Takes effect at the next start screen.
    void set_start_language(const std::string& code);

    // How often residents left before the end (for the volunteer's tallies; no answers are kept).
    int abandoned_count() const { return abandoned_; }

private:
    bool has_answers() const;
    bool required_answered() const;
    std::string start_language() const;
    std::optional<size_t> next_visible(size_t from) const;
    std::optional<size_t> previous_visible(size_t from) const;
    void drop_hidden_answers();
    void reset_to_start();
    void finish(Moment now);
    void on_question(const FlowEvent& event, Moment now);
    // Text size and contrast events (resident_display.cpp); true when `event` was one of them.
    bool on_display(const FlowEvent& event);
    // Something of the last resident's is still chosen on the start screen (language, text size, contrast).
    bool start_screen_dirty() const;

    const Consultation& consultation_;
    FlowTimings timings_;
    Screen screen_ = Screen::Start;
    std::string language_;
    size_t index_ = 0;
    std::vector<std::string> answers_;
    bool idle_warning_ = false;
    bool confirm_stop_ = false;
    bool answer_refused_ = false;
    std::chrono::steady_clock::time_point last_touch_{};
    std::chrono::steady_clock::time_point warning_since_{};
    std::chrono::steady_clock::time_point thanks_since_{};
    std::chrono::system_clock::time_point started_{};
    FinishedAnswers finished_;
    int abandoned_ = 0;
    std::string start_language_; // empty: the consultation's default
    ResidentDisplay display_;
};

// The response to store for `finished`, as made on kiosk `device_id`.
CompletedResponse to_completed_response(const Consultation& consultation, const FinishedAnswers& finished,
                                        const std::string& device_id);

} // namespace buurtstem
