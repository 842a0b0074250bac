// The consultation model: questions in several languages, as loaded from config/consultations/*.toml.
// See config/consultations/FORMAT.md for the file format.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buurtstem {

// One text in every language of the consultation, keyed by language code ("nl", "en").
class LocalizedText {
public:
    LocalizedText() = default;
    explicit LocalizedText(std::map<std::string, std::string> by_language)
        : by_language_(std::move(by_language)) {}

    // The text in `language`, else in `fallback`, else any; empty only when the text is empty.
    const std::string& in(std::string_view language, std::string_view fallback = "nl") const;
    bool has(std::string_view language) const;
    bool empty() const { return by_language_.empty(); }
    const std::map<std::string, std::string>& all() const { return by_language_; }

private:
    std::map<std::string, std::string> by_language_;
};

enum class QuestionKind {
    SingleChoice, // pick one option; the answer is the option's id
    SmileyScale,  // five faces from very unhappy (1) to very happy (5); the answer is "1".."5"
    FreeText,     // typed text, at most max_length characters (UTF-8 code points)
};

std::string_view to_string(QuestionKind kind);
std::optional<QuestionKind> question_kind_from_string(std::string_view text);

struct Option {
    std::string id;
    LocalizedText label;
    std::string icon; // a name from kIcons (icons.hpp), or empty: a pictogram beside the label
};

struct Question {
    std::string id;
    QuestionKind kind = QuestionKind::SingleChoice;
    LocalizedText text;
    LocalizedText hint;          // optional extra explanation under the question
    bool required = false;       // residents may skip a question unless it is required
    std::vector<Option> options; // SingleChoice only
    std::map<std::string, std::vector<std::string>> scale_labels; // SmileyScale only: language -> 5 labels
    int max_length = 500;                                         // FreeText only

    const Option* find_option(std::string_view option_id) const;
};

inline constexpr int kSmileyPoints = 5;

struct Consultation {
    std::string id;                     // stable slug, e.g. "minimaregelingen-ijmond"
    int version = 1;                    // raised by the council whenever questions change
    std::vector<std::string> languages; // the first is the default
    LocalizedText title;
    LocalizedText intro;
    std::vector<Question> questions;
    std::string source; // where it was loaded from, for messages

    const std::string& default_language() const { return languages.front(); }
    bool offers_language(std::string_view language) const;
    const Question* find_question(std::string_view question_id) const;
};

// Checks one answer value against its question: nullopt when valid, else a reason in English for logs and
// server errors (residents never see it: the kiosk only produces valid values).
std::optional<std::string> check_answer(const Question& question, std::string_view value);

// Number of Unicode code points in valid UTF-8 `text` (what a resident sees as characters).
size_t utf8_length(std::string_view text);

} // namespace buurtstem
