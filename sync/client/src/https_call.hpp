// One HTTPS request with libcurl, verified like every sync call (CA file or system store; https only).
// Private to the sync client library: shared by enrolment and consultation pull.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <string>
#include <vector>

#include "buurtstem/core/result.hpp"
#include "buurtstem/sync/sync_client.hpp"

namespace buurtstem::detail {

// What makes a call "verified like every sync call": https only, peer and host checked, the CA file (or the
// system store) and an optional key pin, a deadline for the whole request, a stall limit, and a cancel
// check asked during the transfer. One place, so the upload, the pull and enrolment cannot drift apart.
struct Transport {
    const std::string& ca_file;
    const std::string& pinned_public_key; // "sha256//..."; empty: none
    long connect_timeout_seconds;
    long timeout_seconds;
    long stall_seconds;                         // fewer than 1 byte/s for this long: give up
    const std::function<bool()>& should_cancel; // must outlive the transfer
};
void apply_transport(CURL* handle, const Transport& transport);

struct HttpsCall {
    std::string method = "GET"; // GET or POST
    std::string url;
    std::string ca_file;
    std::string bearer_token;               // empty: no Authorization header
    std::string body;                       // POST body (JSON)
    std::vector<std::string> extra_headers; // "Name: value" lines
    long connect_timeout_seconds = 10;
    long timeout_seconds = 60;
    long stall_seconds = 10;
    std::string pinned_public_key;
    size_t max_reply_bytes = 2 * 1024 * 1024;
    // Asked during the transfer; true aborts it with a Cancelled error (the kiosk is closing).
    std::function<bool()> should_cancel;
};

struct HttpsAnswer {
    long status = 0;
    std::string body;
};

// Network and TLS failures as SyncError (Kind Network or Tls); any HTTP status is an answer.
[[nodiscard]] Result<HttpsAnswer, SyncError> https_call(const HttpsCall& call);
// The text of {"error": "..."}, or the start of the body.
std::string error_text(const std::string& body);
// A 401/403 answer as a SyncError: Revoked when the server says the device was switched off.
SyncError refused(const HttpsAnswer& answer, const std::string& what);

} // namespace buurtstem::detail
