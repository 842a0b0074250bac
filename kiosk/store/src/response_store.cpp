#include "buurtstem/store/response_store.hpp"

#include "schema.hpp"

namespace buurtstem {

using store_detail::to_store_error;

Result<ResponseStore, StoreError> ResponseStore::open(const std::filesystem::path& path) {
    auto db = store_detail::open_database(path);
    if (!db) {
        return fail(db.error());
    }
    return ResponseStore(std::move(db).value());
}

Status<StoreError> ResponseStore::commit(const CompletedResponse& response) {
    try {
        sqlite::Transaction tx(db_);
        auto insert = db_.prepare("INSERT INTO responses (id, consultation_id, consultation_version, "
                                  "device_id, language, started_at,"
                                  " completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert.bind(1, response.id)
            .bind(2, response.consultation_id)
            .bind(3, response.consultation_version)
            .bind(4, response.device_id)
            .bind(5, response.language)
            .bind(6, response.started_at)
            .bind(7, response.completed_at)
            .run();
        auto answer = db_.prepare("INSERT INTO answers (response_id, position, question_id, value)"
                                  " VALUES (?1, ?2, ?3, ?4)");
        for (size_t i = 0; i < response.answers.size(); ++i) {
            answer.reset();
            answer.bind(1, response.id)
                .bind(2, static_cast<int64_t>(i))
                .bind(3, response.answers[i].question_id)
                .bind(4, response.answers[i].value)
                .run();
        }
        tx.commit();
        return Unit{};
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<std::optional<CompletedResponse>, StoreError> ResponseStore::find(const std::string& id) {
    try {
        auto s = db_.prepare(std::string("SELECT ") + store_detail::kResponseColumns +
                             " FROM responses WHERE id = ?1");
        s.bind(1, id);
        if (!s.step()) {
            return std::optional<CompletedResponse>();
        }
        CompletedResponse r = store_detail::read_response(s);
        store_detail::load_answers(db_, r);
        return std::optional<CompletedResponse>(std::move(r));
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<SyncCounts, StoreError> ResponseStore::counts() {
    return store_detail::count_by_state(db_);
}

} // namespace buurtstem
