// What a text in a consultation file may contain, so that everything the loader accepts can be drawn by
// the kiosk (Dear ImGui with 16-bit vertex indices aborts on a 60 000-character title) and read as it was
// meant (a right-to-left override can make "ja" show as "aj"; an escape character does nothing good).
//
// Every string the loader reads passes through text_problem(); the texts residents read also have a
// length limit per kind, below. The limits are generous for B1 writing: a question of 400 characters is
// already five long sentences.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace buurtstem {

inline constexpr size_t kMaxTitleLength = 150;        // start screen heading
inline constexpr size_t kMaxIntroLength = 1500;       // start screen text
inline constexpr size_t kMaxQuestionTextLength = 400; // the question itself
inline constexpr size_t kMaxHintLength = 400;         // the line under a question
inline constexpr size_t kMaxOptionLabelLength = 150;  // an answer card, a scale step
inline constexpr size_t kMaxAnyTextLength = 2000;     // any other string in the file (ids, codes)

enum TextFlags_ {
    TextFlags_None = 0,
    TextFlags_SingleLine = 1 << 0, // a label on a button or card: no line breaks
};
using TextFlags = int;

// Why `text` cannot be used, or nothing: invalid UTF-8; more than `max_length` code points; a control
// character (C0 except a line break where allowed, DEL, C1); a bidirectional embedding, override or
// isolate (U+202A-U+202E, U+2066-U+2069); a line or paragraph separator (U+2028, U+2029). The reason
// names the character and where it is ("contains a right-to-left override (U+202E) at character 12").
std::optional<std::string> text_problem(std::string_view text, size_t max_length,
                                        TextFlags flags = TextFlags_None);

// The length limit and flags for a localized text by its key in the file: "title", "intro", "text",
// "hint"; other keys get the question text's rule.
struct TextRule {
    size_t max_length;
    TextFlags flags;
};
TextRule text_rule_for_key(std::string_view key);

} // namespace buurtstem
