// OutboxPort: what the sync client needs from the place a kiosk keeps its responses. Owned by sync/ and
// implemented by the kiosk's store (kiosk/store Outbox), so the dependency points from the kiosk to
// sync, never back: nothing under sync/ includes kiosk/.
//
// Exactly-once delivery rests on two promises of an implementation: pending_after() hands out every
// pending response until it is marked, and acknowledge() is called only with ids the server acknowledged
// after storing them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "buurtstem/consultation/contact.hpp"
#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"

namespace buurtstem::sync {

struct OutboxError {
    std::string message; // names the file and what went wrong

    std::string to_string() const { return message; }
};

struct OutboxCounts {
    int64_t pending = 0;  // waiting to be sent (held ones included)
    int64_t held = 0;     // pending, but the server said it cannot take them yet (reason kept)
    int64_t synced = 0;   // acknowledged by the server
    int64_t rejected = 0; // refused by the server for good; kept with the reason, shown to the volunteer
};

// Where a pass through the queue has got to; 0 is before the first response.
using OutboxCursor = int64_t;

struct PendingBatch {
    std::vector<CompletedResponse> responses; // oldest first
    OutboxCursor next = 0;                    // pass this to continue after these
};

class OutboxPort {
public:
    virtual ~OutboxPort() = default;

    // Pending responses completed after `after`, oldest first, at most `max_count`. A pass moves on with
    // the returned cursor, so responses the server deferred do not come back within the same pass.
    virtual Result<PendingBatch, OutboxError> pending_after(OutboxCursor after, size_t max_count) = 0;
    // These responses are about to go out in an upload: recorded so the volunteer sees "sent" apart from
    // "confirmed" (acknowledge). Not a delivery promise: they stay pending until acknowledged.
    virtual Status<OutboxError> sending(const std::vector<std::string>& ids) = 0;
    // These were marked sending but the pass ended before the server answered for them (stopped, the
    // network failed): back to "stored here" until they go out again, so the volunteer's "sent" count
    // does not claim more than happened. Default: a place that keeps no "sent" mark.
    virtual Status<OutboxError> not_sent(const std::vector<std::string>& /*ids*/) { return Unit{}; }
    // Marks acknowledged responses synced, in one transaction. Unknown ids are ignored.
    virtual Status<OutboxError> acknowledge(const std::vector<std::string>& ids) = 0;
    // Refused for good: kept with the reason, never sent again, never deleted.
    virtual Status<OutboxError> refuse(const std::string& id, const std::string& reason) = 0;
    // Not taken now (e.g. the server has no file for the consultation yet): stays pending, the reason
    // is kept for the volunteer until the response is taken.
    virtual Status<OutboxError> hold(const std::string& id, const std::string& reason) = 0;
    virtual Result<OutboxCounts, OutboxError> outbox_counts() = 0;

    // Contact opt-ins (issue 10): a queue of their own, sent after the responses, in random order.
    // Defaults: a place that keeps no contacts.
    virtual Result<std::vector<ContactEntry>, OutboxError> contacts_waiting(size_t /*max_count*/) {
        return std::vector<ContactEntry>{};
    }
    // The server stored these (by contact id): never sent again.
    virtual Status<OutboxError> contacts_delivered(const std::vector<std::string>& /*contact_ids*/) {
        return Unit{};
    }
};

} // namespace buurtstem::sync
