// Uploads that no Buurtstem kiosk would send, posted straight over HTTPS with the curl tool: each one is
// a body plus the reply it must get (cf. curl's tests/data), and none of them may store anything.
#include <doctest/doctest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "buurtstem/protocol/protocol.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;
using nlohmann::json;

namespace {

// The error text of a {"error": "..."} reply; fails the test when the body is not that.
std::string error_text(const RawReply& reply) {
    INFO("body: " << reply.body);
    const json body = json::parse(reply.body, nullptr, false);
    REQUIRE(body.is_object());
    REQUIRE(body.contains("error"));
    REQUIRE(body["error"].is_string());
    return body["error"].get<std::string>();
}

struct MalformedCase {
    const char* name;
    std::function<void(json&)> spoil;
    const char* expected; // must appear in the error text, JSON path first
};

} // namespace

TEST_CASE_FIXTURE(ServerFixture,
                  "a well-formed upload sent by hand is accepted" * doctest::test_suite("server-store")) {
    // The baseline for the cases below: the same route, token and tool do work.
    const auto responses = demo_responses(2, device_id);
    const RawReply reply = post_raw(protocol::encode_batch({device_id, responses}), token);
    INFO("body: " << reply.body);
    REQUIRE(reply.status == 200);
    auto decoded = protocol::decode_reply(reply.body);
    REQUIRE(decoded.ok());
    CHECK(decoded->accepted == std::vector<std::string>{responses[0].id, responses[1].id});
    CHECK(decoded->rejected.empty());
    CHECK(server_count() == 2);
}

TEST_CASE_FIXTURE(ServerFixture, "a body that is not JSON gets HTTP 400 and says so") {
    const RawReply reply = post_raw("responses=1&device=kiosk", token);
    CHECK(reply.status == 400);
    const std::string error = error_text(reply);
    CHECK(error.find("malformed upload") != std::string::npos);
    CHECK(error.find("not valid JSON") != std::string::npos);
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "a malformed batch gets HTTP 400 naming its JSON path") {
    const std::vector<MalformedCase> cases = {
        {"response id a number", [](json& b) { b["responses"][0]["id"] = 17; },
         "responses[0].id: must be a string"},
        {"response without an id", [](json& b) { b["responses"][1].erase("id"); },
         "responses[1]: missing field 'id'"},
        {"responses not an array", [](json& b) { b["responses"] = json::object(); },
         "responses: must be an array"},
        {"newer protocol", [](json& b) { b["protocol"] = 2; }, "protocol: unsupported protocol version"},
        {"device id with a bidi override", [](json& b) { b["device_id"] = "kiosk\u202e"; },
         "device_id: contains U+202E (right-to-left override)"},
    };
    const auto responses = demo_responses(2, device_id);
    for (const MalformedCase& c : cases) {
        CAPTURE(c.name);
        json body = json::parse(protocol::encode_batch({device_id, responses}));
        c.spoil(body);
        const RawReply reply = post_raw(body.dump(), token);
        CHECK(reply.status == 400);
        const std::string error = error_text(reply);
        CHECK_MESSAGE(error.find(c.expected) != std::string::npos, "error was: " << error);
    }
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "a malformed response is rejected alone, naming its JSON path" *
                                     doctest::test_suite("server-store")) {
    const std::vector<MalformedCase> cases = {
        {"response id not a UUID", [](json& b) { b["responses"][0]["id"] = "response-1"; },
         "responses[0].id: must be a UUID"},
        {"response id in upper case",
         [](json& b) { b["responses"][1]["id"] = "6B0549A4-ED7B-4D92-A6AB-196AA5F796C9"; },
         "responses[1].id: must be a UUID in lower case"},
        {"answer value a number", [](json& b) { b["responses"][1]["answers"][0]["value"] = 2; },
         "responses[1].answers[0].value: must be a string"},
        {"time without zone", [](json& b) { b["responses"][1]["completed_at"] = "2026-11-24 13:05"; },
         "responses[1].completed_at: must be a UTC time"},
        {"version zero", [](json& b) { b["responses"][0]["consultation_version"] = 0; },
         "responses[0].consultation_version"},
        {"answers missing", [](json& b) { b["responses"][0].erase("answers"); },
         "responses[0]: missing field 'answers'"},
        {"escape in an answer", [](json& b) { b["responses"][0]["answers"][0]["value"] = "\x1b[2J"; },
         "responses[0].answers[0].value: contains control character U+001B"},
        {"right-to-left override in an answer",
         [](json& b) { b["responses"][1]["answers"][0]["value"] = "ja\u202Enee"; },
         "responses[1].answers[0].value: contains U+202E (right-to-left override)"},
    };
    int64_t stored = 0;
    for (const MalformedCase& c : cases) {
        CAPTURE(c.name);
        const auto responses = demo_responses(2, device_id);
        json body = json::parse(protocol::encode_batch({device_id, responses}));
        c.spoil(body);
        const RawReply reply = post_raw(body.dump(), token);
        INFO("body: " << reply.body);
        REQUIRE(reply.status == 200);
        auto decoded = protocol::decode_reply(reply.body);
        REQUIRE(decoded.ok());
        REQUIRE(decoded->rejected.size() == 1);
        CHECK_MESSAGE(decoded->rejected[0].reason.find(c.expected) != std::string::npos,
                      "reason was: " << decoded->rejected[0].reason);
        CHECK(decoded->accepted.size() == 1); // the other response of the batch is stored
        ++stored;
        CHECK(server_count() == stored);
    }
}

TEST_CASE_FIXTURE(ServerFixture, "invalid UTF-8 in an answer gets HTTP 400 naming the JSON path") {
    std::string body = protocol::encode_batch({device_id, demo_responses(1, device_id)});
    const auto at = body.find("\"value\":\"");
    REQUIRE(at != std::string::npos);
    body.insert(at + 9, "\xC3\x28"); // a lead byte followed by an ASCII byte
    const RawReply reply = post_raw(body, token);
    CHECK(reply.status == 400);
    const std::string error = error_text(reply);
    CHECK_MESSAGE(error.find("responses[0].answers[0].value: is not valid UTF-8") != std::string::npos,
                  "error was: " << error);
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "an upload for a consultation the server does not know is deferred" *
                                     doctest::test_suite("server-store")) {
    auto responses = demo_responses(3, device_id);
    responses[1].consultation_id = "speeltuin-zuid";
    responses[2].consultation_version = 9;
    const RawReply reply = post_raw(protocol::encode_batch({device_id, responses}), token);
    INFO("body: " << reply.body);
    REQUIRE(reply.status == 200);
    auto decoded = protocol::decode_reply(reply.body);
    REQUIRE(decoded.ok());
    CHECK(decoded->accepted == std::vector<std::string>{responses[0].id});
    CHECK(decoded->rejected.empty());
    REQUIRE(decoded->deferred.size() == 2);
    CHECK(decoded->deferred[0].reason.find("'speeltuin-zuid' version 1 is not known") != std::string::npos);
    CHECK(decoded->deferred[1].reason.find("version 9 is not known") != std::string::npos);
    CHECK(server_count() == 1);
}

TEST_CASE_FIXTURE(ServerFixture, "too many responses in one batch are refused as a whole") {
    const auto responses = demo_responses(protocol::kMaxBatchSize + 1, device_id);
    const RawReply reply = post_raw(protocol::encode_batch({device_id, responses}), token);
    CHECK(reply.status == 400);
    CHECK(error_text(reply).find("responses: more than") != std::string::npos);
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "uploads without the right token are refused before the body is read") {
    const std::string body = protocol::encode_batch({device_id, demo_responses(2, device_id)});
    SUBCASE("no Authorization header") {
        const RawReply reply = post_raw(body, "");
        CHECK(reply.status == 401);
        CHECK(error_text(reply).find("missing device token") != std::string::npos);
    }
    SUBCASE("unknown token, even with a malformed body") {
        const RawReply reply = post_raw("not json", std::string(64, 'f'));
        CHECK(reply.status == 401);
        CHECK(error_text(reply).find("unknown or revoked") != std::string::npos);
    }
    SUBCASE("a batch claiming another device") {
        const RawReply reply =
            post_raw(protocol::encode_batch({"kiosk-elders", demo_responses(2, "kiosk-elders")}), token);
        CHECK(reply.status == 403);
        const std::string error = error_text(reply);
        CHECK(error.find("'" + device_id + "'") != std::string::npos);
        CHECK(error.find("'kiosk-elders'") != std::string::npos);
    }
    CHECK(server_count() == 0);
}

TEST_CASE_FIXTURE(ServerFixture, "a response naming another device inside a good batch is rejected alone" *
                                     doctest::test_suite("server-store")) {
    auto responses = demo_responses(3, device_id);
    responses[2].device_id = "kiosk-elders";
    const RawReply reply = post_raw(protocol::encode_batch({device_id, responses}), token);
    INFO("body: " << reply.body);
    REQUIRE(reply.status == 200);
    auto decoded = protocol::decode_reply(reply.body);
    REQUIRE(decoded.ok());
    CHECK(decoded->accepted.size() == 2);
    REQUIRE(decoded->rejected.size() == 1);
    CHECK(decoded->rejected[0].id == responses[2].id);
    CHECK(decoded->rejected[0].reason.find("kiosk-elders") != std::string::npos);
    CHECK(server_count() == 2);
}

TEST_CASE_FIXTURE(ServerFixture, "the health route answers without a token") {
    const CommandResult r = run_command({"curl", "--silent", "--show-error", "--cacert", pki.ca_cert.string(),
                                         url() + std::string(protocol::kHealthPath)});
    INFO("curl said: " << r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output == R"({"status":"ok"})");
}

TEST_CASE_FIXTURE(ServerFixture, "a body over the size limit is refused: 401 without a token, 413 with one") {
    const std::string huge(protocol::kMaxBodyBytes + 1, ' ');
    // Without a token the pre-routing check answers before the body matters.
    CHECK(post_raw(huge, "").status == 401);
    CHECK(post_raw(huge, token).status == 413);
    CHECK(server_count() == 0);
}
