#include "buurtstem/app/consultation_shelf.hpp"

#include <algorithm>
#include <map>

#include "buurtstem/sync/consultation_pull.hpp"

namespace buurtstem {

namespace {

bool same_folder(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec);
}

} // namespace

const ShelfEntry* ConsultationShelf::find(std::string_view id) const {
    for (const ShelfEntry& entry : usable) {
        if (entry.consultation.id == id) {
            return &entry;
        }
    }
    return nullptr;
}

std::optional<ConsultationError> unknown_language(const Consultation& c,
                                                  const std::vector<std::string>& known_languages,
                                                  const std::filesystem::path& i18n_folder) {
    for (const std::string& code : c.languages) {
        if (std::find(known_languages.begin(), known_languages.end(), code) == known_languages.end()) {
            return ConsultationError{c.source, 0, 0,
                                     "'languages' lists '" + code +
                                         "', but the kiosk has no interface texts in it (no " +
                                         (i18n_folder / (code + ".toml")).string() + ")"};
        }
    }
    return std::nullopt;
}

ConsultationShelf scan_consultation_shelf(const KioskConfig& config,
                                          const std::vector<std::string>& known_languages) {
    // Each folder on its own: the same consultation installed and pulled is one consultation in two
    // places, not the "same id and version twice" problem scan_consultations reports within one scan.
    std::vector<std::filesystem::path> places;
    const std::filesystem::path local = config.consultation.parent_path();
    places.push_back(local.empty() ? std::filesystem::path(".") : local);
    if (config.consultation.extension() != ".toml") {
        places.push_back(config.consultation); // a configured file the folder scan would not see
    }
    if (!config.council_public_key.empty() && !config.consultations_folder.empty() &&
        !same_folder(config.consultations_folder, places.front())) {
        std::error_code ec;
        if (std::filesystem::is_directory(config.consultations_folder, ec)) {
            places.push_back(config.consultations_folder);
        }
    }
    ConsultationShelf shelf;
    std::map<std::string, size_t> by_id;
    for (const auto& place : places) {
        // Image pictograms are checked against this kiosk's assets folder, as at start-up.
        ConsultationScan scan = scan_consultations({place}, ConsultationLoadOptions{config.assets});
        for (ConsultationError& problem : scan.problems) {
            shelf.broken.push_back(std::move(problem));
        }
        for (Consultation& c : scan.consultations) {
            if (auto problem = unknown_language(c, known_languages, config.assets / "i18n")) {
                shelf.broken.push_back(std::move(*problem));
                continue;
            }
            const auto known = by_id.find(c.id);
            if (known == by_id.end()) {
                by_id.emplace(c.id, shelf.usable.size());
                const std::filesystem::path file = c.source;
                shelf.usable.push_back({std::move(c), file});
            } else if (c.version > shelf.usable[known->second].consultation.version) {
                const std::filesystem::path file = c.source;
                shelf.usable[known->second] = {std::move(c), file}; // a newer version, signed and pulled
            }
        }
    }
    return shelf;
}

Result<Consultation, std::string> startup_consultation(const KioskConfig& config, const std::string& chosen,
                                                       const std::vector<std::string>& known_languages,
                                                       std::string& note) {
    note.clear();
    if (!chosen.empty()) {
        ConsultationShelf shelf = scan_consultation_shelf(config, known_languages);
        if (const ShelfEntry* entry = shelf.find(chosen)) {
            return entry->consultation;
        }
        note = "the consultation a volunteer chose ('" + chosen +
               "') is no longer on this kiosk or cannot be read; showing the configured one";
    }
    // Options' image pictograms are checked against this kiosk's assets folder: a missing or unusable
    // one refuses the file at its line, as any other mistake in it.
    const ConsultationLoadOptions load_options{config.assets};
    auto loaded = load_consultation_file(config.consultation, load_options);
    if (!loaded) {
        return fail(loaded.error().to_string());
    }
    Consultation consultation = std::move(loaded).value();
    // A newer version of the same consultation, signed by the council and pulled from the server,
    // replaces the configured file. Responses keep the version they answered.
    // Only on a kiosk set up to pull (a council key configured): only verified bundles land there.
    auto pulled_file = config.council_public_key.empty()
                           ? std::nullopt
                           : pulled_consultation_file(config.consultations_folder, consultation.id);
    if (pulled_file) {
        auto pulled = load_consultation_file(*pulled_file, load_options);
        if (pulled && pulled->version > consultation.version) {
            consultation = std::move(pulled).value();
        }
    }
    if (auto problem = unknown_language(consultation, known_languages, config.assets / "i18n")) {
        return fail(config.consultation.string() + ": " + problem->message);
    }
    return consultation;
}

} // namespace buurtstem
