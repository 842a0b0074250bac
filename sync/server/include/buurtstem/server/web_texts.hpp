// Texts of the public results page in every language, from assets/web/<language>.toml (built into the
// server binary, so it needs no asset folder at run time). Residents read these: they live in the
// asset files, never in code.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace buurtstem {

// The text for "section.key" in `language`, else Dutch, else "[key]" (so a missing text is visible).
// "{name}" placeholders are replaced by `values`.
std::string web_text(std::string_view language, std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> values = {});
// Languages that have a texts file.
std::vector<std::string> web_text_languages();
// Keys Dutch has that `language` lacks (a unit test keeps this empty).
std::vector<std::string> web_text_missing_keys(std::string_view language);

} // namespace buurtstem
