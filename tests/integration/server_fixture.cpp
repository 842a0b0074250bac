#include "server_fixture.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <fstream>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "pg_cluster.hpp"

namespace buurtstem::test {

namespace {

// curl_global_init before any test (and any sync thread) runs; curl_global_cleanup after the last.
const CurlGlobal curl_global;

constexpr auto kServerStartTimeout = std::chrono::seconds(20);
constexpr const char* kListening = "buurtstem-server: listening on https://127.0.0.1:";

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

std::filesystem::path server_binary() {
    return BUURTSTEM_SERVER_BIN;
}

std::filesystem::path demo_consultations_folder() {
    return std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations";
}

std::vector<CompletedResponse> demo_responses(size_t count, const std::string& device_id) {
    static const char* const known[] = {"ja-goed", "een-paar", "nee"};
    static const char* const used[] = {"ja", "nee", "weet-niet", "zeg-niet"};
    static const char* const ideas[] = {"Meer uitleg in het buurthuis", "Eén formulier voor alles, graag",
                                        "Brief in \"gewone\" taal; niet zo ambtelijk"};
    const std::string now = now_iso8601_utc();
    std::vector<CompletedResponse> out;
    for (size_t i = 0; i < count; ++i) {
        CompletedResponse r;
        r.id = new_uuid_v4();
        r.consultation_id = kDemoConsultation;
        r.consultation_version = kDemoVersion;
        r.device_id = device_id;
        r.language = i % 4 == 3 ? "en" : "nl";
        r.started_at = now;
        r.completed_at = now;
        r.answers.push_back({"kent-regelingen", known[i % 3]});
        if (i % 5 != 4) { // some residents skip the optional questions
            r.answers.push_back({"gebruikt", used[i % 4]});
            r.answers.push_back({"aanvragen-makkelijk", std::to_string(1 + i % 5)});
        }
        if (i % 2 == 0) {
            r.answers.push_back({"ideeen", ideas[i % 3]});
        }
        out.push_back(std::move(r));
    }
    return out;
}

void commit_to_kiosk(const std::filesystem::path& path, const std::vector<CompletedResponse>& responses) {
    auto store = ResponseStore::open(path);
    REQUIRE_MESSAGE(store.ok(), store.error().to_string());
    for (const CompletedResponse& r : responses) {
        auto committed = store->commit(r);
        REQUIRE_MESSAGE(committed.ok(), committed.error().to_string());
    }
}

SyncCounts kiosk_counts(const std::filesystem::path& path) {
    auto store = ResponseStore::open(path);
    REQUIRE_MESSAGE(store.ok(), store.error().to_string());
    auto counts = store->counts();
    REQUIRE_MESSAGE(counts.ok(), counts.error().to_string());
    return *counts;
}

SyncClient make_client(const SyncSettings& settings, const std::filesystem::path& path) {
    auto outbox = Outbox::open(path);
    REQUIRE_MESSAGE(outbox.ok(), outbox.error().to_string());
    return SyncClient(settings, std::move(outbox).value());
}

ServerFixture::ServerFixture() : ServerFixture(std::vector<std::string>{}) {}

ServerFixture::ServerFixture(std::vector<std::string> serve_args)
    : pki(make_test_pki(dir.path())), server_db(test_store_address(dir / "server.db")),
      extra_serve_args(std::move(serve_args)) {
    // add-device runs before serve; both open the same SQLite file, which WAL mode allows anyway.
    const CommandResult added = run_command(
        {server_binary().string(), "add-device", "--db", server_db.string(), "--device", device_id});
    INFO("add-device said: " << added.output);
    REQUIRE(added.exit_code == 0);
    token = trim(added.output);
    REQUIRE(token.size() >= 32);
    REQUIRE(token.find_first_of(" \n") == std::string::npos);
    start_server();
}

ServerFixture::~ServerFixture() {
    stop_server();
}

void ServerFixture::start_server(int port) {
    REQUIRE(server_ == nullptr);
    ++starts_;
    std::vector<std::string> argv{server_binary().string(),
                                  "serve",
                                  "--db",
                                  server_db.string(),
                                  "--cert",
                                  pki.server_cert.string(),
                                  "--key",
                                  pki.server_key.string(),
                                  "--host",
                                  "127.0.0.1",
                                  "--port",
                                  std::to_string(port),
                                  "--consultations",
                                  consultations_folder.string()};
    argv.insert(argv.end(), extra_serve_args.begin(), extra_serve_args.end());
    server_ = std::make_unique<Process>(argv, std::map<std::string, std::string>{},
                                        path("server-" + std::to_string(starts_) + ".log"));
    const auto line = server_->wait_for_line(kListening, kServerStartTimeout);
    INFO("server stderr: " << server_log());
    REQUIRE_MESSAGE(line.has_value(), "buurtstem-server did not report that it listens");
    const std::string after = line->substr(line->find(kListening) + std::string(kListening).size());
    port_ = std::stoi(after);
    REQUIRE(port_ > 0);
    REQUIRE(port_ < 65536);
}

std::optional<int> ServerFixture::stop_server() {
    if (server_ == nullptr) {
        return std::nullopt;
    }
    const auto status = server_->terminate();
    server_.reset();
    return status;
}

void ServerFixture::kill_server() {
    REQUIRE(server_ != nullptr);
    kill(server_->pid(), SIGKILL);
    REQUIRE(server_->wait(std::chrono::seconds(10)).has_value());
    server_.reset();
}

std::string ServerFixture::url() const {
    return "https://127.0.0.1:" + std::to_string(port_);
}

SyncSettings ServerFixture::sync_settings() const {
    SyncSettings settings;
    settings.server_url = url();
    settings.device_id = device_id;
    settings.token = token;
    settings.ca_file = pki.ca_cert.string();
    settings.batch_size = 50;
    settings.connect_timeout_seconds = 5;
    settings.timeout_seconds = 30;
    return settings;
}

int64_t ServerFixture::server_count() const {
    const CommandResult r = run_command(
        {server_binary().string(), "count", "--db", server_db.string(), "--consultation", kDemoConsultation});
    INFO("count said: " << r.output);
    REQUIRE(r.exit_code == 0);
    return std::stoll(r.output);
}

std::string ServerFixture::server_log() const {
    return read_file(path("server-" + std::to_string(starts_) + ".log"));
}

RawReply ServerFixture::post_raw(const std::string& body, const std::string& auth_token) const {
    const std::filesystem::path body_file = path("raw-body.json");
    std::ofstream(body_file, std::ios::binary) << body;
    std::vector<std::string> argv = {"curl",
                                     "--silent",
                                     "--show-error",
                                     "--cacert",
                                     pki.ca_cert.string(),
                                     "--header",
                                     "Content-Type: application/json",
                                     "--data-binary",
                                     "@" + body_file.string(),
                                     "--write-out",
                                     "\n%{http_code}",
                                     url() + std::string(protocol::kUploadPath)};
    if (!auth_token.empty()) {
        argv.insert(argv.begin() + 1, {"--header", "Authorization: Bearer " + auth_token});
    }
    const CommandResult r = run_command(argv);
    INFO("curl said: " << r.output);
    REQUIRE(r.exit_code == 0);
    const auto last_newline = r.output.rfind('\n');
    REQUIRE(last_newline != std::string::npos);
    return RawReply{std::stol(r.output.substr(last_newline + 1)), r.output.substr(0, last_newline)};
}

} // namespace buurtstem::test
