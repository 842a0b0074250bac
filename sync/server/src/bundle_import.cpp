#include "buurtstem/server/bundle_import.hpp"

#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/server/ingest.hpp"

namespace buurtstem {

Result<BundleImportReport, std::string>
import_usb_bundle(ServerStore& store, const ConsultationCatalog& catalog, std::string_view bytes) {
    auto device = usb_bundle::bundle_device(bytes);
    if (!device) {
        return fail(device.error());
    }
    auto key = store.device_key(*device);
    if (!key) {
        return fail(key.error().to_string());
    }
    if (!key->has_value()) {
        return fail(
            "device '" + *device +
            "' has no bundle key registered (enrol it again, or: buurtstem-server device-key --device " +
            *device + " --key HEX)");
    }
    auto contents = usb_bundle::open_bundle(bytes, **key);
    if (!contents) {
        return fail(contents.error());
    }
    BundleImportReport report;
    report.device_id = contents->device_id;
    report.in_bundle = contents->responses.size();
    auto before = store.count_responses("");
    if (!before) {
        return fail(before.error().to_string());
    }
    for (size_t from = 0; from < contents->responses.size(); from += protocol::kMaxBatchSize) {
        protocol::UploadBatch batch;
        batch.device_id = contents->device_id;
        const size_t to = std::min(contents->responses.size(), from + protocol::kMaxBatchSize);
        batch.responses.assign(contents->responses.begin() + static_cast<std::ptrdiff_t>(from),
                               contents->responses.begin() + static_cast<std::ptrdiff_t>(to));
        auto reply = ingest_batch(store, catalog, contents->device_id, batch);
        if (!reply) {
            // Earlier batches stay stored; importing the file again adds only what is missing.
            return fail("cannot store responses now (" + reply.error().to_string() +
                        "); import the file again later");
        }
        report.already_stored += reply->accepted.size();
        report.rejected.insert(report.rejected.end(), reply->rejected.begin(), reply->rejected.end());
        report.deferred.insert(report.deferred.end(), reply->deferred.begin(), reply->deferred.end());
    }
    auto after = store.count_responses("");
    if (!after) {
        return fail(after.error().to_string());
    }
    report.stored_now = *after - *before;
    report.already_stored -= static_cast<size_t>(report.stored_now);
    return report;
}

} // namespace buurtstem
