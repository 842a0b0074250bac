// Pulling "you said, we did" result texts from the server (result_bundle.hpp; sync/PROTOCOL.md,
// "Results").
//
// Implements:
//  [X] GET /api/v1/results; each result's Ed25519 signature checked against the RESULT public key from
//      the kiosk's configuration (not the council key: that one signs questions only)
//  [X] the same rules as the server (check_result_text) on every text, so the start screen never gets
//      what it cannot draw
//  [X] accepted results kept atomically: <folder>/<id>.result.json (the signed form, checked again on load)
//  [X] an older revision than the one kept, or the same revision with other content, is refused
//  [X] a server without results (404: older server, no --result-key) is not an error
//  [X] removing a result the server no longer lists: only when the reply carries a listing signed with
//      the result key (result_listing.hpp) and every listed result arrived and verified, and only a kept
//      result older than the listing (a replayed old listing cannot remove a newer result). A failed
//      call, an unsigned or partial list, or an older server removes nothing.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "buurtstem/protocol/result_bundle.hpp"
#include "buurtstem/sync/consultation_pull.hpp"

namespace buurtstem {

struct ResultPullReport {
    std::vector<std::string> updated; // "id revision N"
    std::vector<std::string> refused; // why (the kept one stays)
    std::vector<std::string> removed; // ids of kept results the server's signed listing no longer has
    size_t unchanged = 0;
};

// One pass, with the transport settings of the consultation pull (`settings.folder` is where results
// are kept; `settings.council_public_key` is not used). Failing to reach the server or a refused token
// is an error; a bad result is not (it is in `refused`).
[[nodiscard]] Result<ResultPullReport, SyncError> pull_results(const PullSettings& settings,
                                                               const std::string& result_public_key);

// The verified result kept for `consultation_id` in `folder`; nullopt when there is none, or when the
// file does not verify with `result_public_key` (then `why`, when given, says why).
std::optional<ConsultationResult> load_pulled_result(const std::filesystem::path& folder,
                                                     const std::string& consultation_id,
                                                     const std::string& result_public_key,
                                                     std::string* why = nullptr);

} // namespace buurtstem
