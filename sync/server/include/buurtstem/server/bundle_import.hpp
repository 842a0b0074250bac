// Importing a USB bundle (issue 10): responses a kiosk without network wrote to a file, signed with its
// key. Same rules as an upload (ingest_batch): exactly once per id, answers checked against the
// consultation, a response of another device refused. sync/PROTOCOL.md "USB bundles".
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "buurtstem/consultation/consultation_catalog.hpp"
#include "buurtstem/core/result.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

struct BundleImportReport {
    std::string device_id;
    size_t in_bundle = 0;
    int64_t stored_now = 0;                    // new responses stored by this import
    size_t already_stored = 0;                 // accepted, but stored before (an earlier import or upload)
    std::vector<protocol::Rejection> rejected; // refused for good, with the reason
    std::vector<protocol::Rejection> deferred; // the server lacks their consultation; import again later
    // Responses that break an upload's rule, each refused alone: its id ("" when unreadable) and the JSON
    // path with the reason. Also listed in `rejected`.
    std::vector<protocol::InvalidResponse> invalid;
    // Contacts, apart from the responses (exactly once by contact id, as on the contacts route).
    size_t contacts_in_bundle = 0;
    int64_t contacts_stored_now = 0;
    std::vector<std::string> contact_problems; // batches refused whole, with the JSON path and reason
};

// The import's outcome as `buurtstem-server import` prints it: one line per refused or deferred
// response and per refused contact batch on `err`, the summary on `out`. Returns the exit code: 0 when
// everything is stored (now or before), 3 when something was refused or deferred.
int print_import_report(const BundleImportReport& report, const std::string& file, std::ostream& out,
                        std::ostream& err);

// Verifies the bundle against the key registered for the device it names, then stores its responses in
// batches of protocol::kMaxBatchSize (each one transaction), then its contacts. Refused as a whole, with
// the reason, when the device is unknown, revoked or has no key, or the signature does not match; a bad
// response or contact batch is refused alone, as an upload does.
[[nodiscard]] Result<BundleImportReport, std::string>
import_usb_bundle(ServerStore& store, const ConsultationCatalog& catalog, std::string_view bytes);

} // namespace buurtstem
