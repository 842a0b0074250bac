#include "buurtstem/server/ingest.hpp"

#include <set>
#include <string>
#include <vector>

#include "buurtstem/core/clock.hpp"

using buurtstem::protocol::Rejection;

namespace buurtstem {

std::string check_response(const ConsultationCatalog& catalog, const CompletedResponse& response) {
    const Consultation* consultation = catalog.find(response.consultation_id, response.consultation_version);
    if (consultation == nullptr) {
        // ingest_batch defers these before asking; nothing can be checked against a file not there.
        return {};
    }
    if (!consultation->offers_language(response.language)) {
        return "language '" + response.language + "' is not offered by " + consultation->id;
    }
    std::set<std::string> answered;
    for (const Answer& answer : response.answers) {
        const Question* question = consultation->find_question(answer.question_id);
        if (question == nullptr) {
            return "question '" + answer.question_id + "' is not in " + consultation->id + " version " +
                   std::to_string(consultation->version);
        }
        if (!answered.insert(answer.question_id).second) {
            return "question '" + answer.question_id + "' is answered twice";
        }
        if (auto problem = check_answer(*question, answer.value)) {
            return *problem;
        }
    }
    // show-if: an answer to a question this resident was never asked (its condition does not hold with
    // the response's other answers) is refused with the path of that answer within the response. The
    // kiosk drops such answers itself; one arriving here was made or changed somewhere else.
    std::vector<std::string> by_index(consultation->questions.size());
    std::vector<size_t> index_of(response.answers.size());
    for (size_t j = 0; j < response.answers.size(); ++j) {
        for (size_t i = 0; i < consultation->questions.size(); ++i) {
            if (consultation->questions[i].id == response.answers[j].question_id) {
                by_index[i] = response.answers[j].value;
                index_of[j] = i;
            }
        }
    }
    for (size_t j = 0; j < response.answers.size(); ++j) {
        if (auto hidden = why_question_hidden(*consultation, index_of[j], by_index)) {
            return "answers[" + std::to_string(j) + "]: " + *hidden;
        }
    }
    for (const Question& question : consultation->questions) {
        if (question.required && !answered.contains(question.id)) {
            return "required question '" + question.id + "' has no answer";
        }
    }
    return {};
}

Result<protocol::UploadReply, ServerStoreError> ingest_batch(ServerStore& store,
                                                             const ConsultationCatalog& catalog,
                                                             const std::string& device_id,
                                                             const protocol::UploadBatch& batch) {
    protocol::UploadReply reply;
    std::vector<CompletedResponse> to_store;
    std::set<std::string> ids_in_batch;
    for (const protocol::InvalidResponse& invalid : batch.invalid) {
        if (ids_in_batch.insert(invalid.id).second) {
            reply.rejected.push_back({invalid.id, invalid.error.to_string()});
        }
    }
    for (const CompletedResponse& response : batch.responses) {
        if (!ids_in_batch.insert(response.id).second) {
            continue; // the same id twice in one batch: the first one decides
        }
        if (catalog.find(response.consultation_id, response.consultation_version) == nullptr) {
            // Unchecked answers must not be stored (one request held 7.9 MiB of them), but the
            // council may add the file later: the kiosk keeps these pending and sends them again.
            reply.deferred.push_back(
                {response.id, "consultation '" + response.consultation_id + "' version " +
                                  std::to_string(response.consultation_version) +
                                  " is not known to this server; kept on the kiosk until it is added"});
            continue;
        }
        if (response.device_id != device_id) {
            reply.rejected.push_back({response.id, "response names device '" + response.device_id +
                                                       "' but was sent by '" + device_id + "'"});
            continue;
        }
        if (std::string problem = check_response(catalog, response); !problem.empty()) {
            reply.rejected.push_back({response.id, problem});
            continue;
        }
        to_store.push_back(response);
    }
    auto outcomes = store.store_responses(to_store, now_iso8601_utc());
    if (!outcomes) {
        return fail(outcomes.error());
    }
    for (size_t i = 0; i < to_store.size(); ++i) {
        if (outcomes.value()[i] == StoreOutcome::Conflict) {
            reply.rejected.push_back({to_store[i].id, "another response with this id is already stored"});
        } else {
            reply.accepted.push_back(to_store[i].id);
        }
    }
    return reply;
}

} // namespace buurtstem
