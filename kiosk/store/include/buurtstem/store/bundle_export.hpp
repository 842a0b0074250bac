// USB bundle export (issue 10, "no network for days"): every pending response of the kiosk's store,
// signed with the kiosk's key, written to a file (a USB stick) the council imports with
// `buurtstem-server import`. The format is sync/protocol usb_bundle.hpp; PROTOCOL.md "USB bundles".
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

struct BundleExportRequest {
    std::filesystem::path database;        // the kiosk's store
    std::filesystem::path device_key_file; // the kiosk's secret key; made here if missing
    std::string device_id;
    std::filesystem::path out; // the bundle file; written whole or not at all (temp file + rename, fsync)
};

struct BundleExportReport {
    size_t responses = 0; // how many went into the bundle
    size_t contacts = 0;  // contact opt-ins waiting for the server, in the bundle apart from the responses
    std::filesystem::path file;
    std::string public_key_hex; // the key that signed it, for `buurtstem-server device-key` on an old kiosk
};

// Writes the bundle, then marks its responses "sent" (the live panel shows them on their way; they stay
// pending until a sync pass gets the server's receipt, so nothing is lost if the stick never arrives).
// The contacts waiting for the server go in too, in their own part; they stay waiting here until the
// server confirms them on the network (it stores each contact once, however often it gets it).
// A bundle with no responses is written too: the volunteer sees "0", and the import adds nothing.
// Errors name the file and the step that failed.
[[nodiscard]] Result<BundleExportReport, std::string>
export_pending_bundle(const BundleExportRequest& request);

} // namespace buurtstem
