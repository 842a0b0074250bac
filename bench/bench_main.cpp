// buurtstem_bench: how fast the storage and sync paths are on this machine, each figure beside its floor.
//
//   build/bench/buurtstem_bench [--quick] [--no-kiosk | --only kiosk] [--help]
//   (the kiosk window's figures are in kiosk_figures.cpp; --quick shortens their idle span to 5 s;
//   --only kiosk prints those three and nothing else, in about a minute and a half)
//
// Every figure is printed on a line of its own, in a format scripts and the README rely on:
//
//   figure NAME: VALUE UNIT; floor VALUE UNIT; ratio R
//
// The floor is the cheapest way to do the same physical work, measured in the same run on the same disk
// and the same server, so a slow machine or a busy neighbour moves both. R is always "times the floor's
// cost" (time over floor time, floor rate over rate, bytes over floor bytes): 1.0 is the floor itself.
//
//   commit              one response committed on the kiosk (ResponseStore::commit), median of many
//                       floor: a bare INSERT of one row of the same size, WAL, synchronous=FULL, its
//                       statement prepared once, in a file beside the kiosk's; the two are interleaved
//   sync-10k            10 000 pending responses sent by the real SyncClient to the real buurtstem-server
//                       over loopback HTTPS, until the outbox is empty (every batch stored, acknowledged
//                       and marked)
//                       floor: plain libcurl POSTs of the same number of batch bodies of the same shape
//                       (other ids), gzipped as the client sends them (compressed before the clock
//                       starts), on one connection to the same server, which stores them: the server's
//                       ingest is in both, so the ratio is what the kiosk's client adds (outbox reads,
//                       encoding, compressing, marks). Three rounds of floor, client, floor, ...: each
//                       client run against the mean of the floor runs around it (load from elsewhere
//                       and the server's database growing weigh on both alike); the median round is the
//                       figure, every round is in the note. Moving the bytes alone (one POST the server
//                       reads and refuses) is printed as a note.
//   ingest-https        responses/s the server stores when batches of 200 arrive back to back on one
//                       keep-alive connection (decode, token, checks against the consultation, store)
//                       floor: the same rows (responses and their answers) inserted by raw batched SQLite
//                       INSERTs, 200 responses a transaction, WAL, synchronous=FULL, no index, no check
//   ingest-https-pg     the same as ingest-https, into PostgreSQL (`serve --db postgresql://...`), in a
//                       throw-away cluster started for the run, durable (fsync, synchronous_commit on)
//                       floor: the same rows COPYed into plain tables of the same database, 200
//                       responses a transaction, no index, no check
//   export-*            the council's exports at 100 000 responses: time and peak memory (export_figures.cpp)
//   bytes-per-response  request body bytes per response as SyncClient put them on the wire in sync-10k
//                       (gzipped once the server said it takes gzip: all batches but the first)
//                       floor: the raw bytes of the response's values (id, consultation, version, device,
//                       language, times, question ids, answers), without any key or punctuation
//
// --quick runs each part on a small sample (for the ctest that checks these lines are printed); its
// figures are not comparable. A full run takes about a minute on the 2-core CI machine.
//
// [SECTION] Options and output
// [SECTION] Data
// [SECTION] commit
// [SECTION] The server
// [SECTION] libcurl
// [SECTION] sync-10k and bytes-per-response
// [SECTION] ingest-https
// [SECTION] ingest-https-pg
// [SECTION] main
#include <curl/curl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bench_responses.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/command_line.hpp"
#include "buurtstem/protocol/gzip.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/ingest.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "buurtstem/sync/sync_client.hpp"
#include "export_figures.hpp"
#include "kiosk_figures.hpp"
#include "pg_cluster.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

//-----------------------------------------------------------------------------------------------------
// [SECTION] Options and output
//-----------------------------------------------------------------------------------------------------

constexpr const char* kDescription =
    "Prints \"figure NAME: VALUE UNIT; floor VALUE UNIT; ratio R\" for commit, sync-10k, ingest-https, "
    "ingest-https-pg, bytes-per-response, the export and the kiosk window figures, each floor measured in "
    "the "
    "same run. Starts buurtstem-server on loopback with a throw-away CA made by openssl, and a throw-away "
    "PostgreSQL cluster.";

struct Sizes {
    size_t commits = 2000;  // interleaved commit / floor pairs; the median of each is printed
    size_t sync = 10000;    // responses in the sync-10k run
    size_t ingest = 10000;  // responses posted for ingest-https
    size_t floor_posts = 3; // plain POSTs of the same bytes; the median is the floor
    size_t sync_rounds = 3; // client runs of sync-10k, each between two floor runs; the median is shown
    size_t batch = protocol::kMaxBatchSize;
};

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "buurtstem_bench: %s\n", message.c_str());
    std::exit(1);
}

void figure(const char* name, double value, const char* unit, double floor, const char* floor_unit,
            double ratio) {
    std::printf("figure %s: %.4g %s; floor %.4g %s; ratio %.2f\n", name, value, unit, floor, floor_unit,
                ratio);
    std::fflush(stdout);
}

void note(const std::string& text) {
    std::printf("  %s\n", text.c_str());
    std::fflush(stdout);
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] Data
//-----------------------------------------------------------------------------------------------------

using bench::kConsultation;
using bench::kDevice;

// A response that fits the demo consultation (the server checks it), with every question answered.
CompletedResponse make_response(size_t i) {
    return bench::bench_response(i, now_iso8601_utc());
}

std::vector<CompletedResponse> make_responses(size_t count) {
    std::vector<CompletedResponse> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        out.push_back(make_response(i));
    }
    return out;
}

// The bytes of the values alone: what no encoding can avoid carrying (before compression).
size_t raw_bytes(const CompletedResponse& r) {
    size_t bytes = r.id.size() + r.consultation_id.size() + std::to_string(r.consultation_version).size() +
                   r.device_id.size() + r.language.size() + r.started_at.size() + r.completed_at.size();
    for (const Answer& a : r.answers) {
        bytes += a.question_id.size() + a.value.size();
    }
    return bytes;
}

std::vector<std::string> encode_batches(const std::vector<CompletedResponse>& responses, size_t batch_size) {
    std::vector<std::string> bodies;
    for (size_t i = 0; i < responses.size(); i += batch_size) {
        protocol::UploadBatch batch{kDevice, {}};
        const size_t end = std::min(responses.size(), i + batch_size);
        batch.responses.assign(responses.begin() + static_cast<std::ptrdiff_t>(i),
                               responses.begin() + static_cast<std::ptrdiff_t>(end));
        bodies.push_back(protocol::encode_batch(batch));
    }
    return bodies;
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] commit
//-----------------------------------------------------------------------------------------------------

// The floor's connection: the raw C API, nothing of Buurtstem's, one statement prepared once.
class FloorTable {
public:
    explicit FloorTable(const fs::path& path) {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
            die("cannot open " + path.string());
        }
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("CREATE TABLE floor (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)");
        if (sqlite3_prepare_v2(db_, "INSERT INTO floor (body) VALUES (?1)", -1, &insert_, nullptr) !=
            SQLITE_OK) {
            die(sqlite3_errmsg(db_));
        }
    }
    ~FloorTable() {
        sqlite3_finalize(insert_);
        sqlite3_close(db_);
    }
    FloorTable(const FloorTable&) = delete;
    FloorTable& operator=(const FloorTable&) = delete;

    // One autocommit INSERT: a transaction of its own, synced to disk before it returns.
    void insert(const std::string& body) {
        sqlite3_reset(insert_);
        sqlite3_bind_blob(insert_, 1, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
        if (sqlite3_step(insert_) != SQLITE_DONE) {
            die(std::string("floor insert: ") + sqlite3_errmsg(db_));
        }
    }

private:
    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            die(std::string(sql) + ": " + sqlite3_errmsg(db_));
        }
    }
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
};

void bench_commit(const fs::path& dir, size_t count) {
    const std::vector<CompletedResponse> responses = make_responses(count);
    auto store = ResponseStore::open(dir / "commit-kiosk.sqlite");
    if (!store) {
        die(store.error().to_string());
    }
    FloorTable floor(dir / "commit-floor.sqlite");
    std::vector<double> commit_us;
    std::vector<double> floor_us;
    // Interleaved, so a burst of load from elsewhere on the machine lands on both sides alike.
    for (const CompletedResponse& r : responses) {
        const std::string body = protocol::encode_batch({kDevice, {r}}); // a row of the same size
        auto start = Clock::now();
        floor.insert(body);
        floor_us.push_back(seconds_since(start) * 1e6);
        start = Clock::now();
        if (auto committed = store->commit(r); !committed) {
            die(committed.error().to_string());
        }
        commit_us.push_back(seconds_since(start) * 1e6);
    }
    const double commit = median(commit_us);
    const double bare = median(floor_us);
    figure("commit", commit, "us", bare, "us", commit / bare);
    note("median of " + std::to_string(count) + " each, interleaved; one response has " +
         std::to_string(responses.front().answers.size()) + " answers");
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] The server
//-----------------------------------------------------------------------------------------------------

struct Server {
    test::TestPki pki;
    std::string token;
    std::string url;
    fs::path db;
    std::unique_ptr<test::Process> process;
};

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The real buurtstem-server binary on a free loopback port, with a CA made by openssl for this run, on
// `db` (an SQLite file in `dir` when empty, or a postgresql:// address).
Server start_server(const fs::path& dir, const std::string& db = "") {
    Server server;
    server.pki = test::make_test_pki(dir);
    server.db = db.empty() ? dir / "server.sqlite" : fs::path(db);
    const test::CommandResult added = test::run_command(
        {BUURTSTEM_SERVER_BIN, "add-device", "--db", server.db.string(), "--device", kDevice});
    if (added.exit_code != 0) {
        die("add-device failed: " + added.output);
    }
    server.token = trim(added.output);
    server.process = std::make_unique<test::Process>(
        std::vector<std::string>{BUURTSTEM_SERVER_BIN, "serve", "--db", server.db.string(), "--cert",
                                 server.pki.server_cert.string(), "--key", server.pki.server_key.string(),
                                 "--host", "127.0.0.1", "--port", "0", "--consultations",
                                 (fs::path(BUURTSTEM_SOURCE_DIR) / "config/consultations").string()},
        std::map<std::string, std::string>{}, dir / "server.log");
    const std::string listening = "listening on https://127.0.0.1:";
    const auto line = server.process->wait_for_line(listening, std::chrono::seconds(20));
    if (!line) {
        die("buurtstem-server did not start: " + test::read_file(dir / "server.log"));
    }
    const int port = std::stoi(line->substr(line->find(listening) + listening.size()));
    server.url = "https://127.0.0.1:" + std::to_string(port);
    return server;
}

int64_t server_count(const Server& server) {
    const test::CommandResult r = test::run_command(
        {BUURTSTEM_SERVER_BIN, "count", "--db", server.db.string(), "--consultation", kConsultation});
    if (r.exit_code != 0) {
        die("count failed: " + r.output);
    }
    return std::stoll(r.output);
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] libcurl
//-----------------------------------------------------------------------------------------------------

size_t keep_reply(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

// A plain POST on `curl` (a fresh handle connects anew; a reused one keeps its connection), verifying the
// server with the run's CA, as the kiosk does. Returns the HTTP status; the reply lands in `reply`.
long post(CURL* curl, const Server& server, const std::string& body, std::string& reply,
          bool gzipped = false) {
    const std::string url = server.url + std::string(protocol::kUploadPath);
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("Authorization: Bearer " + server.token).c_str());
    if (gzipped) {
        headers = curl_slist_append(headers, "Content-Encoding: gzip");
    }
    reply.clear();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_CAINFO, server.pki.ca_cert.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_reply);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    if (rc != CURLE_OK) {
        die(std::string("POST failed: ") + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] sync-10k and bytes-per-response
//-----------------------------------------------------------------------------------------------------

void bench_sync(const fs::path& dir, const Server& server, const Sizes& sizes) {
    const std::vector<CompletedResponse> responses = make_responses(sizes.sync);
    const fs::path kiosk = dir / "sync-kiosk.sqlite";
    {
        auto store = ResponseStore::open(kiosk);
        if (!store) {
            die(store.error().to_string());
        }
        for (const CompletedResponse& r : responses) {
            if (auto committed = store->commit(r); !committed) {
                die(committed.error().to_string());
            }
        }
    }
    // Copies of the full outbox: one to time the kiosk's own share of a sync without the network, and
    // one per further round of the figure, each with fresh response ids (the server must store them
    // anew, not recognise them), made in SQL rather than by 10 000 more fsync'd commits.
    const auto copy_outbox = [&](const std::string& name) {
        for (const char* suffix : {"", "-wal"}) {
            const fs::path from = kiosk.string() + suffix;
            if (fs::exists(from)) {
                fs::copy_file(from, dir / (name + suffix));
            }
        }
        return dir / name;
    };
    copy_outbox("sync-kiosk-copy.sqlite");
    std::vector<fs::path> outboxes = {kiosk};
    for (size_t round = 1; round < sizes.sync_rounds; ++round) {
        const fs::path copy = copy_outbox("sync-kiosk-" + std::to_string(round) + ".sqlite");
        sqlite3* db = nullptr;
        sqlite3_open(copy.c_str(), &db);
        const char* fresh_ids =
            "UPDATE responses SET id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||"
            " substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) ||"
            " substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
        if (sqlite3_exec(db, fresh_ids, nullptr, nullptr, nullptr) != SQLITE_OK) {
            die(std::string("fresh ids: ") + sqlite3_errmsg(db));
        }
        sqlite3_close(db);
        outboxes.push_back(copy);
    }
    // What the client will send: its batches, oldest first, the same bodies byte for byte.
    const std::vector<std::string> bodies = encode_batches(responses, sizes.batch);
    std::string all;
    for (const std::string& body : bodies) {
        all += body;
    }

    // The floor: other responses of the same count and shape, their batch bodies POSTed back to back by
    // plain libcurl on one keep-alive connection to the same server, which stores them. The server's
    // ingest is in both; what the ratio shows is what the kiosk's client adds (outbox reads, encoding,
    // compressing, marking acknowledged ids). The bodies are the bytes the client puts on the wire:
    // gzipped as it does (the server says it takes gzip), compressed here before the clock starts.
    // A bytes-only POST (read and refused) is printed as a note beside it.
    // The floor runs once before the client and once after it, on other responses each time, and is
    // their mean: each run stores 10 000 rows, and a run on the larger database (more index levels,
    // more checkpoints) is slower, which would otherwise count against whichever goes second.
    const auto floor_run = [&] {
        std::vector<std::string> floor_bodies = encode_batches(make_responses(sizes.sync), sizes.batch);
        for (std::string& body : floor_bodies) {
            body = protocol::gzip(body);
        }
        CURL* curl = curl_easy_init();
        std::string reply;
        const auto start = Clock::now();
        for (const std::string& body : floor_bodies) {
            if (const long status = post(curl, server, body, reply, true); status != 200) {
                die("the floor POST should be stored, got HTTP " + std::to_string(status) + ": " + reply);
            }
        }
        const double seconds = seconds_since(start);
        curl_easy_cleanup(curl);
        return seconds;
    };
    const double floor_before = floor_run();
    std::vector<double> bytes_only_s;
    for (size_t i = 0; i < sizes.floor_posts; ++i) {
        CURL* curl = curl_easy_init();
        std::string reply;
        const auto start = Clock::now();
        const long status = post(curl, server, all, reply);
        bytes_only_s.push_back(seconds_since(start));
        curl_easy_cleanup(curl);
        if (status != 400) { // read whole, then refused: nothing stored
            die("the bytes-only POST should be refused as malformed, got HTTP " + std::to_string(status) +
                ": " + reply);
        }
    }

    // Rounds of floor, client, floor, ...: each client run is set against the mean of the floor runs
    // just before and just after it, so a burst of load from elsewhere, or the server's database
    // growing by 10 000 rows a run, weighs on both sides alike. The figure is the median round.
    std::vector<double> floors = {floor_before};
    std::vector<double> clients;
    std::vector<double> ratios;
    std::optional<SyncReport> first_report;
    for (const fs::path& path : outboxes) {
        auto outbox = Outbox::open(path);
        if (!outbox) {
            die(outbox.error().to_string());
        }
        SyncSettings settings;
        settings.server_url = server.url;
        settings.device_id = kDevice;
        settings.token = server.token;
        settings.ca_file = server.pki.ca_cert.string();
        settings.batch_size = sizes.batch;
        SyncClient client(settings, std::move(outbox).value());
        const auto start = Clock::now();
        auto report = client.sync_all();
        clients.push_back(seconds_since(start));
        if (!report) {
            die("sync failed: " + report.error().to_string());
        }
        if (report->accepted != responses.size()) {
            die("sync accepted " + std::to_string(report->accepted) + " of " +
                std::to_string(responses.size()));
        }
        if (!first_report) {
            first_report = *report;
        }
        floors.push_back(floor_run());
        ratios.push_back(clients.back() / ((floors[floors.size() - 2] + floors.back()) / 2));
    }
    const std::optional<SyncReport>& report = first_report;
    const size_t middle = [&] {
        std::vector<size_t> order(ratios.size());
        for (size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ratios[a] < ratios[b]; });
        return order[order.size() / 2];
    }();
    const double sync_s = clients[middle];
    const double floor_s = (floors[middle] + floors[middle + 1]) / 2;
    figure("sync-10k", sync_s, "s", floor_s, "s", ratios[middle]);
    std::string rounds;
    for (size_t i = 0; i < ratios.size(); ++i) {
        char one[80];
        std::snprintf(one, sizeof one, "%s%.3f s / %.3f s = %.2f", i == 0 ? "" : "; ", clients[i],
                      (floors[i] + floors[i + 1]) / 2, ratios[i]);
        rounds += one;
    }
    note(std::to_string(ratios.size()) + " rounds (client / mean of the floors around it): " + rounds);
    note(std::to_string(responses.size()) + " responses in " + std::to_string(report->batches) +
         " batches of up to " + std::to_string(sizes.batch) + "; floor: " + std::to_string(bodies.size()) +
         " plain libcurl POSTs of same-size gzipped batches, stored; moving the " +
         std::to_string(all.size()) +
         " JSON bytes alone (read, refused): " + std::to_string(median(bytes_only_s)) + " s");

    {
        // The kiosk side alone: read a batch, encode it, mark it, as the client does, minus the POST.
        auto copy = Outbox::open(dir / "sync-kiosk-copy.sqlite");
        if (!copy) {
            die(copy.error().to_string());
        }
        const auto local_start = Clock::now();
        for (;;) {
            auto batch = copy->next_batch(sizes.batch);
            if (!batch || batch->empty()) {
                break;
            }
            const std::string body = protocol::encode_batch({kDevice, *batch});
            std::vector<std::string> ids;
            for (const CompletedResponse& r : *batch) {
                ids.push_back(r.id);
            }
            if (!copy->mark_synced(ids)) {
                die("mark_synced failed");
            }
        }
        note("of which the kiosk's own share (outbox reads, encoding, marks; no network): " +
             std::to_string(seconds_since(local_start)) + " s");
    }

    size_t raw = 0;
    for (const CompletedResponse& r : responses) {
        raw += raw_bytes(r);
    }
    const double n = static_cast<double>(responses.size());
    // What the client really put on the wire as request bodies (gzipped once the server said it takes
    // gzip: the first batch goes as JSON, and the second, which is encoded while the first is in flight).
    const double sent = static_cast<double>(report->body_bytes) / n;
    const double floor_bytes = static_cast<double>(raw) / n;
    figure("bytes-per-response", sent, "B", floor_bytes, "B", sent / floor_bytes);
    // The bench's answers repeat far more than residents' own words do, so the gzipped size is a lower
    // bound: UUIDs (16 random bytes each, 36 as text) and free text are what remains.
    size_t packed = 0;
    const auto gzip_start = Clock::now();
    for (const std::string& body : bodies) {
        packed += protocol::gzip(body).size();
    }
    char line[300];
    std::snprintf(line, sizeof line,
                  "request bodies as sent by SyncClient, batches of %zu, %zu answers per response; as JSON "
                  "they are %.1f B per response, all gzipped (level %d) %.1f B, %.0f ms of CPU for all %zu",
                  sizes.batch, responses.front().answers.size(), static_cast<double>(all.size()) / n,
                  protocol::kGzipLevel, static_cast<double>(packed) / n, seconds_since(gzip_start) * 1000.0,
                  responses.size());
    note(line);
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] ingest-https
//-----------------------------------------------------------------------------------------------------

// The floor: the rows the server writes for these responses, inserted the plainest way SQLite allows.
double raw_insert_rate(const fs::path& path, const std::vector<CompletedResponse>& responses, size_t batch) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    const auto exec = [&](const char* sql) {
        if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            die(std::string(sql) + ": " + sqlite3_errmsg(db));
        }
    };
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec(
        "CREATE TABLE responses (id TEXT, consultation_id TEXT, consultation_version INTEGER, device_id TEXT,"
        " language TEXT, started_at TEXT, completed_at TEXT, received_at TEXT)");
    exec("CREATE TABLE answers (response_id TEXT, position INTEGER, question_id TEXT, value TEXT)");
    sqlite3_stmt* response = nullptr;
    sqlite3_stmt* answer = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO responses VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &response,
                       nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO answers VALUES (?1, ?2, ?3, ?4)", -1, &answer, nullptr);
    const auto text = [](sqlite3_stmt* s, int i, const std::string& value) {
        sqlite3_bind_text(s, i, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    };
    const std::string received = now_iso8601_utc();
    const auto start = Clock::now();
    for (size_t i = 0; i < responses.size(); i += batch) {
        exec("BEGIN IMMEDIATE");
        for (size_t j = i; j < std::min(responses.size(), i + batch); ++j) {
            const CompletedResponse& r = responses[j];
            sqlite3_reset(response);
            text(response, 1, r.id);
            text(response, 2, r.consultation_id);
            sqlite3_bind_int(response, 3, r.consultation_version);
            text(response, 4, r.device_id);
            text(response, 5, r.language);
            text(response, 6, r.started_at);
            text(response, 7, r.completed_at);
            text(response, 8, received);
            sqlite3_step(response);
            for (size_t k = 0; k < r.answers.size(); ++k) {
                sqlite3_reset(answer);
                text(answer, 1, r.id);
                sqlite3_bind_int64(answer, 2, static_cast<sqlite3_int64>(k));
                text(answer, 3, r.answers[k].question_id);
                text(answer, 4, r.answers[k].value);
                sqlite3_step(answer);
            }
        }
        exec("COMMIT");
    }
    const double seconds = seconds_since(start);
    sqlite3_finalize(response);
    sqlite3_finalize(answer);
    sqlite3_close(db);
    return static_cast<double>(responses.size()) / seconds;
}

// What bounds ingest over HTTPS (the bench prints the split on the line after the figure). Measured on
// the 2-core CI machine, per response, batches of 200: ~10 us to decode the JSON (nlohmann DOM), ~23 us
// for the server's checks against the consultation, a content fingerprint (BLAKE2b), the id lookup and
// the inserts (the random-UUID index on responses.id stays; answers are keyed on the response's seq
// since schema 2), against ~7 us for the raw insert of the same rows. Over HTTPS the rest was ~180 us:
// the server answered without TCP_NODELAY, so every reply waited for the client's delayed ACK (~40 ms a
// request); with it (t1's transport work) the rest is ~10 us and ingest reaches ~24 000 responses/s.
void bench_ingest(const fs::path& dir, const Server& server, const Sizes& sizes) {
    const std::vector<CompletedResponse> responses = make_responses(sizes.ingest);
    const std::vector<std::string> bodies = encode_batches(responses, sizes.batch);
    const int64_t before = server_count(server);
    CURL* curl = curl_easy_init();
    std::string reply;
    const auto start = Clock::now();
    for (const std::string& body : bodies) {
        if (const long status = post(curl, server, body, reply); status != 200) {
            die("ingest POST got HTTP " + std::to_string(status) + ": " + reply);
        }
    }
    const double seconds = seconds_since(start);
    curl_easy_cleanup(curl);
    if (server_count(server) - before != static_cast<int64_t>(responses.size())) {
        die("the server did not store every ingested response");
    }
    const double rate = static_cast<double>(responses.size()) / seconds;
    const double floor = raw_insert_rate(dir / "ingest-floor.sqlite", responses, sizes.batch);
    figure("ingest-https", rate, "responses/s", floor, "responses/s", floor / rate);
    note(std::to_string(responses.size()) + " responses in batches of " + std::to_string(sizes.batch) +
         " on one connection; floor: the same rows, raw batched INSERTs");
    {
        // The same again with the bodies gzipped, as kiosks now send them: what inflating costs the server.
        std::vector<std::string> gzipped = encode_batches(make_responses(sizes.ingest), sizes.batch);
        for (std::string& body : gzipped) {
            body = protocol::gzip(body);
        }
        CURL* again = curl_easy_init();
        const auto gzip_start = Clock::now();
        for (const std::string& body : gzipped) {
            if (const long status = post(again, server, body, reply, true); status != 200) {
                die("gzipped ingest POST got HTTP " + std::to_string(status) + ": " + reply);
            }
        }
        const double gzip_rate = static_cast<double>(sizes.ingest) / seconds_since(gzip_start);
        curl_easy_cleanup(again);
        char line[160];
        std::snprintf(line, sizeof line, "the same with gzipped bodies: %.0f responses/s (ratio %.2f)",
                      gzip_rate, floor / gzip_rate);
        note(line);
    }

    // Where the time goes: the same bodies through the server's own code in this process, step by step.
    auto consultations = load_consultation_folder(fs::path(BUURTSTEM_SOURCE_DIR) / "config/consultations");
    if (!consultations) {
        die(consultations.error().to_string());
    }
    const ConsultationCatalog catalog(std::move(consultations).value());
    auto store = open_sqlite_server_store((dir / "ingest-in-process.sqlite").string());
    if (!store) {
        die(store.error().to_string());
    }
    if (auto token = (*store)->add_device(kDevice); !token) {
        die(token.error().to_string());
    }
    double decode_s = 0;
    double ingest_s = 0;
    for (const std::string& body : bodies) {
        auto step = Clock::now();
        auto batch = protocol::decode_batch(body);
        decode_s += seconds_since(step);
        if (!batch) {
            die(batch.error().to_string());
        }
        step = Clock::now();
        if (auto stored = ingest_batch(**store, catalog, kDevice, *batch); !stored) {
            die(stored.error().to_string());
        }
        ingest_s += seconds_since(step);
    }
    const double per = 1e6 / static_cast<double>(responses.size());
    const double https_us = seconds * per;
    char line[200];
    std::snprintf(line, sizeof line,
                  "per response: %.1f us over HTTPS = %.1f JSON decode + %.1f checks and store (in process)"
                  " + %.1f the rest (TLS, HTTP, token); raw insert %.1f",
                  https_us, decode_s * per, ingest_s * per, https_us - (decode_s + ingest_s) * per,
                  1e6 / floor);
    note(line);
}

//-----------------------------------------------------------------------------------------------------
// [SECTION] ingest-https-pg
//-----------------------------------------------------------------------------------------------------

// COPY's text format: a backslash, tab, line feed or carriage return in a value is escaped.
void copy_field(std::string& line, const std::string& value, char end) {
    for (const char c : value) {
        switch (c) {
        case '\\':
            line += "\\\\";
            break;
        case '\t':
            line += "\\t";
            break;
        case '\n':
            line += "\\n";
            break;
        case '\r':
            line += "\\r";
            break;
        default:
            line += c;
        }
    }
    line += end;
}

void pg_exec(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        die(sql + ": " + PQerrorMessage(c));
    }
}

void pg_copy(PGconn* c, const std::string& sql, const std::string& rows) {
    PGresult* r = PQexec(c, sql.c_str());
    const bool in = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!in || PQputCopyData(c, rows.data(), static_cast<int>(rows.size())) != 1 ||
        PQputCopyEnd(c, nullptr) != 1) {
        die(sql + ": " + PQerrorMessage(c));
    }
    r = PQgetResult(c);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    while ((r = PQgetResult(c)) != nullptr) {
        PQclear(r);
    }
    if (!ok) {
        die(sql + ": " + PQerrorMessage(c));
    }
}

// The floor: the rows the server writes for these responses, COPYed into plain tables, no index.
double raw_copy_rate(const std::string& uri, const std::vector<CompletedResponse>& responses, size_t batch) {
    PGconn* c = PQconnectdb(uri.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        die(std::string("floor connection: ") + PQerrorMessage(c));
    }
    pg_exec(c, "CREATE TABLE floor_responses (id text, consultation_id text, consultation_version integer,"
               " device_id text, language text, started_at text, completed_at text, received_at text)");
    pg_exec(c,
            "CREATE TABLE floor_answers (response_id text, position integer, question_id text, value text)");
    const std::string received = now_iso8601_utc();
    const auto start = Clock::now();
    for (size_t i = 0; i < responses.size(); i += batch) {
        std::string response_rows;
        std::string answer_rows;
        for (size_t j = i; j < std::min(responses.size(), i + batch); ++j) {
            const CompletedResponse& r = responses[j];
            for (const std::string* field : {&r.id, &r.consultation_id}) {
                copy_field(response_rows, *field, '\t');
            }
            copy_field(response_rows, std::to_string(r.consultation_version), '\t');
            for (const std::string* field : {&r.device_id, &r.language, &r.started_at, &r.completed_at}) {
                copy_field(response_rows, *field, '\t');
            }
            copy_field(response_rows, received, '\n');
            for (size_t k = 0; k < r.answers.size(); ++k) {
                copy_field(answer_rows, r.id, '\t');
                copy_field(answer_rows, std::to_string(k), '\t');
                copy_field(answer_rows, r.answers[k].question_id, '\t');
                copy_field(answer_rows, r.answers[k].value, '\n');
            }
        }
        pg_exec(c, "BEGIN");
        pg_copy(c, "COPY floor_responses FROM STDIN", response_rows);
        pg_copy(c, "COPY floor_answers FROM STDIN", answer_rows);
        pg_exec(c, "COMMIT");
    }
    const double seconds = seconds_since(start);
    PQfinish(c);
    return static_cast<double>(responses.size()) / seconds;
}

void bench_ingest_pg(const fs::path& dir, const Sizes& sizes) {
    test::PgClusterSettings settings;
    settings.durable = true; // as a council would run it: the figures mean nothing with fsync off
    const test::PgCluster cluster = test::PgCluster::start(settings);
    const fs::path server_dir = dir / "pg";
    fs::create_directories(server_dir);
    Server server = start_server(server_dir, cluster.uri("buurtstem"));
    const std::vector<CompletedResponse> responses = make_responses(sizes.ingest);
    const std::vector<std::string> bodies = encode_batches(responses, sizes.batch);
    CURL* curl = curl_easy_init();
    std::string reply;
    const auto start = Clock::now();
    for (const std::string& body : bodies) {
        if (const long status = post(curl, server, body, reply); status != 200) {
            die("ingest POST (PostgreSQL) got HTTP " + std::to_string(status) + ": " + reply);
        }
    }
    const double seconds = seconds_since(start);
    curl_easy_cleanup(curl);
    if (server_count(server) != static_cast<int64_t>(responses.size())) {
        die("the server did not store every ingested response in PostgreSQL");
    }
    server.process->terminate();
    const double rate = static_cast<double>(responses.size()) / seconds;
    const double floor = raw_copy_rate(cluster.uri("buurtstem"), responses, sizes.batch);
    figure("ingest-https-pg", rate, "responses/s", floor, "responses/s", floor / rate);
    note(
        std::to_string(responses.size()) + " responses in batches of " + std::to_string(sizes.batch) +
        " on one connection into PostgreSQL (durable); floor: the same rows COPYed, a transaction per batch");
    cluster.stop();
}

} // namespace

//-----------------------------------------------------------------------------------------------------
// [SECTION] main
//-----------------------------------------------------------------------------------------------------

int main(int argc, char** argv) {
    // The kiosk window's options belong to kiosk_figures.cpp, which takes them out of argv first; they are
    // declared here as well so that --help lists them.
    const auto kiosk_figures = bench::take_kiosk_figure_options(argc, argv);
    CLI::App app{kDescription, "buurtstem_bench"};
    use_command_line_conventions(app);
    app.add_flag("--quick")->description(
        "small samples (the kiosk's idle over 5 s), only to check that every line is printed");
    app.add_flag("--no-kiosk")->description("leave out the kiosk window figures");
    std::string only;
    app.add_option("--only", only, "'--only kiosk': only the kiosk window figures (about a minute)")
        ->type_name("kiosk");
    if (const auto done = parse_command_line(app, argc, argv)) {
        return *done;
    }
    Sizes sizes;
    if (kiosk_figures.quick) {
        sizes = Sizes{100, 400, 400, 1, 1, protocol::kMaxBatchSize};
    }
    // Loopback is reached directly; a proxy from the environment would measure the proxy.
    for (const char* name :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
        unsetenv(name);
    }
    if (kiosk_figures.only) {
        return bench::print_kiosk_figures(kiosk_figures) ? 0 : 1;
    }
    const CurlGlobal curl_global;
    const test::TempDir dir;
    if (sizes.commits < 1000) {
        note("quick mode: small samples; the figures below only show the format");
    }
    bench_commit(dir.path(), sizes.commits);
    Server server = start_server(dir.path());
    bench_sync(dir.path(), server, sizes);
    bench_ingest(dir.path(), server, sizes);
    server.process->terminate();
    bench_ingest_pg(dir.path(), sizes);
    if (!bench::print_export_figures(dir.path(), kiosk_figures.quick)) {
        return 1;
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    note("bench peak resident memory: " + std::to_string(usage.ru_maxrss / 1024) + " MiB");
    return bench::print_kiosk_figures(kiosk_figures) ? 0 : 1;
}
