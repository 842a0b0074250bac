// CSV export of one consultation's responses, for the council to open in a spreadsheet.
#pragma once

#include <string>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

struct CsvOptions {
    // Dutch Excel expects ';' between fields (',' is the decimal sign there); ',' for other tools.
    char separator = ';';
    // A UTF-8 byte order mark makes Excel read é, ë and ï correctly instead of as two odd characters.
    bool byte_order_mark = true;
    // Language of option labels in the export.
    std::string language = "nl";
};

// One row per response, oldest first. Fixed columns, then one column per question of the newest version
// of the consultation the server knows (laid out by its question type: one column for most, one per
// option for multiple_choice (1/0) and ranking (the rank); see config/consultations/FORMAT.md), then
// any question ids only older versions had, then channel (kiosk | facilitated | paper), event, event_date,
// wijk, municipality and note (empty when the response came outside an event).
Result<std::string, ServerStoreError> export_csv(ServerStore& store, const ConsultationCatalog& catalog,
                                                 const std::string& consultation_id,
                                                 const CsvOptions& options);

// Quotes a field when it holds the separator, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text, char separator);

} // namespace buurtstem
