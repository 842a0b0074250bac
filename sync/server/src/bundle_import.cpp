#include "buurtstem/server/bundle_import.hpp"

#include <algorithm>

#include "buurtstem/core/clock.hpp"

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
    report.in_bundle = contents->responses.size() + contents->invalid.size();
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
    for (const protocol::InvalidResponse& invalid : contents->invalid) {
        report.rejected.push_back({invalid.id, invalid.error.to_string()});
    }
    report.invalid = contents->invalid;

    report.contacts_in_bundle = contents->contacts.size();
    report.contact_problems = contents->contact_problems;
    for (size_t from = 0; from < contents->contacts.size(); from += protocol::kMaxContactBatchSize) {
        const size_t to = std::min(contents->contacts.size(), from + protocol::kMaxContactBatchSize);
        const std::vector<ContactEntry> batch(contents->contacts.begin() + static_cast<std::ptrdiff_t>(from),
                                              contents->contacts.begin() + static_cast<std::ptrdiff_t>(to));
        // The server keeps a contact's day only, as on the contacts route.
        auto stored = store.store_contacts(batch, now_iso8601_utc().substr(0, 10));
        if (!stored) {
            return fail("responses stored, but contacts cannot be stored now (" + stored.error().to_string() +
                        "); import the file again later");
        }
        report.contacts_stored_now += *stored;
    }
    return report;
}

int print_import_report(const BundleImportReport& report, const std::string& file, std::ostream& out,
                        std::ostream& err) {
    for (const protocol::Rejection& r : report.rejected) {
        err << "rejected " << (r.id.empty() ? "(no readable id)" : r.id) << ": " << r.reason << "\n";
    }
    for (const protocol::Rejection& r : report.deferred) {
        err << "not stored yet " << r.id << ": " << r.reason << "\n";
    }
    for (const std::string& problem : report.contact_problems) {
        err << "contacts refused: " << problem << "\n";
    }
    out << file << " from device '" << report.device_id << "': " << report.in_bundle << " responses, "
        << report.stored_now << " stored now, " << report.already_stored << " already stored, "
        << report.rejected.size() << " rejected, " << report.deferred.size()
        << " not stored (consultation unknown; add it and import again); " << report.contacts_in_bundle
        << " contacts, " << report.contacts_stored_now << " stored now\n";
    return report.rejected.empty() && report.deferred.empty() && report.contact_problems.empty() ? 0 : 3;
}

} // namespace buurtstem
