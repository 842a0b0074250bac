// The volunteer PIN: stored only as a crypto_pwhash string, checked, and locked for a growing time after
// repeated wrong PINs, also across a restart (a fresh PinLock on the same file). Time is passed in, so
// a fifteen-minute lockout is stepped through without waiting.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

#include "buurtstem/volunteer/pin_lock.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'790'000'000)};

PinLock open_lock(const std::filesystem::path& file) {
    auto lock = PinLock::open(file);
    REQUIRE_MESSAGE(lock.ok(), (lock ? "" : lock.error()));
    return std::move(lock).value();
}

} // namespace

TEST_CASE("the PIN file holds a crypto_pwhash string, never the PIN, and only the PIN opens it") {
    TempDir dir;
    const auto file = dir / "volunteer.pin";
    CHECK_FALSE(open_lock(file).has_pin()); // no file: no PIN set, the console stays closed
    REQUIRE(PinLock::set_pin(file, "482915").ok());
    const std::string text = read_file(file);
    CHECK(text.find("482915") == std::string::npos);
    CHECK(text.find("hash = $argon2id$") != std::string::npos);
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);

    PinLock lock = open_lock(file);
    REQUIRE(lock.has_pin());
    auto wrong = lock.check("482916", t0);
    REQUIRE(wrong.ok());
    CHECK(wrong->verdict == PinVerdict::Wrong);
    CHECK(wrong->attempts_left == 2);
    auto right = lock.check("482915", t0);
    REQUIRE(right.ok());
    CHECK(right->verdict == PinVerdict::Accepted);
    CHECK(lock.failures() == 0); // a right PIN starts the count again

    // Setting a new PIN replaces the old one.
    REQUIRE(PinLock::set_pin(file, "1234").ok());
    PinLock again = open_lock(file);
    CHECK(again.check("482915", t0)->verdict == PinVerdict::Wrong);
    CHECK(again.check("1234", t0)->verdict == PinVerdict::Accepted);
}

TEST_CASE("a PIN is 4 to 8 digits") {
    CHECK(pin_problem("1234").empty());
    CHECK(pin_problem("12345678").empty());
    CHECK(pin_problem("123").find("4 to 8") != std::string::npos);
    CHECK(pin_problem("123456789").find("4 to 8") != std::string::npos);
    CHECK(pin_problem("12a4").find("digits") != std::string::npos);
    TempDir dir;
    CHECK_FALSE(PinLock::set_pin(dir / "pin", "12 4").ok());
    CHECK_FALSE(std::filesystem::exists(dir / "pin"));
}

TEST_CASE(
    "lockout after three wrong PINs grows 30 s, 60 s, 120 s ... to 15 minutes, and holds across a restart") {
    LockoutPolicy policy;
    CHECK(policy.lockout_after(2) == 0s);
    CHECK(policy.lockout_after(3) == 30s);
    CHECK(policy.lockout_after(4) == 60s);
    CHECK(policy.lockout_after(5) == 120s);
    CHECK(policy.lockout_after(8) == 900s); // 960 capped
    CHECK(policy.lockout_after(50) == 900s);

    TempDir dir;
    const auto file = dir / "volunteer.pin";
    REQUIRE(PinLock::set_pin(file, "2468").ok());
    {
        PinLock lock = open_lock(file);
        CHECK(lock.check("0000", t0)->attempts_left == 2);
        CHECK(lock.check("0000", t0)->attempts_left == 1);
        const auto third = lock.check("0000", t0);
        CHECK(third->verdict == PinVerdict::LockedOut);
        CHECK(third->locked_for == 30s);
    }
    // The kiosk is switched off and on: still locked, and the right PIN is not even checked.
    PinLock lock = open_lock(file);
    CHECK(lock.locked_for(t0 + 10s) == 20s);
    const auto during = lock.check("2468", t0 + 10s);
    CHECK(during->verdict == PinVerdict::LockedOut);
    CHECK(during->locked_for == 20s);
    CHECK(lock.locked_for(t0 + 29s) == 1s);
    CHECK(lock.locked_for(t0 + 30s) == 0s);

    // One more wrong PIN after the lockout: twice as long.
    const auto fourth = lock.check("1111", t0 + 30s);
    CHECK(fourth->verdict == PinVerdict::LockedOut);
    CHECK(fourth->locked_for == 60s);
    CHECK(lock.locked_for(t0 + 89s) == 1s);
    // A clock set back a day cannot lock for longer than the longest lockout.
    CHECK(lock.locked_for(t0 - 24h) <= policy.max_lockout);

    // The right PIN after the lockout opens, and the count starts again.
    CHECK(lock.check("2468", t0 + 90s)->verdict == PinVerdict::Accepted);
    CHECK(open_lock(file).failures() == 0);
    CHECK(lock.check("0000", t0 + 91s)->verdict == PinVerdict::Wrong);
}

TEST_CASE("a damaged PIN file is refused with file:line, so the console stays closed") {
    TempDir dir;
    const auto file = dir / "volunteer.pin";
    std::ofstream(file) << "hash = 1234\n";
    auto bad_hash = PinLock::open(file);
    REQUIRE_FALSE(bad_hash.ok());
    CHECK(bad_hash.error().find("volunteer.pin:1:") != std::string::npos);
    std::ofstream(file) << "# comment\nfailures = many\n";
    auto bad_count = PinLock::open(file);
    REQUIRE_FALSE(bad_count.ok());
    CHECK(bad_count.error().find("volunteer.pin:2: 'failures'") != std::string::npos);
    std::ofstream(file) << "failures = 0\n";
    auto no_hash = PinLock::open(file);
    REQUIRE_FALSE(no_hash.ok());
    CHECK(no_hash.error().find("no 'hash'") != std::string::npos);
}
