// The kiosk's screens. DrawKiosk() draws whatever screen the ResidentFlow is on and appends the
// resident's taps to `events`; the caller applies them after the frame.
//
// Index of this library:
//   theme.cpp           colours (from kiosk/text appearance data, where a test checks contrast), sizes
//   fonts.cpp           DejaVu Sans baked at the resident's text size, the icon font merged in
//   text_draw.cpp       the drawing end of the text pipeline: shaped, right to left for Arabic
//   screen_toolbar.cpp  text size, contrast and the speaker on every screen
//   widgets.cpp         BigButton, ChoiceButton, SmileyButton, OnScreenKeyboard: free functions
//   automation.cpp      the optional map of tappable items for tests and assistive tools
//   screen_start.cpp    welcome, language choice
//   screen_question.cpp one question, navigation bar
//   questions/          the answer area of each question type, one file each, listed in registry.cpp
//   screen_thanks.cpp   thank-you
//   screen_messages.cpp idle warning, stop confirmation, saving/failed, broken consultation
#pragma once

#include <string>
#include <thread>
#include <vector>

#include "buurtstem/flow/resident_flow.hpp"
#include "buurtstem/i18n/catalog.hpp"
#include "buurtstem/ui/result_view.hpp"

struct ImFont;
struct ImFontAtlas;

namespace buurtstem::ui {

class AutomationLog;

// The theme of this frame. Text size is not a flag: it is the resident's (ResidentDisplay), in
// KioskUiContext::text_size.
enum KioskDisplayFlags_ {
    KioskDisplayFlags_None = 0,
    KioskDisplayFlags_HighContrast = 1 << 1, // black on white, yellow focus; for low vision and bright halls
};
using KioskDisplayFlags = int;

struct Fonts {
    ImFont* body = nullptr;  // questions, answers, buttons
    ImFont* title = nullptr; // screen titles
    ImFont* small = nullptr; // progress, hints for the volunteer
    // The letter "A" alone at each text size's button size (TextSizeLetterPx), for the text-size buttons:
    // three glyphs, where baking all three text sizes would cost megabytes (fonts.cpp).
    ImFont* size_letters[3] = {nullptr, nullptr, nullptr};
};

// Read-aloud as the UI sees it: the app copies the speech worker's snapshot in before each frame.
enum class SpeechView { Off, Idle, Preparing, Playing, Paused }; // Off: no speech on this kiosk

// Everything a frame needs besides the flow. Plain data; owned by the app.
struct KioskUiContext {
    const Catalog* texts = nullptr;
    Fonts fonts; // the fonts of the resident's text size (UpdateFonts)
    KioskDisplayFlags flags = KioskDisplayFlags_None;
    AutomationLog* automation = nullptr; // null unless --automation-file was given
    Moment now;
    std::string language = "nl"; // the resident's language this frame (set by DrawKiosk)
    // Set by a frame whose layout will change on the next one (a region found it overflows, a drag
    // scrolled): the frame loop should draw again without waiting for input. Reset by DrawKiosk.
    bool wants_redraw = false;
    SpeechView speech = SpeechView::Off;
    bool speak_tapped = false; // set by the speaker button; the app acts on it and clears it
    float top_bar_height = 0;  // set by DrawKiosk: screens begin below the toolbar strip (0: no strip)
    float top_row_reserve = 0; // set by DrawKiosk: the question screen's top row leaves this much free for
                               // the toolbar, at its end (the right; the left for Arabic)
    int text_size = 0;         // the resident's text size this frame, 0..2 (set by DrawKiosk)
    // For UpdateFonts: what to bake, and which text size the atlas holds now (-1: none yet).
    std::string font_file;
    std::string assets; // the assets folder: options' image pictograms are read from here
    std::string icon_font = "/usr/share/fonts/truetype/fork-awesome/forkawesome-webfont.ttf";
    float short_side = 800;
    int baked_text_size = -1;
    // "You said, we did": the start screen shows the text, the thank-you screen the QR code of the
    // public results page. Null: neither (no result pulled, no server address).
    const ResultView* result = nullptr;
    // The on-screen keyboard shows Latin keys although the resident's language has its own script (an
    // Arabic resident tapped "ABC"). Reset by DrawKiosk off the question screens: the next resident starts
    // in their own script.
    bool keyboard_latin = false;
};

void DrawKiosk(const ResidentFlow& flow, KioskUiContext& ctx, std::vector<FlowEvent>& events);

// Shown instead of the flow when the consultation file could not be loaded: a calm message for the
// resident, and the exact problem (file:line) in small print for the volunteer.
void DrawBrokenConsultation(const std::string& detail, KioskUiContext& ctx);

// Makes the font atlas hold DejaVu Sans (ctx.font_file) at text size `text_size` (0..2: 100, 150, 200 %
// of sizes that follow ctx.short_side), with the glyphs of the five languages (Arabic presentation forms
// included) and the pictograms of ctx.icon_font merged into the body and title fonts. Bakes and uploads
// only when the size changed: call before each frame, before ImGui_ImplOpenGL3_NewFrame. A missing text
// font leaves ImGui's built-in font (ctx.fonts empty); a missing icon font leaves the pictograms out.
void UpdateFonts(KioskUiContext& ctx, int text_size);

// The first frame's fonts (text size 0), baked on a thread of their own while the window and its GL
// context open: rasterising the glyphs is CPU work (stb_truetype) that would otherwise come on top of
// the window's opening, the floor the first frame is measured against (bench/). Only the upload needs
// GL; the ImGui backend does it on the first frame. Constructed from ctx.font_file, icon_font and the
// planned window's short_side; no ImGui context may exist until finish() (the bake uses none).
class FontPrebake {
public:
    explicit FontPrebake(const KioskUiContext& ctx);
    ~FontPrebake();
    FontPrebake(const FontPrebake&) = delete;
    FontPrebake& operator=(const FontPrebake&) = delete;

    // Waits for the bake; returns the atlas for ImGui::CreateContext (the caller owns it from then on)
    // and sets ctx.fonts. When the window's actual `short_side` differs, the atlas comes back empty and
    // UpdateFonts bakes before the first frame.
    ImFontAtlas* finish(KioskUiContext& ctx, float short_side);

private:
    std::string font_file_;
    std::string icon_font_;
    float short_side_ = 800;
    std::thread thread_;
    ImFontAtlas* atlas_ = nullptr;
    Fonts fonts_;
    long long ms_ = 0;
};
void ApplyTheme(KioskDisplayFlags flags, float scale);

} // namespace buurtstem::ui
