// The central server's HTTPS endpoint (GNU libmicrohttpd with GnuTLS). See sync/PROTOCOL.md and
// sync/server/DESIGN.md (serving model, limits, why).
//
// The transport parses requests within hard limits and dispatches them through a RouteTable; the
// routes themselves live in route modules (server_routes.hpp):
//   POST /api/v1/responses   upload batch; needs "Authorization: Bearer <device token>"
//   GET  /api/v1/health      {"status":"ok"}; no token needed
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/server/http_route.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

struct HttpsServerSettings {
    std::string cert_file; // PEM certificate (chain) the server presents
    std::string key_file;  // PEM private key
    std::string host = "127.0.0.1";
    int port = 8443; // 0: any free port (tests); port() tells which

    // Limits (see DESIGN.md). A connection must bring a request's headers within header_timeout of
    // connecting or of its previous reply, and its body within body_timeout of the headers, however
    // slowly it trickles; idle_timeout closes a connection silent that long.
    int header_timeout_seconds = 10;
    int body_timeout_seconds = 120;
    int idle_timeout_seconds = 30;
    unsigned max_connections = 4000;           // lowered to fit the open-file limit
    unsigned max_connections_per_address = 64; // one address cannot take the whole server
    size_t max_header_count = 64;
    size_t max_header_bytes = 16 * 1024; // request line + all headers
    unsigned worker_threads = 4;         // each runs its own epoll loop over many connections
    // The request bodies buffered at one moment, all connections together. An upload that would pass
    // it gets 503 with Retry-After (before its body when it announces a Content-Length), so many large
    // uploads at once cannot exhaust memory; kiosks retry after their back-off.
    size_t max_buffered_body_bytes = 64 * 1024 * 1024;
    int busy_retry_after_seconds = 5;
    // Files built before they are sent (HttpReply::build_file, the XLSX export) at one moment; each
    // takes a builder thread and a temporary file. One more gets 503 with Retry-After.
    unsigned max_file_builds = 2;
    int build_retry_after_seconds = 30;
};

class HttpsServer {
public:
    // Loads the certificate and binds the port; errors name the file or the address. Serves the
    // server's route modules (server_routes()).
    static Result<std::unique_ptr<HttpsServer>, std::string>
    create(const HttpsServerSettings& settings, ServerStore& store, const ConsultationCatalog& catalog);
    ~HttpsServer();

    int port() const;
    // Serves until stop() is called from another thread. False when listening failed.
    bool serve();
    void stop();
    // Called with one-line summaries (one per request, and the route modules' notes) for the log.
    void set_log(std::function<void(const std::string&)> log);
    // Serves every route of `table` too (route modules: enrolment, consultations). Call before serve();
    // Adds route modules beside the built-in ones (health, ingest); call before serve().
    void add_routes(const RouteTable& table);

private:
    struct Impl;
    explicit HttpsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace buurtstem
