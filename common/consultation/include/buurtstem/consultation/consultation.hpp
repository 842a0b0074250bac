// The consultation model: questions in several languages, as loaded from config/consultations/*.toml.
// See config/consultations/FORMAT.md for the file format.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/question_type.hpp"

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

struct Option {
    std::string id;
    LocalizedText label;
    std::string icon; // a name from kIcons (icons.hpp), or empty: a pictogram beside the label
    // "pictograms/NAME.png" under the kiosk's assets folder (pictogram.hpp), or empty. With `icon` too, the
    // image is drawn and the glyph is the fallback where the image cannot be (the kiosk could not load it).
    std::string image;
};

struct Question {
    std::string id;
    const QuestionType* type = nullptr; // from the registry (question_type.hpp); set by the loader
    LocalizedText text;
    LocalizedText hint;          // optional extra explanation under the question
    bool required = false;       // residents may skip a question unless it is required
    std::vector<Option> options; // single_choice, multiple_choice, ranking
    std::map<std::string, std::vector<std::string>> scale_labels; // smiley_scale: language -> 5 labels
    int max_length = 500;                                         // free_text
    int min_choices = 1;                                          // multiple_choice
    int max_choices = 1;                                          // multiple_choice
    // show-if: shown only when the answer to the earlier question `show_if_question` matches one of
    // `show_if_values` (see QuestionType::matches); empty question: always shown.
    std::string show_if_question;
    std::vector<std::string> show_if_values;

    const Option* find_option(std::string_view option_id) const;
    std::string_view type_name() const { return type != nullptr ? type->name() : std::string_view(); }
};

inline constexpr int kSmileyPoints = 5;

struct Consultation {
    std::string id;                     // stable slug, e.g. "minimaregelingen-ijmond"
    int version = 1;                    // raised by the council whenever questions change
    std::vector<std::string> languages; // the first is the default
    LocalizedText title;
    LocalizedText intro;
    std::vector<Question> questions;
    bool quick = false;       // quick poll: one one-tap question is the start screen (see FORMAT.md)
    std::string municipality; // who holds it ("Velsen"); empty: not said (only admins see it)
    // At the end, ask "Wilt u uitgenodigd worden om mee te praten?" (name and phone or e-mail, stored
    // apart from the answers: kiosk/store/SCHEMA.md "contacts"). FORMAT.md.
    bool ask_contact = false;
    std::string source; // where it was loaded from, for messages

    const std::string& default_language() const { return languages.front(); }
    bool offers_language(std::string_view language) const;
    const Question* find_question(std::string_view question_id) const;
};

// Checks one answer value against its question: nullopt when valid, else a reason in English for logs and
// server errors (residents never see it: the kiosk only produces valid values).
std::optional<std::string> check_answer(const Question& question, std::string_view value);

// show-if, the one rule the kiosk's flow and the server's answer check share: whether questions[index]
// is shown when answers[i] is the answer to questions[i] (empty: none). The condition's question must be
// shown itself (the loader guarantees it comes earlier), so a chain of show-ifs hides as a whole.
bool is_question_shown(const Consultation& c, size_t index, const std::vector<std::string>& answers);
// Why questions[index] is not shown with `answers`, in English for the server's rejection; nullopt
// when it is shown.
std::optional<std::string> why_question_hidden(const Consultation& c, size_t index,
                                               const std::vector<std::string>& answers);

// Number of Unicode code points in valid UTF-8 `text` (what a resident sees as characters).
size_t utf8_length(std::string_view text);

} // namespace buurtstem
