// Route module: the staff dashboard (Dutch, server-rendered, behind login; see web_routes.hpp).
//
// [SECTION] helpers
// [SECTION] consultations list
// [SECTION] one consultation (charts, breakdowns, free text, downloads)
// [SECTION] kiosks (devices, revoke, enrolment codes)
// [SECTION] registration
#include <chrono>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/slug.hpp"
#include "buurtstem/server/aggregates.hpp"
#include "buurtstem/server/csv_export.hpp"
#include "buurtstem/server/qr_code.hpp"
#include "web_internal.hpp"

namespace buurtstem {

bool may_see(const StaffAccount& account, const Consultation& consultation) {
    if (account.role == StaffRole::Admin && account.municipality.empty()) {
        return true;
    }
    return !consultation.municipality.empty() && consultation.municipality == account.municipality;
}

namespace {

// [SECTION] helpers

const std::string kSuppressed = "minder dan 5";

std::string lower_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    return text;
}

std::string suppression_note() {
    return "<p class=\"notice\" id=\"suppression-note\">Groepen van minder dan " +
           std::to_string(kMinGroupSize) + " reacties tonen we niet als getal (“" + kSuppressed +
           "”), en onder de " + std::to_string(kMinGroupSize) +
           " reacties in totaal tonen we geen uitsplitsing: zo is niemand herkenbaar.</p>\n";
}

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

// The consultation in a dashboard path, if this login may see it.
const Consultation* visible_consultation(WebContext& web, const StaffLogin& login, const std::string& id) {
    if (!is_slug(id)) {
        return nullptr;
    }
    const Consultation* c = web.catalog.latest(id);
    return c != nullptr && may_see(login.account, *c) ? c : nullptr;
}

// [SECTION] consultations list

HttpReply consultations_page(WebContext& web, const StaffLogin& login) {
    std::string main = "<h1>Raadplegingen</h1>\n";
    std::string rows;
    size_t shown = 0;
    for (const Consultation* c : web.catalog.latest_of_each()) {
        if (!may_see(login.account, *c)) {
            continue;
        }
        auto count = web.store.count_responses(c->id);
        if (!count) {
            return web::staff_message(login, 503, "Storing",
                                      "De gegevens zijn nu niet te lezen. Probeer het later.");
        }
        ++shown;
        rows += "<tr data-consultation=\"" + html_escape(c->id) +
                "\"><th scope=\"row\"><a href=\"/dashboard/consultation/" + url_encode(c->id) + "\">" +
                html_escape(c->title.in("nl")) + "</a></th><td>" +
                html_escape(c->municipality.empty() ? "–" : c->municipality) + "</td><td class=\"num\">" +
                std::to_string(c->version) + "</td><td class=\"num\" data-count=\"" + std::to_string(*count) +
                "\">" + std::to_string(*count) + "</td><td><a href=\"/r/" + url_encode(c->id) +
                "\">Openbare resultaten</a></td></tr>\n";
    }
    if (shown == 0) {
        main += "<p>Er zijn (nog) geen raadplegingen voor u. Een beheerder zet ze op de server "
                "(<code>serve --consultations MAP</code>).</p>\n";
    } else {
        main +=
            "<table id=\"consultations\"><caption>Raadplegingen met het aantal reacties</caption><thead><tr>"
            "<th scope=\"col\">Raadpleging</th><th scope=\"col\">Gemeente</th><th scope=\"col\" "
            "class=\"num\">Versie</th><th scope=\"col\" class=\"num\">Reacties</th><th "
            "scope=\"col\">Openbaar</th></tr></thead><tbody>\n" +
            rows + "</tbody></table>\n";
    }
    return html_reply(200, web::staff_page(login, "Raadplegingen", main));
}

// [SECTION] one consultation (charts, breakdowns, free text, downloads)

HttpReply consultation_page(WebContext& web, const StaffLogin& login, const Consultation& c,
                            const HttpRequest& request) {
    AggregateOptions options;
    options.collect_free_text = true;
    const auto search = request.query.find("zoek");
    if (search != request.query.end()) {
        options.free_text_search = search->second.substr(0, 200);
    }
    auto aggregate = aggregate_consultation(web.store, web.catalog, c.id, options);
    if (!aggregate) {
        return web::staff_message(login, 503, "Storing",
                                  "De gegevens zijn nu niet te lezen. Probeer het later.");
    }
    const ConsultationAggregate& a = *aggregate;
    const std::string base = "/dashboard/consultation/" + url_encode(c.id);
    std::string main = "<h1>" + html_escape(c.title.in("nl")) + "</h1>\n";
    main += "<dl><dt>Gemeente</dt><dd>" + html_escape(c.municipality.empty() ? "–" : c.municipality) +
            "</dd><dt>Versie</dt><dd>" + std::to_string(c.version) +
            "</dd><dt>Reacties</dt><dd id=\"total\" data-count=\"" + std::to_string(a.total) + "\">" +
            std::to_string(a.total) + "</dd></dl>\n";
    main += "<h2>Downloaden</h2>\n<ul><li><a id=\"download-csv\" href=\"" + base +
            "/export.csv\" download>CSV voor Excel (;)</a></li></ul>\n";
    main +=
        "<p><a href=\"/r/" + url_encode(c.id) + "\">Openbare resultatenpagina</a> (zonder inloggen)</p>\n";

    main += "<h2>Reacties per dag</h2>\n";
    main += a.per_day.empty()
                ? std::string("<p>Nog geen reacties.</p>\n")
                : column_chart("per-day", "Reacties per dag", a.per_day, "nl", "Dag", "Reacties");

    main += "<h2>Uitsplitsing</h2>\n" + suppression_note();
    if (!a.enough) {
        main += "<p id=\"breakdowns-suppressed\">Er zijn minder dan " + std::to_string(kMinGroupSize) +
                " reacties: geen uitsplitsing.</p>\n";
    } else {
        for (const Breakdown& b : a.breakdowns) {
            if (!b.recorded) {
                main += "<h3>" + html_escape(b.title) + "</h3>\n<p>Nog niet vastgelegd door de kiosks.</p>\n";
                continue;
            }
            std::vector<ChartBar> bars;
            for (const GroupCount& g : b.groups) {
                bars.push_back({g.label, static_cast<double>(g.count), g.suppressed});
            }
            main += "<h3>" + html_escape(b.title) + "</h3>\n" +
                    bar_chart("breakdown-" + b.key, "Reacties per " + lower_first(b.title), bars, "nl",
                              "Reacties", kSuppressed);
        }
    }

    main += "<h2>Antwoorden per vraag</h2>\n";
    if (!a.enough) {
        main += "<p>Er zijn minder dan " + std::to_string(kMinGroupSize) + " reacties: geen grafieken.</p>\n";
    } else {
        for (const QuestionSummary& q : a.questions) {
            const std::string heading = html_escape(q.question->text.in("nl"));
            main += "<h3>" + heading + "</h3>\n<p>" + std::to_string(q.answered) + " van de " +
                    std::to_string(a.total) + " reacties gaven een antwoord.</p>\n";
            if (q.question->type_name() == "free_text") {
                main += "<p><a href=\"#open-antwoorden\">Lees de open antwoorden</a></p>\n";
                continue;
            }
            std::vector<ChartBar> bars;
            for (const TallyRow& row : q.rows) {
                bars.push_back({row.label, row.value, false});
            }
            main +=
                bar_chart("question-" + q.question->id, q.question->text.in("nl"), bars, "nl",
                          q.rows_are_means ? "Gemiddelde plaats (1 = belangrijkst)" : "Aantal", kSuppressed);
        }
    }

    main += "<h2 id=\"open-antwoorden\">Open antwoorden</h2>\n<form method=\"get\" action=\"" + base +
            "#open-antwoorden\" role=\"search\"><label for=\"zoek\">Zoek in de open antwoorden</label><input "
            "id=\"zoek\" name=\"zoek\" type=\"search\" value=\"" +
            html_escape(options.free_text_search) + "\"> <button type=\"submit\">Zoeken</button></form>\n";
    main += "<p id=\"free-text-count\" data-count=\"" + std::to_string(a.free_text_matches) + "\">" +
            std::to_string(a.free_text_matches) + (a.free_text_matches == 1 ? " antwoord" : " antwoorden") +
            (options.free_text_search.empty() ? "" : " met “" + html_escape(options.free_text_search) + "”") +
            (a.free_text_matches > static_cast<int64_t>(a.free_texts.size())
                 ? "; de eerste " + std::to_string(a.free_texts.size()) + " staan hieronder"
                 : "") +
            ".</p>\n<ul class=\"texts\" id=\"free-texts\">\n";
    for (const FreeTextAnswer& t : a.free_texts) {
        const Question* q = c.find_question(t.question_id);
        main += "<li><blockquote>" + html_escape(t.text) + "</blockquote><small>" +
                html_escape(q != nullptr ? q->text.in("nl") : t.question_id) + " · " +
                html_escape(t.received_at) + "</small></li>\n";
    }
    main += "</ul>\n";
    return html_reply(200, web::staff_page(login, c.title.in("nl"), main));
}

HttpReply csv_download(WebContext& web, const StaffLogin& login, const Consultation& c) {
    auto csv = export_csv(web.store, web.catalog, c.id, CsvOptions{});
    if (!csv) {
        return web::staff_message(login, 503, "Storing", "De export lukt nu niet. Probeer het later.");
    }
    if (web.log) {
        web.log("staff '" + login.account.user + "' downloaded the CSV of '" + c.id + "'");
    }
    HttpReply reply;
    reply.content_type = "text/csv; charset=utf-8";
    reply.body = std::move(*csv);
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + c.id + ".csv\"");
    reply.headers.emplace_back("Cache-Control", "no-store");
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return reply;
}

// [SECTION] kiosks (devices, revoke, enrolment codes)

std::string devices_main(WebContext& web, const StaffLogin& login, const std::string& notice_html, bool& ok) {
    auto devices = web.staff.device_overview();
    ok = static_cast<bool>(devices);
    if (!devices) {
        return {};
    }
    std::string main = "<h1>Kiosks</h1>\n" + notice_html;
    main +=
        "<table id=\"devices\"><caption>Aangemelde kiosks</caption><thead><tr><th scope=\"col\">Kiosk</th>"
        "<th scope=\"col\">Aangemeld op</th><th scope=\"col\">Laatste synchronisatie</th><th scope=\"col\" "
        "class=\"num\">Reacties ontvangen</th><th scope=\"col\">Nog te versturen</th><th "
        "scope=\"col\">Status</th><th scope=\"col\">Actie</th></tr></thead><tbody>\n";
    for (const DeviceOverview& d : *devices) {
        main += "<tr data-device=\"" + html_escape(d.device_id) + "\"><th scope=\"row\">" +
                html_escape(d.device_id) + "</th><td>" + html_escape(d.created_at) + "</td><td>" +
                html_escape(d.last_sync.empty() ? "nog niet" : d.last_sync) + "</td><td class=\"num\">" +
                std::to_string(d.responses) + "</td><td>onbekend (de kiosk meldt dit nog niet)</td><td>" +
                (d.revoked_at.empty() ? "actief" : "uitgeschakeld sinds " + html_escape(d.revoked_at)) +
                "</td><td>";
        if (d.revoked_at.empty()) {
            main += "<form class=\"inline\" method=\"post\" action=\"/dashboard/devices/revoke\">" +
                    web::csrf_field(login.csrf) + "<input type=\"hidden\" name=\"device\" value=\"" +
                    html_escape(d.device_id) + "\"><button type=\"submit\" aria-label=\"Kiosk " +
                    html_escape(d.device_id) + " uitschakelen\">Uitschakelen</button></form>";
        }
        main += "</td></tr>\n";
    }
    main += "</tbody></table>\n";
    main +=
        "<h2>Aanmeldcode voor een kiosk</h2>\n<p>Een code werkt één keer. Typ hem op de kiosk "
        "(<code>buurtstem-kiosk --enrol CODE</code>) of scan de QR-code. Een nieuwe code voor een "
        "uitgeschakelde kiosk zet hem weer aan.</p>\n<form method=\"post\" "
        "action=\"/dashboard/devices/enrol-code\">" +
        web::csrf_field(login.csrf) +
        "<label for=\"device\">Naam van de kiosk</label><input id=\"device\" name=\"device\" required "
        "pattern=\"[a-z0-9_\\-]{1,64}\" aria-describedby=\"device-hint\"><p id=\"device-hint\">Kleine "
        "letters, "
        "cijfers, - of _; bijvoorbeeld kiosk-bibliotheek-velsen.</p><label for=\"hours\">Geldig "
        "(uren)</label>"
        "<select id=\"hours\" name=\"hours\"><option value=\"24\">24</option><option value=\"72\">72</option>"
        "<option value=\"168\">168 (een week)</option></select><div><button type=\"submit\">Maak een "
        "code</button></div></form>\n";
    return main;
}

HttpReply devices_page(WebContext& web, const StaffLogin& login, const std::string& notice_html,
                       int status = 200) {
    bool ok = false;
    std::string main = devices_main(web, login, notice_html, ok);
    if (!ok) {
        return web::staff_message(login, 503, "Storing",
                                  "De kiosks zijn nu niet te lezen. Probeer het later.");
    }
    return html_reply(status, web::staff_page(login, "Kiosks", main));
}

HttpReply revoke_device(WebContext& web, const StaffLogin& login,
                        const std::map<std::string, std::string>& form) {
    const std::string device = field(form, "device");
    auto revoked = web.store.revoke_device(device);
    if (!revoked) {
        return devices_page(web, login,
                            "<div class=\"error\" role=\"alert\"><p>Niet gelukt: " +
                                html_escape(revoked.error().to_string()) + "</p></div>\n",
                            revoked.error().kind == ServerStoreError::Kind::NotFound ? 404 : 503);
    }
    if (web.log) {
        web.log("staff '" + login.account.user + "' revoked device '" + device + "'");
    }
    return devices_page(
        web, login,
        "<div class=\"notice\" role=\"status\" id=\"revoked\"><p>Kiosk " + html_escape(device) +
            " is uitgeschakeld: de server weigert hem vanaf nu. Zijn reacties blijven bewaard.</p></div>\n");
}

HttpReply enrolment_code(WebContext& web, const StaffLogin& login,
                         const std::map<std::string, std::string>& form) {
    const std::string device = field(form, "device");
    const std::string hours_text = field(form, "hours");
    const int hours = hours_text == "72" ? 72 : hours_text == "168" ? 168 : 24;
    if (!is_slug(device)) {
        return devices_page(
            web, login,
            "<div class=\"error\" role=\"alert\"><p>De naam van de kiosk mag alleen kleine letters, "
            "cijfers, - en _ hebben (1 tot 64 tekens).</p></div>\n",
            400);
    }
    const std::string code = new_enrolment_code();
    const std::string expires = to_iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(hours));
    auto added =
        web.store.add_enrolment_code(device, enrolment_code_hash(*normalize_enrolment_code(code)), expires);
    auto svg = qr_svg(code);
    if (!added || !svg) {
        return devices_page(
            web, login,
            "<div class=\"error\" role=\"alert\"><p>Het maken van een code is niet gelukt.</p></div>\n", 503);
    }
    if (web.log) {
        web.log("staff '" + login.account.user + "' made an enrolment code for device '" + device + "'");
    }
    // The QR code inline: no image request, no file left behind. The code is shown once.
    std::string svg_text = *svg;
    if (const size_t at = svg_text.find("<svg"); at != std::string::npos) {
        svg_text.insert(at + 4, " role=\"img\" aria-label=\"QR-code van de aanmeldcode\"");
    }
    return devices_page(web, login,
                        "<div class=\"notice\" role=\"status\"><p>Aanmeldcode voor <strong>" +
                            html_escape(device) + "</strong>, één keer te gebruiken tot " +
                            html_escape(expires) +
                            " (UTC):</p><p><strong id=\"enrolment-code\" class=\"code\">" +
                            html_escape(code) + "</strong></p><div class=\"qr\">" + svg_text +
                            "</div><p>Deze code staat nergens anders: noteer hem nu.</p></div>\n");
}

} // namespace

// [SECTION] registration

void add_dashboard_routes(RouteTable& table, WebContext& web) {
    table.add({"GET", "/dashboard", RouteFlags_None, 0, [&web](const HttpRequest& request) {
                   const auto login = web.auth.session(request);
                   return login ? consultations_page(web, *login) : web::not_logged_in(request);
               }});
    table.add({"GET", "/dashboard/devices", RouteFlags_None, 0, [&web](const HttpRequest& request) {
                   const auto login = web.auth.session(request);
                   if (!login) {
                       return web::not_logged_in(request);
                   }
                   if (login->account.role != StaffRole::Admin) {
                       return web::staff_message(*login, 403, "Alleen voor beheerders",
                                                 "Kiosks beheren mag alleen een beheerder.");
                   }
                   return devices_page(web, *login, "");
               }});
    // The kiosk forms: admin only, CSRF token required.
    const auto device_form = [&web](HttpReply (*action)(WebContext&, const StaffLogin&,
                                                        const std::map<std::string, std::string>&)) {
        return [&web, action](const HttpRequest& request) {
            const auto login = web.auth.session(request);
            if (!login) {
                return web::not_logged_in(request);
            }
            const auto form = parse_form(request.body);
            if (!web::csrf_ok(*login, form)) {
                return web::staff_message(
                    *login, 403, "Niet uitgevoerd",
                    "Het formulier is verlopen of niet van deze site. Open de pagina opnieuw.");
            }
            if (login->account.role != StaffRole::Admin) {
                return web::staff_message(*login, 403, "Alleen voor beheerders",
                                          "Kiosks beheren mag alleen een beheerder.");
            }
            return action(web, *login, form);
        };
    };
    table.add({"POST", "/dashboard/devices/revoke", RouteFlags_None, 4096, device_form(&revoke_device)});
    table.add({"POST", "/dashboard/devices/enrol-code", RouteFlags_None, 4096, device_form(&enrolment_code)});

    table.add({"GET", "/dashboard/consultation/*", RouteFlags_None, 0, [&web](const HttpRequest& request) {
                   const auto login = web.auth.session(request);
                   if (!login) {
                       return web::not_logged_in(request);
                   }
                   std::string rest = request.path.substr(std::string("/dashboard/consultation/").size());
                   std::string what;
                   if (const size_t slash = rest.find('/'); slash != std::string::npos) {
                       what = rest.substr(slash + 1);
                       rest.resize(slash);
                   }
                   const Consultation* c = visible_consultation(web, *login, rest);
                   if (c == nullptr) {
                       // The same answer for "does not exist" and "not yours": an analyst learns nothing
                       // about other municipalities' consultations.
                       return web::staff_message(
                           *login, 404, "Niet gevonden",
                           "Deze raadpleging bestaat niet, of is niet van uw gemeente.");
                   }
                   if (what.empty()) {
                       return consultation_page(web, *login, *c, request);
                   }
                   if (what == "export.csv") {
                       return csv_download(web, *login, *c);
                   }
                   return web::staff_message(*login, 404, "Niet gevonden", "Deze pagina bestaat niet.");
               }});
    // Anything else under /dashboard: behind login too, then "not found".
    table.add({"GET", "/dashboard/*", RouteFlags_None, 0, [&web](const HttpRequest& request) {
                   const auto login = web.auth.session(request);
                   return login
                              ? web::staff_message(*login, 404, "Niet gevonden", "Deze pagina bestaat niet.")
                              : web::not_logged_in(request);
               }});
}

void add_web_routes(RouteTable& table, WebContext& web) {
    add_staff_routes(table, web);
    add_dashboard_routes(table, web);
    add_public_routes(table, web);
}

} // namespace buurtstem
