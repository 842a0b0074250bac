// Plain-language warnings on a consultation's Dutch texts, after the B1 guidance the councils follow
// (short sentences, common and short words). They never block a file: `buurtstem-server check` prints
// them so the writer can look again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"

namespace buurtstem {

inline constexpr size_t kPlainLanguageMaxSentenceWords = 15;
inline constexpr size_t kPlainLanguageMaxWordLetters = 18;

// Each warning names where the text is and what to look at, e.g.
//   "question 'gebruikt' text.nl: a sentence of 19 words (B1: at most 15): \"Heeft u ...\""
std::vector<std::string> plain_language_warnings(const Consultation& consultation,
                                                 std::string_view language = "nl");

// The same checks on one text (for tests and other callers): warnings without a place.
std::vector<std::string> plain_language_problems(std::string_view text);

} // namespace buurtstem
