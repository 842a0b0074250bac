// Serving signed consultation bundles to kiosks (see bundle.hpp for what is signed and by whom).
//
//   GET /api/v1/consultations        {"consultations": [{"id", "version", "sha256"}]}   device token
//   GET /api/v1/consultations/<id>   the bundle file, as stored                         device token
//
// The folder is read at each request (a handful of small files), so a council drops a newly signed
// bundle in and kiosks see it at their next sync, without a restart. The server cannot sign: it holds
// no secret key, and a bundle it alters is refused by every kiosk.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "buurtstem/server/http_route.hpp"

namespace buurtstem {

inline constexpr std::string_view kConsultationsPath = "/api/v1/consultations";
// A bundle's file name in the bundles folder: "<id>.bundle.json".
inline constexpr std::string_view kBundleSuffix = ".bundle.json";

void add_consultation_routes(RouteTable& table, std::filesystem::path bundles_folder);

} // namespace buurtstem
