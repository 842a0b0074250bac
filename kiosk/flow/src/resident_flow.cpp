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
}

const std::string& ResidentFlow::current_answer() const {
    static const std::string none;
    return screen_ == Screen::Question ? answers_.at(index_) : none;
}

bool ResidentFlow::can_go_next() const {
    return screen_ == Screen::Question && (!current_question().required || !current_answer().empty());
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

bool ResidentFlow::has_answers() const {
    return std::any_of(answers_.begin(), answers_.end(), [](const std::string& a) { return !a.empty(); });
}

void ResidentFlow::reset_to_start() {
    screen_ = Screen::Start;
    language_ = consultation_.default_language();
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
    case FlowEventType::Answer:
        // The UI only offers valid values; anything else is dropped rather than stored.
        if (event.value.empty() || !check_answer(current_question(), event.value)) {
            answers_.at(index_) = event.value;
        }
        break;
    case FlowEventType::Next:
        if (!can_go_next()) {
            break;
        }
        if (is_last_question()) {
            finish(now);
        } else {
            ++index_;
        }
        break;
    case FlowEventType::Skip:
        if (!can_skip()) {
            break;
        }
        answers_.at(index_).clear();
        if (is_last_question()) {
            finish(now);
        } else {
            ++index_;
        }
        break;
    case FlowEventType::Back:
        if (index_ == 0) {
            // Start is where the next resident begins, so no answers may wait there. The language
            // stays: going back to pick another one is the usual reason for this tap.
            const std::string language = language_;
            if (has_answers()) {
                ++abandoned_;
            }
            reset_to_start();
            language_ = language;
        } else {
            --index_;
        }
        break;
    case FlowEventType::AskStop:
        confirm_stop_ = true;
        break;
    default:
        break;
    }
}

void ResidentFlow::finish(Moment now) {
    finished_ = FinishedAnswers{new_uuid_v4(), language_, started_, now.wall, {}};
    for (size_t i = 0; i < answers_.size(); ++i) {
        if (!answers_[i].empty()) {
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
        if (!idle_warning_ && now.steady - last_touch_ >= timings_.idle_warning) {
            idle_warning_ = true;
            confirm_stop_ = false;
            warning_since_ = now.steady;
        } else if (idle_warning_ && now.steady - warning_since_ >= timings_.idle_reset) {
            ++abandoned_;
            reset_to_start();
        }
        break;
    case Screen::Start:
        // A language, text size or contrast left chosen by the last visitor goes back to the default.
        if (now.steady - last_touch_ >= timings_.idle_warning + timings_.idle_reset &&
            (language_ != consultation_.default_language() || display_.text_size != 0 ||
             display_.high_contrast)) {
            reset_to_start();
        }
        break;
    case Screen::Thanks:
        if (now.steady - thanks_since_ >= timings_.thanks) {
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
