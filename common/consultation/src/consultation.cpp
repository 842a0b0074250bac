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

} // namespace buurtstem
