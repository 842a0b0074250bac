// Enrolment on the kiosk's side: exchange a one-time code (typed from `buurtstem-server enrol-code`)
// for this kiosk's device token, and keep the token in its file. See sync/PROTOCOL.md, "Enrolment".
#pragma once

#include <filesystem>
#include <string>

#include "buurtstem/core/result.hpp"
#include "buurtstem/sync/sync_client.hpp"

namespace buurtstem {

struct EnrolSettings {
    std::string server_url;
    std::string ca_file;   // empty: the system's CA store
    std::string device_id; // this kiosk's configured id; the server only takes a code for it
    std::string code;      // as typed: "ABCD-EFGH-JK", any case, dashes optional
    std::filesystem::path token_file;
    std::string
        public_key_hex{}; // the kiosk's bundle-signing key, registered with the enrolment; empty: none
    long connect_timeout_seconds = 10;
    long timeout_seconds = 30;
};

// Posts the code; on success writes the token to `token_file` (temp file + rename, mode 0600) and
// returns the device id. A refused code is an Auth error with the server's words; the token file is
// left as it was.
[[nodiscard]] Result<std::string, SyncError> enrol_kiosk(const EnrolSettings& settings);

} // namespace buurtstem
