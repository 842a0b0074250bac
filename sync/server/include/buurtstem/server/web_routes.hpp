// The server's web pages, as route modules over the same HTTPS port as the kiosk API:
//
//   routes_staff.cpp      GET /  (login)   POST /login   POST /logout   GET /static/buurtstem.css
//   routes_dashboard.cpp  GET /dashboard...  (behind login; Dutch)  and its POST forms (CSRF)
//   routes_public.cpp     GET /r/<code>  public results of one consultation (no login; aggregates only)
//
// Numbers come from one place (aggregates.hpp); HTML and SVG from web_html.hpp.
#pragma once

#include <chrono>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/server/enrolment.hpp"
#include "buurtstem/server/http_route.hpp"
#include "buurtstem/server/server_routes.hpp"
#include "buurtstem/server/server_store.hpp"
#include "buurtstem/server/staff_auth.hpp"
#include "buurtstem/server/staff_store.hpp"

namespace buurtstem {

struct WebContext {
    ServerStore& store;
    StaffStore& staff;
    StaffAuth& auth;
    const ConsultationCatalog& catalog;
    Log log;
    // Failed logins per client address (on top of the per-account lockout): slows a guesser who
    // tries many user names.
    EnrolmentLimiter login_limiter{30, std::chrono::minutes(15)};
};

// Whether `account` may see `consultation` on the dashboard: admins without a municipality see all;
// everyone else only the consultations of their own municipality.
bool may_see(const StaffAccount& account, const Consultation& consultation);

void add_staff_routes(RouteTable& table, WebContext& web);
void add_dashboard_routes(RouteTable& table, WebContext& web);
void add_public_routes(RouteTable& table, WebContext& web);

// All three, in the right order.
void add_web_routes(RouteTable& table, WebContext& web);

} // namespace buurtstem
