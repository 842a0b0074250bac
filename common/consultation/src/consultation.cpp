#include "buurtstem/consultation/consultation.hpp"

#include <algorithm>
#include <charconv>

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

std::string_view to_string(QuestionKind kind) {
    switch (kind) {
    case QuestionKind::SingleChoice:
        return "single_choice";
    case QuestionKind::SmileyScale:
        return "smiley_scale";
    case QuestionKind::FreeText:
        return "free_text";
    }
    return "unknown";
}

std::optional<QuestionKind> question_kind_from_string(std::string_view text) {
    for (QuestionKind kind :
         {QuestionKind::SingleChoice, QuestionKind::SmileyScale, QuestionKind::FreeText}) {
        if (to_string(kind) == text) {
            return kind;
        }
    }
    return std::nullopt;
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
    switch (question.kind) {
    case QuestionKind::SingleChoice:
        if (question.find_option(value) == nullptr) {
            return "'" + std::string(value) + "' is not an option of question '" + question.id + "'";
        }
        return std::nullopt;
    case QuestionKind::SmileyScale: {
        int point = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), point);
        if (ec != std::errc() || end != value.data() + value.size() || point < 1 || point > kSmileyPoints) {
            return "smiley answer to '" + question.id + "' must be 1 to 5, not '" + std::string(value) + "'";
        }
        return std::nullopt;
    }
    case QuestionKind::FreeText:
        if (value.empty()) {
            return "text answer to '" + question.id + "' is empty";
        }
        if (utf8_length(value) > static_cast<size_t>(question.max_length)) {
            return "text answer to '" + question.id + "' is longer than " +
                   std::to_string(question.max_length) + " characters";
        }
        return std::nullopt;
    }
    return "unknown question kind";
}

} // namespace buurtstem
