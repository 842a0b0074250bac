// Word wrapping for labels residents read: lines break at spaces (and at explicit newlines), never inside
// a word. Dear ImGui's own wrapping (CalcWordWrapPositionA) breaks a word that does not fit the width
// between any two letters ("Ver y har d"), so the kiosk's widgets wrap with this instead.
//
// Header-only and free of ImGui: the width of a piece of text comes from a callable, so unit tests can
// wrap with a made-up font and the widgets with ImFont::CalcTextSizeA.
#pragma once

#include <string_view>
#include <vector>

namespace buurtstem::ui {

struct WrappedLine {
    size_t begin = 0; // byte offsets into the wrapped text; [begin, end) has no leading/trailing space
    size_t end = 0;
};

struct WrapResult {
    std::vector<WrappedLine> lines;
    // A single word wider than the line had to be split between letters: the last resort, which the
    // layout avoids by choosing widths (and font sizes) from widest_word(). Reported in the automation
    // map so a test can tell.
    bool broke_word = false;
};

namespace detail {

inline bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The longest prefix of `word` (whole code points, at least one) that fits `width`.
template <class Measure>
size_t fitting_prefix(std::string_view word, float width, const Measure& measure) {
    size_t fit = 0;
    size_t at = 0;
    while (at < word.size()) {
        size_t next = at + 1;
        while (next < word.size() && is_utf8_continuation(word[next])) {
            ++next;
        }
        if (fit > 0 && measure(word.substr(0, next)) > width) {
            break;
        }
        fit = next;
        at = next;
    }
    return fit;
}

} // namespace detail

// The width of the widest word (space- or newline-separated) of `text`.
template <class Measure>
float widest_word(std::string_view text, const Measure& measure) {
    float widest = 0.0f;
    size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && (text[at] == ' ' || text[at] == '\n')) {
            ++at;
        }
        size_t end = at;
        while (end < text.size() && text[end] != ' ' && text[end] != '\n') {
            ++end;
        }
        if (end > at) {
            const float w = measure(text.substr(at, end - at));
            widest = w > widest ? w : widest;
        }
        at = end;
    }
    return widest;
}

// Greedy wrapping of `text` into lines no wider than `width`, breaking only at spaces and newlines.
// `measure(std::string_view)` returns the drawn width of a piece of text.
template <class Measure>
WrapResult wrap_at_spaces(std::string_view text, float width, const Measure& measure) {
    WrapResult result;
    size_t paragraph = 0;
    while (paragraph <= text.size()) {
        size_t paragraph_end = text.find('\n', paragraph);
        if (paragraph_end == std::string_view::npos) {
            paragraph_end = text.size();
        }
        bool line_open = false;
        bool any_word = false;
        WrappedLine line;
        size_t at = paragraph;
        while (at < paragraph_end) {
            while (at < paragraph_end && text[at] == ' ') {
                ++at;
            }
            size_t word_end = at;
            while (word_end < paragraph_end && text[word_end] != ' ') {
                ++word_end;
            }
            if (word_end == at) {
                break;
            }
            any_word = true;
            if (line_open && measure(text.substr(line.begin, word_end - line.begin)) <= width) {
                line.end = word_end; // the word joins the current line
                at = word_end;
                continue;
            }
            if (line_open) {
                result.lines.push_back(line);
            }
            // The word starts a new line; split it only if it alone is wider than a line.
            while (at < word_end && measure(text.substr(at, word_end - at)) > width) {
                const size_t fit = detail::fitting_prefix(text.substr(at, word_end - at), width, measure);
                if (at + fit >= word_end) {
                    break; // one letter wider than the line: it overflows, but nothing is split
                }
                result.lines.push_back({at, at + fit});
                result.broke_word = true;
                at += fit;
            }
            line = {at, word_end};
            line_open = at < word_end; // the word's last piece may take the next words beside it
            at = word_end;
        }
        if (line_open) {
            result.lines.push_back(line);
        } else if (!any_word && (paragraph_end < text.size() || paragraph == 0)) {
            result.lines.push_back({paragraph, paragraph}); // an empty line keeps its place
        }
        if (paragraph_end == text.size()) {
            break;
        }
        paragraph = paragraph_end + 1;
    }
    return result;
}

} // namespace buurtstem::ui
