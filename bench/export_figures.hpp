// The export figures (export_figures.cpp): the real `buurtstem-server export` over 1 000 and 100 000
// stored responses, beside `sqlite3 -csv` of the same rows.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace buurtstem::bench {

// Prints export-csv-100k, export-peak-rss, export-xlsx-100k and export-xlsx-peak-rss. `quick`: 1 000 and
// 4 000 responses (the lines' format only). Returns false when a run failed (said on stderr).
bool print_export_figures(const std::filesystem::path& dir, bool quick);

// What export_figures.cpp shares with dashboard_figures.cpp: the same databases, the same child runs.
struct ChildRun {
    bool ok = false;
    double seconds = 0;
    double peak_mib = 0; // the child's VmHWM
};
// Runs `argv` to the end; its wall time and peak resident memory.
ChildRun run_child(const std::vector<std::string>& argv);
// A server database at `path` with `count` responses to the demo consultation (8 answers each).
bool make_export_database(const std::filesystem::path& path, size_t count);

// Prints dashboard-100k and dashboard-peak-rss over the two databases print_export_figures made
// (dashboard_figures.cpp). Returns false when a run failed (said on stderr).
bool print_dashboard_figures(const std::filesystem::path& dir, const std::filesystem::path& small_db,
                             const std::filesystem::path& large_db, size_t large);

} // namespace buurtstem::bench
