// Route module: the login page, logging in and out, and the stylesheet (see web_routes.hpp).
#include <chrono>

#include "buurtstem/core/uuid.hpp"
#include "web_internal.hpp"

namespace buurtstem {

namespace web {

std::string csrf_field(const std::string& token) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + html_escape(token) + "\">";
}

bool csrf_ok(const StaffLogin& login, const std::map<std::string, std::string>& form) {
    const auto it = form.find("csrf");
    return it != form.end() && same_token(it->second, login.csrf);
}

std::string staff_page(const StaffLogin& login, const std::string& title, const std::string& main_html) {
    std::string header = "<p><strong>Buurtstem</strong> · dashboard</p>\n<nav aria-label=\"Hoofdmenu\"><ul>"
                         "<li><a href=\"/dashboard\">Raadplegingen</a></li>";
    if (login.account.role == StaffRole::Admin) {
        header += "<li><a href=\"/dashboard/devices\">Kiosks</a></li>";
    }
    header += "</ul></nav>\n<div><span>" + html_escape(login.account.user) + " (" +
              (login.account.role == StaffRole::Admin ? "beheerder" : "analist") +
              (login.account.municipality.empty() ? "" : ", " + html_escape(login.account.municipality)) +
              ")</span> <form class=\"inline\" method=\"post\" action=\"/logout\">" + csrf_field(login.csrf) +
              "<button type=\"submit\" class=\"secondary\">Uitloggen</button></form></div>";
    return html_page("nl", title + " – Buurtstem", header, wrap_wide_tables(main_html));
}

HttpReply staff_message(const StaffLogin& login, int status, const std::string& title,
                        const std::string& text) {
    return html_reply(status,
                      staff_page(login, title,
                                 "<h1>" + html_escape(title) + "</h1>\n<p>" + html_escape(text) +
                                     "</p>\n<p><a href=\"/dashboard\">Naar de raadplegingen</a></p>"));
}

HttpReply not_logged_in(const HttpRequest& request) {
    if (request.method == "GET") {
        return redirect_reply("/");
    }
    return html_reply(403,
                      html_page("nl", "Niet ingelogd – Buurtstem", "<p><strong>Buurtstem</strong></p>",
                                "<h1>Niet ingelogd</h1><p>U bent niet (meer) ingelogd. <a href=\"/\">Log "
                                "in</a> en probeer het opnieuw.</p>"));
}

} // namespace web

namespace {

std::string login_cookie_header(const std::string& value) {
    return std::string(kLoginCookie) + "=" + value +
           "; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict";
}

// The login page; `status` and `error` for a refused attempt. Keeps the visitor's login cookie, or
// sets a fresh one: the form's CSRF token is tied to it.
HttpReply login_page(const HttpRequest& request, int status, const std::string& error,
                     const std::string& user) {
    std::string cookie = cookie_value(request, kLoginCookie);
    const bool fresh =
        cookie.size() != 32 || cookie.find_first_not_of("0123456789abcdef") != std::string::npos;
    if (fresh) {
        cookie = random_hex(16);
    }
    std::string main = "<h1>Inloggen</h1>\n<p>Voor medewerkers van de gemeente: resultaten van de "
                       "raadplegingen en beheer van de kiosks.</p>\n";
    if (!error.empty()) {
        main += "<div class=\"error\" role=\"alert\" id=\"login-error\"><p>" + html_escape(error) +
                "</p></div>\n";
    }
    main += "<form method=\"post\" action=\"/login\">" + web::csrf_field(StaffAuth::login_csrf(cookie)) +
            "\n<label for=\"user\">Gebruikersnaam</label>\n<input id=\"user\" name=\"user\" type=\"text\" "
            "autocomplete=\"username\" required value=\"" +
            html_escape(user) + "\"" + (error.empty() ? " autofocus" : "") +
            ">\n<label for=\"password\">Wachtwoord</label>\n<input id=\"password\" name=\"password\" "
            "type=\"password\" autocomplete=\"current-password\" required>\n<div><button type=\"submit\" "
            "id=\"login\">Inloggen</button></div>\n</form>\n";
    HttpReply reply = html_reply(status, html_page("nl", "Inloggen – Buurtstem",
                                                   "<p><strong>Buurtstem</strong> · dashboard</p>", main));
    if (fresh) {
        reply.headers.emplace_back("Set-Cookie", login_cookie_header(cookie));
    }
    return reply;
}

} // namespace

void add_staff_routes(RouteTable& table, WebContext& web) {
    table.add({"GET", std::string(kStylesheetPath), RouteFlags_None, 0,
               [](const HttpRequest&) { return stylesheet_reply(); }});

    table.add({"GET", "/", RouteFlags_None, 0, [&web](const HttpRequest& request) {
                   if (web.auth.session(request)) {
                       return redirect_reply("/dashboard");
                   }
                   return login_page(request, 200, "", "");
               }});

    table.add(
        {"POST", "/login", RouteFlags_None, 4096, [&web](const HttpRequest& request) {
             const auto form = parse_form(request.body);
             const auto field = [&](const char* name) {
                 const auto it = form.find(name);
                 return it == form.end() ? std::string() : it->second;
             };
             const std::string cookie = cookie_value(request, kLoginCookie);
             if (cookie.empty() || !same_token(field("csrf"), StaffAuth::login_csrf(cookie))) {
                 return login_page(request, 403,
                                   "Het formulier is verlopen of niet van deze site. Probeer het opnieuw.",
                                   "");
             }
             const auto now = std::chrono::steady_clock::now();
             if (!web.login_limiter.allowed(request.peer, now)) {
                 return login_page(request, 429,
                                   "Te veel mislukte pogingen vanaf deze plek. Probeer het over een "
                                   "kwartier opnieuw.",
                                   field("user"));
             }
             const LoginOutcome outcome = web.auth.login(field("user"), field("password"));
             switch (outcome.kind) {
             case LoginOutcome::Kind::Ok: {
                 if (web.log) {
                     web.log("staff '" + field("user") + "' logged in from " + request.peer);
                 }
                 HttpReply reply = redirect_reply("/dashboard");
                 reply.headers.emplace_back("Set-Cookie", web.auth.session_cookie(outcome.session_id));
                 return reply;
             }
             case LoginOutcome::Kind::Locked:
                 web.login_limiter.record_failure(request.peer, now);
                 if (web.log) {
                     web.log("staff login refused (locked) for '" + field("user") + "' from " + request.peer);
                 }
                 return login_page(request, 403,
                                   "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
                                   "Probeer het opnieuw na " +
                                       outcome.locked_until.substr(11, 5) + " uur (UTC, " +
                                       outcome.locked_until.substr(0, 10) + ").",
                                   field("user"));
             case LoginOutcome::Kind::StoreFailed:
                 return login_page(request, 503, "Inloggen lukt nu niet door een storing. Probeer het later.",
                                   field("user"));
             case LoginOutcome::Kind::WrongPassword:
                 break;
             }
             web.login_limiter.record_failure(request.peer, now);
             if (web.log) {
                 web.log("staff login failed for '" + field("user") + "' from " + request.peer);
             }
             return login_page(request, 401, "Gebruikersnaam of wachtwoord klopt niet.", field("user"));
         }});

    table.add({"POST", "/logout", RouteFlags_None, 1024, [&web](const HttpRequest& request) {
                   const auto login = web.auth.session(request);
                   if (!login) {
                       return web::not_logged_in(request);
                   }
                   if (!web::csrf_ok(*login, parse_form(request.body))) {
                       return web::staff_message(*login, 403, "Niet uitgevoerd",
                                                 "Het formulier is verlopen of niet van deze site.");
                   }
                   web.auth.logout(*login);
                   HttpReply reply = redirect_reply("/");
                   reply.headers.emplace_back("Set-Cookie", StaffAuth::expired_session_cookie());
                   return reply;
               }});
}

} // namespace buurtstem
