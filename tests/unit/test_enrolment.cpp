// Enrolment codes, revocation, schema migrations and signed consultation bundles, in-process on real
// SQLite files and real folders. The same over HTTPS with the real server: integration/enrolment_test.cpp.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/bundle.hpp"
#include "buurtstem/server/consultation_routes.hpp"
#include "buurtstem/server/enrolment.hpp"
#include "buurtstem/server/qr_code.hpp"
#include "buurtstem/server/server_store.hpp"
#include "pg_cluster.hpp"
#include "server_v1_database.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::read_file;
using buurtstem::test::TempDir;

namespace {

const fs::path kDemo = fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" / "minimaregelingen.toml";

// SQLite, or PostgreSQL under BUURTSTEM_TEST_STORE=postgresql (the test cases marked "server-store").
std::unique_ptr<ServerStore> open_store(const fs::path& path) {
    auto store = open_server_store(test::test_store_address(path));
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().to_string()));
    return std::move(store).value();
}

std::string in_hours(int hours) {
    return to_iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(hours));
}

std::string hash_of(const std::string& code) {
    const auto canonical = normalize_enrolment_code(code);
    REQUIRE(canonical.has_value());
    return enrolment_code_hash(*canonical);
}

HttpRequest enrol_request(const std::string& body, const std::string& peer = "192.0.2.7") {
    HttpRequest r;
    r.method = "POST";
    r.path = std::string(kEnrolPath);
    r.body = body;
    r.peer = peer;
    return r;
}

} // namespace

TEST_CASE("enrolment codes: 10 characters of the unambiguous alphabet, grouped, all different") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string code = new_enrolment_code();
        REQUIRE(code.size() == 12);
        CHECK(code[4] == '-');
        CHECK(code[9] == '-');
        const auto canonical = normalize_enrolment_code(code);
        REQUIRE(canonical.has_value());
        CHECK(canonical->find_first_not_of(kEnrolmentAlphabet) == std::string::npos);
        seen.insert(*canonical);
    }
    CHECK(seen.size() == 200);
    CHECK(kEnrolmentAlphabet.find_first_of("01IO") == std::string_view::npos);
}

TEST_CASE("enrolment codes: typed in any case and grouping, refused when they cannot be a code") {
    CHECK(normalize_enrolment_code("abcd-efgh-jk") == std::optional<std::string>("ABCDEFGHJK"));
    CHECK(normalize_enrolment_code("ABCD EFGH JK") == std::optional<std::string>("ABCDEFGHJK"));
    CHECK(normalize_enrolment_code("ABCDEFGHJK") == std::optional<std::string>("ABCDEFGHJK"));
    CHECK_FALSE(normalize_enrolment_code("ABCD-EFGH-J").has_value());     // too short
    CHECK_FALSE(normalize_enrolment_code("ABCD-EFGH-JKL").has_value());   // too long
    CHECK_FALSE(normalize_enrolment_code("ABCD-EFGH-J0").has_value());    // 0 is not in the alphabet
    CHECK_FALSE(normalize_enrolment_code("ABCD-EFGH-J\xC3").has_value()); // not ASCII
    CHECK(enrolment_code_hash("ABCDEFGHJK") != enrolment_code_hash("ABCDEFGHJM"));
}

TEST_CASE("an enrolment code works once, before it expires, for its own device" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.db");
    const std::string now = now_iso8601_utc();
    REQUIRE(store->add_enrolment_code("kiosk-a", hash_of("AAAA-BBBB-CC"), in_hours(24)).ok());

    SUBCASE("once") {
        auto first = store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now, "");
        REQUIRE(first.ok());
        REQUIRE(first->has_value());
        CHECK((*first)->device_id == "kiosk-a");
        auto check = store->check_token((*first)->token);
        REQUIRE(check.ok());
        CHECK(check->state == TokenCheck::State::Active);
        CHECK(check->device_id == "kiosk-a");

        auto again = store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now, "");
        REQUIRE(again.ok());
        CHECK_FALSE(again->has_value());
    }
    SUBCASE("not after it expired") {
        auto late = store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), in_hours(25), "");
        REQUIRE(late.ok());
        CHECK_FALSE(late->has_value());
    }
    SUBCASE("not for another device, and then still for its own") {
        auto other = store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now, "kiosk-b");
        REQUIRE(other.ok());
        CHECK_FALSE(other->has_value());
        auto own = store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now, "kiosk-a");
        REQUIRE(own.ok());
        CHECK(own->has_value());
    }
    SUBCASE("a newer code replaces the unused older one") {
        REQUIRE(store->add_enrolment_code("kiosk-a", hash_of("DDDD-EEEE-FF"), in_hours(24)).ok());
        CHECK_FALSE(store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now, "")->has_value());
        CHECK(store->redeem_enrolment_code(hash_of("DDDD-EEEE-FF"), now, "")->has_value());
    }
    SUBCASE("only the hash is stored") {
        store.reset();
        CHECK(read_file(dir / "server.db").find("AAAABBBBCC") == std::string::npos);
    }
}

TEST_CASE("revoke: the token is refused as revoked at once, and a new code brings the device back" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.db");
    auto token = store->add_device("kiosk-a");
    REQUIRE(token.ok());
    REQUIRE(store->add_enrolment_code("kiosk-a", hash_of("AAAA-BBBB-CC"), in_hours(24)).ok());
    REQUIRE(store->revoke_device("kiosk-a").ok());

    auto check = store->check_token(*token);
    REQUIRE(check.ok());
    CHECK(check->state == TokenCheck::State::Revoked);
    CHECK(store->device_for_token(*token).value() == std::nullopt);
    CHECK(store->check_token("not-a-token")->state == TokenCheck::State::Unknown);
    // A code made before the theft must not bring the stolen kiosk back.
    CHECK_FALSE(store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now_iso8601_utc(), "")->has_value());

    auto missing = store->revoke_device("kiosk-nobody");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ServerStoreError::Kind::NotFound);

    REQUIRE(store->add_enrolment_code("kiosk-a", hash_of("GGGG-HHHH-JJ"), in_hours(1)).ok());
    auto back = store->redeem_enrolment_code(hash_of("GGGG-HHHH-JJ"), now_iso8601_utc(), "kiosk-a");
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    CHECK(store->check_token((*back)->token)->state == TokenCheck::State::Active);
    CHECK(store->check_token(*token)->state == TokenCheck::State::Unknown); // the old token is gone
}

TEST_CASE("an old (schema 1) server database is upgraded in place and keeps devices and responses") {
    TempDir dir;
    const fs::path path = dir / "old.db";
    // One device and one response.
    test::make_v1_server_database(path,
                                  "INSERT INTO devices VALUES ('kiosk-old', '" + token_hash("old-token") +
                                      "', '2026-01-01T00:00:00Z', NULL);"
                                      "INSERT INTO responses VALUES (1, 'r1', 'minimaregelingen-ijmond', 1, "
                                      "'kiosk-old', 'nl', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', "
                                      "'2026-01-01T00:02:00Z', 'fp');");
    auto store = open_store(path);
    CHECK(store->check_token("old-token")->state == TokenCheck::State::Active);
    CHECK(store->count_responses("minimaregelingen-ijmond").value() == 1);
    REQUIRE(store->add_enrolment_code("kiosk-old", hash_of("AAAA-BBBB-CC"), in_hours(2)).ok());
    CHECK(store->redeem_enrolment_code(hash_of("AAAA-BBBB-CC"), now_iso8601_utc(), "")->has_value());
    store.reset();

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 6); // 4: result texts, 5: events, device keys, contacts, 6: pending
    sqlite3_finalize(s);
    sqlite3_close(db);
    // Opening again runs nothing twice.
    CHECK(open_sqlite_server_store(path.string()).ok());
}

TEST_CASE("the enrol route: a token for a good code, one refusal for every bad one, and a limit per address" *
          doctest::test_suite("server-store")) {
    TempDir dir;
    auto store = open_store(dir / "server.db");
    EnrolmentLimiter limiter(3, std::chrono::minutes(15));
    RouteTable table;
    add_enrolment_routes(table, *store, limiter, nullptr);
    const Route* route = table.find("POST", kEnrolPath);
    REQUIRE(route != nullptr);
    REQUIRE(store->add_enrolment_code("kiosk-a", hash_of("AAAA-BBBB-CC"), in_hours(1)).ok());

    const HttpReply ok = route->handle(enrol_request(R"({"code":"aaaa-bbbb-cc","device_id":"kiosk-a"})"));
    CHECK(ok.status == 200);
    CHECK(ok.body.find("\"device_id\":\"kiosk-a\"") != std::string::npos);
    CHECK(ok.body.find("\"token\":\"") != std::string::npos);

    const HttpReply used = route->handle(enrol_request(R"({"code":"AAAA-BBBB-CC"})"));
    const HttpReply wrong = route->handle(enrol_request(R"({"code":"ZZZZ-ZZZZ-ZZ"})"));
    CHECK(used.status == 403);
    CHECK(wrong.status == 403);
    CHECK(used.body == wrong.body); // nothing tells a used code from one that never existed

    CHECK(route->handle(enrol_request(R"({"kode":"x"})", "192.0.2.99")).status == 400);
    CHECK(route->handle(enrol_request("not json", "192.0.2.99")).status == 400);

    // Third failure from this address; then even a good code is refused until the window passes.
    CHECK(route->handle(enrol_request(R"({"code":"2222-3333-44"})")).status == 403);
    REQUIRE(store->add_enrolment_code("kiosk-b", hash_of("BBBB-CCCC-DD"), in_hours(1)).ok());
    CHECK(route->handle(enrol_request(R"({"code":"BBBB-CCCC-DD"})")).status == 429);
    CHECK(route->handle(enrol_request(R"({"code":"BBBB-CCCC-DD"})", "192.0.2.8")).status == 200);
}

TEST_CASE("the enrolment limiter forgets an address after its window") {
    EnrolmentLimiter limiter(2, std::chrono::seconds(60));
    const auto t0 = std::chrono::steady_clock::now();
    limiter.record_failure("a", t0);
    CHECK(limiter.allowed("a", t0));
    limiter.record_failure("a", t0);
    CHECK_FALSE(limiter.allowed("a", t0 + std::chrono::seconds(59)));
    CHECK(limiter.allowed("b", t0));
    CHECK(limiter.allowed("a", t0 + std::chrono::seconds(60)));
}

TEST_CASE("a QR code of an enrolment code, as SVG and for a terminal") {
    auto svg = qr_svg("ABCD-EFGH-JK");
    REQUIRE(svg.ok());
    CHECK(svg->find("<svg") != std::string::npos);
    CHECK(svg->find("h1v1h-1z") != std::string::npos);
    auto text = qr_terminal("ABCD-EFGH-JK");
    REQUIRE(text.ok());
    CHECK(text->find("\u2584") != std::string::npos);
}

TEST_CASE("consultation bundles: a good signature verifies, a changed file, version or key does not") {
    const std::string toml = read_file(kDemo);
    const bundle::KeyPair council = bundle::generate_key_pair();
    const bundle::KeyPair other = bundle::generate_key_pair();
    auto signed_bundle = bundle::sign_consultation(toml, council.secret_key, kDemo.string());
    REQUIRE_MESSAGE(signed_bundle.ok(), (signed_bundle.ok() ? "" : signed_bundle.error()));
    CHECK(signed_bundle->id == "minimaregelingen-ijmond");
    CHECK(signed_bundle->version == 1);

    auto round_trip = bundle::decode_bundle(bundle::encode_bundle(*signed_bundle));
    REQUIRE(round_trip.ok());
    CHECK(bundle::verify_bundle(*round_trip, council.public_key).ok());

    SUBCASE("tampered TOML") {
        bundle::SignedBundle tampered = *round_trip;
        const auto at = tampered.toml.find("nl = ");
        REQUIRE(at != std::string::npos);
        tampered.toml.insert(at + 6, "X");
        auto verified = bundle::verify_bundle(tampered, council.public_key);
        REQUIRE_FALSE(verified.ok());
        CHECK(verified.error().find("bad signature") != std::string::npos);
    }
    SUBCASE("a signature moved to another version") {
        bundle::SignedBundle moved = *round_trip;
        moved.version = 2;
        CHECK_FALSE(bundle::verify_bundle(moved, council.public_key).ok());
    }
    SUBCASE("another key") {
        auto verified = bundle::verify_bundle(*round_trip, other.public_key);
        REQUIRE_FALSE(verified.ok());
        CHECK(verified.error().find("bad signature") != std::string::npos);
    }
    SUBCASE("a key that is not a key") {
        auto verified = bundle::verify_bundle(*round_trip, "bm90IGEga2V5");
        REQUIRE_FALSE(verified.ok());
        CHECK(verified.error().find("council_public_key") != std::string::npos);
    }
    SUBCASE("a signed file that is not a consultation cannot be signed") {
        auto bad = bundle::sign_consultation("id = 3\n", council.secret_key, "bad.toml");
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().find("bad.toml") != std::string::npos);
    }
    SUBCASE("malformed bundle JSON names the field") {
        CHECK(bundle::decode_bundle("[]").error().find("object") != std::string::npos);
        CHECK(bundle::decode_bundle(R"({"format":1,"id":"x","toml":"","signature":""})")
                  .error()
                  .find("bundle.version") != std::string::npos);
        CHECK(bundle::decode_bundle(R"({"format":1,"id":"x","version":1,"toml":""})")
                  .error()
                  .find("bundle.signature") != std::string::npos);
    }
}

TEST_CASE("the consultation routes list bundles with their hash and serve only files in their folder") {
    TempDir dir;
    const bundle::KeyPair council = bundle::generate_key_pair();
    auto signed_bundle = bundle::sign_consultation(read_file(kDemo), council.secret_key, kDemo.string());
    REQUIRE(signed_bundle.ok());
    const std::string bytes = bundle::encode_bundle(*signed_bundle);
    std::ofstream(dir / "minimaregelingen-ijmond.bundle.json", std::ios::binary) << bytes;
    std::ofstream(dir / "junk.bundle.json") << "not json";
    std::ofstream(dir / "secret.txt") << "no";

    RouteTable table;
    add_consultation_routes(table, dir.path());
    HttpRequest list;
    list.method = "GET";
    list.path = std::string(kConsultationsPath);
    const Route* list_route = table.find("GET", list.path);
    REQUIRE(list_route != nullptr);
    CHECK((list_route->flags & RouteFlags_DeviceToken) != 0);
    const HttpReply listed = list_route->handle(list);
    CHECK(listed.status == 200);
    CHECK(listed.body.find("\"id\":\"minimaregelingen-ijmond\"") != std::string::npos);
    CHECK(listed.body.find(bundle::sha256_hex(bytes)) != std::string::npos);
    CHECK(listed.body.find("junk") == std::string::npos);

    HttpRequest one = list;
    one.path += "/minimaregelingen-ijmond";
    const Route* one_route = table.find("GET", one.path);
    REQUIRE(one_route != nullptr);
    CHECK((one_route->flags & RouteFlags_DeviceToken) != 0);
    const HttpReply got = one_route->handle(one);
    CHECK(got.status == 200);
    CHECK(got.body == bytes);

    for (const char* bad : {"/../secret.txt", "/secret", "/..%2Fsecret.txt", "/Minimaregelingen-ijmond"}) {
        HttpRequest escape = list;
        escape.path += bad;
        CHECK(one_route->handle(escape).status == 404);
    }
}
