// The web pages' building blocks: escaping, form decoding, texts, lockout times, suppression.
#include <doctest/doctest.h>

#include <filesystem>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/server/staff_auth.hpp"
#include "buurtstem/server/web_html.hpp"
#include "buurtstem/server/web_routes.hpp"
#include "buurtstem/server/web_texts.hpp"
#include "test_support.hpp"

using namespace buurtstem;
namespace test = buurtstem::test;

TEST_CASE("web: html_escape leaves no markup from residents' text") {
    CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST_CASE("web: form bodies decode, including + and %-escapes, and broken escapes stay literal") {
    const auto form = parse_form("user=beheer&password=a+b%26c%3D&csrf=%zz&empty=&flag");
    CHECK(form.at("user") == "beheer");
    CHECK(form.at("password") == "a b&c=");
    CHECK(form.at("csrf") == "%zz");
    CHECK(form.at("empty").empty());
    CHECK(form.count("flag") == 1);
}

TEST_CASE("web: every public-page language file has exactly Dutch's keys, in the kiosk's five languages") {
    const auto languages = web_text_languages();
    CHECK(languages == std::vector<std::string>{"ar", "en", "nl", "pl", "tr"});
    for (const std::string& language : languages) {
        CAPTURE(language);
        CHECK(web_text_missing_keys(language).empty());
        CHECK(web_text_extra_keys(language).empty());
        // Each language in its own name, for the language switch; never Dutch's by fallback.
        CHECK((language == "nl" || web_text(language, "language.name") != "Nederlands"));
        // Machine-assisted translations say so until a native speaker has checked them (as assets/i18n).
        if (language != "nl" && language != "en") {
            CHECK(web_text(language, "translation.status") == "awaiting native speaker check");
        }
    }
    CHECK(web_text("en", "results.responses", {{"count", "12"}}) == "Number of responses: 12");
    CHECK(web_text("ar", "language.name") == "العربية");
    CHECK(web_text("de", "results.page_title") == "Resultaten"); // no German file: falls back to Dutch
    CHECK(web_text("nl", "results.no-such-key") == "[results.no-such-key]");
}

TEST_CASE("web: Accept-Language picks the offered language the browser prefers") {
    const std::vector<std::string> offered{"nl", "en", "tr", "pl", "ar"};
    CHECK(negotiate_language("", offered, "nl") == "nl");
    CHECK(negotiate_language("tr-TR,tr;q=0.9,en;q=0.8", offered, "nl") == "tr");
    CHECK(negotiate_language("de-DE, pl;q=0.5, en;q=0.7", offered, "nl") == "en");
    CHECK(negotiate_language("de, fr;q=0.9", offered, "nl") == "nl");
    CHECK(negotiate_language("AR-ma", offered, "nl") == "ar");
    CHECK(negotiate_language("en;q=0, pl", offered, "nl") == "pl");
    CHECK(negotiate_language("en;q=0", offered, "nl") == "nl");
    CHECK(negotiate_language("*", offered, "nl") == "nl");
    CHECK(negotiate_language(" ,;;q=,en;q=abc, ;q=1", offered, "nl") == "nl"); // nonsense: the fallback
    CHECK(negotiate_language("en, tr", offered, "nl") == "en");                // equal q: the first
}

TEST_CASE("web: an Arabic page is right to left, and every page's skip link is in its language") {
    const std::string ar = html_page("ar", "t", "", "<h1>x</h1>");
    CHECK(ar.find("<html lang=\"ar\" dir=\"rtl\">") != std::string::npos);
    CHECK(ar.find(">انتقل إلى المحتوى</a>") != std::string::npos);
    const std::string nl = html_page("nl", "t", "", "<h1>x</h1>");
    CHECK(nl.find("<html lang=\"nl\">") != std::string::npos);
    CHECK(nl.find(">Naar de inhoud</a>") != std::string::npos);
}

TEST_CASE("web: lockout grows from 1 minute after five failures to at most a day") {
    CHECK(StaffAuth::lock_time(4).count() == 0);
    CHECK(StaffAuth::lock_time(5) == std::chrono::minutes(1));
    CHECK(StaffAuth::lock_time(6) == std::chrono::minutes(2));
    CHECK(StaffAuth::lock_time(9) == std::chrono::minutes(16));
    CHECK(StaffAuth::lock_time(100) == std::chrono::hours(24));
}

TEST_CASE("web: a suppressed bar shows words, never its number") {
    const std::string chart =
        bar_chart("c", "Taal", {{"nl", 9, false}, {"en", 3, true}}, "nl", "Reacties", "minder dan 5");
    CHECK(chart.find("data-label=\"nl\" data-value=\"9\"") != std::string::npos);
    CHECK(chart.find("data-label=\"en\" data-value=\"suppressed\"") != std::string::npos);
    CHECK(chart.find(">3<") == std::string::npos);
    CHECK(chart.find("minder dan 5") != std::string::npos);
}

TEST_CASE("web: passwords hash with crypto_pwhash and verify") {
    auto hash = hash_staff_password("een lang wachtwoord");
    REQUIRE(hash.ok());
    CHECK(hash->rfind("$argon2id$", 0) == 0);
    CHECK(verify_staff_password(*hash, "een lang wachtwoord"));
    CHECK_FALSE(verify_staff_password(*hash, "een ander wachtwoord"));
    CHECK_FALSE(verify_staff_password("", "x"));
}

TEST_CASE("consultation files: municipality is optional, one line, and names who sees it on the dashboard") {
    const std::string demo = test::read_file(std::filesystem::path(BUURTSTEM_SOURCE_DIR) /
                                             "config/consultations/minimaregelingen.toml");
    auto loaded = parse_consultation(demo, "demo.toml");
    REQUIRE(loaded.ok());
    CHECK(loaded->municipality == "Velsen");

    std::string without = demo;
    without.erase(without.find("municipality = "),
                  without.find('\n', without.find("municipality = ")) - without.find("municipality = "));
    auto plain = parse_consultation(without, "plain.toml");
    REQUIRE(plain.ok());
    CHECK(plain->municipality.empty());

    std::string empty = demo;
    empty.replace(empty.find("\"Velsen\""), 8, "\"\"");
    auto refused = parse_consultation(empty, "empty.toml");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().to_string().find("empty.toml:") == 0);
    CHECK(refused.error().to_string().find("'municipality' must be a name") != std::string::npos);

    StaffAccount analyst{"a", StaffRole::Analyst, "Velsen", "", 0, ""};
    StaffAccount other{"b", StaffRole::Analyst, "Beverwijk", "", 0, ""};
    StaffAccount admin{"c", StaffRole::Admin, "", "", 0, ""};
    CHECK(may_see(analyst, *loaded));
    CHECK_FALSE(may_see(other, *loaded));
    CHECK(may_see(admin, *loaded));
    CHECK_FALSE(may_see(analyst, *plain)); // no municipality: admins only
    CHECK(may_see(admin, *plain));
}

TEST_CASE("web: a captioned table scrolls in a named, focusable region, a chart's table stays as it is") {
    const std::string html =
        "<p>a</p><table id=\"devices\"><caption>Aangemelde kiosks</caption><tr><td>x</td>"
        "</tr></table><table class=\"chart-data\"><tr><td>y</td></tr></table>";
    CHECK(wrap_wide_tables(html) ==
          "<p>a</p><div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Aangemelde kiosks\">"
          "<table id=\"devices\"><caption>Aangemelde kiosks</caption><tr><td>x</td></tr></table></div>"
          "<table class=\"chart-data\"><tr><td>y</td></tr></table>");
    CHECK(wrap_wide_tables("<table><caption>open") == "<table><caption>open"); // unclosed: left alone
    CHECK(wrap_wide_tables("") == "");
}
