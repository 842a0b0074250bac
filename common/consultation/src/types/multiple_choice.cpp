// multiple_choice: pick min_choices to max_choices options. The answer lists the chosen ids in option
// order, joined by ','. Exported as one column per option holding 1 (chosen) or 0 (not chosen), empty
// when the resident skipped the question: a spreadsheet sums a column to count an option, and filters
// on it, without splitting text.
#include "type_model.hpp"

namespace buurtstem {

namespace {

class MultipleChoice final : public TypeModel {
public:
    std::string_view name() const override { return "multiple_choice"; }
    std::vector<std::string_view> keys() const override { return {"options", "min_choices", "max_choices"}; }
    void parse(const toml::table& table, Question& q, TypeParser& parser) const override {
        q.options = parser.options(table);
        const auto count = static_cast<int64_t>(q.options.size());
        q.min_choices = static_cast<int>(parser.integer(table, "min_choices", 1, count).value_or(1));
        q.max_choices = static_cast<int>(parser.integer(table, "max_choices", 1, count).value_or(count));
        if (q.max_choices < q.min_choices) {
            parser.fail(table, "max_choices",
                        "'max_choices' (" + std::to_string(q.max_choices) + ") is less than 'min_choices' (" +
                            std::to_string(q.min_choices) + ")");
        }
    }
    std::optional<std::string> check_draft(const Question& q, std::string_view value) const override {
        if (auto problem = check_option_list(q, value)) {
            return problem;
        }
        const std::vector<std::string> ids = split_list(value);
        if (ids.size() > static_cast<size_t>(q.max_choices)) {
            return "more than " + std::to_string(q.max_choices) + " options chosen for '" + q.id + "'";
        }
        // Option order, so equal choices are equal strings whatever order they were tapped in.
        size_t at = 0;
        for (const Option& option : q.options) {
            if (at < ids.size() && ids[at] == option.id) {
                ++at;
            }
        }
        if (at != ids.size()) {
            return "the options chosen for '" + q.id + "' are not in the order of the file";
        }
        return std::nullopt;
    }
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        if (auto problem = check_draft(q, value)) {
            return problem;
        }
        if (split_list(value).size() < static_cast<size_t>(q.min_choices)) {
            return "fewer than " + std::to_string(q.min_choices) + " options chosen for '" + q.id + "'";
        }
        return std::nullopt;
    }
    // show-if on a multiple choice: one option id; it matches when that option was among those chosen.
    std::optional<std::string> check_condition_value(const Question& q,
                                                     std::string_view wanted) const override {
        if (q.find_option(wanted) == nullptr) {
            return "'" + std::string(wanted) + "' is not an option of question '" + q.id + "'";
        }
        return std::nullopt;
    }
    bool matches(const Question&, std::string_view answer, std::string_view wanted) const override {
        for (const std::string& id : split_list(answer)) {
            if (id == wanted) {
                return true;
            }
        }
        return false;
    }
    std::vector<CsvColumn> csv_columns(const Question& q, std::string_view language) const override {
        std::vector<CsvColumn> columns;
        for (const Option& option : q.options) {
            columns.push_back({q.id + "." + option.id, q.id + ": " + option.label.in(language)});
        }
        return columns;
    }
    std::vector<std::string> csv_cells(const Question& q, std::string_view value,
                                       std::string_view) const override {
        std::vector<std::string> cells;
        for (const Option& option : q.options) {
            cells.push_back(matches(q, value, option.id) ? "1" : "0");
        }
        return cells;
    }
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question& q, const std::vector<ValueCount>& counted,
                                            std::string_view language) const override {
        return tally_options(q, counted, language, true);
    }
};

} // namespace

const TypeModel& multiple_choice_model() {
    static const MultipleChoice model;
    return model;
}

} // namespace buurtstem
