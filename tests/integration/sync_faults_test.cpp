// Faults between a real kiosk client (libcurl, the kiosk's SQLite outbox) and the real buurtstem-server
// on loopback HTTPS. What the server cannot do on demand (cut, stall, 5xx, a foreign certificate, a
// captive portal) is made with real sockets by tests/support/fault_endpoints.*.
//
// After each fault: every response the kiosk committed is on the server exactly once (or, for the
// responses the server must not take, not at all), and PRAGMA integrity_check is ok on both files.
//
// [SECTION] Index
//   Helpers: exactly-once and integrity checks, certificates
//   Network faults: server down, 5xx, cuts, stall
//   TLS faults: untrusted CA, wrong host name, pinning, captive portal
//   Data faults: unknown consultation, id spelling, control and bidi characters
#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "buurtstem/core/sqlite.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/sync/sync_worker.hpp"
#include "fault_endpoints.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Helpers: exactly-once and integrity checks, certificates
//-----------------------------------------------------------------------------

constexpr size_t kResponses = 120; // three batches of 50, 50, 20

std::string integrity(const std::filesystem::path& file) {
    sqlite::Database db(file);
    auto s = db.prepare("PRAGMA integrity_check");
    REQUIRE(s.step());
    return s.column_text(0);
}

// How often each id is stored on the server, ids compared in lower case (one spelling per id).
std::map<std::string, int> server_ids(const std::filesystem::path& server_db) {
    sqlite::Database db(server_db);
    std::map<std::string, int> ids;
    auto s = db.prepare("SELECT lower(id), count(*) FROM responses GROUP BY lower(id)");
    while (s.step()) {
        ids[s.column_text(0)] = static_cast<int>(s.column_int(1));
    }
    return ids;
}

// Every id in `delivered` is on the server exactly once, nothing else is, and both files are sound.
void check_exactly_once(const ServerFixture& f, const std::filesystem::path& kiosk,
                        const std::vector<CompletedResponse>& delivered) {
    const auto ids = server_ids(f.server_db);
    CHECK(ids.size() == delivered.size());
    for (const CompletedResponse& r : delivered) {
        const auto it = ids.find(r.id);
        CHECK_MESSAGE((it != ids.end() && it->second == 1), "response " << r.id << " is not stored once");
    }
    CHECK(integrity(f.server_db) == "ok");
    CHECK(integrity(kiosk) == "ok");
}

std::string bytes_of(const CommandResult& r, const char* what) {
    INFO(what << " said: " << r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
}

// A certificate for `host_name`, signed by the fixture's own test CA (so only the name is wrong).
struct Certificate {
    std::filesystem::path cert;
    std::filesystem::path key;
};
Certificate certificate_for(const ServerFixture& f, const std::string& host_name) {
    const auto key = f.path(host_name + "-key.pem");
    const auto csr = f.path(host_name + ".csr");
    const auto cert = f.path(host_name + ".pem");
    const auto ext = f.path(host_name + ".ext");
    std::ofstream(ext) << "subjectAltName=DNS:" << host_name << "\nextendedKeyUsage=serverAuth\n";
    bytes_of(
        run_command({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", key.string(), "-out", csr.string(), "-subj", "/CN=" + host_name}),
        "openssl req");
    bytes_of(run_command({"openssl", "x509", "-req", "-in", csr.string(), "-CA", f.pki.ca_cert.string(),
                          "-CAkey", f.path("ca-key.pem").string(), "-CAcreateserial", "-out", cert.string(),
                          "-days", "2", "-extfile", ext.string()}),
             "openssl x509");
    return {cert, key};
}

// "sha256//BASE64" of a certificate's public key, as curl's CURLOPT_PINNEDPUBLICKEY wants it.
std::string pin_of(const ServerFixture& f, const std::filesystem::path& cert) {
    const auto pub = f.path("pin-pub.pem");
    const auto der = f.path("pin-pub.der");
    const auto digest = f.path("pin.sha256");
    bytes_of(
        run_command({"openssl", "x509", "-in", cert.string(), "-pubkey", "-noout", "-out", pub.string()}),
        "openssl x509 -pubkey");
    bytes_of(run_command(
                 {"openssl", "pkey", "-pubin", "-in", pub.string(), "-outform", "der", "-out", der.string()}),
             "openssl pkey");
    bytes_of(run_command({"openssl", "dgst", "-sha256", "-binary", "-out", digest.string(), der.string()}),
             "openssl dgst");
    std::string b64 = bytes_of(run_command({"openssl", "base64", "-A", "-in", digest.string()}), "base64");
    while (!b64.empty() && (b64.back() == '\n' || b64.back() == '\r')) {
        b64.pop_back();
    }
    return "sha256//" + b64;
}

// For the proxy's thread: true once the server holds the first batch of 50. No exception may leave it.
std::function<bool()> first_batch_stored(const std::filesystem::path& server_db) {
    return [server_db] {
        try {
            return server_ids(server_db).size() >= 50;
        } catch (...) {
            return false;
        }
    };
}

SyncSettings via_port(SyncSettings settings, int port) {
    settings.server_url = "https://127.0.0.1:" + std::to_string(port);
    return settings;
}

// A pass that must fail with `kind` and leave every response pending.
void expect_failure(SyncClient& client, SyncError::Kind kind, const std::filesystem::path& kiosk,
                    size_t pending, const char* must_mention = "") {
    auto report = client.sync_all();
    REQUIRE_FALSE(report.ok());
    INFO("error: " << report.error().message);
    CHECK(report.error().kind == kind);
    CHECK(report.error().message.find(must_mention) != std::string::npos);
    const SyncCounts counts = kiosk_counts(kiosk);
    CHECK(counts.synced == 0);
    CHECK(counts.pending == static_cast<int64_t>(pending));
}

void deliver_all(const ServerFixture& f, const std::filesystem::path& kiosk,
                 const std::vector<CompletedResponse>& responses, const SyncSettings& settings) {
    SyncClient client = make_client(settings, kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(kiosk_counts(kiosk).synced == static_cast<int64_t>(responses.size()));
    CHECK(kiosk_counts(kiosk).pending == 0);
    check_exactly_once(f, kiosk, responses);
}

} // namespace

//-----------------------------------------------------------------------------
// [SECTION] Network faults: server down, 5xx, cuts, stall
//-----------------------------------------------------------------------------

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: server down at start, then started - the worker delivers all, once") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    REQUIRE(stop_server() == 0);
    const int port = free_loopback_port();

    std::mutex mutex;
    std::condition_variable changed;
    auto on_change = [&] {
        std::lock_guard lock(mutex);
        changed.notify_all();
    };
    // Short back-off so the test is quick; the growth and the cap are checked in the unit tests.
    SyncWorker worker(make_client(via_port(sync_settings(), port), kiosk), 1h, on_change,
                      SyncWorker::AfterPass{}, Backoff{50ms, 400ms});
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, 30s, [&] { return worker.status().failures_in_a_row >= 2; }));
    SyncStatus status = worker.status();
    REQUIRE(status.last_error.has_value());
    CHECK(status.last_error->kind == SyncError::Kind::Network);
    CHECK(status.next_try.has_value());
    CHECK(status.counts.pending == static_cast<int64_t>(kResponses));
    lock.unlock();

    start_server(port);
    lock.lock();
    REQUIRE(changed.wait_for(lock, 60s, [&] {
        const SyncStatus s = worker.status();
        return !s.running && s.counts.synced == static_cast<int64_t>(kResponses);
    }));
    lock.unlock();
    status = worker.status();
    CHECK(status.failures_in_a_row == 0);
    CHECK_FALSE(status.last_error.has_value());
    CHECK(status.last_result == std::to_string(kResponses) + " sent");
    CHECK(status.sent_this_pass == kResponses);
    CHECK(status.counts.pending == 0);
    check_exactly_once(*this, kiosk, responses);
}

TEST_CASE_FIXTURE(ServerFixture, "fault: 500 and 503 replies mark nothing, and the next attempt delivers") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    for (const int status : {500, 503}) {
        CAPTURE(status);
        CannedTlsEndpoint endpoint(
            pki.server_cert, pki.server_key,
            CannedTlsEndpoint::http_reply(status, "application/json",
                                          R"({"error":"cannot store responses now"})"));
        SyncClient client = make_client(via_port(sync_settings(), endpoint.port()), kiosk);
        expect_failure(client, SyncError::Kind::Server, kiosk, kResponses, "cannot store responses now");
        CHECK(endpoint.requests_received() == 1);
    }
    deliver_all(*this, kiosk, responses, sync_settings());
}

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: connection cut mid-request - nothing stored, the next attempt delivers") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    FaultProxy proxy(port());
    proxy.inject(ProxyFault::CutRequest, 1);
    SyncClient client = make_client(via_port(sync_settings(), proxy.port()), kiosk);
    expect_failure(client, SyncError::Kind::Network, kiosk, kResponses);
    CHECK(proxy.faults_done() == 1);
    CHECK(server_count() == 0);

    auto report = client.sync_all(); // same client, same proxy, now relaying
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == kResponses);
    check_exactly_once(*this, kiosk, responses);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: connection cut mid-response - the lost acknowledgement heals, once") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    FaultProxy proxy(port());
    proxy.inject(ProxyFault::CutResponse, 1, first_batch_stored(server_db));
    SyncClient client = make_client(via_port(sync_settings(), proxy.port()), kiosk);
    expect_failure(client, SyncError::Kind::Network, kiosk, kResponses);
    CHECK(proxy.faults_done() == 1);
    CHECK(server_count() == 50); // the first batch is stored; its acknowledgement never arrived

    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == kResponses); // the first 50 acknowledged again, not stored again
    check_exactly_once(*this, kiosk, responses);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: a stall past the deadline - the client gives up in time, then delivers") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    FaultProxy proxy(port());
    proxy.inject(ProxyFault::Stall, 1, first_batch_stored(server_db));
    SyncSettings settings = via_port(sync_settings(), proxy.port());
    settings.timeout_seconds = 3;
    settings.stall_seconds = 60; // the overall deadline must act on its own
    SyncClient client = make_client(settings, kiosk);
    const auto start = std::chrono::steady_clock::now();
    expect_failure(client, SyncError::Kind::Network, kiosk, kResponses, "timed out");
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 2500ms);
    CHECK(took < 6s); // the deadline plus scheduling slack, far from curl's old 60 s
    CHECK(proxy.faults_done() == 1);

    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    check_exactly_once(*this, kiosk, responses);
}

//-----------------------------------------------------------------------------
// [SECTION] TLS faults: untrusted CA, wrong host name, pinning, captive portal
//-----------------------------------------------------------------------------

TEST_CASE_FIXTURE(ServerFixture, "fault: a certificate from another CA or for another host is refused") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(10, device_id);
    commit_to_kiosk(kiosk, responses);
    Certificate foreign;
    SUBCASE("untrusted CA") {
        std::filesystem::create_directory(path("other-pki"));
        const TestPki other = make_test_pki(path("other-pki"));
        foreign = {other.server_cert, other.server_key};
    }
    SUBCASE("our CA, another host name") {
        foreign = certificate_for(*this, "elders.example");
    }
    CannedTlsEndpoint endpoint(
        foreign.cert, foreign.key,
        CannedTlsEndpoint::http_reply(200, "application/json", R"({"accepted":[],"rejected":[]})"));
    SyncClient client = make_client(via_port(sync_settings(), endpoint.port()), kiosk);
    expect_failure(client, SyncError::Kind::Tls, kiosk, 10);
    CHECK(endpoint.requests_received() == 0); // no byte of the batch was sent
    deliver_all(*this, kiosk, responses, sync_settings());
}

TEST_CASE_FIXTURE(ServerFixture, "fault: a pinned public key must match, even when the CA vouches") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(10, device_id);
    commit_to_kiosk(kiosk, responses);
    SyncSettings settings = sync_settings();
    const Certificate other = certificate_for(*this, "127.0.0.1-other"); // same CA, another key
    settings.pinned_public_key = pin_of(*this, other.cert);
    {
        SyncClient client = make_client(settings, kiosk);
        expect_failure(client, SyncError::Kind::Tls, kiosk, 10);
    }
    CHECK(server_count() == 0);
    settings.pinned_public_key = pin_of(*this, pki.server_cert);
    deliver_all(*this, kiosk, responses, settings);
}

TEST_CASE_FIXTURE(ServerFixture, "fault: a captive portal's 200 page is not an acknowledgement") {
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(kResponses, device_id);
    commit_to_kiosk(kiosk, responses);
    SUBCASE("an HTML login page") {
        CannedTlsEndpoint portal(
            pki.server_cert, pki.server_key,
            CannedTlsEndpoint::http_reply(200, "text/html; charset=utf-8",
                                          "<html><body>Welkom bij Gratis WiFi. Log in.</body></html>"));
        SyncClient client = make_client(via_port(sync_settings(), portal.port()), kiosk);
        expect_failure(client, SyncError::Kind::Protocol, kiosk, kResponses, "not from a Buurtstem server");
    }
    SUBCASE("JSON that acknowledges ids that were never sent") {
        CannedTlsEndpoint portal(
            pki.server_cert, pki.server_key,
            CannedTlsEndpoint::http_reply(200, "application/json",
                                          R"({"accepted":[")" + new_uuid_v4() + R"("],"rejected":[]})"));
        SyncClient client = make_client(via_port(sync_settings(), portal.port()), kiosk);
        expect_failure(client, SyncError::Kind::Protocol, kiosk, kResponses, "acknowledged none");
    }
    SUBCASE("a JSON body that is not a reply") {
        CannedTlsEndpoint portal(
            pki.server_cert, pki.server_key,
            CannedTlsEndpoint::http_reply(200, "application/json", R"({"status":"ok"})"));
        SyncClient client = make_client(via_port(sync_settings(), portal.port()), kiosk);
        expect_failure(client, SyncError::Kind::Protocol, kiosk, kResponses, "unreadable reply");
    }
    deliver_all(*this, kiosk, responses, sync_settings());
}

//-----------------------------------------------------------------------------
// [SECTION] Data faults: unknown consultation, id spelling, control and bidi characters
//-----------------------------------------------------------------------------

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: responses to an unknown consultation stay pending, the rest goes on") {
    const auto kiosk = path("kiosk.db");
    auto responses = demo_responses(kResponses, device_id);
    std::vector<CompletedResponse> deliverable;
    std::set<std::string> held_ids;
    for (size_t i = 0; i < responses.size(); ++i) {
        if (i % 40 == 7) { // early in the queue, in every batch
            responses[i].consultation_id = "speeltuin-zuid";
            held_ids.insert(responses[i].id);
        } else {
            deliverable.push_back(responses[i]);
        }
    }
    commit_to_kiosk(kiosk, responses);

    SyncClient client = make_client(sync_settings(), kiosk);
    for (int pass = 0; pass < 2; ++pass) { // a second pass sends them again and stores nothing twice
        CAPTURE(pass);
        auto report = client.sync_all();
        REQUIRE_MESSAGE(report.ok(), report.error().message);
        CHECK(report->held == held_ids.size());
        CHECK(report->rejected == 0);
        const SyncCounts counts = kiosk_counts(kiosk);
        CHECK(counts.pending == static_cast<int64_t>(held_ids.size()));
        CHECK(counts.synced == static_cast<int64_t>(deliverable.size()));
        CHECK(counts.rejected == 0);
    }
    check_exactly_once(*this, kiosk, deliverable);

    auto outbox = Outbox::open(kiosk);
    REQUIRE(outbox.ok());
    auto port_counts = outbox->outbox_counts();
    REQUIRE(port_counts.ok());
    CHECK(port_counts->held == static_cast<int64_t>(held_ids.size()));
    auto aside = outbox->set_aside();
    REQUIRE(aside.ok());
    REQUIRE(aside->size() == held_ids.size());
    for (const SetAsideResponse& r : *aside) {
        CHECK(held_ids.contains(r.id));
        CHECK_FALSE(r.rejected);
        CHECK(r.reason.find("'speeltuin-zuid' version 1 is not known") != std::string::npos);
    }
}

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: an id in upper case is set aside with the reason, never stored twice") {
    const auto kiosk = path("kiosk.db");
    auto responses = demo_responses(10, device_id);
    // A hand-edited kiosk file: the same response under its upper-case spelling as well.
    CompletedResponse shouted = responses[3];
    for (char& c : shouted.id) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    std::vector<CompletedResponse> all = responses;
    all.push_back(shouted);
    commit_to_kiosk(kiosk, all);

    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == 10);
    CHECK(report->rejected == 1);
    check_exactly_once(*this, kiosk, responses);

    auto outbox = Outbox::open(kiosk);
    REQUIRE(outbox.ok());
    auto aside = outbox->set_aside();
    REQUIRE(aside.ok());
    REQUIRE(aside->size() == 1);
    CHECK(aside->front().id == shouted.id);
    CHECK(aside->front().rejected);
    CHECK(aside->front().reason.find("].id: must be a UUID in lower case") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "fault: control and bidi characters are refused per response with the JSON path") {
    const auto kiosk = path("kiosk.db");
    auto responses = demo_responses(12, device_id);
    const std::map<size_t, std::pair<std::string, std::string>> spoiled = {
        {0, {"Goed idee\u202Eeedi deoG", "contains U+202E (right-to-left override)"}},
        {2, {"kleur \x1b[31mrood", "contains control character U+001B"}},
        {4, {std::string("nul\0byte", 8), "contains NUL (U+0000)"}},
        {6, {"twee\nregels", "contains a line break (U+000A)"}},
        {8, {"isolaat \u2067x\u2069", "contains U+2067 (right-to-left isolate)"}},
    };
    std::vector<CompletedResponse> clean;
    for (size_t i = 0; i < responses.size(); ++i) {
        const auto it = spoiled.find(i);
        if (it == spoiled.end()) {
            clean.push_back(responses[i]);
            continue;
        }
        REQUIRE(responses[i].answers.back().question_id == "ideeen"); // even i answer the free text
        responses[i].answers.back().value = it->second.first;
    }
    commit_to_kiosk(kiosk, responses);

    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == clean.size());
    CHECK(report->rejected == spoiled.size());
    check_exactly_once(*this, kiosk, clean);

    auto outbox = Outbox::open(kiosk);
    REQUIRE(outbox.ok());
    auto aside = outbox->set_aside();
    REQUIRE(aside.ok());
    REQUIRE(aside->size() == spoiled.size());
    size_t k = 0;
    for (const auto& [index, spoil] : spoiled) {
        const SetAsideResponse& r = (*aside)[k++];
        CAPTURE(r.reason);
        CHECK(r.id == responses[index].id);
        CHECK(r.rejected);
        CHECK(r.reason.rfind("responses[" + std::to_string(index) + "].answers[", 0) == 0);
        CHECK(r.reason.find("].value: " + spoil.second) != std::string::npos);
    }
    // Set aside means kept: nothing is sent again, nothing is deleted.
    auto again = client.sync_all();
    REQUIRE(again.ok());
    CHECK(again->batches == 0);
    CHECK(kiosk_counts(kiosk).rejected == static_cast<int64_t>(spoiled.size()));
}
