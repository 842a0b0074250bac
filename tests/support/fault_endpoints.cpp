#include "fault_endpoints.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace buurtstem::test {

namespace {

constexpr int kPollMs = 50;

int listen_loopback(int& port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("socket failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        close(fd);
        throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port = ntohs(address.sin_port);
    return fd;
}

// A connection accepted within kPollMs, or -1.
int accept_within_poll(int listener) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, kPollMs) <= 0) {
        return -1;
    }
    return accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
}

int connect_loopback(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool send_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

} // namespace

//-----------------------------------------------------------------------------
// [SECTION] FaultProxy
//-----------------------------------------------------------------------------

FaultProxy::FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = listen_loopback(port_);
    thread_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
    stop_ = true;
    thread_.join();
    std::lock_guard lock(mutex_);
    for (std::thread& t : relays_) {
        t.join();
    }
    close(listener_);
}

void FaultProxy::inject(ProxyFault fault, int connections, std::function<bool()> ready) {
    std::lock_guard lock(mutex_);
    fault_ = fault;
    fault_left_ = connections;
    ready_ = std::move(ready);
}

void FaultProxy::accept_loop() {
    while (!stop_) {
        const int client = accept_within_poll(listener_);
        if (client < 0) {
            continue;
        }
        ++seen_;
        std::lock_guard lock(mutex_);
        ProxyFault fault = ProxyFault::None;
        std::function<bool()> ready;
        if (fault_left_ > 0) {
            fault = fault_;
            ready = ready_;
            --fault_left_;
        }
        relays_.emplace_back([this, client, fault, ready] { relay(client, fault, ready); });
    }
}

void FaultProxy::relay(int client, ProxyFault fault, std::function<bool()> ready) {
    const int server = connect_loopback(upstream_port_);
    if (server < 0) {
        close(client); // upstream down: the client sees the connection closed
        return;
    }
    size_t from_client = 0;
    bool done = false;
    char buffer[16 * 1024];
    while (!stop_ && !done) {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (poll(fds, 2, kPollMs) <= 0) {
            continue;
        }
        const bool request_through =
            from_client >= kRequestThroughBytes && fds[1].revents != 0 && (!ready || ready());
        if (fds[0].revents != 0) {
            const ssize_t n = recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) {
                break;
            }
            size_t forward = static_cast<size_t>(n);
            if (fault == ProxyFault::CutRequest && from_client + forward >= kRequestCutBytes) {
                forward = kRequestCutBytes - from_client;
                done = true;
            }
            from_client += forward;
            if (!send_all(server, buffer, forward)) {
                break;
            }
            if (done) {
                ++faults_done_;
            }
        }
        if (!done && fds[1].revents != 0) {
            if (fault == ProxyFault::Stall && request_through) {
                ++faults_done_;
                // Read nothing more from the server; keep the client waiting until it gives up.
                while (!stop_) {
                    pollfd c{client, POLLIN, 0};
                    if (poll(&c, 1, kPollMs) > 0 && recv(client, buffer, sizeof buffer, 0) <= 0) {
                        break;
                    }
                }
                break;
            }
            const ssize_t n = recv(server, buffer, sizeof buffer, 0);
            if (n <= 0) {
                break;
            }
            size_t forward = static_cast<size_t>(n);
            if (fault == ProxyFault::CutResponse && request_through) {
                forward = forward / 2;
                done = true;
                ++faults_done_;
            }
            if (!send_all(client, buffer, forward)) {
                break;
            }
        }
    }
    close(server);
    close(client);
}

//-----------------------------------------------------------------------------
// [SECTION] CannedTlsEndpoint
//-----------------------------------------------------------------------------

CannedTlsEndpoint::CannedTlsEndpoint(const std::filesystem::path& cert, const std::filesystem::path& key,
                                     std::string reply)
    : reply_(std::move(reply)) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr || SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
        SSL_CTX_free(ctx);
        throw std::runtime_error("cannot load " + cert.string() + " / " + key.string());
    }
    ctx_ = ctx;
    listener_ = listen_loopback(port_);
    thread_ = std::thread([this] { serve(); });
}

CannedTlsEndpoint::~CannedTlsEndpoint() {
    stop_ = true;
    thread_.join();
    close(listener_);
    SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

std::string CannedTlsEndpoint::http_reply(int status, const std::string& content_type,
                                          const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " Canned\r\nContent-Type: " + content_type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void CannedTlsEndpoint::serve() {
    while (!stop_) {
        const int fd = accept_within_poll(listener_);
        if (fd < 0) {
            continue;
        }
        // Bounded: a client that stops talking costs at most 5 s of this thread.
        timeval timeout{5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
            // Read the headers and the body the Content-Length announces, then answer.
            std::string request;
            char buffer[16 * 1024];
            size_t wanted = std::string::npos;
            while (wanted == std::string::npos || request.size() < wanted) {
                const int n = SSL_read(ssl, buffer, sizeof buffer);
                if (n <= 0) {
                    break;
                }
                request.append(buffer, static_cast<size_t>(n));
                const auto end = request.find("\r\n\r\n");
                if (wanted == std::string::npos && end != std::string::npos) {
                    size_t length = 0;
                    for (const char* name : {"Content-Length:", "content-length:"}) {
                        const auto at = request.find(name);
                        if (at != std::string::npos && at < end) {
                            length = std::stoul(request.substr(at + 15));
                        }
                    }
                    wanted = end + 4 + length;
                }
            }
            if (request.find("\r\n\r\n") != std::string::npos) {
                ++received_;
                SSL_write(ssl, reply_.data(), static_cast<int>(reply_.size()));
            }
            SSL_shutdown(ssl);
        }
        ERR_clear_error();
        SSL_free(ssl);
        close(fd);
    }
}

} // namespace buurtstem::test
