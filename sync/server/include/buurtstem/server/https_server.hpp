// The central server's HTTPS endpoint (cpp-httplib with OpenSSL). See sync/PROTOCOL.md.
//
//   POST /api/v1/responses   upload batch; needs "Authorization: Bearer <device token>"
//   GET  /api/v1/health      {"status":"ok"}; no token needed
#pragma once

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
};

class HttpsServer {
public:
    // Loads the certificate and binds the port; errors name the file or the address.
    static Result<std::unique_ptr<HttpsServer>, std::string>
    create(const HttpsServerSettings& settings, ServerStore& store, const ConsultationCatalog& catalog);
    ~HttpsServer();

    int port() const;
    // Serves until stop() is called from another thread. False when listening failed.
    bool serve();
    void stop();
    // Called once per request with a one-line summary (for the server's log).
    void set_log(std::function<void(const std::string&)> log);
    // Serves every route of `table` too (route modules: enrolment, consultations). Call before serve();
    // `table` must outlive the server. (Adapter until the transport dispatches through a RouteTable.)
    void add_routes(const RouteTable& table);

private:
    struct Impl;
    explicit HttpsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace buurtstem
