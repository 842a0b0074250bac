#include "https_call.hpp"

#include <curl/curl.h>

#include <memory>
#include <nlohmann/json.hpp>

namespace buurtstem::detail {

namespace {

struct Sink {
    std::string* body;
    size_t limit;
};

size_t collect(char* data, size_t size, size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const size_t bytes = size * count;
    if (sink->body->size() + bytes > sink->limit) {
        return 0; // CURLE_WRITE_ERROR rather than eating memory
    }
    sink->body->append(data, bytes);
    return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* should_cancel = static_cast<const std::function<bool()>*>(user);
    return *should_cancel && (*should_cancel)() ? 1 : 0; // non-zero aborts the transfer
}

} // namespace

void apply_transport(CURL* h, const Transport& t) {
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!t.ca_file.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, t.ca_file.c_str());
    }
    if (!t.pinned_public_key.empty()) {
        curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, t.pinned_public_key.c_str());
    }
    // A deadline for the whole request and a stall limit: a server (or a middlebox) that accepts and
    // then goes quiet costs at most these, never a hang.
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, t.connect_timeout_seconds * 1000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, t.timeout_seconds * 1000L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, t.stall_seconds);
    // Signals and threads do not mix: the sync worker runs curl off the main thread.
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t.should_cancel);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

Result<HttpsAnswer, SyncError> https_call(const HttpsCall& call) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) {
        return fail(SyncError{SyncError::Kind::Network, "curl_easy_init failed"});
    }
    CURL* h = curl.get();
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
    auto add_header = [&headers](const std::string& line) {
        curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
        if (grown != nullptr) {
            static_cast<void>(headers.release());
            headers.reset(grown);
        }
        return grown != nullptr;
    };
    if (!call.bearer_token.empty() && !add_header("Authorization: Bearer " + call.bearer_token)) {
        return fail(SyncError{SyncError::Kind::Network, "out of memory building request headers"});
    }
    for (const std::string& line : call.extra_headers) {
        if (!add_header(line)) {
            return fail(SyncError{SyncError::Kind::Network, "out of memory building request headers"});
        }
    }
    HttpsAnswer answer;
    Sink sink{&answer.body, call.max_reply_bytes};
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(h, CURLOPT_URL, call.url.c_str());
    if (call.method == "POST") {
        if (!add_header("Content-Type: application/json")) {
            return fail(SyncError{SyncError::Kind::Network, "out of memory building request headers"});
        }
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, call.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    apply_transport(h, Transport{call.ca_file, call.pinned_public_key, call.connect_timeout_seconds,
                                 call.timeout_seconds, call.stall_seconds, call.should_cancel});
    const CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        return fail(SyncError{SyncError::Kind::Cancelled, "sync stopped: the kiosk is closing"});
    }
    if (rc != CURLE_OK) {
        const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
        const bool tls = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
                         rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CERTPROBLEM;
        return fail(SyncError{tls ? SyncError::Kind::Tls : SyncError::Kind::Network,
                              "cannot reach " + call.url + ": " + detail});
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

std::string error_text(const std::string& body) {
    const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_string()) {
        return j["error"].get<std::string>();
    }
    return body.substr(0, 300);
}

SyncError refused(const HttpsAnswer& answer, const std::string& what) {
    const std::string text = error_text(answer.body);
    if (answer.status == 401 && text.rfind("revoked", 0) == 0) {
        return SyncError{SyncError::Kind::Revoked, std::string(kRevokedMessage)};
    }
    return SyncError{SyncError::Kind::Auth,
                     what + " refused (HTTP " + std::to_string(answer.status) + "): " + text};
}

} // namespace buurtstem::detail
