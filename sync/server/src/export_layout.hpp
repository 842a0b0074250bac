// Inside the server library only: what every export format shares (export.hpp) — the columns, the
// cells of one response, the summary counts, chunked writing to a sink, a temp file that becomes the
// target only when whole.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "buurtstem/server/export.hpp"

namespace buurtstem::detail {

// The fixed columns before the questions' columns, in CSV/XLSX order.
inline const std::vector<std::string>& fixed_export_headers() {
    static const std::vector<std::string> headers = {"response_id", "device_id",  "consultation_version",
                                                     "language",    "started_at", "completed_at",
                                                     "received_at"};
    return headers;
}

class ExportLayout {
public:
    struct Column {
        std::string question_id;
        std::string key;
        std::string header;
        bool numeric = false; // cells are whole numbers (a 1/0 or a rank): a number in XLSX, text in CSV
    };

    // The columns of `consultation_id`: the newest version's questions, then `answered_ids` no version
    // in the catalog has in its newest form (see export.hpp).
    ExportLayout(const ConsultationCatalog& catalog, const std::string& consultation_id,
                 const std::vector<std::string>& answered_ids, std::string language);

    const std::vector<Column>& columns() const { return columns_; }
    const Consultation* latest() const { return latest_; }

    // The question cells of one response, one per column ("" where unanswered). `cells` is reused.
    void cells(const CompletedResponse& response, std::vector<std::string>& cells);

    // Counts answers for the summary (newest version's questions; an answer of an older version counts
    // when its question has the same type there). One entry per distinct summary key.
    void count(const CompletedResponse& response);
    // The summary of each question of the newest version, in order.
    std::vector<std::pair<const Question*, std::vector<TallyRow>>> summaries() const;

private:
    // Where the answer to (version, question) goes: the column of each of its cells, or, when its type
    // changed, only the first column of the question with the raw value.
    struct Placement {
        const Question* then = nullptr; // lays the value out; nullptr: raw value into `columns[0]`
        std::vector<size_t> columns;
    };
    const Placement& place(int version, const std::string& question_id);

    const ConsultationCatalog& catalog_;
    std::string consultation_id_;
    std::string language_;
    const Consultation* latest_ = nullptr;
    std::vector<Column> columns_;
    std::unordered_map<std::string, size_t> column_by_key_;
    std::map<std::pair<int, std::string>, Placement> placements_;
    std::map<std::string, std::unordered_map<std::string, int64_t>> counts_; // question id -> key -> n
};

// Collects output into chunks of about 64 KiB for a sink; remembers when the sink said stop.
class ChunkWriter {
public:
    explicit ChunkWriter(const ExportSink& sink) : sink_(sink) { buffer_.reserve(kChunk + 4096); }
    void append(std::string_view text) {
        buffer_ += text;
        if (buffer_.size() >= kChunk) {
            flush();
        }
    }
    void append(char c) { buffer_ += c; }
    // Hands what is buffered to the sink; false once the sink has said stop.
    bool flush() {
        if (!stopped_ && !buffer_.empty()) {
            stopped_ = !sink_(buffer_);
        }
        buffer_.clear();
        return !stopped_;
    }
    bool stopped() const { return stopped_; }

private:
    static constexpr size_t kChunk = 64 * 1024;
    const ExportSink& sink_;
    std::string buffer_;
    bool stopped_ = false;
};

Status<ExportError> cancelled();

} // namespace buurtstem::detail
