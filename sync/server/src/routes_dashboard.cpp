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
#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/server/aggregates.hpp"
#include "buurtstem/server/export.hpp"
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
                "\">" + std::to_string(*count) + "</td><td><a href=\"/r/" + public_result_code(c->id) +
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

std::string result_section(WebContext& web, const StaffLogin& login, const Consultation& c,
                           const std::string& notice_html);

HttpReply consultation_page(WebContext& web, const StaffLogin& login, const Consultation& c,
                            const HttpRequest& request, const std::string& notice_html = "",
                            int status = 200) {
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
            "/export.csv\" download>CSV voor Excel (;)</a></li><li><a id=\"download-xlsx\" href=\"" + base +
            "/export.xlsx\" download>Excel-bestand (XLSX), met een overzicht per vraag</a></li><li><a "
            "id=\"download-json\" href=\"" +
            base + "/export.jsonl\" download>JSON Lines, voor andere programma's</a></li></ul>\n";
    const std::string short_path = "/r/" + public_result_code(c.id);
    main += "<p><a id=\"public-page\" href=\"" + short_path +
            "\">Openbare resultatenpagina</a> (zonder inloggen; kort adres <code>" + short_path +
            "</code>, ook als QR-code op het bedankscherm van de kiosk)</p>\n";

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
    main += result_section(web, login, c, notice_html);
    return html_reply(status, web::staff_page(login, c.title.in("nl"), main));
}

// "You said, we did": the council's short result text per language, shown on the public page and
// carried to the kiosks (result_bundle.hpp). One form per language of the consultation.
std::string result_section(WebContext& web, const StaffLogin& login, const Consultation& c,
                           const std::string& notice_html) {
    std::string out = "<h2 id=\"terugkoppeling\">Terugkoppeling: u zei, wij deden</h2>\n" + notice_html +
                      "<p>Een korte tekst (hoogstens " + std::to_string(kResultTextMaxChars) +
                      " tekens) over wat de gemeente met de reacties doet. Hij staat op de openbare "
                      "resultatenpagina en op het startscherm van de kiosks.</p>\n";
    auto result = web.store.result_for(c.id);
    const ConsultationResult* current = result && result->has_value() ? &**result : nullptr;
    for (const std::string& language : c.languages) {
        const ResultText* text = current != nullptr ? current->in(language, language) : nullptr;
        if (text != nullptr && text->language != language) {
            text = nullptr;
        }
        std::string figures;
        if (text != nullptr) {
            for (const ResultFigure& f : text->figures) {
                figures += f.label + ": " + f.value + "\n";
            }
        }
        const std::string id = "result-" + language;
        const std::string name = language == "nl" ? "Nederlands" : language == "en" ? "Engels" : language;
        out += "<form method=\"post\" action=\"/dashboard/consultation/" + url_encode(c.id) +
               "/result\" id=\"" + id + "\">" + web::csrf_field(login.csrf) +
               "<input type=\"hidden\" name=\"lang\" value=\"" + html_escape(language) +
               "\"><h3>Tekst in het " + html_escape(name) + "</h3><label for=\"" + id + "-text\">Tekst (" +
               html_escape(name) + ")</label><textarea id=\"" + id +
               "-text\" name=\"text\" rows=\"5\" cols=\"70\" lang=\"" + html_escape(language) + "\">" +
               html_escape(text != nullptr ? text->text : "") + "</textarea><label for=\"" + id +
               "-figures\">Cijfers (optioneel, één per regel: <em>naam: waarde</em>, hoogstens " +
               std::to_string(kResultMaxFigures) + ")</label><textarea id=\"" + id +
               "-figures\" name=\"figures\" rows=\"3\" cols=\"70\" lang=\"" + html_escape(language) + "\">" +
               html_escape(figures) + "</textarea><div><button type=\"submit\">Opslaan (" +
               html_escape(name) + ")</button></div></form>\n";
    }
    return out;
}

HttpReply save_result(WebContext& web, const StaffLogin& login, const Consultation& c,
                      const HttpRequest& request) {
    const auto form = parse_form(request.body);
    const auto page = [&](const std::string& notice, int status) {
        HttpRequest plain = request;
        plain.query.clear();
        return consultation_page(web, login, c, plain, notice, status);
    };
    const std::string language = field(form, "lang");
    if (!c.offers_language(language)) {
        return page("<div class=\"error\" role=\"alert\"><p>Deze raadpleging heeft die taal niet.</p></div>",
                    400);
    }
    ResultText text;
    text.language = language;
    for (char ch : field(form, "text")) {
        if (ch != '\r') { // browsers send line breaks as CR LF
            text.text += ch;
        }
    }
    while (!text.text.empty() && (text.text.back() == '\n' || text.text.back() == ' ')) {
        text.text.pop_back();
    }
    const auto trim = [](std::string v) {
        v.erase(0, v.find_first_not_of(' '));
        v.erase(v.find_last_not_of(' ') + 1);
        return v;
    };
    const std::string figures = field(form, "figures");
    size_t line_number = 0;
    for (size_t at = 0; at <= figures.size();) {
        size_t end = figures.find('\n', at);
        if (end == std::string::npos) {
            end = figures.size();
        }
        std::string line = figures.substr(at, end - at);
        at = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.find_first_not_of(' ') == std::string::npos) {
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string::npos) {
            return page(
                "<div class=\"error\" role=\"alert\" id=\"result-error\"><p>Niet opgeslagen: het cijfer op "
                "regel " +
                    std::to_string(line_number) +
                    " heeft geen dubbele punt (schrijf <em>naam: waarde</em>).</p></div>",
                400);
        }
        text.figures.push_back({trim(line.substr(0, colon)), trim(line.substr(colon + 1))});
    }
    if (auto set = web.store.set_result_text(c.id, text); !set) {
        return page("<div class=\"error\" role=\"alert\" id=\"result-error\"><p>Niet opgeslagen: " +
                        html_escape(set.error().to_string()) + "</p></div>",
                    set.error().kind == ServerStoreError::Kind::Failed ? 400 : 503);
    }
    if (web.log) {
        web.log("staff '" + login.account.user + "' set the result text of '" + c.id + "' in '" + language +
                "'");
    }
    return page(
        "<div class=\"notice\" role=\"status\" id=\"result-saved\"><p>Opgeslagen. De kiosks krijgen de "
        "tekst bij hun volgende synchronisatie.</p></div>",
        200);
}

// A download, streamed: rows go from the store to the client as they are read (export.hpp), so a
// consultation of 100 000 responses costs the server no more memory than one of 1 000. The XLSX is
// built first (a file of its own), then sent.
HttpReply download(WebContext& web, const StaffLogin& login, const Consultation& c, ExportFormat format) {
    if (web.log) {
        web.log("staff '" + login.account.user + "' downloads the " +
                std::string(export_file_extension(format)) + " export of '" + c.id + "'");
    }
    HttpReply reply;
    reply.content_type = std::string(export_content_type(format));
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + c.id +
                                                          std::string(export_file_extension(format)) + "\"");
    reply.headers.emplace_back("Cache-Control", "no-store");
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (format == ExportFormat::Xlsx) {
        // The XLSX is a zip closed only at its end: nothing can be sent while it is built. Built on a
        // builder thread with the connection suspended (HttpReply::build_file), so no server worker
        // waits for it, then sent with its length.
        reply.build_file = [&web, id = c.id](const std::string& path) -> std::string {
            auto built = write_xlsx_file(web.store, web.catalog, id, ExportOptions{}, path);
            return built ? std::string() : "XLSX export of '" + id + "': " + built.error().to_string();
        };
        return reply;
    }
    reply.stream = [&web, id = c.id, format](const BodySink& sink) {
        auto written = write_export(format, web.store, web.catalog, id, ExportOptions{}, sink);
        if (!written && written.error().kind != ExportError::Kind::Cancelled && web.log) {
            // The status line is long gone: the client sees a cut-off file; the log says why.
            web.log("export of '" + id + "' failed: " + written.error().to_string());
        }
    };
    return reply;
}

// [SECTION] kiosks (devices, revoke, enrolment codes)

// "3 (om 14:05 UTC)": what the kiosk last said it still has to send (the Buurtstem-Pending header), with
// when; the day too when that was not today. "onbekend" for a kiosk that never said (an older kiosk).
std::string pending_cell(const DeviceOverview& d) {
    if (!d.pending) {
        return "<td data-pending=\"\">onbekend</td>";
    }
    std::string when;
    if (d.pending_at.size() >= 16) {
        const std::string day = d.pending_at.substr(0, 10);
        when = " (" +
               (day == now_iso8601_utc().substr(0, 10) ? std::string() : "op " + html_escape(day) + " ") +
               "om <time datetime=\"" + html_escape(d.pending_at) + "\">" +
               html_escape(d.pending_at.substr(11, 5)) + "</time> UTC)";
    }
    return "<td data-pending=\"" + std::to_string(*d.pending) + "\">" + std::to_string(*d.pending) + when +
           "</td>";
}

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
                std::to_string(d.responses) + "</td>" + pending_cell(d) + "<td>" +
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
                   for (const char* name : {"csv", "xlsx", "json"}) {
                       const auto format = parse_export_format(name);
                       if (format && what == "export" + std::string(export_file_extension(*format))) {
                           return download(web, *login, *c, *format);
                       }
                   }
                   return web::staff_message(*login, 404, "Niet gevonden", "Deze pagina bestaat niet.");
               }});
    // The result-text form: CSRF, then the same visibility as the page.
    table.add(
        {"POST", "/dashboard/consultation/*", RouteFlags_None, 16 * 1024, [&web](const HttpRequest& request) {
             const auto login = web.auth.session(request);
             if (!login) {
                 return web::not_logged_in(request);
             }
             if (!web::csrf_ok(*login, parse_form(request.body))) {
                 return web::staff_message(
                     *login, 403, "Niet uitgevoerd",
                     "Het formulier is verlopen of niet van deze site. Open de pagina opnieuw.");
             }
             const std::string rest = request.path.substr(std::string("/dashboard/consultation/").size());
             const size_t slash = rest.find('/');
             const Consultation* c = slash == std::string::npos
                                         ? nullptr
                                         : visible_consultation(web, *login, rest.substr(0, slash));
             if (c == nullptr || rest.substr(slash + 1) != "result") {
                 return web::staff_message(*login, 404, "Niet gevonden",
                                           "Deze raadpleging bestaat niet, of is niet van uw gemeente.");
             }
             return save_result(web, *login, *c, request);
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
