// ranking: the resident taps options in order of importance; the answer lists the ids, most important
// first, joined by ','. Ranking only the top few is allowed (at least one). Exported as one column per
// option holding its rank (1 = most important), empty when not ranked: the council can average or sort
// a column per scheme, which a column per rank position would not allow without lookups.
#include "type_model.hpp"

namespace buurtstem {

namespace {

class Ranking final : public TypeModel {
public:
    std::string_view name() const override { return "ranking"; }
    std::vector<std::string_view> keys() const override { return {"options"}; }
    void parse(const toml::table& table, Question& q, TypeParser& parser) const override {
        q.options = parser.options(table);
    }
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        if (value.empty()) {
            return "ranking answer to '" + q.id + "' is empty";
        }
        return check_option_list(q, value);
    }
    // An order is no single value to compare with.
    bool can_be_condition() const override { return false; }
    std::vector<CsvColumn> csv_columns(const Question& q, std::string_view language) const override {
        std::vector<CsvColumn> columns;
        for (const Option& option : q.options) {
            columns.push_back({q.id + "." + option.id, q.id + ": " + option.label.in(language)});
        }
        return columns;
    }
    std::vector<std::string> csv_cells(const Question& q, std::string_view value,
                                       std::string_view) const override {
        const std::vector<std::string> ranked = split_list(value);
        std::vector<std::string> cells;
        for (const Option& option : q.options) {
            const auto at = std::find(ranked.begin(), ranked.end(), option.id);
            cells.push_back(at == ranked.end() ? std::string() : std::to_string(at - ranked.begin() + 1));
        }
        return cells;
    }
    // Per option: its mean rank among the answers that ranked it (lower is more important).
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question& q, const std::vector<ValueCount>& counted,
                                            std::string_view language) const override {
        std::vector<TallyRow> rows;
        for (const Option& option : q.options) {
            double sum = 0;
            double count = 0;
            for (const ValueCount& c : counted) {
                const std::vector<std::string> ranked = split_list(c.value);
                const auto at = std::find(ranked.begin(), ranked.end(), option.id);
                if (at != ranked.end()) {
                    sum += static_cast<double>(at - ranked.begin() + 1) * static_cast<double>(c.count);
                    count += static_cast<double>(c.count);
                }
            }
            rows.push_back({option.label.in(language), count > 0 ? sum / count : 0});
        }
        return rows;
    }
};

} // namespace

const TypeModel& ranking_model() {
    static const Ranking model;
    return model;
}

} // namespace buurtstem
