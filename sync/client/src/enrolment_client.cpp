#include "buurtstem/sync/enrolment_client.hpp"

#include <nlohmann/json.hpp>

#include "buurtstem/core/atomic_file.hpp"
#include "https_call.hpp"

namespace buurtstem {

Result<std::string, SyncError> enrol_kiosk(const EnrolSettings& settings) {
    detail::HttpsCall call;
    call.method = "POST";
    call.url = settings.server_url + "/api/v1/enrol";
    call.ca_file = settings.ca_file;
    nlohmann::json request{{"code", settings.code}, {"device_id", settings.device_id}};
    if (!settings.public_key_hex.empty()) {
        request["public_key"] = settings.public_key_hex;
    }
    call.body = request.dump();
    call.connect_timeout_seconds = settings.connect_timeout_seconds;
    call.timeout_seconds = settings.timeout_seconds;
    call.max_reply_bytes = 64 * 1024;
    auto answer = detail::https_call(call);
    if (!answer) {
        return fail(answer.error());
    }
    if (answer->status == 403 || answer->status == 429) {
        return fail(SyncError{SyncError::Kind::Auth, detail::error_text(answer->body)});
    }
    if (answer->status != 200) {
        return fail(SyncError{answer->status >= 500 ? SyncError::Kind::Server : SyncError::Kind::Protocol,
                              "enrolment failed (HTTP " + std::to_string(answer->status) +
                                  "): " + detail::error_text(answer->body)});
    }
    const nlohmann::json j = nlohmann::json::parse(answer->body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("token") || !j["token"].is_string() ||
        !j.contains("device_id") || !j["device_id"].is_string() || j["token"].get<std::string>().empty()) {
        return fail(SyncError{SyncError::Kind::Protocol, "unreadable enrolment reply from the server"});
    }
    const std::string device = j["device_id"].get<std::string>();
    if (!settings.device_id.empty() && device != settings.device_id) {
        return fail(SyncError{SyncError::Kind::Protocol, "the server enrolled device '" + device +
                                                             "', but this kiosk is '" + settings.device_id +
                                                             "'; the token was not kept"});
    }
    if (auto written = write_file_atomically(settings.token_file, j["token"].get<std::string>() + "\n", 0600);
        !written) {
        return fail(SyncError{SyncError::Kind::Store, written.error()});
    }
    return device;
}

} // namespace buurtstem
