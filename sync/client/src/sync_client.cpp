#include "buurtstem/sync/sync_client.hpp"

#include <curl/curl.h>

#include <csignal>
#include <set>

#include "buurtstem/protocol/protocol.hpp"
#include "https_call.hpp"

namespace buurtstem {

namespace {

struct CurlEasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

constexpr size_t kMaxReplyBytes = 4 * 1024 * 1024;

size_t collect_body(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    const size_t bytes = size * count;
    if (body->size() + bytes > kMaxReplyBytes) {
        return 0; // makes curl fail with CURLE_WRITE_ERROR rather than eat memory
    }
    body->append(data, bytes);
    return bytes;
}

SyncError::Kind classify(CURLcode code) {
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return SyncError::Kind::Tls;
    default:
        return SyncError::Kind::Network;
    }
}

std::string server_message(const std::string& body) {
    // Servers answer errors with {"error": "..."}; show that text, not the JSON around it.
    const auto start = body.find("\"error\":\"");
    if (start == std::string::npos) {
        return body.substr(0, 300);
    }
    const auto from = start + 9;
    const auto end = body.find('"', from);
    return body.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

} // namespace

CurlGlobal::CurlGlobal() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // With CURLOPT_NOSIGNAL (needed off the main thread) libcurl no longer ignores SIGPIPE around a
    // transfer, and a TLS write to a connection the other side (or a middlebox) just cut raises it:
    // that would end the whole kiosk. A write error is a value here; the signal must never come.
    std::signal(SIGPIPE, SIG_IGN);
}

CurlGlobal::~CurlGlobal() {
    curl_global_cleanup();
}

struct SyncClient::Impl {
    SyncSettings settings;
    std::unique_ptr<sync::OutboxPort> outbox;
    CurlEasy curl{curl_easy_init()}; // kept across batches so the TLS connection is reused
    std::function<bool()> should_cancel{};
    std::function<void(const SyncReport&)> on_batch{};
    sync::OutboxCursor cursor = 0; // where this pass has got to in the queue

    Result<SyncReport, SyncError> post(const protocol::UploadBatch& batch);
};

SyncClient::SyncClient(SyncSettings settings, std::unique_ptr<sync::OutboxPort> outbox)
    : impl_(std::make_unique<Impl>(Impl{std::move(settings), std::move(outbox)})) {}
SyncClient::~SyncClient() = default;
SyncClient::SyncClient(SyncClient&&) noexcept = default;
SyncClient& SyncClient::operator=(SyncClient&&) noexcept = default;

Result<sync::OutboxCounts, sync::OutboxError> SyncClient::counts() {
    return impl_->outbox->outbox_counts();
}

void SyncClient::set_cancel_check(std::function<bool()> should_cancel) {
    impl_->should_cancel = std::move(should_cancel);
}

void SyncClient::set_progress(std::function<void(const SyncReport&)> on_batch) {
    impl_->on_batch = std::move(on_batch);
}

Result<SyncReport, SyncError> SyncClient::sync_all() {
    impl_->cursor = 0;
    SyncReport total;
    for (;;) {
        if (impl_->should_cancel && impl_->should_cancel()) {
            return fail(SyncError{SyncError::Kind::Cancelled, "sync stopped: the kiosk is closing"});
        }
        auto report = sync_batch();
        if (!report) {
            return report;
        }
        if (report->batches == 0) {
            // Contacts after the responses, never in the same request: nothing on the wire puts a
            // contact next to the answers it came with.
            auto contacts = sync_contacts();
            if (!contacts) {
                return fail(contacts.error());
            }
            total.contacts = *contacts;
            return total;
        }
        total.batches += report->batches;
        total.accepted += report->accepted;
        total.rejected += report->rejected;
        total.held += report->held;
        if (impl_->on_batch) {
            impl_->on_batch(total);
        }
    }
}

Result<SyncReport, SyncError> SyncClient::sync_batch() {
    auto batch = impl_->outbox->pending_after(impl_->cursor, impl_->settings.batch_size);
    if (!batch) {
        return fail(SyncError{SyncError::Kind::Store, batch.error().to_string()});
    }
    if (batch->responses.empty()) {
        return SyncReport{};
    }
    std::vector<std::string> ids;
    for (const CompletedResponse& r : batch->responses) {
        ids.push_back(r.id);
    }
    if (auto marked = impl_->outbox->sending(ids); !marked) {
        return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
    }
    auto report =
        impl_->post(protocol::UploadBatch{impl_->settings.device_id, std::move(batch->responses), {}});
    if (report) {
        impl_->cursor = batch->next; // a failed batch is the first of the next attempt
    }
    return report;
}

Result<size_t, SyncError> SyncClient::sync_contacts() {
    size_t delivered = 0;
    for (;;) {
        auto waiting = impl_->outbox->contacts_waiting(protocol::kMaxContactBatchSize);
        if (!waiting) {
            return fail(SyncError{SyncError::Kind::Store, waiting.error().to_string()});
        }
        if (waiting->empty()) {
            return delivered;
        }
        detail::HttpsCall call;
        call.method = "POST";
        call.url = impl_->settings.server_url + std::string(protocol::kContactsPath);
        call.ca_file = impl_->settings.ca_file;
        call.bearer_token = impl_->settings.token;
        call.body = protocol::encode_contacts({impl_->settings.device_id, *waiting});
        call.connect_timeout_seconds = impl_->settings.connect_timeout_seconds;
        call.timeout_seconds = impl_->settings.timeout_seconds;
        call.stall_seconds = impl_->settings.stall_seconds;
        call.pinned_public_key = impl_->settings.pinned_public_key;
        call.should_cancel = impl_->should_cancel;
        auto answer = detail::https_call(call);
        if (!answer) {
            return fail(answer.error());
        }
        if (answer->status == 404) {
            return delivered; // a server from before contacts: they stay on the kiosk, nothing is lost
        }
        if (answer->status == 401 || answer->status == 403) {
            return fail(detail::refused(*answer, "contacts"));
        }
        if (answer->status != 200) {
            return fail(SyncError{answer->status >= 500 ? SyncError::Kind::Server : SyncError::Kind::Protocol,
                                  "server did not take the contacts (HTTP " + std::to_string(answer->status) +
                                      "): " + detail::error_text(answer->body)});
        }
        auto reply = protocol::decode_reply(answer->body);
        if (!reply) {
            return fail(SyncError{SyncError::Kind::Protocol,
                                  "unreadable reply to contacts: " + reply.error().to_string()});
        }
        std::set<std::string> sent;
        for (const ContactEntry& c : *waiting) {
            sent.insert(c.contact_id);
        }
        std::vector<std::string> stored;
        for (const std::string& id : reply->accepted) {
            if (sent.erase(id) == 1) {
                stored.push_back(id);
            }
        }
        if (stored.empty()) {
            return fail(
                SyncError{SyncError::Kind::Protocol, "server acknowledged none of the contacts sent"});
        }
        if (auto marked = impl_->outbox->contacts_delivered(stored); !marked) {
            return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
        }
        delivered += stored.size();
    }
}

Result<SyncReport, SyncError> SyncClient::Impl::post(const protocol::UploadBatch& batch) {
    if (!curl) {
        return fail(SyncError{SyncError::Kind::Network, "curl_easy_init failed"});
    }
    CURL* h = curl.get();
    curl_easy_reset(h);
    const std::string url = settings.server_url + std::string(protocol::kUploadPath);
    const std::string body = protocol::encode_batch(batch);
    std::string reply;
    char error_buffer[CURL_ERROR_SIZE] = {};

    CurlList headers;
    for (const std::string& line :
         {std::string("Content-Type: application/json"), "Authorization: Bearer " + settings.token,
          // No "Expect: 100-continue": the token is checked from the headers anyway, and waiting for
          // a 100 costs a round trip per batch (a whole second with a server that never sends one).
          std::string("Expect:")}) {
        curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
        if (grown == nullptr) {
            return fail(SyncError{SyncError::Kind::Network, "out of memory building request headers"});
        }
        headers.release();
        headers.reset(grown);
    }

    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    detail::apply_transport(h, detail::Transport{settings.ca_file, settings.pinned_public_key,
                                                 settings.connect_timeout_seconds, settings.timeout_seconds,
                                                 settings.stall_seconds, should_cancel});

    const CURLcode rc = curl_easy_perform(h);
    // The handle outlives this call; it must not keep pointers to locals that are about to go.
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        return fail(SyncError{SyncError::Kind::Cancelled, "sync stopped: the kiosk is closing"});
    }
    if (rc != CURLE_OK) {
        const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
        return fail(SyncError{classify(rc), "cannot reach " + url + ": " + detail});
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status == 401 && server_message(reply).rfind("revoked", 0) == 0) {
        return fail(SyncError{SyncError::Kind::Revoked, std::string(kRevokedMessage)});
    }
    if (status == 401 || status == 403) {
        return fail(SyncError{SyncError::Kind::Auth, "server refused device '" + settings.device_id +
                                                         "' (HTTP " + std::to_string(status) +
                                                         "): " + server_message(reply)});
    }
    if (status >= 500) {
        return fail(SyncError{SyncError::Kind::Server, "server error (HTTP " + std::to_string(status) +
                                                           "): " + server_message(reply)});
    }
    if (status != 200) {
        return fail(SyncError{SyncError::Kind::Protocol, "server did not take the batch (HTTP " +
                                                             std::to_string(status) +
                                                             "): " + server_message(reply)});
    }
    // A captive portal (a Wi-Fi login page) answers 200 with HTML: that is not an acknowledgement.
    const char* content_type = nullptr;
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type);
    const std::string type = content_type != nullptr ? content_type : "";
    if (type.rfind("application/json", 0) != 0) {
        return fail(SyncError{SyncError::Kind::Protocol,
                              "the reply to " + url + " is not from a Buurtstem server (Content-Type '" +
                                  type + "', a Wi-Fi login page?); nothing was marked"});
    }
    auto decoded = protocol::decode_reply(reply);
    if (!decoded) {
        return fail(SyncError{SyncError::Kind::Protocol,
                              "unreadable reply from server: " + decoded.error().to_string()});
    }

    // Only ids that were in this batch count: a confused server must not mark other responses synced.
    std::set<std::string> sent;
    for (const CompletedResponse& r : batch.responses) {
        sent.insert(r.id);
    }
    std::vector<std::string> acknowledged;
    for (const std::string& id : decoded->accepted) {
        if (sent.erase(id) == 1) {
            acknowledged.push_back(id);
        }
    }
    SyncReport report{1, acknowledged.size(), 0, 0};
    if (auto marked = outbox->acknowledge(acknowledged); !marked) {
        return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
    }
    for (const protocol::Rejection& rejection : decoded->rejected) {
        if (sent.erase(rejection.id) == 1) {
            if (auto marked = outbox->refuse(rejection.id, rejection.reason); !marked) {
                return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
            }
            ++report.rejected;
        }
    }
    for (const protocol::Rejection& held : decoded->deferred) {
        if (sent.erase(held.id) == 1) {
            if (auto marked = outbox->hold(held.id, held.reason); !marked) {
                return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
            }
            ++report.held;
        }
    }
    if (report.accepted == 0 && report.rejected == 0 && report.held == 0) {
        // Without this, sync_all would send the same batch forever.
        return fail(SyncError{SyncError::Kind::Protocol, "server acknowledged none of the " +
                                                             std::to_string(batch.responses.size()) +
                                                             " responses sent"});
    }
    return report;
}

} // namespace buurtstem
