// Puts the route modules together: the one place a new module is registered.
#include "buurtstem/server/server_routes.hpp"

namespace buurtstem {

RouteTable server_routes(ServerStore& store, const ConsultationCatalog& catalog, Log log) {
    RouteTable routes;
    add_health_routes(routes);
    add_ingest_routes(routes, store, catalog, log);
    return routes;
}

} // namespace buurtstem
