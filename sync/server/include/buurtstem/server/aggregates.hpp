// The one place where the dashboard and the public results page get their numbers: one pass over a
// consultation's stored responses (ServerStore::for_each_response, so every store backend works),
// counted in memory per day, per breakdown group and per question (with the question type's own
// summary, question_type.hpp).
//
// Small-group suppression: a breakdown group with fewer than kMinGroupSize responses is never shown
// as a number (GroupCount::suppressed), and with fewer than kMinGroupSize responses in all no
// breakdown or question chart is shown at all. Pages say so in words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

inline constexpr int64_t kMinGroupSize = 5;

struct GroupCount {
    std::string label;
    int64_t count = 0;
    bool suppressed = false; // count < kMinGroupSize: show "< 5", never the number
};

// Responses split by one property (language, kiosk, event, wijk, municipality, mode).
struct Breakdown {
    std::string key;      // "language", "device", "event", ...
    std::string title;    // Dutch, for the dashboard
    bool recorded = true; // false: the responses do not carry this property (yet)
    std::vector<GroupCount> groups;
};

struct QuestionSummary {
    const Question* question = nullptr; // from the newest version
    int64_t answered = 0;
    std::vector<TallyRow> rows; // the type's summary (counts, or mean ranks for a ranking)
    bool rows_are_means = false;
};

struct FreeTextAnswer {
    std::string question_id;
    std::string text;
    std::string received_at;
};

struct AggregateOptions {
    std::string language = "nl"; // labels of options and scales
    bool collect_free_text = false;
    std::string free_text_search; // case-insensitive substring (ASCII letters folded); empty: all
    size_t max_free_texts = 200;  // shown; free_text_matches counts them all
};

struct ConsultationAggregate {
    std::string consultation_id;
    int64_t total = 0;
    bool enough = false;                                  // total >= kMinGroupSize
    std::vector<std::pair<std::string, int64_t>> per_day; // "2026-11-30" -> responses, oldest first
    std::vector<Breakdown> breakdowns;
    std::vector<QuestionSummary> questions;
    std::vector<FreeTextAnswer> free_texts;
    int64_t free_text_matches = 0;
};

// `latest` may be null (responses of a consultation the server has no file for: counts only).
Result<ConsultationAggregate, ServerStoreError> aggregate_consultation(ServerStore& store,
                                                                       const ConsultationCatalog& catalog,
                                                                       const std::string& consultation_id,
                                                                       const AggregateOptions& options);

} // namespace buurtstem
