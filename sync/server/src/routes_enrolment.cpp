// The enrolment route and the code helpers behind it (see enrolment.hpp).
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/protocol/usb_bundle.hpp"
#include "buurtstem/server/enrolment.hpp"

namespace buurtstem {

namespace {

HttpReply error_reply(int status, const std::string& message) {
    return HttpReply{status, "application/json", protocol::encode_error(message), {}};
}

} // namespace

std::string new_enrolment_code() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium could not initialise");
    }
    std::string code;
    for (size_t i = 0; i < kEnrolmentCodeLength; ++i) {
        if (i == 4 || i == 8) {
            code += '-';
        }
        code += kEnrolmentAlphabet[randombytes_uniform(static_cast<uint32_t>(kEnrolmentAlphabet.size()))];
    }
    return code;
}

std::optional<std::string> normalize_enrolment_code(std::string_view typed) {
    std::string canonical;
    for (char c : typed) {
        if (c == '-' || c == ' ') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        if (kEnrolmentAlphabet.find(c) == std::string_view::npos ||
            canonical.size() == kEnrolmentCodeLength) {
            return std::nullopt;
        }
        canonical += c;
    }
    if (canonical.size() != kEnrolmentCodeLength) {
        return std::nullopt;
    }
    return canonical;
}

std::string enrolment_code_hash(std::string_view canonical_code) {
    return token_hash("enrolment-code:" + std::string(canonical_code));
}

bool EnrolmentLimiter::allowed(const std::string& address, std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(address);
    if (it == entries_.end()) {
        return true;
    }
    if (now - it->second.window_start >= window_) {
        entries_.erase(it);
        return true;
    }
    return it->second.failures < max_failures_;
}

void EnrolmentLimiter::record_failure(const std::string& address, std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    // Bounded memory: a flood from many addresses drops the oldest knowledge, not the server.
    if (entries_.size() > 100000) {
        entries_.clear();
    }
    Entry& entry = entries_[address];
    if (entry.failures == 0 || now - entry.window_start >= window_) {
        entry = Entry{0, now};
    }
    ++entry.failures;
}

void add_enrolment_routes(RouteTable& table, ServerStore& store, EnrolmentLimiter& limiter,
                          std::function<void(const std::string&)> log) {
    Route route;
    route.method = "POST";
    route.path = std::string(kEnrolPath);
    route.max_body_bytes = 1024;
    route.handle = [&store, &limiter, log](const HttpRequest& request) -> HttpReply {
        const auto now = std::chrono::steady_clock::now();
        if (!limiter.allowed(request.peer, now)) {
            return error_reply(429, "too many enrolment attempts from this address; try again later");
        }
        const nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("code") || !body["code"].is_string()) {
            return error_reply(400, "malformed enrolment: expected {\"code\": \"ABCD-EFGH-JK\"}");
        }
        std::string wanted_device;
        if (body.contains("device_id")) {
            if (!body["device_id"].is_string()) {
                return error_reply(400, "malformed enrolment: device_id must be a string");
            }
            wanted_device = body["device_id"].get<std::string>();
        }
        // Issue 10: the kiosk's bundle-signing key, registered with the code (optional: older kiosks).
        std::string public_key;
        if (body.contains("public_key")) {
            if (!body["public_key"].is_string() ||
                !usb_bundle::is_public_key_hex(body["public_key"].get<std::string>())) {
                return error_reply(400, "malformed enrolment: public_key must be 64 hex digits");
            }
            public_key = body["public_key"].get<std::string>();
        }
        const std::string refused = "enrolment code not accepted (wrong, expired or already used)";
        const auto code = normalize_enrolment_code(body["code"].get<std::string>());
        if (!code) {
            limiter.record_failure(request.peer, now);
            return error_reply(403, refused);
        }
        auto enrolment =
            store.redeem_enrolment_code(enrolment_code_hash(*code), now_iso8601_utc(), wanted_device);
        if (!enrolment) {
            if (log) {
                log("enrolment failed: " + enrolment.error().to_string());
            }
            return error_reply(503, "server store unavailable; try again later");
        }
        if (!enrolment->has_value()) {
            limiter.record_failure(request.peer, now);
            if (log) {
                log("enrolment refused from " + request.peer);
            }
            return error_reply(403, refused);
        }
        const Enrolment& done = **enrolment;
        if (!public_key.empty()) {
            if (auto kept = store.set_device_key(done.device_id, public_key); !kept) {
                // The token is handed out anyway (the code is used up); the key can be set with
                // `buurtstem-server device-key`. Said in the log and in the reply.
                if (log) {
                    log("device '" + done.device_id + "': key not registered: " + kept.error().to_string());
                }
                public_key.clear();
            }
        }
        if (log) {
            log("device '" + done.device_id + "' enrolled from " + request.peer);
        }
        const nlohmann::json reply = {
            {"device_id", done.device_id}, {"token", done.token}, {"key_registered", !public_key.empty()}};
        return HttpReply{200, "application/json", reply.dump(), {}};
    };
    table.add(std::move(route));
}

} // namespace buurtstem
