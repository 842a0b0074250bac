// Route module: the public results page of a consultation, GET /r/<code> (no login). Residents gave
// their answers anonymously at a kiosk; this is where they see what came of it: aggregates only (no
// free text, no breakdown by kiosk), small groups suppressed, the council's "you said, we did" text,
// in the consultation's languages (?lang=en).
#include <algorithm>

#include "buurtstem/core/slug.hpp"
#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/server/aggregates.hpp"
#include "buurtstem/server/web_texts.hpp"
#include "web_internal.hpp"

namespace buurtstem {

namespace {

constexpr std::string_view kPublicPrefix = "/r/";

const Consultation* consultation_for_code(const ConsultationCatalog& catalog, const std::string& code) {
    if (!is_slug(code)) {
        return nullptr;
    }
    for (const Consultation* c : catalog.latest_of_each()) {
        // The short code (result_bundle.hpp: what the kiosk's QR code holds) or, readable, the id.
        if (public_result_code(c->id) == code || c->id == code) {
            return c;
        }
    }
    return nullptr;
}

// The council's "you said, we did" text in `lang` (else Dutch), with its figures; a plain sentence
// when there is none yet (or the store keeps none).
std::string council_text_html(WebContext& web, const Consultation& c, const std::string& lang) {
    auto result = web.store.result_for(c.id);
    const ResultText* text =
        result && result->has_value() ? (*result)->in(lang, c.default_language()) : nullptr;
    if (text == nullptr) {
        return "<p id=\"council-text\">" + html_escape(web_text(lang, "results.no_council_text")) + "</p>\n";
    }
    std::string out = "<div id=\"council-text\" lang=\"" + html_escape(text->language) + "\">";
    size_t at = 0;
    while (at <= text->text.size()) {
        size_t end = text->text.find('\n', at);
        if (end == std::string::npos) {
            end = text->text.size();
        }
        if (end > at) {
            out += "<p>" + html_escape(text->text.substr(at, end - at)) + "</p>";
        }
        at = end + 1;
    }
    if (!text->figures.empty()) {
        out += "<dl class=\"figures\">";
        for (const ResultFigure& f : text->figures) {
            out += "<dt>" + html_escape(f.label) + "</dt><dd>" + html_escape(f.value) + "</dd>";
        }
        out += "</dl>";
    }
    return out + "</div>\n";
}

// A language in its own name ("Türkçe"), for the language switch; the code when no texts file has it.
std::string language_name(const std::string& language) {
    const auto known = web_text_languages();
    return std::find(known.begin(), known.end(), language) != known.end()
               ? web_text(language, "language.name")
               : language;
}

HttpReply public_page(WebContext& web, const Consultation& c, const std::string& code,
                      const HttpRequest& request) {
    // ?lang= (the language switch, the kiosk's QR code) first, then the browser's preference.
    std::string lang =
        negotiate_language(request.header("accept-language"), c.languages, c.default_language());
    if (const auto it = request.query.find("lang");
        it != request.query.end() && c.offers_language(it->second)) {
        lang = it->second;
    }
    AggregateOptions options;
    options.language = lang;
    auto aggregate = aggregate_consultation(web.store, web.catalog, c.id, options);
    if (!aggregate) {
        return html_reply(503, html_page(lang, "Buurtstem", "", "<h1>Buurtstem</h1><p>503</p>"));
    }
    const ConsultationAggregate& a = *aggregate;
    const std::string min = std::to_string(kMinGroupSize);
    const std::string suppressed = web_text(lang, "results.suppressed", {{"min", min}});

    std::string header = "<p><strong>Buurtstem</strong></p>\n<nav aria-label=\"" +
                         html_escape(web_text(lang, "results.language_switch")) +
                         "\"><ul class=\"lang-switch\">";
    for (const std::string& l : c.languages) {
        header += "<li><a href=\"" + std::string(kPublicPrefix) + url_encode(code) +
                  "?lang=" + url_encode(l) + "\" hreflang=\"" + html_escape(l) + "\" lang=\"" +
                  html_escape(l) + "\" id=\"lang-" + html_escape(l) + "\"" +
                  (l == lang ? " aria-current=\"page\"" : "") + ">" + html_escape(language_name(l)) +
                  "</a></li>";
    }
    header += "</ul></nav>";

    std::string main = "<h1>" + html_escape(c.title.in(lang)) + "</h1>\n";
    main += "<h2>" + html_escape(web_text(lang, "results.council_heading")) + "</h2>\n" +
            council_text_html(web, c, lang);
    main += "<h2>" + html_escape(web_text(lang, "results.heading")) + "</h2>\n";
    main += "<p id=\"total\" data-count=\"" + std::to_string(a.enough ? a.total : -1) + "\">" +
            html_escape(a.enough ? web_text(lang, "results.responses", {{"count", std::to_string(a.total)}})
                                 : web_text(lang, "results.too_few", {{"min", min}})) +
            "</p>\n";
    main += "<p class=\"notice\" id=\"suppression-note\">" +
            html_escape(web_text(lang, "results.suppression", {{"min", min}})) + "</p>\n";
    if (a.enough) {
        main += "<h2>" + html_escape(web_text(lang, "results.per_question")) + "</h2>\n";
        for (const QuestionSummary& q : a.questions) {
            main += "<h3>" + html_escape(q.question->text.in(lang)) + "</h3>\n";
            if (q.question->type_name() == "free_text") {
                main += "<p>" + html_escape(web_text(lang, "results.free_text")) + "</p>\n";
                continue;
            }
            main += "<p>" +
                    html_escape(web_text(lang, "results.answered", {{"count", std::to_string(q.answered)}})) +
                    "</p>\n";
            std::vector<ChartBar> bars;
            for (const TallyRow& row : q.rows) {
                // A count under the minimum is a small group of people: "fewer than 5", not the number.
                const bool small =
                    !q.rows_are_means && row.value > 0 && row.value < static_cast<double>(kMinGroupSize);
                bars.push_back({row.label, row.value, small});
            }
            main += bar_chart("question-" + q.question->id, q.question->text.in(lang), bars, lang,
                              web_text(lang, q.rows_are_means ? "results.mean_rank" : "results.count"),
                              suppressed);
        }
    }
    HttpReply reply = html_reply(
        200, html_page(lang, c.title.in(lang) + " – " + web_text(lang, "results.page_title"), header, main),
        true);
    // The language may come from Accept-Language: a shared cache must keep one copy per language.
    reply.headers.emplace_back("Vary", "Accept-Language");
    return reply;
}

} // namespace

void add_public_routes(RouteTable& table, WebContext& web) {
    table.add(
        {"GET", std::string(kPublicPrefix) + "*", RouteFlags_None, 0, [&web](const HttpRequest& request) {
             const std::string code = request.path.substr(kPublicPrefix.size());
             const Consultation* c = consultation_for_code(web.catalog, code);
             if (c == nullptr) {
                 const std::string lang =
                     negotiate_language(request.header("accept-language"), web_text_languages(), "nl");
                 return html_reply(404,
                                   html_page(lang, web_text(lang, "results.not_found_title"),
                                             "<p><strong>Buurtstem</strong></p>",
                                             "<h1>" + html_escape(web_text(lang, "results.not_found_title")) +
                                                 "</h1><p>" +
                                                 html_escape(web_text(lang, "results.not_found")) + "</p>"));
             }
             return public_page(web, *c, code, request);
         }});
}

} // namespace buurtstem
