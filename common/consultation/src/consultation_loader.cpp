// Reads a consultation TOML file with toml++ and checks it completely before anything uses it.
//
// Every error carries the line and column of the offending key or value (toml++ keeps source regions),
// because the people who write these files are council employees, not programmers.
#include "buurtstem/consultation/consultation_loader.hpp"

#include "buurtstem/consultation/icons.hpp"
#include "buurtstem/consultation/pictogram.hpp"

#include "buurtstem/consultation/text_rules.hpp"
#include "buurtstem/core/slug.hpp"
#include "types/type_model.hpp"

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

void reject_unknown_keys_list(const toml::table& table, const std::vector<std::string_view>& known,
                              const std::string& context);

void reject_unknown_keys(const toml::table& table, std::initializer_list<std::string_view> known,
                         const std::string& context) {
    reject_unknown_keys_list(table, std::vector<std::string_view>(known), context);
}

void reject_unknown_keys_list(const toml::table& table, const std::vector<std::string_view>& known,
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

// Every string of the file passes here, with the length and line rule of what it is (any other string:
// kMaxAnyTextLength). A line break written on Windows counts as one, and nothing the kiosk cannot draw as
// meant gets through (text_rules.hpp).
std::string require_string(const toml::node& node, const toml::source_region& fallback,
                           const std::string& what,
                           const TextRule& rule = {kMaxAnyTextLength, TextFlags_None}) {
    const auto* value = node.as_string();
    if (value == nullptr) {
        problem(place(node, fallback), what + " must be text in quotes");
    }
    std::string text = value->get();
    for (size_t at = text.find("\r\n"); at != std::string::npos; at = text.find("\r\n", at)) {
        text.erase(at, 1);
    }
    if (auto wrong = text_problem(text, rule.max_length, rule.flags)) {
        problem(place(node, fallback), what + " " + *wrong);
    }
    return text;
}

class Loader final : public TypeParser {
public:
    Loader(const toml::table& root, const ConsultationLoadOptions& options)
        : root_(root), options_(options) {}

    Consultation load() {
        reject_unknown_keys(root_,
                            {"format", "id", "version", "languages", "title", "intro", "quick",
                             "municipality", "ask_contact", "question"},
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
        c.quick = read_quick(c.questions);
        c.municipality = read_municipality();
        c.ask_contact = read_ask_contact();
        return c;
    }

    // TypeParser: the primitives a question type's parse() uses (src/types/).
    std::vector<Option> options(const toml::table& question) override {
        return read_options(question, context_);
    }
    std::map<std::string, std::vector<std::string>> scale_labels(const toml::table& question) override {
        return read_scale_labels(question, context_);
    }
    std::optional<int64_t> integer(const toml::table& question, std::string_view key, int64_t min,
                                   int64_t max) override {
        const toml::node* node = question.get(key);
        if (node == nullptr) {
            return std::nullopt;
        }
        const auto* value = node->as_integer();
        if (value == nullptr || value->get() < min || value->get() > max) {
            problem(place(*node, question.source()), context_ + "'" + std::string(key) +
                                                         "' must be a whole number from " +
                                                         std::to_string(min) + " to " + std::to_string(max));
        }
        return value->get();
    }
    [[noreturn]] void fail(const toml::table& question, std::string_view key,
                           const std::string& message) override {
        const toml::node* node = question.get(key);
        problem(node != nullptr ? place(*node, question.source()) : question.source(), context_ + message);
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

    // Optional: the municipality that holds the consultation; its analysts see it on the dashboard.
    std::string read_municipality() {
        const toml::node* node = root_.get("municipality");
        if (node == nullptr) {
            return {};
        }
        std::string name = require_string(*node, root_.source(), "'municipality'");
        if (name.empty() || name.size() > 100 || name.find_first_of("\n\r\t") != std::string::npos) {
            problem(place(*node, root_.source()),
                    "'municipality' must be a name on one line of 1 to 100 characters, such as \"Velsen\"");
        }
        return name;
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
            std::string text = require_string(value, at, context + "'" + std::string(key) + "." + code + "'",
                                              text_rule_for_key(key));
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
            Question q = read_question(table, i + 1, questions);
            if (!ids.insert(q.id).second) {
                problem(place(*table.get("id"), table.source()), "question id '" + q.id + "' is used twice");
            }
            questions.push_back(std::move(q));
        }
        return questions;
    }

    Question read_question(const toml::table& table, size_t number, const std::vector<Question>& earlier) {
        std::string context = "question " + std::to_string(number) + ": ";
        // Which keys are allowed depends on the type; the type is read first so a typo in any other key
        // is reported against the right list.
        std::vector<std::string_view> known = {"id", "type", "text", "hint", "required", "show_if"};
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
        const TypeModel* model = find_type_model(type);
        if (model == nullptr) {
            problem(place(type_node, table.source()),
                    context + "unknown type '" + type + "' (use " + question_type_list() + ")");
        }
        q.type = model;
        for (std::string_view key : model->keys()) {
            known.push_back(key);
        }
        for (auto&& [key, value] : table) {
            if (std::find(known.begin(), known.end(), key.str()) != known.end()) {
                continue;
            }
            // A key that belongs to another type gets a message naming the types it belongs to.
            std::string owners;
            for (const TypeModel* other : type_models()) {
                const auto keys = other->keys();
                if (std::find(keys.begin(), keys.end(), key.str()) != keys.end()) {
                    owners += (owners.empty() ? "" : ", ") + std::string(other->name());
                }
            }
            if (!owners.empty()) {
                problem(place(value, key.source()), context + "'" + std::string(key.str()) +
                                                        "' does not belong to " + type +
                                                        " questions (only to " + owners + ")");
            }
        }
        reject_unknown_keys_list(table, known, context);
        q.text = read_text(table, "text", context, true);
        q.hint = read_text(table, "hint", context, false);

        if (const toml::node* required = table.get("required")) {
            const auto* flag = required->as_boolean();
            if (flag == nullptr) {
                problem(place(*required, table.source()), context + "'required' must be true or false");
            }
            q.required = flag->get();
        }
        context_ = context;
        model->parse(table, q, *this);
        read_show_if(table, q, earlier, context);
        return q;
    }

    // show_if = { question = "gebruikt", equals = "ja" }  or  { question = "gebruikt", in = ["ja", "nee"] }
    void read_show_if(const toml::table& table, Question& q, const std::vector<Question>& earlier,
                      const std::string& context) {
        const toml::node* node = table.get("show_if");
        if (node == nullptr) {
            return;
        }
        const toml::source_region& at = place(*node, table.source());
        if (q.required) {
            // A hidden question cannot be answered; the server could not tell it from a skipped one.
            problem(place(*table.get("required"), table.source()),
                    context + "a question with 'show_if' cannot be required");
        }
        const auto* condition = node->as_table();
        const std::string shape = "'show_if' must look like { question = \"id\", equals = \"value\" } or "
                                  "{ question = \"id\", in = [\"a\", \"b\"] }";
        if (condition == nullptr) {
            problem(at, context + shape);
        }
        reject_unknown_keys(*condition, {"question", "equals", "in"}, context + "show_if: ");
        const toml::node* question = condition->get("question");
        if (question == nullptr) {
            problem(at, context + shape);
        }
        q.show_if_question = require_string(*question, at, context + "show_if 'question'");
        const auto target = std::find_if(earlier.begin(), earlier.end(),
                                         [&](const Question& e) { return e.id == q.show_if_question; });
        if (target == earlier.end()) {
            problem(place(*question, at), context + "show_if refers to '" + q.show_if_question +
                                              "', which is not a question before this one");
        }
        if (!target->type->can_be_condition()) {
            problem(place(*question, at), context + "show_if cannot depend on '" + target->id + "': a " +
                                              std::string(target->type->name()) +
                                              " answer has no single value to compare");
        }
        const toml::node* equals = condition->get("equals");
        const toml::node* in = condition->get("in");
        if ((equals == nullptr) == (in == nullptr)) {
            problem(at, context + "'show_if' needs exactly one of 'equals' or 'in'");
        }
        std::vector<const toml::node*> values;
        if (equals != nullptr) {
            values.push_back(equals);
        } else {
            const auto* list = in->as_array();
            if (list == nullptr || list->empty()) {
                problem(place(*in, at), context + "show_if 'in' must be a list such as [\"ja\", \"nee\"]");
            }
            for (const toml::node& item : *list) {
                values.push_back(&item);
            }
        }
        for (const toml::node* value : values) {
            std::string wanted = require_string(*value, at, context + "a show_if value");
            if (auto why = target->type->check_condition_value(*target, wanted)) {
                problem(place(*value, at),
                        context + "show_if value '" + wanted + "' can never match: " + *why);
            }
            q.show_if_values.push_back(std::move(wanted));
        }
    }

    // ask_contact = true: at the end the kiosk asks whether the resident wants to be invited (FORMAT.md).
    bool read_ask_contact() {
        const toml::node* node = root_.get("ask_contact");
        if (node == nullptr) {
            return false;
        }
        const auto* flag = node->as_boolean();
        if (flag == nullptr) {
            problem(place(*node, root_.source()), "'ask_contact' must be true or false");
        }
        return flag->get();
    }

    // quick = true: a one-tap poll (FORMAT.md). One question, answered with one tap.
    bool read_quick(const std::vector<Question>& questions) {
        const toml::node* node = root_.get("quick");
        if (node == nullptr) {
            return false;
        }
        const auto* flag = node->as_boolean();
        if (flag == nullptr) {
            problem(place(*node, root_.source()), "'quick' must be true or false");
        }
        if (!flag->get()) {
            return false;
        }
        if (questions.size() != 1) {
            problem(place(*node, root_.source()),
                    "a quick poll (quick = true) has exactly one question, not " +
                        std::to_string(questions.size()));
        }
        if (!questions.front().type->one_tap()) {
            problem(place(*node, root_.source()),
                    "a quick poll needs a question answered with one tap (single_choice, smiley_scale or "
                    "yes_no), not " +
                        std::string(questions.front().type->name()));
        }
        return true;
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
                if (code == "image") {
                    o.image = require_string(value, item_at, option_context + "'image'");
                    if (auto wrong = pictogram_path_problem(o.image)) {
                        problem(place(value, item_at), option_context + "image '" + o.image + "' " + *wrong);
                    }
                    if (!options_.assets.empty()) {
                        if (auto loaded = load_pictogram(options_.assets / o.image); !loaded) {
                            problem(place(value, item_at), option_context + "image: " + loaded.error());
                        }
                    }
                    continue;
                }
                if (std::find(languages_.begin(), languages_.end(), code) == languages_.end()) {
                    problem(place(value, item_at),
                            option_context + "'" + code + "' is not a language in 'languages'");
                }
                std::string label = require_string(value, item_at, option_context + "text in '" + code + "'",
                                                   {kMaxOptionLabelLength, TextFlags_SingleLine});
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
                texts.push_back(require_string(item, value_at, context + "each of 'labels." + code + "'",
                                               {kMaxOptionLabelLength, TextFlags_SingleLine}));
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

    const toml::table& root_;
    const ConsultationLoadOptions& options_;
    std::vector<std::string> languages_;
    std::string context_; // the question being read, for TypeParser messages
};

} // namespace

Result<Consultation, ConsultationError> parse_consultation(std::string_view toml_text,
                                                           std::string_view source_name,
                                                           const ConsultationLoadOptions& options) {
    const std::string source(source_name);
    try {
        toml::table root = toml::parse(toml_text, source_name);
        Consultation consultation = Loader(root, options).load();
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

Result<Consultation, ConsultationError> load_consultation_file(const std::filesystem::path& path,
                                                               const ConsultationLoadOptions& options) {
    auto bytes = read_consultation_bytes(path);
    if (!bytes) {
        return fail(bytes.error());
    }
    return parse_consultation(*bytes, path.string(), options);
}

Result<std::vector<Consultation>, ConsultationError>
load_consultation_folder(const std::filesystem::path& folder) {
    ConsultationScan scan = scan_consultations({folder});
    if (!scan.problems.empty()) {
        return fail(scan.problems.front());
    }
    return std::move(scan.consultations);
}

} // namespace buurtstem
