// What only the PostgreSQL store has to get right: its own schema version, libpq's reasons for not
// connecting (without the password), connections the server dropped. Runs in the ctest fixture's
// throw-away cluster (tests/support/pg_cluster.hpp); the shared store and server tests run against
// PostgreSQL too, as unit.pg.* and integration.pg.*.
#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

#include "buurtstem/server/pg.hpp"
#include "buurtstem/server/server_store.hpp"
#include "buurtstem/server/staff_store.hpp"
#include "pg_cluster.hpp"
#include "test_support.hpp"

using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

std::unique_ptr<ServerStore> open_store(const std::string& address) {
    auto store = open_server_store(address);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("a PostgreSQL store gets its tables and schema version, and a second open changes nothing") {
    TempDir dir;
    const std::string address = test::test_store_address(dir / "server.db");
    REQUIRE(is_postgresql_address(address));
    {
        auto store = open_store(address);
        REQUIRE(store->add_device("kiosk-a").ok());
    }
    auto store = open_store(address);
    CHECK(store->reissue_token("kiosk-a").ok()); // the device is still there
    pg::Connection c(address);
    CHECK(c.query("SELECT version FROM schema_version").text(0, 0) == "6");
    CHECK(c.query("SELECT count(*) FROM schema_version").text(0, 0) == "1");
    CHECK(c.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                  " AND table_name IN ('devices', 'responses', 'answers', 'enrolment_codes', 'results',"
                  " 'result_texts', 'events', 'contacts')")
              .text(0, 0) == "8");
    // The staff tables, with their own version table: one row per migration, none run twice.
    for (int open = 0; open < 2; ++open) {
        auto staff = open_staff_store(address);
        REQUIRE_MESSAGE(staff.ok(), (staff.ok() ? "" : staff.error().to_string()));
    }
    CHECK(c.query("SELECT max(version), count(*) FROM staff_schema").text(0, 0) == "1");
    CHECK(c.query("SELECT count(*) FROM staff_schema").text(0, 0) == "1");
    CHECK(c.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                  " AND table_name IN ('staff', 'staff_sessions')")
              .text(0, 0) == "2");
}

TEST_CASE("a PostgreSQL database from a newer Buurtstem is refused and left at its version") {
    TempDir dir;
    const std::string address = test::test_store_address(dir / "server.db");
    open_store(address);
    pg::Connection c(address);
    c.exec("UPDATE schema_version SET version = 42");
    auto refused = open_server_store(address);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ServerStoreError::Kind::NewerSchema);
    CHECK(contains(refused.error().to_string(), "schema 42"));
    CHECK(c.query("SELECT version FROM schema_version").text(0, 0) == "42");
}

TEST_CASE("an unreachable PostgreSQL is CannotOpen with libpq's reason, never showing the password") {
    const int port = test::free_loopback_port();
    auto refused =
        open_server_store("postgresql://raad:geheim123@127.0.0.1:" + std::to_string(port) + "/buurtstem");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ServerStoreError::Kind::CannotOpen);
    CHECK(contains(refused.error().to_string(), "Connection refused"));
    CHECK(contains(refused.error().to_string(), "raad:***@127.0.0.1"));
    CHECK_FALSE(contains(refused.error().to_string(), "geheim123"));

    TempDir dir;
    const std::string address = test::test_store_address(dir / "server.db");
    const std::string no_database = address.substr(0, address.rfind("/buurtstem?")) + "/bestaat_niet";
    auto missing = open_server_store(no_database);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ServerStoreError::Kind::CannotOpen);
    CHECK(contains(missing.error().to_string(), "database \"bestaat_niet\" does not exist"));
}

TEST_CASE("a PostgreSQL connection the server dropped is reported, and the next call connects again") {
    TempDir dir;
    // Named, so that only this store's sessions are ended: other tests share the cluster.
    const std::string name = "dropped_" + std::to_string(getpid());
    const std::string address = test::test_store_address(dir / "server.db") + "&application_name=" + name;
    auto store = open_store(address);
    REQUIRE(store->add_device("kiosk-a").ok());
    {
        // As a restart of PostgreSQL or a failover would: every session of the store ends.
        pg::Connection admin(test::test_store_address(dir / "server.db"));
        auto ended = admin.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                 " WHERE application_name = $1 AND pid <> pg_backend_pid()",
                                 {name});
        REQUIRE(ended.integer(0, 0) >= 1);
    }
    auto first = store->count_responses("");
    if (!first.ok()) {
        CHECK(contains(first.error().to_string(), "connection"));
    }
    auto again = store->count_responses("");
    REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().to_string()));
    CHECK(*again == 0);
    CHECK(store->reissue_token("kiosk-a").ok());
}
