// The outbox reads the packed answers column without a JSON parser when nothing in it is escaped; every
// kind of value must still come back exactly as committed, escaped or not.
#include <doctest/doctest.h>

#include "buurtstem/store/outbox.hpp"
#include "buurtstem/store/response_store.hpp"
#include "test_support.hpp"

using namespace buurtstem;

TEST_CASE("answers come out of the outbox exactly as they were committed, escaped or not") {
    const test::TempDir dir;
    const std::vector<std::string> values = {"een-paar",    "",
                                             "]",           "[",
                                             ",",           "Meer uitleg, in het \"buurthuis\"",
                                             "back\\slash", "één café ğ عربي",
                                             "x],[\"y",     "tab\there"};
    std::vector<CompletedResponse> committed;
    {
        auto store = ResponseStore::open(dir / "kiosk.sqlite");
        REQUIRE(store);
        for (size_t i = 0; i < values.size(); ++i) {
            CompletedResponse r{"6b0549a4-ed7b-4d92-a6ab-196aa5f796c" + std::to_string(i % 10),
                                "minimaregelingen-ijmond",
                                1,
                                "kiosk-a",
                                "nl",
                                "2026-11-24T10:02:11Z",
                                "2026-11-24T10:05:40Z",
                                {{"vraag-een", values[i]}, {"vraag-twee", "b"}}};
            REQUIRE(store->commit(r));
            committed.push_back(r);
        }
        CompletedResponse none{"6b0549a4-ed7b-4d92-a6ab-196aa5f796ca",
                               "minimaregelingen-ijmond",
                               1,
                               "kiosk-a",
                               "nl",
                               "2026-11-24T10:02:11Z",
                               "2026-11-24T10:05:40Z",
                               {}};
        REQUIRE(store->commit(none));
        committed.push_back(none);
    }
    auto outbox = Outbox::open(dir / "kiosk.sqlite");
    REQUIRE(outbox);
    auto batch = outbox->next_batch(100);
    REQUIRE(batch);
    REQUIRE(batch->size() == committed.size());
    for (size_t i = 0; i < committed.size(); ++i) {
        INFO("response " << i);
        REQUIRE((*batch)[i].answers.size() == committed[i].answers.size());
        for (size_t k = 0; k < committed[i].answers.size(); ++k) {
            CHECK((*batch)[i].answers[k].question_id == committed[i].answers[k].question_id);
            CHECK((*batch)[i].answers[k].value == committed[i].answers[k].value);
        }
    }
}
