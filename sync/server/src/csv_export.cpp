#include "buurtstem/server/csv_export.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace buurtstem {

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

Result<std::string, ServerStoreError> export_csv(ServerStore& store, const ConsultationCatalog& catalog,
                                                 const std::string& consultation_id,
                                                 const CsvOptions& options) {
    std::vector<StoredResponse> responses;
    auto visited =
        store.for_each_response(consultation_id, [&](const StoredResponse& r) { responses.push_back(r); });
    if (!visited) {
        return fail(visited.error());
    }

    // Columns: the newest version's questions in order, each as its type lays it out (a multiple
    // choice or a ranking has a column per option), then ids found only in older answers.
    struct Column {
        std::string question_id;
        std::string key;
        std::string header;
    };
    std::vector<Column> columns;
    const Consultation* latest = catalog.latest(consultation_id);
    if (latest != nullptr) {
        for (const Question& q : latest->questions) {
            for (const CsvColumn& c : q.type->csv_columns(q, options.language)) {
                columns.push_back({q.id, c.key, c.header});
            }
        }
    }
    std::vector<std::string> extra;
    for (const StoredResponse& r : responses) {
        for (const Answer& a : r.response.answers) {
            const bool known = std::any_of(columns.begin(), columns.end(),
                                           [&](const Column& c) { return c.question_id == a.question_id; });
            if (!known && std::find(extra.begin(), extra.end(), a.question_id) == extra.end()) {
                extra.push_back(a.question_id);
            }
        }
    }
    std::sort(extra.begin(), extra.end());
    for (const std::string& id : extra) {
        columns.push_back({id, id, id});
    }

    const char sep = options.separator;
    std::string out = options.byte_order_mark ? "\xEF\xBB\xBF" : "";
    std::vector<std::string> header = {"response_id", "device_id",    "consultation_version", "language",
                                       "started_at",  "completed_at", "received_at"};
    for (const Column& c : columns) {
        header.push_back(c.header);
    }
    // Issue 10's columns go last, so the question columns stay where earlier exports had them (a
    // council's spreadsheet formulas keep pointing at the same answers).
    for (const char* extra_column : {"channel", "event", "event_date", "wijk", "municipality", "note"}) {
        header.push_back(extra_column);
    }
    for (size_t i = 0; i < header.size(); ++i) {
        out += (i ? std::string(1, sep) : "") + csv_field(header[i], sep);
    }
    out += "\r\n";

    for (const StoredResponse& stored : responses) {
        const CompletedResponse& r = stored.response;
        const Consultation* version = catalog.find(r.consultation_id, r.consultation_version);
        // Cells by column key. An answer is laid out by its own version's question when that has the
        // same type as the newest (labels of that version); otherwise its raw value goes in the first
        // column of the question, so nothing stored is left out.
        std::map<std::string, std::string> values;
        for (const Answer& a : r.answers) {
            const Question* now = latest != nullptr ? latest->find_question(a.question_id) : nullptr;
            const Question* then = version != nullptr ? version->find_question(a.question_id) : nullptr;
            if (now != nullptr && then != nullptr && then->type == now->type) {
                const auto cells = then->type->csv_cells(*then, a.value, options.language);
                const auto then_cols = then->type->csv_columns(*then, options.language);
                for (size_t i = 0; i < then_cols.size() && i < cells.size(); ++i) {
                    values[then_cols[i].key] = cells[i];
                }
            } else if (now != nullptr) {
                values[now->type->csv_columns(*now, options.language).front().key] = a.value;
            } else {
                values[a.question_id] = a.value;
            }
        }
        std::vector<std::string> row = {r.id,
                                        r.device_id,
                                        std::to_string(r.consultation_version),
                                        r.language,
                                        r.started_at,
                                        r.completed_at,
                                        stored.received_at};
        for (const Column& c : columns) {
            auto it = values.find(c.key);
            row.push_back(it == values.end() ? std::string() : it->second);
        }
        row.push_back(std::string(channel_name(r.channel)));
        for (const std::string& cell : r.event
                                           ? std::vector<std::string>{r.event->name, r.event->date,
                                                                      r.event->wijk, r.event->municipality}
                                           : std::vector<std::string>(4)) {
            row.push_back(cell);
        }
        row.push_back(r.note);
        for (size_t i = 0; i < row.size(); ++i) {
            out += (i ? std::string(1, sep) : "") + csv_field(row[i], sep);
        }
        out += "\r\n";
    }
    return out;
}

} // namespace buurtstem
