// Outbox: the sync client's view of the kiosk's response file. It opens its own connection so the sync
// thread never shares a handle with the UI thread (SQLite in WAL mode lets both work at once).
//
// Exactly-once delivery rests on two promises: next_batch() hands out every pending response until it
// is marked, and mark_synced() is called only with ids the server acknowledged after storing them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/store/store_error.hpp"

namespace buurtstem {

class Outbox {
public:
    static Result<Outbox, StoreError> open(const std::filesystem::path& path);

    // The oldest pending responses, at most `max_count`, in the order they were completed.
    Result<std::vector<CompletedResponse>, StoreError> next_batch(size_t max_count);
    // Marks acknowledged responses as synced, in one transaction. Unknown ids are ignored.
    Status<StoreError> mark_synced(const std::vector<std::string>& ids);
    // The server refused this response for good (it will never accept it): keep it, with the reason,
    // out of further batches, so one bad response cannot block the rest.
    Status<StoreError> mark_rejected(const std::string& id, const std::string& reason);
    Result<SyncCounts, StoreError> counts();

private:
    explicit Outbox(sqlite::Database db) : db_(std::move(db)) {}
    sqlite::Database db_;
};

} // namespace buurtstem
