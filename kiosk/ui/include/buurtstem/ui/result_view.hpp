// "You said, we did" as the screens show it: the council's result text in each language (from the
// verified result file, result_bundle.hpp; the app fills this in) and the public results page's address
// for the thank-you screen's QR code. Plain data, no ImGui, so ScreenSentences can read it aloud.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace buurtstem::ui {

struct ResultTextView {
    std::string text;
    std::vector<std::pair<std::string, std::string>> figures; // label, value
};

struct ResultView {
    std::map<std::string, ResultTextView> by_language;
    std::string address; // "https://<server>/r/<code>"; empty: no QR code on the thank-you screen

    // The text in `language`, else in `fallback` (the consultation's default language), else nullptr.
    const ResultTextView* in(const std::string& language, const std::string& fallback) const {
        for (const std::string* wanted : {&language, &fallback}) {
            if (auto it = by_language.find(*wanted); it != by_language.end()) {
                return &it->second;
            }
        }
        return nullptr;
    }
};

} // namespace buurtstem::ui
