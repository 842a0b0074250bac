// agree_scale: five steps from "helemaal oneens" (1) to "helemaal eens" (5); the answer is "1".."5".
// The step labels are interface texts (assets/i18n: agree.1 .. agree.5), the same for every question,
// so residents learn the scale once. Exported as 1-5 so a spreadsheet can average it.
#include "type_model.hpp"

namespace buurtstem {

namespace {

constexpr int kAgreePoints = 5;

class AgreeScale final : public TypeModel {
public:
    std::string_view name() const override { return "agree_scale"; }
    std::vector<std::string_view> keys() const override { return {}; }
    void parse(const toml::table&, Question&, TypeParser&) const override {}
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        return check_scale(q, value, kAgreePoints, "agree-scale");
    }
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question&, const std::vector<ValueCount>& counted,
                                            std::string_view) const override {
        return tally_scale(counted, kAgreePoints);
    }
};

} // namespace

const TypeModel& agree_scale_model() {
    static const AgreeScale model;
    return model;
}

} // namespace buurtstem
