#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "buurtstem/core/result.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/store/store_error.hpp"

namespace buurtstem::store_detail {

// 1: answers in their own table. 2: answers packed into responses.answers as JSON (SCHEMA.md says why).
// 3: events, channel and note per response, sent_at (sent vs confirmed), contacts (issue 10).
inline constexpr int kSchemaVersion = 3;

// Opens the kiosk database, creating or upgrading its schema (a version 1 file is migrated in one
// transaction). Refuses a newer schema.
Result<sqlite::Database, StoreError> open_database(const std::filesystem::path& path);

StoreError to_store_error(const sqlite::Error& error);

Result<SyncCounts, StoreError> count_by_state(sqlite::Database& db);

// Text a volunteer typed (event name, note, contact details) that the server would refuse, or that is
// empty or longer than `max_bytes`: the reason, naming `what`; empty when fine.
std::string typed_text_problem(std::string_view what, std::string_view text, size_t max_bytes,
                               bool may_be_empty = false);

// The columns every response query selects, in this order, for read_response(), and the FROM clause
// they need: `r` is the response, `e` its event (NULLs when none). kResponseColumnCount columns.
inline constexpr const char* kResponseColumns =
    "r.id, r.consultation_id, r.consultation_version, r.device_id, r.language, r.started_at, r.completed_at,"
    " r.answers, r.channel, r.note, e.id, e.name, e.wijk, e.municipality, e.day";
inline constexpr const char* kResponseFrom = " FROM responses r LEFT JOIN events e ON e.id = r.event_id";
inline constexpr int kResponseColumnCount = 15;
// The response in the current row of `s` (selected with kResponseColumns), answers included.
// Throws sqlite::Error (SQLITE_CORRUPT) when the answers column is not what this kiosk wrote.
CompletedResponse read_response(const sqlite::Statement& s);

// The answers column: [["question_id", "value"], ...] in question order.
std::string encode_answers(const std::vector<Answer>& answers);

} // namespace buurtstem::store_detail
