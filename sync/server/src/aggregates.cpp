// Counts for the dashboard and the public results page (aggregates.hpp). The database counts
// (ServerStore::dashboard_counts, GROUP BY); this file turns its groups into labelled, sorted,
// suppressed breakdowns and per-question summaries, and never sees a response.
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

std::map<std::string, int64_t> as_map(const std::vector<KeyCount>& counts) {
    std::map<std::string, int64_t> out;
    for (const KeyCount& c : counts) {
        out[c.key] += c.count;
    }
    return out;
}

std::string mode_label(const std::string& channel) {
    const Channel c = parse_channel(channel).value_or(Channel::Kiosk);
    return c == Channel::Facilitated ? "In gesprek met een vrijwilliger"
           : c == Channel::Paper     ? "Papieren formulier"
                                     : "Zelf op de kiosk";
}

// Whether answers to `question_id` given under `version` count for the newest version's question:
// only when it is the same kind of question (a question whose type changed between versions would be
// counted under the wrong labels). Answers of versions the server has no file for count.
bool counts_for(const ConsultationCatalog& catalog, const std::string& consultation_id, int version,
                const Question& now) {
    const Consultation* then_version = catalog.find(consultation_id, version);
    const Question* then = then_version != nullptr ? then_version->find_question(now.id) : nullptr;
    return then == nullptr || then->type == now.type;
}

} // namespace

Result<ConsultationAggregate, ServerStoreError> aggregate_consultation(ServerStore& store,
                                                                       const ConsultationCatalog& catalog,
                                                                       const std::string& consultation_id,
                                                                       const AggregateOptions& options) {
    ConsultationAggregate out;
    out.consultation_id = consultation_id;
    const Consultation* latest = catalog.latest(consultation_id);

    DashboardQuery query;
    query.max_texts = static_cast<int64_t>(options.max_free_texts);
    query.text_search = fold(options.free_text_search);
    if (latest != nullptr) {
        for (const Question& q : latest->questions) {
            if (q.type_name() != "free_text") {
                continue;
            }
            query.presence_only.push_back(q.id);
            if (!options.collect_free_text) {
                continue;
            }
            query.text_questions.push_back(q.id);
            for (const Consultation* version : catalog.versions_of(consultation_id)) {
                if (!counts_for(catalog, consultation_id, version->version, q)) {
                    query.text_excluded.emplace_back(version->version, q.id);
                }
            }
        }
    }
    auto counted = store.dashboard_counts(consultation_id, query);
    if (!counted) {
        return fail(counted.error());
    }
    const DashboardCounts& counts = *counted;
    out.total = counts.total;
    out.enough = out.total >= kMinGroupSize;
    const auto per_day = as_map(counts.per_day);
    out.per_day.assign(per_day.begin(), per_day.end());

    // Responses given outside an event (a kiosk left running between sessions) are a group of their own
    // rather than left out, so every breakdown adds up to the total.
    static const std::string kNoEvent = "(zonder activiteit)";
    std::map<std::string, int64_t> per_event;
    std::map<std::string, int64_t> per_wijk;
    std::map<std::string, int64_t> per_municipality;
    for (const EventGroupCount& g : counts.per_event) {
        per_event[g.event ? g.event->date + " " + g.event->name : kNoEvent] += g.count;
        per_wijk[g.event ? g.event->wijk : kNoEvent] += g.count;
        per_municipality[g.event ? g.event->municipality : kNoEvent] += g.count;
    }
    std::map<std::string, int64_t> per_mode;
    for (const KeyCount& c : counts.per_channel) {
        per_mode[mode_label(c.key)] += c.count;
    }
    out.breakdowns.push_back({"language", "Taal", true, groups_of(as_map(counts.per_language))});
    out.breakdowns.push_back({"device", "Kiosk", true, groups_of(as_map(counts.per_device))});
    // The event a volunteer started on the kiosk (its wijk and municipality) and the channel: kiosk,
    // conversation or paper side by side, as issue 10 asks of the council's counts.
    out.breakdowns.push_back({"event", "Activiteit", true, groups_of(per_event)});
    out.breakdowns.push_back({"wijk", "Wijk", true, groups_of(per_wijk)});
    out.breakdowns.push_back({"municipality", "Gemeente", true, groups_of(per_municipality)});
    out.breakdowns.push_back({"mode", "Manier van meedoen", true, groups_of(per_mode)});

    if (latest == nullptr) {
        return out;
    }
    out.free_text_matches = counts.text_matches;
    for (const TextAnswer& t : counts.texts) {
        out.free_texts.push_back({t.question_id, t.value, t.received_at});
    }
    // Per question: each distinct answer (summary key) with its count, over the versions that count.
    std::map<std::string, std::map<std::string, int64_t>> per_question;
    for (const AnswerGroupCount& a : counts.answers) {
        const Question* now = latest->find_question(a.question_id);
        if (now == nullptr || !counts_for(catalog, consultation_id, a.consultation_version, *now)) {
            continue;
        }
        per_question[a.question_id][now->type->summary_key(a.value)] += a.count;
    }
    for (const Question& q : latest->questions) {
        QuestionSummary summary;
        summary.question = &q;
        std::vector<ValueCount> values;
        if (const auto it = per_question.find(q.id); it != per_question.end()) {
            for (const auto& [value, count] : it->second) {
                values.push_back({value, count});
                summary.answered += count;
            }
        }
        summary.rows = q.type->summarize_counted(q, values, options.language);
        summary.rows_are_means = q.type_name() == "ranking";
        out.questions.push_back(std::move(summary));
    }
    return out;
}

} // namespace buurtstem
