// smiley_scale: five faces from very unhappy (1) to very happy (5); the answer is "1".."5". Optional
// per-question labels (labels.nl = [...5]); else the kiosk's general ones from assets/i18n.
#include "type_model.hpp"

namespace buurtstem {

namespace {

class SmileyScale final : public TypeModel {
public:
    std::string_view name() const override { return "smiley_scale"; }
    std::vector<std::string_view> keys() const override { return {"labels"}; }
    void parse(const toml::table& table, Question& q, TypeParser& parser) const override {
        q.scale_labels = parser.scale_labels(table);
    }
    bool one_tap() const override { return true; }
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        return check_scale(q, value, kSmileyPoints, "smiley");
    }
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question&, const std::vector<ValueCount>& counted,
                                            std::string_view) const override {
        return tally_scale(counted, kSmileyPoints);
    }
};

} // namespace

const TypeModel& smiley_scale_model() {
    static const SmileyScale model;
    return model;
}

} // namespace buurtstem
