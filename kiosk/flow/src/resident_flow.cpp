#include "buurtstem/flow/resident_flow.hpp"

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"

#include <algorithm>
#include <cassert>

namespace buurtstem {

ResidentFlow::ResidentFlow(const Consultation& consultation, FlowTimings timings)
    : consultation_(consultation), timings_(timings), language_(consultation.default_language()),
      answers_(consultation.questions.size()) {
    assert(!consultation.questions.empty() && "the loader guarantees at least one question");
    reset_to_start();
}

bool ResidentFlow::is_visible(size_t index) const {
    // The same rule the server checks uploads with (consultation.hpp).
    return is_question_shown(consultation_, index, answers_);
}

std::optional<size_t> ResidentFlow::next_visible(size_t from) const {
    for (size_t i = from + 1; i < consultation_.questions.size(); ++i) {
        if (is_visible(i)) {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<size_t> ResidentFlow::previous_visible(size_t from) const {
    for (size_t i = from; i > 0; --i) {
        if (is_visible(i - 1)) {
            return i - 1;
        }
    }
    return std::nullopt;
}

void ResidentFlow::drop_hidden_answers() {
    // In order: a question hidden now may hide later ones through its dropped answer.
    for (size_t i = 0; i < answers_.size(); ++i) {
        if (!answers_[i].empty() && !is_visible(i)) {
            answers_[i].clear();
        }
    }
}

size_t ResidentFlow::progress_position() const {
    size_t position = 0;
    for (size_t i = 0; i <= index_ && i < consultation_.questions.size(); ++i) {
        position += is_visible(i) ? 1 : 0;
    }
    return position;
}

size_t ResidentFlow::progress_total() const {
    size_t total = 0;
    for (size_t i = 0; i < consultation_.questions.size(); ++i) {
        total += is_visible(i) ? 1 : 0;
    }
    return total;
}

const std::string& ResidentFlow::current_answer() const {
    static const std::string none;
    return screen_ == Screen::Question ? answers_.at(index_) : none;
}

bool ResidentFlow::can_go_next() const {
    if (screen_ != Screen::Question) {
        return false;
    }
    const std::string& answer = current_answer();
    if (answer.empty()) {
        return !current_question().required;
    }
    // A draft (a multiple choice below its minimum) must be completed or cleared first.
    return !check_answer(current_question(), answer).has_value();
}

bool ResidentFlow::can_skip() const {
    return screen_ == Screen::Question && !current_question().required;
}

int ResidentFlow::idle_seconds_left(Moment now) const {
    if (!idle_warning_) {
        return 0;
    }
    const auto left = timings_.idle_reset - (now.steady - warning_since_);
    return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

std::optional<std::chrono::steady_clock::time_point> ResidentFlow::next_deadline(Moment now) const {
    switch (screen_) {
    case Screen::Question:
        if (consultation_.quick) {
            // The quick poll's question is the resting screen (tick); only a language, text size or contrast
            // left chosen by a passer-by who walked away has a deadline: back to the default.
            if (start_screen_dirty()) {
                return last_touch_ + timings_.idle_warning + timings_.idle_reset;
            }
            return std::nullopt;
        }
        if (!idle_warning_) {
            return last_touch_ + timings_.idle_warning;
        } else {
            // The countdown on screen changes every whole second until the reset.
            const auto elapsed = now.steady - warning_since_;
            const auto next_second =
                std::chrono::floor<std::chrono::seconds>(elapsed) + std::chrono::seconds(1);
            return warning_since_ +
                   std::min<std::chrono::steady_clock::duration>(next_second, timings_.idle_reset);
        }
    case Screen::Start:
        if (start_screen_dirty()) {
            return last_touch_ + timings_.idle_warning + timings_.idle_reset;
        }
        return std::nullopt;
    case Screen::Thanks:
        return thanks_since_ + (consultation_.quick ? timings_.quick_thanks : timings_.thanks);
    case Screen::Saving:
    case Screen::SaveFailed:
        break;
    }
    return std::nullopt;
}

bool ResidentFlow::has_answers() const {
    return std::any_of(answers_.begin(), answers_.end(), [](const std::string& a) { return !a.empty(); });
}

void ResidentFlow::reset_to_start() {
    // A quick poll has no start screen: its question waits for the next passer-by.
    screen_ = consultation_.quick ? Screen::Question : Screen::Start;
    answer_refused_ = false;
    language_ = start_language_.empty() ? consultation_.default_language() : start_language_;
    index_ = 0;
    answers_.assign(consultation_.questions.size(), std::string());
    idle_warning_ = false;
    confirm_stop_ = false;
    finished_ = FinishedAnswers{};
    display_ = ResidentDisplay{}; // the next resident starts at the default text size and colours
}

void ResidentFlow::handle(const FlowEvent& event, Moment now) {
    // Any event proves somebody is there and restarts the idle timer. While "Bent u er nog?" is shown
    // only its own button dismisses it (see on_question): a stray tap is not an answer.
    last_touch_ = now.steady;
    if (event.type == FlowEventType::Touch || on_display(event)) {
        return;
    }
    answer_refused_ = false;
    switch (screen_) {
    case Screen::Start:
        if (event.type == FlowEventType::ChooseLanguage && consultation_.offers_language(event.value)) {
            language_ = event.value;
        } else if (event.type == FlowEventType::Start) {
            screen_ = Screen::Question;
            index_ = 0;
            started_ = now.wall;
        }
        break;
    case Screen::Question:
        on_question(event, now);
        break;
    case Screen::SaveFailed:
        if (event.type == FlowEventType::RetrySave) {
            screen_ = Screen::Saving;
        }
        break;
    case Screen::Thanks:
        if (event.type == FlowEventType::ThanksDone) {
            reset_to_start();
        }
        break;
    case Screen::Saving:
        break;
    }
}

void ResidentFlow::on_question(const FlowEvent& event, Moment now) {
    if (idle_warning_) {
        // While "Bent u er nog?" is up only its own button counts; a stray tap on what lies beneath
        // must not change an answer.
        if (event.type == FlowEventType::StillHere) {
            idle_warning_ = false;
        }
        return;
    }
    if (confirm_stop_) {
        if (event.type == FlowEventType::ConfirmStop) {
            ++abandoned_;
            reset_to_start();
        } else if (event.type == FlowEventType::CancelStop) {
            confirm_stop_ = false;
        }
        return;
    }
    switch (event.type) {
    case FlowEventType::ChooseLanguage:
        // A quick poll has no start screen: its language buttons sit beside the question.
        if (consultation_.quick && consultation_.offers_language(event.value)) {
            language_ = event.value;
        }
        break;
    case FlowEventType::Answer: {
        // The UI only offers valid values; anything else is dropped rather than stored. A draft (a
        // multiple choice still below its minimum) is kept; Next waits until it is complete.
        const Question& q = current_question();
        if (!event.value.empty() && q.type->check_draft(q, event.value).has_value()) {
            answer_refused_ = true;
            break;
        }
        answers_.at(index_) = event.value;
        drop_hidden_answers();
        if (consultation_.quick && !event.value.empty() && can_go_next()) {
            // One tap is the whole response.
            started_ = now.wall;
            finish(now);
        }
        break;
    }
    case FlowEventType::Next:
    case FlowEventType::Skip: {
        if (consultation_.quick) {
            break;
        }
        if (event.type == FlowEventType::Next ? !can_go_next() : !can_skip()) {
            break;
        }
        if (event.type == FlowEventType::Skip) {
            answers_.at(index_).clear();
            drop_hidden_answers();
        }
        if (const auto next = next_visible(index_)) {
            index_ = *next;
        } else {
            finish(now);
        }
        break;
    }
    case FlowEventType::Back:
        if (consultation_.quick) {
            break;
        }
        if (const auto previous = previous_visible(index_)) {
            index_ = *previous;
        } else {
            // Start is where the next resident begins, so no answers may wait there. The language
            // stays: going back to pick another one is the usual reason for this tap.
            const std::string language = language_;
            if (has_answers()) {
                ++abandoned_;
            }
            reset_to_start();
            language_ = language;
        }
        break;
    case FlowEventType::AskStop:
        confirm_stop_ = !consultation_.quick;
        break;
    default:
        break;
    }
}

std::string ResidentFlow::start_language() const {
    return start_language_.empty() ? consultation_.default_language() : start_language_;
}

void ResidentFlow::set_start_language(const std::string& code) {
    start_language_ = consultation_.offers_language(code) ? code : std::string();
    if (screen_ == Screen::Start && !has_answers()) {
        language_ = start_language();
    }
}

bool ResidentFlow::required_answered() const {
    for (size_t i = 0; i < consultation_.questions.size(); ++i) {
        const Question& q = consultation_.questions[i];
        if (q.required && is_visible(i) &&
            (answers_[i].empty() || check_answer(q, answers_[i]).has_value())) {
            return false;
        }
    }
    return true;
}

void ResidentFlow::finish(Moment now) {
    finished_ = FinishedAnswers{new_uuid_v4(), language_, started_, now.wall, {}};
    for (size_t i = 0; i < answers_.size(); ++i) {
        // Hidden questions' answers were dropped already; an incomplete draft is no answer.
        if (!answers_[i].empty() && is_visible(i) && !check_answer(consultation_.questions[i], answers_[i])) {
            finished_.answers.push_back({consultation_.questions[i].id, answers_[i]});
        }
    }
    screen_ = Screen::Saving;
}

void ResidentFlow::saved(Moment now) {
    if (screen_ != Screen::Saving) {
        return;
    }
    answers_.assign(consultation_.questions.size(), std::string());
    screen_ = Screen::Thanks;
    thanks_since_ = now.steady;
}

void ResidentFlow::save_failed(Moment) {
    if (screen_ == Screen::Saving) {
        screen_ = Screen::SaveFailed;
    }
}

void ResidentFlow::tick(Moment now) {
    switch (screen_) {
    case Screen::Question:
        if (consultation_.quick) {
            // The question is the resting screen: nobody to ask "Bent u er nog?". A language, text size or
            // contrast chosen by a passer-by who did not tap an answer goes back to the default, as on the
            // start screen.
            if (now.steady - last_touch_ >= timings_.idle_warning + timings_.idle_reset &&
                start_screen_dirty()) {
                reset_to_start();
            }
            break;
        }
        if (!idle_warning_ && now.steady - last_touch_ >= timings_.idle_warning) {
            idle_warning_ = true;
            confirm_stop_ = false;
            warning_since_ = now.steady;
        } else if (idle_warning_ && now.steady - warning_since_ >= timings_.idle_reset) {
            if (timings_.keep_unfinished && has_answers() && required_answered()) {
                idle_warning_ = false;
                finish(now); // stored as given; the next resident gets the start screen after thanks
            } else {
                ++abandoned_;
                reset_to_start();
            }
        }
        break;
    case Screen::Start:
        // A language, text size or contrast left chosen by the last visitor goes back to the default.
        if (now.steady - last_touch_ >= timings_.idle_warning + timings_.idle_reset && start_screen_dirty()) {
            reset_to_start();
        }
        break;
    case Screen::Thanks:
        if (now.steady - thanks_since_ >= (consultation_.quick ? timings_.quick_thanks : timings_.thanks)) {
            reset_to_start();
        }
        break;
    case Screen::Saving:
    case Screen::SaveFailed:
        break;
    }
}

CompletedResponse to_completed_response(const Consultation& consultation, const FinishedAnswers& finished,
                                        const std::string& device_id) {
    return {finished.id,
            consultation.id,
            consultation.version,
            device_id,
            finished.language,
            to_iso8601_utc(finished.started),
            to_iso8601_utc(finished.completed),
            finished.answers};
}

} // namespace buurtstem
