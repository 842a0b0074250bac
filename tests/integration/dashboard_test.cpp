// The staff dashboard and the public results page over real HTTPS (curl with the test CA) against the
// real server binary: login, lockout, session cookies, CSRF, municipality scoping, suppression.
// The browser test (tests/browser/dashboard_browser.py) drives the same pages with Chromium.
#include <doctest/doctest.h>

#include <fstream>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/server/pg.hpp"
#include "buurtstem/server/server_store.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "pg_cluster.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

constexpr const char* kAdminPassword = "correct horse battery staple";
constexpr const char* kAnalystPassword = "beverwijk-analist-2026";

struct WebReply {
    long status = 0;
    std::string headers; // raw, as curl wrote them
    std::string body;

    // The value of the first header `name` (case-insensitive), or "".
    std::string header(const std::string& name) const {
        std::string lower_headers = headers;
        for (char& c : lower_headers) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        const auto at = lower_headers.find("\n" + name + ":");
        if (at == std::string::npos) {
            return {};
        }
        const size_t start = at + name.size() + 2;
        const size_t end = headers.find('\r', start);
        std::string value = headers.substr(start, end - start);
        return value.substr(value.find_first_not_of(' '));
    }
};

// A user agent with its own cookie jar, speaking to the fixture's server with curl.
class Browser {
public:
    Browser(const ServerFixture& server, const std::string& name)
        : server_(server), jar_(server.path(name + ".jar")) {}

    WebReply get(const std::string& path, const std::string& cookie_header = "") {
        return send(path, nullptr, cookie_header);
    }
    WebReply post(const std::string& path, const std::string& form, const std::string& cookie_header = "") {
        return send(path, &form, cookie_header);
    }
    // Follows the login form: GET / for its CSRF token, then POST /login.
    WebReply login(const std::string& user, const std::string& password) {
        const WebReply page = get("/");
        REQUIRE(page.status == 200);
        return post("/login",
                    "user=" + user + "&password=" + form_encode(password) + "&csrf=" + csrf_of(page.body));
    }

    static std::string csrf_of(const std::string& body) {
        const std::string marker = "name=\"csrf\" value=\"";
        const auto at = body.find(marker);
        REQUIRE_MESSAGE(at != std::string::npos, "no CSRF field in: " << body.substr(0, 400));
        return body.substr(at + marker.size(), 64);
    }
    static std::string form_encode(const std::string& text) {
        std::string out;
        for (char c : text) {
            out += c == ' ' ? std::string("+") : std::string(1, c);
        }
        return out;
    }

private:
    WebReply send(const std::string& path, const std::string* form, const std::string& cookie_header) {
        const auto headers_file = server_.path("headers.txt");
        const auto body_file = server_.path("body.html");
        std::vector<std::string> argv = {"curl",
                                         "--silent",
                                         "--show-error",
                                         "--cacert",
                                         server_.pki.ca_cert.string(),
                                         "--dump-header",
                                         headers_file.string(),
                                         "--output",
                                         body_file.string(),
                                         "--write-out",
                                         "%{http_code}"};
        if (cookie_header.empty()) {
            argv.insert(argv.end(), {"--cookie", jar_.string(), "--cookie-jar", jar_.string()});
        } else {
            argv.insert(argv.end(), {"--header", "Cookie: " + cookie_header});
        }
        if (form != nullptr) {
            argv.insert(argv.end(), {"--data-raw", *form});
        }
        argv.push_back(server_.url() + path);
        const CommandResult r = run_command(argv);
        INFO("curl said: " << r.output);
        REQUIRE(r.exit_code == 0);
        return WebReply{std::stol(r.output), "\n" + read_file(headers_file), read_file(body_file)};
    }

    const ServerFixture& server_;
    std::filesystem::path jar_;
};

void add_staff(const ServerFixture& f, const std::string& user, const std::string& role,
               const std::string& municipality, const std::string& password) {
    std::string command = "printf '%s\\n' '" + password + "' | '" + server_binary().string() +
                          "' add-staff --db '" + f.server_db.string() + "' --user " + user + " --role " +
                          role;
    if (!municipality.empty()) {
        command += " --municipality " + municipality;
    }
    const CommandResult r = run_command({"sh", "-c", command});
    INFO("add-staff said: " << r.output);
    REQUIRE(r.exit_code == 0);
}

// Stores `responses` straight into the server's database (another connection, as a second server
// process would), so a test chooses exact languages and answers.
void store_directly(const ServerFixture& f, const std::vector<CompletedResponse>& responses) {
    auto store = open_server_store(f.server_db.string());
    REQUIRE(store.ok());
    auto stored = (*store)->store_responses(responses, now_iso8601_utc());
    REQUIRE(stored.ok());
}

// SQL straight on the server's database, SQLite file or PostgreSQL (`$1` binds in both), as an
// administrator would: to look at what is stored, or to let time pass.
int64_t sql_count(const ServerFixture& f, const std::string& sql, const std::string& param = "") {
    if (testing_postgresql()) {
        pg::Connection c(f.server_db.string());
        return param.empty() ? c.query(sql).integer(0, 0) : c.query(sql, {param}).integer(0, 0);
    }
    sqlite::Database db(f.server_db);
    auto s = db.prepare(sql);
    if (!param.empty()) {
        s.bind(1, param);
    }
    s.step();
    return s.column_int(0);
}

void sql_exec(const ServerFixture& f, const std::string& sql) {
    if (testing_postgresql()) {
        pg::Connection(f.server_db.string()).exec(sql);
    } else {
        sqlite::Database(f.server_db).exec(sql);
    }
}

size_t count_of(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) {
        ++n;
    }
    return n;
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "dashboard: every page, download and form is refused without a valid session" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    Browser anonymous(*this, "anonymous");
    const std::string forged = "__Host-buurtstem=" + std::string(64, 'a');
    for (const std::string path :
         {"/dashboard", "/dashboard/devices", "/dashboard/consultation/minimaregelingen-ijmond",
          "/dashboard/consultation/minimaregelingen-ijmond/export.csv", "/dashboard/nothing"}) {
        CAPTURE(path);
        const WebReply none = anonymous.get(path);
        CHECK(none.status == 303);
        CHECK(none.header("location") == "/");
        CHECK(none.body.find("Reacties") == std::string::npos);
        const WebReply fake = anonymous.get(path, forged);
        CHECK(fake.status == 303);
    }
    // A form without a session does nothing: the kiosk stays active.
    const WebReply revoke = anonymous.post("/dashboard/devices/revoke", "device=" + device_id + "&csrf=x");
    CHECK(revoke.status == 403);
    auto store = open_server_store(server_db.string());
    REQUIRE(store.ok());
    auto check = (*store)->device_for_token(token);
    REQUIRE(check.ok());
    CHECK(check->has_value());
    // The login page itself is public, and says what it is.
    const WebReply login = anonymous.get("/");
    CHECK(login.status == 200);
    CHECK(login.body.find("<html lang=\"nl\">") != std::string::npos);
    CHECK(login.body.find("<label for=\"password\">Wachtwoord</label>") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "login: wrong password refused, right one sets a Secure HttpOnly SameSite=Strict "
                  "session, logout and expiry end it" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    Browser browser(*this, "browser");
    const WebReply wrong = browser.login("beheer", "not the password");
    CHECK(wrong.status == 401);
    CHECK(wrong.body.find("klopt niet") != std::string::npos);
    CHECK(wrong.header("set-cookie").find("__Host-buurtstem=") == std::string::npos);
    const WebReply unknown = browser.login("niemand", kAdminPassword);
    CHECK(unknown.status == 401);

    const WebReply ok = browser.login("beheer", kAdminPassword);
    REQUIRE(ok.status == 303);
    CHECK(ok.header("location") == "/dashboard");
    const std::string cookie = ok.header("set-cookie");
    CHECK(cookie.find("__Host-buurtstem=") == 0);
    CHECK(cookie.find("; Secure") != std::string::npos);
    CHECK(cookie.find("; HttpOnly") != std::string::npos);
    CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("; Path=/") != std::string::npos);
    const std::string session_id = cookie.substr(17, 64);

    const WebReply list = browser.get("/dashboard");
    CHECK(list.status == 200);
    CHECK(list.body.find("minimaregelingen-ijmond") != std::string::npos);
    CHECK(list.header("cache-control") == "no-store");
    CHECK(list.header("content-security-policy").find("default-src 'none'") != std::string::npos);

    // Only the hash of the session id is stored.
    CHECK(sql_count(*this, "SELECT count(*) FROM staff_sessions WHERE session_hash = $1", session_id) == 0);
    CHECK(sql_count(*this, "SELECT count(*) FROM staff_sessions") == 1);

    // Logout needs the CSRF token too; without it the session stays.
    CHECK(browser.post("/logout", "csrf=" + std::string(64, '0')).status == 403);
    CHECK(browser.get("/dashboard").status == 200);
    const WebReply out = browser.post("/logout", "csrf=" + Browser::csrf_of(list.body));
    CHECK(out.status == 303);
    CHECK(browser.get("/dashboard").status == 303);
    CHECK(browser.get("/dashboard", "__Host-buurtstem=" + session_id).status ==
          303); // the old cookie, replayed

    // An expired session is refused.
    REQUIRE(browser.login("beheer", kAdminPassword).status == 303);
    CHECK(browser.get("/dashboard").status == 200);
    sql_exec(*this, "UPDATE staff_sessions SET expires_at = '2020-01-01T00:00:00Z'");
    CHECK(browser.get("/dashboard").status == 303);
}

TEST_CASE_FIXTURE(ServerFixture, "login: a form without the login page's CSRF token is refused" *
                                     doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    Browser browser(*this, "browser");
    REQUIRE(browser.get("/").status == 200); // has the login cookie now
    const WebReply forged =
        browser.post("/login", std::string("user=beheer&password=") + Browser::form_encode(kAdminPassword) +
                                   "&csrf=" + std::string(64, 'f'));
    CHECK(forged.status == 403);
    CHECK(forged.header("set-cookie").find("__Host-buurtstem=") == std::string::npos);
    Browser fresh(*this, "fresh"); // no login cookie at all, even with a token from another visitor
    const WebReply other =
        fresh.post("/login", std::string("user=beheer&password=") + Browser::form_encode(kAdminPassword) +
                                 "&csrf=" + Browser::csrf_of(browser.get("/").body));
    CHECK(other.status == 403);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "login: five wrong passwords lock the account, also for the right one, across a restart" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    Browser browser(*this, "browser");
    for (int i = 1; i < 5; ++i) {
        CHECK(browser.login("beheer", "wrong " + std::to_string(i)).status == 401);
    }
    const WebReply fifth = browser.login("beheer", "wrong 5");
    CHECK(fifth.status == 403);
    CHECK(fifth.body.find("geblokkeerd") != std::string::npos);
    CHECK(browser.login("beheer", kAdminPassword).status == 403);
    REQUIRE(stop_server().has_value());
    start_server();
    const WebReply after_restart = browser.login("beheer", kAdminPassword);
    CHECK(after_restart.status == 403);
    CHECK(after_restart.body.find("geblokkeerd") != std::string::npos);
    // Through the staff store (as a second server process would), so this runs on either database.
    auto staff = open_staff_store(server_db.string());
    REQUIRE(staff.ok());
    {
        auto account = (*staff)->find_staff("beheer");
        REQUIRE(account.ok());
        REQUIRE(account->has_value());
        CHECK((*account)->failed_logins == 5);
        CHECK((*account)->locked_until > now_iso8601_utc());
        // The lock has passed: the right password works and resets the count.
        REQUIRE((*staff)->set_login_state("beheer", 5, "2020-01-01T00:00:00Z").ok());
    }
    CHECK(browser.login("beheer", kAdminPassword).status == 303);
    auto account = (*staff)->find_staff("beheer");
    REQUIRE(account.ok());
    REQUIRE(account->has_value());
    CHECK((*account)->failed_logins == 0);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "dashboard: revoke needs the session's CSRF token, and with it the kiosk is switched off" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    Browser browser(*this, "browser");
    REQUIRE(browser.login("beheer", kAdminPassword).status == 303);
    const WebReply devices = browser.get("/dashboard/devices");
    REQUIRE(devices.status == 200);
    CHECK(devices.body.find("data-device=\"" + device_id + "\"") != std::string::npos);
    auto store = open_server_store(server_db.string());
    REQUIRE(store.ok());

    CHECK(browser.post("/dashboard/devices/revoke", "device=" + device_id + "&csrf=" + std::string(64, '1'))
              .status == 403);
    CHECK(browser.post("/dashboard/devices/revoke", "device=" + device_id).status == 403);
    CHECK((*store)->device_for_token(token)->has_value());

    const WebReply revoked = browser.post("/dashboard/devices/revoke",
                                          "device=" + device_id + "&csrf=" + Browser::csrf_of(devices.body));
    CHECK(revoked.status == 200);
    CHECK(revoked.body.find("id=\"revoked\"") != std::string::npos);
    CHECK_FALSE((*store)->device_for_token(token)->has_value());

    // An enrolment code with its QR code, shown once.
    const WebReply code =
        browser.post("/dashboard/devices/enrol-code",
                     "device=kiosk-markt-heemskerk&hours=24&csrf=" + Browser::csrf_of(devices.body));
    CHECK(code.status == 200);
    CHECK(code.body.find("id=\"enrolment-code\"") != std::string::npos);
    CHECK(code.body.find("<svg") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "dashboard: an analyst sees only their municipality's consultations and no kiosks" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "analist", "analyst", "Beverwijk", kAnalystPassword);
    Browser browser(*this, "browser");
    REQUIRE(browser.login("analist", kAnalystPassword).status == 303);
    const WebReply list = browser.get("/dashboard");
    CHECK(list.status == 200);
    CHECK(list.body.find("data-consultation=\"snelle-peiling-hulp-weten\"") != std::string::npos);
    CHECK(list.body.find("data-consultation=\"minimaregelingen-ijmond\"") == std::string::npos);
    CHECK(browser.get("/dashboard/consultation/minimaregelingen-ijmond").status == 404);
    CHECK(browser.get("/dashboard/consultation/minimaregelingen-ijmond/export.csv").status == 404);
    CHECK(browser.get("/dashboard/consultation/snelle-peiling-hulp-weten").status == 200);
    CHECK(browser.get("/dashboard/devices").status == 403);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "dashboard: counts match the database, small groups are suppressed, CSV downloads" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    // 12 responses: 9 in Dutch, 3 in English (a group under 5).
    auto responses = demo_responses(12, device_id);
    for (size_t i = 0; i < responses.size(); ++i) {
        responses[i].language = i < 9 ? "nl" : "en";
    }
    store_directly(*this, responses);
    Browser browser(*this, "browser");
    REQUIRE(browser.login("beheer", kAdminPassword).status == 303);
    const WebReply page = browser.get("/dashboard/consultation/minimaregelingen-ijmond");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("id=\"total\" data-count=\"12\"") != std::string::npos);
    CHECK(page.body.find("data-label=\"nl\" data-value=\"9\"") != std::string::npos);
    CHECK(page.body.find("data-label=\"en\" data-value=\"suppressed\"") != std::string::npos);
    CHECK(page.body.find("id=\"suppression-note\"") != std::string::npos);
    // kent-regelingen: answers cycle ja-goed, een-paar, nee -> 4 each.
    CHECK(count_of(page.body, "data-value=\"4\"") >= 3);
    // Free-text search.
    const WebReply search = browser.get("/dashboard/consultation/minimaregelingen-ijmond?zoek=buurthuis");
    CHECK(search.body.find("Meer uitleg in het buurthuis") != std::string::npos);
    CHECK(search.body.find("Eén formulier") == std::string::npos);

    const WebReply csv = browser.get("/dashboard/consultation/minimaregelingen-ijmond/export.csv");
    CHECK(csv.status == 200);
    CHECK(csv.header("content-disposition").find("attachment") != std::string::npos);
    CHECK(count_of(csv.body, "\r\n") == 13); // header + 12 rows

    // The public page: no login, aggregates only, no free text.
    Browser resident(*this, "resident");
    const WebReply results = resident.get("/r/minimaregelingen-ijmond?lang=en");
    CHECK(results.status == 200);
    CHECK(results.body.find("<html lang=\"en\">") != std::string::npos);
    CHECK(results.body.find("Number of responses: 12") != std::string::npos);
    CHECK(results.body.find("buurthuis") == std::string::npos);
    CHECK(results.body.find(device_id) == std::string::npos);
    CHECK(resident.get("/r/minimaregelingen-ijmond").body.find("<html lang=\"nl\">") != std::string::npos);
    CHECK(resident.get("/r/bestaat-niet").status == 404);
}

TEST_CASE_FIXTURE(ServerFixture, "public results: under five responses in all, no figures at all" *
                                     doctest::test_suite("server-store")) {
    store_directly(*this, demo_responses(3, device_id));
    Browser resident(*this, "resident");
    const WebReply results = resident.get("/r/minimaregelingen-ijmond");
    CHECK(results.status == 200);
    CHECK(results.body.find("minder dan 5 reacties") != std::string::npos);
    CHECK(results.body.find("class=\"bar\"") == std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "dashboard: the result text form saves per language, and the public page shows it "
                  "at its short address" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "analist", "analyst", "Velsen", kAnalystPassword);
    Browser browser(*this, "browser");
    REQUIRE(browser.login("analist", kAnalystPassword).status == 303);
    const WebReply page = browser.get("/dashboard/consultation/minimaregelingen-ijmond");
    REQUIRE(page.status == 200);
    const std::string csrf = Browser::csrf_of(page.body);
    const std::string marker = "id=\"public-page\" href=\"";
    const auto at = page.body.find(marker);
    REQUIRE(at != std::string::npos);
    const std::string short_path =
        page.body.substr(at + marker.size(), page.body.find('"', at + marker.size()) - at - marker.size());
    CHECK(short_path.size() == 3 + 6); // "/r/" and six characters

    // Wrong CSRF: nothing stored.
    CHECK(browser
              .post("/dashboard/consultation/minimaregelingen-ijmond/result",
                    "lang=nl&text=Nee&csrf=" + std::string(64, '2'))
              .status == 403);
    // A figure without a colon is refused with its line.
    const WebReply bad = browser.post("/dashboard/consultation/minimaregelingen-ijmond/result",
                                      "lang=nl&text=Dank+u&figures=Reacties+1234&csrf=" + csrf);
    CHECK(bad.status == 400);
    CHECK(bad.body.find("regel 1") != std::string::npos);
    const WebReply saved =
        browser.post("/dashboard/consultation/minimaregelingen-ijmond/result",
                     "lang=nl&text=We+maken+%C3%A9%C3%A9n+formulier.%0D%0AVanaf+maart.&figures="
                     "Reacties%3A+1234&csrf=" +
                         csrf);
    CHECK(saved.status == 200);
    CHECK(saved.body.find("id=\"result-saved\"") != std::string::npos);
    CHECK(browser
              .post("/dashboard/consultation/minimaregelingen-ijmond/result",
                    "lang=en&text=We+are+making+one+form.&csrf=" + csrf)
              .status == 200);
    // An analyst of another municipality cannot write it.
    add_staff(*this, "ander", "analyst", "Beverwijk", kAnalystPassword);
    Browser other(*this, "other");
    REQUIRE(other.login("ander", kAnalystPassword).status == 303);
    const WebReply other_page = other.get("/dashboard");
    CHECK(other
              .post("/dashboard/consultation/minimaregelingen-ijmond/result",
                    "lang=nl&text=Gekaapt&csrf=" + Browser::csrf_of(other_page.body))
              .status == 404);

    Browser resident(*this, "resident");
    const WebReply nl = resident.get(short_path);
    CHECK(nl.status == 200);
    CHECK(nl.body.find("<p>We maken één formulier.</p><p>Vanaf maart.</p>") != std::string::npos);
    CHECK(nl.body.find("<dt>Reacties</dt><dd>1234</dd>") != std::string::npos);
    CHECK(nl.body.find("Gekaapt") == std::string::npos);
    const WebReply en = resident.get(short_path + "?lang=en");
    CHECK(en.body.find("We are making one form.") != std::string::npos);
    // Script in a result text stays text.
    CHECK(browser
              .post("/dashboard/consultation/minimaregelingen-ijmond/result",
                    "lang=nl&text=%3Cscript%3Ealert(1)%3C%2Fscript%3E&csrf=" + csrf)
              .status == 200);
    CHECK(resident.get(short_path).body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "dashboard: downloads stream, and a download cut off halfway leaves the server serving" *
                      doctest::test_suite("server-store")) {
    add_staff(*this, "beheer", "admin", "", kAdminPassword);
    store_directly(*this, demo_responses(3000, device_id));
    Browser browser(*this, "browser");
    REQUIRE(browser.login("beheer", kAdminPassword).status == 303);
    const WebReply csv = browser.get("/dashboard/consultation/minimaregelingen-ijmond/export.csv");
    CHECK(csv.status == 200);
    CHECK(count_of(csv.body, "\r\n") == 3001);
    CHECK(csv.header("content-length").empty()); // streamed, not assembled first
    const WebReply xlsx = browser.get("/dashboard/consultation/minimaregelingen-ijmond/export.xlsx");
    CHECK(xlsx.status == 200);
    CHECK(xlsx.body.rfind("PK", 0) == 0); // a zip
    const WebReply json = browser.get("/dashboard/consultation/minimaregelingen-ijmond/export.jsonl");
    CHECK(count_of(json.body, "\n") == 3001);

    // A reader that stops after 4 KiB (curl into head): the server's writer must stop, not die of SIGPIPE.
    const std::string cookie_jar = path("browser.jar").string();
    for (int i = 0; i < 3; ++i) {
        const CommandResult cut = run_command(
            {"sh", "-c",
             "curl --silent --cacert '" + pki.ca_cert.string() + "' --cookie '" + cookie_jar + "' '" + url() +
                 "/dashboard/consultation/minimaregelingen-ijmond/export.csv' | head -c 4096 | wc -c"});
        CHECK(cut.output.find("4096") != std::string::npos);
    }
    CHECK(server_running());
    CHECK(browser.get("/dashboard").status == 200);
    CHECK(server_count() == 3000);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "public results: the kiosk's five languages, each named in itself, Accept-Language as the "
                  "default and ?lang= first, Arabic right to left" *
                      doctest::test_suite("server-store")) {
    store_directly(*this, demo_responses(12, device_id));
    const auto fetch = [&](const std::string& path, const std::string& accept_language) {
        const CommandResult r =
            run_command({"curl", "--silent", "--show-error", "--cacert", pki.ca_cert.string(), "--header",
                         "Accept-Language: " + accept_language, "--include", url() + path});
        REQUIRE(r.exit_code == 0);
        return r.output;
    };
    const std::string ar = fetch("/r/minimaregelingen-ijmond", "ar-MA, en;q=0.5");
    CHECK(ar.find("<html lang=\"ar\" dir=\"rtl\">") != std::string::npos);
    CHECK(ar.find("عدد الردود: 12") != std::string::npos);
    CHECK(ar.find("Vary: Accept-Language") != std::string::npos);
    // The switch: a link per language, in that language's own name and marked with its lang.
    for (const std::string link :
         {"hreflang=\"nl\" lang=\"nl\" id=\"lang-nl\">Nederlands</a>",
          "hreflang=\"en\" lang=\"en\" id=\"lang-en\">English</a>",
          "hreflang=\"tr\" lang=\"tr\" id=\"lang-tr\">Türkçe</a>",
          "hreflang=\"pl\" lang=\"pl\" id=\"lang-pl\">Polski</a>",
          "hreflang=\"ar\" lang=\"ar\" id=\"lang-ar\" aria-current=\"page\">العربية</a>"}) {
        CAPTURE(link);
        CHECK(ar.find(link) != std::string::npos);
    }
    CHECK(fetch("/r/minimaregelingen-ijmond", "de-DE, tr;q=0.8").find("Cevap sayısı: 12") !=
          std::string::npos);
    CHECK(fetch("/r/minimaregelingen-ijmond", "de-DE").find("<html lang=\"nl\">") != std::string::npos);
    const std::string pl = fetch("/r/minimaregelingen-ijmond?lang=pl", "ar");
    CHECK(pl.find("<html lang=\"pl\">") != std::string::npos);
    CHECK(pl.find("Liczba odpowiedzi: 12") != std::string::npos);
    // A language the consultation does not offer is ignored, not an error.
    CHECK(fetch("/r/minimaregelingen-ijmond?lang=xx", "en").find("<html lang=\"en\">") != std::string::npos);
    CHECK(fetch("/r/bestaat-niet", "pl").find("Nie znaleziono") != std::string::npos);
}
