// Pulling signed consultations from the server (see bundle.hpp and sync/PROTOCOL.md, "Consultations").
//
// Implements:
//  [X] list, then fetch only bundles whose sha256 differs from the one kept locally
//  [X] Ed25519 signature checked against the council's public key from the kiosk's configuration
//  [X] accepted bundles kept atomically (temp file + rename): <folder>/<id>.toml and <id>.bundle.json
//  [X] a bad signature, a broken file, an older version or a version reused with other content is
//      refused and reported; the previous version stays in place
//  [ ] removing consultations the server no longer lists (a kiosk keeps what it has)
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "buurtstem/core/result.hpp"
#include "buurtstem/sync/sync_client.hpp"

namespace buurtstem {

struct PullSettings {
    std::string server_url;
    std::string token;
    std::string ca_file;
    std::string council_public_key; // base64 Ed25519 public key
    std::filesystem::path folder;   // where accepted consultations are kept
    long connect_timeout_seconds = 10;
    long timeout_seconds = 60;
    // Asked between and during downloads; true stops the pass with a Cancelled error.
    std::function<bool()> should_cancel;
    std::string pinned_public_key; // as SyncSettings::pinned_public_key: the same server, the same pin
    // The kiosk's responses still to send, told to the server with each pull (Buurtstem-Pending,
    // sync/PROTOCOL.md) so the council's devices page shows it; nullopt: not told.
    std::optional<int64_t> pending_responses;
};

// The Buurtstem-Pending header line for `settings`, or none.
std::vector<std::string> pending_header(const PullSettings& settings);

struct PullReport {
    std::vector<std::string> updated; // "id version N" for each consultation stored now
    std::vector<std::string> refused; // why a listed bundle was not taken (the old one stays)
    size_t unchanged = 0;
};

// One pass. Failing to reach the server or a refused token is an error; a bad bundle is not (it is in
// `refused`, and the other bundles are still taken).
[[nodiscard]] Result<PullReport, SyncError> pull_consultations(const PullSettings& settings);

// The pulled consultation file for `id` in `folder`, if there is one.
std::optional<std::filesystem::path> pulled_consultation_file(const std::filesystem::path& folder,
                                                              const std::string& id);

} // namespace buurtstem
