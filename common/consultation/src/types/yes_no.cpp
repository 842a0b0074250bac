// yes_no: "yes", "no" or "unknown" ("weet ik niet"); the kiosk's labels are interface texts (assets/i18n:
// yesno.*). Exported as the words a council employee reads ("ja", "nee", "weet ik niet"), as the choice
// types export their option labels: in English for an English export, else in Dutch. The export is for
// the council, not for residents, and common/ cannot read the kiosk's interface texts, so these six
// words live here.
#include <array>

#include "type_model.hpp"

namespace buurtstem {

namespace {

constexpr std::array<std::string_view, 3> kValues = {"yes", "no", "unknown"};
constexpr std::array<std::string_view, 3> kDutchLabels = {"ja", "nee", "weet ik niet"};
constexpr std::array<std::string_view, 3> kEnglishLabels = {"yes", "no", "don't know"};

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
    std::vector<std::string> csv_cells(const Question&, std::string_view value,
                                       std::string_view language) const override {
        const auto& labels = language == "en" ? kEnglishLabels : kDutchLabels;
        for (size_t i = 0; i < kValues.size(); ++i) {
            if (value == kValues[i]) {
                return {std::string(labels[i])};
            }
        }
        return {std::string(value)}; // never after check_answer; shown as stored rather than lost
    }
    std::vector<TallyRow> summarize(const Question& q, const std::vector<std::string>& values,
                                    std::string_view language) const override {
        return summarize_counted(q, count_values(values), language);
    }
    std::vector<TallyRow> summarize_counted(const Question&, const std::vector<ValueCount>& counted,
                                            std::string_view) const override {
        std::vector<TallyRow> rows;
        for (std::string_view allowed : kValues) {
            double count = 0;
            for (const ValueCount& c : counted) {
                count += c.value == allowed ? static_cast<double>(c.count) : 0;
            }
            rows.push_back({std::string(allowed), count});
        }
        return rows;
    }
};

} // namespace

const TypeModel& yes_no_model() {
    static const YesNo model;
    return model;
}

} // namespace buurtstem
