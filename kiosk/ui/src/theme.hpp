#pragma once

#include <imgui.h>

#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

struct Palette {
    ImU32 background;
    ImU32 text;
    ImU32 primary; // main action buttons
    ImU32 primary_text;
    ImU32 surface; // answer cards
    ImU32 outline;
    ImU32 selected_fill; // a chosen answer
    ImU32 selected_outline;
    ImU32 muted_text; // hints, progress
};

Palette GetPalette(KioskDisplayFlags flags);

} // namespace buurtstem::ui
