// show-if over the wire: the real server refuses a response that answers a question its resident was never
// asked, alone, with the answer's path and the reason, and stores the rest of the batch.
#include <doctest/doctest.h>

#include "buurtstem/protocol/protocol.hpp"
#include "server_fixture.hpp"

using namespace buurtstem;
using namespace buurtstem::test;

TEST_CASE_FIXTURE(ServerFixture, "an answer to a question hidden by show-if is rejected with its path") {
    auto responses = demo_responses(3, device_id);
    // A kiosk drops such answers itself; this one was made by hand: "Nee" to "gebruikt", yet an answer to
    // "welke-gebruikt", which only follows a "Ja".
    responses[1].answers = {
        {"kent-regelingen", "nee"}, {"gebruikt", "nee"}, {"welke-gebruikt", "school,zorg"}};
    // The same follow-up after a "Ja" is fine.
    responses[2].answers = {
        {"kent-regelingen", "nee"}, {"gebruikt", "ja"}, {"welke-gebruikt", "school,zorg"}};

    const RawReply reply = post_raw(protocol::encode_batch({device_id, responses}), token);
    INFO("body: " << reply.body);
    REQUIRE(reply.status == 200);
    auto decoded = protocol::decode_reply(reply.body);
    REQUIRE(decoded.ok());
    CHECK(decoded->accepted == std::vector<std::string>{responses[0].id, responses[2].id});
    REQUIRE(decoded->rejected.size() == 1);
    CHECK(decoded->rejected[0].id == responses[1].id);
    CHECK(
        decoded->rejected[0].reason ==
        "answers[2]: question 'welke-gebruikt' is only asked when 'gebruikt' is 'ja'; this response answers "
        "'gebruikt' with 'nee'");
    CHECK(server_count() == 2);
}
