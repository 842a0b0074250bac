// The export figures (export_figures.cpp): the real `buurtstem-server export` over 1 000 and 100 000
// stored responses, beside `sqlite3 -csv` of the same rows.
#pragma once

#include <filesystem>

namespace buurtstem::bench {

// Prints export-csv-100k, export-peak-rss, export-xlsx-100k and export-xlsx-peak-rss. `quick`: 1 000 and
// 4 000 responses (the lines' format only). Returns false when a run failed (said on stderr).
bool print_export_figures(const std::filesystem::path& dir, bool quick);

} // namespace buurtstem::bench
