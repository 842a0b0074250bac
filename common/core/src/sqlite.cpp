#include "buurtstem/core/sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace buurtstem::sqlite {

bool Error::is_disk_full() const {
    return (code_ & 0xff) == SQLITE_FULL;
}

Database::Database(const std::filesystem::path& path) : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database " + path.string() + ": ";
        message += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(rc, message);
    }
    sqlite3_extended_result_codes(db_, 1);
    // Another connection (the sync thread, a volunteer's export) may hold the write lock briefly.
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA foreign_keys=ON");
}

void Database::set_durability(Durability durability) {
    exec("PRAGMA journal_mode=WAL");
    exec(durability == Durability::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
}

Database::~Database() {
    // sqlite3_close_v2 defers the close until every statement is finalized, so destruction order of
    // Statement objects never leaks the handle.
    sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

void Database::raise(int code, std::string_view what) const {
    std::string message(what);
    message += " (" + path_.string() + "): ";
    message += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    throw Error(code, message);
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    const std::string owned(sql);
    const int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error != nullptr ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw Error(sqlite3_extended_errcode(db_), message + " (" + path_.string() + ")");
    }
}

Statement Database::prepare(std::string_view sql) {
    return Statement(*this, sql);
}

int Database::user_version() {
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.column_int(0));
}

void Database::set_user_version(int version) {
    exec("PRAGMA user_version=" + std::to_string(version));
}

int64_t Database::changes() const {
    return sqlite3_changes64(db_);
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
    const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        db.raise(rc, "cannot prepare statement");
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::bind(int index, std::string_view text) {
    const int rc =
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
        db_->raise(rc, "cannot bind text");
    }
    return *this;
}

Statement& Statement::bind(int index, int64_t number) {
    const int rc = sqlite3_bind_int64(stmt_, index, number);
    if (rc != SQLITE_OK) {
        db_->raise(rc, "cannot bind number");
    }
    return *this;
}

Statement& Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) {
        db_->raise(rc, "cannot bind null");
    }
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    db_->raise(sqlite3_extended_errcode(db_->handle()), "statement failed");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Statement::column_text(int index) const {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    const int size = sqlite3_column_bytes(stmt_, index);
    return text != nullptr ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size))
                           : std::string();
}

std::optional<std::string> Statement::column_optional_text(int index) const {
    if (column_is_null(index)) {
        return std::nullopt;
    }
    return column_text(index);
}

int64_t Statement::column_int(int index) const {
    return sqlite3_column_int64(stmt_, index);
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!done_) {
        // A failed ROLLBACK (connection already rolled back by SQLite after SQLITE_FULL) is harmless.
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

} // namespace buurtstem::sqlite
