#include "buurtstem/server/result_routes.hpp"

#include <nlohmann/json.hpp>

#include "buurtstem/core/clock.hpp"
#include "buurtstem/protocol/protocol.hpp"
#include "buurtstem/protocol/result_listing.hpp"

namespace buurtstem {

void add_result_routes(RouteTable& table, ServerStore& store, std::string result_secret_key,
                       std::function<void(const std::string&)> log) {
    Route route;
    route.method = "GET";
    route.path = std::string(kResultsPath);
    route.flags = RouteFlags_DeviceToken;
    route.handle = [&store, key = std::move(result_secret_key), log = std::move(log)](const HttpRequest&) {
        auto results = store.all_results();
        if (!results) {
            log("results: " + results.error().to_string());
            return HttpReply{
                503, "application/json", protocol::encode_error("results unavailable; try again later"), {}};
        }
        nlohmann::json items = nlohmann::json::array();
        // The signed listing of every result carried (result_listing.hpp): lets a kiosk drop the results
        // the server no longer has, and only when the whole list arrived and verified.
        result_listing::ResultListing listing{now_iso8601_utc(), {}};
        for (const ConsultationResult& result : *results) {
            listing.results.push_back({result.consultation_id, result.revision});
            auto signed_result = result_bundle::sign_result(result, key);
            if (!signed_result) {
                log("results: " + signed_result.error());
                return HttpReply{
                    503, "application/json", protocol::encode_error("results cannot be signed"), {}};
            }
            items.push_back(nlohmann::json::parse(result_bundle::encode_signed(*signed_result)));
        }
        auto signed_listing = result_listing::sign_listing(listing, key);
        if (!signed_listing) {
            log("results: " + signed_listing.error());
            return HttpReply{503, "application/json", protocol::encode_error("results cannot be signed"), {}};
        }
        return HttpReply{
            200,
            "application/json",
            nlohmann::json{{"results", items},
                           {"listing", nlohmann::json::parse(result_listing::encode_signed(*signed_listing))}}
                .dump(),
            {}};
    };
    table.add(std::move(route));
}

} // namespace buurtstem
