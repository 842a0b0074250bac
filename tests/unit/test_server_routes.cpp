// The server's route modules called directly, as the transport calls them: no socket, a real SQLite
// store. What the transport adds (limits, deadlines) is tested over sockets in server_limits_test.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "buurtstem/consultation/consultation_loader.hpp"
#include "buurtstem/core/uuid.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/server/server_routes.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace buurtstem;
using buurtstem::test::TempDir;

namespace {

const std::string kDevice = "kiosk-wijkcentrum";

struct RoutesWorld {
    TempDir dir;
    std::unique_ptr<ServerStore> store;
    ConsultationCatalog catalog;
    std::string token;
    std::vector<std::string> log;
    RouteTable routes;

    RoutesWorld() {
        auto opened = open_sqlite_server_store((dir / "server.db").string());
        REQUIRE(opened.ok());
        store = std::move(opened).value();
        auto loaded = load_consultation_file(fs::path(BUURTSTEM_SOURCE_DIR) / "config" / "consultations" /
                                             "minimaregelingen.toml");
        REQUIRE(loaded.ok());
        catalog = ConsultationCatalog({std::move(loaded).value()});
        auto added = store->add_device(kDevice);
        REQUIRE(added.ok());
        token = *added;
        routes = server_routes(*store, catalog, [this](const std::string& line) { log.push_back(line); });
    }

    HttpRequest upload(const std::string& body, const std::string& bearer) const {
        HttpRequest rq;
        rq.method = "POST";
        rq.path = std::string(protocol::kUploadPath);
        if (!bearer.empty()) {
            rq.headers["authorization"] = "Bearer " + bearer;
        }
        rq.body = body;
        return rq;
    }
};

std::string batch_json(const std::string& device) {
    CompletedResponse r;
    r.id = new_uuid_v4();
    r.consultation_id = "minimaregelingen-ijmond";
    r.consultation_version = 1;
    r.device_id = device;
    r.language = "nl";
    r.started_at = "2026-11-24T13:05:09Z";
    r.completed_at = "2026-11-24T13:08:40Z";
    r.answers = {{"kent-regelingen", "ja-goed"}};
    return protocol::encode_batch(protocol::UploadBatch{device, {r}});
}

} // namespace

TEST_CASE("the server's routes: health without a token, uploads with one and a body limit") {
    RoutesWorld w;
    const Route* health = w.routes.find("GET", protocol::kHealthPath);
    REQUIRE(health != nullptr);
    CHECK(health->flags == RouteFlags_None);
    CHECK(health->max_body_bytes == 0);
    CHECK(health->handle(HttpRequest{}).body == R"({"status":"ok"})");

    const Route* upload = w.routes.find("POST", protocol::kUploadPath);
    REQUIRE(upload != nullptr);
    CHECK((upload->flags & RouteFlags_DeviceToken) != 0);
    CHECK(upload->max_body_bytes == protocol::kMaxBodyBytes);
    CHECK(w.routes.find("GET", protocol::kUploadPath) == nullptr);
    CHECK(w.routes.has_path(protocol::kUploadPath)); // so the transport answers 405, not 404
    CHECK_FALSE(w.routes.has_path("/api/v1/other"));
}

TEST_CASE("the device token check reads headers only: missing and unknown tokens are 401") {
    RoutesWorld w;
    const HeaderCheck check = device_token_check(*w.store, {});
    const auto missing = check(w.upload("", ""));
    REQUIRE(missing.has_value());
    CHECK(missing->status == 401);
    const auto unknown = check(w.upload("", "not-a-token"));
    REQUIRE(unknown.has_value());
    CHECK(unknown->status == 401);
    CHECK_FALSE(check(w.upload("", w.token)).has_value());
}

TEST_CASE("the upload route stores a batch, and refuses a malformed one or another device's") {
    RoutesWorld w;
    const Route* upload = w.routes.find("POST", protocol::kUploadPath);
    REQUIRE(upload != nullptr);

    const HttpReply stored = upload->handle(w.upload(batch_json(kDevice), w.token));
    CHECK(stored.status == 200);
    auto reply = protocol::decode_reply(stored.body);
    REQUIRE(reply.ok());
    CHECK(reply->accepted.size() == 1);
    CHECK(w.log.back() == "upload from " + kDevice + ": 1 accepted, 0 rejected");

    CHECK(upload->handle(w.upload("{not json", w.token)).status == 400);
    CHECK(upload->handle(w.upload(batch_json("kiosk-elders"), w.token)).status == 403);
    CHECK(upload->handle(w.upload(batch_json(kDevice), "")).status == 401);
    auto count = w.store->count_responses("");
    REQUIRE(count.ok());
    CHECK(*count == 1);
}
