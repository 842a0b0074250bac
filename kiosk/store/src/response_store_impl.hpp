// Inside the store library only: the connection and prepared statements behind a ResponseStore, shared
// by the files that implement its parts (response_store.cpp, volunteer_store.cpp).
#pragma once

#include <sqlite3.h>

#include "buurtstem/store/response_store.hpp"
#include "schema.hpp"

namespace buurtstem {

// Statements are prepared once per connection, not once per commit: preparing the two inserts of
// schema 1 cost about as much CPU as the rest of a commit. A response is one row, so its INSERT is its
// own transaction (autocommit: atomic, and with synchronous=FULL on disk when it returns); no BEGIN or
// COMMIT to run. The running event is looked up inside that INSERT, so a response can never be stamped
// with an event another handle has just ended.
struct ResponseStore::Impl {
    explicit Impl(sqlite::Database database)
        : db(std::move(database)),
          insert(db.prepare("INSERT INTO responses (id, consultation_id, consultation_version, device_id,"
                            " language, started_at, completed_at, answers, channel, note, event_id)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                            " (SELECT id FROM events WHERE ended_at IS NULL))")),
          find(db.prepare(std::string("SELECT ") + store_detail::kResponseColumns +
                          store_detail::kResponseFrom + " WHERE r.id = ?1")) {}

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

} // namespace buurtstem
