// Route module: kiosk uploads (POST /api/v1/responses) and the device-token check they need.
#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/ingest.hpp"
#include "buurtstem/server/server_routes.hpp"

namespace buurtstem {

HttpReply error_reply(int status, const std::string& message) {
    HttpReply reply;
    reply.status = status;
    reply.body = protocol::encode_error(message);
    return reply;
}

Result<std::string, HttpReply> authenticate_device(const HttpRequest& request, ServerStore& store, Log log) {
    const std::string& authorization = request.header("authorization");
    const std::string prefix = "Bearer ";
    if (authorization.rfind(prefix, 0) != 0) {
        return fail(error_reply(401, "missing device token (Authorization: Bearer ...)"));
    }
    auto device = store.check_token(authorization.substr(prefix.size()));
    if (!device) {
        // The details (a file path, an SQLite message) go to the log, not to an unknown caller.
        if (log) {
            log("token check failed: " + device.error().to_string());
        }
        return fail(error_reply(503, "server store unavailable; try again later"));
    }
    if (device->state == TokenCheck::State::Revoked) {
        // "revoked" is a contract: the kiosk stops retrying and says it was switched off (PROTOCOL.md).
        return fail(
            error_reply(401, "revoked: device '" + device->device_id + "' was switched off by the council"));
    }
    if (device->state != TokenCheck::State::Active) {
        return fail(error_reply(401, "unknown or revoked device token"));
    }
    return device->device_id;
}

namespace {

// "Buurtstem-Pending: N": decimal digits only, at most kMaxPendingReported; nullopt otherwise.
std::optional<int64_t> parse_pending(const std::string& text) {
    if (text.empty() || text.size() > 10) {
        return std::nullopt;
    }
    int64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        n = n * 10 + (c - '0');
    }
    return n <= protocol::kMaxPendingReported ? std::optional<int64_t>(n) : std::nullopt;
}

} // namespace

// Every device call (upload, consultation and result pulls, contacts) passes here first, so this is
// where the kiosk's pending count is kept. A missing or malformed header never refuses the call: the
// count is a display for the council, and older kiosks do not send it.
HeaderCheck device_token_check(ServerStore& store, Log log) {
    return [&store, log](const HttpRequest& request) -> std::optional<HttpReply> {
        auto device = authenticate_device(request, store, log);
        if (!device) {
            return device.error();
        }
        const std::string& header = request.header(protocol::kPendingHeaderLower);
        if (header.empty()) {
            return std::nullopt;
        }
        const auto pending = parse_pending(header);
        if (!pending) {
            if (log) {
                log("device '" + *device + "': ignored " + std::string(protocol::kPendingHeader) + " '" +
                    header.substr(0, 32) + "' (not a count)");
            }
            return std::nullopt;
        }
        if (auto kept = store.report_pending(*device, *pending, now_iso8601_utc()); !kept && log) {
            log("device '" + *device + "': pending count not kept: " + kept.error().to_string());
        }
        return std::nullopt;
    };
}

void add_ingest_routes(RouteTable& routes, ServerStore& store, const ConsultationCatalog& catalog, Log log) {
    Route upload;
    upload.method = "POST";
    upload.path = std::string(protocol::kUploadPath);
    upload.flags = RouteFlags_DeviceToken | RouteFlags_GzipBody;
    upload.max_body_bytes = protocol::kMaxBodyBytes;
    upload.handle = [&store, &catalog, log](const HttpRequest& request) -> HttpReply {
        // The transport checked the token before the body; look it up again for the device id (one
        // indexed read, cheaper than passing library state through the transport).
        auto device = authenticate_device(request, store, log);
        if (!device) {
            return device.error();
        }
        const std::string& device_id = *device;
        auto batch = protocol::decode_batch(request.body);
        if (!batch) {
            return error_reply(400, "malformed upload: " + batch.error().to_string());
        }
        if (batch->device_id != device_id) {
            return error_reply(403, "token belongs to device '" + device_id + "', batch says '" +
                                        batch->device_id + "'");
        }
        auto reply = ingest_batch(store, catalog, device_id, *batch);
        if (!reply) {
            // Nothing was stored and nothing is acknowledged: the kiosk keeps the batch and tries later.
            if (log) {
                log("upload from " + device_id + " not stored: " + reply.error().to_string());
            }
            // A full disk is named (PROTOCOL.md): whoever reads the kiosk's log knows whom to call.
            return error_reply(503, reply.error().kind == ServerStoreError::Kind::DiskFull
                                        ? "cannot store responses now: disk full on the server; the batch "
                                          "will be taken later"
                                        : "cannot store responses now; the batch will be taken later");
        }
        if (log) {
            log("upload from " + device_id + ": " + std::to_string(reply->accepted.size()) + " accepted, " +
                std::to_string(reply->rejected.size()) + " rejected");
        }
        HttpReply ok;
        ok.body = protocol::encode_reply(*reply);
        return ok;
    };
    routes.add(std::move(upload));

    // Contact opt-ins (issue 10): their own route and table; nothing here touches responses.
    Route contacts;
    contacts.method = "POST";
    contacts.path = std::string(protocol::kContactsPath);
    contacts.flags = RouteFlags_DeviceToken;
    contacts.max_body_bytes = 1024 * 1024;
    contacts.handle = [&store, log](const HttpRequest& request) -> HttpReply {
        auto device = authenticate_device(request, store, log);
        if (!device) {
            return device.error();
        }
        auto batch = protocol::decode_contacts(request.body);
        if (!batch) {
            return error_reply(400, "malformed contacts: " + batch.error().to_string());
        }
        if (batch->device_id != *device) {
            return error_reply(403, "token belongs to device '" + *device + "', batch says '" +
                                        batch->device_id + "'");
        }
        auto stored = store.store_contacts(batch->contacts, now_iso8601_utc().substr(0, 10));
        if (!stored) {
            if (log) {
                log("contacts from " + *device + " not stored: " + stored.error().to_string());
            }
            return error_reply(503, "cannot store contacts now; they will be taken later");
        }
        if (log) {
            // A count only: names and numbers never go into the log.
            log("contacts from " + *device + ": " + std::to_string(*stored) + " new");
        }
        protocol::UploadReply reply;
        for (const ContactEntry& c : batch->contacts) {
            reply.accepted.push_back(c.contact_id);
        }
        HttpReply ok;
        ok.body = protocol::encode_reply(reply);
        return ok;
    };
    routes.add(std::move(contacts));
}

} // namespace buurtstem
