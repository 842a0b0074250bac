// The server's routes, independent of the HTTP library that carries them.
//
// The server grows as route modules (ingest, enrolment, consultations, dashboard, exports, staff): each
// module adds Routes to a RouteTable; the transport (https_server.cpp) parses requests within its limits,
// finds the route, and sends the reply. A module never sees a socket or a library type, so it is tested by
// calling it.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buurtstem {

struct HttpRequest {
    std::string method;                         // "GET", "POST"
    std::string path;                           // without the query
    std::map<std::string, std::string> query;   // decoded query parameters
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    std::string peer; // the client's address, for logs and per-address limits

    // The header's value, or "" when absent. `name` in lower case.
    const std::string& header(std::string_view name) const;
};

// Receives a streamed body chunk by chunk; returns false once the client has gone (stop then).
using BodySink = std::function<bool(std::string_view chunk)>;

struct HttpReply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers (Set-Cookie, Location, ...)
    // Set for a body too large to hold in memory (exports): `body` is ignored, and the transport runs
    // `stream` on a thread of its own with a sink that passes each chunk to the client as it comes.
    std::function<void(const BodySink& sink)> stream = nullptr;
    // Set for a body that must be built whole before its first byte can go out (an XLSX: a zip that
    // libxlsxwriter closes at the end). `body` and `stream` are ignored: the transport suspends the
    // connection (no server worker waits on it), runs `build_file` with the path of a fresh temporary file
    // on a builder thread of its own, then sends the file with its length and removes it. At most
    // HttpsServerSettings::max_file_builds run at once; beyond that the client hears 503 with Retry-After.
    // Returns "" when the file is complete, else why not (logged; the client gets 500).
    std::function<std::string(const std::string& path)> build_file = nullptr;
};

enum RouteFlags_ {
    RouteFlags_None = 0,
    // The route needs a device token: the transport calls `authorize` with the headers before reading any
    // body, so an unknown caller costs a header, not a body.
    RouteFlags_DeviceToken = 1 << 0,
    // The route takes "Content-Encoding: gzip" bodies: the transport inflates them (never past
    // max_body_bytes) before the route sees them, and says "Accept-Encoding: gzip" in its replies so
    // clients know they may compress (RFC 7694). Other routes answer 415 to any content coding.
    RouteFlags_GzipBody = 1 << 1,
};
using RouteFlags = int;

struct Route {
    std::string method;
    std::string path; // exact match; a trailing "*" matches any rest ("/results/*")
    RouteFlags flags = RouteFlags_None;
    size_t max_body_bytes = 0; // 0: no body accepted
    std::function<HttpReply(const HttpRequest&)> handle;
};

// Checks a request's headers before its body is read; nullopt to go on, else the reply to send at once.
using HeaderCheck = std::function<std::optional<HttpReply>(const HttpRequest& headers_only)>;

class RouteTable {
public:
    void add(Route route) { routes_.push_back(std::move(route)); }
    // The route for `method` and `path`; nullptr when none.
    const Route* find(std::string_view method, std::string_view path) const;
    // Whether any route has this path (to tell 405 from 404).
    bool has_path(std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

} // namespace buurtstem
