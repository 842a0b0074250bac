#include "buurtstem/store/response_store.hpp"

#include <set>

#include "response_store_impl.hpp"

namespace buurtstem {

using store_detail::to_store_error;

ResponseStore::ResponseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResponseStore::~ResponseStore() = default;
ResponseStore::ResponseStore(ResponseStore&&) noexcept = default;
ResponseStore& ResponseStore::operator=(ResponseStore&&) noexcept = default;

Result<ResponseStore, StoreError> ResponseStore::open(const std::filesystem::path& path) {
    auto db = store_detail::open_database(path);
    if (!db) {
        return fail(db.error());
    }
    try {
        return ResponseStore(std::make_unique<Impl>(std::move(db).value()));
    } catch (const sqlite::Error& error) {
        StoreError e = to_store_error(error);
        e.kind = StoreError::Kind::CannotOpen;
        return fail(e);
    }
}

const std::filesystem::path& ResponseStore::path() const {
    return impl_->db.path();
}

Status<StoreError> ResponseStore::commit(const CompletedResponse& response) {
    return commit(response, response.channel, response.note);
}

Status<StoreError> ResponseStore::commit(const CompletedResponse& response, Channel channel,
                                         std::string_view note) {
    if (std::string problem = store_detail::typed_text_problem("the note", note, 200, true);
        !problem.empty()) {
        return fail(
            StoreError{StoreError::Kind::Invalid, problem + "; response " + response.id + " not stored"});
    }
    std::set<std::string_view> answered;
    for (const Answer& answer : response.answers) {
        if (!answered.insert(answer.question_id).second) {
            return fail(StoreError{StoreError::Kind::Failed, "response " + response.id +
                                                                 " answers question '" + answer.question_id +
                                                                 "' twice; nothing stored"});
        }
    }
    Impl& s = *impl_;
    try {
        s.insert.reset();
        s.insert.bind(1, response.id)
            .bind(2, response.consultation_id)
            .bind(3, response.consultation_version)
            .bind(4, response.device_id)
            .bind(5, response.language)
            .bind(6, response.started_at)
            .bind(7, response.completed_at)
            .bind(8, store_detail::encode_answers(response.answers))
            .bind(9, channel_name(channel));
        if (note.empty()) {
            s.insert.bind_null(10);
        } else {
            s.insert.bind(10, note);
        }
        s.insert.run();
        return Unit{};
    } catch (const sqlite::Error& error) {
        s.recover();
        return fail(to_store_error(error));
    }
}

Result<std::optional<CompletedResponse>, StoreError> ResponseStore::find(const std::string& id) {
    Impl& s = *impl_;
    try {
        s.find.reset();
        s.find.bind(1, id);
        std::optional<CompletedResponse> found;
        if (s.find.step()) {
            found = store_detail::read_response(s.find);
        }
        s.find.reset(); // ends the read transaction, so the WAL can be checkpointed past it
        return found;
    } catch (const sqlite::Error& error) {
        s.recover();
        return fail(to_store_error(error));
    }
}

Result<SyncCounts, StoreError> ResponseStore::counts() {
    return store_detail::count_by_state(impl_->db);
}

} // namespace buurtstem
