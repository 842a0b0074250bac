// ContactFlow: the question after a consultation that asks for it (Consultation::ask_contact): "Wilt u
// uitgenodigd worden om mee te praten?" and, if so, a name and a phone number or e-mail address typed on the
// on-screen keyboard. The answers are already stored when it starts; what it collects is stored apart from
// them (ResponseStore::add_contact) and never shown again.
//
//   Ask --Yes--> Form --Send (name + phone or e-mail)--> Done (submitted)
//    |             +--Skip, or idle--> Done (nothing kept)
//    +--No, or idle--> Done
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "buurtstem/flow/resident_flow.hpp"

namespace buurtstem {

enum class ContactScreen { Off, Ask, Form };
enum class ContactField { Name, Reach };

enum class ContactEventType {
    Touch,
    Yes,
    No,
    Focus, // value: "name" | "reach"
    Edit,  // value: the whole new text of the focused field
    Send,
    Skip,
};

struct ContactEvent {
    ContactEventType type = ContactEventType::Touch;
    std::string value;
};

struct ContactAnswer {
    std::string name;
    std::string phone_or_email;
};

inline constexpr int kMaxContactName = 80;
inline constexpr int kMaxContactReach = 80;

// A phone number (at least 8 digits; spaces, '+', '-' allowed) or an e-mail address (text@text.text).
bool looks_like_phone_or_email(const std::string& text);

class ContactFlow {
public:
    ContactFlow() = default;
    explicit ContactFlow(std::chrono::seconds idle) : idle_(idle) {}

    void begin(Moment now);
    void handle(const ContactEvent& event, Moment now);
    void tick(Moment now);
    // What the resident sent, once (then cleared): store it apart.
    std::optional<ContactAnswer> take_submitted();

    bool active() const { return screen_ != ContactScreen::Off; }
    ContactScreen screen() const { return screen_; }
    ContactField focused() const { return field_; }
    const ContactAnswer& entry() const { return entry_; }
    bool can_send() const;
    std::optional<std::chrono::steady_clock::time_point> next_deadline() const;

private:
    void finish();

    std::chrono::seconds idle_{60};
    ContactScreen screen_ = ContactScreen::Off;
    ContactField field_ = ContactField::Name;
    ContactAnswer entry_;
    std::optional<ContactAnswer> submitted_;
    std::chrono::steady_clock::time_point last_touch_{};
};

} // namespace buurtstem
