// Only valid data is stored: every text field of an upload is checked for characters that hide or
// reorder text, one spelling per response id, and a response that breaks a rule is refused alone with
// the JSON path of the problem (the rest of its batch goes on).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "buurtstem/core/uuid.hpp"
#include "buurtstem/protocol/protocol.hpp"

using namespace buurtstem;
using nlohmann::json;

namespace {

CompletedResponse make_response() {
    CompletedResponse r;
    r.id = new_uuid_v4();
    r.consultation_id = "minimaregelingen-ijmond";
    r.consultation_version = 1;
    r.device_id = "kiosk-bibliotheek";
    r.language = "nl";
    r.started_at = "2026-11-24T13:05:09Z";
    r.completed_at = "2026-11-24T13:08:40Z";
    r.answers = {{"kent-regelingen", "ja-goed"}, {"ideeen", "Één loket, Türkçe açıklama 👍 مرحبا"}};
    return r;
}

json three_responses() {
    return json::parse(
        protocol::encode_batch({"kiosk-bibliotheek", {make_response(), make_response(), make_response()}}));
}

} // namespace

TEST_CASE("text_problem lets ordinary text in any script through") {
    CHECK(protocol::text_problem("").empty());
    CHECK(protocol::text_problem("Meer uitleg in het buurthuis; \"graag\" \\ 100%").empty());
    CHECK(protocol::text_problem("Één loket — Türkçe, العربية, Polski: źdźbło, 👍").empty());
    // Marks that only set direction for neutral characters are not overrides.
    CHECK(protocol::text_problem("abc\u200Fdef\u200E").empty());
}

TEST_CASE("text_problem names each refused character") {
    struct Case {
        std::string text;
        const char* expected;
    };
    const Case cases[] = {
        {std::string("a\0b", 3), "NUL (U+0000)"},
        {"a\nb", "line break (U+000A)"},
        {"a\tb", "control character U+0009"},
        {"a\rb", "control character U+000D"},
        {"a\x1b[31mb", "control character U+001B"},
        {"a\x7f", "control character U+007F"},
        {"a\u0085b", "control character U+0085"},
        {"a\u009bb", "control character U+009B"},
        {"a\u202Ab", "U+202A (left-to-right embedding)"},
        {"evil\u202Etxt.exe", "U+202E (right-to-left override)"},
        {"a\u2066b", "U+2066 (left-to-right isolate)"},
        {"a\u2069b", "U+2069 (pop directional isolate)"},
        {"a\xff", "not valid UTF-8 (byte 1)"},
        {"a\xc3", "not valid UTF-8 (cut off at byte 1)"},
        {"\xc0\xaf", "not valid UTF-8 (byte 0)"},     // overlong '/'
        {"\xed\xa0\x80", "not valid UTF-8 (byte 0)"}, // a UTF-16 surrogate
        {"\xf4\x90\x80\x80", "not valid UTF-8"},      // beyond U+10FFFF
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const std::string problem = protocol::text_problem(c.text);
        CHECK_MESSAGE(problem.find(c.expected) != std::string::npos, "problem was: " << problem);
    }
}

TEST_CASE("a response id has one spelling: a lower-case UUID") {
    CHECK(protocol::is_response_id("6b0549a4-ed7b-4d92-a6ab-196aa5f796c9"));
    CHECK_FALSE(protocol::is_response_id("6B0549A4-ED7B-4D92-A6AB-196AA5F796C9"));
    CHECK_FALSE(protocol::is_response_id("6b0549a4-ed7b-4d92-a6ab-196aa5f796C9"));
    CHECK_FALSE(protocol::is_response_id("6b0549a4ed7b4d92a6ab196aa5f796c9"));
    for (int i = 0; i < 100; ++i) {
        CHECK(protocol::is_response_id(new_uuid_v4())); // what the kiosk makes
    }
}

TEST_CASE("a bad character in any text field refuses that response alone, naming the JSON path") {
    struct Case {
        const char* name;
        void (*spoil)(json&);
        const char* expected;
    };
    const Case cases[] = {
        {"right-to-left override in an answer", [](json& r) { r["answers"][1]["value"] = "goed\u202Eidee"; },
         ".answers[1].value: contains U+202E (right-to-left override)"},
        {"escape in an answer", [](json& r) { r["answers"][0]["value"] = "\x1b[2J"; },
         ".answers[0].value: contains control character U+001B"},
        {"NUL in an answer", [](json& r) { r["answers"][1]["value"] = std::string("a\0b", 3); },
         ".answers[1].value: contains NUL"},
        {"newline in an answer", [](json& r) { r["answers"][1]["value"] = "twee\nregels"; },
         ".answers[1].value: contains a line break"},
        {"isolate in the language", [](json& r) { r["language"] = "n\u2067l"; },
         ".language: contains U+2067"},
        {"upper-case id", [](json& r) { r["id"] = "6B0549A4-ED7B-4D92-A6AB-196AA5F796C9"; },
         ".id: must be a UUID in lower case"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        json body = three_responses();
        c.spoil(body["responses"][1]);
        const std::string bad_id = body["responses"][1]["id"].get<std::string>();
        auto decoded = protocol::decode_batch(body.dump(-1, ' ', false, json::error_handler_t::strict));
        REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error().to_string()));
        CHECK(decoded->responses.size() == 2);
        REQUIRE(decoded->invalid.size() == 1);
        CHECK(decoded->invalid[0].id == bad_id);
        const std::string reason = decoded->invalid[0].error.to_string();
        CHECK_MESSAGE(reason.rfind("responses[1]", 0) == 0, "reason was: " << reason);
        CHECK_MESSAGE(reason.find(c.expected) != std::string::npos, "reason was: " << reason);
    }
}

TEST_CASE("invalid UTF-8 refuses the body, naming the JSON path of the broken text") {
    std::string body = three_responses().dump();
    const std::string marker = "Één loket";
    const auto at = body.find(marker, body.find("responses") + 1);
    REQUIRE(at != std::string::npos);
    body[at + 1] = '\xff'; // breaks the second byte of 'É'
    auto decoded = protocol::decode_batch(body);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().where == "responses[0].answers[1].value");
    CHECK(decoded.error().message.find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("a response whose id cannot be read still refuses the whole batch") {
    json body = three_responses();
    body["responses"][2]["id"] = 42;
    auto decoded = protocol::decode_batch(body.dump());
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().to_string() == "responses[2].id: must be a string");
}

TEST_CASE("a reply with deferred ids survives encode and decode, and a reply without the list is fine") {
    protocol::UploadReply reply;
    reply.accepted = {"a"};
    reply.rejected = {{"b", "no"}};
    reply.deferred = {{"c", "consultation 'x' version 2 is not known to this server"}};
    auto decoded = protocol::decode_reply(protocol::encode_reply(reply));
    REQUIRE(decoded.ok());
    REQUIRE(decoded->deferred.size() == 1);
    CHECK(decoded->deferred[0].id == "c");
    CHECK(decoded->deferred[0].reason == reply.deferred[0].reason);

    auto old_server = protocol::decode_reply(R"({"accepted":["a"],"rejected":[]})");
    REQUIRE(old_server.ok());
    CHECK(old_server->deferred.empty());
}
