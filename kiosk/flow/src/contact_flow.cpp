#include "buurtstem/flow/contact_flow.hpp"

#include <utility>

#include "buurtstem/consultation/consultation.hpp" // utf8_length

namespace buurtstem {

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

} // namespace

bool looks_like_phone_or_email(const std::string& raw) {
    const std::string text = trimmed(raw);
    const auto at = text.find('@');
    if (at != std::string::npos) {
        const auto dot = text.find('.', at);
        return at > 0 && dot != std::string::npos && dot > at + 1 && dot + 1 < text.size() &&
               text.find(' ') == std::string::npos && text.find('@', at + 1) == std::string::npos;
    }
    int digits = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c != ' ' && c != '+' && c != '-') {
            return false;
        }
    }
    return digits >= 8 && digits <= 15;
}

void ContactFlow::begin(Moment now) {
    screen_ = ContactScreen::Ask;
    field_ = ContactField::Name;
    entry_ = {};
    submitted_.reset();
    last_touch_ = now.steady;
}

bool ContactFlow::can_send() const {
    return !trimmed(entry_.name).empty() && looks_like_phone_or_email(entry_.phone_or_email);
}

void ContactFlow::finish() {
    screen_ = ContactScreen::Off;
    entry_ = {}; // never shown again
}

void ContactFlow::handle(const ContactEvent& event, Moment now) {
    if (screen_ == ContactScreen::Off) {
        return;
    }
    last_touch_ = now.steady;
    switch (event.type) {
    case ContactEventType::Yes:
        if (screen_ == ContactScreen::Ask) {
            screen_ = ContactScreen::Form;
        }
        break;
    case ContactEventType::No:
    case ContactEventType::Skip:
        finish();
        break;
    case ContactEventType::Focus:
        field_ = event.value == "reach" ? ContactField::Reach : ContactField::Name;
        break;
    case ContactEventType::Edit: {
        std::string& text = field_ == ContactField::Name ? entry_.name : entry_.phone_or_email;
        const int limit = field_ == ContactField::Name ? kMaxContactName : kMaxContactReach;
        if (screen_ == ContactScreen::Form && utf8_length(event.value) <= static_cast<size_t>(limit)) {
            text = event.value;
        }
        break;
    }
    case ContactEventType::Send:
        if (screen_ == ContactScreen::Form && can_send()) {
            submitted_ = ContactAnswer{trimmed(entry_.name), trimmed(entry_.phone_or_email)};
            finish();
        }
        break;
    case ContactEventType::Touch:
        break;
    }
}

void ContactFlow::tick(Moment now) {
    // Someone who walks away from the question leaves nothing behind: the next resident must not find a
    // half-typed name.
    if (screen_ != ContactScreen::Off && now.steady - last_touch_ >= idle_) {
        finish();
    }
}

std::optional<ContactAnswer> ContactFlow::take_submitted() {
    auto out = std::move(submitted_);
    submitted_.reset();
    return out;
}

std::optional<std::chrono::steady_clock::time_point> ContactFlow::next_deadline() const {
    if (screen_ == ContactScreen::Off) {
        return std::nullopt;
    }
    return last_touch_ + idle_;
}

} // namespace buurtstem
