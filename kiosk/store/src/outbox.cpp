#include "buurtstem/store/outbox.hpp"

#include "buurtstem/core/clock.hpp"
#include "schema.hpp"

namespace buurtstem {

using store_detail::to_store_error;

Result<Outbox, StoreError> Outbox::open(const std::filesystem::path& path) {
    auto db = store_detail::open_database(path);
    if (!db) {
        return fail(db.error());
    }
    return Outbox(std::move(db).value());
}

Result<std::vector<CompletedResponse>, StoreError> Outbox::next_batch(size_t max_count) {
    try {
        std::vector<CompletedResponse> batch;
        auto s = db_.prepare(std::string("SELECT ") + store_detail::kResponseColumns +
                             " FROM responses WHERE sync_state = 'pending' ORDER BY seq LIMIT ?1");
        s.bind(1, static_cast<int64_t>(max_count));
        while (s.step()) {
            batch.push_back(store_detail::read_response(s));
        }
        return batch;
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Status<StoreError> Outbox::mark_synced(const std::vector<std::string>& ids) {
    try {
        const std::string now = now_iso8601_utc();
        sqlite::Transaction tx(db_);
        auto s = db_.prepare("UPDATE responses SET sync_state = 'synced', synced_at = ?2, sync_error = NULL"
                             " WHERE id = ?1 AND sync_state = 'pending'");
        for (const std::string& id : ids) {
            s.reset();
            s.bind(1, id).bind(2, now).run();
        }
        tx.commit();
        return Unit{};
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Status<StoreError> Outbox::mark_rejected(const std::string& id, const std::string& reason) {
    try {
        auto s = db_.prepare("UPDATE responses SET sync_state = 'rejected', sync_error = ?2"
                             " WHERE id = ?1 AND sync_state = 'pending'");
        s.bind(1, id).bind(2, reason).run();
        return Unit{};
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

Result<SyncCounts, StoreError> Outbox::counts() {
    return store_detail::count_by_state(db_);
}

} // namespace buurtstem
