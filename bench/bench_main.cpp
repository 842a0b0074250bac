// buurtstem_bench: how fast the storage and sync paths are on this machine.
//
//   build/bench/buurtstem_bench [--quick] [--no-kiosk] [responses]     (default 2000)
//   (the kiosk window's figures are in kiosk_figures.cpp; --quick shortens their idle span to 5 s)
//
// Figures, and the targets they are held to (a kiosk event takes maybe 300 responses a day; a council's
// server takes the uploads of a dozen kiosks):
//   kiosk commit (synchronous=FULL, one fsync each)   target: < 50 ms per response, so no tap ever waits
//   outbox batch of 50 + mark synced                  target: > 2,000 responses/s
//   protocol encode + decode, batch of 50             target: > 20,000 responses/s
//   server ingest, batches of 50                      target: > 1,000 responses/s
//   CSV export                                        target: > 20,000 rows/s
//   peak resident memory                              target: < 64 MiB for the whole run
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/csv_export.hpp"
#include "buurtstem/server/ingest.hpp"
#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "kiosk_figures.hpp"

using namespace buurtstem;
using Clock = std::chrono::steady_clock;

namespace {

CompletedResponse make_response(size_t i) {
    static const char* choices[] = {"ja-goed", "een-paar", "nee"};
    const std::string now = now_iso8601_utc();
    return {new_uuid_v4(),
            "minimaregelingen-ijmond",
            1,
            "kiosk-bench",
            i % 3 == 0 ? "en" : "nl",
            now,
            now,
            {{"kent-regelingen", choices[i % 3]},
             {"gebruikt", "nee"},
             {"aanvragen-makkelijk", std::to_string(1 + i % 5)},
             {"wat-houdt-tegen", "formulier-moeilijk"},
             {"hoe-informeren", "buurthuis"},
             {"informatie-oordeel", std::to_string(1 + (i + 2) % 5)},
             {"ideeen", "Meer uitleg in het buurthuis, en een formulier dat ik kan lezen. Nummer " +
                            std::to_string(i)}}};
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void report(const char* what, size_t count, double seconds, const char* unit) {
    std::printf("%-44s %8zu %-10s %9.3f s  %12.0f %s/s  %9.3f ms each\n", what, count, unit, seconds,
                static_cast<double>(count) / seconds, unit, seconds * 1000.0 / static_cast<double>(count));
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "buurtstem_bench: %s\n", message.c_str());
    std::exit(1);
}

} // namespace

int main(int argc, char** argv) {
    const auto kiosk_figures = bench::take_kiosk_figure_options(argc, argv);
    const size_t n = argc > 1 ? static_cast<size_t>(std::stoul(argv[1])) : 2000;
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("buurtstem-bench-" + new_uuid_v4());
    std::filesystem::create_directories(dir);

    std::vector<CompletedResponse> responses;
    for (size_t i = 0; i < n; ++i) {
        responses.push_back(make_response(i));
    }

    // Kiosk: one transaction per finished resident, as in the kiosk.
    {
        auto store = ResponseStore::open(dir / "kiosk.sqlite");
        if (!store) {
            die(store.error().to_string());
        }
        const auto start = Clock::now();
        for (const CompletedResponse& r : responses) {
            if (!store->commit(r)) {
                die("commit failed");
            }
        }
        report("kiosk commit (FULL sync, 7 answers)", n, seconds_since(start), "responses");
    }
    {
        auto outbox = Outbox::open(dir / "kiosk.sqlite");
        if (!outbox) {
            die(outbox.error().to_string());
        }
        const auto start = Clock::now();
        size_t done = 0;
        for (;;) {
            auto batch = outbox->next_batch(50);
            if (!batch || batch->empty()) {
                break;
            }
            std::vector<std::string> ids;
            for (const auto& r : *batch) {
                ids.push_back(r.id);
            }
            if (!outbox->mark_synced(ids)) {
                die("mark_synced failed");
            }
            done += ids.size();
        }
        report("outbox next_batch(50) + mark_synced", done, seconds_since(start), "responses");
    }

    // Protocol: what crosses the network.
    std::vector<protocol::UploadBatch> batches;
    for (size_t i = 0; i < n; i += 50) {
        protocol::UploadBatch batch{"kiosk-bench", {}};
        for (size_t j = i; j < std::min(n, i + 50); ++j) {
            batch.responses.push_back(responses[j]);
        }
        batches.push_back(std::move(batch));
    }
    {
        const auto start = Clock::now();
        size_t bytes = 0;
        for (const auto& batch : batches) {
            const std::string body = protocol::encode_batch(batch);
            bytes += body.size();
            if (!protocol::decode_batch(body)) {
                die("decode failed");
            }
        }
        report("protocol encode + decode (batches of 50)", n, seconds_since(start), "responses");
        std::printf("%-44s %8zu\n", "upload size (bytes per response)", bytes / n);
    }

    // Server: ingest with answer checks against the demo consultation, then export.
    auto consultations =
        load_consultation_folder(std::filesystem::path(BUURTSTEM_SOURCE_DIR) / "config/consultations");
    if (!consultations) {
        die(consultations.error().to_string());
    }
    const ConsultationCatalog catalog(std::move(consultations).value());
    auto server = open_sqlite_server_store((dir / "server.sqlite").string());
    if (!server) {
        die(server.error().to_string());
    }
    if (auto token = (*server)->add_device("kiosk-bench"); !token) {
        die(token.error().to_string());
    }
    {
        const auto start = Clock::now();
        size_t accepted = 0;
        for (const auto& batch : batches) {
            auto reply = ingest_batch(**server, catalog, "kiosk-bench", batch);
            if (!reply) {
                die(reply.error().to_string());
            }
            accepted += reply->accepted.size();
        }
        report("server ingest (batches of 50, checked)", accepted, seconds_since(start), "responses");
    }
    {
        const auto start = Clock::now();
        auto csv = export_csv(**server, catalog, "minimaregelingen-ijmond", CsvOptions{});
        if (!csv) {
            die(csv.error().to_string());
        }
        report("CSV export", n, seconds_since(start), "rows");
    }

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%-44s %8.1f MiB\n", "peak resident memory", static_cast<double>(usage.ru_maxrss) / 1024.0);
    std::filesystem::remove_all(dir);
    return bench::print_kiosk_figures(kiosk_figures) ? 0 : 1;
}
