// Reading consultation files from disk: what may be read, how much, and every entry of a folder.
#include <algorithm>
#include <map>
#include <set>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/read_file.hpp"

namespace buurtstem {

namespace {

ConsultationError file_problem(const std::filesystem::path& path, std::string message) {
    return ConsultationError{path.string(), 0, 0, std::move(message)};
}

} // namespace

Result<std::string, ConsultationError> read_consultation_bytes(const std::filesystem::path& path) {
    auto content = read_small_file(path, kMaxConsultationFileBytes);
    if (!content) {
        return fail(file_problem(path, content.error()));
    }
    return std::move(content).value();
}

ConsultationScan scan_consultations(const std::vector<std::filesystem::path>& paths,
                                    const ConsultationLoadOptions& options) {
    ConsultationScan scan;
    std::vector<std::filesystem::path> files;
    for (const std::filesystem::path& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            files.push_back(path); // a file, or whatever it is: reading it says what is wrong
            continue;
        }
        std::vector<std::filesystem::path> in_folder;
        std::filesystem::directory_iterator it(path, ec);
        for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
            if (it->path().extension() == ".toml") {
                in_folder.push_back(it->path());
            }
        }
        if (ec) {
            scan.problems.push_back(file_problem(path, "cannot list the folder: " + ec.message()));
        }
        std::sort(in_folder.begin(), in_folder.end());
        files.insert(files.end(), in_folder.begin(), in_folder.end());
    }
    // Two files claiming the same id and version would make answers match one and be checked against
    // the other: refuse, and say which files.
    std::map<std::pair<std::string, int>, std::string> seen;
    std::set<std::filesystem::path> scanned; // a file named twice (itself and its folder) is one file
    for (const std::filesystem::path& file : files) {
        std::error_code ec;
        const std::filesystem::path canonical = std::filesystem::weakly_canonical(file, ec);
        if (!ec && !scanned.insert(canonical).second) {
            continue;
        }
        auto loaded = load_consultation_file(file, options);
        if (!loaded) {
            scan.problems.push_back(loaded.error());
            continue;
        }
        const auto key = std::make_pair(loaded->id, loaded->version);
        if (auto other = seen.find(key); other != seen.end()) {
            scan.problems.push_back(file_problem(
                file, "consultation '" + loaded->id + "' version " + std::to_string(loaded->version) +
                          " is also in " + other->second + " (raise 'version' in the newer file)"));
            continue;
        }
        seen.emplace(key, file.string());
        scan.consultations.push_back(std::move(loaded).value());
    }
    return scan;
}

} // namespace buurtstem
