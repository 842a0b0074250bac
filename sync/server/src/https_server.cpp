// The HTTPS transport: GNU libmicrohttpd (GnuTLS) with a few epoll worker threads, hard limits, and
// dispatch through a RouteTable. Why this model and these limits: sync/server/DESIGN.md.
//
// [SECTION] state kept per connection and per request
// [SECTION] replies and logging
// [SECTION] the request handler (limits, token before body, dispatch)
// [SECTION] deadlines (the sweeper closes connections that trickle)
// [SECTION] creating, serving, stopping
#include "buurtstem/server/https_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/gzip.hpp"
#include "buurtstem/server/server_routes.hpp"

namespace buurtstem {

namespace {

using SteadyClock = std::chrono::steady_clock;

// [SECTION] state kept per connection and per request

// One TCP connection (MHD's socket context). The deadline is when the sweeper shuts the socket unless
// the connection has moved on: headers due, body due, or next request due.
struct Connection {
    uint64_t serial = 0;
    int fd = -1;
    std::atomic<SteadyClock::rep> deadline{0};
    bool shut = false; // guarded by Impl::connections_mutex

    void due_in(int seconds) {
        deadline = (SteadyClock::now() + std::chrono::seconds(seconds)).time_since_epoch().count();
    }
};

// One request (MHD's per-request context), from its headers to its reply.
struct RequestState {
    HttpRequest request;
    const Route* route = nullptr;
    Connection* connection = nullptr;
    bool replied = false;
    bool gzip = false;         // Content-Encoding: gzip, on a route that takes it
    bool length_known = false; // a Content-Length was given (and reserved in full)
    size_t reserved = 0;       // bytes of the global body budget this request holds
    // Refused mid-body (see refuse_mid_body): body bytes still read and dropped, so the client can
    // read the refusal before the connection closes, and then no more.
    bool refused_mid_body = false;
    size_t drain_left = 0;
    // Past the body budget at the headers: refused with this reply as soon as the body starts (written
    // as a mid-body refusal, so that the body already on its way is drained and the client reads the
    // reply; a reply queued at the headers is followed by a close that can reset it unread).
    std::optional<HttpReply> refuse_on_body;
    std::chrono::steady_clock::time_point drain_until{};
    // A file being built for this request's reply (HttpReply::build_file), while the connection is
    // suspended. Written by the builder thread before it resumes the connection; read after.
    struct FileBuild {
        HttpReply reply; // status, type and headers to send the file with
        bool done = false;
        int fd = -1; // the finished file, open for reading (MHD closes it with the response)
        uint64_t size = 0;
        std::string error;
    };
    std::unique_ptr<FileBuild> build;
};

// Body read and dropped after a mid-body refusal before the connection is closed: long enough for the
// client to read the reply and stop sending (curl gives up without reading it when its send fails
// first: a reset after 1 MiB was too soon for a busy machine), little enough to bound what an attacker
// can make us read and decrypt. Nothing of it is kept.
constexpr size_t kDrainAfterRefusal = 64 * 1024 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(2);
// Chunked bodies take the global budget in steps of this much, not per piece.
constexpr size_t kBudgetStep = 256 * 1024;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::optional<std::string> read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string peer_address(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == nullptr || info->client_addr == nullptr) {
        return "?";
    }
    char text[INET6_ADDRSTRLEN] = {};
    if (info->client_addr->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(info->client_addr)->sin_addr, text,
                  sizeof(text));
    } else if (info->client_addr->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(info->client_addr)->sin6_addr, text,
                  sizeof(text));
    }
    return text;
}

// Adds every header (names in lower case) to `request`; counts them and their bytes.
struct HeaderCollector {
    HttpRequest* request;
    size_t count = 0;
    size_t bytes = 0;
};

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* c = static_cast<HeaderCollector*>(cls);
    ++c->count;
    const size_t key_size = key ? std::strlen(key) : 0;
    const size_t value_size = value ? std::strlen(value) : 0;
    c->bytes += key_size + value_size + 4; // ": " and CRLF
    std::string name = lower(std::string(key ? key : "", key_size));
    std::string& slot = c->request->headers[name];
    // Repeated headers join with ", " (RFC 9110 5.3), except that we keep it simple for the few we read.
    slot = slot.empty() ? std::string(value ? value : "", value_size) : slot + ", " + (value ? value : "");
    return MHD_YES;
}

MHD_Result collect_query(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* request = static_cast<HttpRequest*>(cls);
    request->query[key ? key : ""] = value ? value : "";
    return MHD_YES;
}

} // namespace

struct HttpsServer::Impl {
    HttpsServerSettings settings;
    RouteTable routes;
    HeaderCheck device_check;
    int listen_fd = -1;
    int port = 0;
    MHD_Daemon* daemon = nullptr;
    std::function<void(const std::string&)> log;

    std::mutex connections_mutex;
    std::set<Connection*> connections;
    std::atomic<uint64_t> next_serial{1};

    std::mutex stop_mutex;
    std::condition_variable stop_cv;
    bool stopping = false;

    // Streamed replies in progress (each has a writer thread); the server waits for them before the
    // store they read from goes away.
    std::mutex streams_mutex;
    std::condition_variable streams_cv;
    int active_streams = 0;

    // Files being built (HttpReply::build_file), each on a thread of its own with its connection
    // suspended. MHD must not stop while a connection is suspended, so stopping waits for them.
    std::mutex builds_mutex;
    std::condition_variable builds_cv;
    unsigned active_builds = 0;

    // The global body budget: bytes of request body buffered now, over all connections.
    std::atomic<size_t> buffered{0};

    // Takes `bytes` more of the budget for `state`; false (nothing taken) when that would pass it.
    bool reserve(RequestState& state, size_t bytes) {
        size_t now = buffered.load();
        do {
            if (now + bytes > settings.max_buffered_body_bytes) {
                return false;
            }
        } while (!buffered.compare_exchange_weak(now, now + bytes));
        state.reserved += bytes;
        return true;
    }

    void release(RequestState& state) {
        buffered -= state.reserved;
        state.reserved = 0;
    }

    HttpReply busy_reply() const {
        HttpReply reply = error_reply(503, "server busy: too many uploads at once; try again in " +
                                               std::to_string(settings.busy_retry_after_seconds) + " s");
        reply.headers.emplace_back("Retry-After", std::to_string(settings.busy_retry_after_seconds));
        return reply;
    }

    ~Impl() {
        wait_for_builds();
        if (daemon != nullptr) {
            MHD_stop_daemon(daemon); // closes listen_fd too
        } else if (listen_fd >= 0) {
            ::close(listen_fd);
        }
        wait_for_streams();
    }

    void wait_for_builds() {
        std::unique_lock lock(builds_mutex);
        builds_cv.wait(lock, [&] { return active_builds == 0; });
    }

    // Starts building the reply's file on a thread of its own and suspends the connection: the worker
    // thread goes back to its other connections at once. The builder resumes the connection when the
    // file is done; MHD then calls on_request again, which sends it (send_built).
    MHD_Result start_build(MHD_Connection* mhd, RequestState& state, const HttpReply& reply) {
        {
            std::lock_guard lock(builds_mutex);
            if (active_builds >= settings.max_file_builds) {
                HttpReply busy =
                    error_reply(503, "server busy: " + std::to_string(settings.max_file_builds) +
                                         " files are being made; try again in " +
                                         std::to_string(settings.build_retry_after_seconds) + " s");
                busy.headers.emplace_back("Retry-After", std::to_string(settings.build_retry_after_seconds));
                return send(mhd, state, busy);
            }
            ++active_builds;
        }
        state.build = std::make_unique<RequestState::FileBuild>();
        state.build->reply = reply;
        state.build->reply.build_file = nullptr;
        if (state.connection != nullptr) {
            state.connection->due_in(3600); // building and sending a large file: an hour
        }
        MHD_suspend_connection(mhd);
        std::thread([this, mhd, build = state.build.get(), make = reply.build_file] {
            std::string path = (std::filesystem::temp_directory_path() / "buurtstem-build-XXXXXX").string();
            const int made = ::mkstemp(path.data());
            if (made < 0) {
                build->error = "cannot create a temporary file: " + std::string(std::strerror(errno));
            } else {
                ::close(made);
                try {
                    build->error = make(path);
                } catch (const std::exception& e) {
                    build->error = std::string("internal error: ") + e.what();
                }
                if (build->error.empty()) {
                    build->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
                    struct stat info {};
                    if (build->fd < 0 || ::fstat(build->fd, &info) != 0) {
                        build->error = "cannot read back the file: " + std::string(std::strerror(errno));
                    } else {
                        build->size = static_cast<uint64_t>(info.st_size);
                    }
                }
                ::unlink(path.c_str()); // the open descriptor keeps the bytes until the reply is sent
            }
            build->done = true;
            MHD_resume_connection(mhd);
            std::lock_guard lock(builds_mutex);
            --active_builds;
            builds_cv.notify_all();
        }).detach();
        return MHD_YES;
    }

    // The file of start_build() is done: send it with its length, or say it could not be made.
    MHD_Result send_built(MHD_Connection* mhd, RequestState& state) {
        RequestState::FileBuild& build = *state.build;
        if (!build.error.empty() || build.fd < 0) {
            log_line("building the reply to " + state.request.path + " failed: " + build.error);
            if (build.fd >= 0) {
                ::close(build.fd);
            }
            state.build.reset();
            return send(mhd, state, error_reply(500, "the file could not be made; try again later"));
        }
        MHD_Response* response = MHD_create_response_from_fd(build.size, build.fd);
        if (response == nullptr) {
            ::close(build.fd);
            state.build.reset();
            return MHD_NO;
        }
        const HttpReply reply = std::move(build.reply);
        state.build.reset();
        return queue(mhd, state, reply, response);
    }

    void wait_for_streams() {
        std::unique_lock lock(streams_mutex);
        streams_cv.wait(lock, [&] { return active_streams == 0; });
    }

    // A response whose body a writer thread produces into a pipe that MHD reads (exports: memory stays
    // flat however many rows). When the client goes, MHD closes the read end, the writer's next write
    // fails (EPIPE; SIGPIPE is blocked in that thread) and the sink tells the producer to stop.
    MHD_Response* stream_response(const HttpReply& reply) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            return nullptr;
        }
        MHD_Response* response = MHD_create_response_from_pipe(fds[0]);
        if (response == nullptr) {
            ::close(fds[0]);
            ::close(fds[1]);
            return nullptr;
        }
        {
            std::lock_guard lock(streams_mutex);
            ++active_streams;
        }
        std::thread([this, producer = reply.stream, fd = fds[1]] {
            sigset_t pipe_signal;
            sigemptyset(&pipe_signal);
            sigaddset(&pipe_signal, SIGPIPE);
            pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
            const BodySink sink = [fd](std::string_view chunk) {
                while (!chunk.empty()) {
                    const ssize_t written = ::write(fd, chunk.data(), chunk.size());
                    if (written < 0 && errno == EINTR) {
                        continue;
                    }
                    if (written <= 0) {
                        return false;
                    }
                    chunk.remove_prefix(static_cast<size_t>(written));
                }
                return true;
            };
            try {
                producer(sink);
            } catch (const std::exception& e) {
                log_line("internal error in a streamed reply: " + std::string(e.what()));
            }
            ::close(fd); // the end of the body (or of a cut-off one)
            std::lock_guard lock(streams_mutex);
            --active_streams;
            streams_cv.notify_all();
        }).detach();
        return response;
    }

    std::mutex log_mutex; // MHD's threads log while set_log() may still be setting the sink

    void log_line(const std::string& line) {
        std::lock_guard lock(log_mutex);
        if (log) {
            log(now_iso8601_utc() + " " + line);
        }
    }

    // [SECTION] replies and logging

    MHD_Result send(MHD_Connection* mhd, RequestState& state, const HttpReply& reply) {
        if (reply.build_file) {
            return start_build(mhd, state, reply);
        }
        state.replied = true;
        if (reply.stream && state.connection != nullptr) {
            // A download may take long on a slow line: an hour, not the body deadline, to finish.
            state.connection->due_in(3600);
        }
        MHD_Response* response =
            reply.stream
                ? stream_response(reply)
                : MHD_create_response_from_buffer(reply.body.size(), const_cast<char*>(reply.body.data()),
                                                  MHD_RESPMEM_MUST_COPY);
        if (response == nullptr) {
            return MHD_NO;
        }
        return queue(mhd, state, reply, response);
    }

    // Adds the reply's headers to `response`, queues it and logs the request (takes `response`).
    MHD_Result queue(MHD_Connection* mhd, RequestState& state, const HttpReply& reply,
                     MHD_Response* response) {
        state.replied = true;
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply.content_type.c_str());
        for (const auto& [name, value] : reply.headers) {
            MHD_add_response_header(response, name.c_str(), value.c_str());
        }
        if (state.route != nullptr && (state.route->flags & RouteFlags_GzipBody) != 0) {
            // RFC 7694: the codings this route takes in requests; kiosks compress once they see it.
            MHD_add_response_header(response, "Accept-Encoding", "gzip");
        }
        const MHD_Result queued = MHD_queue_response(mhd, static_cast<unsigned>(reply.status), response);
        MHD_destroy_response(response);
        const HttpRequest& rq = state.request;
        log_line(rq.peer + " conn " + std::to_string(state.connection ? state.connection->serial : 0) + " " +
                 rq.method + " " + rq.path + " " + std::to_string(reply.status) +
                 (queued == MHD_YES ? "" : " (not sent: connection closed)"));
        return queued;
    }

    // A refusal while the body is still arriving (chunked past the limit, or past the global budget).
    // libmicrohttpd 0.9.75 queues replies only before the body or after all of it, so the reply is
    // written on the connection's TLS session (MHD hands it out: MHD_CONNECTION_INFO_GNUTLS_SESSION)
    // from the worker thread that owns the connection, while MHD is between reads; it says
    // "Connection: close". The body buffered so far is freed at once; for at most kDrainTime (and
    // kDrainAfterRefusal bytes) more body is read and dropped (so the client reads the reply instead of
    // a reset), then the connection closes. When the reply cannot be written, the connection is simply
    // dropped.
    MHD_Result refuse_mid_body(MHD_Connection* mhd, RequestState& state, const HttpReply& reply) {
        state.replied = true;
        std::string().swap(state.request.body);
        release(state);
        const HttpRequest& rq = state.request;
        const std::string where = rq.peer + " conn " +
                                  std::to_string(state.connection ? state.connection->serial : 0) + " " +
                                  rq.method + " " + rq.path + " " + std::to_string(reply.status) + " ";
        const char* phrase = MHD_get_reason_phrase_for(static_cast<unsigned>(reply.status));
        std::string wire = "HTTP/1.1 " + std::to_string(reply.status) + " " + (phrase ? phrase : "") +
                           "\r\nContent-Type: " + reply.content_type +
                           "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                           "\r\nConnection: close\r\n";
        for (const auto& [name, value] : reply.headers) {
            wire += name + ": " + value + "\r\n";
        }
        wire += "\r\n" + reply.body;
        // Logged before the reply goes out: a client that has read it may look at the log at once.
        log_line(where + server_message(reply) + "; refused mid-body, connection closing");
        if (!write_tls(mhd, wire)) {
            log_line(where + "reply could not be written; connection dropped");
            return MHD_NO;
        }
        state.refused_mid_body = true;
        state.drain_left = kDrainAfterRefusal;
        state.drain_until = std::chrono::steady_clock::now() + kDrainTime;
        return MHD_YES;
    }

    static std::string server_message(const HttpReply& reply) {
        // error_reply bodies are {"error":"..."}; the log wants the words.
        const auto start = reply.body.find("\"error\":\"");
        if (start == std::string::npos) {
            return reply.body;
        }
        const auto end = reply.body.rfind('"');
        return reply.body.substr(start + 9, end > start + 9 ? end - start - 9 : 0);
    }

    // Writes all of `bytes` as TLS records on the connection's session; the socket is non-blocking, so
    // a full send buffer is waited for, at most about a second in all.
    static bool write_tls(MHD_Connection* mhd, const std::string& bytes) {
        const MHD_ConnectionInfo* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_GNUTLS_SESSION);
        const MHD_ConnectionInfo* fd_info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (info == nullptr || info->tls_session == nullptr || fd_info == nullptr) {
            return false;
        }
        auto* session = static_cast<gnutls_session_t>(info->tls_session);
        size_t sent = 0;
        for (int waits = 0; sent < bytes.size() && waits < 20;) {
            const ssize_t n = gnutls_record_send(session, bytes.data() + sent, bytes.size() - sent);
            if (n > 0) {
                sent += static_cast<size_t>(n);
            } else if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
                pollfd p{fd_info->connect_fd, POLLOUT, 0};
                ::poll(&p, 1, 50);
                ++waits;
            } else {
                return false;
            }
        }
        return sent == bytes.size();
    }

    // A body piece arrived: keep it within the route's limit and the global budget.
    MHD_Result on_body_piece(MHD_Connection* mhd, RequestState& state, const char* data, size_t size) {
        const size_t limit = state.route ? state.route->max_body_bytes : 0;
        HttpRequest& rq = state.request;
        if (rq.body.size() + size > limit) {
            // Over the limit mid-body (chunked, or more than Content-Length said): refused now, the
            // rest is not read.
            return refuse_mid_body(mhd, state,
                                   error_reply(413, "body over " + std::to_string(limit) +
                                                        " bytes (sent without a Content-Length)"));
        }
        if (!state.length_known && rq.body.size() + size > rq.body.capacity()) {
            // Chunked: the budget is taken as the body grows, for the memory it really holds (the
            // string's capacity, grown here by doubling from one step up to the route's limit).
            const size_t wanted =
                std::min(limit, std::max({rq.body.size() + size, rq.body.capacity() * 2, kBudgetStep}));
            if (wanted > state.reserved && !reserve(state, wanted - state.reserved)) {
                return refuse_mid_body(mhd, state, busy_reply());
            }
            rq.body.reserve(wanted);
        }
        rq.body.append(data, size);
        return MHD_YES;
    }

    // The whole body is in: inflate it if it came gzipped, then let the route decide.
    HttpReply finish(RequestState& state) {
        HttpRequest& rq = state.request;
        if (state.gzip) {
            auto inflated = protocol::gunzip(rq.body, state.route->max_body_bytes);
            if (!inflated) {
                const bool large = inflated.error().kind == protocol::InflateError::Kind::TooLarge;
                return error_reply(large ? 413 : 400, inflated.error().to_string());
            }
            // The inflated body replaces the compressed one; the budget counted the compressed bytes.
            // Inflating happens on the worker thread, so at most worker_threads bodies are inflated at
            // once (each capped at the route's limit): a bound of its own (DESIGN.md).
            rq.body = std::move(inflated).value();
            rq.headers.erase("content-encoding");
        }
        try {
            return state.route->handle(rq);
        } catch (const std::exception& e) {
            log_line("internal error: " + std::string(e.what()));
        } catch (...) {
            log_line("internal error: unknown exception");
        }
        return error_reply(500, "internal error");
    }

    // [SECTION] the request handler (limits, token before body, dispatch)

    // MHD calls this once when the headers are in (*upload_data_size == 0, *request_cls == nullptr), then
    // once per piece of body as it arrives, then once more with no data when the body is complete.
    MHD_Result on_request(MHD_Connection* mhd, const char* url, const char* method, const char* upload_data,
                          size_t* upload_data_size, void** request_cls) {
        auto* state = static_cast<RequestState*>(*request_cls);
        if (state == nullptr) {
            state = new RequestState;
            *request_cls = state; // freed in on_completed
            return on_headers(mhd, *state, url, method);
        }
        if (state->build) {
            // Resumed by the builder thread (start_build), or asked again before that: send when done.
            return state->build->done ? send_built(mhd, *state) : MHD_YES;
        }
        if (state->refused_mid_body) {
            // The refusal is on its way: drop a little more body, then close (no second reply can
            // follow on this connection; when the body ends here, closing is all there is to do).
            if (*upload_data_size == 0 || *upload_data_size > state->drain_left ||
                std::chrono::steady_clock::now() > state->drain_until) {
                return MHD_NO;
            }
            state->drain_left -= *upload_data_size;
            *upload_data_size = 0;
            return MHD_YES;
        }
        if (state->replied) {
            *upload_data_size = 0; // a reply went out before the body: drop what comes
            return MHD_YES;
        }
        if (state->refuse_on_body) {
            const HttpReply refusal = *state->refuse_on_body;
            if (*upload_data_size > 0) {
                *upload_data_size = 0;
                return refuse_mid_body(mhd, *state, refusal);
            }
            return send(mhd, *state, refusal);
        }
        if (*upload_data_size > 0) {
            const size_t size = *upload_data_size;
            *upload_data_size = 0;
            return on_body_piece(mhd, *state, upload_data, size);
        }
        const HttpReply reply = finish(*state);
        return send(mhd, *state, reply);
    }

    MHD_Result on_headers(MHD_Connection* mhd, RequestState& state, const char* url, const char* method) {
        const MHD_ConnectionInfo* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        state.connection = info ? static_cast<Connection*>(info->socket_context) : nullptr;
        if (state.connection != nullptr) {
            state.connection->due_in(settings.body_timeout_seconds);
        }
        HttpRequest& rq = state.request;
        rq.method = method ? method : "";
        rq.path = url ? url : "";
        rq.peer = peer_address(mhd);
        HeaderCollector headers{&rq};
        MHD_get_connection_values(mhd, MHD_HEADER_KIND, collect_header, &headers);
        MHD_get_connection_values(mhd, MHD_GET_ARGUMENT_KIND, collect_query, &rq);
        if (headers.count > settings.max_header_count) {
            return send(mhd, state,
                        error_reply(431, "too many request headers (" + std::to_string(headers.count) +
                                             "; at most " + std::to_string(settings.max_header_count) + ")"));
        }
        if (headers.bytes + rq.path.size() > settings.max_header_bytes) {
            return send(mhd, state,
                        error_reply(431, "request headers too large (at most " +
                                             std::to_string(settings.max_header_bytes) + " bytes)"));
        }
        state.route = routes.find(rq.method, rq.path);
        if (state.route == nullptr) {
            return send(mhd, state,
                        routes.has_path(rq.path)
                            ? error_reply(405, "method " + rq.method + " not allowed here")
                            : error_reply(404, "no such path: " + rq.path));
        }
        // The token before the body: an unknown caller costs a header, never a body.
        if ((state.route->flags & RouteFlags_DeviceToken) != 0 && device_check) {
            if (auto refused = device_check(rq)) {
                return send(mhd, state, *refused);
            }
        }
        const size_t limit = state.route->max_body_bytes;
        if (const std::string coding = lower(rq.header("content-encoding"));
            !coding.empty() && coding != "identity") {
            if (coding != "gzip" || (state.route->flags & RouteFlags_GzipBody) == 0) {
                HttpReply refused = error_reply(
                    415, "Content-Encoding '" + coding + "' is not taken here" +
                             ((state.route->flags & RouteFlags_GzipBody) != 0 ? " (gzip is)" : ""));
                refused.headers.emplace_back(
                    "Accept-Encoding", (state.route->flags & RouteFlags_GzipBody) != 0 ? "gzip" : "identity");
                return send(mhd, state, refused);
            }
            state.gzip = true;
        }
        const std::string& length_text = rq.header("content-length");
        if (!length_text.empty()) {
            uint64_t length = 0;
            const auto [end, ec] =
                std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
            if (ec != std::errc() || end != length_text.data() + length_text.size()) {
                return send(mhd, state, error_reply(400, "Content-Length is not a number"));
            }
            if (length > limit) {
                // Refused before a byte of body is read; MHD closes the connection after this reply.
                return send(mhd, state,
                            error_reply(413, "body of " + std::to_string(length) + " bytes; at most " +
                                                 std::to_string(limit)));
            }
            // The whole announced body is taken from the global budget now, before a byte of it is
            // read: past the budget the client hears 503 at once and sends nothing.
            if (length > 0 && !reserve(state, static_cast<size_t>(length))) {
                state.refuse_on_body = busy_reply();
                return MHD_YES;
            }
            state.length_known = true;
            rq.body.reserve(static_cast<size_t>(length));
        } else if (limit == 0 && !rq.header("transfer-encoding").empty()) {
            return send(mhd, state, error_reply(413, "this path takes no body"));
        }
        return MHD_YES; // MHD now reads the body (answering "Expect: 100-continue" itself)
    }

    void on_completed(MHD_Connection*, void** request_cls) {
        auto* state = static_cast<RequestState*>(*request_cls);
        if (state != nullptr && state->connection != nullptr) {
            // Keep-alive: the next request's headers are due within the idle timeout.
            state->connection->due_in(settings.idle_timeout_seconds);
        }
        if (state != nullptr) {
            release(*state); // the body goes with the state, just below
        }
        delete state;
        *request_cls = nullptr;
    }

    void on_connection(MHD_Connection* mhd, void** socket_context, MHD_ConnectionNotificationCode code) {
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            auto* connection = new Connection;
            connection->serial = next_serial++;
            const MHD_ConnectionInfo* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD);
            connection->fd = info ? info->connect_fd : -1;
            connection->due_in(settings.header_timeout_seconds);
            if (connection->fd >= 0) {
                // Small replies go out at once instead of waiting for Nagle's timer (8.6 s -> 1.8 s for
                // 10 000 responses in the measurement).
                int yes = 1;
                setsockopt(connection->fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
            }
            std::lock_guard lock(connections_mutex);
            connections.insert(connection);
            *socket_context = connection;
        } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
            auto* connection = static_cast<Connection*>(*socket_context);
            if (connection != nullptr) {
                // Removed under the lock before MHD closes the socket, so the sweeper never shuts down
                // a descriptor number that has been reused.
                std::lock_guard lock(connections_mutex);
                connections.erase(connection);
                delete connection;
            }
            *socket_context = nullptr;
        }
    }

    // [SECTION] deadlines (the sweeper closes connections that trickle)

    // MHD's own timeout counts silence only; a client sending a byte a second would never hit it. The
    // sweeper enforces whole-phase deadlines: it shuts the socket down, and MHD closes the connection
    // on the next event.
    size_t sweep() {
        const auto now = SteadyClock::now().time_since_epoch().count();
        size_t closed = 0;
        std::lock_guard lock(connections_mutex);
        for (Connection* connection : connections) {
            if (!connection->shut && connection->fd >= 0 && connection->deadline.load() < now) {
                ::shutdown(connection->fd, SHUT_RDWR);
                connection->shut = true;
                ++closed;
            }
        }
        return closed;
    }

    // C callbacks for MHD; `cls` is the Impl.
    static MHD_Result request_trampoline(void* cls, MHD_Connection* connection, const char* url,
                                         const char* method, const char*, const char* upload_data,
                                         size_t* upload_data_size, void** request_cls) {
        return static_cast<Impl*>(cls)->on_request(connection, url, method, upload_data, upload_data_size,
                                                   request_cls);
    }

    static void completed_trampoline(void* cls, MHD_Connection* connection, void** request_cls,
                                     MHD_RequestTerminationCode) {
        static_cast<Impl*>(cls)->on_completed(connection, request_cls);
    }

    static void connection_trampoline(void* cls, MHD_Connection* connection, void** socket_context,
                                      MHD_ConnectionNotificationCode code) {
        static_cast<Impl*>(cls)->on_connection(connection, socket_context, code);
    }

    static void mhd_logger(void* cls, const char* format, va_list ap) {
        char text[512];
        std::vsnprintf(text, sizeof(text), format, ap);
        std::string line = text;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.pop_back();
        }
        static_cast<Impl*>(cls)->log_line("http: " + line);
    }
};

namespace {

// A listening socket on host:port without SO_REUSEPORT (a second server must not share the port and
// take a share of the uploads); SO_REUSEADDR still allows a quick restart. Returns the fd or -1.
int listen_on(const std::string& host, int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    sockaddr_in6 address6{};
    const bool v6 = host.find(':') != std::string::npos;
    if (v6) {
        address6.sin6_family = AF_INET6;
        address6.sin6_port = htons(static_cast<uint16_t>(port));
        if (inet_pton(AF_INET6, host.c_str(), &address6.sin6_addr) != 1) {
            return -1;
        }
    } else if (host == "localhost") {
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        return -1;
    }
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return -1;
    }
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    const int bound = v6 ? ::bind(fd, reinterpret_cast<sockaddr*>(&address6), sizeof(address6))
                         : ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    if (bound != 0 || ::listen(fd, 1024) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int bound_port(int fd) {
    sockaddr_storage address{};
    socklen_t size = sizeof(address);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        return -1;
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    }
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

// Connections the open-file limit allows, leaving room for the database, logs and the listener.
unsigned connection_budget(unsigned wanted) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
        return wanted;
    }
    const rlim_t reserve = 64;
    const rlim_t room = limit.rlim_cur > reserve ? limit.rlim_cur - reserve : 1;
    return static_cast<unsigned>(std::min<rlim_t>(wanted, room));
}

} // namespace

// [SECTION] creating, serving, stopping

Result<std::unique_ptr<HttpsServer>, std::string> HttpsServer::create(const HttpsServerSettings& settings,
                                                                      ServerStore& store,
                                                                      const ConsultationCatalog& catalog) {
    const auto cert = read_whole_file(settings.cert_file);
    if (!cert) {
        return fail("cannot read TLS file '" + settings.cert_file + "'");
    }
    const auto key = read_whole_file(settings.key_file);
    if (!key) {
        return fail("cannot read TLS file '" + settings.key_file + "'");
    }
    auto impl = std::make_unique<Impl>();
    Impl* self = impl.get();
    impl->settings = settings;
    const Log module_log = [self](const std::string& line) { self->log_line(line); };
    impl->routes = server_routes(store, catalog, module_log);
    impl->device_check = device_token_check(store, module_log);

    const std::string where =
        settings.host + (settings.port == 0 ? " (any port)" : ":" + std::to_string(settings.port));
    impl->listen_fd = listen_on(settings.host, settings.port);
    if (impl->listen_fd < 0) {
        return fail("cannot listen on " + where + " (in use, no permission, or not an address)");
    }
    impl->port = bound_port(impl->listen_fd);

    const unsigned max_connections = connection_budget(settings.max_connections);
    impl->daemon = MHD_start_daemon(
        // ALLOW_SUSPEND_RESUME: a connection waits suspended while its reply's file is built (start_build).
        MHD_USE_TLS | MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0,
        nullptr, nullptr, &Impl::request_trampoline, self,                        //
        MHD_OPTION_LISTEN_SOCKET, impl->listen_fd,                                //
        MHD_OPTION_HTTPS_MEM_CERT, cert->c_str(),                                 //
        MHD_OPTION_HTTPS_MEM_KEY, key->c_str(),                                   //
        MHD_OPTION_THREAD_POOL_SIZE, std::max(1U, settings.worker_threads),       //
        MHD_OPTION_CONNECTION_LIMIT, max_connections,                             //
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings.max_connections_per_address, //
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(settings.idle_timeout_seconds),
        // Request line + headers must fit this pool (with MHD's read and write buffers): a bound on
        // memory per connection whatever the header count and size checks below say.
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(64 * 1024), //
        MHD_OPTION_NOTIFY_COMPLETED, &Impl::completed_trampoline, self,     //
        MHD_OPTION_NOTIFY_CONNECTION, &Impl::connection_trampoline, self,   //
        MHD_OPTION_EXTERNAL_LOGGER, &Impl::mhd_logger, self,                //
        MHD_OPTION_END);
    if (impl->daemon == nullptr) {
        return fail("cannot use certificate '" + settings.cert_file + "' with key '" + settings.key_file +
                    "' (not PEM, or they do not match), or cannot start serving on " + where);
    }
    return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsServer::~HttpsServer() = default;

int HttpsServer::port() const {
    return impl_->port;
}

bool HttpsServer::serve() {
    // MHD's worker threads accept and serve since create(); this thread enforces the deadlines.
    std::unique_lock lock(impl_->stop_mutex);
    while (!impl_->stopping) {
        impl_->stop_cv.wait_for(lock, std::chrono::milliseconds(250));
        if (!impl_->stopping) {
            lock.unlock();
            if (const size_t closed = impl_->sweep(); closed > 0) {
                impl_->log_line("closed " + std::to_string(closed) + " connection(s) past their deadline");
            }
            lock.lock();
        }
    }
    lock.unlock();
    impl_->wait_for_builds(); // MHD must not stop with a connection suspended; each build resumes its own
    MHD_stop_daemon(impl_->daemon); // waits for handlers in progress; closes the listening socket
    impl_->daemon = nullptr;
    impl_->listen_fd = -1;
    impl_->wait_for_streams(); // their read ends are closed now, so each writer stops at its next chunk
    return true;
}

void HttpsServer::stop() {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stopping = true;
    impl_->stop_cv.notify_all();
}

void HttpsServer::set_log(std::function<void(const std::string&)> log) {
    std::lock_guard lock(impl_->log_mutex);
    impl_->log = std::move(log);
}

// [SECTION] Route modules added by the program (enrolment, consultations): served like the built-in ones.
void HttpsServer::add_routes(const RouteTable& table) {
    for (const Route& route : table.routes()) {
        impl_->routes.add(route);
    }
}

} // namespace buurtstem
