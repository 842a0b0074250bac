// The sync protocol's JSON: what a kiosk encodes the server decodes unchanged, and every malformed
// upload is refused with the JSON path of the first problem, so a log line points at the field.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/protocol/protocol.hpp"

using namespace buurtstem;
using nlohmann::json;

namespace {

CompletedResponse make_response(int n) {
    CompletedResponse r;
    r.id = new_uuid_v4();
    r.consultation_id = "minimaregelingen-ijmond";
    r.consultation_version = 1;
    r.device_id = "kiosk-bibliotheek";
    r.language = "nl";
    r.started_at = "2026-11-24T13:05:09Z";
    r.completed_at = "2026-11-24T13:08:4" + std::to_string(n % 10) + "Z";
    r.answers = {{"kent-regelingen", "ja-goed"},
                 {"aanvragen-makkelijk", "4"},
                 {"ideeen", "Één loket; \"graag\" \\ met uitleg, in het Turks: Türkçe açıklama 👍"}};
    return r;
}

protocol::UploadBatch make_batch(size_t count) {
    protocol::UploadBatch batch;
    batch.device_id = "kiosk-bibliotheek";
    for (size_t i = 0; i < count; ++i) {
        batch.responses.push_back(make_response(static_cast<int>(i)));
    }
    return batch;
}

// Encodes a valid batch of two, lets `edit` break it, and decodes the result.
Result<protocol::UploadBatch, protocol::Error> decode_edited(const std::function<void(json&)>& edit) {
    json doc = json::parse(protocol::encode_batch(make_batch(2)));
    edit(doc);
    auto decoded = protocol::decode_batch(doc.dump());
    // A response refused alone (its id readable) counts here as the batch's first problem.
    if (decoded && !decoded->invalid.empty()) {
        return fail(decoded->invalid.front().error);
    }
    return decoded;
}

void check_same(const CompletedResponse& a, const CompletedResponse& b) {
    CHECK(a.id == b.id);
    CHECK(a.consultation_id == b.consultation_id);
    CHECK(a.consultation_version == b.consultation_version);
    CHECK(a.device_id == b.device_id);
    CHECK(a.language == b.language);
    CHECK(a.started_at == b.started_at);
    CHECK(a.completed_at == b.completed_at);
    REQUIRE(a.answers.size() == b.answers.size());
    for (size_t i = 0; i < a.answers.size(); ++i) {
        CHECK(a.answers[i].question_id == b.answers[i].question_id);
        CHECK(a.answers[i].value == b.answers[i].value);
    }
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("a batch survives encode and decode unchanged") {
    const protocol::UploadBatch batch = make_batch(3);
    const std::string body = protocol::encode_batch(batch);
    CHECK(json::parse(body).at("protocol") == protocol::kVersion);

    auto decoded = protocol::decode_batch(body);
    REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error().to_string()));
    CHECK(decoded.value().device_id == batch.device_id);
    REQUIRE(decoded.value().responses.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        check_same(decoded.value().responses[i], batch.responses[i]);
    }
}

TEST_CASE("an empty batch and a response without answers are valid") {
    protocol::UploadBatch empty = make_batch(0);
    auto decoded_empty = protocol::decode_batch(protocol::encode_batch(empty));
    REQUIRE(decoded_empty.ok());
    CHECK(decoded_empty.value().responses.empty());

    protocol::UploadBatch skipped = make_batch(1);
    skipped.responses[0].answers.clear();
    auto decoded = protocol::decode_batch(protocol::encode_batch(skipped));
    REQUIRE(decoded.ok());
    REQUIRE(decoded.value().responses.size() == 1);
    CHECK(decoded.value().responses[0].answers.empty());
}

TEST_CASE("a batch of exactly kMaxBatchSize is accepted, one more is refused") {
    auto full = protocol::decode_batch(protocol::encode_batch(make_batch(protocol::kMaxBatchSize)));
    REQUIRE_MESSAGE(full.ok(), (full.ok() ? "" : full.error().to_string()));
    CHECK(full.value().responses.size() == protocol::kMaxBatchSize);

    auto too_big = protocol::decode_batch(protocol::encode_batch(make_batch(protocol::kMaxBatchSize + 1)));
    REQUIRE_FALSE(too_big.ok());
    CHECK(too_big.error().where == "responses");
    CHECK(contains(too_big.error().message, std::to_string(protocol::kMaxBatchSize)));
}

TEST_CASE("a body that is not JSON is refused as a whole") {
    for (const char* body : {"", "{", "not json", "{\"protocol\": 1,}", "\xff\xfe"}) {
        CAPTURE(body);
        auto decoded = protocol::decode_batch(body);
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where.empty());
        CHECK(contains(decoded.error().message, "JSON"));
        CHECK(decoded.error().to_string() == decoded.error().message);
    }
    auto array = protocol::decode_batch("[1, 2]");
    REQUIRE_FALSE(array.ok());
    CHECK(array.error().where.empty());
    CHECK(contains(array.error().message, "object"));
}

TEST_CASE("a protocol version other than 1 is refused") {
    for (const json& version :
         {json(2), json(0), json(-1), json("1"), json(1.5), json(nullptr), json(int64_t{4294967297})}) {
        CAPTURE(version.dump());
        auto decoded = decode_edited([&](json& doc) { doc["protocol"] = version; });
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where == "protocol");
        CHECK(contains(decoded.error().message, "protocol version"));
    }
    auto missing = decode_edited([](json& doc) { doc.erase("protocol"); });
    REQUIRE_FALSE(missing.ok());
    CHECK(contains(missing.error().message, "missing field 'protocol'"));
}

TEST_CASE("a missing field is named with the path of the object that lacks it") {
    SUBCASE("top level") {
        auto decoded = decode_edited([](json& doc) { doc.erase("device_id"); });
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where.empty());
        CHECK(decoded.error().message == "missing field 'device_id'");
    }
    SUBCASE("in a response") {
        auto decoded = decode_edited([](json& doc) { doc["responses"][1].erase("completed_at"); });
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where == "responses[1]");
        CHECK(decoded.error().message == "missing field 'completed_at'");
        CHECK(decoded.error().to_string() == "responses[1]: missing field 'completed_at'");
    }
    SUBCASE("in an answer") {
        auto decoded =
            decode_edited([](json& doc) { doc["responses"][0]["answers"][2].erase("question_id"); });
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where == "responses[0].answers[2]");
        CHECK(decoded.error().message == "missing field 'question_id'");
    }
    SUBCASE("the responses list itself") {
        auto decoded = decode_edited([](json& doc) { doc.erase("responses"); });
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().message == "missing field 'responses'");
    }
}

TEST_CASE("a field of the wrong type is named by its full path") {
    struct Case {
        const char* name;
        std::function<void(json&)> edit;
        const char* where;
    };
    const Case cases[] = {
        {"answer value a number", [](json& d) { d["responses"][0]["answers"][1]["value"] = 4; },
         "responses[0].answers[1].value"},
        {"question id null", [](json& d) { d["responses"][1]["answers"][0]["question_id"] = nullptr; },
         "responses[1].answers[0].question_id"},
        {"answer not an object", [](json& d) { d["responses"][1]["answers"][2] = "ja"; },
         "responses[1].answers[2]"},
        {"answers not a list", [](json& d) { d["responses"][0]["answers"] = json::object(); },
         "responses[0].answers"},
        {"response not an object", [](json& d) { d["responses"][1] = 7; }, "responses[1]"},
        {"responses not a list", [](json& d) { d["responses"] = "alles"; }, "responses"},
        {"device id a number", [](json& d) { d["device_id"] = 12; }, "device_id"},
        {"language an array", [](json& d) { d["responses"][0]["language"] = json::array({"nl"}); },
         "responses[0].language"},
        {"version a string", [](json& d) { d["responses"][1]["consultation_version"] = "1"; },
         "responses[1].consultation_version"},
        {"version zero", [](json& d) { d["responses"][1]["consultation_version"] = 0; },
         "responses[1].consultation_version"},
        {"version fractional", [](json& d) { d["responses"][0]["consultation_version"] = 1.5; },
         "responses[0].consultation_version"},
        {"answer value too long",
         [](json& d) { d["responses"][0]["answers"][2]["value"] = std::string(70000, 'x'); },
         "responses[0].answers[2].value"},
        {"language too long", [](json& d) { d["responses"][1]["language"] = "nederlands"; },
         "responses[1].language"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        auto decoded = decode_edited(c.edit);
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where == c.where);
        CHECK_FALSE(decoded.error().message.empty());
        CHECK(decoded.error().to_string().rfind(std::string(c.where) + ": ", 0) == 0);
    }
}

TEST_CASE("a response id that is not a UUID is refused") {
    for (const char* id :
         {"", "42", "00000000-0000-4000-8000-00000000000", "00000000000040008000000000000000xxxx",
          "g0000000-0000-4000-8000-000000000000", "{00000000-0000-4000-8000-000000000000}"}) {
        CAPTURE(id);
        auto decoded = decode_edited([&](json& doc) { doc["responses"][1]["id"] = id; });
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().where == "responses[1].id");
        CHECK(contains(decoded.error().message, "UUID"));
    }
    // Upper case is a UUID, but not the one spelling an id may have.
    auto upper =
        decode_edited([](json& doc) { doc["responses"][0]["id"] = "ABCDEF01-2345-4678-89AB-CDEF01234567"; });
    REQUIRE_FALSE(upper.ok());
    CHECK(upper.error().to_string() == "responses[0].id: must be a UUID in lower case (one spelling per id)");
}

TEST_CASE("a time not in the form 2026-11-24T13:05:09Z is refused") {
    for (const char* time : {"2026-11-24 13:05:09", "2026-11-24T13:05:09", "2026-11-24T13:05:09+01:00",
                             "2026-11-24T13:05:09.123Z", "24-11-2026T13:05:09Z", "2026-11-24T25:05:09Z",
                             "2026-13-24T13:05:09Z", "gisteren", ""}) {
        CAPTURE(time);
        auto started = decode_edited([&](json& doc) { doc["responses"][0]["started_at"] = time; });
        REQUIRE_FALSE(started.ok());
        CHECK(started.error().where == "responses[0].started_at");
        CHECK(contains(started.error().message, "2026-11-24T13:05:09Z"));

        auto completed = decode_edited([&](json& doc) { doc["responses"][1]["completed_at"] = time; });
        REQUIRE_FALSE(completed.ok());
        CHECK(completed.error().where == "responses[1].completed_at");
    }
}

TEST_CASE("the first problem is the one reported") {
    auto decoded = decode_edited([](json& doc) {
        doc["responses"][0]["answers"][0]["value"] = false;
        doc["responses"][1]["id"] = "geen-uuid";
    });
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().where == "responses[0].answers[0].value");
}

TEST_CASE("a reply survives encode and decode unchanged") {
    protocol::UploadReply reply;
    reply.accepted = {new_uuid_v4(), new_uuid_v4()};
    reply.rejected = {{new_uuid_v4(), "'misschien' is not an option of question 'gebruikt'"}};
    auto decoded = protocol::decode_reply(protocol::encode_reply(reply));
    REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error().to_string()));
    CHECK(decoded.value().accepted == reply.accepted);
    REQUIRE(decoded.value().rejected.size() == 1);
    CHECK(decoded.value().rejected[0].id == reply.rejected[0].id);
    CHECK(decoded.value().rejected[0].reason == reply.rejected[0].reason);

    auto empty = protocol::decode_reply(protocol::encode_reply({}));
    REQUIRE(empty.ok());
    CHECK(empty.value().accepted.empty());
    CHECK(empty.value().rejected.empty());
}

TEST_CASE("a malformed reply is refused with the path of the problem") {
    auto not_json = protocol::decode_reply("<html>502 Bad Gateway</html>");
    REQUIRE_FALSE(not_json.ok());
    CHECK(not_json.error().where.empty());

    auto missing = protocol::decode_reply(R"({"accepted": []})");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "missing field 'rejected'");

    auto wrong_item = protocol::decode_reply(R"({"accepted": ["a", 3], "rejected": []})");
    REQUIRE_FALSE(wrong_item.ok());
    CHECK(wrong_item.error().where == "accepted");

    auto no_reason = protocol::decode_reply(R"({"accepted": [], "rejected": [{"id": "x"}]})");
    REQUIRE_FALSE(no_reason.ok());
    CHECK(no_reason.error().where == "rejected[0]");
    CHECK(no_reason.error().message == "missing field 'reason'");
}

TEST_CASE("error bodies are JSON with an error field") {
    const json body = json::parse(protocol::encode_error("token \"onbekend\""));
    CHECK(body.at("error") == "token \"onbekend\"");
}

TEST_CASE("times: the ISO form round-trips, and years that would overflow the clock are refused") {
    const auto now = std::chrono::system_clock::now();
    const std::string text = buurtstem::to_iso8601_utc(now);
    const auto parsed = buurtstem::parse_iso8601_utc(text);
    REQUIRE(parsed.has_value());
    CHECK(buurtstem::to_iso8601_utc(*parsed) == text);
    CHECK_FALSE(buurtstem::parse_iso8601_utc("9999-12-31T23:59:59Z").has_value()); // found by fuzzing
    CHECK_FALSE(buurtstem::parse_iso8601_utc("1970-01-01T00:00:00Z").has_value());
    CHECK_FALSE(buurtstem::parse_iso8601_utc("2026-11-24 13:05:09Z").has_value());
    CHECK_FALSE(buurtstem::parse_iso8601_utc("2026-11-24T13:05:09").has_value());
    CHECK_FALSE(buurtstem::parse_iso8601_utc("2026-02-30T00:00:00Z").has_value()); // no such day
    CHECK_FALSE(buurtstem::parse_iso8601_utc("2026-11-24T13:05:60Z").has_value());
    const auto fixed = buurtstem::parse_iso8601_utc("2026-11-24T13:05:09Z");
    REQUIRE(fixed.has_value());
    CHECK(std::chrono::system_clock::to_time_t(*fixed) == 1795525509);
}

TEST_CASE("channel, note and event travel unchanged, and are optional for kiosks from before them") {
    protocol::UploadBatch batch = make_batch(2);
    batch.responses[0].channel = Channel::Facilitated;
    batch.responses[0].note = "samen met tolk";
    batch.responses[0].event =
        ResponseEvent{new_uuid_v4(), "Buurtmarkt Zeewijk", "Zeewijk", "IJmuiden", "2026-11-24"};
    batch.responses[1].channel = Channel::Paper;
    auto decoded = protocol::decode_batch(protocol::encode_batch(batch));
    REQUIRE(decoded.ok());
    REQUIRE(decoded->invalid.empty());
    CHECK(decoded->responses[0].channel == Channel::Facilitated);
    CHECK(decoded->responses[0].note == "samen met tolk");
    REQUIRE(decoded->responses[0].event.has_value());
    CHECK(*decoded->responses[0].event == *batch.responses[0].event);
    CHECK(decoded->responses[1].channel == Channel::Paper);
    CHECK_FALSE(decoded->responses[1].event.has_value());

    // An upload from before issue 10 has none of the fields: kiosk channel, no event.
    auto old = decode_edited([](json& doc) {
        for (json& r : doc["responses"]) {
            r.erase("channel");
        }
    });
    REQUIRE(old.ok());
    CHECK(old->responses[0].channel == Channel::Kiosk);
}

TEST_CASE("a bad channel, note or event rejects that response with the JSON path") {
    const auto problem = [](const std::function<void(json&)>& edit) {
        auto decoded = decode_edited(edit);
        REQUIRE_FALSE(decoded.ok());
        return decoded.error().to_string();
    };
    const json event = {{"id", new_uuid_v4()},
                        {"name", "Markt"},
                        {"wijk", "Zeewijk"},
                        {"municipality", "IJmuiden"},
                        {"date", "2026-11-24"}};
    CHECK(problem([](json& d) { d["responses"][1]["channel"] = "telefoon"; }) ==
          "responses[1].channel: must be kiosk, facilitated or paper, not 'telefoon'");
    CHECK(problem([](json& d) { d["responses"][0]["note"] = "regel\nregel"; }) ==
          "responses[0].note: contains a line break (U+000A); answers are one line");
    CHECK(problem([&](json& d) {
              d["responses"][0]["event"] = event;
              d["responses"][0]["event"]["date"] = "2026-11-24T10:00:00Z";
          }) == "responses[0].event.date: is longer than 10 bytes");
    CHECK(problem([&](json& d) {
              d["responses"][0]["event"] = event;
              d["responses"][0]["event"]["date"] = "2026-13-01";
          }) == "responses[0].event.date: must be a day like 2026-11-24, not '2026-13-01'");
    CHECK(problem([&](json& d) {
              d["responses"][0]["event"] = event;
              d["responses"][0]["event"]["wijk"] = "Zee\u202Ewijk";
          }) == "responses[0].event.wijk: contains U+202E (right-to-left override)");
    CHECK(problem([&](json& d) {
              d["responses"][0]["event"] = event;
              d["responses"][0]["event"].erase("municipality");
          }) == "responses[0].event: missing field 'municipality'");
}

TEST_CASE("contacts: encode and decode, and a time instead of a day is refused") {
    protocol::ContactBatch batch{
        "kiosk-a", {{std::string(32, 'a'), "minimaregelingen-ijmond", "2026-11-24", "Sam", "06-1"}}};
    auto decoded = protocol::decode_contacts(protocol::encode_contacts(batch));
    REQUIRE(decoded.ok());
    CHECK(decoded->contacts == batch.contacts);
    batch.contacts[0].day = "2026-11-24T10:00";
    auto timed = protocol::decode_contacts(protocol::encode_contacts(batch));
    REQUIRE_FALSE(timed.ok());
    CHECK(timed.error().to_string().rfind("contacts[0].day: ", 0) == 0);
}
