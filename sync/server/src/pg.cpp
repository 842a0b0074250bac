#include "buurtstem/server/pg.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace buurtstem::pg {

namespace {

// libpq's messages end in a line break and may span lines ("...failed: Connection refused\n\tIs the
// server running on that host...?"): one line reads better in a log.
std::string one_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    for (char& c : text) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
    }
    return text;
}

void append_quoted(std::string& out, const std::string& value) {
    out += '"';
    for (const char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
}

} // namespace

std::string text_array(const std::vector<std::string>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        append_quoted(out, values[i]); // quoted always: no value can be read as NULL or split
    }
    out += '}';
    return out;
}

std::string int_array(const std::vector<int64_t>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        out += std::to_string(values[i]);
    }
    out += '}';
    return out;
}

std::string redact(const std::string& uri) {
    // postgresql://user:password@host/...: the password sits between the first ':' after the scheme
    // and the last '@' before the path.
    const auto scheme = uri.find("://");
    if (scheme == std::string::npos) {
        return uri;
    }
    const auto authority_start = scheme + 3;
    const auto path = uri.find('/', authority_start);
    const auto at = uri.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at == std::string::npos || at < authority_start) {
        return uri;
    }
    const auto colon = uri.find(':', authority_start);
    if (colon == std::string::npos || colon > at) {
        return uri;
    }
    return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

// [SECTION] Rows

Rows::~Rows() {
    PQclear(result_);
}

int Rows::size() const {
    return PQntuples(result_);
}

std::string Rows::text(int row, int column) const {
    return std::string(PQgetvalue(result_, row, column),
                       static_cast<size_t>(PQgetlength(result_, row, column)));
}

std::optional<std::string> Rows::optional_text(int row, int column) const {
    if (is_null(row, column)) {
        return std::nullopt;
    }
    return text(row, column);
}

int64_t Rows::integer(int row, int column) const {
    const char* value = PQgetvalue(result_, row, column);
    const char* end = value + PQgetlength(result_, row, column);
    int64_t number = 0;
    const auto [stop, ec] = std::from_chars(value, end, number);
    if (ec != std::errc() || stop != end) {
        throw Error("",
                    "PostgreSQL sent '" + std::string(value, end) + "' where a whole number was expected");
    }
    return number;
}

bool Rows::is_null(int row, int column) const {
    return PQgetisnull(result_, row, column) != 0;
}

int64_t Rows::affected() const {
    const char* count = PQcmdTuples(result_);
    int64_t number = 0;
    std::from_chars(count, count + std::char_traits<char>::length(count), number);
    return number;
}

// [SECTION] Connection

Connection::Connection(const std::string& uri) : address_(redact(uri)) {
    conn_ = PQconnectdb(uri.c_str());
    if (conn_ == nullptr) {
        throw Error("", "cannot connect to " + address_ + ": out of memory");
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string reason = one_line(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw Error("", "cannot connect to " + address_ + ": " + reason);
    }
    // NOTICEs ("relation ... already exists, skipping") are not for the council's terminal.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    // Residents' words are UTF-8, whatever the server's default encoding.
    try {
        exec("SET client_encoding = 'UTF8'");
    } catch (const Error&) {
        PQfinish(conn_);
        conn_ = nullptr;
        throw;
    }
}

Connection::~Connection() {
    if (conn_ != nullptr) {
        PQfinish(conn_);
    }
}

void Connection::raise(pg_result* result, std::string_view what) {
    std::string sqlstate;
    std::string message;
    if (result != nullptr) {
        const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        sqlstate = state != nullptr ? state : "";
        message = one_line(PQresultErrorMessage(result));
        PQclear(result);
    }
    if (message.empty()) {
        message = one_line(PQerrorMessage(conn_));
    }
    if (broken()) {
        message = "lost the connection to " + address_ + ": " + message;
    }
    throw Error(sqlstate, std::string(what) + ": " + message);
}

void Connection::exec(std::string_view sql) {
    PGresult* result = PQexec(conn_, std::string(sql).c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        raise(result, sql.substr(0, sql.find_first_of("(\n")));
    }
    PQclear(result);
}

Rows Connection::query(const std::string& sql, const std::vector<Param>& params) {
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
        const std::string name = "s" + std::to_string(prepared_.size());
        PGresult* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
        if (PQresultStatus(result) != PGRES_COMMAND_OK) {
            raise(result, "preparing '" + sql.substr(0, 60) + "'");
        }
        PQclear(result);
        found = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) {
        values.push_back(p.value ? p.value->c_str() : nullptr);
    }
    PGresult* result = PQexecPrepared(conn_, found->second.c_str(), static_cast<int>(values.size()),
                                      values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        raise(result, sql.substr(0, sql.find_first_of("(\n")));
    }
    return Rows(result);
}

bool Connection::broken() const {
    return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK;
}

void Connection::reset() {
    PQreset(conn_);
    prepared_.clear(); // a new server session knows none of them
    if (PQstatus(conn_) != CONNECTION_OK) {
        throw Error("", "cannot connect again to " + address_ + ": " + one_line(PQerrorMessage(conn_)));
    }
    exec("SET client_encoding = 'UTF8'");
}

// [SECTION] Transaction

Transaction::Transaction(Connection& c) : c_(c) {
    c_.exec("BEGIN");
}

Transaction::~Transaction() {
    if (!done_ && !c_.broken()) {
        try {
            c_.exec("ROLLBACK");
        } catch (const Error&) {
            // Already unwinding from the error that matters; the server ends the transaction anyway
            // when the connection closes.
        }
    }
}

void Transaction::commit() {
    c_.exec("COMMIT");
    done_ = true;
}

// [SECTION] Pool

Pool::Pool(const std::string& uri, size_t size) : uri_(uri), address_(redact(uri)), size_(size) {
    idle_.push_back(std::make_unique<Connection>(uri_));
    opened_ = 1;
}

Pool::Lease Pool::lease() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || opened_ < size_; });
    std::unique_ptr<Connection> c;
    if (!idle_.empty()) {
        c = std::move(idle_.back());
        idle_.pop_back();
    } else {
        ++opened_;
        lock.unlock();
        try {
            c = std::make_unique<Connection>(uri_);
        } catch (...) {
            std::lock_guard relock(mutex_);
            --opened_;
            returned_.notify_one();
            throw;
        }
        return Lease(*this, std::move(c));
    }
    lock.unlock();
    if (c->broken()) {
        try {
            c->reset();
        } catch (...) {
            give_back(std::move(c)); // kept, to be tried again by the next lease
            throw;
        }
    }
    return Lease(*this, std::move(c));
}

void Pool::give_back(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(c));
    returned_.notify_one();
}

Pool::Lease::~Lease() {
    if (c_) {
        pool_->give_back(std::move(c_));
    }
}

} // namespace buurtstem::pg
