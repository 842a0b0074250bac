// The real sync client (libcurl) against the real buurtstem-server process over loopback HTTPS.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <memory>
#include <mutex>

#include "buurtstem/sync/sync_worker.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

namespace {

constexpr int64_t kMany = 120; // more than two batches of 50

} // namespace

TEST_CASE_FIXTURE(ServerFixture, "sync_all sends every pending response in batches, once" *
                                     doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(kMany, device_id));
    CHECK(kiosk_counts(kiosk).pending == kMany);

    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->batches == 3);
    CHECK(report->accepted == static_cast<size_t>(kMany));
    CHECK(report->rejected == 0);

    CHECK(server_count() == kMany);
    const SyncCounts counts = kiosk_counts(kiosk);
    CHECK(counts.pending == 0);
    CHECK(counts.synced == kMany);
    CHECK(counts.rejected == 0);
    CHECK(server_log().find("upload from " + device_id + ": 50 accepted, 0 rejected") != std::string::npos);
    CHECK(server_log().find("upload from " + device_id + ": 20 accepted, 0 rejected") != std::string::npos);

    SUBCASE("a second pass has nothing to send") {
        auto again = client.sync_all();
        REQUIRE_MESSAGE(again.ok(), again.error().message);
        CHECK(again->batches == 0);
        CHECK(again->accepted == 0);
        CHECK(server_count() == kMany);
        CHECK(kiosk_counts(kiosk).synced == kMany);
    }
    SUBCASE("responses finished later go in the next pass, alone") {
        commit_to_kiosk(kiosk, demo_responses(7, device_id));
        auto later = client.sync_all();
        REQUIRE_MESSAGE(later.ok(), later.error().message);
        CHECK(later->batches == 1);
        CHECK(later->accepted == 7);
        CHECK(server_count() == kMany + 7);
        CHECK(kiosk_counts(kiosk).synced == kMany + 7);
    }
}

TEST_CASE_FIXTURE(ServerFixture, "a resend after a lost acknowledgement stores nothing twice" *
                                     doctest::test_suite("server-store")) {
    // Two kiosk files with the same responses: the second plays the kiosk whose first upload reached the
    // server but whose acknowledgement never came back, so nothing was marked and it sends everything again.
    const auto responses = demo_responses(kMany, device_id);
    const auto first = path("kiosk.db");
    const auto lost_ack = path("kiosk-lost-ack.db");
    commit_to_kiosk(first, responses);
    commit_to_kiosk(lost_ack, responses);

    {
        SyncClient client = make_client(sync_settings(), first);
        auto report = client.sync_all();
        REQUIRE_MESSAGE(report.ok(), report.error().message);
        CHECK(report->accepted == static_cast<size_t>(kMany));
    }
    REQUIRE(server_count() == kMany);
    REQUIRE(kiosk_counts(lost_ack).pending == kMany);

    SyncClient resend = make_client(sync_settings(), lost_ack);
    auto report = resend.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->batches == 3);
    CHECK(report->accepted == static_cast<size_t>(kMany)); // acknowledged again: they are stored
    CHECK(report->rejected == 0);
    CHECK(server_count() == kMany);
    const SyncCounts counts = kiosk_counts(lost_ack);
    CHECK(counts.pending == 0);
    CHECK(counts.synced == kMany);
    CHECK(counts.rejected == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "a reused response id with other answers is refused, the stored one kept" *
                                     doctest::test_suite("server-store")) {
    auto responses = demo_responses(3, device_id);
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, responses);
    {
        SyncClient client = make_client(sync_settings(), kiosk);
        REQUIRE(client.sync_all().ok());
    }

    // Another kiosk file holding the same id with a different answer (a broken kiosk, or a copied file
    // edited by hand): the server must not overwrite what a resident said.
    responses[1].answers[0].value = responses[1].answers[0].value == "nee" ? "ja-goed" : "nee";
    const auto other = path("kiosk-conflict.db");
    commit_to_kiosk(other, {responses[1]});
    SyncClient client = make_client(sync_settings(), other);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == 0);
    CHECK(report->rejected == 1);
    CHECK(kiosk_counts(other).rejected == 1);
    CHECK(server_count() == 3);
}

TEST_CASE_FIXTURE(ServerFixture, "a wrong token is an Auth error naming the device, and nothing moves" *
                                     doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(10, device_id));

    SyncSettings settings = sync_settings();
    SUBCASE("unknown token") {
        settings.token = std::string(64, 'a');
    }
    SUBCASE("the token of another registered device") {
        const CommandResult added = run_command(
            {server_binary().string(), "add-device", "--db", server_db.string(), "--device", "kiosk-other"});
        REQUIRE(added.exit_code == 0);
        settings.token = added.output.substr(0, added.output.find('\n'));
    }
    SyncClient client = make_client(settings, kiosk);
    auto report = client.sync_all();
    REQUIRE_FALSE(report.ok());
    CHECK(report.error().kind == SyncError::Kind::Auth);
    CHECK(report.error().message.find("'" + device_id + "'") != std::string::npos);
    CHECK(server_count() == 0);
    const SyncCounts counts = kiosk_counts(kiosk);
    CHECK(counts.pending == 10);
    CHECK(counts.synced == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "the client refuses a server its CA file does not vouch for") {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(5, device_id));

    SyncSettings settings = sync_settings();
    SUBCASE("a different CA") {
        std::filesystem::create_directory(path("other-pki"));
        settings.ca_file = make_test_pki(path("other-pki")).ca_cert.string();
    }
    SUBCASE("the system CA store") {
        settings.ca_file.clear();
    }
    SUBCASE("a CA file that does not exist") {
        settings.ca_file = path("no-such-ca.pem").string();
    }
    SyncClient client = make_client(settings, kiosk);
    auto report = client.sync_all();
    REQUIRE_FALSE(report.ok());
    INFO("error: " << report.error().message);
    CHECK(report.error().kind == SyncError::Kind::Tls);
    CHECK(report.error().message.find(url()) != std::string::npos);
    CHECK(server_count() == 0);
    CHECK(kiosk_counts(kiosk).pending == 5);
}

TEST_CASE_FIXTURE(ServerFixture, "no server listening is a Network error and the responses wait") {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(5, device_id));
    const SyncSettings settings = sync_settings(); // the port of the server we now stop
    REQUIRE(stop_server() == 0);

    SyncClient client = make_client(settings, kiosk);
    auto report = client.sync_all();
    REQUIRE_FALSE(report.ok());
    INFO("error: " << report.error().message);
    CHECK(report.error().kind == SyncError::Kind::Network);
    CHECK(report.error().message.find(settings.server_url) != std::string::npos);
    CHECK(kiosk_counts(kiosk).pending == 5);
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "a response that does not fit the consultation is rejected alone" *
                                     doctest::test_suite("server-store")) {
    auto responses = demo_responses(10, device_id);
    const std::string bad_id = responses[4].id;
    REQUIRE(responses[4].answers[0].question_id == "kent-regelingen");
    responses[4].answers[0].value = "misschien"; // not an option of that question

    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, responses);
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->batches == 1);
    CHECK(report->accepted == 9);
    CHECK(report->rejected == 1);

    SyncCounts counts = kiosk_counts(kiosk);
    CHECK(counts.pending == 0);
    CHECK(counts.synced == 9);
    CHECK(counts.rejected == 1);
    CHECK(server_count() == 9);

    auto again = client.sync_all();
    REQUIRE_MESSAGE(again.ok(), again.error().message);
    CHECK(again->batches == 0); // the rejected one is not sent again
    counts = kiosk_counts(kiosk);
    CHECK(counts.synced == 9);
    CHECK(counts.rejected == 1);
    CHECK(server_count() == 9);
}

TEST_CASE_FIXTURE(ServerFixture, "the sync worker syncs when woken and reports through on_change") {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, {}); // the kiosk creates its file before the worker opens it

    std::mutex mutex;
    std::condition_variable changed;
    int notifications = 0;
    auto on_change = [&] {
        {
            std::lock_guard lock(mutex);
            ++notifications;
        }
        changed.notify_all();
    };
    // An hour between passes: only the first pass and wake() can make the worker sync within this test.
    SyncWorker worker(make_client(sync_settings(), kiosk), std::chrono::hours(1), on_change);
    const auto settled = [&](int64_t synced) {
        return [&worker, synced] {
            const SyncStatus status = worker.status();
            return !status.running && status.last_success.has_value() && status.counts.synced == synced;
        };
    };
    std::unique_lock lock(mutex);
    // The first pass runs at once and finds nothing.
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(30), settled(0)));
    const int after_first_pass = notifications;
    CHECK(after_first_pass >= 2); // "started" and "finished"
    lock.unlock();

    commit_to_kiosk(kiosk, demo_responses(kMany, device_id));
    worker.wake();
    lock.lock();
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(60), settled(kMany)));
    CHECK(notifications >= after_first_pass + 2);
    lock.unlock();

    const SyncStatus status = worker.status();
    CHECK_FALSE(status.last_error.has_value());
    CHECK(status.counts.synced == kMany);
    CHECK(status.counts.pending == 0);
    CHECK(server_count() == kMany);
}

TEST_CASE_FIXTURE(ServerFixture, "the sync worker reports a refused token as last_error") {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(3, device_id));
    SyncSettings settings = sync_settings();
    settings.token = "not-the-token";

    std::mutex mutex;
    std::condition_variable changed;
    auto on_change = [&] {
        std::lock_guard lock(mutex);
        changed.notify_all();
    };
    SyncWorker worker(make_client(settings, kiosk), std::chrono::hours(1), on_change);
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(30), [&] {
        const SyncStatus status = worker.status();
        return !status.running && status.last_error.has_value();
    }));
    lock.unlock();
    const SyncStatus status = worker.status();
    CHECK(status.last_error->kind == SyncError::Kind::Auth);
    CHECK_FALSE(status.last_success.has_value());
    CHECK(status.counts.pending == 3);
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "responses and devices survive a server restart" * doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(kMany, device_id));
    {
        SyncClient client = make_client(sync_settings(), kiosk);
        REQUIRE(client.sync_all().ok());
    }
    REQUIRE(server_count() == kMany);

    REQUIRE(stop_server() == 0); // SIGTERM is a clean stop
    CHECK(server_log().find("buurtstem-server: stopped") != std::string::npos);
    CHECK(server_count() == kMany);
    start_server();
    CHECK(server_count() == kMany);

    // The device token registered before the restart still works against the new process.
    commit_to_kiosk(kiosk, demo_responses(5, device_id));
    SyncClient client = make_client(sync_settings(), kiosk);
    auto report = client.sync_all();
    REQUIRE_MESSAGE(report.ok(), report.error().message);
    CHECK(report->accepted == 5);
    CHECK(server_count() == kMany + 5);
    CHECK(kiosk_counts(kiosk).synced == kMany + 5);
}

TEST_CASE_FIXTURE(ServerFixture,
                  "a cancelled pass stops early, and the next pass delivers the rest exactly once" *
                      doctest::test_suite("server-store")) {
    const auto kiosk = path("kiosk.db");
    commit_to_kiosk(kiosk, demo_responses(120, device_id));
    SyncSettings settings = sync_settings();
    settings.batch_size = 50;
    {
        SyncClient client = make_client(settings, kiosk);
        // Ask to stop once the server holds the first batch (as the worker does when the kiosk closes).
        // The stop may land before the reply is read: then the server has responses the kiosk has not
        // marked, which is the lost-acknowledgement case and must heal on the next pass.
        // The check runs inside libcurl's progress callback, where no exception may pass.
        client.set_cancel_check([&] {
            try {
                return server_count() >= 50;
            } catch (...) {
                return false;
            }
        });
        auto report = client.sync_all();
        REQUIRE_FALSE(report.ok());
        CHECK(report.error().kind == SyncError::Kind::Cancelled);
        const SyncCounts counts = kiosk_counts(kiosk);
        CHECK(counts.synced <= server_count());
        CHECK(counts.pending >= 70);
    }
    SyncClient client = make_client(settings, kiosk);
    REQUIRE(client.sync_all().ok());
    CHECK(server_count() == 120);
    CHECK(kiosk_counts(kiosk).synced == 120);
}

TEST_CASE("closing the kiosk does not wait for a server that accepts connections but never answers") {
    TempDir dir;
    // A listening socket nobody serves: the kernel completes the TCP handshake, TLS then waits forever.
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(listener, 4) == 0);
    REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size) == 0);

    const auto kiosk = dir / "kiosk.db";
    commit_to_kiosk(kiosk, demo_responses(3, "kiosk-stil"));
    SyncSettings settings;
    settings.server_url = "https://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    settings.device_id = "kiosk-stil";
    settings.token = "x";
    settings.connect_timeout_seconds = 60; // without cancelling, closing would take a minute
    settings.timeout_seconds = 120;

    std::mutex mutex;
    std::condition_variable changed;
    bool running = false;
    auto worker = std::make_unique<SyncWorker>(make_client(settings, kiosk), std::chrono::hours(1), [&] {
        std::lock_guard lock(mutex);
        running = true;
        changed.notify_all();
    });
    {
        std::unique_lock lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return running; }));
    }
    REQUIRE(worker->status().running);
    const auto start = std::chrono::steady_clock::now();
    worker.reset(); // what the kiosk does when it closes
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took < std::chrono::seconds(10)); // a bound on hanging, not a speed target
    CHECK(kiosk_counts(kiosk).pending == 3);
    close(listener);
}
