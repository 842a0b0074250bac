// yes_no: "yes", "no" or "unknown" ("weet ik niet"); the labels are interface texts (assets/i18n:
// yesno.*). Exported as those three words, which read the same in every export language.
#include <array>

#include "type_model.hpp"

namespace buurtstem {

namespace {

constexpr std::array<std::string_view, 3> kValues = {"yes", "no", "unknown"};

class YesNo final : public TypeModel {
public:
    std::string_view name() const override { return "yes_no"; }
    std::vector<std::string_view> keys() const override { return {}; }
    void parse(const toml::table&, Question&, TypeParser&) const override {}
    bool one_tap() const override { return true; }
    std::optional<std::string> check_answer(const Question& q, std::string_view value) const override {
        for (std::string_view allowed : kValues) {
            if (value == allowed) {
                return std::nullopt;
            }
        }
        return "answer to '" + q.id + "' must be yes, no or unknown, not '" + std::string(value) + "'";
    }
    std::vector<TallyRow> summarize(const Question&, const std::vector<std::string>& values,
                                    std::string_view) const override {
        std::vector<TallyRow> rows;
        for (std::string_view allowed : kValues) {
            rows.push_back({std::string(allowed),
                            static_cast<double>(std::count(values.begin(), values.end(), allowed))});
        }
        return rows;
    }
    std::vector<TallyCount> tally(const Question&, const std::vector<std::string>& values) const override {
        std::vector<TallyCount> counts;
        for (std::string_view allowed : kValues) {
            counts.push_back({std::string(allowed), std::count(values.begin(), values.end(), allowed)});
        }
        return counts;
    }
};

} // namespace

const TypeModel& yes_no_model() {
    static const YesNo model;
    return model;
}

} // namespace buurtstem
