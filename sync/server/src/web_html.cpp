// Page building blocks and server-drawn SVG charts (web_html.hpp).
#include "buurtstem/server/web_html.hpp"

#include "buurtstem/server/web_texts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace buurtstem {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view text) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string form_decode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() + 0 && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace

std::map<std::string, std::string> parse_form(std::string_view body) {
    std::map<std::string, std::string> fields;
    size_t at = 0;
    while (at <= body.size()) {
        size_t end = body.find('&', at);
        if (end == std::string_view::npos) {
            end = body.size();
        }
        const std::string_view pair = body.substr(at, end - at);
        if (!pair.empty()) {
            const size_t eq = pair.find('=');
            if (eq == std::string_view::npos) {
                fields[form_decode(pair)] = "";
            } else {
                fields[form_decode(pair.substr(0, eq))] = form_decode(pair.substr(eq + 1));
            }
        }
        at = end + 1;
    }
    return fields;
}

std::string html_page(std::string_view lang, std::string_view head_title, std::string_view header_html,
                      std::string_view main_html) {
    std::string page = "<!DOCTYPE html>\n<html lang=\"" + html_escape(lang) + "\"" +
                       (is_rtl_language(lang) ? " dir=\"rtl\"" : "") +
                       ">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                       html_escape(head_title) + "</title>\n<link rel=\"stylesheet\" href=\"" +
                       std::string(kStylesheetPath) + "\">\n</head>\n<body>\n";
    page += "<a class=\"skip\" href=\"#inhoud\">";
    page += html_escape(web_text(lang, "results.skip"));
    page += "</a>\n<header>";
    page += header_html;
    page += "</header>\n<main id=\"inhoud\" tabindex=\"-1\">\n";
    page += main_html;
    page += "\n</main>\n</body>\n</html>\n";
    return page;
}

HttpReply html_reply(int status, std::string body, bool cacheable) {
    HttpReply reply;
    reply.status = status;
    reply.content_type = "text/html; charset=utf-8";
    reply.body = std::move(body);
    // No script at all is needed; inline styles only in SVG attributes, which CSP does not govern.
    reply.headers.emplace_back("Content-Security-Policy",
                               "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    reply.headers.emplace_back("Referrer-Policy", "no-referrer");
    reply.headers.emplace_back("X-Frame-Options", "DENY");
    reply.headers.emplace_back("Cache-Control", cacheable ? "public, max-age=300" : "no-store");
    return reply;
}

HttpReply redirect_reply(const std::string& location) {
    HttpReply reply = html_reply(303, "<!DOCTYPE html><title>Doorverwijzing</title><a href=\"" +
                                          html_escape(location) + "\">Verder</a>");
    reply.headers.emplace_back("Location", location);
    return reply;
}

HttpReply stylesheet_reply() {
    HttpReply reply;
    reply.content_type = "text/css; charset=utf-8";
    reply.headers.emplace_back("Cache-Control", "public, max-age=3600");
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    // Colours: text #1a1a1a on white (17:1), links #0b4ea2 (8:1), bars #1d4f91 (9:1 against white, well
    // over the 3:1 WCAG asks of graphics), focus ring 3px in #b3470b (5:1).
    reply.body = R"css(
:root { color: #1a1a1a; background: #ffffff; font-family: "DejaVu Sans", Arial, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; font-size: 1rem; }
a { color: #0b4ea2; text-decoration: underline; }
a:hover { color: #072f63; }
:focus-visible { outline: 3px solid #b3470b; outline-offset: 2px; }
.skip { position: absolute; top: 0; inset-inline-start: 1rem; background: #ffffff; padding: .5rem; }
.skip:not(:focus) { width: 1px; height: 1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between;
         border-bottom: 2px solid #1d4f91; padding: .75rem 0; margin-bottom: 1rem; }
header nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; flex-wrap: wrap; }
h1 { font-size: 1.75rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #8a8a8a; padding: .3rem .6rem; text-align: start; vertical-align: top; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
caption { text-align: start; font-weight: bold; padding: .3rem 0; }
figure { margin: 1rem 0 2rem; }
figcaption { font-weight: bold; margin-bottom: .3rem; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; }
/* Reflow at 320 CSS px (400 % zoom, WCAG 1.4.10): charts shrink with their viewBox, fields fit, long
   words wrap; a wide data table scrolls inside its own focusable region, never the page. Charts stay
   left to right in an Arabic page: their coordinates are drawn that way. */
svg { max-width: 100%; height: auto; direction: ltr; }
body { overflow-wrap: break-word; }
input, select, textarea { max-width: 100%; box-sizing: border-box; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
.table-wrap table { margin: 0; }
label { display: block; font-weight: bold; margin-top: .75rem; }
input, select, button, textarea { font: inherit; padding: .4rem .6rem; border: 2px solid #595959; border-radius: 4px; }
button { background: #1d4f91; color: #ffffff; border-color: #1d4f91; cursor: pointer; margin-top: .75rem; }
button:hover { background: #072f63; }
button.secondary { background: #ffffff; color: #1d4f91; }
.notice { border-inline-start: 6px solid #1d4f91; background: #eef3fa; padding: .75rem 1rem; margin: 1rem 0; }
.error { border-inline-start: 6px solid #a4262c; background: #fbeaea; padding: .75rem 1rem; margin: 1rem 0; }
.inline { display: inline; }
.inline button { margin-top: 0; }
.qr svg { width: 12rem; height: 12rem; }
.code { font-size: 1.5rem; letter-spacing: .1em; }
.lang-switch { margin: 0; }
ul.texts li { margin-bottom: .5rem; }
)css";
    return reply;
}

std::string wrap_wide_tables(std::string_view html) {
    std::string out;
    size_t at = 0;
    for (;;) {
        const size_t table = html.find("<table", at);
        if (table == std::string_view::npos) {
            break;
        }
        const size_t tag_end = html.find('>', table);
        const size_t end = html.find("</table>", table);
        if (tag_end == std::string_view::npos || end == std::string_view::npos) {
            break;
        }
        const size_t after = end + std::string_view("</table>").size();
        std::string_view caption;
        if (html.compare(tag_end + 1, 9, "<caption>") == 0) {
            const size_t text = tag_end + 1 + 9;
            const size_t close = html.find("</caption>", text);
            if (close != std::string_view::npos && close < end) {
                caption = html.substr(text, close - text);
            }
        }
        out += html.substr(at, table - at);
        if (caption.empty()) {
            out += html.substr(table, after - table);
        } else {
            // The caption is already escaped HTML: fit for an attribute as it is (no quotes in it).
            out += "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"";
            out += caption.find('"') == std::string_view::npos ? caption : std::string_view("Tabel");
            out += "\">";
            out += html.substr(table, after - table);
            out += "</div>";
        }
        at = after;
    }
    out += html.substr(at);
    return out;
}

std::string format_number(double value, std::string_view lang) {
    if (std::fabs(value - std::round(value)) < 1e-9) {
        return std::to_string(static_cast<int64_t>(std::llround(value)));
    }
    char text[32];
    std::snprintf(text, sizeof(text), "%.1f", value);
    std::string out = text;
    if (lang == "nl" || lang == "tr" || lang == "pl") { // a decimal comma
        std::replace(out.begin(), out.end(), '.', ',');
    }
    return out;
}

std::string bar_chart(std::string_view id, std::string_view caption, const std::vector<ChartBar>& bars,
                      std::string_view lang, std::string_view value_header,
                      std::string_view suppressed_text) {
    constexpr int kWidth = 640;
    constexpr int kLabelWidth = 230;
    constexpr int kRow = 30;
    constexpr int kBarArea = kWidth - kLabelWidth - 70;
    double max = 0;
    for (const ChartBar& bar : bars) {
        if (!bar.suppressed) {
            max = std::max(max, bar.value);
        }
    }
    const int height = std::max(1, static_cast<int>(bars.size())) * kRow + 10;
    const std::string caption_id = std::string(id) + "-caption";
    std::string out = "<figure class=\"chart\" id=\"" + html_escape(id) + "\">\n<figcaption id=\"" +
                      html_escape(caption_id) + "\">" + html_escape(caption) + "</figcaption>\n";
    out += "<svg role=\"img\" aria-labelledby=\"" + html_escape(caption_id) + "\" width=\"" +
           std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
           std::to_string(kWidth) + " " + std::to_string(height) +
           "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
    int y = 5;
    for (const ChartBar& bar : bars) {
        std::string label = bar.label;
        if (label.size() > 34) {
            // Cut on a UTF-8 boundary; the full label is in the table below.
            size_t cut = 32;
            while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) {
                --cut;
            }
            label = label.substr(0, cut) + "…";
        }
        const std::string value_text =
            bar.suppressed ? std::string(suppressed_text) : format_number(bar.value, lang);
        out += "<g class=\"bar\" data-label=\"" + html_escape(bar.label) + "\" data-value=\"" +
               (bar.suppressed ? std::string("suppressed") : format_number(bar.value, "en")) + "\">";
        out += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + std::to_string(y + 19) +
               "\" text-anchor=\"end\" font-size=\"14\" fill=\"#1a1a1a\">" + html_escape(label) + "</text>";
        int width = 0;
        if (!bar.suppressed && max > 0) {
            width = std::max(2, static_cast<int>(std::lround(bar.value / max * kBarArea)));
            out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 4) +
                   "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(kRow - 8) +
                   "\" fill=\"#1d4f91\"/>";
        }
        out += "<text x=\"" + std::to_string(kLabelWidth + width + 6) + "\" y=\"" + std::to_string(y + 19) +
               "\" font-size=\"14\" fill=\"#1a1a1a\">" + html_escape(value_text) + "</text></g>\n";
        y += kRow;
    }
    out += "</svg>\n<table class=\"chart-data\"><thead><tr><th scope=\"col\"></th><th scope=\"col\" "
           "class=\"num\">" +
           html_escape(value_header) + "</th></tr></thead><tbody>\n";
    for (const ChartBar& bar : bars) {
        out += "<tr><th scope=\"row\">" + html_escape(bar.label) + "</th><td class=\"num\">" +
               html_escape(bar.suppressed ? std::string(suppressed_text) : format_number(bar.value, lang)) +
               "</td></tr>\n";
    }
    out += "</tbody></table>\n</figure>\n";
    return out;
}

std::string column_chart(std::string_view id, std::string_view caption,
                         const std::vector<std::pair<std::string, int64_t>>& days, std::string_view lang,
                         std::string_view day_header, std::string_view value_header) {
    constexpr int kWidth = 640;
    constexpr int kHeight = 200;
    constexpr int kBase = 170;
    int64_t max = 0;
    for (const auto& [day, count] : days) {
        max = std::max(max, count);
    }
    const std::string caption_id = std::string(id) + "-caption";
    std::string out = "<figure class=\"chart\" id=\"" + html_escape(id) + "\">\n<figcaption id=\"" +
                      html_escape(caption_id) + "\">" + html_escape(caption) + "</figcaption>\n";
    out += "<svg role=\"img\" aria-labelledby=\"" + html_escape(caption_id) + "\" width=\"" +
           std::to_string(kWidth) + "\" height=\"" + std::to_string(kHeight) + "\" viewBox=\"0 0 " +
           std::to_string(kWidth) + " " + std::to_string(kHeight) +
           "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
    out += "<line x1=\"40\" y1=\"" + std::to_string(kBase) + "\" x2=\"" + std::to_string(kWidth - 10) +
           "\" y2=\"" + std::to_string(kBase) + "\" stroke=\"#595959\"/>\n";
    if (!days.empty()) {
        const double slot = static_cast<double>(kWidth - 60) / static_cast<double>(days.size());
        const int bar_width = std::clamp(static_cast<int>(slot * 0.7), 2, 40);
        for (size_t i = 0; i < days.size(); ++i) {
            const int64_t count = days[i].second;
            const int h = max > 0 ? static_cast<int>(std::lround(static_cast<double>(count) /
                                                                 static_cast<double>(max) * 140))
                                  : 0;
            const int x = 45 + static_cast<int>(slot * static_cast<double>(i));
            out += "<g class=\"bar\" data-label=\"" + html_escape(days[i].first) + "\" data-value=\"" +
                   std::to_string(count) + "\"><rect x=\"" + std::to_string(x) + "\" y=\"" +
                   std::to_string(kBase - h) + "\" width=\"" + std::to_string(bar_width) + "\" height=\"" +
                   std::to_string(h) + "\" fill=\"#1d4f91\"><title>" + html_escape(days[i].first) + ": " +
                   std::to_string(count) + "</title></rect></g>\n";
        }
        out += "<text x=\"45\" y=\"190\" font-size=\"13\" fill=\"#1a1a1a\">" +
               html_escape(days.front().first) + "</text>";
        if (days.size() > 1) {
            out += "<text x=\"" + std::to_string(kWidth - 10) +
                   "\" y=\"190\" font-size=\"13\" text-anchor=\"end\" fill=\"#1a1a1a\">" +
                   html_escape(days.back().first) + "</text>";
        }
        out += "<text x=\"35\" y=\"" + std::to_string(kBase - 140 + 5) +
               "\" font-size=\"13\" text-anchor=\"end\" fill=\"#1a1a1a\">" + std::to_string(max) +
               "</text>\n";
    }
    out += "</svg>\n<table class=\"chart-data\"><thead><tr><th scope=\"col\">" + html_escape(day_header) +
           "</th><th scope=\"col\" class=\"num\">" + html_escape(value_header) +
           "</th></tr></thead><tbody>\n";
    for (const auto& [day, count] : days) {
        out += "<tr><th scope=\"row\">" + html_escape(day) + "</th><td class=\"num\">" +
               format_number(static_cast<double>(count), lang) + "</td></tr>\n";
    }
    out += "</tbody></table>\n</figure>\n";
    return out;
}

} // namespace buurtstem
