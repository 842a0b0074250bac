// The responses the bench stores, sends and exports (bench_main.cpp, export_figures.cpp): the demo
// consultation's, every question answered, so the server checks them as it checks a kiosk's.
#pragma once

#include <cstddef>
#include <string>

#include "buurtstem/consultation/response.hpp"

namespace buurtstem::bench {

inline constexpr const char* kConsultation = "minimaregelingen-ijmond";
inline constexpr const char* kDevice = "kiosk-bench";

// Response number `i`, completed at `now`: its answers vary with `i`, its size hardly.
CompletedResponse bench_response(size_t i, const std::string& now);

} // namespace buurtstem::bench
