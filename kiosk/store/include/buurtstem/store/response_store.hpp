// ResponseStore: where the kiosk keeps residents' completed responses, in one SQLite file.
//
// Contract: commit() returns only after the response and all its answers are durable on disk (one
// transaction, WAL, synchronous=FULL), or it returns an error and nothing of that response was written.
// Schema: kiosk/store/SCHEMA.md.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "buurtstem/consultation/response.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/store/store_error.hpp"

namespace buurtstem {

struct SyncCounts {
    int64_t pending = 0;  // waiting to be sent
    int64_t synced = 0;   // acknowledged by the server
    int64_t rejected = 0; // refused by the server for good; kept, shown to the volunteer
};

class ResponseStore {
public:
    static Result<ResponseStore, StoreError> open(const std::filesystem::path& path);
    ~ResponseStore();
    ResponseStore(ResponseStore&&) noexcept;
    ResponseStore& operator=(ResponseStore&&) noexcept;

    // A response that answers one question twice is a caller bug: refused (Failed), nothing written.
    Status<StoreError> commit(const CompletedResponse& response);
    Result<std::optional<CompletedResponse>, StoreError> find(const std::string& id);
    Result<SyncCounts, StoreError> counts();

    const std::filesystem::path& path() const;

private:
    // The connection and its prepared statements live together on the heap: statements point at their
    // connection, so neither may move when the store does.
    struct Impl;
    explicit ResponseStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace buurtstem
