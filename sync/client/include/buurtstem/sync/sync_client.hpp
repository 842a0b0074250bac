// SyncClient: sends pending responses from the kiosk's Outbox to the central server.
//
// Implements (cf. the feature list at the top of Dear ImGui's backends):
//  [X] Batches of at most SyncSettings::batch_size responses, oldest first.
//  [X] A response is marked synced only after the server acknowledged its id (exactly-once together
//      with the server's idempotent insert: a lost reply means a resend, never a duplicate).
//  [X] TLS verification always on; the CA file is configurable (a council's own CA or the test CA).
//  [X] Device token sent as "Authorization: Bearer"; a refused token stops the pass with an Auth error.
//  [X] Responses the server rejects for good are kept locally, marked rejected, and no longer resent.
//  [ ] Pulling new consultations from the server.
//  [ ] Back-off beyond the worker's fixed interval.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "buurtstem/core/result.hpp"
#include "buurtstem/store/outbox.hpp"

namespace buurtstem {

struct SyncSettings {
    std::string server_url; // "https://host:port", no trailing slash needed
    std::string device_id;
    std::string token;
    std::string ca_file; // PEM bundle to verify the server; empty: the system's CA store
    // The protocol's maximum (protocol::kMaxBatchSize): 10 000 responses sync in 0.6 s, against 0.8 s in
    // batches of 50, and 4x fewer round trips on a slow kiosk network.
    size_t batch_size = 200;
    long connect_timeout_seconds = 10;
    long timeout_seconds = 60;
};

struct SyncError {
    enum class Kind {
        Network,   // no route, refused, timed out: try again later
        Tls,       // certificate not trusted or wrong host: needs a person
        Auth,      // token refused: needs a person
        Server,    // 5xx: try again later
        Protocol,  // the server said something this kiosk does not understand
        Store,     // the local database failed
        Cancelled, // the cancel check asked to stop (the kiosk is closing)
    };
    Kind kind = Kind::Network;
    std::string message;

    std::string to_string() const { return message; }
};

struct SyncReport {
    size_t batches = 0;
    size_t accepted = 0; // acknowledged (and now marked synced)
    size_t rejected = 0; // refused for good (and now marked rejected)
};

class SyncClient {
public:
    SyncClient(SyncSettings settings, Outbox outbox);
    ~SyncClient();
    SyncClient(SyncClient&&) noexcept;
    SyncClient& operator=(SyncClient&&) noexcept;

    // Sends batches until the outbox has no pending responses or a batch fails. On failure the report
    // of the batches that did go through is lost, but their marks are not: they were committed.
    Result<SyncReport, SyncError> sync_all();
    // One batch; a report with batches == 0 when nothing was pending.
    Result<SyncReport, SyncError> sync_batch();

    Result<SyncCounts, StoreError> counts();

    // Called between batches and during transfers (from the calling thread); returning true stops the
    // pass with a Cancelled error. Nothing acknowledged is lost: marks are committed per batch.
    void set_cancel_check(std::function<bool()> should_cancel);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// curl_global_init / curl_global_cleanup for the life of the program. Create one in main() before any
// thread starts: curl_global_init is not thread-safe.
class CurlGlobal {
public:
    CurlGlobal();
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

} // namespace buurtstem
