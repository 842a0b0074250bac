#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buurtstem {

// How a response came in (issue 10): the resident alone at the kiosk, filled in together with a
// volunteer in conversation, or typed in by a volunteer from a paper form. Counted side by side, never
// added up silently.
enum class Channel { Kiosk, Facilitated, Paper };

// "kiosk", "facilitated", "paper": the spelling on the wire, in the store and in exports.
std::string_view channel_name(Channel channel);
std::optional<Channel> parse_channel(std::string_view name);

// The neighbourhood session a response was given at, as it travels with the response.
struct ResponseEvent {
    std::string id; // random UUID made on the kiosk when the volunteer started the event
    std::string name;
    std::string wijk;
    std::string municipality;
    std::string date; // YYYY-MM-DD, the kiosk's local day the event started

    bool operator==(const ResponseEvent&) const = default;
};

struct Answer {
    std::string question_id;
    std::string value; // option id, "1".."5" for a smiley scale, or the typed text
};

// One resident's finished pass through a consultation. Skipped questions have no Answer.
struct CompletedResponse {
    std::string id; // random UUID made on the kiosk; the server stores each id once
    std::string consultation_id;
    int consultation_version = 0;
    std::string device_id;
    std::string language;
    std::string started_at;   // ISO 8601 UTC
    std::string completed_at; // ISO 8601 UTC
    std::vector<Answer> answers;
    Channel channel = Channel::Kiosk;
    std::string note{};                   // a volunteer's short note (facilitated); empty when none
    std::optional<ResponseEvent> event{}; // none when no event was running
};

} // namespace buurtstem
