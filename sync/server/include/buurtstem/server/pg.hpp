// RAII wrappers over libpq (PostgreSQL's C client): Connection, Rows, Transaction, and a small Pool.
//
// Shaped like common/core's sqlite wrappers on purpose, so a store method written for SQLite ports by
// changing its placeholders (`?1` -> `$1`) and its wrapper calls, not its logic:
//
//   sqlite: db_.prepare("... ?1 ...").bind(1, x).run();        db_.changes()
//   pg:     c.run("... $1 ...", {x});                          (run returns the affected row count)
//   sqlite: auto s = db_.prepare(sql); s.bind(1, x); s.step(); s.column_text(0)
//   pg:     auto rows = c.query(sql, {x}); rows.size(); rows.text(0, 0)
//
// Every statement with parameters is prepared once per connection (named after its text) and reused,
// so a hot path costs one round trip and no parsing. Parameters travel as text; PostgreSQL infers their
// types from the statement, or the statement casts them (`$1::text[]`).
//
// These throw pg::Error; the store catches it at its public boundary, like sqlite::Error.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace buurtstem::pg {

class Error : public std::runtime_error {
public:
    Error(std::string sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    // The five-character SQLSTATE ("53100" disk full, "40P01" deadlock); empty when the server sent
    // none (the connection failed or was lost).
    const std::string& sqlstate() const { return sqlstate_; }
    bool is_disk_full() const { return sqlstate_ == "53100"; }
    // Deadlock or serialization failure: the whole transaction may be run again.
    bool is_retryable() const { return sqlstate_ == "40P01" || sqlstate_ == "40001"; }
    bool is_unique_violation() const { return sqlstate_ == "23505"; }

private:
    std::string sqlstate_;
};

// A statement parameter: text, a number (sent as its decimal text) or NULL.
struct Param {
    Param(std::string_view text) : value(std::string(text)) {}
    Param(const std::string& text) : value(text) {}
    Param(const char* text) : value(std::string(text)) {}
    Param(int64_t number) : value(std::to_string(number)) {}
    Param(int number) : value(std::to_string(number)) {}
    Param(std::nullopt_t) {}
    Param(std::optional<std::string> text) : value(std::move(text)) {}
    std::optional<std::string> value;
};

// PostgreSQL array literals for `unnest($1::text[], ...)`: one round trip carries a whole batch.
std::string text_array(const std::vector<std::string>& values);
std::string int_array(const std::vector<int64_t>& values);

// The rows a statement returned (an owned PGresult).
class Rows {
public:
    explicit Rows(pg_result* result) : result_(result) {}
    ~Rows();
    Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;
    Rows& operator=(Rows&&) = delete;

    int size() const;
    bool empty() const { return size() == 0; }
    std::string text(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    int64_t integer(int row, int column) const;
    bool is_null(int row, int column) const;
    // Rows changed by an INSERT / UPDATE / DELETE.
    int64_t affected() const;

private:
    pg_result* result_;
};

// `uri` with any password replaced by "***", for messages and logs.
std::string redact(const std::string& uri);

class Connection {
public:
    // Connects to `uri` (postgresql://user:password@host:port/database?param=value, as libpq reads it).
    // Throws Error with libpq's own reason (connection refused, password authentication failed,
    // database does not exist, ...) and the redacted address.
    explicit Connection(const std::string& uri);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One or more statements without parameters (migrations, BEGIN, COMMIT).
    void exec(std::string_view sql);
    // A statement with parameters, prepared on first use on this connection.
    Rows query(const std::string& sql, const std::vector<Param>& params = {});
    // query() for statements that return no rows; the number of rows changed.
    int64_t run(const std::string& sql, const std::vector<Param>& params = {}) {
        return query(sql, params).affected();
    }
    // True when the link to the server is gone (the server restarted, the network broke).
    bool broken() const;
    // Connects again after broken(); prepared statements are prepared again on their next use.
    void reset();
    const std::string& address() const { return address_; }

private:
    [[noreturn]] void raise(pg_result* result, std::string_view what);

    pg_conn* conn_ = nullptr;
    std::string address_;                                   // redacted URI
    std::unordered_map<std::string, std::string> prepared_; // SQL text -> statement name
};

// BEGIN on construction; ROLLBACK in the destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Connection& c);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& c_;
    bool done_ = false;
};

// Up to `size` connections to one database, each used by one thread at a time. The first connects at
// once (so a wrong address fails at start-up, not at the first upload); the others when first needed.
// A connection found broken is reconnected when next leased.
class Pool {
public:
    Pool(const std::string& uri, size_t size);

    class Lease {
    public:
        Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(&pool), c_(std::move(c)) {}
        ~Lease();
        Lease(Lease&& other) noexcept = default;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *c_; }
        Connection* operator->() { return c_.get(); }

    private:
        Pool* pool_;
        std::unique_ptr<Connection> c_;
    };

    // Waits while every connection is in use.
    Lease lease();
    const std::string& address() const { return address_; }

private:
    void give_back(std::unique_ptr<Connection> c);

    std::string uri_;
    std::string address_;
    size_t size_;
    size_t opened_ = 0;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

} // namespace buurtstem::pg
