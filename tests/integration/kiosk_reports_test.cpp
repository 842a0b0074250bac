// What a kiosk tells the server and what it drops on the server's word, against the real server binary:
// its pending count (Buurtstem-Pending) on the dashboard's kiosk page, and "you said, we did" results
// the server no longer lists, removed only on a whole, signed listing (result_listing.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/protocol/result_listing.hpp"
#include "buurtstem/server/server_store.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "buurtstem/sync/consultation_pull.hpp"
#include "buurtstem/sync/result_pull.hpp"
#include "buurtstem/sync/sync_worker.hpp"
#include "fault_endpoints.hpp"
#include "server_fixture.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using namespace buurtstem::test;

namespace {

constexpr const char* kPassword = "correct horse battery staple";

std::string trimmed(std::string text) {
    text.erase(text.find_last_not_of("\r\n") + 1);
    return text;
}

std::string make_key(const fs::path& dir, const std::string& name) {
    const CommandResult keys =
        run_command({server_binary().string(), "keygen", "--secret-key", (dir / (name + ".sk")).string(),
                     "--public-key", (dir / (name + ".pub")).string()});
    REQUIRE_MESSAGE(keys.exit_code == 0, keys.output);
    return trimmed(read_file(dir / (name + ".pub")));
}

PullSettings pull_settings(const ServerFixture& f, const fs::path& folder) {
    const SyncSettings sync = f.sync_settings();
    PullSettings pull;
    pull.server_url = sync.server_url;
    pull.token = sync.token;
    pull.ca_file = sync.ca_file;
    pull.folder = folder;
    return pull;
}

// What the server's database says about the fixture's kiosk (the devices page reads the same).
DeviceOverview device_row(const ServerFixture& f) {
    auto staff = open_staff_store(f.server_db.string());
    REQUIRE_MESSAGE(staff.ok(), (staff.ok() ? "" : staff.error().to_string()));
    auto devices = (*staff)->device_overview();
    REQUIRE(devices.ok());
    for (const DeviceOverview& d : *devices) {
        if (d.device_id == f.device_id) {
            return d;
        }
    }
    FAIL("the fixture's kiosk is not on the server");
    return {};
}

// The dashboard's kiosk page as an admin sees it: login with curl (CSRF token, cookie jar), then GET.
std::string devices_page(const ServerFixture& f) {
    const CommandResult added =
        run_command({"sh", "-c",
                     "printf '%s\\n' '" + std::string(kPassword) + "' | '" + server_binary().string() +
                         "' add-staff --db '" + f.server_db.string() +
                         "' --user beheer --role admin --replace 2>&1 || printf '%s\\n' '" +
                         std::string(kPassword) + "' | '" + server_binary().string() + "' add-staff --db '" +
                         f.server_db.string() + "' --user beheer --role admin"});
    REQUIRE_MESSAGE(added.exit_code == 0, added.output);
    const std::string jar = f.path("admin.jar").string();
    const auto curl = [&](std::vector<std::string> more) {
        std::vector<std::string> argv{
            "curl",     "--silent", "--show-error", "--cacert", f.pki.ca_cert.string(),
            "--cookie", jar,        "--cookie-jar", jar};
        argv.insert(argv.end(), more.begin(), more.end());
        const CommandResult r = run_command(argv);
        REQUIRE_MESSAGE(r.exit_code == 0, r.output);
        return r.output;
    };
    const std::string login_page = curl({f.url() + "/"});
    const std::string marker = "name=\"csrf\" value=\"";
    const auto at = login_page.find(marker);
    REQUIRE(at != std::string::npos);
    const std::string csrf = login_page.substr(at + marker.size(), 64);
    std::string password = kPassword;
    std::replace(password.begin(), password.end(), ' ', '+');
    curl({"--data-raw", "user=beheer&password=" + password + "&csrf=" + csrf, f.url() + "/login"});
    return curl({f.url() + "/dashboard/devices"});
}

// The devices page's cell for the fixture's kiosk.
std::string pending_cell(const ServerFixture& f, const std::string& page) {
    const auto row = page.find("<tr data-device=\"" + f.device_id + "\"");
    REQUIRE(row != std::string::npos);
    const auto cell = page.find("<td data-pending=", row);
    REQUIRE(cell != std::string::npos);
    return page.substr(cell, page.find("</td>", cell) - cell);
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "a kiosk reports its pending count: 3 it cannot deliver, then 0 once they are taken" *
                      doctest::test_suite("server-store")) {
    // The pulls need a route that checks the token: an empty bundles folder serves an empty list.
    fs::create_directories(path("bundles"));
    extra_serve_args = {"--bundles", path("bundles").string()};
    stop_server();
    start_server();
    CHECK_FALSE(device_row(*this).pending.has_value()); // never reported: "onbekend"
    CHECK(pending_cell(*this, devices_page(*this)).find(">onbekend") != std::string::npos);

    // Three responses to a consultation this server has no file for: held, not stored.
    const auto kiosk = path("kiosk.db");
    auto responses = demo_responses(3, device_id);
    for (CompletedResponse& r : responses) {
        r.consultation_id = "speeltuin-zuid";
    }
    commit_to_kiosk(kiosk, responses);
    // One pass as the kiosk's sync worker runs it: upload, then the pulls with the count after the upload.
    const std::string council_key = make_key(dir.path(), "council");
    const auto pass = [&](int64_t expect_after_upload) {
        SyncClient client = make_client(sync_settings(), kiosk);
        auto report = client.sync_all();
        REQUIRE_MESSAGE(report.ok(), report.error().message);
        CHECK(device_row(*this).pending == std::optional<int64_t>(3)); // said with the upload
        auto counts = client.counts();
        REQUIRE(counts.ok());
        CHECK(counts->pending == expect_after_upload);
        PullSettings pull = pull_settings(*this, path("kiosk-consultations"));
        pull.council_public_key = council_key;
        pull.pending_responses = counts->pending;
        auto pulled = pull_consultations(pull);
        REQUIRE_MESSAGE(pulled.ok(), pulled.error().message);
    };
    pass(3);
    const DeviceOverview held = device_row(*this);
    CHECK(held.pending == std::optional<int64_t>(3));
    CHECK(held.pending_at.size() == 20); // 2026-12-01T06:00:00Z
    CHECK(held.responses == 0);
    const std::string cell = pending_cell(*this, devices_page(*this));
    CHECK(cell.find("data-pending=\"3\">3 (om <time datetime=\"" + held.pending_at + "\">" +
                    held.pending_at.substr(11, 5) + "</time> UTC)") != std::string::npos);

    // The server gets the consultation's file (a restart with it): the next pass delivers all three.
    fs::create_directories(path("consultations"));
    std::string file = read_file(demo_consultations_folder() / "minimaregelingen.toml");
    file.replace(file.find("id = \"minimaregelingen-ijmond\""), 30, "id = \"speeltuin-zuid\"");
    std::ofstream(path("consultations") / "speeltuin.toml") << file;
    fs::copy_file(demo_consultations_folder() / "minimaregelingen.toml", path("consultations") / "demo.toml");
    consultations_folder = path("consultations");
    stop_server();
    start_server();
    // This time through the kiosk's own loop: the sync worker uploads, then runs the pull it is given
    // with the count it read after the pass (as the kiosk's main does).
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<int64_t> told;
    SyncWorker worker(
        make_client(sync_settings(), kiosk), std::chrono::hours(1),
        [&] {
            std::lock_guard lock(mutex);
            changed.notify_all();
        },
        [&](const std::function<bool()>& should_stop, std::optional<int64_t> pending) -> Status<SyncError> {
            PullSettings pull = pull_settings(*this, path("kiosk-consultations"));
            pull.council_public_key = council_key;
            pull.should_cancel = should_stop;
            pull.pending_responses = pending;
            {
                std::lock_guard lock(mutex);
                told = pending;
            }
            auto pulled = pull_consultations(pull);
            if (!pulled) {
                return fail(pulled.error());
            }
            return Unit{};
        });
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(60), [&] {
            const SyncStatus status = worker.status();
            return !status.running && status.last_success.has_value() && status.counts.synced == 3;
        }));
        CHECK(told == std::optional<int64_t>(0));
    }
    CHECK(device_row(*this).pending == std::optional<int64_t>(0));
    CHECK(device_row(*this).responses == 3);
    CHECK(pending_cell(*this, devices_page(*this)).find("data-pending=\"0\">0 (om ") != std::string::npos);

    // Not a count: ignored and logged, the call still served, the last count kept.
    const CommandResult odd = run_command(
        {"curl", "--silent", "--cacert", pki.ca_cert.string(), "--header", "Authorization: Bearer " + token,
         "--header", "Buurtstem-Pending: -1; DROP TABLE devices", "--write-out", "%{http_code}", "--output",
         "/dev/null", url() + "/api/v1/consultations"});
    CHECK(odd.output == "200");
    CHECK(device_row(*this).pending == std::optional<int64_t>(0));
    CHECK(server_log().find("ignored Buurtstem-Pending") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "a result the server no longer lists leaves the kiosk, on a whole signed listing only" *
                      doctest::test_suite("server-store")) {
    const std::string result_pub = make_key(dir.path(), "result");
    const std::string result_sk = trimmed(read_file(path("result.sk")));
    extra_serve_args = {"--result-key", path("result.sk").string()};
    stop_server();
    start_server();
    const std::string kept_id = kDemoConsultation;
    const std::string gone_id = "snelle-peiling-hulp-weten";
    {
        auto store = open_server_store(server_db.string());
        REQUIRE(store.ok());
        REQUIRE((*store)
                    ->set_result_text(kept_id, ResultText{"nl", "We maken het formulier korter.", {}, ""})
                    .ok());
        REQUIRE((*store)->set_result_text(gone_id, ResultText{"nl", "Er komt een spreekuur.", {}, ""}).ok());
    }
    const PullSettings pull = pull_settings(*this, path("kiosk-consultations"));
    auto first = pull_results(pull, result_pub);
    REQUIRE_MESSAGE(first.ok(), first.error().message);
    CHECK(first->updated.size() == 2);
    CHECK(first->removed.empty());
    const auto shown = [&](const std::string& id) {
        return load_pulled_result(pull.folder, id, result_pub).has_value();
    };
    REQUIRE(shown(kept_id));
    REQUIRE(shown(gone_id));

    // The analyst withdraws one result: the server stops listing it.
    {
        auto store = open_server_store(server_db.string());
        REQUIRE(store.ok());
        REQUIRE((*store)->remove_result(gone_id).ok());
    }

    // A network failure removes nothing.
    PullSettings unreachable = pull;
    unreachable.server_url = "https://127.0.0.1:" + std::to_string(free_loopback_port());
    unreachable.connect_timeout_seconds = 2;
    CHECK_FALSE(pull_results(unreachable, result_pub).ok());
    CHECK(shown(gone_id));

    // Replies that are not the whole signed truth remove nothing: served as given by a stand-in server.
    const nlohmann::json kept_item =
        nlohmann::json::parse(read_file(pull.folder / (kept_id + ".result.json")));
    const auto listing_of = [&](std::vector<result_listing::ListedResult> listed,
                                const std::string& issued_at, const std::string& key) {
        auto signed_listing = result_listing::sign_listing({issued_at, std::move(listed)}, key);
        REQUIRE(signed_listing.ok());
        return nlohmann::json::parse(result_listing::encode_signed(*signed_listing));
    };
    const int64_t kept_revision = load_pulled_result(pull.folder, kept_id, result_pub)->revision;
    const int64_t gone_revision = load_pulled_result(pull.folder, gone_id, result_pub)->revision;
    const std::string now = "2999-01-01T00:00:00Z";
    make_key(dir.path(), "other");
    const std::string other_sk = trimmed(read_file(path("other.sk")));
    struct Case {
        const char* what;
        nlohmann::json reply;
        const char* refused; // in the report, or "" when silent
    };
    const auto reply_with = [&](std::optional<nlohmann::json> listing) {
        nlohmann::json reply;
        reply["results"] = nlohmann::json::array();
        reply["results"].push_back(kept_item);
        if (listing) {
            reply["listing"] = *listing;
        }
        return reply;
    };
    const std::vector<Case> cases{
        {"an older server: no listing", reply_with(std::nullopt), ""},
        {"a listing signed with another key",
         reply_with(listing_of({{kept_id, kept_revision}}, now, other_sk)), "listing: "},
        {"a listing naming a result that did not arrive",
         reply_with(listing_of({{kept_id, kept_revision}, {gone_id, gone_revision}}, now, result_sk)),
         "is listed but did not arrive"},
        {"a listing from before the result was made (replayed)",
         reply_with(listing_of({{kept_id, kept_revision}}, "2020-01-01T00:00:00Z", result_sk)), ""},
        {"a listing that is not an object", reply_with(nlohmann::json("everything")), "listing: "},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        CannedTlsEndpoint stand_in(pki.server_cert, pki.server_key,
                                   CannedTlsEndpoint::http_reply(200, "application/json", c.reply.dump()));
        PullSettings via = pull;
        via.server_url = "https://127.0.0.1:" + std::to_string(stand_in.port());
        auto report = pull_results(via, result_pub);
        REQUIRE_MESSAGE(report.ok(), report.error().message);
        CHECK(report->removed.empty());
        CHECK(shown(gone_id));
        const bool said =
            !report->refused.empty() && report->refused.back().find(c.refused) != std::string::npos;
        CHECK(said == (std::string(c.refused) != ""));
    }

    // The real server's whole, signed listing: the withdrawn result goes, the other stays.
    auto pulled = pull_results(pull, result_pub);
    REQUIRE_MESSAGE(pulled.ok(), pulled.error().message);
    CHECK(pulled->refused.empty());
    CHECK(pulled->removed == std::vector<std::string>{gone_id});
    CHECK_FALSE(shown(gone_id));
    CHECK_FALSE(fs::exists(pull.folder / (gone_id + ".result.json")));
    CHECK(shown(kept_id));
    // Pulled again: nothing more to remove.
    auto again = pull_results(pull, result_pub);
    REQUIRE(again.ok());
    CHECK(again->removed.empty());
    CHECK(shown(kept_id));
}
