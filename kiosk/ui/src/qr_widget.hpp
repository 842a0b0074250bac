// A QR code drawn as ImGui rectangles (libqrencode makes the modules), for the address of the public
// results page on the thank-you screen. No texture, so it is as sharp as the screen at any size.
#pragma once

#include <string>

#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

// Draws the QR code of `text` as a square of `size` pixels (a white quiet zone included) at the cursor,
// and records it in the automation map as `automation_id` with `text` as its label. Returns false and
// draws nothing when `text` cannot be encoded.
bool QrCode(KioskUiContext& ctx, const char* automation_id, const std::string& text, float size);

} // namespace buurtstem::ui
