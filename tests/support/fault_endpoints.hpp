// Faults the real server cannot produce on demand, made with real sockets on 127.0.0.1:
//
//  - FaultProxy: a TCP relay in front of the real server. TLS passes through it untouched (the client
//    still verifies the real server), and it cuts or stalls a connection at a chosen point.
//  - CannedTlsEndpoint: a real TLS server (OpenSSL) that reads one HTTP request per connection and
//    answers with a fixed reply: a 500 or 503, a captive portal's 200 HTML page, or anything a test
//    needs, with whatever certificate the test gives it (an untrusted CA, another host name).
//
// Both run one thread, bounded in time: every wait polls at most 50 ms before looking at the stop flag,
// and the destructor stops and joins, so a failing test leaves no thread or socket behind.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace buurtstem::test {

enum class ProxyFault {
    None,        // relay both ways
    CutRequest,  // close both sides once the client has sent kRequestCutBytes (mid-body)
    CutResponse, // once the request is through, forward half of the server's first reply chunk, then close
    Stall, // once the request is through, forward nothing more from the server (the client must time out)
};

class FaultProxy {
public:
    static constexpr size_t kRequestCutBytes = 8 * 1024;      // past any TLS handshake, inside the body
    static constexpr size_t kRequestThroughBytes = 16 * 1024; // a batch of 50 is ~33 KiB

    // Listens on 127.0.0.1 (any free port) and relays to 127.0.0.1:upstream_port.
    explicit FaultProxy(int upstream_port);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return port_; }
    // The next `connections` connections get `fault`; after them, plain relaying. CutResponse and Stall
    // act on the first server data after the request went through and `ready` (called on the proxy's
    // thread) says yes, e.g. "the server has stored the batch": TLS 1.3 session tickets also flow
    // from the server after the request, and cutting one of those would be a cut mid-request.
    void inject(ProxyFault fault, int connections, std::function<bool()> ready = {});
    int connections_seen() const { return seen_; }
    int faults_done() const { return faults_done_; }

private:
    void accept_loop();
    void relay(int client, ProxyFault fault, std::function<bool()> ready);

    int upstream_port_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> seen_{0};
    std::atomic<int> faults_done_{0};
    std::mutex mutex_; // guards fault_, fault_left_, relays_
    ProxyFault fault_ = ProxyFault::None;
    int fault_left_ = 0;
    std::function<bool()> ready_;
    std::vector<std::thread> relays_;
    std::thread thread_;
};

class CannedTlsEndpoint {
public:
    // Serves `reply` (a whole HTTP response, status line to body) to every request, over TLS with the
    // given PEM certificate and key.
    CannedTlsEndpoint(const std::filesystem::path& cert, const std::filesystem::path& key, std::string reply);
    ~CannedTlsEndpoint();
    CannedTlsEndpoint(const CannedTlsEndpoint&) = delete;
    CannedTlsEndpoint& operator=(const CannedTlsEndpoint&) = delete;

    int port() const { return port_; }
    // Requests whose headers arrived in full (a client that refused the certificate sends none).
    int requests_received() const { return received_; }

    // An HTTP/1.1 reply with Content-Length and Connection: close.
    static std::string http_reply(int status, const std::string& content_type, const std::string& body);

private:
    void serve();

    std::string reply_;
    void* ctx_ = nullptr; // SSL_CTX*, kept opaque so tests need no OpenSSL headers
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> received_{0};
    std::thread thread_;
};

} // namespace buurtstem::test
