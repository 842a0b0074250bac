// The sync worker's back-off: it grows by doubling from the base, never passes the cap, and each delay
// is drawn from the upper half of its ceiling, so kiosks that lost the network together spread out.
#include <doctest/doctest.h>

#include <set>

#include "buurtstem/sync/sync_worker.hpp"

using namespace buurtstem;
using namespace std::chrono_literals;

TEST_CASE("backoff doubles from the base and stops at the cap") {
    const Backoff backoff{2000ms, std::chrono::minutes(5)};
    CHECK(backoff.ceiling(1) == 2000ms);
    CHECK(backoff.ceiling(2) == 4000ms);
    CHECK(backoff.ceiling(3) == 8000ms);
    CHECK(backoff.ceiling(8) == 256000ms);
    CHECK(backoff.ceiling(9) == std::chrono::minutes(5));
    CHECK(backoff.ceiling(1000) == std::chrono::minutes(5)); // no overflow after a week offline
}

TEST_CASE("backoff delays are jittered within the upper half of the ceiling") {
    const Backoff backoff{};
    std::mt19937_64 random(42);
    for (int failures = 1; failures < 12; ++failures) {
        CAPTURE(failures);
        std::set<int64_t> seen;
        for (int i = 0; i < 50; ++i) {
            const auto delay = backoff.delay(failures, random);
            CHECK(delay >= backoff.ceiling(failures) / 2);
            CHECK(delay <= backoff.ceiling(failures));
            seen.insert(delay.count());
        }
        CHECK(seen.size() > 10); // not one fixed value
    }
}
