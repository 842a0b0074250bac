#include "buurtstem/ui/screen_sentences.hpp"

namespace buurtstem::ui {

std::string SmileyLabel(const Question& question, const std::string& language, const Catalog& texts,
                        int point) {
    auto own = question.scale_labels.find(language);
    if (own != question.scale_labels.end() && point >= 1 &&
        static_cast<size_t>(point) <= own->second.size()) {
        return own->second[static_cast<size_t>(point - 1)];
    }
    return texts.text(language, "smiley." + std::to_string(point));
}

std::vector<std::string> ScreenSentences(const ResidentFlow& flow, const Catalog& t,
                                         const ResultView* result) {
    const std::string& lang = flow.language();
    const Consultation& c = flow.consultation();
    std::vector<std::string> out;
    switch (flow.screen()) {
    case Screen::Start:
        out = {c.title.in(lang), c.intro.in(lang), t.text(lang, "start.anonymous")};
        // In the order the screen shows it: the result under the welcome, then the button.
        if (const ResultTextView* r = result != nullptr ? result->in(lang, c.default_language()) : nullptr) {
            out.push_back(t.text(lang, "result.title"));
            out.push_back(r->text);
            for (const auto& [label, value] : r->figures) {
                out.push_back(label + ": " + value);
            }
        }
        out.push_back(t.text(lang, "start.begin"));
        break;
    case Screen::Question: {
        if (flow.idle_warning_shown()) {
            out = {t.text(lang, "idle.title"), t.text(lang, "idle.body"), t.text(lang, "idle.continue")};
            break;
        }
        if (flow.stop_confirmation_shown()) {
            out = {t.text(lang, "stop.question"), t.text(lang, "stop.cancel"), t.text(lang, "stop.confirm")};
            break;
        }
        const Question& q = flow.current_question();
        out.push_back(q.text.in(lang));
        if (!q.hint.empty()) {
            out.push_back(q.hint.in(lang));
        }
        // Not a switch on the type: every type with options (today's and those to come) reads them.
        const std::string_view type = q.type_name();
        if (type == "smiley_scale") {
            for (int point = 1; point <= kSmileyPoints; ++point) {
                out.push_back(SmileyLabel(q, lang, t, point));
            }
        } else if (type == "free_text") {
            out.push_back(t.text(lang, "text.placeholder"));
        } else if (type == "agree_scale") {
            for (int point = 1; point <= 5; ++point) {
                out.push_back(t.text(lang, "agree." + std::to_string(point)));
            }
        } else if (type == "yes_no") {
            for (const char* value : {"yesno.yes", "yesno.no", "yesno.unknown"}) {
                out.push_back(t.text(lang, value));
            }
        } else {
            for (const Option& option : q.options) {
                out.push_back(option.label.in(lang));
            }
        }
        break;
    }
    case Screen::Saving:
        break;
    case Screen::SaveFailed:
        out = {t.text(lang, "error.store"), t.text(lang, "error.retry")};
        break;
    case Screen::Thanks:
        out = {t.text(lang, "thanks.title"), t.text(lang, "thanks.body")};
        if (result != nullptr && !result->address.empty()) {
            out.push_back(t.text(lang, "result.scan"));
        }
        break;
    }
    std::erase_if(out, [](const std::string& s) { return s.empty(); });
    return out;
}

std::vector<SpokenSentence> ScreenSpeech(const ResidentFlow& flow, const Catalog& t,
                                         const ResultView* result) {
    std::vector<SpokenSentence> out;
    for (std::string& sentence : ScreenSentences(flow, t, result)) {
        out.push_back({std::move(sentence), flow.language()});
    }
    // The screens that show the language buttons (screen_start.cpp, language_choice.cpp), and only with a
    // choice to make.
    const Consultation& c = flow.consultation();
    const bool overlay = flow.idle_warning_shown() || flow.stop_confirmation_shown();
    const bool buttons =
        flow.screen() == Screen::Start || (flow.screen() == Screen::Question && flow.is_quick());
    if (buttons && !overlay && c.languages.size() > 1) {
        for (const std::string& code : c.languages) {
            std::string name = t.text(code, "language.name");
            if (!name.empty()) {
                out.push_back({std::move(name), code});
            }
        }
    }
    return out;
}

std::string ScreenSpeechKey(const ResidentFlow& flow) {
    std::string key = std::to_string(static_cast<int>(flow.screen())) + "|" + flow.language();
    if (flow.screen() == Screen::Question) {
        key += "|" + std::to_string(flow.question_index()) + (flow.idle_warning_shown() ? "|idle" : "") +
               (flow.stop_confirmation_shown() ? "|stop" : "");
    }
    return key;
}

} // namespace buurtstem::ui
