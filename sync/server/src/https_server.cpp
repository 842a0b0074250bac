#include "buurtstem/server/https_server.hpp"

#include <httplib.h>

#include <charconv>
#include <fstream>
#include <optional>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/ingest.hpp"

namespace buurtstem {

struct HttpsServer::Impl {
    Impl(const HttpsServerSettings& s, ServerStore& st, const ConsultationCatalog& c)
        : server(s.cert_file.c_str(), s.key_file.c_str()), store(st), catalog(c) {}

    httplib::SSLServer server;
    ServerStore& store;
    const ConsultationCatalog& catalog;
    int port = 0;
    std::function<void(const std::string&)> log;
    const RouteTable* routes = nullptr; // route modules served through the adapter below

    // The device id of a valid token; otherwise the reply is set (401/503) and nullopt returned.
    std::optional<std::string> authenticate(const httplib::Request& request, httplib::Response& response);
    void handle_upload(const httplib::Request& request, httplib::Response& response);
    void log_line(const std::string& line) {
        if (log) {
            log(now_iso8601_utc() + " " + line);
        }
    }
    void reply_error(httplib::Response& response, int status, const std::string& message) {
        response.status = status;
        response.set_content(protocol::encode_error(message), "application/json");
    }
};

namespace {

bool readable(const std::string& path) {
    return std::ifstream(path).good();
}

} // namespace

std::optional<std::string> HttpsServer::Impl::authenticate(const httplib::Request& request,
                                                           httplib::Response& response) {
    const std::string authorization = request.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (authorization.rfind(prefix, 0) != 0) {
        reply_error(response, 401, "missing device token (Authorization: Bearer ...)");
        return std::nullopt;
    }
    auto device = store.check_token(authorization.substr(prefix.size()));
    if (!device) {
        // The details (a file path, an SQLite message) go to the log, not to an unknown caller.
        log_line("token check failed: " + device.error().to_string());
        reply_error(response, 503, "server store unavailable; try again later");
        return std::nullopt;
    }
    if (device->state == TokenCheck::State::Revoked) {
        // "revoked" is a contract: the kiosk stops retrying and says it was switched off (PROTOCOL.md).
        reply_error(response, 401,
                    "revoked: device '" + device->device_id + "' was switched off by the council");
        return std::nullopt;
    }
    if (device->state != TokenCheck::State::Active) {
        reply_error(response, 401, "unknown or revoked device token");
        return std::nullopt;
    }
    return device->device_id;
}

void HttpsServer::Impl::handle_upload(const httplib::Request& request, httplib::Response& response) {
    const auto authenticated = authenticate(request, response);
    if (!authenticated) {
        return;
    }
    const std::string& device_id = *authenticated;
    auto batch = protocol::decode_batch(request.body);
    if (!batch) {
        reply_error(response, 400, "malformed upload: " + batch.error().to_string());
        return;
    }
    if (batch->device_id != device_id) {
        reply_error(response, 403,
                    "token belongs to device '" + device_id + "', batch says '" + batch->device_id + "'");
        return;
    }
    auto reply = ingest_batch(store, catalog, device_id, *batch);
    if (!reply) {
        // Nothing was stored and nothing is acknowledged: the kiosk keeps the batch and tries later.
        log_line("upload from " + device_id + " not stored: " + reply.error().to_string());
        reply_error(response, 503, "cannot store responses now; the batch will be taken later");
        return;
    }
    response.set_content(protocol::encode_reply(*reply), "application/json");
    log_line("upload from " + device_id + ": " + std::to_string(reply->accepted.size()) + " accepted, " +
             std::to_string(reply->rejected.size()) + " rejected");
}

Result<std::unique_ptr<HttpsServer>, std::string> HttpsServer::create(const HttpsServerSettings& settings,
                                                                      ServerStore& store,
                                                                      const ConsultationCatalog& catalog) {
    for (const std::string& file : {settings.cert_file, settings.key_file}) {
        if (!readable(file)) {
            return fail("cannot read TLS file '" + file + "'");
        }
    }
    auto impl = std::make_unique<Impl>(settings, store, catalog);
    if (!impl->server.is_valid()) {
        return fail("cannot use certificate '" + settings.cert_file + "' with key '" + settings.key_file +
                    "' (not PEM, or they do not match)");
    }
    Impl* self = impl.get();
    impl->server.set_payload_max_length(protocol::kMaxBodyBytes);
    // cpp-httplib sets SO_REUSEPORT by default, which lets a second server bind a port this one already
    // listens on and quietly take a share of the uploads. SO_REUSEADDR alone still allows a quick restart.
    impl->server.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    impl->server.Post(
        std::string(protocol::kUploadPath),
        [self](const httplib::Request& rq, httplib::Response& rs) { self->handle_upload(rq, rs); });
    impl->server.Get(std::string(protocol::kHealthPath), [](const httplib::Request&, httplib::Response& rs) {
        rs.set_content(R"({"status":"ok"})", "application/json");
    });
    impl->server.set_exception_handler(
        [self](const httplib::Request&, httplib::Response& rs, std::exception_ptr ep) {
            std::string what = "unknown error";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            self->log_line("internal error: " + what);
            self->reply_error(rs, 500, "internal error");
        });
    // Check the token before cpp-httplib reads a body of up to 8 MiB: an unknown caller costs a header.
    impl->server.set_pre_routing_handler([self](const httplib::Request& rq, httplib::Response& rs) {
        if (rq.method == "POST" && rq.path == protocol::kUploadPath && !self->authenticate(rq, rs)) {
            return httplib::Server::HandlerResponse::Handled;
        }
        if (self->routes != nullptr) {
            const Route* route = self->routes->find(rq.method, rq.path);
            if (route != nullptr && (route->flags & RouteFlags_DeviceToken) != 0 &&
                !self->authenticate(rq, rs)) {
                return httplib::Server::HandlerResponse::Handled;
            }
            // A route without a token (enrolment) must not be made to read 8 MiB: refuse a declared
            // length over its limit before the body is read.
            const std::string length = rq.get_header_value("Content-Length");
            unsigned long long declared = 0;
            if (route != nullptr && !length.empty() &&
                (std::from_chars(length.data(), length.data() + length.size(), declared).ec != std::errc() ||
                 declared > route->max_body_bytes)) {
                self->reply_error(rs, 413, "request body too large");
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    if (settings.port == 0) {
        impl->port = impl->server.bind_to_any_port(settings.host);
        if (impl->port < 0) {
            return fail("cannot listen on " + settings.host + " (any port)");
        }
    } else {
        if (!impl->server.bind_to_port(settings.host, settings.port)) {
            return fail("cannot listen on " + settings.host + ":" + std::to_string(settings.port) +
                        " (in use, or no permission)");
        }
        impl->port = settings.port;
    }
    return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsServer::~HttpsServer() = default;

int HttpsServer::port() const {
    return impl_->port;
}

bool HttpsServer::serve() {
    return impl_->server.listen_after_bind();
}

void HttpsServer::stop() {
    impl_->server.stop();
}

void HttpsServer::set_log(std::function<void(const std::string&)> log) {
    impl_->log = std::move(log);
}

// [SECTION] RouteTable adapter (t3): serves route modules on cpp-httplib until the transport dispatches
// through a RouteTable itself. Token checks for RouteFlags_DeviceToken run in the pre-routing handler.
void HttpsServer::add_routes(const RouteTable& table) {
    impl_->routes = &table;
    for (const Route& route : table.routes()) {
        std::string pattern = route.path;
        if (!pattern.empty() && pattern.back() == '*') {
            pattern.pop_back();
            pattern += "(.+)";
        }
        const Route* r = &route;
        auto handler = [r](const httplib::Request& rq, httplib::Response& rs) {
            if (rq.body.size() > r->max_body_bytes) {
                rs.status = 413;
                rs.set_content(protocol::encode_error("request body too large"), "application/json");
                return;
            }
            HttpRequest request{rq.method, rq.path, {}, {}, rq.body, rq.remote_addr};
            for (const auto& [name, value] : rq.params) {
                request.query[name] = value;
            }
            for (const auto& [name, value] : rq.headers) {
                std::string lower = name;
                for (char& c : lower) {
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                }
                request.headers[lower] = value;
            }
            const HttpReply reply = r->handle(request);
            rs.status = reply.status;
            for (const auto& [name, value] : reply.headers) {
                rs.set_header(name, value);
            }
            rs.set_content(reply.body, reply.content_type);
        };
        if (route.method == "GET") {
            impl_->server.Get(pattern, handler);
        } else if (route.method == "POST") {
            impl_->server.Post(pattern, handler);
        }
    }
}

} // namespace buurtstem
