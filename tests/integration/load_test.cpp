// Load: 200 kiosks upload 500 responses each at the same moment, over real HTTPS, to the real server;
// every response must end up stored exactly once. Runs against SQLite and PostgreSQL ("server-store").
#include <doctest/doctest.h>

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/server_store.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

constexpr size_t kKiosks = 200;
constexpr size_t kPerKiosk = 500;
constexpr size_t kBatch = 125; // 4 batches a kiosk, plus one resent

size_t keep(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

struct Kiosk {
    std::string device_id;
    std::string token;
    std::vector<std::string> bodies;                 // its batches, in order
    std::vector<std::vector<std::string>> batch_ids; // the ids in each
    std::vector<std::string> failures;
};

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "200 kiosks uploading 500 responses each at once: every response stored exactly once" *
                      doctest::test_suite("server-store")) {
    // All 200 come from 127.0.0.1; the default of 64 connections per address would refuse most.
    stop_server();
    extra_serve_args = {"--max-per-address", "400"};
    std::vector<Kiosk> kiosks(kKiosks);
    {
        auto store = open_server_store(server_db.string());
        REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
        for (size_t k = 0; k < kKiosks; ++k) {
            Kiosk& kiosk = kiosks[k];
            kiosk.device_id = "kiosk-" + std::to_string(k);
            auto issued = (*store)->add_device(kiosk.device_id);
            REQUIRE(issued.ok());
            kiosk.token = *issued;
            const auto responses = demo_responses(kPerKiosk, kiosk.device_id);
            for (size_t i = 0; i < responses.size(); i += kBatch) {
                protocol::UploadBatch batch{kiosk.device_id, {}};
                batch.responses.assign(responses.begin() + static_cast<std::ptrdiff_t>(i),
                                       responses.begin() + static_cast<std::ptrdiff_t>(i + kBatch));
                kiosk.bodies.push_back(protocol::encode_batch(batch));
                kiosk.batch_ids.emplace_back();
                for (const CompletedResponse& r : batch.responses) {
                    kiosk.batch_ids.back().push_back(r.id);
                }
            }
        }
    }
    start_server();

    const std::string upload_url = url() + std::string(protocol::kUploadPath);
    const std::string ca = pki.ca_cert.string();
    std::atomic<size_t> waiting{kKiosks};
    const auto run_kiosk = [&](Kiosk& kiosk) {
        CURL* curl = curl_easy_init();
        curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
        headers = curl_slist_append(headers, ("Authorization: Bearer " + kiosk.token).c_str());
        curl_easy_setopt(curl, CURLOPT_URL, upload_url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 100L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
        // All start together: the server sees 200 connections and their uploads at the same moment.
        --waiting;
        while (waiting > 0) {
            std::this_thread::yield();
        }
        // Every batch, then the first again, as a kiosk does whose acknowledgement was lost.
        std::vector<size_t> order;
        for (size_t b = 0; b < kiosk.bodies.size(); ++b) {
            order.push_back(b);
        }
        order.push_back(0);
        for (const size_t b : order) {
            std::string reply;
            curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, kiosk.bodies[b].data());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(kiosk.bodies[b].size()));
            const CURLcode rc = curl_easy_perform(curl);
            long status = 0;
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            if (rc != CURLE_OK || status != 200) {
                kiosk.failures.push_back(kiosk.device_id + " batch " + std::to_string(b) + ": " +
                                         curl_easy_strerror(rc) + " HTTP " + std::to_string(status) + " " +
                                         reply);
                continue;
            }
            auto decoded = protocol::decode_reply(reply);
            if (!decoded || decoded->accepted != kiosk.batch_ids[b]) {
                kiosk.failures.push_back(kiosk.device_id + " batch " + std::to_string(b) +
                                         ": not every id acknowledged: " + reply.substr(0, 300));
            }
        }
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
    };
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (Kiosk& kiosk : kiosks) {
        threads.emplace_back(run_kiosk, std::ref(kiosk));
    }
    for (std::thread& t : threads) {
        t.join();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const size_t total = kKiosks * kPerKiosk;
    const std::string into = is_postgresql_address(server_db.string()) ? "PostgreSQL" : "SQLite";
    MESSAGE(total << " responses from " << kKiosks << " kiosks in " << seconds << " s ("
                  << static_cast<double>(total) / seconds << " responses/s) into " << into);
    size_t failures = 0;
    for (const Kiosk& kiosk : kiosks) {
        for (const std::string& f : kiosk.failures) {
            if (++failures <= 5) {
                MESSAGE(f);
            }
        }
    }
    if (failures > 0) {
        const std::string log = server_log();
        for (size_t at = log.find("not stored"); at != std::string::npos;
             at = log.find("not stored", at + 1)) {
            MESSAGE(log.substr(log.rfind('\n', at) + 1, log.find('\n', at) - log.rfind('\n', at)));
        }
    }
    CHECK(failures == 0);

    // What the store holds: each sent id once, nothing else.
    CHECK(server_count() == static_cast<int64_t>(kKiosks * kPerKiosk));
    auto store = open_server_store(server_db.string());
    REQUIRE(store.ok());
    std::set<std::string> sent;
    for (const Kiosk& kiosk : kiosks) {
        for (const auto& ids : kiosk.batch_ids) {
            sent.insert(ids.begin(), ids.end());
        }
    }
    std::set<std::string> held;
    size_t rows = 0;
    REQUIRE((*store)
                ->for_each_response(kDemoConsultation,
                                    [&](const StoredResponse& r) {
                                        held.insert(r.response.id);
                                        ++rows;
                                    })
                .ok());
    CHECK(rows == kKiosks * kPerKiosk);
    CHECK(held == sent);
}
