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
inline constexpr int kSchemaVersion = 2;

// Opens the kiosk database, creating or upgrading its schema (a version 1 file is migrated in one
// transaction). Refuses a newer schema.
Result<sqlite::Database, StoreError> open_database(const std::filesystem::path& path);

StoreError to_store_error(const sqlite::Error& error);

Result<SyncCounts, StoreError> count_by_state(sqlite::Database& db);

// The columns every response query selects, in this order, for read_response().
inline constexpr const char* kResponseColumns =
    "id, consultation_id, consultation_version, device_id, language, started_at, completed_at, answers";
// The response in the current row of `s` (selected with kResponseColumns), answers included.
// Throws sqlite::Error (SQLITE_CORRUPT) when the answers column is not what this kiosk wrote.
CompletedResponse read_response(const sqlite::Statement& s);

// The answers column: [["question_id", "value"], ...] in question order.
std::string encode_answers(const std::vector<Answer>& answers);

} // namespace buurtstem::store_detail
