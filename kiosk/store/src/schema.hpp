#pragma once

#include <filesystem>

#include "buurtstem/core/result.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/store/store_error.hpp"

namespace buurtstem::store_detail {

inline constexpr int kSchemaVersion = 1;

// Opens the kiosk database, creating or upgrading its schema. Refuses a newer schema.
Result<sqlite::Database, StoreError> open_database(const std::filesystem::path& path);

StoreError to_store_error(const sqlite::Error& error);

Result<SyncCounts, StoreError> count_by_state(sqlite::Database& db);

// The columns every response query selects, in this order, for read_response().
inline constexpr const char* kResponseColumns =
    "id, consultation_id, consultation_version, device_id, language, started_at, completed_at";
// The response in the current row of `s` (selected with kResponseColumns), without its answers.
CompletedResponse read_response(const sqlite::Statement& s);

// Loads the answers of `response` from the answers table.
void load_answers(sqlite::Database& db, CompletedResponse& response);

} // namespace buurtstem::store_detail
