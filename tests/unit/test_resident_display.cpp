// Text size and contrast belong to the resident: they work on every screen and are gone for the next one.
#include <doctest/doctest.h>

#include <chrono>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/flow/resident_flow.hpp"

using namespace buurtstem;
using namespace std::chrono_literals;

namespace {

Consultation one_question() {
    auto parsed = parse_consultation(R"toml(format = 1
id = "weergave"
version = 1
languages = ["nl", "ar"]
title.nl = "Proef"
title.ar = "تجربة"

[[question]]
id = "vraag"
type = "free_text"
text.nl = "Uw idee"
text.ar = "فكرتك"
)toml",
                                     "weergave.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    return std::move(parsed).value();
}

} // namespace

TEST_CASE("text size and contrast change on any screen and reset with the resident") {
    const Consultation c = one_question();
    ResidentFlow flow(c, FlowTimings{60s, 20s, 10s});
    Moment now = Moment::now();
    auto send = [&](FlowEventType type, std::string value = {}) {
        flow.handle({type, std::move(value)}, now);
    };

    CHECK(flow.display().text_size == 0);
    CHECK_FALSE(flow.display().high_contrast);
    send(FlowEventType::SetTextSize, "2");
    send(FlowEventType::ToggleContrast);
    send(FlowEventType::ChooseLanguage, "ar");
    CHECK(flow.display().text_size == 2);
    CHECK(flow.display().high_contrast);
    send(FlowEventType::SetTextSize, "3"); // out of range: ignored
    send(FlowEventType::SetTextSize, "x");
    CHECK(flow.display().text_size == 2);

    send(FlowEventType::Start);
    send(FlowEventType::SetTextSize, "1"); // on a question too
    CHECK(flow.display().text_size == 1);
    CHECK(flow.screen() == Screen::Question);
    send(FlowEventType::Answer, "meer bankjes");
    send(FlowEventType::Next);
    REQUIRE(flow.screen() == Screen::Saving);
    flow.saved(now);
    REQUIRE(flow.screen() == Screen::Thanks);
    CHECK(flow.display().text_size == 1); // still theirs while they read the thank-you
    send(FlowEventType::ThanksDone);
    CHECK(flow.screen() == Screen::Start);
    CHECK(flow.display().text_size == 0);
    CHECK_FALSE(flow.display().high_contrast);
    CHECK(flow.language() == "nl");

    // After the inactivity reset on a question.
    send(FlowEventType::ToggleContrast);
    send(FlowEventType::SetTextSize, "2");
    send(FlowEventType::Start);
    now = now.plus(61s);
    flow.tick(now);
    now = now.plus(21s);
    flow.tick(now);
    CHECK(flow.screen() == Screen::Start);
    CHECK(flow.display().text_size == 0);
    CHECK_FALSE(flow.display().high_contrast);

    // Left chosen on the start screen by someone who walked away.
    send(FlowEventType::SetTextSize, "1");
    now = now.plus(81s);
    flow.tick(now);
    CHECK(flow.display().text_size == 0);
}

TEST_CASE("a quick poll's text size and contrast left behind go back to the defaults, with a deadline") {
    auto parsed = parse_consultation(R"toml(format = 1
id = "peiling"
version = 1
languages = ["nl"]
quick = true
title.nl = "Snel"

[[question]]
id = "weet"
type = "yes_no"
text.nl = "Weet u het?"
)toml",
                                     "peiling.toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
    const Consultation c = std::move(parsed).value();
    ResidentFlow flow(c, FlowTimings{60s, 20s, 10s});
    Moment now = Moment::now();
    REQUIRE(flow.screen() == Screen::Question);
    CHECK_FALSE(flow.next_deadline(now).has_value()); // nothing left behind: the loop may sleep
    flow.handle({FlowEventType::SetTextSize, "2"}, now);
    flow.handle({FlowEventType::ToggleContrast, {}}, now);
    REQUIRE(flow.next_deadline(now).has_value());
    CHECK(*flow.next_deadline(now) == now.steady + 80s);
    now = now.plus(79s);
    flow.tick(now);
    CHECK(flow.display().text_size == 2);
    now = now.plus(1s);
    flow.tick(now);
    CHECK(flow.display().text_size == 0);
    CHECK_FALSE(flow.display().high_contrast);
    CHECK(flow.screen() == Screen::Question);
    CHECK_FALSE(flow.next_deadline(now).has_value());
}
