#include <imgui.h>

#include "buurtstem/text/appearance.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"
#include "theme.hpp"

namespace buurtstem::ui {

namespace {

ImU32 to_imgui(text::Rgb c) {
    return IM_COL32(c.r, c.g, c.b, 255);
}

} // namespace

// The colours themselves live in kiosk/text (appearance.cpp), where a unit test checks their contrast.
Palette GetPalette(KioskDisplayFlags flags) {
    const text::PaletteData d = text::palette_data(
        (flags & KioskDisplayFlags_HighContrast) ? text::Theme::HighContrast : text::Theme::Normal);
    return {
        to_imgui(d.background), to_imgui(d.text),    to_imgui(d.primary),       to_imgui(d.primary_text),
        to_imgui(d.surface),    to_imgui(d.outline), to_imgui(d.selected_fill), to_imgui(d.selected_outline),
        to_imgui(d.muted_text)};
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
