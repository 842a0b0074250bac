// buurtstem_fault_kiosk: a kiosk without a window, for the kill -9 tests (tests/integration/kill_test.cpp,
// tests/fault/kill_loop.sh). It does what the kiosk does with its response file, flat out, until it is
// killed:
//
//   buurtstem_fault_kiosk --db FILE --device ID [--commit] [--sync URL --token T --ca FILE] [--batch N]
//                         [--max-seconds S]
//
//   --commit   the "UI thread": commits responses to the demo consultation one after another and prints
//              "committed <id>" after each commit() has returned, and only then. A test that kills this
//              process knows every id it read was promised durable.
//   --sync     the "sync thread", on its own connection as in the kiosk: sync_batch() again and again,
//              printing "synced <n>" after each batch the server answered and the outbox marked.
//
// Output is written with write(2), unbuffered, so a kill loses no line that was printed.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/command_line.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/sync/sync_client.hpp"

using namespace buurtstem;

namespace {

void say(const std::string& line) {
    const std::string text = line + "\n";
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(STDOUT_FILENO, text.data() + done, text.size() - done);
        if (n <= 0) {
            return;
        }
        done += static_cast<size_t>(n);
    }
}

// A response the demo consultation accepts; optional questions answered in some, skipped in others.
CompletedResponse make_response(const std::string& device, size_t i) {
    static const char* const known[] = {"ja-goed", "een-paar", "nee"};
    const std::string now = now_iso8601_utc();
    CompletedResponse r{new_uuid_v4(), "minimaregelingen-ijmond",          1,
                        device,        i % 4 == 3 ? "en" : "nl",           now,
                        now,           {{"kent-regelingen", known[i % 3]}}};
    if (i % 2 == 0) {
        r.answers.push_back({"aanvragen-makkelijk", std::to_string(1 + i % 5)});
        r.answers.push_back({"ideeen", "Antwoord " + std::to_string(i) + " van een bewoner"});
    }
    return r;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"A kiosk without a window for the kill -9 tests: commits and syncs flat out until killed.",
                 "buurtstem_fault_kiosk"};
    use_command_line_conventions(app);
    std::string db;
    std::string device;
    bool commit = false;
    std::string url;
    std::string token;
    std::string ca;
    size_t batch = 50;
    int max_seconds = 60;
    app.add_option("--db", db, "the kiosk's response store (SQLite)")->required()->type_name("FILE");
    app.add_option("--device", device, "the device id of the responses")->required()->type_name("ID");
    app.add_flag("--commit", commit,
                 "commit responses one after another, printing 'committed <id>' after each");
    app.add_option("--sync", url,
                   "sync to this server again and again, printing 'synced <n>' after each batch")
        ->type_name("URL");
    app.add_option("--token", token, "the device token for --sync")->type_name("T");
    app.add_option("--ca", ca, "the CA the server's certificate is checked against")->type_name("FILE");
    app.add_option("--batch", batch, "responses per upload")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    app.add_option("--max-seconds", max_seconds, "stop after this long, killed or not")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    if (const auto done = parse_command_line(app, argc, argv)) {
        return *done;
    }
    if (!commit && url.empty()) {
        std::fprintf(stderr, "buurtstem_fault_kiosk: needs --commit or --sync (see --help)\n");
        return 2;
    }
    const CurlGlobal curl_global;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
    std::atomic<bool> failed{false};

    std::thread syncer;
    if (!url.empty()) {
        auto outbox = Outbox::open(db);
        if (!outbox) {
            std::fprintf(stderr, "buurtstem_fault_kiosk: %s\n", outbox.error().to_string().c_str());
            return 1;
        }
        SyncSettings settings{url, device, token, ca, "", batch, 5, 30};
        syncer = std::thread([&, client = SyncClient(settings, std::move(outbox).value())]() mutable {
            while (std::chrono::steady_clock::now() < deadline) {
                auto report = client.sync_batch();
                if (report && report->batches > 0) {
                    say("synced " + std::to_string(report->accepted));
                } else if (!report) {
                    // Expected while the server is being killed; the next pass tries again.
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                } else {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            }
        });
    }
    if (commit) {
        auto store = ResponseStore::open(db);
        if (!store) {
            std::fprintf(stderr, "buurtstem_fault_kiosk: %s\n", store.error().to_string().c_str());
            failed = true;
        }
        for (size_t i = 0; !failed && std::chrono::steady_clock::now() < deadline; ++i) {
            const CompletedResponse r = make_response(device, i);
            if (auto committed = store->commit(r); !committed) {
                std::fprintf(stderr, "buurtstem_fault_kiosk: commit failed: %s\n",
                             committed.error().to_string().c_str());
                failed = true;
                break;
            }
            say("committed " + r.id);
        }
    }
    if (syncer.joinable()) {
        syncer.join();
    }
    return failed ? 1 : 0;
}
