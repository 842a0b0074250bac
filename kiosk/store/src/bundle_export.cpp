#include "buurtstem/store/bundle_export.hpp"

#include "buurtstem/core/atomic_file.hpp"
#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/store/outbox.hpp"

namespace buurtstem {

Result<BundleExportReport, std::string> export_pending_bundle(const BundleExportRequest& request) {
    auto key = usb_bundle::load_or_create_device_key(request.device_key_file);
    if (!key) {
        return fail(key.error());
    }
    auto outbox = Outbox::open(request.database);
    if (!outbox) {
        return fail(outbox.error().to_string());
    }
    usb_bundle::Contents contents{request.device_id, now_iso8601_utc(), {}};
    // All of them, in completion order: a bundle is for days without network, so no batch limit.
    auto pending = outbox->next_batch(static_cast<size_t>(INT64_MAX));
    if (!pending) {
        return fail(pending.error().to_string());
    }
    contents.responses = std::move(pending).value();
    for (const CompletedResponse& r : contents.responses) {
        if (r.device_id != request.device_id) {
            // The server would refuse them in the bundle anyway; say so here, where it can be fixed.
            return fail("response " + r.id + " was made by device '" + r.device_id + "', not '" +
                        request.device_id + "' (the configured device id changed?); no bundle written");
        }
    }
    auto contacts = outbox->contacts_waiting(static_cast<size_t>(INT64_MAX));
    if (!contacts) {
        return fail(contacts.error().to_string());
    }
    contents.contacts = std::move(contacts).value();
    auto bytes = usb_bundle::sign_bundle(contents, key->secret_key_hex);
    if (!bytes) {
        return fail(request.device_key_file.string() + ": " + bytes.error());
    }
    // Residents' answers: readable by the owner only, like the server's exports.
    if (auto written = write_file_atomically(request.out, *bytes, 0600); !written) {
        return fail(written.error());
    }
    std::vector<std::string> ids;
    for (const CompletedResponse& r : contents.responses) {
        ids.push_back(r.id);
    }
    if (auto marked = outbox->mark_sent(ids); !marked) {
        return fail("bundle written to " + request.out.string() +
                    ", but marking its responses sent failed: " + marked.error().to_string());
    }
    return BundleExportReport{contents.responses.size(), contents.contacts.size(), request.out,
                              key->public_key_hex};
}

} // namespace buurtstem
