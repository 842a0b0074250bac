// Counts for the dashboard and the public results page (aggregates.hpp).
#include "buurtstem/server/aggregates.hpp"

#include <algorithm>
#include <map>

namespace buurtstem {

namespace {

std::string fold(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::vector<GroupCount> groups_of(const std::map<std::string, int64_t>& counts) {
    std::vector<GroupCount> groups;
    for (const auto& [label, count] : counts) {
        groups.push_back({label, count, count < kMinGroupSize});
    }
    // Largest first; a suppressed group's place must not give its size away more than "< 5" does.
    std::stable_sort(groups.begin(), groups.end(),
                     [](const GroupCount& a, const GroupCount& b) { return a.count > b.count; });
    return groups;
}

} // namespace

Result<ConsultationAggregate, ServerStoreError> aggregate_consultation(ServerStore& store,
                                                                       const ConsultationCatalog& catalog,
                                                                       const std::string& consultation_id,
                                                                       const AggregateOptions& options) {
    ConsultationAggregate out;
    out.consultation_id = consultation_id;
    const Consultation* latest = catalog.latest(consultation_id);

    std::map<std::string, int64_t> per_day;
    std::map<std::string, int64_t> per_language;
    std::map<std::string, int64_t> per_device;
    std::map<std::string, int64_t> per_event;
    std::map<std::string, int64_t> per_wijk;
    std::map<std::string, int64_t> per_municipality;
    std::map<std::string, int64_t> per_mode;
    std::map<std::string, std::vector<std::string>> values; // question id -> answers fit for its summary
    const std::string needle = fold(options.free_text_search);

    auto visited = store.for_each_response(consultation_id, [&](const StoredResponse& stored) {
        const CompletedResponse& r = stored.response;
        ++out.total;
        ++per_day[r.completed_at.substr(0, 10)];
        ++per_language[r.language];
        ++per_device[r.device_id];
        // Responses given outside an event (a kiosk left running between sessions) are a group of their
        // own rather than left out, so every breakdown adds up to the total.
        static const std::string kNoEvent = "(zonder activiteit)";
        ++per_event[r.event ? r.event->date + " " + r.event->name : kNoEvent];
        ++per_wijk[r.event ? r.event->wijk : kNoEvent];
        ++per_municipality[r.event ? r.event->municipality : kNoEvent];
        ++per_mode[r.channel == Channel::Facilitated ? "In gesprek met een vrijwilliger"
                   : r.channel == Channel::Paper     ? "Papieren formulier"
                                                     : "Zelf op de kiosk"];
        if (latest == nullptr) {
            return;
        }
        const Consultation* version = catalog.find(r.consultation_id, r.consultation_version);
        for (const Answer& a : r.answers) {
            const Question* now = latest->find_question(a.question_id);
            const Question* then = version != nullptr ? version->find_question(a.question_id) : nullptr;
            // Only answers given to the same kind of question: a question whose type changed between
            // versions would be counted under the wrong labels.
            if (now == nullptr || (then != nullptr && then->type != now->type)) {
                continue;
            }
            if (now->type_name() == "free_text" && options.collect_free_text && !a.value.empty()) {
                if (needle.empty() || fold(a.value).find(needle) != std::string::npos) {
                    ++out.free_text_matches;
                    if (out.free_texts.size() < options.max_free_texts) {
                        out.free_texts.push_back({a.question_id, a.value, stored.received_at});
                    }
                }
            }
            values[a.question_id].push_back(a.value);
        }
    });
    if (!visited) {
        return fail(visited.error());
    }
    out.enough = out.total >= kMinGroupSize;
    out.per_day.assign(per_day.begin(), per_day.end());

    Breakdown language{"language", "Taal", true, groups_of(per_language)};
    Breakdown device{"device", "Kiosk", true, groups_of(per_device)};
    out.breakdowns.push_back(std::move(language));
    out.breakdowns.push_back(std::move(device));
    // The event a volunteer started on the kiosk (its wijk and municipality) and the channel: kiosk,
    // conversation or paper side by side, as issue 10 asks of the council's counts.
    out.breakdowns.push_back({"event", "Activiteit", true, groups_of(per_event)});
    out.breakdowns.push_back({"wijk", "Wijk", true, groups_of(per_wijk)});
    out.breakdowns.push_back({"municipality", "Gemeente", true, groups_of(per_municipality)});
    out.breakdowns.push_back({"mode", "Manier van meedoen", true, groups_of(per_mode)});

    if (latest != nullptr) {
        for (const Question& q : latest->questions) {
            QuestionSummary summary;
            summary.question = &q;
            const auto it = values.find(q.id);
            static const std::vector<std::string> kNone;
            const std::vector<std::string>& answers = it == values.end() ? kNone : it->second;
            summary.answered = static_cast<int64_t>(answers.size());
            summary.rows = q.type->summarize(q, answers, options.language);
            summary.rows_are_means = q.type_name() == "ranking";
            out.questions.push_back(std::move(summary));
        }
    }
    return out;
}

} // namespace buurtstem
