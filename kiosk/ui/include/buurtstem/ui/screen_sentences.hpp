// What the current screen says, as sentences to read aloud: the same texts, from the same catalog and
// consultation, that the screens draw. No ImGui here, so the speech side and tests can use it too.
#pragma once

#include <string>
#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "buurtstem/ui/result_view.hpp"

namespace buurtstem::ui {

// The title or question of the screen the flow is on, then its options, in the flow's language. On the
// start screen, the council's result text too when `result` has one.
std::vector<std::string> ScreenSentences(const ResidentFlow& flow, const Catalog& texts,
                                         const ResultView* result = nullptr);

// One sentence to read aloud and the language whose voice reads it.
struct SpokenSentence {
    std::string text;
    std::string language;

    bool operator==(const SpokenSentence&) const = default;
};

// What the speaker button reads: ScreenSentences() in the resident's language, then, where the screen
// offers the language buttons (the start screen; a quick poll's question), each language's own name
// ("language.name" in assets/i18n) in that language's voice, in the buttons' order: a resident who did
// not understand the Dutch hears "Türkçe" said as a Turkish speaker says it, and can look for it.
std::vector<SpokenSentence> ScreenSpeech(const ResidentFlow& flow, const Catalog& texts,
                                         const ResultView* result = nullptr);

// Changes whenever what ScreenSentences() reads changes place: another screen, question, overlay or
// language. Reading aloud stops when it changes (EN 301 549 5.1.3: speech follows the screen).
std::string ScreenSpeechKey(const ResidentFlow& flow);

// The label under smiley `point` (1-5): the question's own labels in `language`, else the catalog's.
std::string SmileyLabel(const Question& question, const std::string& language, const Catalog& texts,
                        int point);

} // namespace buurtstem::ui
