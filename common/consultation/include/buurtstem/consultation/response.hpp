#pragma once

#include <optional>
#include <string>
#include <vector>

namespace buurtstem {

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
};

} // namespace buurtstem
