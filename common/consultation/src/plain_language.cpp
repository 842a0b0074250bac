#include "buurtstem/consultation/plain_language.hpp"

namespace buurtstem {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\t';
}

bool ends_sentence(char c) {
    return c == '.' || c == '!' || c == '?';
}

// A word without the punctuation around it ("geld." -> "geld", "(zorg)" -> "zorg").
std::string_view bare(std::string_view word) {
    auto punctuation = [](char c) {
        return c == '.' || c == ',' || c == '!' || c == '?' || c == ':' || c == ';' || c == '(' || c == ')' ||
               c == '"' || c == '\'';
    };
    while (!word.empty() && punctuation(word.front())) {
        word.remove_prefix(1);
    }
    while (!word.empty() && punctuation(word.back())) {
        word.remove_suffix(1);
    }
    return word;
}

std::string quote_start(std::string_view sentence) {
    // The first words, enough to find the sentence in the file.
    size_t words = 0;
    size_t at = 0;
    while (at < sentence.size() && words < 6) {
        while (at < sentence.size() && is_space(sentence[at])) {
            ++at;
        }
        while (at < sentence.size() && !is_space(sentence[at])) {
            ++at;
        }
        ++words;
    }
    return "\"" + std::string(sentence.substr(0, at)) + (at < sentence.size() ? " ...\"" : "\"");
}

} // namespace

std::vector<std::string> plain_language_problems(std::string_view text) {
    std::vector<std::string> problems;
    size_t sentence_start = 0;
    size_t words = 0;
    size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && is_space(text[at])) {
            ++at;
        }
        if (at >= text.size()) {
            break;
        }
        const size_t word_start = at;
        while (at < text.size() && !is_space(text[at])) {
            ++at;
        }
        const std::string_view word = text.substr(word_start, at - word_start);
        const std::string_view letters = bare(word);
        if (!letters.empty()) {
            ++words;
        }
        // A web or e-mail address is long but cannot be said shorter.
        const bool address = letters.find('@') != std::string_view::npos || letters.find("www") == 0 ||
                             letters.find("://") != std::string_view::npos;
        if (utf8_length(letters) > kPlainLanguageMaxWordLetters && !address) {
            problems.push_back(
                "a long word (" + std::to_string(utf8_length(letters)) + " letters; B1: prefer at most " +
                std::to_string(kPlainLanguageMaxWordLetters) + "): \"" + std::string(letters) + "\"");
        }
        if (ends_sentence(word.back()) || at >= text.size()) {
            if (words > kPlainLanguageMaxSentenceWords) {
                problems.push_back("a sentence of " + std::to_string(words) + " words (B1: at most " +
                                   std::to_string(kPlainLanguageMaxSentenceWords) +
                                   "): " + quote_start(text.substr(sentence_start, at - sentence_start)));
            }
            words = 0;
            sentence_start = at;
            while (sentence_start < text.size() && is_space(text[sentence_start])) {
                ++sentence_start;
            }
        }
    }
    return problems;
}

std::vector<std::string> plain_language_warnings(const Consultation& c, std::string_view language) {
    std::vector<std::string> warnings;
    auto check = [&](const std::string& where, const LocalizedText& text) {
        if (!text.has(language)) {
            return;
        }
        for (const std::string& problem : plain_language_problems(text.in(language))) {
            warnings.push_back(where + "." + std::string(language) + ": " + problem);
        }
    };
    check("title", c.title);
    check("intro", c.intro);
    for (const Question& q : c.questions) {
        const std::string where = "question '" + q.id + "' ";
        check(where + "text", q.text);
        check(where + "hint", q.hint);
        for (const Option& option : q.options) {
            check(where + "option '" + option.id + "'", option.label);
        }
    }
    return warnings;
}

} // namespace buurtstem
