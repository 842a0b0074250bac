// "You said, we did" to the kiosks (result_bundle.hpp; sync/PROTOCOL.md, "Results"):
//
//   GET /api/v1/results   {"results": [<signed result>, ...]}   device token
//
// Every consultation's result from the store, each signed at request time with the server's result key
// (`serve --result-key FILE`). A result is a few hundred bytes, so all of them go in one answer.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "buurtstem/server/http_route.hpp"
#include "buurtstem/server/server_store.hpp"

namespace buurtstem {

inline constexpr std::string_view kResultsPath = "/api/v1/results";

// `result_secret_key`: base64 Ed25519 secret key (the file `keygen` wrote). `log` hears a store error.
void add_result_routes(RouteTable& table, ServerStore& store, std::string result_secret_key,
                       std::function<void(const std::string&)> log);

} // namespace buurtstem
