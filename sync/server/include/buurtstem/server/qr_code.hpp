// QR codes for enrolment codes (libqrencode), so a council officer can show the code on a phone or
// print it next to the kiosk's box.
#pragma once

#include <string>

#include "buurtstem/core/result.hpp"

namespace buurtstem {

// An SVG drawing of `text` as a QR code (error correction M, 4-module quiet zone).
[[nodiscard]] Result<std::string, std::string> qr_svg(const std::string& text);
// The same QR code for a terminal: two modules per character with half blocks, dark on light.
[[nodiscard]] Result<std::string, std::string> qr_terminal(const std::string& text);

} // namespace buurtstem
