// Helpers shared by the question types, and the QuestionType defaults (one export column).
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "type_model.hpp"

namespace buurtstem {

std::vector<CsvColumn> QuestionType::csv_columns(const Question& q, std::string_view) const {
    return {{q.id, q.id}};
}

std::vector<std::string> QuestionType::csv_cells(const Question&, std::string_view value,
                                                 std::string_view) const {
    return {std::string(value)};
}

std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> items;
    if (value.empty()) {
        return items;
    }
    size_t from = 0;
    while (true) {
        const size_t comma = value.find(',', from);
        items.emplace_back(value.substr(from, comma == std::string_view::npos ? value.npos : comma - from));
        if (comma == std::string_view::npos) {
            return items;
        }
        from = comma + 1;
    }
}

std::string join_list(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ",") + item;
    }
    return out;
}

std::vector<ValueCount> count_values(const std::vector<std::string>& values) {
    std::vector<ValueCount> counted;
    std::map<std::string_view, size_t> index;
    for (const std::string& value : values) {
        const auto [at, inserted] = index.emplace(value, counted.size());
        if (inserted) {
            counted.push_back({value, 0});
        }
        ++counted[at->second].count;
    }
    return counted;
}

std::vector<TallyRow> QuestionType::summarize_counted(const Question& q,
                                                      const std::vector<ValueCount>& counted,
                                                      std::string_view language) const {
    std::vector<std::string> values;
    for (const ValueCount& c : counted) {
        values.insert(values.end(), static_cast<size_t>(c.count), c.value);
    }
    return summarize(q, values, language);
}

const TypeModel* find_type_model(std::string_view name) {
    for (const TypeModel* model : type_models()) {
        if (model->name() == name) {
            return model;
        }
    }
    return nullptr;
}

const QuestionType* find_question_type(std::string_view name) {
    return find_type_model(name);
}

std::string question_type_list() {
    std::string list;
    for (const TypeModel* model : type_models()) {
        list += (list.empty() ? "" : ", ") + std::string(model->name());
    }
    return list;
}

std::optional<int> scale_point(std::string_view value, int points) {
    int point = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), point);
    if (ec != std::errc() || end != value.data() + value.size() || point < 1 || point > points) {
        return std::nullopt;
    }
    return point;
}

std::optional<std::string> check_scale(const Question& q, std::string_view value, int points,
                                       std::string_view what) {
    if (!scale_point(value, points)) {
        return std::string(what) + " answer to '" + q.id + "' must be 1 to " + std::to_string(points) +
               ", not '" + std::string(value) + "'";
    }
    return std::nullopt;
}

std::vector<TallyRow> tally_options(const Question& q, const std::vector<ValueCount>& counted,
                                    std::string_view language, bool listed) {
    std::vector<TallyRow> rows;
    for (const Option& option : q.options) {
        double count = 0;
        for (const ValueCount& c : counted) {
            const std::vector<std::string> ids =
                listed ? split_list(c.value) : std::vector<std::string>{c.value};
            count += std::count(ids.begin(), ids.end(), option.id) > 0 ? static_cast<double>(c.count) : 0;
        }
        rows.push_back({option.label.in(language), count});
    }
    return rows;
}

std::vector<TallyRow> tally_scale(const std::vector<ValueCount>& counted, int points) {
    std::vector<TallyRow> rows;
    double sum = 0;
    double answered = 0;
    for (int point = 1; point <= points; ++point) {
        double count = 0;
        for (const ValueCount& c : counted) {
            if (scale_point(c.value, points) == point) {
                count += static_cast<double>(c.count);
            }
        }
        sum += count * point;
        answered += count;
        rows.push_back({std::to_string(point), count});
    }
    rows.push_back({"mean", answered > 0 ? sum / answered : 0});
    return rows;
}

std::optional<std::string> check_option_list(const Question& q, std::string_view value) {
    std::set<std::string> seen;
    for (const std::string& id : split_list(value)) {
        if (q.find_option(id) == nullptr) {
            return "'" + id + "' is not an option of question '" + q.id + "'";
        }
        if (!seen.insert(id).second) {
            return "option '" + id + "' appears twice in the answer to '" + q.id + "'";
        }
    }
    return std::nullopt;
}

} // namespace buurtstem
