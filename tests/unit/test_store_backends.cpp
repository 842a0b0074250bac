// What every ServerStore promises under concurrency, run against SQLite and (as unit.pg.*) PostgreSQL.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/server/server_store.hpp"
#include "pg_cluster.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

std::unique_ptr<ServerStore> open_store(const std::string& address) {
    auto store = open_server_store(address);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

CompletedResponse response_of(const std::string& device, int i) {
    return {new_uuid_v4(),
            "minimaregelingen-ijmond",
            1,
            device,
            "nl",
            "2026-11-24T13:05:09Z",
            "2026-11-24T13:08:40Z",
            {{"kent-regelingen", "nee"}, {"ideeen", "idee " + std::to_string(i)}}};
}

} // namespace

TEST_CASE("uploads racing on the same ids from many threads store each response exactly once" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(test::test_store_address(dir / "server.db"));
    REQUIRE(store->add_device("kiosk-a").ok());
    // 8 threads; thread t sends responses [40t, 40t + 80) in batches of 20, twice: every response but
    // the first 40 is sent by two threads at about the same moment, and again by each.
    constexpr int kThreads = 8;
    std::vector<CompletedResponse> all;
    for (int i = 0; i < 40 * (kThreads + 1); ++i) {
        all.push_back(response_of("kiosk-a", i));
    }
    std::mutex mutex;
    std::map<std::string, int> stored_count; // id -> times the store said Stored
    std::vector<std::string> errors;
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            ++ready;
            while (ready < kThreads) {
                std::this_thread::yield(); // start together, to make the races happen
            }
            for (int round = 0; round < 2; ++round) {
                for (int b = 0; b < 4; ++b) {
                    const auto first = all.begin() + 40 * t + 20 * b;
                    const std::vector<CompletedResponse> batch(first, first + 20);
                    auto outcomes = store->store_responses(batch, now_iso8601_utc());
                    std::lock_guard lock(mutex);
                    if (!outcomes) {
                        errors.push_back(outcomes.error().to_string());
                        continue;
                    }
                    for (size_t i = 0; i < batch.size(); ++i) {
                        if ((*outcomes)[i] == StoreOutcome::Stored) {
                            ++stored_count[batch[i].id];
                        } else if ((*outcomes)[i] == StoreOutcome::Conflict) {
                            errors.push_back("conflict on a resend of the same content: " + batch[i].id);
                        }
                    }
                }
            }
        });
    }
    for (std::thread& t : threads) {
        t.join();
    }
    CHECK(errors == std::vector<std::string>{});
    CHECK(stored_count.size() == all.size());
    for (const auto& [id, times] : stored_count) {
        CAPTURE(id);
        CHECK(times == 1);
    }
    auto n = store->count_responses("minimaregelingen-ijmond");
    REQUIRE(n.ok());
    CHECK(*n == static_cast<int64_t>(all.size()));
    std::set<std::string> ids;
    size_t answers = 0;
    REQUIRE(store
                ->for_each_response("minimaregelingen-ijmond",
                                    [&](const StoredResponse& r) {
                                        ids.insert(r.response.id);
                                        answers += r.response.answers.size();
                                    })
                .ok());
    CHECK(ids.size() == all.size());
    CHECK(answers == 2 * all.size()); // no answer lost or doubled either
}

TEST_CASE("result texts: set, replaced, removed per language, each change a higher revision" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(test::test_store_address(dir / "server.db"));
    auto none = store->result_for("minimaregelingen-ijmond");
    REQUIRE_MESSAGE(none.ok(), (none.ok() ? "" : none.error().to_string()));
    CHECK_FALSE(none->has_value());

    REQUIRE(store
                ->set_result_text("minimaregelingen-ijmond",
                                  {"nl", "U zei: meer uitleg.", {{"Reacties", "1 234"}}, ""})
                .ok());
    REQUIRE(
        store->set_result_text("minimaregelingen-ijmond", {"en", "You said: explain more.", {}, ""}).ok());
    REQUIRE(
        store->set_result_text("minimaregelingen-ijmond", {"nl", "Wij deden: een spreekuur.", {}, ""}).ok());
    REQUIRE(store->set_result_text("speeltuin-zuid", {"nl", "Er komt een schommel.", {}, ""}).ok());
    auto result = store->result_for("minimaregelingen-ijmond");
    REQUIRE(result.ok());
    REQUIRE(result->has_value());
    const ConsultationResult& r = **result;
    CHECK(r.revision == 3);
    REQUIRE(r.texts.size() == 2);
    CHECK(r.texts[0].language == "en");
    CHECK(r.texts[1].language == "nl");
    CHECK(r.texts[1].text == "Wij deden: een spreekuur.");
    CHECK(r.texts[1].figures.empty());

    REQUIRE(store->set_result_text("minimaregelingen-ijmond", {"en", "", {}, ""}).ok()); // removes English
    result = store->result_for("minimaregelingen-ijmond");
    REQUIRE(result.ok());
    CHECK((*result)->revision == 4);
    REQUIRE((*result)->texts.size() == 1);
    CHECK((*result)->texts[0].language == "nl");

    auto all = store->all_results();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK((*all)[0].consultation_id == "minimaregelingen-ijmond");
    CHECK((*all)[1].consultation_id == "speeltuin-zuid");
    CHECK_FALSE(store->set_result_text("Geen Slug", {"nl", "x", {}, ""}).ok());
}

TEST_CASE("the question ids answered in a consultation, sorted, for an export's header" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(test::test_store_address(dir / "server.db"));
    REQUIRE(store->add_device("kiosk-a").ok());
    CompletedResponse r = response_of("kiosk-a", 1);
    r.answers = {{"zwembad", "ja"}, {"Bibliotheek", "open"}, {"kent-regelingen", "nee"}};
    CompletedResponse other = response_of("kiosk-a", 2);
    other.consultation_id = "speeltuin-zuid";
    other.answers = {{"schommel", "ja"}};
    REQUIRE(store->store_responses({r, other, response_of("kiosk-a", 3)}, now_iso8601_utc()).ok());
    auto ids = store->answered_question_ids("minimaregelingen-ijmond");
    REQUIRE(ids.ok());
    // Byte order, as SQLite sorts: upper case before lower.
    CHECK(*ids == std::vector<std::string>{"Bibliotheek", "ideeen", "kent-regelingen", "zwembad"});
}
