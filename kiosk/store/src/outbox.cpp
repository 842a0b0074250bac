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
    try {
        // This connection only marks what the server said (synced, rejected, held); it never writes a
        // response. A mark lost to a power cut (WAL, synchronous=NORMAL: safe from crashes, not from
        // power loss until the next checkpoint) only means the response goes again, and the server,
        // which recognises every id, answers as before: exactly-once does not rest on these marks being
        // on disk. Not waiting for an fsync per batch keeps a sync from paying one disk flush per 200
        // responses. Responses themselves are committed with synchronous=FULL (ResponseStore).
        db->set_durability(sqlite::Durability::Normal);
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
    return Outbox(std::move(db).value());
}

Result<std::vector<CompletedResponse>, StoreError> Outbox::next_batch(size_t max_count) {
    try {
        std::vector<CompletedResponse> batch;
        auto s = db_.prepare(std::string("SELECT ") + store_detail::kResponseColumns +
                             store_detail::kResponseFrom +
                             " WHERE r.sync_state = 'pending' ORDER BY r.seq LIMIT ?1");
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

Status<StoreError> Outbox::mark_sent(const std::vector<std::string>& ids) {
    try {
        const std::string now = now_iso8601_utc();
        sqlite::Transaction tx(db_);
        auto s = db_.prepare("UPDATE responses SET sent_at = ?2 WHERE id = ?1 AND sync_state = 'pending'");
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

Result<std::vector<SetAsideResponse>, StoreError> Outbox::set_aside(size_t max_count) {
    try {
        std::vector<SetAsideResponse> out;
        auto s = db_.prepare("SELECT id, consultation_id, consultation_version, completed_at, sync_state,"
                             " sync_error FROM responses WHERE sync_state = 'rejected'"
                             " OR (sync_state = 'pending' AND sync_error IS NOT NULL) ORDER BY seq LIMIT ?1");
        s.bind(1, static_cast<int64_t>(max_count));
        while (s.step()) {
            out.push_back({s.column_text(0), s.column_text(1), static_cast<int>(s.column_int(2)),
                           s.column_text(3), s.column_text(4) == "rejected", s.column_text(5)});
        }
        return out;
    } catch (const sqlite::Error& error) {
        return fail(to_store_error(error));
    }
}

//-----------------------------------------------------------------------------
// [SECTION] sync::OutboxPort
//-----------------------------------------------------------------------------

namespace {

// seq is selected right after the kResponseColumns.
constexpr int kSeqColumn = store_detail::kResponseColumnCount;

sync::OutboxError to_port_error(const StoreError& error) {
    return {error.to_string()};
}

} // namespace

Result<sync::PendingBatch, sync::OutboxError> Outbox::pending_after(sync::OutboxCursor after,
                                                                    size_t max_count) {
    try {
        sync::PendingBatch batch;
        batch.next = after;
        auto s = db_.prepare(std::string("SELECT ") + store_detail::kResponseColumns + ", r.seq" +
                             store_detail::kResponseFrom +
                             " WHERE r.sync_state = 'pending' AND r.seq > ?2 ORDER BY r.seq LIMIT ?1");
        s.bind(1, static_cast<int64_t>(max_count)).bind(2, after);
        while (s.step()) {
            batch.responses.push_back(store_detail::read_response(s));
            batch.next = s.column_int(kSeqColumn);
        }
        return batch;
    } catch (const sqlite::Error& error) {
        return fail(to_port_error(to_store_error(error)));
    }
}

Status<sync::OutboxError> Outbox::acknowledge(const std::vector<std::string>& ids) {
    if (auto marked = mark_synced(ids); !marked) {
        return fail(to_port_error(marked.error()));
    }
    return Unit{};
}

Status<sync::OutboxError> Outbox::sending(const std::vector<std::string>& ids) {
    if (auto marked = mark_sent(ids); !marked) {
        return fail(to_port_error(marked.error()));
    }
    return Unit{};
}

Status<sync::OutboxError> Outbox::not_sent(const std::vector<std::string>& ids) {
    try {
        sqlite::Transaction tx(db_);
        auto s = db_.prepare("UPDATE responses SET sent_at = NULL WHERE id = ?1 AND sync_state = 'pending'");
        for (const std::string& id : ids) {
            s.reset();
            s.bind(1, id).run();
        }
        tx.commit();
        return Unit{};
    } catch (const sqlite::Error& error) {
        return fail(to_port_error(to_store_error(error)));
    }
}

Status<sync::OutboxError> Outbox::refuse(const std::string& id, const std::string& reason) {
    if (auto marked = mark_rejected(id, reason); !marked) {
        return fail(to_port_error(marked.error()));
    }
    return Unit{};
}

Status<sync::OutboxError> Outbox::hold(const std::string& id, const std::string& reason) {
    try {
        auto s = db_.prepare("UPDATE responses SET sync_error = ?2 WHERE id = ?1 AND sync_state = 'pending'");
        s.bind(1, id).bind(2, reason).run();
        return Unit{};
    } catch (const sqlite::Error& error) {
        return fail(to_port_error(to_store_error(error)));
    }
}

Result<std::vector<ContactEntry>, sync::OutboxError> Outbox::contacts_waiting(size_t max_count) {
    try {
        std::vector<ContactEntry> out;
        auto s = db_.prepare("SELECT contact_id, for_consultation, on_day, person_name, reach FROM contacts"
                             " WHERE delivered = 0 ORDER BY random() LIMIT ?1");
        s.bind(1, static_cast<int64_t>(max_count));
        while (s.step()) {
            out.push_back(
                {s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4)});
        }
        return out;
    } catch (const sqlite::Error& error) {
        return fail(to_port_error(to_store_error(error)));
    }
}

Status<sync::OutboxError> Outbox::contacts_delivered(const std::vector<std::string>& contact_ids) {
    try {
        sqlite::Transaction tx(db_);
        auto s = db_.prepare("UPDATE contacts SET delivered = 1 WHERE contact_id = ?1");
        for (const std::string& id : contact_ids) {
            s.reset();
            s.bind(1, id).run();
        }
        tx.commit();
        return Unit{};
    } catch (const sqlite::Error& error) {
        return fail(to_port_error(to_store_error(error)));
    }
}

Result<sync::OutboxCounts, sync::OutboxError> Outbox::outbox_counts() {
    auto counts = store_detail::count_by_state(db_);
    if (!counts) {
        return fail(to_port_error(counts.error()));
    }
    try {
        auto s = db_.prepare("SELECT count(*) FROM responses WHERE sync_state = 'pending'"
                             " AND sync_error IS NOT NULL");
        s.step();
        return sync::OutboxCounts{counts->pending, s.column_int(0), counts->synced, counts->rejected};
    } catch (const sqlite::Error& error) {
        return fail(to_port_error(to_store_error(error)));
    }
}

} // namespace buurtstem
