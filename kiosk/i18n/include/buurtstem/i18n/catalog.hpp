// The kiosk's own texts (buttons, progress, thank-you) in every language, from assets/i18n/*.toml.
// Consultation texts live in the consultation file; these are the texts around them.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

class Catalog {
public:
    // Loads every <code>.toml in `folder`; keys are "section.key". Dutch (nl.toml) must be there: it is
    // the fallback for a key another language lacks. Errors name the file and line.
    static Result<Catalog, std::string> load_folder(const std::filesystem::path& folder);

    // The text for `key` in `language`, else in Dutch, else "[key]" so a missing text is visible.
    std::string text(std::string_view language, std::string_view key) const;
    // text() with "{name}" placeholders replaced.
    std::string format(std::string_view language, std::string_view key,
                       std::initializer_list<std::pair<std::string_view, std::string>> values) const;

    std::vector<std::string> languages() const;
    // Keys Dutch has that `language` lacks (a test keeps this empty for every shipped language).
    std::vector<std::string> missing_keys(std::string_view language) const;
    // Keys `language` has that Dutch lacks: a text nobody asks for, most likely a misspelt key.
    std::vector<std::string> extra_keys(std::string_view language) const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> texts_;
};

} // namespace buurtstem
