// The CSV export as one string, for tests and small consultations. Everything else streams: export.hpp.
#pragma once

#include <string>

#include "buurtstem/server/export.hpp"

namespace buurtstem {

using CsvOptions = ExportOptions;

// write_csv() collected into a string (the whole export in memory: not for downloads).
Result<std::string, ServerStoreError> export_csv(ServerStore& store, const ConsultationCatalog& catalog,
                                                 const std::string& consultation_id,
                                                 const CsvOptions& options);

} // namespace buurtstem
