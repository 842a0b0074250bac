// Importing a USB bundle (issue 10): responses a kiosk without network wrote to a file, signed with its
// key. Same rules as an upload (ingest_batch): exactly once per id, answers checked against the
// consultation, a response of another device refused. sync/PROTOCOL.md "USB bundles".
#pragma once

#include <cstdint>
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
};

// Verifies the bundle against the key registered for the device it names, then stores its responses in
// batches of protocol::kMaxBatchSize (each one transaction). Refused as a whole, with the reason, when
// the device is unknown, revoked or has no key, or the signature does not match.
[[nodiscard]] Result<BundleImportReport, std::string>
import_usb_bundle(ServerStore& store, const ConsultationCatalog& catalog, std::string_view bytes);

} // namespace buurtstem
