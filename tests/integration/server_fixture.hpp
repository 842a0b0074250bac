// The integration tests' world: a real buurtstem-server process on loopback HTTPS with a throw-away CA,
// one registered kiosk, and helpers to fill a kiosk's response file and to ask the server what it holds.
//
// Readiness is the server's own "listening on" line, never a sleep. The server is stopped (SIGTERM) when
// the fixture dies, so a failing test leaves nothing behind.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/consultation/response.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/sync/sync_client.hpp"
#include "test_support.hpp"

namespace buurtstem::test {

inline constexpr const char* kDemoConsultation = "minimaregelingen-ijmond";
inline constexpr int kDemoVersion = 1;

std::filesystem::path server_binary();
std::filesystem::path demo_consultations_folder();

// `count` responses to the demo consultation that fit it, made by `device_id`: every required question
// answered, choices, smileys and text varied. Fresh UUIDs each call.
std::vector<CompletedResponse> demo_responses(size_t count, const std::string& device_id);

// Commits `responses` to the kiosk response file at `path` (created if needed), one transaction each,
// as the kiosk does when a resident finishes. REQUIREs that every commit succeeds.
void commit_to_kiosk(const std::filesystem::path& path, const std::vector<CompletedResponse>& responses);

// The kiosk file's pending / synced / rejected counts, read through a fresh connection.
SyncCounts kiosk_counts(const std::filesystem::path& path);

// A SyncClient on the kiosk file at `path`; REQUIREs that the outbox opens.
SyncClient make_client(const SyncSettings& settings, const std::filesystem::path& path);

// An HTTP reply read by the curl command-line tool.
struct RawReply {
    long status = 0;
    std::string body;
};

class ServerFixture {
public:
    // Makes the scratch folder and test PKI, registers `device_id`, and starts the server.
    ServerFixture();
    // As above, with more arguments for `serve` (limits, timeouts).
    explicit ServerFixture(std::vector<std::string> serve_args);
    ~ServerFixture();
    ServerFixture(const ServerFixture&) = delete;
    ServerFixture& operator=(const ServerFixture&) = delete;

    // Starts `serve` on the fixture's database and `port` (0: any free port); REQUIREs the listening line.
    void start_server(int port = 0);
    // SIGTERM, then the exit status (nullopt when it did not stop in time).
    std::optional<int> stop_server();
    // SIGKILL, as the kernel's OOM killer or a crash would: no clean shutdown. Returns once it is gone.
    void kill_server();
    bool server_running() const { return server_ != nullptr; }
    // The running server's process id (-1 when stopped).
    pid_t server_pid() const { return server_ ? server_->pid() : -1; }

    int port() const { return port_; }
    std::string url() const;
    // Settings for the registered device against the running server, trusting the test CA.
    SyncSettings sync_settings() const;

    // What `buurtstem-server count` says for the demo consultation; REQUIREs that it runs.
    int64_t server_count() const;
    // Everything the server wrote to stderr so far (its request log, its errors).
    std::string server_log() const;

    // POSTs `body` to the upload path with the curl tool, verifying the server with the test CA.
    // `auth_token` empty: no Authorization header.
    RawReply post_raw(const std::string& body, const std::string& auth_token) const;

    std::filesystem::path path(const std::string& name) const { return dir / name; }

    TempDir dir;
    TestPki pki;
    // What `--db` gets: an SQLite file in `dir`, or under BUURTSTEM_TEST_STORE=postgresql a postgresql://
    // address of a fresh schema in the test cluster (pg_cluster.hpp). Test cases marked
    // `* doctest::test_suite("server-store")` run against both; they never open it as a file.
    std::filesystem::path server_db;
    std::string device_id = "kiosk-bibliotheek-velsen";
    std::string token;
    // Added to `serve` at the next start_server() (say, {"--bundles", dir}).
    std::vector<std::string> extra_serve_args;
    // What `--consultations` gets at the next start_server().
    std::filesystem::path consultations_folder = demo_consultations_folder();

private:
    std::unique_ptr<Process> server_;
    int port_ = 0;
    int starts_ = 0;
};

} // namespace buurtstem::test
