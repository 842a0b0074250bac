// encode_batch writes JSON straight into a string; it must give the very bytes the nlohmann document
// (encode_batch_dom) gives, for plain text and for every kind of text that needs escaping. And gzip /
// gunzip round-trip, with the output cap holding.
#include <doctest/doctest.h>

#include "buurtstem/protocol/gzip.hpp"
#include "buurtstem/protocol/protocol.hpp"

using namespace buurtstem;

namespace {

CompletedResponse response(std::string value) {
    return {"6b0549a4-ed7b-4d92-a6ab-196aa5f796c9",
            "minimaregelingen-ijmond",
            3,
            "kiosk-bibliotheek-velsen",
            "nl",
            "2026-11-24T10:02:11Z",
            "2026-11-24T10:05:40Z",
            {{"kent-regelingen", "een-paar"}, {"ideeen", std::move(value)}, {"leeg", ""}}};
}

} // namespace

TEST_CASE("encode_batch gives the bytes of the JSON document, escapes included") {
    const std::vector<std::string> values = {
        "Meer uitleg in het buurthuis",
        "quote \" and backslash \\ and slash /",
        "line\nbreak, tab\t, bell\a, NUL in the middle: " + std::string(1, '\0') + " end",
        "DEL \x7f and C1 \xc2\x85",
        "één café, Türkçe ğ, عربي, emoji \xf0\x9f\x98\x80",
        "invalid UTF-8: \xff\xfe and cut \xe2\x82",
        "",
    };
    protocol::UploadBatch batch{"kiosk-bibliotheek-velsen", {}};
    for (const std::string& value : values) {
        batch.responses.push_back(response(value));
        const protocol::UploadBatch one{"kiosk-bibliotheek-velsen", {response(value)}};
        CHECK(protocol::encode_batch(one) == protocol::encode_batch_dom(one));
    }
    CHECK(protocol::encode_batch(batch) == protocol::encode_batch_dom(batch));
    const protocol::UploadBatch empty{"kiosk-a", {}};
    CHECK(protocol::encode_batch(empty) == protocol::encode_batch_dom(empty));
    // And it reads back: the valid ones decode to what was encoded.
    auto decoded = protocol::decode_batch(protocol::encode_batch({"kiosk-a", {response("Meer uitleg")}}));
    REQUIRE(decoded);
    REQUIRE(decoded->responses.size() == 1);
    CHECK(decoded->responses[0].answers[1].value == "Meer uitleg");
}

TEST_CASE("gzip and gunzip round-trip, and gunzip never inflates past its cap") {
    const std::string text = protocol::encode_batch({"kiosk-a", {response("Meer uitleg in het buurthuis")}});
    const std::string packed = protocol::gzip(text);
    CHECK(packed.size() < text.size());
    auto back = protocol::gunzip(packed, text.size());
    REQUIRE(back);
    CHECK(*back == text);
    CHECK(protocol::gunzip(protocol::gzip(""), 0).value() == "");

    auto over = protocol::gunzip(packed, text.size() - 1);
    REQUIRE_FALSE(over);
    CHECK(over.error().kind == protocol::InflateError::Kind::TooLarge);

    // 64 MiB of zeros packed into ~64 KiB: refused at a 1 MiB cap.
    const std::string bomb = protocol::gzip(std::string(64 * 1024 * 1024, '\0'));
    CHECK(bomb.size() < 1024 * 1024);
    auto exploded = protocol::gunzip(bomb, 1024 * 1024);
    REQUIRE_FALSE(exploded);
    CHECK(exploded.error().to_string() == "gzip body inflates to more than 1048576 bytes");

    CHECK(protocol::gunzip("{\"not\": \"gzip\"}", 1024).error().kind ==
          protocol::InflateError::Kind::NotGzip);
    CHECK(protocol::gunzip(packed.substr(0, packed.size() / 2), 1024).error().to_string() ==
          "gzip data is cut off");
    CHECK(protocol::gunzip(packed + "x", 1024).error().to_string() ==
          "1 bytes after the end of the gzip data");
}
