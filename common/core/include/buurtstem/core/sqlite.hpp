// RAII wrappers over the SQLite C API: Database (sqlite3*), Statement (sqlite3_stmt*), Transaction.
//
// These wrappers throw sqlite::Error. Libraries built on them (the kiosk's ResponseStore, the server's
// store) catch it at their public boundary and return a value, so callers see one clear error type.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace buurtstem::sqlite {

class Error : public std::runtime_error {
public:
    Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    // The extended SQLite result code (SQLITE_FULL, SQLITE_CORRUPT, ...).
    int code() const { return code_; }
    // True for failures the user can fix by freeing disk space.
    bool is_disk_full() const;

private:
    int code_;
};

enum class Durability {
    // WAL with synchronous=FULL: a committed transaction survives a power cut. Used on kiosks, where
    // a resident's answers must never be lost.
    Full,
    // WAL with synchronous=NORMAL: survives a process crash; a power cut may lose the last commits.
    Normal,
};

class Statement;

class Database {
public:
    // Opens (creating if needed) the database at `path` with foreign keys on. Nothing is written yet,
    // so a caller can look at user_version before deciding to touch the file.
    // Throws Error naming the path when the file cannot be opened.
    explicit Database(const std::filesystem::path& path);
    // Switches on WAL with the given durability. This writes to the file (the journal mode is stored).
    void set_durability(Durability durability);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    int user_version();
    void set_user_version(int version);
    int64_t changes() const;
    const std::filesystem::path& path() const { return path_; }
    sqlite3* handle() const { return db_; }

    // Throws Error with the message SQLite gives for this connection, prefixed with `what` and the path.
    [[noreturn]] void raise(int code, std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;

    // Binds are 1-based, as in SQLite.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, int64_t number);
    Statement& bind(int index, int number) { return bind(index, static_cast<int64_t>(number)); }
    Statement& bind_null(int index);
    Statement& bind(int index, const std::optional<std::string>& text);

    // Steps once: true when a row is available, false when done.
    bool step();
    // Steps to the end, for statements that return no rows.
    void run();
    void reset();

    std::string column_text(int index) const;
    std::optional<std::string> column_optional_text(int index) const;
    int64_t column_int(int index) const;
    bool column_is_null(int index) const;

private:
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction (so a writer never fails half-way for a lock it could have taken
// up-front); ROLLBACK in the destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

} // namespace buurtstem::sqlite
