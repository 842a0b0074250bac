// Exports of one consultation's responses for the council: CSV (Dutch Excel), XLSX (a raw sheet and a
// summary sheet per question) and JSON Lines, all STREAMED: rows are visited one at a time from the
// store (ServerStore::for_each_response) and written out as they come, so memory stays flat from 1 000
// to 100 000 responses (bench: export-peak-rss).
//
// Columns (CSV and the XLSX raw sheet are the same): fixed columns, then one column per question of the
// newest version of the consultation the server knows, laid out by its question type
// (QuestionType::csv_columns: one column for most, one per option for multiple_choice (1/0) and ranking
// (the rank)), then any question ids only older versions had (ServerStore::answered_question_ids).
//
// JSON Lines (application/x-ndjson): one JSON object per line, first a header object
//   {"consultation_id":..., "format":"buurtstem-export-v1", "columns":[...], "questions":[{"id","type",
//    "text"}]}
// then one object per response, oldest first:
//   {"response_id","device_id","consultation_version","language","started_at","completed_at",
//    "received_at","answers":{"<question id>":"<value as stored>"},"labels":{"<column key>":"<cell>"}}
// Raw values and labelled cells both, so a tool can use whichever it needs; a line per record means a
// reader never needs the whole file in memory either.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

enum class ExportFormat { Csv, Xlsx, Json };

// "csv", "xlsx", "json" (also "jsonl", "ndjson"); nullopt for anything else.
std::optional<ExportFormat> parse_export_format(std::string_view name);
std::string_view export_content_type(ExportFormat format);   // "text/csv; charset=utf-8", ...
std::string_view export_file_extension(ExportFormat format); // ".csv", ".xlsx", ".jsonl"

struct ExportOptions {
    // CSV: Dutch Excel expects ';' between fields (',' is the decimal sign there); ',' for other tools.
    char separator = ';';
    // CSV: a UTF-8 byte order mark makes Excel read é, ë and ï correctly instead of as two odd characters.
    bool byte_order_mark = true;
    // Language of option labels and summary labels.
    std::string language = "nl";
};

struct ExportError {
    enum class Kind { Store, Write, Cancelled };
    Kind kind = Kind::Store;
    std::string message;
    std::string to_string() const { return message; }
};

// Receives the export in chunks of up to ~64 KiB, in order. Returns false to stop the export (the
// downloader went away): the write_* function then returns a Cancelled error.
using ExportSink = std::function<bool(std::string_view chunk)>;

// A sink writing to `file` (stdout, an open file); false on a write error.
ExportSink file_sink(std::FILE* file);
// A sink writing to a file descriptor, e.g. the write end of a pipe whose read end a download reads
// (libmicrohttpd: MHD_create_response_from_pipe); false when the reader closed it (EPIPE) or on error.
ExportSink fd_sink(int fd);

[[nodiscard]] Status<ExportError> write_csv(ServerStore& store, const ConsultationCatalog& catalog,
                                            const std::string& consultation_id, const ExportOptions& options,
                                            const ExportSink& sink);
[[nodiscard]] Status<ExportError> write_json(ServerStore& store, const ConsultationCatalog& catalog,
                                             const std::string& consultation_id, const ExportOptions& options,
                                             const ExportSink& sink);
// libxlsxwriter builds the XLSX (a zip) in a file of its own, with constant_memory (each row goes to a
// temporary file as it is written); this writes that file to `sink` in chunks afterwards.
[[nodiscard]] Status<ExportError> write_xlsx(ServerStore& store, const ConsultationCatalog& catalog,
                                             const std::string& consultation_id, const ExportOptions& options,
                                             const ExportSink& sink);
// The XLSX built straight into the file `path` (created or replaced; not atomic: for a temporary file,
// such as a download's, HttpReply::build_file).
[[nodiscard]] Status<ExportError> write_xlsx_file(ServerStore& store, const ConsultationCatalog& catalog,
                                                  const std::string& consultation_id,
                                                  const ExportOptions& options, const std::string& path);
// Any format to `sink`.
[[nodiscard]] Status<ExportError> write_export(ExportFormat format, ServerStore& store,
                                               const ConsultationCatalog& catalog,
                                               const std::string& consultation_id,
                                               const ExportOptions& options, const ExportSink& sink);
// Any format to the file `target`: written to a temp file beside it (mode 0600: residents' own words),
// fsynced, renamed over `target`; on any error the temp file is removed and `target` left as it was.
[[nodiscard]] Status<ExportError> export_to_file(ExportFormat format, ServerStore& store,
                                                 const ConsultationCatalog& catalog,
                                                 const std::string& consultation_id,
                                                 const ExportOptions& options,
                                                 const std::filesystem::path& target);

// For a download: starts write_export() on a thread of its own, writing into a pipe, and returns the
// pipe's read end (close-on-exec) for the caller to stream: libmicrohttpd's
// MHD_create_response_from_pipe(fd) takes it, reads it as the client takes the bytes (the pipe's buffer
// is the only memory between them) and closes it. The thread ends when the export is written or when
// the reader closed its end (the download was broken off: a Cancelled error); an export that fails
// half-way is cut short. `done` (may be empty) hears the outcome on that thread, after the write end is
// closed. `store` and `catalog` must outlive the thread (the server's own do; a test waits for `done`).
[[nodiscard]] Result<int, ExportError>
start_export_pipe(ExportFormat format, ServerStore& store, const ConsultationCatalog& catalog,
                  std::string consultation_id, ExportOptions options,
                  std::function<void(const Status<ExportError>&)> done);

// A CSV cell: a leading =, +, -, @, tab or carriage return gets an apostrophe (no formula from the
// public), then quoted when it holds the separator, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text, char separator);

} // namespace buurtstem
