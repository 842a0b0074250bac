// Building blocks for the server's web pages (dashboard and public results): escaping, forms, the page
// frame, and the SVG charts the server draws itself (no script, no CDN, no external font).
//
// Charts are SVG with a text alternative: each chart is a <figure> whose <svg role="img"> is labelled by
// its caption and followed by a table with the same numbers, so a screen reader and the browser test
// (tests/browser) read exact values. Every bar carries data-label / data-value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/server/http_route.hpp"

namespace buurtstem {

std::string html_escape(std::string_view text);
// Percent-encodes for a URL path segment or query value.
std::string url_encode(std::string_view text);
// Decodes application/x-www-form-urlencoded ("a=1&b=x+y"); later duplicates win.
std::map<std::string, std::string> parse_form(std::string_view body);

// A whole HTML page. `lang` goes on <html>; `head_title` in <title>; `header_html` above <main>.
std::string html_page(std::string_view lang, std::string_view head_title, std::string_view header_html,
                      std::string_view main_html);
// Replies with the headers every page gets (CSP without scripts from elsewhere, no caching of staff
// pages, no framing, no referrer).
HttpReply html_reply(int status, std::string body, bool cacheable = false);
HttpReply redirect_reply(const std::string& location);
// The stylesheet at /static/buurtstem.css (contrast ≥ 4.5:1, visible focus).
HttpReply stylesheet_reply();
inline constexpr std::string_view kStylesheetPath = "/static/buurtstem.css";

// Puts every <table> that starts with a <caption> (the dashboard's wide tables, not the charts' two
// columns) in a scrolling region named by that caption: at 320 CSS px the table scrolls, not the page
// (WCAG 1.4.10), and the region takes keyboard focus so it can be scrolled without a mouse.
std::string wrap_wide_tables(std::string_view html);

// A number as text: whole numbers without decimals, others with one ("1,8" in Dutch).
std::string format_number(double value, std::string_view lang);

struct ChartBar {
    std::string label;
    double value = 0;
    bool suppressed = false; // a group under the minimum size: drawn as "< 5", no bar
};

// A horizontal bar chart with its table. `id` must be unique on the page; `suppressed_text` is shown
// for suppressed bars.
std::string bar_chart(std::string_view id, std::string_view caption, const std::vector<ChartBar>& bars,
                      std::string_view lang, std::string_view value_header, std::string_view suppressed_text);
// A column chart over time (days), with its table.
std::string column_chart(std::string_view id, std::string_view caption,
                         const std::vector<std::pair<std::string, int64_t>>& days, std::string_view lang,
                         std::string_view day_header, std::string_view value_header);

} // namespace buurtstem
