// Reads a consultation TOML file with toml++ and checks it completely before anything uses it.
//
// Every error carries the line and column of the offending key or value (toml++ keeps source regions),
// because the people who write these files are council employees, not programmers.
#include "buurtstem/consultation/consultation_loader.hpp"

#include "buurtstem/consultation/icons.hpp"

#include "buurtstem/core/slug.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace buurtstem {

std::string ConsultationError::to_string() const {
    std::string out = file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (column > 0) {
            out += ":" + std::to_string(column);
        }
    }
    return out + ": " + message;
}

namespace {

constexpr size_t kMaxQuestions = 60;
constexpr size_t kMinOptions = 2;
constexpr size_t kMaxOptions = 12;
constexpr int64_t kMaxFreeTextLength = 5000;

// Thrown inside this file only; parse_consultation turns it into a ConsultationError value.
struct Problem {
    toml::source_position where;
    std::string message;
};

[[noreturn]] void problem(const toml::source_region& at, std::string message) {
    throw Problem{at.begin, std::move(message)};
}

bool is_language_code(std::string_view text) {
    return (text.size() == 2 || text.size() == 3) &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// toml++ gives implicit tables (made by dotted keys such as `text.nl = ...`) no position of their own;
// fall back to the enclosing place so a message never says "line 0".
const toml::source_region& place(const toml::node& node, const toml::source_region& fallback) {
    return node.source().begin.line > 0 ? node.source() : fallback;
}

void reject_unknown_keys(const toml::table& table, std::initializer_list<std::string_view> known,
                         const std::string& context) {
    for (auto&& [key, value] : table) {
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
            std::string list;
            for (std::string_view k : known) {
                list += list.empty() ? "" : ", ";
                list += k;
            }
            problem(place(value, key.source()),
                    context + "unknown key '" + std::string(key.str()) + "' (allowed here: " + list + ")");
        }
    }
}

const toml::node& require(const toml::table& table, std::string_view key, const std::string& context) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
        problem(table.source(), context + "missing key '" + std::string(key) + "'");
    }
    return *node;
}

std::string require_string(const toml::node& node, const toml::source_region& fallback,
                           const std::string& what) {
    const auto* value = node.as_string();
    if (value == nullptr) {
        problem(place(node, fallback), what + " must be text in quotes");
    }
    return value->get();
}

class Loader {
public:
    explicit Loader(const toml::table& root) : root_(root) {}

    Consultation load() {
        reject_unknown_keys(root_, {"format", "id", "version", "languages", "title", "intro", "question"},
                            "");
        check_format();

        Consultation c;
        c.id = require_string(require(root_, "id", ""), root_.source(), "'id'");
        if (!is_slug(c.id)) {
            problem(place(*root_.get("id"), root_.source()),
                    "'id' must be 1-64 lower-case letters, digits, '-' or '_' (got '" + c.id + "')");
        }
        c.version = read_version();
        c.languages = read_languages();
        languages_ = c.languages;
        c.title = read_text(root_, "title", "", true);
        c.intro = read_text(root_, "intro", "", false);
        c.questions = read_questions();
        return c;
    }

private:
    void check_format() {
        const toml::node& node = require(root_, "format", "");
        const auto* value = node.as_integer();
        if (value == nullptr || value->get() != kConsultationFormat) {
            problem(place(node, root_.source()), "'format' must be " + std::to_string(kConsultationFormat) +
                                                     " (this file needs a newer or older Buurtstem)");
        }
    }

    int read_version() {
        const toml::node& node = require(root_, "version", "");
        const auto* value = node.as_integer();
        if (value == nullptr || value->get() < 1 || value->get() > 1'000'000) {
            problem(place(node, root_.source()), "'version' must be a whole number of 1 or more");
        }
        return static_cast<int>(value->get());
    }

    std::vector<std::string> read_languages() {
        const toml::node& node = require(root_, "languages", "");
        const auto* array = node.as_array();
        if (array == nullptr || array->empty()) {
            problem(place(node, root_.source()), "'languages' must be a list such as [\"nl\", \"en\"]");
        }
        std::vector<std::string> languages;
        for (const toml::node& item : *array) {
            const std::string code = require_string(item, node.source(), "a language");
            if (!is_language_code(code)) {
                problem(place(item, node.source()),
                        "'" + code + "' is not a language code such as \"nl\" or \"en\"");
            }
            if (std::find(languages.begin(), languages.end(), code) != languages.end()) {
                problem(place(item, node.source()), "language '" + code + "' is listed twice");
            }
            languages.push_back(code);
        }
        if (std::find(languages.begin(), languages.end(), "nl") == languages.end()) {
            problem(place(node, root_.source()),
                    "'languages' must include \"nl\": every consultation is in Dutch");
        }
        return languages;
    }

    // A table with one non-empty text per consultation language: `title.nl = "..."`.
    LocalizedText read_text(const toml::table& parent, std::string_view key, const std::string& context,
                            bool required) {
        const toml::node* node = parent.get(key);
        if (node == nullptr) {
            if (required) {
                problem(parent.source(), context + "missing key '" + std::string(key) + "'");
            }
            return {};
        }
        const toml::source_region& at = place(*node, parent.source());
        const auto* table = node->as_table();
        if (table == nullptr) {
            problem(at, context + "'" + std::string(key) + "' needs one text per language, e.g. " +
                            std::string(key) + ".nl = \"...\"");
        }
        std::map<std::string, std::string> texts;
        for (auto&& [language, value] : *table) {
            const std::string code(language.str());
            if (std::find(languages_.begin(), languages_.end(), code) == languages_.end()) {
                problem(place(value, at), context + "'" + std::string(key) + "' has text in '" + code +
                                              "', which is not in 'languages'");
            }
            std::string text = require_string(value, at, context + "'" + std::string(key) + "." + code + "'");
            if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
                problem(place(value, at), context + "'" + std::string(key) + "." + code + "' is empty");
            }
            texts.emplace(code, std::move(text));
        }
        for (const std::string& code : languages_) {
            if (!texts.contains(code)) {
                problem(at, context + "'" + std::string(key) + "' has no text in language '" + code + "'");
            }
        }
        return LocalizedText(std::move(texts));
    }

    std::vector<Question> read_questions() {
        const toml::node& node = require(root_, "question", "");
        const auto* array = node.as_array();
        if (array == nullptr || !array->is_array_of_tables() || array->empty()) {
            problem(place(node, root_.source()), "questions must be written as [[question]] blocks");
        }
        if (array->size() > kMaxQuestions) {
            problem(place(node, root_.source()), "more than " + std::to_string(kMaxQuestions) +
                                                     " questions: residents will not finish that");
        }
        std::vector<Question> questions;
        std::set<std::string> ids;
        for (size_t i = 0; i < array->size(); ++i) {
            const toml::table& table = *array->get(i)->as_table();
            Question q = read_question(table, i + 1);
            if (!ids.insert(q.id).second) {
                problem(place(*table.get("id"), table.source()), "question id '" + q.id + "' is used twice");
            }
            questions.push_back(std::move(q));
        }
        return questions;
    }

    Question read_question(const toml::table& table, size_t number) {
        std::string context = "question " + std::to_string(number) + ": ";
        reject_unknown_keys(
            table, {"id", "type", "text", "hint", "required", "options", "labels", "max_length"}, context);
        Question q;
        q.id = require_string(require(table, "id", context), table.source(), context + "'id'");
        if (!is_slug(q.id)) {
            problem(place(*table.get("id"), table.source()),
                    context + "'id' must be 1-64 lower-case letters, digits, '-' or '_' (got '" + q.id +
                        "')");
        }
        context = "question '" + q.id + "': ";

        const toml::node& type_node = require(table, "type", context);
        const std::string type = require_string(type_node, table.source(), context + "'type'");
        const auto kind = question_kind_from_string(type);
        if (!kind) {
            problem(place(type_node, table.source()),
                    context + "unknown type '" + type + "' (use single_choice, smiley_scale or free_text)");
        }
        q.kind = *kind;
        q.text = read_text(table, "text", context, true);
        q.hint = read_text(table, "hint", context, false);

        if (const toml::node* required = table.get("required")) {
            const auto* flag = required->as_boolean();
            if (flag == nullptr) {
                problem(place(*required, table.source()), context + "'required' must be true or false");
            }
            q.required = flag->get();
        }

        only_for(table, "options", QuestionKind::SingleChoice, q.kind, context);
        only_for(table, "labels", QuestionKind::SmileyScale, q.kind, context);
        only_for(table, "max_length", QuestionKind::FreeText, q.kind, context);
        switch (q.kind) {
        case QuestionKind::SingleChoice:
            q.options = read_options(table, context);
            break;
        case QuestionKind::SmileyScale:
            q.scale_labels = read_scale_labels(table, context);
            break;
        case QuestionKind::FreeText:
            q.max_length = read_max_length(table, context);
            break;
        }
        return q;
    }

    void only_for(const toml::table& table, std::string_view key, QuestionKind allowed, QuestionKind kind,
                  const std::string& context) {
        const toml::node* node = table.get(key);
        if (node != nullptr && kind != allowed) {
            problem(place(*node, table.source()), context + "'" + std::string(key) + "' only belongs to " +
                                                      std::string(to_string(allowed)) + " questions");
        }
    }

    // options = [ { id = "ja", nl = "Ja", en = "Yes" }, ... ]
    std::vector<Option> read_options(const toml::table& table, const std::string& context) {
        const toml::node& node = require(table, "options", context);
        const auto* array = node.as_array();
        const toml::source_region& at = place(node, table.source());
        if (array == nullptr || array->size() < kMinOptions || array->size() > kMaxOptions) {
            problem(at, context + "'options' must be a list of " + std::to_string(kMinOptions) + " to " +
                            std::to_string(kMaxOptions) +
                            " options like { id = \"ja\", nl = \"Ja\", en = \"Yes\" }");
        }
        std::vector<Option> options;
        for (const toml::node& item : *array) {
            const auto* option = item.as_table();
            const toml::source_region& item_at = place(item, at);
            if (option == nullptr) {
                problem(item_at,
                        context + "each option must look like { id = \"ja\", nl = \"Ja\", en = \"Yes\" }");
            }
            Option o;
            const toml::node* id = option->get("id");
            if (id == nullptr) {
                problem(item_at, context + "an option has no 'id'");
            }
            o.id = require_string(*id, item_at, context + "option 'id'");
            if (!is_slug(o.id)) {
                problem(place(*id, item_at),
                        context + "option id '" + o.id + "' must be lower-case letters, digits, '-' or '_'");
            }
            const std::string option_context = context + "option '" + o.id + "': ";
            std::map<std::string, std::string> labels;
            for (auto&& [key, value] : *option) {
                const std::string code(key.str());
                if (code == "id") {
                    continue;
                }
                if (code == "icon") {
                    o.icon = require_string(value, item_at, option_context + "'icon'");
                    if (!icon_code_point(o.icon)) {
                        std::string names;
                        for (const IconName& icon : kIcons) {
                            names += (names.empty() ? "" : ", ") + std::string(icon.name);
                        }
                        problem(place(value, item_at),
                                option_context + "icon '" + o.icon + "' is not one of: " + names);
                    }
                    continue;
                }
                if (std::find(languages_.begin(), languages_.end(), code) == languages_.end()) {
                    problem(place(value, item_at),
                            option_context + "'" + code + "' is not a language in 'languages'");
                }
                std::string label = require_string(value, item_at, option_context + "text in '" + code + "'");
                if (label.find_first_not_of(" \t") == std::string::npos) {
                    problem(place(value, item_at), option_context + "text in '" + code + "' is empty");
                }
                labels.emplace(code, std::move(label));
            }
            for (const std::string& code : languages_) {
                if (!labels.contains(code)) {
                    problem(item_at, option_context + "no text in language '" + code + "'");
                }
            }
            o.label = LocalizedText(std::move(labels));
            if (std::any_of(options.begin(), options.end(),
                            [&](const Option& other) { return other.id == o.id; })) {
                problem(place(*id, item_at), context + "option id '" + o.id + "' is used twice");
            }
            options.push_back(std::move(o));
        }
        return options;
    }

    // labels.nl = ["Heel slecht", "Slecht", "Gaat wel", "Goed", "Heel goed"] -- optional; the kiosk has
    // general labels in assets/i18n when a question has none.
    std::map<std::string, std::vector<std::string>> read_scale_labels(const toml::table& table,
                                                                      const std::string& context) {
        std::map<std::string, std::vector<std::string>> result;
        const toml::node* node = table.get("labels");
        if (node == nullptr) {
            return result;
        }
        const toml::source_region& at = place(*node, table.source());
        const auto* labels = node->as_table();
        if (labels == nullptr) {
            problem(at, context + "'labels' needs five texts per language, e.g. labels.nl = [\"...\", ...]");
        }
        for (auto&& [language, value] : *labels) {
            const std::string code(language.str());
            const toml::source_region& value_at = place(value, at);
            if (std::find(languages_.begin(), languages_.end(), code) == languages_.end()) {
                problem(value_at, context + "'labels." + code + "': '" + code + "' is not in 'languages'");
            }
            const auto* array = value.as_array();
            if (array == nullptr || array->size() != static_cast<size_t>(kSmileyPoints)) {
                problem(value_at, context + "'labels." + code + "' must be a list of exactly 5 texts");
            }
            std::vector<std::string> texts;
            for (const toml::node& item : *array) {
                texts.push_back(require_string(item, value_at, context + "each of 'labels." + code + "'"));
            }
            result.emplace(code, std::move(texts));
        }
        for (const std::string& code : languages_) {
            if (!result.contains(code)) {
                problem(at, context + "'labels' has no texts in language '" + code + "'");
            }
        }
        return result;
    }

    int read_max_length(const toml::table& table, const std::string& context) {
        const toml::node* node = table.get("max_length");
        if (node == nullptr) {
            return 500;
        }
        const auto* value = node->as_integer();
        if (value == nullptr || value->get() < 1 || value->get() > kMaxFreeTextLength) {
            problem(place(*node, table.source()), context + "'max_length' must be a whole number from 1 to " +
                                                      std::to_string(kMaxFreeTextLength));
        }
        return static_cast<int>(value->get());
    }

    const toml::table& root_;
    std::vector<std::string> languages_;
};

} // namespace

Result<Consultation, ConsultationError> parse_consultation(std::string_view toml_text,
                                                           std::string_view source_name) {
    const std::string source(source_name);
    try {
        toml::table root = toml::parse(toml_text, source_name);
        Consultation consultation = Loader(root).load();
        consultation.source = source;
        return consultation;
    } catch (const toml::parse_error& error) {
        return fail(ConsultationError{source, static_cast<int>(error.source().begin.line),
                                      static_cast<int>(error.source().begin.column),
                                      "not valid TOML: " + std::string(error.description())});
    } catch (const Problem& p) {
        return fail(ConsultationError{source, static_cast<int>(p.where.line),
                                      static_cast<int>(p.where.column), p.message});
    }
}

Result<Consultation, ConsultationError> load_consultation_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ConsultationError{path.string(), 0, 0, "cannot open the file (does it exist?)"});
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        return fail(ConsultationError{path.string(), 0, 0, "cannot read the file"});
    }
    return parse_consultation(content.str(), path.string());
}

Result<std::vector<Consultation>, ConsultationError>
load_consultation_folder(const std::filesystem::path& folder) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml") {
            files.push_back(entry.path());
        }
    }
    if (ec) {
        return fail(ConsultationError{folder.string(), 0, 0, "cannot list the folder: " + ec.message()});
    }
    std::sort(files.begin(), files.end());
    std::vector<Consultation> consultations;
    for (const auto& file : files) {
        auto loaded = load_consultation_file(file);
        if (!loaded) {
            return fail(loaded.error());
        }
        // Two files claiming the same id and version would make answers match one and be checked
        // against the other: refuse, and say which files.
        for (const Consultation& other : consultations) {
            if (other.id == loaded->id && other.version == loaded->version) {
                return fail(ConsultationError{file.string(), 0, 0,
                                              "consultation '" + loaded->id + "' version " +
                                                  std::to_string(loaded->version) + " is also in " +
                                                  other.source + " (raise 'version' in the newer file)"});
            }
        }
        consultations.push_back(std::move(loaded).value());
    }
    return consultations;
}

} // namespace buurtstem
