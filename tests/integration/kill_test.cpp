// kill -9 of the kiosk (during commit and during sync) and of the server (mid-batch), against the real
// server binary over loopback HTTPS. After each: every response a commit promised is on the server
// exactly once, and `PRAGMA integrity_check` is ok on both files.
//
// BUURTSTEM_KILL_ITERATIONS sets how many times the kiosk is killed (default 100; tests/fault/
// kill_loop.sh runs 1 000). BUURTSTEM_KILL_SEED repeats a run; the seed in use is printed on failure.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <csignal>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

constexpr auto kLineTimeout = std::chrono::seconds(20);

unsigned env_number(const char* name, unsigned fallback) {
    const char* text = std::getenv(name);
    return text != nullptr && *text != '\0' ? static_cast<unsigned>(std::stoul(text)) : fallback;
}

// Every value of the first column `sql` returns, read through a connection of its own.
std::vector<std::string> column(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    const int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    INFO(sql << ": " << sqlite3_errmsg(db));
    REQUIRE(prepared == SQLITE_OK);
    std::vector<std::string> out;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        out.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    CHECK(rc == SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

std::string integrity(const std::filesystem::path& file) {
    const auto rows = column(file, "PRAGMA integrity_check");
    std::string joined;
    for (const std::string& row : rows) {
        joined += row;
    }
    return joined;
}

// The windowless kiosk (tests/fault/fault_kiosk.cpp) on `kiosk`, committing and/or syncing flat out.
std::unique_ptr<Process> start_kiosk(const ServerFixture& fx, const std::filesystem::path& kiosk, bool commit,
                                     bool sync) {
    std::vector<std::string> argv = {BUURTSTEM_FAULT_KIOSK_BIN, "--db", kiosk.string(), "--device",
                                     fx.device_id};
    if (commit) {
        argv.push_back("--commit");
    }
    if (sync) {
        argv.insert(argv.end(), {"--sync", fx.url(), "--token", fx.token, "--ca", fx.pki.ca_cert.string()});
    }
    return std::make_unique<Process>(argv);
}

// SIGKILL, then every line it printed before it died.
std::string kill_and_read(Process& process) {
    kill(process.pid(), SIGKILL);
    REQUIRE(process.wait(std::chrono::seconds(10)).has_value());
    process.wait_for_line("\x01 not printed", std::chrono::seconds(5)); // reads to the end of its output
    return process.output();
}

// Drains the kiosk with an in-process client, then checks exactly-once on both sides.
void check_exactly_once(ServerFixture& fx, const std::filesystem::path& kiosk,
                        const std::set<std::string>& promised) {
    SyncClient client = make_client(fx.sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().message));

    const auto kiosk_ids = column(kiosk, "SELECT id FROM responses");
    const std::set<std::string> on_kiosk(kiosk_ids.begin(), kiosk_ids.end());
    size_t lost = 0;
    for (const std::string& id : promised) {
        lost += on_kiosk.contains(id) ? 0 : 1;
    }
    CHECK_MESSAGE(lost == 0, lost << " committed responses are missing from the kiosk file");

    const SyncCounts counts = kiosk_counts(kiosk);
    CHECK(counts.pending == 0);
    CHECK(counts.rejected == 0);
    CHECK(counts.synced == static_cast<int64_t>(on_kiosk.size()));

    const auto server_ids =
        column(fx.server_db, "SELECT id FROM responses WHERE device_id = '" + fx.device_id + "'");
    const std::set<std::string> on_server(server_ids.begin(), server_ids.end());
    const size_t duplicated = server_ids.size() - on_server.size();
    CHECK_MESSAGE(duplicated == 0, duplicated << " responses are stored twice on the server");
    size_t missing = 0;
    for (const std::string& id : on_kiosk) {
        missing += on_server.contains(id) ? 0 : 1;
    }
    CHECK_MESSAGE(missing == 0, missing << " responses of the kiosk never reached the server");
    CHECK(on_server.size() == on_kiosk.size());
    CHECK(fx.server_count() == static_cast<int64_t>(on_kiosk.size()));
    CHECK(integrity(kiosk) == "ok");
    CHECK(integrity(fx.server_db) == "ok");
    MESSAGE("kill test: " << promised.size() << " commits promised, " << on_kiosk.size() << " on the kiosk, "
                          << on_server.size() << " on the server, " << lost + missing << " lost, "
                          << (server_ids.size() - on_server.size()) << " duplicated");
}

std::set<std::string> committed_ids(const std::string& output) {
    std::set<std::string> ids;
    std::istringstream lines(output);
    std::string line;
    const std::string prefix = "committed ";
    while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) == 0) {
            ids.insert(line.substr(prefix.size()));
        }
    }
    return ids;
}

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "kill -9 of the kiosk during commit and sync loses nothing and doubles nothing") {
    const unsigned iterations = env_number("BUURTSTEM_KILL_ITERATIONS", 100);
    const unsigned seed = env_number("BUURTSTEM_KILL_SEED", std::random_device{}());
    INFO("BUURTSTEM_KILL_SEED=" << seed);
    std::mt19937 random(seed);
    const auto kiosk = path("kiosk.db");
    std::set<std::string> promised;
    size_t batches_marked = 0;
    for (unsigned i = 0; i < iterations; ++i) {
        CAPTURE(i);
        // Even rounds: the kiosk commits and syncs, and is killed within 5 ms, mostly inside a commit.
        // Odd rounds: it only syncs what is pending, and is killed up to 120 ms in: inside a POST, or
        // between the server's reply and mark_synced. The delay is where the fault strikes, not a wait
        // for anything.
        const bool committing = i % 2 == 0;
        auto process = start_kiosk(*this, kiosk, committing, true);
        if (committing) {
            const auto commits_first = static_cast<unsigned>(random() % 4);
            for (unsigned k = 0; k < commits_first; ++k) {
                REQUIRE(process->wait_for_line("committed ", kLineTimeout));
            }
        }
        const auto delay_us = committing ? random() % 5000 : random() % 120000;
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
        const std::string output = kill_and_read(*process);
        for (const std::string& id : committed_ids(output)) {
            promised.insert(id);
        }
        for (size_t at = output.find("synced "); at != std::string::npos;
             at = output.find("synced ", at + 1)) {
            ++batches_marked;
        }
        // Cheap on a small file, and it names the iteration that broke it. (A kill before the first
        // open has no file to look at.)
        if (std::filesystem::exists(kiosk)) {
            REQUIRE(integrity(kiosk) == "ok");
        }
    }
    CHECK(promised.size() >= iterations / 4); // the kills did not all land before the first commit
    MESSAGE(iterations << " kills; " << batches_marked << " batches acknowledged and marked before a kill");
    check_exactly_once(*this, kiosk, promised);
}

TEST_CASE_FIXTURE(ServerFixture, "kill -9 of the server mid-batch loses nothing and doubles nothing") {
    const unsigned seed = env_number("BUURTSTEM_KILL_SEED", std::random_device{}());
    INFO("BUURTSTEM_KILL_SEED=" << seed);
    std::mt19937 random(seed);
    const auto kiosk = path("kiosk.db");
    const auto responses = demo_responses(2000, device_id);
    commit_to_kiosk(kiosk, responses);
    std::set<std::string> promised;
    for (const CompletedResponse& r : responses) {
        promised.insert(r.id);
    }
    const unsigned rounds = 12;
    for (unsigned round = 0; round < rounds; ++round) {
        CAPTURE(round);
        auto process = start_kiosk(*this, kiosk, false, true);
        // Batches go back to back, so a kill a little after one was acknowledged strikes the next one
        // while the server reads, checks or stores it.
        const auto batches_first = static_cast<unsigned>(random() % 3);
        for (unsigned k = 0; k < batches_first; ++k) {
            REQUIRE(process->wait_for_line("synced ", kLineTimeout));
        }
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 5000));
        kill_server();
        kill_and_read(*process);
        CHECK(integrity(server_db) == "ok");
        REQUIRE(integrity(kiosk) == "ok");
        start_server();
    }
    check_exactly_once(*this, kiosk, promised);
}
