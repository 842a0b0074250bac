#include "buurtstem/volunteer/volunteer_settings.hpp"

#include <toml++/toml.h>

#include <sstream>

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/read_file.hpp"
#include "buurtstem/core/slug.hpp"

namespace buurtstem {

namespace {

std::string where(const std::filesystem::path& file, const toml::node& node) {
    return file.string() + ":" + std::to_string(node.source().begin.line) + ": ";
}

// A TOML basic string holding `text` exactly.
std::string toml_quoted(const std::string& text) {
    std::ostringstream out;
    out << toml::value<std::string>(text);
    return out.str();
}

} // namespace

Result<VolunteerSettings, std::string> load_volunteer_settings(const std::filesystem::path& file,
                                                               const VolunteerSettings& defaults) {
    VolunteerSettings s = defaults;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return s;
    }
    auto content = read_small_file(file, 16 * 1024);
    if (!content) {
        return fail(file.string() + ": " + content.error());
    }
    try {
        const toml::table root = toml::parse(*content, file.string());
        for (auto&& [key, node] : root) {
            const std::string name(key.str());
            if (name == "idle_warning_seconds") {
                const auto v = node.value<int64_t>();
                if (!v || *v < 10 || *v > 3600) {
                    return fail(where(file, node) + "'idle_warning_seconds' must be 10-3600");
                }
                s.idle_warning = std::chrono::seconds(*v);
            } else if (name == "unfinished") {
                const auto v = node.value<std::string>();
                if (!v || (*v != "discard" && *v != "keep")) {
                    return fail(where(file, node) + "'unfinished' must be \"discard\" or \"keep\"");
                }
                s.unfinished = *v == "keep" ? UnfinishedAnswers::Keep : UnfinishedAnswers::Discard;
            } else if (name == "speak_automatically") {
                const auto v = node.value<bool>();
                if (!v) {
                    return fail(where(file, node) + "'speak_automatically' must be true or false");
                }
                s.speak_automatically = *v;
            } else if (name == "default_language") {
                const auto v = node.value<std::string>();
                if (!v || (!v->empty() && (v->size() > 8 || !is_slug(*v)))) {
                    return fail(where(file, node) +
                                "'default_language' must be a language code such as \"nl\"");
                }
                s.default_language = *v;
            } else if (name == "text_size") {
                const auto v = node.value<int64_t>();
                if (!v || *v < 0 || *v > 2) {
                    return fail(where(file, node) + "'text_size' must be 0, 1 or 2");
                }
                s.text_size = static_cast<int>(*v);
            } else if (name == "console_language" || name == "consultation") {
                const auto v = node.value<std::string>();
                const size_t longest = name == "consultation" ? 64 : 8;
                if (!v || (!v->empty() && (v->size() > longest || !is_slug(*v)))) {
                    return fail(
                        where(file, node) + "'" + name + "' must be " +
                        (name == "consultation" ? "a consultation id" : "a language code such as \"nl\""));
                }
                (name == "consultation" ? s.consultation : s.console_language) = *v;
            } else if (name == "consultation_configured") {
                const auto v = node.value<std::string>();
                if (!v || v->size() > 4096) {
                    return fail(where(file, node) + "'consultation_configured' must be a file path");
                }
                s.consultation_configured = *v;
            } else {
                return fail(where(file, node) + "unknown key '" + name +
                            "' (allowed: idle_warning_seconds, unfinished, speak_automatically, "
                            "default_language, text_size, console_language, consultation, "
                            "consultation_configured)");
            }
        }
    } catch (const toml::parse_error& error) {
        return fail(file.string() + ":" + std::to_string(error.source().begin.line) + ":" +
                    std::to_string(error.source().begin.column) + ": " + std::string(error.description()));
    }
    return s;
}

Status<std::string> save_volunteer_settings(const std::filesystem::path& file, const VolunteerSettings& s) {
    std::string content = "# Event settings, changed by a volunteer on the kiosk (behind the PIN).\n";
    content += "idle_warning_seconds = " + std::to_string(s.idle_warning.count()) + "\n";
    content += std::string("unfinished = \"") +
               (s.unfinished == UnfinishedAnswers::Keep ? "keep" : "discard") + "\"\n";
    content += std::string("speak_automatically = ") + (s.speak_automatically ? "true" : "false") + "\n";
    content += "default_language = \"" + s.default_language + "\"\n";
    content += "text_size = " + std::to_string(s.text_size) + "\n";
    content += "console_language = \"" + s.console_language + "\"\n";
    if (!s.consultation.empty()) {
        // The file path goes through TOML's escaping: a path may hold a quote or a backslash.
        content += "consultation = \"" + s.consultation + "\"\n";
        content += "consultation_configured = " + toml_quoted(s.consultation_configured) + "\n";
    }
    return write_file_atomically(file, content);
}

} // namespace buurtstem
