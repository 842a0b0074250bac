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

// What loading may check besides the file itself.
struct ConsultationLoadOptions {
    // The kiosk's assets folder: every option's `image` must be a usable PNG there (pictogram.hpp), or the
    // consultation is refused at the image's line. Empty (the server, which never draws one): only the
    // image path's form is checked.
    std::filesystem::path assets;
};

Result<Consultation, ConsultationError> parse_consultation(std::string_view toml_text,
                                                           std::string_view source_name,
                                                           const ConsultationLoadOptions& options = {});
Result<Consultation, ConsultationError> load_consultation_file(const std::filesystem::path& path,
                                                               const ConsultationLoadOptions& options = {});

// Every *.toml file in `folder`, sorted by name. Fails with the first entry that cannot be used (see
// scan_consultations): a council would rather fix it than have the server quietly leave one out.
Result<std::vector<Consultation>, ConsultationError>
load_consultation_folder(const std::filesystem::path& folder);

// The largest consultation file read. Reading stops here, so a link to /dev/zero or a runaway file
// cannot exhaust memory.
inline constexpr size_t kMaxConsultationFileBytes = 1024 * 1024;

// The bytes of the consultation file at `path`. Refuses, naming the path and the true reason: what
// cannot be opened (the errno text: "No such file or directory", "Permission denied", "Too many levels
// of symbolic links"; a link to a missing file says so), what is not a regular file (a folder, a FIFO,
// which would block a plain read forever, a device), and a file over kMaxConsultationFileBytes.
Result<std::string, ConsultationError> read_consultation_bytes(const std::filesystem::path& path);

// Every consultation in `paths`: a file is loaded as it is; a folder contributes every entry whose name
// ends in .toml, whatever it is (a folder named x.toml, a dangling link, a FIFO are problems, not
// skipped), in name order. Two files with the same id and version are a problem naming both.
struct ConsultationScan {
    std::vector<Consultation> consultations; // the usable ones, in scan order
    std::vector<ConsultationError> problems; // every entry that cannot be used
};
ConsultationScan scan_consultations(const std::vector<std::filesystem::path>& paths,
                                    const ConsultationLoadOptions& options = {});

} // namespace buurtstem
