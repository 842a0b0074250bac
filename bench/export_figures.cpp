// Export figures. Each line: figure NAME: VALUE UNIT; floor VALUE UNIT; ratio R.
//
//   export-csv-100k       seconds for `buurtstem-server export --format csv --out F` of 100 000 stored
//                         responses (8 answers each), the whole program (open, columns, rows, rename)
//                         floor: `sqlite3 -csv` writing the same rows (each response's fields joined with
//                         its answers, in order) to a file, the same database, the same run
//   export-peak-rss       peak resident memory (MiB) of that CSV export at 100 000 responses
//                         floor: the same export's peak at 1 000 responses: a ratio near 1 means memory
//                         does not grow with the rows (streamed); sqlite3's own peak is printed as a note
//   export-xlsx-100k      as export-csv-100k, with --format xlsx (raw sheet + a summary sheet per question)
//   export-xlsx-peak-rss  as export-peak-rss, for xlsx
//   dashboard-*           the dashboard page over the same databases (dashboard_figures.cpp)
//
// Peak memory is the child's VmHWM (kernel's high-water mark of its resident set), read from /proc while
// it runs.
#include "export_figures.hpp"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench_responses.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/server/server_store.hpp"

extern char** environ;

namespace buurtstem::bench {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

using Run = ChildRun;

} // namespace

Run run_child(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) {
        std::fprintf(stderr, "buurtstem_bench: cannot start %s\n", args[0]);
        return {};
    }
    // The child's own peak, VmHWM of /proc/<pid>/status, read until it exits: wait4's ru_maxrss would
    // also count this bench's memory, which a child inherits at fork and keeps through exec. The
    // high-water mark only grows, so the last reading is the peak up to a few milliseconds before exit.
    int status = 0;
    double peak_kib = 0;
    const std::string status_file = "/proc/" + std::to_string(pid) + "/status";
    for (;;) {
        if (std::FILE* f = std::fopen(status_file.c_str(), "r")) {
            char line[256];
            while (std::fgets(line, sizeof line, f) != nullptr) {
                double kib = 0;
                if (std::sscanf(line, "VmHWM: %lf kB", &kib) == 1) {
                    peak_kib = std::max(peak_kib, kib);
                }
            }
            std::fclose(f);
        }
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            break;
        }
        if (done < 0) {
            return {};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    Run r;
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.peak_mib = peak_kib / 1024.0;
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!r.ok) {
        std::fprintf(stderr, "buurtstem_bench: %s failed (status %d)\n", argv[0].c_str(), status);
    }
    return r;
}

namespace {

Run run(const std::vector<std::string>& argv) {
    return run_child(argv);
}

} // namespace

// A server database with `count` stored responses, through the store's own insert.
bool make_export_database(const fs::path& path, size_t count) {
    auto store = open_sqlite_server_store(path.string());
    if (!store || !(*store)->add_device(kDevice)) {
        std::fprintf(stderr, "buurtstem_bench: cannot make %s\n", path.c_str());
        return false;
    }
    const std::string now = now_iso8601_utc();
    std::vector<CompletedResponse> batch;
    for (size_t i = 0; i < count; ++i) {
        batch.push_back(bench_response(i, now));
        if (batch.size() == 5000 || i + 1 == count) {
            if (!(*store)->store_responses(batch, now)) {
                std::fprintf(stderr, "buurtstem_bench: cannot store responses in %s\n", path.c_str());
                return false;
            }
            batch.clear();
        }
    }
    return true;
}

namespace {

bool make_database(const fs::path& path, size_t count) {
    return make_export_database(path, count);
}

Run export_run(const fs::path& db, const std::string& format, const fs::path& out) {
    return run({BUURTSTEM_SERVER_BIN, "export", "--db", db.string(), "--consultation", kConsultation,
                "--consultations", (fs::path(BUURTSTEM_SOURCE_DIR) / "config/consultations").string(),
                "--format", format, "--out", out.string()});
}

Run sqlite_floor(const fs::path& db, const fs::path& out) {
    return run({"sqlite3", "-csv", "-cmd", ".output " + out.string(), db.string(),
                std::string("SELECT r.id, r.device_id, r.consultation_version, r.language, r.started_at,"
                            " r.completed_at, r.received_at, a.question_id, a.value FROM responses r"
                            " JOIN answers a ON a.response_seq = r.seq WHERE r.consultation_id = '") +
                    kConsultation + "' ORDER BY r.seq, a.position"});
}

void figure(const char* name, double value, const char* unit, double floor) {
    std::printf("figure %s: %.4g %s; floor %.4g %s; ratio %.2f\n", name, value, unit, floor, unit,
                value / floor);
    std::fflush(stdout);
}

} // namespace

bool print_export_figures(const fs::path& dir, bool quick) {
    const size_t small = 1000;
    const size_t large = quick ? 4000 : 100000;
    const fs::path small_db = dir / "export-1k.sqlite";
    const fs::path large_db = dir / "export-100k.sqlite";
    if (!make_database(small_db, small) || !make_database(large_db, large)) {
        return false;
    }
    const Run floor = sqlite_floor(large_db, dir / "floor.csv");
    const Run csv_large = export_run(large_db, "csv", dir / "large.csv");
    const Run csv_small = export_run(small_db, "csv", dir / "small.csv");
    const Run xlsx_large = export_run(large_db, "xlsx", dir / "large.xlsx");
    const Run xlsx_small = export_run(small_db, "xlsx", dir / "small.xlsx");
    if (!floor.ok || !csv_large.ok || !csv_small.ok || !xlsx_large.ok || !xlsx_small.ok) {
        return false;
    }
    figure("export-csv-100k", csv_large.seconds, "s", floor.seconds);
    figure("export-peak-rss", csv_large.peak_mib, "MiB", csv_small.peak_mib);
    figure("export-xlsx-100k", xlsx_large.seconds, "s", floor.seconds);
    figure("export-xlsx-peak-rss", xlsx_large.peak_mib, "MiB", xlsx_small.peak_mib);
    std::printf(
        "  exports of %zu responses (peak floor: the same export of %zu); sqlite3 -csv peaked at %.1f MiB;"
        " files: csv %.1f MiB, xlsx %.1f MiB, sqlite3 %.1f MiB\n",
        large, small, floor.peak_mib, static_cast<double>(fs::file_size(dir / "large.csv")) / 1048576.0,
        static_cast<double>(fs::file_size(dir / "large.xlsx")) / 1048576.0,
        static_cast<double>(fs::file_size(dir / "floor.csv")) / 1048576.0);
    std::fflush(stdout);
    return print_dashboard_figures(dir, small_db, large_db, large);
}

} // namespace buurtstem::bench
