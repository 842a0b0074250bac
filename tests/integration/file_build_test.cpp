// A reply built whole before it is sent (HttpReply::build_file, the dashboard's XLSX download) must not
// hold a server worker: the real HttpsServer in-process with ONE worker thread, a route whose file is
// built only when the test says so, and curl as the clients. With the build waiting, a second request is
// served; one build more than allowed hears 503 with Retry-After; then the file arrives whole, with its
// length; a build that fails is a 500, and the worker is still free.
#include <doctest/doctest.h>

#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/server/https_server.hpp"
#include "buurtstem/server/server_store.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

// The builder threads wait on this until the test opens it.
struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    bool open = false;

    void arrive_and_wait() {
        std::unique_lock lock(mutex);
        ++started;
        changed.notify_all();
        changed.wait_for(lock, 60s, [&] { return open; });
    }
    bool wait_started(int n) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 30s, [&] { return started >= n; });
    }
    void release() {
        std::lock_guard lock(mutex);
        open = true;
        changed.notify_all();
    }
};

// Process runs its program with execve: the full path of curl, from PATH.
std::string curl_path() {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    for (size_t at = 0; at <= dirs.size();) {
        size_t end = dirs.find(':', at);
        if (end == std::string::npos) {
            end = dirs.size();
        }
        const std::filesystem::path candidate = std::filesystem::path(dirs.substr(at, end - at)) / "curl";
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        at = end + 1;
    }
    return "/usr/bin/curl";
}

} // namespace

TEST_CASE("a file built for a reply holds no server worker, one build too many hears 503") {
    TempDir dir;
    const TestPki pki = make_test_pki(dir.path());
    auto store = open_server_store((dir / "server.sqlite").string());
    REQUIRE(store.ok());
    const ConsultationCatalog catalog;
    HttpsServerSettings settings;
    settings.cert_file = pki.server_cert.string();
    settings.key_file = pki.server_key.string();
    settings.port = 0;
    settings.worker_threads = 1; // the old way (a pipe MHD reads while the file is built) stalls it
    settings.max_file_builds = 1;
    auto server = HttpsServer::create(settings, **store, catalog);
    REQUIRE_MESSAGE(server.ok(), (server.ok() ? "" : server.error()));

    Gate gate;
    const std::string content(3 * 1024 * 1024 + 17, 'x');
    RouteTable table;
    table.add({"GET", "/built", RouteFlags_None, 0, [&](const HttpRequest&) {
                   HttpReply reply;
                   reply.content_type = "application/octet-stream";
                   reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"built.bin\"");
                   reply.build_file = [&](const std::string& path) -> std::string {
                       gate.arrive_and_wait();
                       std::ofstream(path, std::ios::binary) << content;
                       return "";
                   };
                   return reply;
               }});
    table.add({"GET", "/broken", RouteFlags_None, 0, [](const HttpRequest&) {
                   HttpReply reply;
                   reply.build_file = [](const std::string&) -> std::string { return "the disk is full"; };
                   return reply;
               }});
    (*server)->add_routes(table);
    std::vector<std::string> log;
    std::mutex log_mutex;
    (*server)->set_log([&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        log.push_back(line);
    });
    std::thread serving([&] { (*server)->serve(); });
    // Stops the server however the test ends (a builder still at the gate is let go first).
    struct Stop {
        Gate& gate;
        HttpsServer& server;
        std::thread& serving;
        ~Stop() {
            gate.release();
            server.stop();
            serving.join();
        }
    } stop{gate, **server, serving};
    const auto log_text = [&] {
        std::lock_guard lock(log_mutex);
        std::string text;
        for (const std::string& line : log) {
            text += line + "\n";
        }
        return text;
    };
    const std::string url = "https://127.0.0.1:" + std::to_string((*server)->port());
    const auto curl = [&](const std::string& path) {
        return run_command({"curl", "--silent", "--show-error", "--max-time", "20", "--cacert",
                            pki.ca_cert.string(), "--dump-header", "-", "--output", "/dev/null",
                            "--write-out", "status=%{http_code} bytes=%{size_download}", url + path});
    };

    const auto body = dir / "built.bin";
    Process download({curl_path(), "--silent", "--show-error", "--max-time", "60", "--cacert",
                      pki.ca_cert.string(), "--dump-header", (dir / "built.headers").string(), "--output",
                      body.string(), "--write-out", "status=%{http_code}\n", url + "/built"});
    INFO("server log: " << log_text());
    REQUIRE_MESSAGE(gate.wait_started(1), "curl: " << download.output());

    // The file is being built (and cannot be done: the gate is shut). The only worker serves others.
    const CommandResult health = curl("/api/v1/health");
    CHECK(health.output.find("status=200") != std::string::npos);
    const CommandResult second = curl("/built");
    CHECK(second.output.find("status=503") != std::string::npos);
    CHECK(second.output.find("Retry-After: 30") != std::string::npos);
    CHECK_FALSE(download.wait(0ms).has_value()); // still waiting for its file

    gate.release();
    REQUIRE(download.wait(30s) == std::optional<int>(0));
    CHECK(download.output().find("status=200") != std::string::npos);
    const std::string headers = read_file(dir / "built.headers");
    CHECK(headers.find("Content-Length: " + std::to_string(content.size())) != std::string::npos);
    CHECK(headers.find("attachment; filename=\"built.bin\"") != std::string::npos);
    CHECK(read_file(body) == content);

    const CommandResult broken = curl("/broken");
    CHECK(broken.output.find("status=500") != std::string::npos);
    CHECK(curl("/api/v1/health").output.find("status=200") != std::string::npos);
    CHECK(log_text().find("the disk is full") != std::string::npos);
}
