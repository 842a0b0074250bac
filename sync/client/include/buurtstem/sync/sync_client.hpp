// SyncClient: sends pending responses from the kiosk's outbox to the central server.
//
// Implements (cf. the feature list at the top of Dear ImGui's backends):
//  [X] Batches of at most SyncSettings::batch_size responses, oldest first.
//  [X] A response is marked synced only after the server acknowledged its id (exactly-once together
//      with the server's idempotent insert: a lost reply means a resend, never a duplicate).
//  [X] TLS verification always on; the CA file is configurable (a council's own CA or the test CA);
//      optional public-key pinning (SyncSettings::pinned_public_key, CURLOPT_PINNEDPUBLICKEY).
//  [X] Device token sent as "Authorization: Bearer"; a refused token stops the pass with an Auth error.
//  [X] Responses the server rejects for good are kept locally with the reason, marked rejected, and no
//      longer resent; the rest of the queue moves on.
//  [X] Responses the server cannot take yet (a consultation it has no file for) stay pending with the
//      reason; the pass moves past them and they go again in a later pass.
//  [X] An overall deadline per request and a stall limit: a silent server costs seconds, not minutes.
//  [X] Only a JSON reply that acknowledges ids this batch sent counts: a captive portal's 200 page does not.
//  [X] Knows the outbox only through sync::OutboxPort; nothing here includes kiosk/.
//  [X] gzip bodies when the server says it takes them (Accept-Encoding in its replies, RFC 7694).
//  [X] sync_all pipelines: the next batch is read and encoded, and the previous one marked, on a helper
//      thread while the current one is on the network. The outbox is used by one thread at a time.
//  [ ] Pulling new consultations from the server.
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "buurtstem/core/result.hpp"
#include "buurtstem/sync/outbox_port.hpp"

namespace buurtstem {

struct SyncSettings {
    std::string server_url; // "https://host:port", no trailing slash needed
    std::string device_id;
    std::string token;
    std::string ca_file; // PEM bundle to verify the server; empty: the system's CA store
    // "sha256//BASE64" (one or more, ';'-separated): the server's public key must also match one of these.
    std::string pinned_public_key;
    // The protocol's maximum (protocol::kMaxBatchSize): 10 000 responses sync in 0.6 s, against 0.8 s in
    // batches of 50, and 4x fewer round trips on a slow kiosk network.
    size_t batch_size = 200;
    long connect_timeout_seconds = 10;
    long timeout_seconds = 30; // the whole request, connect to last byte of the reply
    long stall_seconds = 10;   // fewer than 1 byte/s for this long: give up on the request
    // gzip each batch once the server's replies say "Accept-Encoding: gzip" (older servers never see
    // a compressed body). Off: always plain JSON.
    bool compress = true;
};

struct SyncError {
    enum class Kind {
        Network,   // no route, refused, timed out: try again later
        Tls,       // certificate not trusted, wrong host or pin: needs a person
        Auth,      // token refused: needs a person
        Server,    // 5xx: try again later
        Protocol,  // the server said something this kiosk does not understand (or it was not our server)
        Store,     // the local database failed
        Cancelled, // the cancel check asked to stop (the kiosk is closing)
        Revoked,   // the council switched this kiosk off: stop for good, keep every response
    };
    Kind kind = Kind::Network;
    std::string message;

    std::string to_string() const { return message; }
};

// What a revoked kiosk says about its sync (logs, status): plain words, and that nothing is lost.
inline constexpr std::string_view kRevokedMessage =
    "this kiosk was switched off by the council; it no longer sends answers, and every answer stays "
    "stored on this kiosk";

struct SyncReport {
    size_t batches = 0;
    size_t accepted = 0;   // acknowledged (and now marked synced)
    size_t rejected = 0;   // refused for good (and now marked rejected)
    size_t held = 0;       // not taken yet (still pending, reason noted)
    size_t body_bytes = 0; // request body bytes sent, as on the wire (gzipped when the server takes it)
};

class SyncClient {
public:
    SyncClient(SyncSettings settings, std::unique_ptr<sync::OutboxPort> outbox);
    // Takes any outbox by value (the kiosk's Outbox), so callers need not wrap it themselves.
    template <class Port>
    requires std::derived_from<Port, sync::OutboxPort> SyncClient(SyncSettings settings, Port outbox)
        : SyncClient(std::move(settings), std::make_unique<Port>(std::move(outbox))) {}
    ~SyncClient();
    SyncClient(SyncClient&&) noexcept;
    SyncClient& operator=(SyncClient&&) noexcept;

    // One pass through the queue: sends batches until no pending response is left after the last one
    // sent, or a batch fails. Held responses are passed over, not sent twice in one pass. On failure the
    // report of the batches that did go through is lost, but their marks are not: they were committed.
    Result<SyncReport, SyncError> sync_all();
    // The next batch of this pass; a report with batches == 0 when the pass has reached the end.
    Result<SyncReport, SyncError> sync_batch();

    Result<sync::OutboxCounts, sync::OutboxError> counts();

    // Called between batches and during transfers (from the calling thread); returning true stops the
    // pass with a Cancelled error. Nothing acknowledged is lost: marks are committed per batch.
    void set_cancel_check(std::function<bool()> should_cancel);
    // Called after each batch that went through during sync_all (from the calling thread), with the
    // totals of the pass so far.
    void set_progress(std::function<void(const SyncReport&)> on_batch);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// curl_global_init / curl_global_cleanup for the life of the program. Create one in main() before any
// thread starts: curl_global_init is not thread-safe. It also sets SIGPIPE to be ignored, process-wide:
// a connection cut during a TLS write must be an error value, not the end of the kiosk.
class CurlGlobal {
public:
    CurlGlobal();
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

} // namespace buurtstem
