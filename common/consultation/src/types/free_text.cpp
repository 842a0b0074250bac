// free_text: typed text, at most max_length characters (UTF-8 code points); exported as typed.
#include "type_model.hpp"

namespace buurtstem {

namespace {

constexpr int64_t kMaxFreeTextLength = 5000;

class FreeText final : public TypeModel {
public:
    std::string_view name() const override { return "free_text"; }
    std::vector<std::string_view> keys() const override { return {"max_length"}; }
    void parse(const toml::table& table, Question& q, TypeParser& parser) const override {
        q.max_length =
            static_cast<int>(parser.integer(table, "max_length", 1, kMaxFreeTextLength).value_or(500));
    }
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        if (value.empty()) {
            return "text answer to '" + q.id + "' is empty";
        }
        if (utf8_length(value) > static_cast<size_t>(q.max_length)) {
            return "text answer to '" + q.id + "' is longer than " + std::to_string(q.max_length) +
                   " characters";
        }
        return std::nullopt;
    }
    // Typed words are no value to compare with.
    bool can_be_condition() const override { return false; }
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question&, const std::vector<ValueCount>& counted,
                                            std::string_view) const override {
        double answered = 0;
        for (const ValueCount& c : counted) {
            answered += c.value.empty() ? 0 : static_cast<double>(c.count);
        }
        return {{"answers", answered}};
    }
    std::string summary_key(std::string_view value) const override { return value.empty() ? "" : "1"; }
};

} // namespace

const TypeModel& free_text_model() {
    static const FreeText model;
    return model;
}

} // namespace buurtstem
