// The question-type registry: everything one type of question means (answer check, how its answer is
// written, its export columns, its summary) lives in one file per type under src/types/, listed once in
// src/types/registry.cpp. The kiosk has the matching screens in kiosk/ui/src/questions/.
//
// Answer encoding (the string stored on the kiosk, sent to the server, checked by both):
//   single_choice  option id            multiple_choice  option ids in option order, joined by ','
//   smiley_scale   "1".."5"             agree_scale      "1" (helemaal oneens) .. "5" (helemaal eens)
//   yes_no         "yes" | "no" | "unknown"
//   ranking        option ids, most important first, joined by ','
//   free_text      the typed text
// Option ids are slugs, so ',' never occurs inside one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buurtstem {

struct Question;

// One export column: `key` ties cells to it, `header` is what the spreadsheet shows.
struct CsvColumn {
    std::string key;
    std::string header;
};

// One line of a summary for a dashboard: "Sportfonds: 12" or "mean rank: 1.8".
struct TallyRow {
    std::string label;
    double value = 0;
};

// One distinct answer and how many gave it: a summary over 100 000 responses holds one of these per
// distinct answer instead of every answer (the streamed XLSX export, a dashboard).
struct ValueCount {
    std::string value;
    int64_t count = 0;
};

class QuestionType {
public:
    virtual ~QuestionType() = default;
    // The name used in consultation files: `type = "single_choice"`.
    virtual std::string_view name() const = 0;

    // nullopt when `value` is a complete, valid answer; else a reason in English for logs and the server.
    virtual std::optional<std::string> check_answer(const Question& q, std::string_view value) const = 0;
    // A value the resident may hold while still answering (a multiple choice below its minimum).
    virtual std::optional<std::string> check_draft(const Question& q, std::string_view value) const {
        return check_answer(q, value);
    }
    // show-if: can a later question depend on this one, and does `answer` match `wanted`?
    virtual bool can_be_condition() const { return true; }
    virtual std::optional<std::string> check_condition_value(const Question& q,
                                                             std::string_view wanted) const {
        return check_answer(q, wanted);
    }
    virtual bool matches(const Question&, std::string_view answer, std::string_view wanted) const {
        return answer == wanted;
    }
    // A quick poll (one tap) may only ask a question that one tap answers.
    virtual bool one_tap() const { return false; }

    // Export: the columns of this question, and the cells of one answer, in the same order.
    virtual std::vector<CsvColumn> csv_columns(const Question& q, std::string_view language) const;
    virtual std::vector<std::string> csv_cells(const Question& q, std::string_view value,
                                               std::string_view language) const;
    // Summary of many answers (empty values are skipped answers), for later dashboards.
    // Every built-in type counts its values and calls summarize_counted().
    virtual std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                            std::string_view language) const = 0;
    // The same summary from each distinct answer with its count (empty values are skipped answers).
    // The default expands the counts and calls summarize() (memory grows with the answers); every
    // built-in type overrides it.
    virtual std::vector<TallyRow> summarize_counted(const Question& q, const std::vector<ValueCount>& counted,
                                                    std::string_view language) const;
    // What the summary needs of one answer, as the key to count it under: the answer itself, except
    // free text, whose summary only counts that there was one (so counting stays one entry, not one
    // per typed text).
    virtual std::string summary_key(std::string_view value) const { return std::string(value); }
};

// Distinct values with their counts, in first-seen order.
std::vector<ValueCount> count_values(const std::vector<std::string>& values);

// nullptr when no type has that name.
const QuestionType* find_question_type(std::string_view name);
// Every registered type name, for error messages.
std::string question_type_list();

// ',' separated option ids.
std::vector<std::string> split_list(std::string_view value);
std::string join_list(const std::vector<std::string>& items);

} // namespace buurtstem
