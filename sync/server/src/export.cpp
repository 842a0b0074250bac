// Streamed exports: CSV and JSON Lines here, XLSX in export_xlsx.cpp, the shared column layout first.
//
// [SECTION] Index
//   Column layout and summary counts (ExportLayout)
//   Sinks
//   CSV
//   JSON Lines
//   Formats, files
#include "buurtstem/server/csv_export.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "export_layout.hpp"

namespace buurtstem {

//-----------------------------------------------------------------------------
// [SECTION] Column layout and summary counts (ExportLayout)
//-----------------------------------------------------------------------------

namespace detail {

ExportLayout::ExportLayout(const ConsultationCatalog& catalog, const std::string& consultation_id,
                           const std::vector<std::string>& answered_ids, std::string language)
    : catalog_(catalog), consultation_id_(consultation_id), language_(std::move(language)) {
    latest_ = catalog.latest(consultation_id);
    if (latest_ != nullptr) {
        for (const Question& q : latest_->questions) {
            // Numbers in a spreadsheet only where the type's cells are always whole numbers it made
            // itself (a 1/0, a rank, a scale point); typed text stays text even when it looks like "12".
            const std::string_view type = q.type_name();
            const bool numeric = type == "multiple_choice" || type == "ranking" || type == "smiley_scale" ||
                                 type == "agree_scale";
            for (const CsvColumn& c : q.type->csv_columns(q, language_)) {
                columns_.push_back({q.id, c.key, c.header, numeric});
            }
        }
    }
    // Ids only older versions had (the store lists them sorted).
    for (const std::string& id : answered_ids) {
        if (latest_ == nullptr || latest_->find_question(id) == nullptr) {
            columns_.push_back({id, id, id, false});
        }
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
        column_by_key_.emplace(columns_[i].key, i);
    }
}

const ExportLayout::Placement& ExportLayout::place(int version, const std::string& question_id) {
    const auto key = std::make_pair(version, question_id);
    auto found = placements_.find(key);
    if (found != placements_.end()) {
        return found->second;
    }
    Placement placement;
    const Consultation* then_version = catalog_.find(consultation_id_, version);
    const Question* now = latest_ != nullptr ? latest_->find_question(question_id) : nullptr;
    const Question* then = then_version != nullptr ? then_version->find_question(question_id) : nullptr;
    // An answer is laid out by its own version's question when that has the same type as the newest
    // (labels of that version); otherwise its raw value goes in the first column of the question, so
    // nothing stored is left out.
    if (now != nullptr && then != nullptr && then->type == now->type) {
        placement.then = then;
        for (const CsvColumn& c : then->type->csv_columns(*then, language_)) {
            auto at = column_by_key_.find(c.key);
            placement.columns.push_back(at == column_by_key_.end() ? SIZE_MAX : at->second);
        }
    } else if (now != nullptr) {
        placement.columns.push_back(column_by_key_.at(now->type->csv_columns(*now, language_).front().key));
    } else {
        auto at = column_by_key_.find(question_id);
        // An id that reached the store after the header was written (the header's snapshot did not
        // have it): no column for it in this export; the next export has one.
        placement.columns.push_back(at == column_by_key_.end() ? SIZE_MAX : at->second);
    }
    return placements_.emplace(key, std::move(placement)).first->second;
}

void ExportLayout::cells(const CompletedResponse& r, std::vector<std::string>& cells) {
    cells.assign(columns_.size(), std::string());
    for (const Answer& a : r.answers) {
        const Placement& placement = place(r.consultation_version, a.question_id);
        if (placement.then != nullptr) {
            std::vector<std::string> values =
                placement.then->type->csv_cells(*placement.then, a.value, language_);
            for (size_t i = 0; i < placement.columns.size() && i < values.size(); ++i) {
                if (placement.columns[i] != SIZE_MAX) {
                    cells[placement.columns[i]] = std::move(values[i]);
                }
            }
        } else if (placement.columns.front() != SIZE_MAX) {
            cells[placement.columns.front()] = a.value;
        }
    }
}

void ExportLayout::count(const CompletedResponse& r) {
    if (latest_ == nullptr) {
        return;
    }
    for (const Answer& a : r.answers) {
        const Placement& placement = place(r.consultation_version, a.question_id);
        if (placement.then == nullptr) {
            continue; // another type then: its values mean something else
        }
        ++counts_[a.question_id][placement.then->type->summary_key(a.value)];
    }
}

std::vector<std::pair<const Question*, std::vector<TallyRow>>> ExportLayout::summaries() const {
    std::vector<std::pair<const Question*, std::vector<TallyRow>>> out;
    if (latest_ == nullptr) {
        return out;
    }
    for (const Question& q : latest_->questions) {
        std::vector<ValueCount> counted;
        if (auto it = counts_.find(q.id); it != counts_.end()) {
            for (const auto& [value, n] : it->second) {
                counted.push_back({value, n});
            }
        }
        // Same order each time, so two exports of the same rows are the same file.
        std::sort(counted.begin(), counted.end(),
                  [](const ValueCount& a, const ValueCount& b) { return a.value < b.value; });
        out.emplace_back(&q, q.type->summarize_counted(q, counted, language_));
    }
    return out;
}

Status<ExportError> cancelled() {
    return fail(ExportError{ExportError::Kind::Cancelled, "export stopped: the receiver went away"});
}

} // namespace detail

namespace {

ExportError store_error(const ServerStoreError& e) {
    return {ExportError::Kind::Store, e.to_string()};
}

} // namespace

//-----------------------------------------------------------------------------
// [SECTION] Sinks
//-----------------------------------------------------------------------------

ExportSink file_sink(std::FILE* file) {
    return [file](std::string_view chunk) {
        return std::fwrite(chunk.data(), 1, chunk.size(), file) == chunk.size();
    };
}

ExportSink fd_sink(int fd) {
    return [fd](std::string_view chunk) {
        size_t written = 0;
        while (written < chunk.size()) {
            const ssize_t n = ::write(fd, chunk.data() + written, chunk.size() - written);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false; // EPIPE: the reader is gone (SIGPIPE is ignored for the program)
            }
            written += static_cast<size_t>(n);
        }
        return true;
    };
}

//-----------------------------------------------------------------------------
// [SECTION] CSV
//-----------------------------------------------------------------------------

std::string csv_field(const std::string& text, char separator) {
    std::string field = text;
    // A cell starting with =, +, -, @, a tab or a carriage return can be run as a formula by
    // spreadsheets: free text from the public must never become one (CSV injection), so such cells
    // get a leading apostrophe.
    if (!field.empty() && std::string_view("=+-@\t\r").find(field[0]) != std::string_view::npos) {
        field.insert(field.begin(), '\'');
    }
    if (field.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string::npos) {
        return field;
    }
    std::string quoted = "\"";
    for (char c : field) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

Status<ExportError> write_csv(ServerStore& store, const ConsultationCatalog& catalog,
                              const std::string& consultation_id, const ExportOptions& options,
                              const ExportSink& sink) {
    auto answered = store.answered_question_ids(consultation_id);
    if (!answered) {
        return fail(store_error(answered.error()));
    }
    detail::ExportLayout layout(catalog, consultation_id, *answered, options.language);
    detail::ChunkWriter out(sink);
    const char sep = options.separator;
    if (options.byte_order_mark) {
        out.append("\xEF\xBB\xBF");
    }
    std::vector<std::string> header = detail::fixed_export_headers();
    for (const auto& c : layout.columns()) {
        header.push_back(c.header);
    }
    for (size_t i = 0; i < header.size(); ++i) {
        if (i > 0) {
            out.append(sep);
        }
        out.append(csv_field(header[i], sep));
    }
    out.append("\r\n");

    std::vector<std::string> cells;
    auto visited = store.for_each_response(consultation_id, [&](const StoredResponse& stored) {
        if (out.stopped()) {
            return; // the store has no way to stop a visit; the rest is skipped cheaply
        }
        const CompletedResponse& r = stored.response;
        layout.cells(r, cells);
        const std::string version = std::to_string(r.consultation_version);
        for (const std::string* fixed : {&r.id, &r.device_id, &version, &r.language, &r.started_at,
                                         &r.completed_at, &stored.received_at}) {
            out.append(csv_field(*fixed, sep));
            out.append(sep);
        }
        for (size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) {
                out.append(sep);
            }
            out.append(csv_field(cells[i], sep));
        }
        out.append("\r\n");
    });
    if (!visited) {
        return fail(store_error(visited.error()));
    }
    if (!out.flush()) {
        return detail::cancelled();
    }
    return Unit{};
}

Result<std::string, ServerStoreError> export_csv(ServerStore& store, const ConsultationCatalog& catalog,
                                                 const std::string& consultation_id,
                                                 const CsvOptions& options) {
    std::string collected;
    auto written = write_csv(store, catalog, consultation_id, options, [&](std::string_view chunk) {
        collected += chunk;
        return true;
    });
    if (!written) {
        return fail(ServerStoreError{ServerStoreError::Kind::Failed, written.error().message});
    }
    return collected;
}

//-----------------------------------------------------------------------------
// [SECTION] JSON Lines
//-----------------------------------------------------------------------------

Status<ExportError> write_json(ServerStore& store, const ConsultationCatalog& catalog,
                               const std::string& consultation_id, const ExportOptions& options,
                               const ExportSink& sink) {
    auto answered = store.answered_question_ids(consultation_id);
    if (!answered) {
        return fail(store_error(answered.error()));
    }
    detail::ExportLayout layout(catalog, consultation_id, *answered, options.language);
    detail::ChunkWriter out(sink);
    nlohmann::json columns = nlohmann::json::array();
    for (const auto& c : layout.columns()) {
        columns.push_back({{"key", c.key}, {"header", c.header}, {"question_id", c.question_id}});
    }
    nlohmann::json questions = nlohmann::json::array();
    if (layout.latest() != nullptr) {
        for (const Question& q : layout.latest()->questions) {
            questions.push_back(
                {{"id", q.id}, {"type", q.type_name()}, {"text", q.text.in(options.language)}});
        }
    }
    const nlohmann::json head = {
        {"format", "buurtstem-export-v1"},
        {"consultation_id", consultation_id},
        {"consultation_version", layout.latest() != nullptr ? layout.latest()->version : 0},
        {"language", options.language},
        {"columns", columns},
        {"questions", questions}};
    out.append(head.dump());
    out.append('\n');

    std::vector<std::string> cells;
    auto visited = store.for_each_response(consultation_id, [&](const StoredResponse& stored) {
        if (out.stopped()) {
            return;
        }
        const CompletedResponse& r = stored.response;
        nlohmann::json answers = nlohmann::json::object();
        for (const Answer& a : r.answers) {
            answers[a.question_id] = a.value;
        }
        layout.cells(r, cells);
        nlohmann::json labels = nlohmann::json::object();
        for (size_t i = 0; i < cells.size(); ++i) {
            if (!cells[i].empty()) {
                labels[layout.columns()[i].key] = cells[i];
            }
        }
        const nlohmann::json line = {{"response_id", r.id},
                                     {"device_id", r.device_id},
                                     {"consultation_version", r.consultation_version},
                                     {"language", r.language},
                                     {"started_at", r.started_at},
                                     {"completed_at", r.completed_at},
                                     {"received_at", stored.received_at},
                                     {"answers", answers},
                                     {"labels", labels}};
        // Invalid UTF-8 cannot be stored (ingest refuses it); replace rather than throw all the same.
        out.append(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        out.append('\n');
    });
    if (!visited) {
        return fail(store_error(visited.error()));
    }
    if (!out.flush()) {
        return detail::cancelled();
    }
    return Unit{};
}

//-----------------------------------------------------------------------------
// [SECTION] Formats, files
//-----------------------------------------------------------------------------

std::optional<ExportFormat> parse_export_format(std::string_view name) {
    if (name == "csv") {
        return ExportFormat::Csv;
    }
    if (name == "xlsx") {
        return ExportFormat::Xlsx;
    }
    if (name == "json" || name == "jsonl" || name == "ndjson") {
        return ExportFormat::Json;
    }
    return std::nullopt;
}

std::string_view export_content_type(ExportFormat format) {
    switch (format) {
    case ExportFormat::Csv:
        return "text/csv; charset=utf-8";
    case ExportFormat::Xlsx:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ExportFormat::Json:
        return "application/x-ndjson; charset=utf-8";
    }
    return "application/octet-stream";
}

std::string_view export_file_extension(ExportFormat format) {
    switch (format) {
    case ExportFormat::Csv:
        return ".csv";
    case ExportFormat::Xlsx:
        return ".xlsx";
    case ExportFormat::Json:
        return ".jsonl";
    }
    return "";
}

Status<ExportError> write_export(ExportFormat format, ServerStore& store, const ConsultationCatalog& catalog,
                                 const std::string& consultation_id, const ExportOptions& options,
                                 const ExportSink& sink) {
    switch (format) {
    case ExportFormat::Csv:
        return write_csv(store, catalog, consultation_id, options, sink);
    case ExportFormat::Xlsx:
        return write_xlsx(store, catalog, consultation_id, options, sink);
    case ExportFormat::Json:
        return write_json(store, catalog, consultation_id, options, sink);
    }
    return fail(ExportError{ExportError::Kind::Write, "unknown export format"});
}

Status<ExportError> export_to_file(ExportFormat format, ServerStore& store,
                                   const ConsultationCatalog& catalog, const std::string& consultation_id,
                                   const ExportOptions& options, const std::filesystem::path& target) {
    const auto io_error = [](const std::string& what, const std::filesystem::path& path) {
        return ExportError{ExportError::Kind::Write,
                           "cannot " + what + " " + path.string() + ": " + std::strerror(errno)};
    };
    // mkstemp beside the target: the rename is then atomic (same file system), and the random name
    // (O_EXCL, 0600) follows no prepared symlink. Residents' own words: readable by the owner only.
    std::string name = target.string() + ".tmp-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return fail(io_error("create a file beside", target));
    }
    const std::filesystem::path temp = name;
    auto written = write_export(format, store, catalog, consultation_id, options, fd_sink(fd));
    if (written && ::fsync(fd) != 0) {
        written = fail(io_error("flush", temp));
    }
    ::close(fd);
    if (written && ::rename(temp.c_str(), target.c_str()) != 0) {
        written = fail(io_error("replace", target));
    }
    if (!written) {
        ::unlink(temp.c_str());
        if (written.error().kind == ExportError::Kind::Cancelled) {
            return fail(io_error("write", temp)); // our own file refused a write: disk full, mostly
        }
        return written;
    }
    const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return Unit{};
}

} // namespace buurtstem
