// Shared by the web route modules (routes_staff, routes_dashboard, routes_public); not a public header.
#pragma once

#include <optional>
#include <string>

#include "buurtstem/server/web_html.hpp"
#include "buurtstem/server/web_routes.hpp"

namespace buurtstem::web {

// A staff page: header with navigation, the user, and the logout button (with CSRF token).
std::string staff_page(const StaffLogin& login, const std::string& title, const std::string& main_html);
// A staff page reply for a refusal or a missing thing.
HttpReply staff_message(const StaffLogin& login, int status, const std::string& title,
                        const std::string& text);
// The hidden CSRF field of a form.
std::string csrf_field(const std::string& token);
// The form's CSRF token matches the session's.
bool csrf_ok(const StaffLogin& login, const std::map<std::string, std::string>& form);
// Replies for requests without a valid session: a page is sent to the login, a POST is refused.
HttpReply not_logged_in(const HttpRequest& request);

} // namespace buurtstem::web
