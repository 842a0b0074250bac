// Dashboard figures, over the databases the export figures made (export_figures.cpp). Each line:
// figure NAME: VALUE UNIT; floor VALUE UNIT; ratio R.
//
//   dashboard-100k      milliseconds for the real server (`buurtstem-server serve`, over HTTPS, logged in
//                       as an admin) to answer GET /dashboard/consultation/<id> at 100 000 responses: every
//                       chart, breakdown and the free-text list; curl's time from request sent to the last
//                       byte (time_total - time_pretransfer), median of 5
//                       floor: the plain GROUP BY the page's question charts need, in-process through the
//                       SQLite C API on the same file in the same run:
//                       SELECT question_id, value, count(*) ... GROUP BY question_id, value (median of 5)
//   dashboard-peak-rss  the server's peak resident memory (VmHWM, MiB) after rendering that page at
//                       100 000 responses; floor: the same at 1 000. A ratio near 1: the page's memory does
//                       not grow with the responses (the database counts; no response is held)
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "export_figures.hpp"
#include "test_support.hpp"

namespace buurtstem::bench {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kConsultation = "minimaregelingen-ijmond";
constexpr const char* kPassword = "bench dashboard password";
constexpr int kRounds = 5;

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double vm_hwm_mib(pid_t pid) {
    double kib = 0;
    if (std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr) {
            std::sscanf(line, "VmHWM: %lf kB", &kib);
        }
        std::fclose(f);
    }
    return kib / 1024.0;
}

// The floor: the GROUP BY alone, in this process, milliseconds. -1 on an error.
double group_by_ms(const fs::path& db) {
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(handle);
        return -1;
    }
    std::vector<double> times;
    int64_t groups = 0;
    for (int round = 0; round < kRounds; ++round) {
        const auto start = Clock::now();
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(handle,
                           "SELECT a.question_id, a.value, count(*) FROM responses r JOIN answers a ON "
                           "a.response_seq = r.seq WHERE r.consultation_id = ?1 GROUP BY 1, 2",
                           -1, &s, nullptr);
        sqlite3_bind_text(s, 1, kConsultation, -1, SQLITE_STATIC);
        groups = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            groups += sqlite3_column_int64(s, 2) > 0 ? 1 : 0;
        }
        sqlite3_finalize(s);
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    sqlite3_close_v2(handle);
    return groups > 0 ? median(times) : -1;
}

struct PageRun {
    bool ok = false;
    double ms = 0;       // median server time for the page
    double peak_mib = 0; // the server's VmHWM after the rounds
};

// Starts the real server on `db`, logs in with curl, fetches the page kRounds times.
PageRun page_run(const fs::path& dir, const fs::path& db, const test::TestPki& pki, const std::string& name) {
    const fs::path consultations = fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations";
    const auto added =
        test::run_command({"sh", "-c",
                           "printf '%s\\n' '" + std::string(kPassword) + "' | '" + BUURTSTEM_SERVER_BIN +
                               "' add-staff --db '" + db.string() + "' --user bench --role admin --replace"});
    if (added.exit_code != 0) {
        std::fprintf(stderr, "buurtstem_bench: add-staff failed: %s\n", added.output.c_str());
        return {};
    }
    test::Process server({BUURTSTEM_SERVER_BIN, "serve", "--db", db.string(), "--cert",
                          pki.server_cert.string(), "--key", pki.server_key.string(), "--host", "127.0.0.1",
                          "--port", "0", "--consultations", consultations.string()},
                         {}, dir / (name + "-server.log"));
    const std::string listening = "listening on https://127.0.0.1:";
    const auto line = server.wait_for_line(listening, std::chrono::seconds(30));
    if (!line) {
        std::fprintf(stderr, "buurtstem_bench: the server did not start (%s)\n",
                     (dir / (name + "-server.log")).c_str());
        return {};
    }
    const std::string port = line->substr(line->find(listening) + listening.size());
    const std::string url = "https://127.0.0.1:" + port.substr(0, port.find_first_not_of("0123456789"));
    const std::string jar = (dir / (name + ".jar")).string();
    const auto curl = [&](std::vector<std::string> more) {
        std::vector<std::string> argv{"curl",     "--silent",           "--show-error",
                                      "--cacert", pki.ca_cert.string(), "--cookie",
                                      jar,        "--cookie-jar",       jar};
        argv.insert(argv.end(), more.begin(), more.end());
        return test::run_command(argv);
    };
    const std::string login_page = curl({url + "/"}).output;
    const std::string marker = "name=\"csrf\" value=\"";
    const auto at = login_page.find(marker);
    if (at == std::string::npos) {
        std::fprintf(stderr, "buurtstem_bench: no login form\n");
        return {};
    }
    std::string password = kPassword;
    std::replace(password.begin(), password.end(), ' ', '+');
    curl({"--data-raw",
          "user=bench&password=" + password + "&csrf=" + login_page.substr(at + marker.size(), 64),
          url + "/login"});
    std::vector<double> times;
    for (int round = 0; round < kRounds; ++round) {
        const auto r = curl({"--output", (dir / (name + "-page.html")).string(), "--write-out",
                             "%{http_code} %{time_pretransfer} %{time_total}",
                             url + "/dashboard/consultation/" + kConsultation});
        int status = 0;
        double pretransfer = 0;
        double total = 0;
        if (r.exit_code != 0 ||
            std::sscanf(r.output.c_str(), "%d %lf %lf", &status, &pretransfer, &total) != 3 ||
            status != 200) {
            std::fprintf(stderr, "buurtstem_bench: the dashboard page failed: %s\n", r.output.c_str());
            return {};
        }
        times.push_back((total - pretransfer) * 1000.0);
    }
    PageRun out;
    out.ok = true;
    out.ms = median(times);
    out.peak_mib = vm_hwm_mib(server.pid());
    return out;
}

} // namespace

bool print_dashboard_figures(const fs::path& dir, const fs::path& small_db, const fs::path& large_db,
                             size_t large) {
    const test::TestPki pki = test::make_test_pki(dir);
    const double floor_ms = group_by_ms(large_db);
    const PageRun large_page = page_run(dir, large_db, pki, "dashboard-large");
    const PageRun small_page = page_run(dir, small_db, pki, "dashboard-small");
    if (floor_ms < 0 || !large_page.ok || !small_page.ok) {
        std::fprintf(stderr, "buurtstem_bench: the dashboard figures failed\n");
        return false;
    }
    std::printf("figure dashboard-100k: %.4g ms; floor %.4g ms; ratio %.2f\n", large_page.ms, floor_ms,
                large_page.ms / floor_ms);
    std::printf("figure dashboard-peak-rss: %.4g MiB; floor %.4g MiB; ratio %.2f\n", large_page.peak_mib,
                small_page.peak_mib, large_page.peak_mib / small_page.peak_mib);
    std::printf("  dashboard page of %zu responses (server time, median of %d); at 1 000: %.4g ms\n", large,
                kRounds, small_page.ms);
    std::fflush(stdout);
    return true;
}

} // namespace buurtstem::bench
