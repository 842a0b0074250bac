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

    // Columns: the newest version's questions in order, then ids found only in older answers.
    std::vector<std::string> questions;
    if (const Consultation* latest = catalog.latest(consultation_id)) {
        for (const Question& q : latest->questions) {
            questions.push_back(q.id);
        }
    }
    std::vector<std::string> extra;
    for (const StoredResponse& r : responses) {
        for (const Answer& a : r.response.answers) {
            if (std::find(questions.begin(), questions.end(), a.question_id) == questions.end() &&
                std::find(extra.begin(), extra.end(), a.question_id) == extra.end()) {
                extra.push_back(a.question_id);
            }
        }
    }
    std::sort(extra.begin(), extra.end());
    questions.insert(questions.end(), extra.begin(), extra.end());

    const char sep = options.separator;
    std::string out = options.byte_order_mark ? "\xEF\xBB\xBF" : "";
    std::vector<std::string> header = {"response_id", "device_id",    "consultation_version", "language",
                                       "started_at",  "completed_at", "received_at"};
    header.insert(header.end(), questions.begin(), questions.end());
    for (size_t i = 0; i < header.size(); ++i) {
        out += (i ? std::string(1, sep) : "") + csv_field(header[i], sep);
    }
    out += "\r\n";

    for (const StoredResponse& stored : responses) {
        const CompletedResponse& r = stored.response;
        const Consultation* version = catalog.find(r.consultation_id, r.consultation_version);
        std::map<std::string, std::string> values;
        for (const Answer& a : r.answers) {
            std::string value = a.value;
            const Question* q = version != nullptr ? version->find_question(a.question_id) : nullptr;
            if (q != nullptr && q->kind == QuestionKind::SingleChoice) {
                if (const Option* option = q->find_option(a.value)) {
                    value = option->label.in(options.language);
                }
            }
            values[a.question_id] = value;
        }
        std::vector<std::string> row = {r.id,
                                        r.device_id,
                                        std::to_string(r.consultation_version),
                                        r.language,
                                        r.started_at,
                                        r.completed_at,
                                        stored.received_at};
        for (const std::string& q : questions) {
            auto it = values.find(q);
            row.push_back(it == values.end() ? std::string() : it->second);
        }
        for (size_t i = 0; i < row.size(); ++i) {
            out += (i ? std::string(1, sep) : "") + csv_field(row[i], sep);
        }
        out += "\r\n";
    }
    return out;
}

} // namespace buurtstem
