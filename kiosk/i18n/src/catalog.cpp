#include "buurtstem/i18n/catalog.hpp"

#include <toml++/toml.h>

#include <algorithm>

namespace buurtstem {

namespace {

void flatten(const toml::table& table, const std::string& prefix, const std::string& file,
             std::map<std::string, std::string, std::less<>>& out) {
    for (auto&& [key, value] : table) {
        const std::string name =
            prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* sub = value.as_table()) {
            flatten(*sub, name, file, out);
        } else if (const auto* text = value.as_string()) {
            out[name] = text->get();
        } else {
            throw std::runtime_error(file + ":" + std::to_string(value.source().begin.line) + ": '" + name +
                                     "' must be text in quotes");
        }
    }
}

} // namespace

Result<Catalog, std::string> Catalog::load_folder(const std::filesystem::path& folder) {
    Catalog catalog;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        if (entry.path().extension() != ".toml") {
            continue;
        }
        const std::string file = entry.path().string();
        try {
            toml::table table = toml::parse_file(file);
            std::map<std::string, std::string, std::less<>> texts;
            flatten(table, "", file, texts);
            catalog.texts_.emplace(entry.path().stem().string(), std::move(texts));
        } catch (const toml::parse_error& error) {
            return fail(file + ":" + std::to_string(error.source().begin.line) + ":" +
                        std::to_string(error.source().begin.column) + ": " +
                        std::string(error.description()));
        } catch (const std::runtime_error& error) {
            return fail(std::string(error.what()));
        }
    }
    if (ec) {
        return fail("cannot read translations folder " + folder.string() + ": " + ec.message());
    }
    if (!catalog.texts_.contains("nl")) {
        return fail("translations folder " + folder.string() + " has no nl.toml (Dutch is required)");
    }
    return catalog;
}

std::string Catalog::text(std::string_view language, std::string_view key) const {
    for (std::string_view code : {language, std::string_view("nl")}) {
        if (auto lang = texts_.find(code); lang != texts_.end()) {
            if (auto it = lang->second.find(key); it != lang->second.end()) {
                return it->second;
            }
        }
    }
    return "[" + std::string(key) + "]";
}

std::string Catalog::format(std::string_view language, std::string_view key,
                            std::initializer_list<std::pair<std::string_view, std::string>> values) const {
    std::string out = text(language, key);
    for (const auto& [name, value] : values) {
        const std::string placeholder = "{" + std::string(name) + "}";
        for (size_t at = out.find(placeholder); at != std::string::npos;
             at = out.find(placeholder, at + value.size())) {
            out.replace(at, placeholder.size(), value);
        }
    }
    return out;
}

std::vector<std::string> Catalog::languages() const {
    std::vector<std::string> codes;
    for (const auto& [code, texts] : texts_) {
        codes.push_back(code);
    }
    return codes;
}

std::vector<std::string> Catalog::missing_keys(std::string_view language) const {
    std::vector<std::string> missing;
    const auto& dutch = texts_.at("nl");
    auto lang = texts_.find(language);
    for (const auto& [key, text] : dutch) {
        if (lang == texts_.end() || !lang->second.contains(key)) {
            missing.push_back(key);
        }
    }
    return missing;
}

std::vector<std::string> Catalog::extra_keys(std::string_view language) const {
    std::vector<std::string> extra;
    const auto& dutch = texts_.at("nl");
    if (auto lang = texts_.find(language); lang != texts_.end()) {
        for (const auto& [key, text] : lang->second) {
            if (!dutch.contains(key)) {
                extra.push_back(key);
            }
        }
    }
    return extra;
}

} // namespace buurtstem
