#include "buurtstem/store/response_store.hpp"

#include <sqlite3.h>

#include <set>

#include "schema.hpp"

namespace buurtstem {

using store_detail::to_store_error;

// Statements are prepared once per connection, not once per commit: preparing the two inserts of
// schema 1 cost about as much CPU as the rest of a commit. A response is one row, so its INSERT is its
// own transaction (autocommit: atomic, and with synchronous=FULL on disk when it returns); no BEGIN or
// COMMIT to run.
struct ResponseStore::Impl {
    explicit Impl(sqlite::Database database)
        : db(std::move(database)),
          insert(db.prepare("INSERT INTO responses (id, consultation_id, consultation_version, device_id,"
                            " language, started_at, completed_at, answers)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")),
          find(db.prepare(std::string("SELECT ") + store_detail::kResponseColumns +
                          " FROM responses WHERE id = ?1")) {}

    sqlite::Database db; // declared first: destroyed after the statements that point at it
    sqlite::Statement insert;
    sqlite::Statement find;

    // After a failure: undo whatever the transaction did and leave every statement ready for reuse.
    void recover() noexcept {
        insert.reset();
        find.reset();
        if (sqlite3_get_autocommit(db.handle()) == 0) {
            sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
};

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
            .run();
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
