// The XLSX export (libxlsxwriter): sheet "Antwoorden" holds the raw responses with the CSV's columns;
// then one sheet per question of the newest version with its summary (the question type's
// summarize_counted: counts per option or scale point, a mean, a count of typed answers).
//
// constant_memory: libxlsxwriter writes each row to a temporary file as soon as the next begins, and
// cells are inline strings (no shared-string table that grows with the rows), so memory does not grow
// with the number of responses. The summary is counted during the same pass (one entry per distinct
// answer per question). A cell is always a string or a number, never a formula, so text from the public
// cannot run in a spreadsheet.
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <xlsxwriter.h>

#include "export_layout.hpp"

namespace buurtstem {

namespace {

struct WorkbookCloser {
    void operator()(lxw_workbook* workbook) const { workbook_close(workbook); }
};

ExportError xlsx_error(const std::string& what, lxw_error error) {
    return {ExportError::Kind::Write, "XLSX: " + what + ": " + lxw_strerror(error)};
}

// A sheet name: at most 31 characters; slugs hold none of the characters Excel forbids ([]:*?/\).
std::string sheet_name(size_t index, const std::string& question_id) {
    std::string name = "V" + std::to_string(index) + " " + question_id;
    if (name.size() > 31) {
        name.resize(31);
    }
    return name;
}

// Writes the workbook to `path` (libxlsxwriter creates the file itself).
Status<ExportError> build_workbook(ServerStore& store, const ConsultationCatalog& catalog,
                                   const std::string& consultation_id, const ExportOptions& options,
                                   const std::string& path) {
    auto answered = store.answered_question_ids(consultation_id);
    if (!answered) {
        return fail(ExportError{ExportError::Kind::Store, answered.error().to_string()});
    }
    detail::ExportLayout layout(catalog, consultation_id, *answered, options.language);

    lxw_workbook_options workbook_options{};
    workbook_options.constant_memory = LXW_TRUE;
    workbook_options.use_zip64 = LXW_TRUE; // a large export may pass 4 GiB of sheet XML
    std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(workbook_new_opt(path.c_str(), &workbook_options));
    if (!workbook) {
        return fail(ExportError{ExportError::Kind::Write, "XLSX: cannot create " + path});
    }
    lxw_format* bold = workbook_add_format(workbook.get());
    format_set_bold(bold);
    lxw_worksheet* raw = workbook_add_worksheet(workbook.get(), "Antwoorden");
    if (raw == nullptr) {
        return fail(ExportError{ExportError::Kind::Write, "XLSX: cannot add the sheet Antwoorden"});
    }
    worksheet_freeze_panes(raw, 1, 1);

    lxw_col_t col = 0;
    lxw_error error = LXW_NO_ERROR;
    const auto write_text = [&](lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column,
                                const std::string& text, lxw_format* format) {
        if (error == LXW_NO_ERROR && !text.empty()) {
            error = worksheet_write_string(sheet, row, column, text.c_str(), format);
        }
    };
    const auto write_number = [&](lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, double value) {
        if (error == LXW_NO_ERROR) {
            error = worksheet_write_number(sheet, row, column, value, nullptr);
        }
    };
    for (const std::string& header : detail::fixed_export_headers()) {
        write_text(raw, 0, col++, header, bold);
    }
    for (const auto& c : layout.columns()) {
        write_text(raw, 0, col++, c.header, bold);
    }
    for (const std::string& header : detail::event_export_headers()) {
        write_text(raw, 0, col++, header, bold);
    }

    lxw_row_t row = 1;
    std::vector<std::string> cells;
    auto visited = store.for_each_response(consultation_id, [&](const StoredResponse& stored) {
        if (error != LXW_NO_ERROR) {
            return;
        }
        const CompletedResponse& r = stored.response;
        layout.cells(r, cells);
        layout.count(r);
        lxw_col_t c = 0;
        write_text(raw, row, c++, r.id, nullptr);
        write_text(raw, row, c++, r.device_id, nullptr);
        write_number(raw, row, c++, r.consultation_version);
        for (const std::string* fixed : {&r.language, &r.started_at, &r.completed_at, &stored.received_at}) {
            write_text(raw, row, c++, *fixed, nullptr);
        }
        for (size_t i = 0; i < cells.size(); ++i, ++c) {
            const std::string& cell = cells[i];
            double number = 0;
            const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), number);
            if (layout.columns()[i].numeric && !cell.empty() && ec == std::errc() &&
                end == cell.data() + cell.size()) {
                write_number(raw, row, c, number);
            } else {
                write_text(raw, row, c, cell, nullptr);
            }
        }
        for (const std::string& cell : detail::event_export_cells(r)) {
            write_text(raw, row, c++, cell, nullptr);
        }
        ++row;
    });
    if (!visited) {
        return fail(ExportError{ExportError::Kind::Store, visited.error().to_string()});
    }
    if (error != LXW_NO_ERROR) {
        return fail(xlsx_error("writing row " + std::to_string(row + 1) + " of Antwoorden", error));
    }

    size_t index = 1;
    for (const auto& [question, rows] : layout.summaries()) {
        lxw_worksheet* sheet =
            workbook_add_worksheet(workbook.get(), sheet_name(index++, question->id).c_str());
        if (sheet == nullptr) {
            return fail(
                ExportError{ExportError::Kind::Write, "XLSX: cannot add a sheet for " + question->id});
        }
        worksheet_set_column(sheet, 0, 0, 40, nullptr);
        write_text(sheet, 0, 0, question->text.in(options.language), bold);
        write_text(sheet, 1, 0,
                   std::string("vraag: ") + question->id + " (" + std::string(question->type_name()) + ")",
                   nullptr);
        lxw_row_t at = 3;
        for (const TallyRow& tally : rows) {
            write_text(sheet, at, 0, tally.label, nullptr);
            write_number(sheet, at, 1, tally.value);
            ++at;
        }
        if (error != LXW_NO_ERROR) {
            return fail(xlsx_error("writing the summary of " + question->id, error));
        }
    }
    lxw_workbook* open = workbook.release();
    if (const lxw_error closed = workbook_close(open); closed != LXW_NO_ERROR) {
        return fail(xlsx_error("writing " + path, closed));
    }
    return Unit{};
}

} // namespace

Status<ExportError> write_xlsx_file(ServerStore& store, const ConsultationCatalog& catalog,
                                    const std::string& consultation_id, const ExportOptions& options,
                                    const std::string& path) {
    return build_workbook(store, catalog, consultation_id, options, path);
}

Status<ExportError> write_xlsx(ServerStore& store, const ConsultationCatalog& catalog,
                               const std::string& consultation_id, const ExportOptions& options,
                               const ExportSink& sink) {
    // The workbook is a zip that libxlsxwriter writes to a file of its own; stream that file afterwards.
    std::string name = (std::filesystem::temp_directory_path() / "buurtstem-export-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        return fail(
            ExportError{ExportError::Kind::Write, "cannot create a temporary file in " +
                                                      std::filesystem::temp_directory_path().string() + ": " +
                                                      std::strerror(errno)});
    }
    ::close(fd);
    struct Remove {
        std::string path;
        ~Remove() { ::unlink(path.c_str()); }
    } remove{name};
    if (auto built = build_workbook(store, catalog, consultation_id, options, name); !built) {
        return built;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(name.c_str(), "rb"), &std::fclose);
    if (!file) {
        return fail(
            ExportError{ExportError::Kind::Write, "cannot read back " + name + ": " + std::strerror(errno)});
    }
    std::string chunk(64 * 1024, '\0');
    while (true) {
        const size_t n = std::fread(chunk.data(), 1, chunk.size(), file.get());
        if (n > 0 && !sink(std::string_view(chunk.data(), n))) {
            return detail::cancelled();
        }
        if (n < chunk.size()) {
            break;
        }
    }
    if (std::ferror(file.get())) {
        return fail(ExportError{ExportError::Kind::Write, "cannot read back " + name});
    }
    return Unit{};
}

} // namespace buurtstem
