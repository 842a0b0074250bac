#include <imgui.h>

#include <filesystem>

#include "buurtstem/ui/kiosk_ui.hpp"
#include "theme.hpp"

namespace buurtstem::ui {

Palette GetPalette(KioskDisplayFlags flags) {
    if (flags & KioskDisplayFlags_HighContrast) {
        return {IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255),       IM_COL32(0, 0, 0, 255),
                IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 255),
                IM_COL32(255, 214, 0, 255),   IM_COL32(0, 0, 0, 255),       IM_COL32(0, 0, 0, 255)};
    }
    // Warm paper background and dark ink: calm, readable in a bright community centre. Primary blue
    // has a contrast ratio above 7:1 against white text (WCAG AAA).
    return {IM_COL32(250, 247, 240, 255), IM_COL32(26, 26, 26, 255),    IM_COL32(11, 79, 122, 255),
            IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255), IM_COL32(60, 60, 60, 255),
            IM_COL32(255, 236, 170, 255), IM_COL32(11, 79, 122, 255),   IM_COL32(90, 90, 90, 255)};
}

void ApplyTheme(KioskDisplayFlags flags, float scale) {
    const Palette p = GetPalette(flags);
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    ImGui::StyleColorsLight(&style);
    style.WindowPadding = ImVec2(40, 32);
    style.FramePadding = ImVec2(20, 14);
    style.ItemSpacing = ImVec2(18, 18);
    style.FrameRounding = 14;
    style.WindowRounding = 0;
    style.WindowBorderSize = 0;
    style.FrameBorderSize = 2;
    style.ScrollbarSize = 28; // a finger must be able to grab it
    style.TouchExtraPadding = ImVec2(4, 4);
    style.ScaleAllSizes(scale);

    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(p.background);
    c[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(p.text);
    c[ImGuiCol_Border] = ImGui::ColorConvertU32ToFloat4(p.outline);
    c[ImGuiCol_FrameBg] = ImGui::ColorConvertU32ToFloat4(p.surface);
    c[ImGuiCol_Button] = ImGui::ColorConvertU32ToFloat4(p.primary);
    // Touch screens leave the "mouse" where the last finger was: a hover colour would then light up
    // whatever button appears there on the next screen. So hovered looks the same as normal.
    c[ImGuiCol_ButtonHovered] = c[ImGuiCol_Button];
    c[ImGuiCol_ButtonActive] = ImGui::ColorConvertU32ToFloat4(p.selected_outline);
}

} // namespace buurtstem::ui
