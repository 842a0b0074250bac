// single_choice: pick one option; the answer is the option's id; exported as the option's label.
#include "type_model.hpp"

namespace buurtstem {

namespace {

class SingleChoice final : public TypeModel {
public:
    std::string_view name() const override { return "single_choice"; }
    std::vector<std::string_view> keys() const override { return {"options"}; }
    void parse(const toml::table& table, Question& q, TypeParser& parser) const override {
        q.options = parser.options(table);
    }
    bool one_tap() const override { return true; }
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        if (q.find_option(value) == nullptr) {
            return "'" + std::string(value) + "' is not an option of question '" + q.id + "'";
        }
        return std::nullopt;
    }
    std::vector<std::string> csv_cells(const Question& q, std::string_view value,
                                       std::string_view language) const override {
        const Option* option = q.find_option(value);
        return {option != nullptr ? option->label.in(language) : std::string(value)};
    }
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question& q, const std::vector<ValueCount>& counted,
                                            std::string_view language) const override {
        return tally_options(q, counted, language, false);
    }
};

} // namespace

const TypeModel& single_choice_model() {
    static const SingleChoice model;
    return model;
}

} // namespace buurtstem
