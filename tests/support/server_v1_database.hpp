// A server database as version 1 released it (before any migration), for the tests that upgrade one in
// place (test_enrolment.cpp, test_server_store.cpp).
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace buurtstem::test {

inline constexpr const char* kServerSchemaV1 = R"sql(
CREATE TABLE devices (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
    revoked_at TEXT);
CREATE TABLE responses (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, consultation_id TEXT NOT NULL,
    consultation_version INTEGER NOT NULL, device_id TEXT NOT NULL REFERENCES devices (id),
    language TEXT NOT NULL, started_at TEXT NOT NULL, completed_at TEXT NOT NULL, received_at TEXT NOT NULL,
    fingerprint TEXT NOT NULL);
CREATE INDEX responses_by_consultation ON responses (consultation_id, seq);
CREATE TABLE answers (response_id TEXT NOT NULL REFERENCES responses (id), position INTEGER NOT NULL,
    question_id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (response_id, question_id));
)sql";

// Writes a version 1 database at `path` holding the rows `inserts` (SQL) adds.
inline void make_v1_server_database(const std::filesystem::path& path, const std::string& inserts) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const std::string sql = kServerSchemaV1 + inserts + "\nPRAGMA user_version = 1;";
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error != nullptr ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

} // namespace buurtstem::test
