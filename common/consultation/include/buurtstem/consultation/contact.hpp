// A resident's wish to be invited to talk along (issue 10, contact opt-in), as the kiosk sends it and the
// server keeps it: apart from every response, with nothing that links the two (no response id, no event,
// no time finer than the day). See kiosk/store/SCHEMA.md "contacts".
#pragma once

#include <string>

namespace buurtstem {

struct ContactEntry {
    std::string contact_id;      // 32 random hex digits, made on the kiosk; the server stores each once
    std::string consultation_id; // the consultation that asked; empty when none did
    std::string day;             // YYYY-MM-DD, the kiosk's local day it was left
    std::string name;
    std::string phone_or_email;

    bool operator==(const ContactEntry&) const = default;
};

} // namespace buurtstem
