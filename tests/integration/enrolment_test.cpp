// Enrolment, revocation and signed consultations end to end: the real buurtstem-server binary on
// loopback HTTPS with the test CA, its real CLI (enrol-code, revoke, keygen, sign), and the kiosk's
// sync library (enrol_kiosk, SyncClient, SyncWorker, pull_consultations) on real files.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/store/bundle_export.hpp"
#include "buurtstem/sync/consultation_pull.hpp"
#include "buurtstem/sync/enrolment_client.hpp"
#include "buurtstem/sync/sync_worker.hpp"
#include "server_fixture.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using namespace buurtstem::test;

namespace {

const fs::path kDemoFile = demo_consultations_folder() / "minimaregelingen.toml";

// Runs `buurtstem-server enrol-code` and returns the code it printed on stdout's first line.
std::string make_code(const ServerFixture& f, const std::string& device, const std::string& extra = "") {
    std::vector<std::string> argv{server_binary().string(), "enrol-code", "--db",
                                  f.server_db.string(),     "--device",   device};
    if (!extra.empty()) {
        argv.insert(argv.end(), {"--qr", extra});
    }
    const CommandResult r = run_command(argv);
    INFO("enrol-code said: " << r.output);
    REQUIRE(r.exit_code == 0);
    const std::string code = r.output.substr(0, r.output.find('\n'));
    REQUIRE(code.size() == 12);
    return code;
}

EnrolSettings enrol_settings(const ServerFixture& f, const std::string& device, const std::string& code) {
    EnrolSettings s;
    s.server_url = f.url();
    s.ca_file = f.pki.ca_cert.string();
    s.device_id = device;
    s.code = code;
    s.token_file = f.path(device + ".token");
    return s;
}

std::string first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// The council's side: a key pair, and bundles signed with it in the folder the server serves.
struct Council {
    fs::path secret;
    fs::path public_file;
    std::string public_key;
    fs::path bundles;

    explicit Council(ServerFixture& f)
        : secret(f.path("council.sk")), public_file(f.path("council.pub")), bundles(f.path("bundles")) {
        fs::create_directories(bundles);
        const CommandResult r = run_command({server_binary().string(), "keygen", "--secret-key",
                                             secret.string(), "--public-key", public_file.string()});
        INFO("keygen said: " << r.output);
        REQUIRE(r.exit_code == 0);
        public_key = first_line(public_file);
        CHECK(r.output.find("council_public_key = \"" + public_key + "\"") != std::string::npos);
        CHECK((fs::status(secret).permissions() & fs::perms::group_read) == fs::perms::none);
        f.stop_server();
        f.extra_serve_args = {"--bundles", bundles.string()};
        f.start_server();
    }

    void sign(const fs::path& toml) const {
        const CommandResult r = run_command({server_binary().string(), "sign", "--secret-key",
                                             secret.string(), "--out", bundles.string(), toml.string()});
        INFO("sign said: " << r.output);
        REQUIRE(r.exit_code == 0);
    }
};

PullSettings pull_settings(const ServerFixture& f, const Council& council) {
    PullSettings s;
    s.server_url = f.url();
    s.token = f.token;
    s.ca_file = f.pki.ca_cert.string();
    s.council_public_key = council.public_key;
    s.folder = f.path("kiosk-consultations");
    s.connect_timeout_seconds = 5;
    s.timeout_seconds = 30;
    return s;
}

int toml_version(const fs::path& file) {
    const std::string text = read_file(file);
    const auto at = text.find("\nversion = ");
    REQUIRE(at != std::string::npos);
    return std::stoi(text.substr(at + 11));
}

std::vector<int> kiosk_versions(const fs::path& kiosk) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(kiosk.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT consultation_version FROM responses ORDER BY seq", -1, &s,
                               nullptr) == SQLITE_OK);
    std::vector<int> versions;
    while (sqlite3_step(s) == SQLITE_ROW) {
        versions.push_back(sqlite3_column_int(s, 0));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return versions;
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture, "a kiosk enrolled with a one-time code uploads with the token it got" *
                                     doctest::test_suite("server-store")) {
    const std::string device = "kiosk-buurthuis-oost";
    const std::string code = make_code(*this, device, path("code.svg").string());
    CHECK(read_file(path("code.svg")).find("<svg") != std::string::npos);

    auto enrolled = enrol_kiosk(enrol_settings(*this, device, code));
    REQUIRE_MESSAGE(enrolled.ok(), (enrolled.ok() ? "" : enrolled.error().to_string()));
    CHECK(*enrolled == device);
    const fs::path token_file = path(device + ".token");
    const auto perms = fs::status(token_file).permissions();
    CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    const std::string new_token = first_line(token_file);
    CHECK(new_token.size() == 64);
    CHECK(read_file(server_db).find(new_token) == std::string::npos); // only its hash is kept

    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(4, device));
    SyncSettings settings = sync_settings();
    settings.device_id = device;
    settings.token = new_token;
    SyncClient client = make_client(settings, kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().to_string()));
    CHECK(report->accepted == 4);
    CHECK(server_count() == 4);
    CHECK(server_log().find("device '" + device + "' enrolled") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture, "enrolment registers the kiosk's bundle key with the server") {
    const std::string device = "kiosk-buurthuis-west";
    const std::string code = make_code(*this, device, path("code.svg").string());
    auto key = usb_bundle::load_or_create_device_key(path("kiosk.key"));
    REQUIRE(key.ok());
    EnrolSettings settings = enrol_settings(*this, device, code);
    settings.public_key_hex = key->public_key_hex;
    auto enrolled = enrol_kiosk(settings);
    REQUIRE_MESSAGE(enrolled.ok(), (enrolled.ok() ? "" : enrolled.error().to_string()));

    // A bundle signed with that key imports without any device-key step.
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(2, device));
    auto exported = export_pending_bundle({kiosk, path("kiosk.key"), device, path("b.buurtstem")});
    REQUIRE(exported.ok());
    const CommandResult r =
        run_command({server_binary().string(), "import", path("b.buurtstem").string(), "--db",
                     server_db.string(), "--consultations", demo_consultations_folder().string()});
    INFO("import said: " << r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("2 stored now") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture, "an enrolment code works once, and a wrong or reused code is refused alike" *
                                     doctest::test_suite("server-store")) {
    const std::string device = "kiosk-stadhuis";
    const std::string code = make_code(*this, device);
    REQUIRE(enrol_kiosk(enrol_settings(*this, device, code)).ok());
    const std::string token_before = first_line(path(device + ".token"));

    auto again = enrol_kiosk(enrol_settings(*this, device, code));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind == SyncError::Kind::Auth);
    CHECK(again.error().message.find("not accepted") != std::string::npos);
    CHECK(first_line(path(device + ".token")) == token_before); // the working token is kept

    auto wrong = enrol_kiosk(enrol_settings(*this, device, "2345-6789-AB"));
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().message == again.error().message);
    auto garbage = enrol_kiosk(enrol_settings(*this, device, "hello"));
    REQUIRE_FALSE(garbage.ok());
    CHECK(garbage.error().message == again.error().message);

    // A code for another kiosk is not taken by this one (and stays good for its own).
    const std::string other_code = make_code(*this, "kiosk-elders");
    CHECK_FALSE(enrol_kiosk(enrol_settings(*this, device, other_code)).ok());
    CHECK(enrol_kiosk(enrol_settings(*this, "kiosk-elders", other_code)).ok());
}

TEST_CASE_FIXTURE(ServerFixture, "guessing codes from one address is stopped with 429") {
    const std::string code = make_code(*this, "kiosk-guess");
    int refused = 0;
    for (int i = 0; i < 10; ++i) {
        auto guess = enrol_kiosk(
            enrol_settings(*this, "kiosk-guess", "2345-6789-A" + std::string(1, "BCDEFGHJKL"[i])));
        refused += guess.ok() ? 0 : 1;
    }
    CHECK(refused == 10);
    auto blocked = enrol_kiosk(enrol_settings(*this, "kiosk-guess", code));
    REQUIRE_FALSE(blocked.ok());
    CHECK(blocked.error().message.find("too many") != std::string::npos);
}

TEST_CASE_FIXTURE(ServerFixture, "a revoked kiosk is refused as revoked, stops, and keeps every response" *
                                     doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(2, device_id));
    {
        SyncClient client = make_client(sync_settings(), kiosk);
        REQUIRE(client.sync_all().ok());
    }
    commit_to_kiosk(kiosk, demo_responses(3, device_id));

    const CommandResult revoked =
        run_command({server_binary().string(), "revoke", "--db", server_db.string(), "--device", device_id});
    INFO("revoke said: " << revoked.output);
    REQUIRE(revoked.exit_code == 0);

    // At once, with no restart: the running server reads the device row per request.
    const RawReply raw = post_raw(R"({"protocol":1,"device_id":"x","responses":[]})", token);
    CHECK(raw.status == 401);
    CHECK(raw.body.find("revoked") != std::string::npos);

    std::mutex mutex;
    std::condition_variable changed;
    int passes = 0;
    auto on_change = [&] {
        std::lock_guard lock(mutex);
        ++passes;
        changed.notify_all();
    };
    {
        // A one-second interval: a worker that kept retrying would show a new pass well within the wait.
        SyncWorker worker(make_client(sync_settings(), kiosk), std::chrono::seconds(1), on_change);
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(30), [&] {
            const SyncStatus status = worker.status();
            return !status.running && status.last_error.has_value();
        }));
        lock.unlock();
        const SyncStatus status = worker.status();
        CHECK(status.last_error->kind == SyncError::Kind::Revoked);
        CHECK(status.last_error->message.find("switched off by the council") != std::string::npos);
        // The worker ended its loop: a wake() starts no new pass.
        const int seen = passes;
        worker.wake();
        lock.lock();
        CHECK_FALSE(changed.wait_for(lock, std::chrono::milliseconds(1500), [&] { return passes != seen; }));
    }
    const SyncCounts counts = kiosk_counts(kiosk);
    CHECK(counts.synced == 2);
    CHECK(counts.pending == 3);
    CHECK(server_count() == 2); // the server keeps what it had from this device
}

TEST_CASE_FIXTURE(ServerFixture, "a signed consultation is pulled, kept, and not fetched again unchanged") {
    Council council(*this);
    council.sign(kDemoFile);
    const PullSettings settings = pull_settings(*this, council);

    auto first = pull_consultations(settings);
    REQUIRE_MESSAGE(first.ok(), (first.ok() ? "" : first.error().to_string()));
    CHECK(first->updated == std::vector<std::string>{"minimaregelingen-ijmond version 1"});
    CHECK(first->refused.empty());
    const auto file = pulled_consultation_file(settings.folder, "minimaregelingen-ijmond");
    REQUIRE(file.has_value());
    CHECK(read_file(*file) == read_file(kDemoFile));

    auto second = pull_consultations(settings);
    REQUIRE(second.ok());
    CHECK(second->updated.empty());
    CHECK(second->unchanged == 1);

    SUBCASE("no token, no consultations") {
        PullSettings no_token = settings;
        no_token.token = "wrong";
        auto refused = pull_consultations(no_token);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == SyncError::Kind::Auth);
    }
}

TEST_CASE_FIXTURE(ServerFixture, "a tampered bundle is refused and the kiosk keeps the previous version") {
    Council council(*this);
    council.sign(kDemoFile);
    const PullSettings settings = pull_settings(*this, council);
    REQUIRE(pull_consultations(settings).ok());
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(2, device_id)); // answers to version 1

    // The council makes version 2; someone with access to the server changes a question text in it.
    std::string v2 = read_file(kDemoFile);
    v2.replace(v2.find("\nversion = 1"), 12, "\nversion = 2");
    const fs::path v2_file = path("minimaregelingen-v2.toml");
    std::ofstream(v2_file, std::ios::binary) << v2;
    council.sign(v2_file);
    const fs::path served = council.bundles / "minimaregelingen-ijmond.bundle.json";
    nlohmann::json bundle = nlohmann::json::parse(read_file(served));
    std::string toml = bundle["toml"].get<std::string>();
    const auto at = toml.find("nl = \"");
    REQUIRE(at != std::string::npos);
    toml.insert(at + 6, "Stem op partij X! ");
    bundle["toml"] = toml;
    std::ofstream(served, std::ios::binary | std::ios::trunc) << bundle.dump();

    auto pulled = pull_consultations(settings);
    REQUIRE_MESSAGE(pulled.ok(), (pulled.ok() ? "" : pulled.error().to_string()));
    CHECK(pulled->updated.empty());
    REQUIRE(pulled->refused.size() == 1);
    CHECK(pulled->refused[0].find("bad signature") != std::string::npos);
    CHECK(toml_version(settings.folder / "minimaregelingen-ijmond.toml") == 1);
    CHECK(read_file(settings.folder / "minimaregelingen-ijmond.toml") == read_file(kDemoFile));

    // The honest version 2 is taken; the answers given to version 1 still say version 1.
    council.sign(v2_file);
    auto honest = pull_consultations(settings);
    REQUIRE(honest.ok());
    CHECK(honest->updated == std::vector<std::string>{"minimaregelingen-ijmond version 2"});
    CHECK(toml_version(settings.folder / "minimaregelingen-ijmond.toml") == 2);
    CHECK(kiosk_versions(kiosk) == std::vector<int>{1, 1});

    // Going back to version 1 (an old bundle put back) is refused too.
    council.sign(kDemoFile);
    auto older = pull_consultations(settings);
    REQUIRE(older.ok());
    REQUIRE(older->refused.size() == 1);
    CHECK(older->refused[0].find("older") != std::string::npos);
    CHECK(toml_version(settings.folder / "minimaregelingen-ijmond.toml") == 2);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "the enrol route takes no token, so a big body is refused before it is read") {
    const fs::path body = path("big.json");
    std::ofstream(body, std::ios::binary) << "{\"code\":\"" << std::string(200000, 'A') << "\"}";
    const CommandResult r =
        run_command({"curl", "--silent", "--show-error", "--cacert", pki.ca_cert.string(), "--header",
                     "Content-Type: application/json", "--header",
                     // Waiting for "100 Continue" lets the server's early 413 arrive before any body byte:
                     // without it, curl may still be sending when the server closes, and see a reset.
                     "Expect: 100-continue", "--data-binary", "@" + body.string(), "--write-out",
                     "\n%{http_code}", url() + "/api/v1/enrol"});
    INFO("curl said: " << r.output);
    CHECK(r.output.substr(r.output.rfind('\n') + 1) == "413");
    CHECK(server_running());
}

TEST_CASE("a pull from a server that never answers stops as soon as the kiosk is closing") {
    // A socket that listens but never speaks: the TLS handshake would wait for the whole timeout.
    const int sock = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(sock, 4) == 0);
    socklen_t length = sizeof address;
    REQUIRE(getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length) == 0);

    TempDir dir;
    PullSettings settings;
    settings.server_url = "https://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    settings.token = "t";
    settings.council_public_key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    settings.folder = dir / "pulled";
    settings.connect_timeout_seconds = 30; // the handshake alone could wait this long
    settings.timeout_seconds = 60;
    const auto started = std::chrono::steady_clock::now();
    std::atomic<bool> closing{false};
    settings.should_cancel = [&] {
        closing = std::chrono::steady_clock::now() - started > std::chrono::milliseconds(200);
        return closing.load();
    };
    auto pulled = pull_consultations(settings);
    const auto took = std::chrono::steady_clock::now() - started;
    close(sock);
    REQUIRE_FALSE(pulled.ok());
    CHECK(pulled.error().kind == SyncError::Kind::Cancelled);
    CHECK(took < std::chrono::seconds(10));
}
