#include "buurtstem/sync/sync_client.hpp"

#include <curl/curl.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <future>
#include <optional>
#include <set>
#include <unordered_set>

#include "buurtstem/protocol/gzip.hpp"
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

// Watches the reply's headers for "Accept-Encoding" (RFC 7694): whether the server takes gzip bodies.
struct ReplyHeaders {
    bool takes_gzip = false;
};

size_t read_header(char* data, size_t size, size_t count, void* user) {
    const size_t bytes = size * count;
    std::string line(data, bytes);
    for (char& c : line) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (line.rfind("http/", 0) == 0) {
        static_cast<ReplyHeaders*>(user)->takes_gzip = false; // a new (final or interim) reply begins
    } else if (line.rfind("accept-encoding:", 0) == 0 && line.find("gzip") != std::string::npos) {
        static_cast<ReplyHeaders*>(user)->takes_gzip = true;
    }
    return bytes;
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

// A batch read from the outbox and encoded, ready to send.
struct Prepared {
    std::vector<std::string> ids;   // of the responses in it, as sent
    std::string json;               // the body as JSON
    std::string gzipped;            // the same, gzipped; empty when sent as JSON
    sync::OutboxCursor next = 0;    // where the pass goes on after this batch
    std::optional<int64_t> pending; // the outbox's pending count when prepared (Buurtstem-Pending)
};

// What the server said about a batch, not yet marked in the outbox.
struct Answered {
    protocol::UploadReply reply;
    size_t body_bytes = 0; // request body bytes sent (after compression)
};

struct SyncClient::Impl {
    SyncSettings settings;
    std::unique_ptr<sync::OutboxPort> outbox;
    CurlEasy curl{curl_easy_init()}; // kept across batches so the TLS connection is reused
    std::function<bool()> should_cancel{};
    std::function<void(const SyncReport&)> on_batch{};
    sync::OutboxCursor cursor = 0; // where this pass has got to in the queue
    // Whether the server's last reply said it takes gzip bodies. Read by the thread that prepares the
    // next batch while this one is in flight.
    std::atomic<bool> server_takes_gzip{false};

    Result<Prepared, SyncError> prepare(sync::OutboxCursor after);
    Result<Answered, SyncError> post(const Prepared& batch);
    Result<SyncReport, SyncError> apply(const Prepared& batch, const Answered& answered);
    // The batch was marked sending but got no answer (the pass stopped or failed): unmarked. A failure
    // here only leaves the "sent" count high; the responses stay pending either way.
    void unmark(const Prepared& batch) {
        if (!batch.ids.empty()) {
            static_cast<void>(outbox->not_sent(batch.ids));
        }
    }
};

SyncClient::SyncClient(SyncSettings settings, std::unique_ptr<sync::OutboxPort> outbox)
    : impl_(std::make_unique<Impl>()) {
    impl_->settings = std::move(settings);
    impl_->outbox = std::move(outbox);
}
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

namespace {

void add_up(SyncReport& total, const SyncReport& batch) {
    total.batches += batch.batches;
    total.accepted += batch.accepted;
    total.rejected += batch.rejected;
    total.held += batch.held;
    total.body_bytes += batch.body_bytes;
}

} // namespace

// A pipeline of two: while batch N is on the network (this thread: curl, and the cancel check during
// the transfer), another thread marks batch N-1 in the outbox and reads and encodes batch N+1. The
// kiosk's own work (SQLite reads, JSON, gzip, the marking commit and its fsync) then hides behind the
// server's, instead of adding to it. Exactly-once is untouched: a batch is marked only from the reply
// that acknowledged it, and every mark is committed before sync_all returns.
Result<SyncReport, SyncError> SyncClient::sync_all() {
    impl_->cursor = 0;
    SyncReport total;
    auto current = impl_->prepare(impl_->cursor);
    if (!current) {
        return fail(current.error());
    }
    std::optional<std::pair<Prepared, Answered>> previous;
    // Marks the previous batch (on the helper thread or this one) and reports progress (this thread).
    const auto report_previous = [&](const Result<SyncReport, SyncError>& marked) -> Status<SyncError> {
        if (!marked) {
            return fail(marked.error());
        }
        add_up(total, *marked);
        if (impl_->on_batch) {
            impl_->on_batch(total);
        }
        return Unit{};
    };
    while (!current->ids.empty()) {
        if (impl_->should_cancel && impl_->should_cancel()) {
            if (previous) {
                static_cast<void>(report_previous(impl_->apply(previous->first, previous->second)));
            }
            impl_->unmark(*current);
            return fail(SyncError{SyncError::Kind::Cancelled, "sync stopped: the kiosk is closing"});
        }
        std::optional<Result<SyncReport, SyncError>> marked;
        std::optional<Result<Prepared, SyncError>> next;
        auto helper = std::async(std::launch::async, [&] {
            if (previous) {
                marked = impl_->apply(previous->first, previous->second);
            }
            next = impl_->prepare(current->next);
        });
        auto answered = impl_->post(*current);
        helper.wait();
        // The batch prepared for after this one (marked sending) goes nowhere if the pass ends here.
        const auto unmark_next = [&] {
            if (next && *next) {
                impl_->unmark(next->value());
            }
        };
        if (marked) {
            if (auto ok = report_previous(*marked); !ok) {
                if (!answered) {
                    impl_->unmark(*current);
                }
                unmark_next();
                return fail(ok.error());
            }
        }
        previous.reset();
        if (!answered) {
            impl_->unmark(*current);
            unmark_next();
            return fail(answered.error()); // the cursor stays: this batch is the first of the next try
        }
        impl_->cursor = current->next;
        previous.emplace(std::move(current).value(), std::move(answered).value());
        if (!*next) {
            if (auto ok = report_previous(impl_->apply(previous->first, previous->second)); !ok) {
                return fail(ok.error());
            }
            return fail(next->error());
        }
        current = std::move(*next);
    }
    if (previous) {
        if (auto ok = report_previous(impl_->apply(previous->first, previous->second)); !ok) {
            return fail(ok.error());
        }
    }
    // Contacts after the responses, never in the same request: nothing on the wire puts a contact next
    // to the answers it came with.
    auto contacts = sync_contacts();
    if (!contacts) {
        return fail(contacts.error());
    }
    total.contacts = *contacts;
    return total;
}

Result<SyncReport, SyncError> SyncClient::sync_batch() {
    auto batch = impl_->prepare(impl_->cursor);
    if (!batch) {
        return fail(batch.error());
    }
    if (batch->ids.empty()) {
        return SyncReport{};
    }
    auto answered = impl_->post(*batch);
    if (!answered) {
        impl_->unmark(*batch);
        return fail(answered.error());
    }
    auto report = impl_->apply(*batch, *answered);
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

Result<Prepared, SyncError> SyncClient::Impl::prepare(sync::OutboxCursor after) {
    auto batch = outbox->pending_after(after, settings.batch_size);
    if (!batch) {
        return fail(SyncError{SyncError::Kind::Store, batch.error().to_string()});
    }
    Prepared prepared;
    prepared.next = batch->next;
    if (batch->responses.empty()) {
        return prepared;
    }
    prepared.ids.reserve(batch->responses.size());
    for (const CompletedResponse& r : batch->responses) {
        prepared.ids.push_back(r.id);
    }
    // "Sent" for the volunteer's panel from here on (not confirmed: they stay pending until a reply
    // acknowledges them). Marked here, on the thread that owns the outbox at this point of the pipeline,
    // so the outbox is never used from two threads at once.
    if (auto marked = outbox->sending(prepared.ids); !marked) {
        return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
    }
    // Told to the server with the batch, so the council sees a kiosk that has more than it gets through.
    // A count that cannot be read only leaves the header out.
    if (auto counts = outbox->outbox_counts()) {
        prepared.pending = counts->pending;
    }
    prepared.json =
        protocol::encode_batch(protocol::UploadBatch{settings.device_id, std::move(batch->responses), {}});
    if (settings.compress && server_takes_gzip.load()) {
        prepared.gzipped = protocol::gzip(prepared.json);
    }
    return prepared;
}

Result<Answered, SyncError> SyncClient::Impl::post(const Prepared& batch) {
    if (!curl) {
        return fail(SyncError{SyncError::Kind::Network, "curl_easy_init failed"});
    }
    CURL* h = curl.get();
    curl_easy_reset(h);
    const std::string url = settings.server_url + std::string(protocol::kUploadPath);
    // Prepared as JSON before the server's first reply said it takes gzip (the batch encoded while
    // the first was in flight): compressed now rather than sent at full size.
    std::string late;
    if (batch.gzipped.empty() && settings.compress && server_takes_gzip.load()) {
        late = protocol::gzip(batch.json);
    }
    const std::string& body = !late.empty() ? late : batch.gzipped.empty() ? batch.json : batch.gzipped;
    const bool gzipped = &body != &batch.json;
    std::string reply;
    ReplyHeaders reply_headers;
    char error_buffer[CURL_ERROR_SIZE] = {};

    CurlList headers;
    for (const std::string& line :
         {std::string("Content-Type: application/json"), "Authorization: Bearer " + settings.token,
          // No "Expect: 100-continue": the token is checked from the headers anyway, and waiting for
          // a 100 costs a round trip per batch (a whole second with a server that never sends one).
          std::string("Expect:"),
          // Only when the server said it takes gzip: older servers never see a coding they cannot read.
          std::string(gzipped ? "Content-Encoding: gzip" : ""),
          batch.pending ? std::string(protocol::kPendingHeader) + ": " + std::to_string(*batch.pending)
                        : std::string()}) {
        if (line.empty()) {
            continue;
        }
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
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &reply_headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    detail::apply_transport(h, detail::Transport{settings.ca_file, settings.pinned_public_key,
                                                 settings.connect_timeout_seconds, settings.timeout_seconds,
                                                 settings.stall_seconds, should_cancel});

    const CURLcode rc = curl_easy_perform(h);
    // The handle outlives this call; it must not keep pointers to locals that are about to go.
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        return fail(SyncError{SyncError::Kind::Cancelled, "sync stopped: the kiosk is closing"});
    }
    if (rc != CURLE_OK) {
        const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
        return fail(SyncError{classify(rc), "cannot reach " + url + ": " + detail});
    }
    // Every reply says again whether gzip is taken: a server replaced by an older one stops getting it.
    server_takes_gzip = reply_headers.takes_gzip;
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
    if (status == 415 && gzipped) {
        // The server no longer takes gzip (its reply said so, above): send this batch as plain JSON.
        Prepared plain{batch.ids, batch.json, {}, batch.next, batch.pending};
        return post(plain);
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

    // A reply that names none of the ids sent acknowledges nothing; without this check sync_all would
    // send the same batch forever.
    const std::unordered_set<std::string_view> sent(batch.ids.begin(), batch.ids.end());
    bool names_one = false;
    for (const std::string& id : decoded->accepted) {
        names_one = names_one || sent.count(id) == 1;
    }
    for (const auto* list : {&decoded->rejected, &decoded->deferred}) {
        for (const protocol::Rejection& r : *list) {
            names_one = names_one || sent.count(r.id) == 1;
        }
    }
    if (!names_one) {
        return fail(SyncError{SyncError::Kind::Protocol, "server acknowledged none of the " +
                                                             std::to_string(batch.ids.size()) +
                                                             " responses sent"});
    }
    return Answered{std::move(decoded).value(), body.size()};
}

Result<SyncReport, SyncError> SyncClient::Impl::apply(const Prepared& batch, const Answered& answered) {
    const protocol::UploadReply& decoded = answered.reply;
    // Only ids that were in this batch count: a confused server must not mark other responses synced.
    std::unordered_set<std::string_view> sent(batch.ids.begin(), batch.ids.end());
    std::vector<std::string> acknowledged;
    acknowledged.reserve(decoded.accepted.size());
    for (const std::string& id : decoded.accepted) {
        if (sent.erase(id) == 1) {
            acknowledged.push_back(id);
        }
    }
    SyncReport report{1, acknowledged.size(), 0, 0, answered.body_bytes};
    if (auto marked = outbox->acknowledge(acknowledged); !marked) {
        return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
    }
    for (const protocol::Rejection& rejection : decoded.rejected) {
        if (sent.erase(rejection.id) == 1) {
            if (auto marked = outbox->refuse(rejection.id, rejection.reason); !marked) {
                return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
            }
            ++report.rejected;
        }
    }
    for (const protocol::Rejection& held : decoded.deferred) {
        if (sent.erase(held.id) == 1) {
            if (auto marked = outbox->hold(held.id, held.reason); !marked) {
                return fail(SyncError{SyncError::Kind::Store, marked.error().to_string()});
            }
            ++report.held;
        }
    }
    return report;
}

} // namespace buurtstem
