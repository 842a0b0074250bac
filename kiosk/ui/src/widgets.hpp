// Touch widgets: free functions in the style of ImGui's own (ImGui::Button, ImGui::Checkbox). Each
// returns true on the frame it was tapped and records itself in the automation map.
#pragma once

#include <imgui.h>

#include <string>

#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

enum ButtonFlags_ {
    ButtonFlags_None = 0,
    ButtonFlags_Primary = 1 << 0, // the one action that moves forward: filled
    ButtonFlags_Quiet = 1 << 1, // secondary actions (Back, Skip, Stop): outlined, so they draw less attention
    ButtonFlags_Disabled = 1 << 2, // shown but not tappable (Next before a required answer)
    ButtonFlags_Selected = 1 << 3, // the current choice (a language): "selected" in the automation map
};
using ButtonFlags = int;

// Starts the full-screen window every screen draws into (cf. imgui_demo.cpp ShowExampleAppFullscreen).
void BeginScreen(const char* name, KioskUiContext& ctx, const std::string& automation_screen);
void EndScreen(KioskUiContext& ctx);

bool BigButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, ImVec2 size,
               ButtonFlags flags = ButtonFlags_Primary);
// An answer card: a round mark (filled when chosen), an optional pictogram (`icon`: the UTF-8 of an
// icon-font glyph, see IconGlyph) and the wrapped label. Height follows the text. Mirrored right to left.
bool ChoiceButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, float width,
                  bool selected, const std::string& icon = {});
// One face of the five-point scale, point 1 (very unhappy) to 5 (very happy), label underneath.
bool SmileyButton(KioskUiContext& ctx, const char* automation_id, int point, const std::string& label,
                  ImVec2 size, bool selected);
// Letters, digits, Dutch accents, space and erase. Edits `text` in place (at most `max_length` code
// points); returns true when it changed. `shift` is the one-shot capital toggle, kept by the caller.
bool OnScreenKeyboard(KioskUiContext& ctx, std::string& text, int max_length, bool& shift);

// Text that wraps at the window's right edge, in `font` (null: current) and `color` (0: theme text).
void WrappedText(const std::string& text, ImFont* font = nullptr, ImU32 color = 0);

// Adds the last item to the automation map.
void RecordItem(KioskUiContext& ctx, const char* automation_id, const std::string& label,
                bool selected = false);

// Scales a design size (made for an 800-pixel-high screen) to the current window.
float Px(float design_pixels);

} // namespace buurtstem::ui
