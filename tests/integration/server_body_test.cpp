// Upload bodies, over real sockets on loopback: gzip bodies (taken, announced, a bomb refused with a
// bounded memory), content codings the server does not take, and the global body budget (many large
// uploads at once get 503 + Retry-After instead of exhausting memory). sync/server/DESIGN.md has the
// limits; sync/PROTOCOL.md the "Compression" rules.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "buurtstem/protocol/gzip.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

// The peak resident set of process `pid` in KiB (VmHWM), or -1.
long peak_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

struct CurlReply {
    std::string status;  // what curl's --write-out said
    std::string headers; // the reply's headers (curl --dump-header)
    std::string body;
    int exit_code = -1;
};

// POSTs the file `body` to the upload path with the device token and `extra` curl arguments.
CurlReply post_file(const ServerFixture& s, const std::filesystem::path& body, std::vector<std::string> extra,
                    const std::string& name) {
    const std::filesystem::path headers = s.path(name + ".headers");
    const std::filesystem::path out = s.path(name + ".body");
    std::vector<std::string> argv = {"curl",          "--silent",
                                     "--cacert",      s.pki.ca_cert.string(),
                                     "--max-time",    "60",
                                     "--dump-header", headers.string(),
                                     "--output",      out.string(),
                                     "--write-out",   "%{http_code}",
                                     "--header",      "Authorization: Bearer " + s.token,
                                     "--header",      "Content-Type: application/json",
                                     "--header",      "Expect:",
                                     "--data-binary", "@" + body.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(s.url() + std::string(protocol::kUploadPath));
    const CommandResult r = run_command(argv);
    return {r.output, read_file(headers), read_file(out), r.exit_code};
}

std::string lower(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

void write(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

} // namespace

TEST_CASE("a kiosk gzips its batches once the server says it takes gzip, and every response is stored") {
    ServerFixture s;
    const std::filesystem::path kiosk = s.path("kiosk.sqlite");
    const auto responses = demo_responses(450, s.device_id);
    commit_to_kiosk(kiosk, responses);
    std::string json;
    for (size_t i = 0; i < responses.size(); i += protocol::kMaxBatchSize) {
        protocol::UploadBatch batch{s.device_id, {}};
        batch.responses.assign(responses.begin() + static_cast<std::ptrdiff_t>(i),
                               responses.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                       responses.size(), i + protocol::kMaxBatchSize)));
        json += protocol::encode_batch(batch);
    }
    SyncSettings settings = s.sync_settings();
    SyncClient client = make_client(settings, kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report, (report ? "" : report.error().to_string()));
    CHECK(report->accepted == responses.size());
    CHECK(report->batches == (responses.size() + settings.batch_size - 1) / settings.batch_size);
    CHECK(s.server_count() == static_cast<int64_t>(responses.size()));
    CHECK(kiosk_counts(kiosk).pending == 0);
    // The first batch goes as JSON (nothing known yet); the next ones, gzipped, are far smaller.
    MESSAGE("450 responses: " << report->body_bytes << " body bytes sent, " << json.size() << " as JSON");
    CHECK(report->body_bytes < json.size() * 2 / 3);

    // Sent again (as after a lost reply): the server recognises every id, nothing doubles.
    commit_to_kiosk(s.path("again.sqlite"), responses);
    SyncClient again = make_client(settings, s.path("again.sqlite"));
    auto resent = again.sync_all();
    REQUIRE(resent);
    CHECK(resent->accepted == responses.size());
    CHECK(s.server_count() == static_cast<int64_t>(responses.size()));

    // With compression off the client never sends a coding; the server takes that too.
    settings.compress = false;
    commit_to_kiosk(s.path("plain.sqlite"), demo_responses(10, s.device_id));
    SyncClient plain = make_client(settings, s.path("plain.sqlite"));
    auto plain_report = plain.sync_all();
    REQUIRE(plain_report);
    CHECK(plain_report->accepted == 10);
}

TEST_CASE("the upload route says Accept-Encoding: gzip, and refuses codings it does not take with 415") {
    ServerFixture s;
    const std::filesystem::path body = s.path("batch.json");
    write(body, protocol::encode_batch({s.device_id, demo_responses(3, s.device_id)}));
    const CurlReply plain = post_file(s, body, {}, "plain");
    CHECK(plain.status == "200");
    CHECK(lower(plain.headers).find("accept-encoding: gzip") != std::string::npos);

    const CurlReply brotli = post_file(s, body, {"--header", "Content-Encoding: br"}, "br");
    CHECK(brotli.status == "415");
    CHECK(brotli.body.find("Content-Encoding 'br' is not taken here (gzip is)") != std::string::npos);
    CHECK(lower(brotli.headers).find("accept-encoding: gzip") != std::string::npos);

    // Bytes that say gzip but are not: refused as unreadable, with the reason.
    const CurlReply fake = post_file(s, body, {"--header", "Content-Encoding: gzip"}, "fake");
    CHECK(fake.status == "400");
    CHECK(fake.body.find("not valid gzip data") != std::string::npos);

    const std::filesystem::path cut = s.path("cut.gz");
    const std::string whole = protocol::gzip(read_file(body));
    write(cut, whole.substr(0, whole.size() / 2));
    const CurlReply half = post_file(s, cut, {"--header", "Content-Encoding: gzip"}, "cut");
    CHECK(half.status == "400");
    CHECK(half.body.find("cut off") != std::string::npos);
    CHECK(s.server_count() == 3);
}

TEST_CASE("a gzip bomb is refused with 413 and a reason, and the server's memory stays bounded") {
    ServerFixture s;
    const long rss_before = peak_rss_kib(s.server_pid());
    REQUIRE(rss_before > 0);
    // 512 MiB of zeros in about 0.5 MiB of gzip: 64 times the 8 MiB an upload may be.
    const std::filesystem::path bomb = s.path("bomb.gz");
    const CommandResult made =
        run_command({"sh", "-c", "head -c 536870912 /dev/zero | gzip -1 > '" + bomb.string() + "'"});
    REQUIRE(made.exit_code == 0);
    REQUIRE(std::filesystem::file_size(bomb) < protocol::kMaxBodyBytes);
    const CurlReply reply = post_file(s, bomb, {"--header", "Content-Encoding: gzip"}, "bomb");
    const long rss_after = peak_rss_kib(s.server_pid());
    MESSAGE("gzip bomb of " << std::filesystem::file_size(bomb) << " bytes: HTTP " << reply.status
                            << ", server peak RSS " << rss_before / 1024 << " -> " << rss_after / 1024
                            << " MiB");
    CHECK(reply.status == "413");
    CHECK(reply.body.find("gzip body inflates to more than 8388608 bytes") != std::string::npos);
    CHECK(rss_after < 64 * 1024); // MiB: one capped body and the server itself, not 512 MiB
    CHECK(s.server_count() == 0);
}

TEST_CASE("many large uploads at once: past the body budget they get 503 + Retry-After, memory stays "
          "bounded, and every response is stored once when they come back") {
    // A 16 MiB budget for the test (the default is 64): uploads of ~5 MiB, at most three buffered at once.
    ServerFixture s({"--body-budget-mib", "16"});
    const long rss_before = peak_rss_kib(s.server_pid());
    constexpr int kUploads = 10;
    constexpr size_t kPerUpload = 20;
    std::vector<std::filesystem::path> bodies;
    for (int i = 0; i < kUploads; ++i) {
        // A real batch, padded with JSON whitespace to 5 MiB (allowed; the server reads it whole).
        std::string body = protocol::encode_batch({s.device_id, demo_responses(kPerUpload, s.device_id)});
        body.append(5 * 1024 * 1024 - body.size(), ' ');
        bodies.push_back(s.path("upload-" + std::to_string(i) + ".json"));
        write(bodies.back(), body);
    }
    std::vector<int> pending(kUploads);
    for (int i = 0; i < kUploads; ++i) {
        pending[static_cast<size_t>(i)] = i;
    }
    int rounds = 0;
    int busy = 0;
    int busy_chunked = 0;
    while (!pending.empty() && rounds < 12) {
        ++rounds;
        // Every pending upload at once, each slowed to ~2.5 MiB/s so that they overlap (about 2 s each).
        // Odd ones are sent chunked (no Content-Length): they take the budget as their body grows.
        std::string script;
        for (const int i : pending) {
            const std::string name = "r" + std::to_string(rounds) + "-" + std::to_string(i);
            script += "curl --silent --cacert '" + s.pki.ca_cert.string() +
                      "' --max-time 60 --limit-rate 2500k" + " --dump-header '" +
                      s.path(name + ".headers").string() + "' --output '" + s.path(name + ".body").string() +
                      "' --write-out '%{http_code}' --header 'Authorization: Bearer " + s.token +
                      "' --header 'Content-Type: application/json' --header 'Expect:'" +
                      (i % 2 == 1 ? " --header 'Transfer-Encoding: chunked'" : "") + " --data-binary '@" +
                      bodies[static_cast<size_t>(i)].string() + "' " + s.url() +
                      std::string(protocol::kUploadPath) + " > '" + s.path(name + ".status").string() +
                      "' &\n";
        }
        script += "wait\n";
        REQUIRE(run_command({"sh", "-c", script}).exit_code == 0);
        std::vector<int> again;
        for (const int i : pending) {
            const std::string name = "r" + std::to_string(rounds) + "-" + std::to_string(i);
            const std::string status = read_file(s.path(name + ".status"));
            const std::string headers = lower(read_file(s.path(name + ".headers")));
            INFO("round " << rounds << ", upload " << i << ": HTTP " << status << "; "
                          << read_file(s.path(name + ".body")));
            if (status == "200") {
                continue;
            }
            REQUIRE(status == "503");
            CHECK(headers.find("retry-after: 5") != std::string::npos);
            CHECK(read_file(s.path(name + ".body")).find("server busy") != std::string::npos);
            ++busy;
            busy_chunked += i % 2;
            again.push_back(i);
        }
        pending = again;
    }
    const long rss_after = peak_rss_kib(s.server_pid());
    MESSAGE(kUploads << " uploads of 5 MiB at once, 16 MiB budget: " << rounds << " rounds, " << busy
                     << " answered 503 (" << busy_chunked << " of them chunked, mid-body); server peak RSS "
                     << rss_before / 1024 << " -> " << rss_after / 1024 << " MiB");
    CHECK(pending.empty());
    CHECK(busy > 0); // the budget did bite
    CHECK(s.server_count() == static_cast<int64_t>(kUploads * kPerUpload));
    // 16 MiB of bodies, one body being decoded per worker, and the server itself; 50 MiB of bodies at
    // once without the budget.
    CHECK(rss_after < 48 * 1024);
}
