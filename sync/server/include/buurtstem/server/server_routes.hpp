// The server's route modules, and the one place that puts them together.
//
// A module is a function that adds Routes to a RouteTable (see http_route.hpp); it never sees a socket.
// To add a module (enrolment, consultations, dashboard, ...), write routes_<name>.cpp with an
// add_<name>_routes function declared here and call it from server_routes(); the transport
// (https_server.cpp) does not change.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/server/http_route.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

// One line for the server's log (the transport adds the time).
using Log = std::function<void(const std::string&)>;

// The device id behind the request's "Authorization: Bearer <token>"; otherwise the reply to send
// (401 unknown token, 503 store unavailable). Reads headers only, so it runs before any body is read.
Result<std::string, HttpReply> authenticate_device(const HttpRequest& request, ServerStore& store, Log log);

// A HeaderCheck for routes flagged RouteFlags_DeviceToken.
HeaderCheck device_token_check(ServerStore& store, Log log);

// A JSON error reply in the protocol's shape ({"error": message}).
HttpReply error_reply(int status, const std::string& message);

// GET /api/v1/health.
void add_health_routes(RouteTable& routes);

// POST /api/v1/responses: a batch from a kiosk (device token, body up to protocol::kMaxBodyBytes).
void add_ingest_routes(RouteTable& routes, ServerStore& store, const ConsultationCatalog& catalog, Log log);

// Every module's routes.
RouteTable server_routes(ServerStore& store, const ConsultationCatalog& catalog, Log log);

} // namespace buurtstem
