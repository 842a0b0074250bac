// What the volunteer's console (issue 10) reads from and writes to the kiosk's store: event sessions,
// the live panel's counts and tallies, contact opt-ins. The methods are on ResponseStore
// (response_store.hpp); the types are here. SCHEMA.md (version 3) has the tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/consultation/question_type.hpp"
#include "buurtstem/consultation/response.hpp" // Channel, ResponseEvent

namespace buurtstem {

// A neighbourhood session run by a volunteer: started with a name, wijk and municipality (the date is the
// kiosk's day), ended by the volunteer. At most one runs at a time; every response committed while it
// runs carries it (to the server and into the council's export).
struct EventInfo {
    std::string id; // random UUID
    std::string name, wijk, municipality;
    std::string date;       // YYYY-MM-DD, local day the event started
    std::string started_at; // ISO 8601 UTC
    std::string ended_at;   // empty while it runs
    // Responses committed during this event, per channel.
    int64_t kiosk = 0;
    int64_t facilitated = 0;
    int64_t paper = 0;

    bool running() const { return ended_at.empty(); }
    int64_t total() const { return kiosk + facilitated + paper; }
    ResponseEvent as_response_event() const { return {id, name, wijk, municipality, date}; }
};

// Each response's way to the council, as the live panel shows it. Every response is in exactly one of
// these, so they add up to all responses stored on this kiosk.
struct PipelineCounts {
    int64_t stored_here = 0; // pending, never sent
    int64_t sent = 0;      // pending, went out in an upload (or a USB bundle); no receipt from the server yet
    int64_t confirmed = 0; // the server's receipt listed it as stored
    int64_t held = 0;      // pending; the server cannot take it yet (it lacks the consultation)
    int64_t set_aside = 0; // refused by the server for good; kept with the reason
};

// The live tally of one question: its bars, keys in display order (question_type.hpp TallyCount).
struct QuestionTally {
    std::string question_id;
    std::vector<TallyCount> counts;
};

// A resident's wish to be invited (contact opt-in). Stored apart from every response, with nothing that
// links the two (SCHEMA.md "contacts"); never read back on the kiosk.
struct ContactDetails {
    std::optional<std::string> consultation_id; // the consultation that asked; none: a general list
    std::string name;
    std::string phone_or_email;
};

struct ContactCounts {
    int64_t waiting = 0; // not yet acknowledged by the server
    int64_t sent = 0;    // acknowledged by the server
};

} // namespace buurtstem
