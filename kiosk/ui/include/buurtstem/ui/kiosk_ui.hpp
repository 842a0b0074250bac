// The kiosk's screens. DrawKiosk() draws whatever screen the ResidentFlow is on and appends the
// resident's taps to `events`; the caller applies them after the frame.
//
// Index of this library:
//   theme.cpp           colours (from kiosk/text appearance data), sizes; high contrast (KioskDisplayFlags_)
//   fonts.cpp           DejaVu Sans baked at the three text sizes, icon font merged
//   text_draw.cpp       the drawing end of the text pipeline: wrapped, shaped, right to left for Arabic
//   screen_toolbar.cpp  text size, contrast (and the speaker) on every screen
//   widgets.cpp         BigButton, ChoiceButton, SmileyButton, OnScreenKeyboard: free functions
//   automation.cpp      the optional map of tappable items for tests and assistive tools
//   screen_start.cpp    welcome, language choice
//   screen_question.cpp one question, navigation bar
//   screen_thanks.cpp   thank-you
//   screen_messages.cpp idle warning, stop confirmation, saving/failed, broken consultation
#pragma once

#include <array>
#include <string>
#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "buurtstem/text/appearance.hpp"
#include "buurtstem/text/layout.hpp"

struct ImFont;

namespace buurtstem::ui {

class AutomationLog;

enum KioskDisplayFlags_ {
    KioskDisplayFlags_None = 0,
    KioskDisplayFlags_LargeText =
        1 << 0, // for residents who see less well; a button on the start screen later
    KioskDisplayFlags_HighContrast = 1 << 1, // black on white, yellow focus; for low vision and bright halls
};
using KioskDisplayFlags = int;

struct Fonts {
    ImFont* body = nullptr;  // questions, answers, buttons
    ImFont* title = nullptr; // screen titles
    ImFont* small = nullptr; // progress, hints for the volunteer
};

using FontSizes = std::array<Fonts, text::kTextSizeCount>;

// Everything a frame needs besides the flow. Plain data; owned by the app.
struct KioskUiContext {
    const Catalog* texts = nullptr;
    Fonts fonts;          // the fonts of the resident's text size this frame (set by DrawKiosk)
    FontSizes font_sizes; // [ctx.baked_text_size] holds the baked fonts (UpdateFonts); others are empty
    KioskDisplayFlags flags = KioskDisplayFlags_None;
    AutomationLog* automation = nullptr; // null unless --automation-file was given
    Moment now;
    std::string language = "nl"; // the resident's language this frame (set by DrawKiosk)
    text::Direction direction = text::Direction::LeftToRight; // of `language` (set by DrawKiosk)
    int text_size = 0;        // index into text::kTextSizeScale (set by DrawKiosk)
    float toolbar_height = 0; // the strip at the top that screens leave free (set by DrawKiosk)
    // For UpdateFonts: what to bake, and which text size the atlas holds now (-1: none yet).
    std::string font_file;
    std::string icon_font = "/usr/share/fonts/truetype/fork-awesome/forkawesome-webfont.ttf";
    float window_height = 800;
    int baked_text_size = -1;
};

void DrawKiosk(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

// Shown instead of the flow when the consultation file could not be loaded: a calm message for the
// resident, and the exact problem (file:line) in small print for the volunteer.
void DrawBrokenConsultation(const std::string& detail, KioskUiContext& ctx);

// Loads DejaVu Sans with the glyphs Dutch and English need (é, ë, ï, ‘ ’, €), sized for `window_height`.
// Returns empty Fonts when the font file is missing; ImGui's built-in font is used then.
Fonts LoadFonts(const std::string& font_file, float window_height, KioskDisplayFlags flags);
// DejaVu Sans at one of the three text sizes, baked (crisp, not scaled), with Latin-1, Latin Extended-A
// (Turkish, Polish), Arabic and its presentation forms, punctuation and €, and the pictograms of
// ctx.icon_font (Fork Awesome, icons.hpp) merged into the body and title fonts; a missing icon font
// leaves the pictograms out, a missing text font falls back to ImGui's built-in font.
// Call before each frame (before ImGui_ImplOpenGL3_NewFrame): makes the atlas hold the fonts of
// `text_size` (the resident's, flow.display().text_size) at ctx.font_file/window_height, re-baking and
// re-uploading the font texture only when the size changed. Sets ctx.fonts and ctx.font_sizes[text_size].
void UpdateFonts(KioskUiContext& ctx, int text_size);
inline constexpr const char* kDefaultIconFont =
    "/usr/share/fonts/truetype/fork-awesome/forkawesome-webfont.ttf";
void ApplyTheme(KioskDisplayFlags flags, float scale);

} // namespace buurtstem::ui
