#include "buurtstem/consultation/consultation.hpp"

#include <algorithm>

namespace buurtstem {

const std::string& LocalizedText::in(std::string_view language, std::string_view fallback) const {
    static const std::string empty;
    if (auto it = by_language_.find(std::string(language)); it != by_language_.end()) {
        return it->second;
    }
    if (auto it = by_language_.find(std::string(fallback)); it != by_language_.end()) {
        return it->second;
    }
    return by_language_.empty() ? empty : by_language_.begin()->second;
}

bool LocalizedText::has(std::string_view language) const {
    return by_language_.contains(std::string(language));
}

const Option* Question::find_option(std::string_view option_id) const {
    auto it =
        std::find_if(options.begin(), options.end(), [&](const Option& o) { return o.id == option_id; });
    return it == options.end() ? nullptr : &*it;
}

bool Consultation::offers_language(std::string_view language) const {
    return std::find(languages.begin(), languages.end(), language) != languages.end();
}

const Question* Consultation::find_question(std::string_view question_id) const {
    auto it = std::find_if(questions.begin(), questions.end(),
                           [&](const Question& q) { return q.id == question_id; });
    return it == questions.end() ? nullptr : &*it;
}

size_t utf8_length(std::string_view text) {
    // Count every byte that is not a UTF-8 continuation byte (10xxxxxx).
    return static_cast<size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<std::string> check_answer(const Question& question, std::string_view value) {
    if (question.type == nullptr) {
        return "question '" + question.id + "' has no type";
    }
    return question.type->check_answer(question, value);
}

namespace {

// The index of the question `q`'s show-if names; nullopt without show-if (or, never after the loader,
// when it names no earlier question).
std::optional<size_t> condition_index(const Consultation& c, size_t index) {
    const Question& q = c.questions.at(index);
    if (q.show_if_question.empty()) {
        return std::nullopt;
    }
    for (size_t i = 0; i < index; ++i) {
        if (c.questions[i].id == q.show_if_question) {
            return i;
        }
    }
    return std::nullopt;
}

} // namespace

bool is_question_shown(const Consultation& c, size_t index, const std::vector<std::string>& answers) {
    const Question& q = c.questions.at(index);
    if (q.show_if_question.empty()) {
        return true;
    }
    const std::optional<size_t> target = condition_index(c, index);
    if (!target || *target >= answers.size() || answers[*target].empty() ||
        !is_question_shown(c, *target, answers)) {
        return false;
    }
    const Question& condition = c.questions[*target];
    return std::any_of(q.show_if_values.begin(), q.show_if_values.end(), [&](const std::string& wanted) {
        return condition.type->matches(condition, answers[*target], wanted);
    });
}

std::optional<std::string> why_question_hidden(const Consultation& c, size_t index,
                                               const std::vector<std::string>& answers) {
    if (is_question_shown(c, index, answers)) {
        return std::nullopt;
    }
    const Question& q = c.questions.at(index);
    std::string wanted;
    for (const std::string& value : q.show_if_values) {
        wanted += (wanted.empty() ? "'" : " or '") + value + "'";
    }
    const std::string rule =
        "question '" + q.id + "' is only asked when '" + q.show_if_question + "' is " + wanted;
    const std::optional<size_t> target = condition_index(c, index);
    if (!target) {
        return rule + ", and that question does not come earlier";
    }
    if (!is_question_shown(c, *target, answers)) {
        return rule + ", and '" + q.show_if_question +
               "' itself was not asked: " + *why_question_hidden(c, *target, answers);
    }
    if (*target >= answers.size() || answers[*target].empty()) {
        return rule + "; this response has no answer to '" + q.show_if_question + "'";
    }
    return rule + "; this response answers '" + q.show_if_question + "' with '" + answers[*target] + "'";
}

} // namespace buurtstem
