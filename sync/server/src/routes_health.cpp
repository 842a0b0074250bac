// Route module: GET /api/v1/health, for monitoring and the kiosk's "is the server there" check.
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/server_routes.hpp"

namespace buurtstem {

void add_health_routes(RouteTable& routes) {
    Route health;
    health.method = "GET";
    health.path = std::string(protocol::kHealthPath);
    health.handle = [](const HttpRequest&) {
        HttpReply reply;
        reply.body = R"({"status":"ok"})";
        return reply;
    };
    routes.add(std::move(health));
}

} // namespace buurtstem
