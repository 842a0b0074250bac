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
// Keys `language` has that Dutch lacks: a typo or a text nobody shows (a unit test keeps this empty).
// The [translation] section (a translation's review status) is not a page text and is left out.
std::vector<std::string> web_text_extra_keys(std::string_view language);

// Right-to-left scripts (Arabic): the page gets dir="rtl".
bool is_rtl_language(std::string_view language);

// The language of `offered` the browser prefers by its Accept-Language header (RFC 9110 12.5.4:
// "tr-TR, en;q=0.5"; a region matches its language, q=0 refuses), else `fallback`.
std::string negotiate_language(std::string_view accept_language, const std::vector<std::string>& offered,
                               const std::string& fallback);

} // namespace buurtstem
