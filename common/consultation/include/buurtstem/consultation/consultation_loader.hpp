// Loading and validating consultation files. Every problem is reported with the file, line and column
// it is at, in words a council employee editing the file can act on.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/consultation.hpp"
#include "buurtstem/core/result.hpp"

namespace buurtstem {

struct ConsultationError {
    std::string file;
    int line = 0;   // 1-based; 0 when the problem is not at one place (file missing)
    int column = 0; // 1-based; 0 when unknown
    std::string message;

    // "config/consultations/x.toml:12:5: question 'q1': option 'ja' has no text in language 'en'"
    std::string to_string() const;
};

// The only file format version this build reads.
inline constexpr int kConsultationFormat = 1;

Result<Consultation, ConsultationError> parse_consultation(std::string_view toml_text,
                                                           std::string_view source_name);
Result<Consultation, ConsultationError> load_consultation_file(const std::filesystem::path& path);

// Every *.toml file in `folder`, sorted by name. Stops at the first broken file: a council would rather
// fix it than have the server quietly leave a consultation out.
Result<std::vector<Consultation>, ConsultationError>
load_consultation_folder(const std::filesystem::path& folder);

} // namespace buurtstem
