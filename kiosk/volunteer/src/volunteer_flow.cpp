#include "buurtstem/volunteer/volunteer_flow.hpp"

#include <algorithm>
#include <charconv>

namespace buurtstem {

namespace {

size_t code_points(const std::string& text) {
    return static_cast<size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool blank(const std::string& text) {
    return text.find_first_not_of(' ') == std::string::npos;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

std::optional<int> to_int(const std::string& text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

const char* to_string(EntryChannel channel) {
    switch (channel) {
    case EntryChannel::Kiosk:
        return "kiosk";
    case EntryChannel::Facilitated:
        return "facilitated";
    case EntryChannel::Paper:
        return "paper";
    }
    return "kiosk";
}

VolunteerFlow::VolunteerFlow(PinLock& pin, VolunteerSettings settings, VolunteerTimings timings)
    : pin_(pin), settings_(std::move(settings)), timings_(timings) {}

std::vector<VolunteerCommand> VolunteerFlow::take_commands() {
    std::vector<VolunteerCommand> out;
    out.swap(commands_);
    return out;
}

void VolunteerFlow::emit(VolunteerCommandType type) {
    VolunteerCommand c;
    c.type = type;
    c.form = form_;
    c.channel = channel_;
    c.note = trimmed(note_);
    c.settings = settings_;
    commands_.push_back(std::move(c));
}

int VolunteerFlow::locked_seconds(Moment now) const {
    return static_cast<int>(pin_.locked_for(now.wall).count());
}

bool VolunteerFlow::can_submit_event() const {
    // All three: the council's counts per event are read by wijk and municipality.
    return !blank(form_.name) && !blank(form_.wijk) && !blank(form_.municipality);
}

void VolunteerFlow::go(VolunteerScreen screen, Moment now) {
    screen_ = screen;
    last_touch_ = now.steady;
}

void VolunteerFlow::close_console(Moment now) {
    go(VolunteerScreen::Closed, now);
    pin_entry_.clear();
    note_.clear();
    emit(VolunteerCommandType::ResumeResidents);
}

void VolunteerFlow::handle(const VolunteerEvent& event, Moment now) {
    if (screen_ != VolunteerScreen::Closed && screen_ != VolunteerScreen::Assisting) {
        last_touch_ = now.steady;
    }
    switch (event.type) {
    case VolunteerEventType::Touch:
        return;
    case VolunteerEventType::LongPress:
        if (resident_mode()) {
            before_pin_ = screen_;
            pin_purpose_ = PinPurpose::Open;
            pin_entry_.clear();
            pin_message_ = pin_.has_pin() ? PinMessage::None : PinMessage::NoPin;
            go(VolunteerScreen::Pin, now);
        }
        return;
    case VolunteerEventType::WindowClose:
        if (!pin_.has_pin()) {
            emit(VolunteerCommandType::Quit); // nothing to protect: closing works as it always did
        } else if (screen_ != VolunteerScreen::Pin) {
            before_pin_ = screen_;
            pin_purpose_ = PinPurpose::Quit;
            pin_entry_.clear();
            pin_message_ = PinMessage::None;
            go(VolunteerScreen::Pin, now);
        }
        return;
    case VolunteerEventType::ResidentDone:
        if (screen_ == VolunteerScreen::Assisting) {
            note_.clear();
            go(VolunteerScreen::Home, now);
        }
        return;
    default:
        break;
    }
    if (screen_ == VolunteerScreen::Pin) {
        on_pin(event, now);
    } else if (!resident_mode()) {
        on_console(event, now);
    }
}

void VolunteerFlow::on_pin(const VolunteerEvent& event, Moment now) {
    switch (event.type) {
    case VolunteerEventType::PinDigit:
        if (event.value.size() == 1 && event.value[0] >= '0' && event.value[0] <= '9' &&
            pin_entry_.size() < kMaxPinDigits && locked_seconds(now) == 0 && pin_.has_pin()) {
            pin_entry_ += event.value;
            if (pin_message_ != PinMessage::Error) {
                pin_message_ = PinMessage::None;
            }
        }
        break;
    case VolunteerEventType::PinErase:
        if (!pin_entry_.empty()) {
            pin_entry_.pop_back();
        }
        break;
    case VolunteerEventType::PinOk: {
        if (pin_entry_.size() < 4) {
            break; // the OK key is not offered yet
        }
        const std::string entry = pin_entry_;
        pin_entry_.clear();
        auto outcome = pin_.check(entry, now.wall);
        if (!outcome) {
            pin_message_ = PinMessage::Error;
            pin_error_ = outcome.error();
            break;
        }
        switch (outcome->verdict) {
        case PinVerdict::Accepted:
            pin_message_ = PinMessage::None;
            if (pin_purpose_ == PinPurpose::Quit) {
                emit(VolunteerCommandType::Quit);
                go(before_pin_, now);
            } else {
                go(VolunteerScreen::Home, now);
            }
            break;
        case PinVerdict::Wrong:
            pin_message_ = PinMessage::Wrong;
            attempts_left_ = outcome->attempts_left;
            break;
        case PinVerdict::LockedOut:
            pin_message_ = PinMessage::LockedOut;
            break;
        case PinVerdict::NoPin:
            pin_message_ = PinMessage::NoPin;
            break;
        }
        break;
    }
    case VolunteerEventType::Cancel:
        pin_entry_.clear();
        go(before_pin_, now);
        break;
    default:
        break;
    }
}

void VolunteerFlow::save_settings() {
    emit(VolunteerCommandType::SaveSettings);
}

void VolunteerFlow::on_console(const VolunteerEvent& event, Moment now) {
    std::string* text = nullptr;
    int limit = kMaxEventText;
    if (screen_ == VolunteerScreen::EventForm) {
        text = field_ == EventField::Name   ? &form_.name
               : field_ == EventField::Wijk ? &form_.wijk
                                            : &form_.municipality;
    } else if (screen_ == VolunteerScreen::Conversation) {
        text = &note_;
        limit = kMaxNote;
    }
    switch (event.type) {
    case VolunteerEventType::Cancel:
        if (screen_ == VolunteerScreen::Home) {
            close_console(now);
        } else if (screen_ == VolunteerScreen::ConfirmConsultation) {
            chosen_consultation_.clear();
            go(VolunteerScreen::Consultations, now);
        } else {
            go(VolunteerScreen::Home, now);
        }
        break;
    case VolunteerEventType::CloseConsole:
        close_console(now);
        break;
    case VolunteerEventType::AskQuit:
        before_pin_ = screen_;
        pin_purpose_ = PinPurpose::Quit;
        pin_entry_.clear();
        pin_message_ = PinMessage::None;
        go(VolunteerScreen::Pin, now);
        break;
    case VolunteerEventType::Open:
        if (screen_ != VolunteerScreen::Home) {
            break;
        }
        if (event.value == "event") {
            form_ = EventForm{};
            field_ = EventField::Name;
            go(VolunteerScreen::EventForm, now);
        } else if (event.value == "live") {
            go(VolunteerScreen::Live, now);
        } else if (event.value == "conversation") {
            note_.clear();
            go(VolunteerScreen::Conversation, now);
        } else if (event.value == "settings") {
            go(VolunteerScreen::Settings, now);
        } else if (event.value == "consultations") {
            chosen_consultation_.clear();
            emit(VolunteerCommandType::ListConsultations);
            go(VolunteerScreen::Consultations, now);
        }
        break;
    case VolunteerEventType::FocusField:
        if (screen_ == VolunteerScreen::EventForm) {
            field_ = event.value == "wijk"           ? EventField::Wijk
                     : event.value == "municipality" ? EventField::Municipality
                                                     : EventField::Name;
        }
        break;
    case VolunteerEventType::EditText:
        // The keyboard types only letters, digits and a little punctuation; the length is kept here.
        if (text != nullptr && code_points(event.value) <= static_cast<size_t>(limit)) {
            *text = event.value;
        }
        break;
    case VolunteerEventType::SubmitEvent:
        if (screen_ == VolunteerScreen::EventForm && can_submit_event()) {
            form_ = {trimmed(form_.name), trimmed(form_.wijk), trimmed(form_.municipality)};
            emit(VolunteerCommandType::StartEvent);
            go(VolunteerScreen::Home, now);
        }
        break;
    case VolunteerEventType::EndEvent:
        if (screen_ == VolunteerScreen::Home) {
            emit(VolunteerCommandType::EndEvent);
        }
        break;
    case VolunteerEventType::SyncNow:
        emit(VolunteerCommandType::SyncNow);
        break;
    case VolunteerEventType::Export:
        emit(VolunteerCommandType::Export);
        break;
    case VolunteerEventType::StartPaper:
    case VolunteerEventType::StartConversation:
        if (screen_ == VolunteerScreen::Home || screen_ == VolunteerScreen::Conversation) {
            channel_ = event.type == VolunteerEventType::StartPaper ? EntryChannel::Paper
                                                                    : EntryChannel::Facilitated;
            if (channel_ == EntryChannel::Paper) {
                note_.clear();
            }
            emit(VolunteerCommandType::BeginAssisted);
            go(VolunteerScreen::Assisting, now);
        }
        break;
    case VolunteerEventType::SetIdle:
        if (screen_ == VolunteerScreen::Settings) {
            const auto seconds = to_int(event.value);
            if (seconds && std::find(std::begin(kIdleChoicesSeconds), std::end(kIdleChoicesSeconds),
                                     *seconds) != std::end(kIdleChoicesSeconds)) {
                settings_.idle_warning = std::chrono::seconds(*seconds);
                save_settings();
            }
        }
        break;
    case VolunteerEventType::SetUnfinished:
        if (screen_ == VolunteerScreen::Settings && (event.value == "keep" || event.value == "discard")) {
            settings_.unfinished =
                event.value == "keep" ? UnfinishedAnswers::Keep : UnfinishedAnswers::Discard;
            save_settings();
        }
        break;
    case VolunteerEventType::SetSpeak:
        if (screen_ == VolunteerScreen::Settings) {
            settings_.speak_automatically = event.value == "1";
            save_settings();
        }
        break;
    case VolunteerEventType::SetLanguage:
        if (screen_ == VolunteerScreen::Settings) {
            settings_.default_language = event.value;
            save_settings();
        }
        break;
    case VolunteerEventType::SetTextSize:
        if (screen_ == VolunteerScreen::Settings) {
            const auto size = to_int(event.value);
            if (size && *size >= 0 && *size <= 2) {
                settings_.text_size = *size;
                save_settings();
            }
        }
        break;
    case VolunteerEventType::SetConsoleLanguage:
        if (screen_ == VolunteerScreen::Settings && !event.value.empty() && event.value.size() <= 8) {
            settings_.console_language = event.value;
            save_settings();
        }
        break;
    case VolunteerEventType::ClearContacts:
        if (screen_ == VolunteerScreen::Live) {
            emit(VolunteerCommandType::ClearContacts);
        }
        break;
    case VolunteerEventType::ChooseConsultation:
        if (screen_ == VolunteerScreen::Consultations && !event.value.empty()) {
            chosen_consultation_ = event.value;
            go(VolunteerScreen::ConfirmConsultation, now);
        }
        break;
    case VolunteerEventType::ConfirmConsultation:
        if (screen_ == VolunteerScreen::ConfirmConsultation) {
            VolunteerCommand c;
            c.type = VolunteerCommandType::SwitchConsultation;
            c.consultation = chosen_consultation_;
            c.settings = settings_;
            commands_.push_back(std::move(c));
            chosen_consultation_.clear();
            go(VolunteerScreen::Home, now);
        }
        break;
    default:
        break;
    }
}

const VolunteerSettings& VolunteerFlow::consultation_switched(const std::string& id,
                                                              const std::string& configured) {
    settings_.consultation = id;
    settings_.consultation_configured = configured;
    return settings_;
}

void VolunteerFlow::tick(Moment now) {
    switch (screen_) {
    case VolunteerScreen::Closed:
    case VolunteerScreen::Assisting:
        break;
    case VolunteerScreen::Pin:
        if (now.steady - last_touch_ >= timings_.pin_idle) {
            pin_entry_.clear();
            go(before_pin_, now);
        }
        break;
    default:
        if (now.steady - last_touch_ >= timings_.console_idle) {
            close_console(now); // nobody may wander into an open console
        }
        break;
    }
}

std::optional<std::chrono::steady_clock::time_point> VolunteerFlow::next_deadline(Moment now) const {
    switch (screen_) {
    case VolunteerScreen::Closed:
    case VolunteerScreen::Assisting:
        return std::nullopt;
    case VolunteerScreen::Pin: {
        auto deadline = last_touch_ + timings_.pin_idle;
        if (const int locked = locked_seconds(now); locked > 0) {
            // The countdown's next whole second (wall time, as the lock is kept).
            const auto wall_ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(now.wall.time_since_epoch()).count();
            const auto to_next = std::chrono::milliseconds(1000 - wall_ms % 1000);
            deadline = std::min(deadline, now.steady + to_next);
        }
        return deadline;
    }
    default:
        return last_touch_ + timings_.console_idle;
    }
}

} // namespace buurtstem
