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
#include "buurtstem/sync/outbox_port.hpp"

namespace buurtstem {

// A response the server would not take, as the volunteer sees it: refused for good (`rejected`) or held
// back until the server knows its consultation (`held`, still pending).
struct SetAsideResponse {
    std::string id;
    std::string consultation_id;
    int consultation_version = 0;
    std::string completed_at;
    bool rejected = false; // false: held, will be sent again
    std::string reason;    // the server's words
};

class Outbox final : public sync::OutboxPort {
public:
    static Result<Outbox, StoreError> open(const std::filesystem::path& path);

    // The oldest pending responses, at most `max_count`, in the order they were completed.
    Result<std::vector<CompletedResponse>, StoreError> next_batch(size_t max_count);
    // These pending responses are leaving the kiosk (an upload, a USB bundle): the live panel shows
    // them as "sent" until the server's receipt confirms them. Unknown or no longer pending ids: ignored.
    Status<StoreError> mark_sent(const std::vector<std::string>& ids);
    // Marks acknowledged responses as synced, in one transaction. Unknown ids are ignored.
    Status<StoreError> mark_synced(const std::vector<std::string>& ids);
    // The server refused this response for good (it will never accept it): keep it, with the reason,
    // out of further batches, so one bad response cannot block the rest.
    Status<StoreError> mark_rejected(const std::string& id, const std::string& reason);
    Result<SyncCounts, StoreError> counts();
    // The responses the server did not take, oldest first: what a volunteer needs to look at.
    Result<std::vector<SetAsideResponse>, StoreError> set_aside(size_t max_count = 1000);

    // [SECTION] sync::OutboxPort
    Result<sync::PendingBatch, sync::OutboxError> pending_after(sync::OutboxCursor after,
                                                                size_t max_count) override;
    Status<sync::OutboxError> sending(const std::vector<std::string>& ids) override;
    Status<sync::OutboxError> not_sent(const std::vector<std::string>& ids) override;
    Status<sync::OutboxError> acknowledge(const std::vector<std::string>& ids) override;
    Status<sync::OutboxError> refuse(const std::string& id, const std::string& reason) override;
    Status<sync::OutboxError> hold(const std::string& id, const std::string& reason) override;
    Result<sync::OutboxCounts, sync::OutboxError> outbox_counts() override;
    // Contacts waiting for the server, in random order (never the order they were left in), and their
    // receipt. The only read of the contacts table on the kiosk: for sending, not for showing.
    Result<std::vector<ContactEntry>, sync::OutboxError> contacts_waiting(size_t max_count) override;
    Status<sync::OutboxError> contacts_delivered(const std::vector<std::string>& contact_ids) override;

private:
    explicit Outbox(sqlite::Database db) : db_(std::move(db)) {}
    sqlite::Database db_;
};

} // namespace buurtstem
