// The kiosk's screens. DrawKiosk() draws whatever screen the ResidentFlow is on and appends the
// resident's taps to `events`; the caller applies them after the frame.
//
// Index of this library:
//   theme.cpp           colours, sizes and fonts; large text / high contrast hooks (KioskDisplayFlags_)
//   widgets.cpp         BigButton, ChoiceButton, SmileyButton, OnScreenKeyboard: free functions
//   automation.cpp      the optional map of tappable items for tests and assistive tools
//   screen_start.cpp    welcome, language choice
//   screen_question.cpp one question, navigation bar
//   questions/          the answer area of each question type, one file each, listed in registry.cpp
//   screen_thanks.cpp   thank-you
//   screen_messages.cpp idle warning, stop confirmation, saving/failed, broken consultation
#pragma once

#include <string>
#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/i18n/catalog.hpp"

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

// Read-aloud as the UI sees it: the app copies the speech worker's snapshot in before each frame.
enum class SpeechView { Off, Idle, Preparing, Playing, Paused }; // Off: no speech on this kiosk

// Everything a frame needs besides the flow. Plain data; owned by the app.
struct KioskUiContext {
    const Catalog* texts = nullptr;
    Fonts fonts;
    KioskDisplayFlags flags = KioskDisplayFlags_None;
    AutomationLog* automation = nullptr; // null unless --automation-file was given
    Moment now;
    std::string language = "nl"; // the resident's language this frame (set by DrawKiosk)
    // Set by a frame whose layout will change on the next one (a region found it overflows, a drag
    // scrolled): the frame loop should draw again without waiting for input. Reset by DrawKiosk.
    bool wants_redraw = false;
    SpeechView speech = SpeechView::Off;
    bool speak_tapped = false;   // set by the speaker button; the app acts on it and clears it
    float top_bar_height = 0;    // set by DrawKiosk: screens begin below the bar with the speaker button
    float top_right_reserve = 0; // set by DrawKiosk: the question screen's top row leaves this much free
    // The on-screen keyboard shows Latin keys although the resident's language has its own script (an
    // Arabic resident tapped "ABC"). Reset by DrawKiosk off the question screens: the next resident starts
    // in their own script.
    bool keyboard_latin = false;
};

void DrawKiosk(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

// Shown instead of the flow when the consultation file could not be loaded: a calm message for the
// resident, and the exact problem (file:line) in small print for the volunteer.
void DrawBrokenConsultation(const std::string& detail, KioskUiContext& ctx);

// Loads DejaVu Sans with the glyphs Dutch and English need (é, ë, ï, ‘ ’, €), sized for the window's short
// side. Returns empty Fonts when the font file is missing; ImGui's built-in font is used then.
Fonts LoadFonts(const std::string& font_file, float short_side, KioskDisplayFlags flags);
void ApplyTheme(KioskDisplayFlags flags, float scale);

} // namespace buurtstem::ui
