// The invitation question after a consultation that asks for it: yes / no, a name and a phone number or
// e-mail address, and nothing left behind when a resident walks away or declines.
#include <doctest/doctest.h>

#include <chrono>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/flow/contact_flow.hpp"

using namespace buurtstem;
using namespace std::chrono_literals;

TEST_CASE("a phone number or an e-mail address, nothing else") {
    CHECK(looks_like_phone_or_email("06 1234 5678"));
    CHECK(looks_like_phone_or_email("+31 251 123456"));
    CHECK(looks_like_phone_or_email("an@voorbeeld.nl"));
    CHECK_FALSE(looks_like_phone_or_email("1234"));
    CHECK_FALSE(looks_like_phone_or_email("bel me"));
    CHECK_FALSE(looks_like_phone_or_email("an@voorbeeld"));
    CHECK_FALSE(looks_like_phone_or_email("@voorbeeld.nl"));
    CHECK_FALSE(looks_like_phone_or_email("an@@voorbeeld.nl"));
}

TEST_CASE("yes, a name and a phone number: sent once, then forgotten by the flow") {
    ContactFlow flow(60s);
    Moment now = Moment::now();
    CHECK_FALSE(flow.active());
    flow.begin(now);
    CHECK(flow.screen() == ContactScreen::Ask);
    flow.handle({ContactEventType::Yes, {}}, now);
    REQUIRE(flow.screen() == ContactScreen::Form);
    flow.handle({ContactEventType::Edit, "An"}, now);
    flow.handle({ContactEventType::Send, {}}, now); // no way to reach her yet
    CHECK(flow.active());
    flow.handle({ContactEventType::Focus, "reach"}, now);
    flow.handle({ContactEventType::Edit, "0612345678"}, now);
    CHECK(flow.can_send());
    flow.handle({ContactEventType::Send, {}}, now);
    CHECK_FALSE(flow.active());
    CHECK(flow.entry().name.empty()); // nothing left on screen for the next resident
    const auto sent = flow.take_submitted();
    REQUIRE(sent.has_value());
    CHECK(sent->name == "An");
    CHECK(sent->phone_or_email == "0612345678");
    CHECK_FALSE(flow.take_submitted().has_value());
}

TEST_CASE("no thank you, skip, or walking away keeps nothing") {
    ContactFlow flow(60s);
    Moment now = Moment::now();
    flow.begin(now);
    flow.handle({ContactEventType::No, {}}, now);
    CHECK_FALSE(flow.active());
    CHECK_FALSE(flow.take_submitted().has_value());

    flow.begin(now);
    flow.handle({ContactEventType::Yes, {}}, now);
    flow.handle({ContactEventType::Edit, "An"}, now);
    flow.handle({ContactEventType::Skip, {}}, now);
    CHECK_FALSE(flow.take_submitted().has_value());

    flow.begin(now);
    flow.handle({ContactEventType::Yes, {}}, now);
    flow.handle({ContactEventType::Edit, "Half getypt"}, now);
    now = now.plus(59s);
    flow.tick(now);
    CHECK(flow.active());
    now = now.plus(1s);
    flow.tick(now);
    CHECK_FALSE(flow.active());
    CHECK(flow.entry().name.empty());
    CHECK_FALSE(flow.take_submitted().has_value());
}

TEST_CASE("ask_contact in a consultation file is true or false") {
    const std::string base = R"toml(format = 1
id = "proef"
version = 1
languages = ["nl"]
title.nl = "Proef"
[[question]]
id = "a"
type = "yes_no"
text.nl = "Ja?"
)toml";
    auto asked = parse_consultation(base + "ask_contact = true\n", "proef.toml");
    CHECK_FALSE(asked.ok()); // after [[question]] the key belongs to the question: the loader says so
    auto top = parse_consultation("ask_contact = true\n" + base, "proef.toml");
    REQUIRE_MESSAGE(top.ok(), (top ? "" : top.error().to_string()));
    CHECK(top->ask_contact);
    auto plain = parse_consultation(base, "proef.toml");
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->ask_contact);
    auto bad = parse_consultation("ask_contact = \"ja\"\n" + base, "proef.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().to_string().find("'ask_contact' must be true or false") != std::string::npos);
}
