// The consultations a kiosk can show, for the volunteer's "Vragenlijst kiezen" list and for the start:
// every *.toml in the folder of the configured consultation file (the council's files installed with the
// kiosk) and, on a kiosk that pulls signed consultations (a council key configured: only verified files
// land there), the pulled ones in `consultations_folder`. One entry per consultation id, its highest
// version. A file that cannot be used is listed with its error (file:line) and cannot be chosen.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/app/kiosk_config.hpp"
#include "buurtstem/consultation/consultation_loader.hpp"

namespace buurtstem {

struct ShelfEntry {
    Consultation consultation;
    std::filesystem::path file;
};

struct ConsultationShelf {
    std::vector<ShelfEntry> usable;        // in file-name order, local ones first
    std::vector<ConsultationError> broken; // every file that cannot be used, with the reason

    const ShelfEntry* find(std::string_view id) const;
};

// `known_languages`: the languages the kiosk has interface texts for; a consultation asking for another
// would leave a resident with "[nav.next]" on screen, so it is broken here.
ConsultationShelf scan_consultation_shelf(const KioskConfig& config,
                                          const std::vector<std::string>& known_languages);

// Null when every language of `c` has interface texts, else why not (naming c.source).
std::optional<ConsultationError> unknown_language(const Consultation& c,
                                                  const std::vector<std::string>& known_languages,
                                                  const std::filesystem::path& i18n_folder);

// The consultation the kiosk starts with. `chosen`: the id a volunteer switched to (empty: none); it is
// used when the shelf still holds it, else `note` says why not and the configured file is used. The
// configured file is replaced by a newer pulled version of the same id (as before the console existed).
// Errors are the configured file's (file:line), or a language without interface texts.
Result<Consultation, std::string> startup_consultation(const KioskConfig& config, const std::string& chosen,
                                                       const std::vector<std::string>& known_languages,
                                                       std::string& note);

} // namespace buurtstem
