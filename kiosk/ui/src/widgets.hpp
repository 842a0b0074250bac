// Touch widgets: free functions in the style of ImGui's own (ImGui::Button, ImGui::Checkbox). Each
// returns true on the frame it was tapped and records itself in the automation map.
//
// Sizing rule (issue 8, "fits every screen"): every size derives from the window's SHORT side and the
// current font size, never from its height alone, so a portrait tablet gets the same finger-sized
// targets as a landscape one. min_target_px() is the one rule for tappable items: 88 px per 1080 px of
// the short side, in width and in height. Labels wrap at spaces only (text_wrap.hpp) and grow their
// item; a word wider than its item is drawn smaller rather than split.
//
// [SECTION] Index
//   Sizes
//   Screen and map
//   Buttons and answer cards
//   Layout helpers: button rows, answer lists, scroll region, navigation bar
//   Keyboard
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

//-----------------------------------------------------------------------------
// [SECTION] Sizes
//-----------------------------------------------------------------------------

// The window's short side in pixels (800 on both 1280x800 and 800x1280).
float ShortSide();
// Scales a design size (made for a screen whose short side is 800 px) to the current window.
float Px(float design_pixels);
// The smallest width and height of anything tappable: 88 px at a short side of 1080, 65 px at 800.
float min_target_px();
// The same for a window whose short side is `short_side` (before there is a window: fonts.cpp).
float MinTargetPx(float short_side);
// The height in pixels of the "A" on the text-size button `text_size` (0..2), small to large. fonts.cpp
// bakes the letter at exactly these sizes, so each button shows it sharp, not a scaled copy.
float TextSizeLetterPx(float short_side, int text_size);

//-----------------------------------------------------------------------------
// [SECTION] Screen and map
//-----------------------------------------------------------------------------

// Starts the full-screen window every screen draws into (cf. imgui_demo.cpp ShowExampleAppFullscreen).
void BeginScreen(const char* name, KioskUiContext& ctx, const std::string& automation_screen);
void EndScreen(KioskUiContext& ctx);

// How a label was laid out, for the automation map.
struct LabelLayout {
    int lines = 0;
    bool broke_word = false; // a word had to be split between letters (should never happen)
};

// Where an image pictogram was drawn on an item (w == 0: none).
struct ImageRect {
    float x = 0, y = 0, w = 0, h = 0;
};

// Adds the last item to the automation map.
void RecordItem(KioskUiContext& ctx, const char* automation_id, const std::string& label,
                bool selected = false, LabelLayout layout = {}, ImageRect image = {});

// Labels are LOGICAL text: every widget wraps them at spaces, then shapes and reorders each line for
// drawing (text_draw.hpp), and records the logical string in the map.

// Text that wraps at spaces within `width` (0: the rest of the content width), in `font` (null: current)
// and `color` (0: theme text).
void WrappedText(const std::string& text, ImFont* font = nullptr, ImU32 color = 0, float width = 0.0f);

// Height of `text` wrapped at spaces into `width` with the current font (font size shrunk as a label
// would be when a word does not fit).
float WrappedTextHeight(const std::string& text, float width);
// Width of the widest word of `text` in the current font.
float WidestWord(const std::string& text);
// Width of `text` on one line in the current font.
float TextWidth(const std::string& text);
// The inner padding of buttons and answer cards (derived from the font size).
float LabelPadding();

//-----------------------------------------------------------------------------
// [SECTION] Buttons and answer cards
//-----------------------------------------------------------------------------

enum ButtonFlags_ {
    ButtonFlags_None = 0,
    ButtonFlags_Primary = 1 << 0, // the one action that moves forward: filled
    ButtonFlags_Quiet = 1 << 1, // secondary actions (Back, Skip, Stop): outlined, so they draw less attention
    ButtonFlags_Disabled = 1 << 2,  // shown but not tappable (Next before a required answer)
    ButtonFlags_Selected = 1 << 3,  // the current choice (language): "selected" in the automation map
    ButtonFlags_ArrowDown = 1 << 4, // arrows at both ends pointing down ("more below"); the label between
    ButtonFlags_ArrowUp = 1 << 5,   // ... pointing up ("back to the top")
};
using ButtonFlags = int;

// A button with a label wrapped at spaces and centred. `size.x` <= 0 means the rest of the line
// (ImGui's convention); `size.y` == 0 means as tall as the wrapped label needs. Never smaller than
// min_target_px() in either direction.
bool BigButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, ImVec2 size,
               ButtonFlags flags = ButtonFlags_Primary);
// The height BigButton needs for `label` at `width`.
float ButtonHeight(const std::string& label, float width);
// The width a BigButton needs to show `label` on one line (at least min_target_px()).
float ButtonNaturalWidth(const std::string& label);

// An answer card: a round mark (filled when chosen), an optional pictogram (`icon`: the UTF-8 of an
// icon-font glyph, see OptionIcon; `image`: an option's "pictograms/NAME.png" under ctx.assets, which wins
// over the glyph when it loads) and the wrapped label. Height follows the text. Mirrored right to left.
bool ChoiceButton(KioskUiContext& ctx, const char* automation_id, const std::string& label, float width,
                  bool selected, const std::string& icon = {}, const std::string& image = {});
float ChoiceButtonHeight(const std::string& label, float width, bool has_icon = false);
// The UTF-8 glyph of a pictogram named in icons.hpp ("home"), or empty for an empty or unknown name.
std::string OptionIcon(const std::string& name);
// One face of the five-point scale, point 1 (very unhappy) to 5 (very happy), label underneath.
bool SmileyButton(KioskUiContext& ctx, const char* automation_id, int point, const std::string& label,
                  ImVec2 size, bool selected);

//-----------------------------------------------------------------------------
// [SECTION] Layout helpers
//-----------------------------------------------------------------------------

struct ButtonSpec {
    std::string id;
    std::string label;
    ButtonFlags flags = ButtonFlags_Primary;
    // When set, the label is in this language and shaped in its direction, whatever the screen's
    // language is ("العربية" on a Dutch start screen).
    std::string language = {};
};

// Buttons of one width side by side, as many per row as fit (wrapping to more rows), each as wide as the
// widest label needs. Returns the index tapped, or -1. `centred` centres each row.
int ButtonRows(KioskUiContext& ctx, const std::vector<ButtonSpec>& buttons, bool centred = false);
// The height ButtonRows will take for `buttons` at the current content width.
float ButtonRowsHeight(const std::vector<ButtonSpec>& buttons);

struct ChoiceSpec {
    std::string id; // automation id: "option.<id>"
    std::string label;
    bool selected = false;
    std::string icon = {};  // OptionIcon(...): a pictogram before the label, or empty
    std::string image = {}; // an option's image pictogram (drawn in place of `icon`), or empty

    bool has_pictogram() const { return !icon.empty() || !image.empty(); }
};
// Answer cards in one column, or two when one does not fit the height left and two do without
// splitting a word. Returns the index tapped, or -1.
int ChoiceList(KioskUiContext& ctx, const std::vector<ChoiceSpec>& choices);

// The five faces in a row when their labels fit beside each other, else as a list of cards (face left,
// label right). Right to left the row is mirrored: point 1 at the right. `answer` is the chosen point (0:
// none). Returns the point tapped, or 0.
int SmileyScale(KioskUiContext& ctx, const std::vector<std::string>& labels, int answer);

// A region `height` px tall whose content scrolls by dragging (touch) or the wheel, only when it does
// not fit. While there is more below, a bar at its bottom says so and scrolls down when tapped
// ("scroll.more" in the map); at the end it offers "scroll.top". A drag never counts as a tap.
void BeginScrollRegion(KioskUiContext& ctx, const char* id, float height);
void EndScrollRegion(KioskUiContext& ctx);

// A progress bar `size` big at the cursor, filled `fraction` (0..1) from the reading direction's start (the
// right for Arabic). In the map as the "progress" field (bar and fill rectangles): not tappable, so not an
// item.
void ProgressBar(KioskUiContext& ctx, float fraction, ImVec2 size);

// The bottom navigation bar: three slots (start, middle, end), each a button or a short message
// (`message_only`), on one row of equal widths; labels wrap within their slot. Returns the slot tapped
// (0, 1, 2) or -1.
struct NavSlot {
    std::string id; // empty: nothing in this slot
    std::string label;
    ButtonFlags flags = ButtonFlags_Quiet;
    bool message_only = false; // muted text, not a button (why Next is not there yet)
};
float NavBarHeight(const NavSlot (&slots)[3]);
int NavBar(KioskUiContext& ctx, const NavSlot (&slots)[3]);

//-----------------------------------------------------------------------------
// [SECTION] Keyboard
//-----------------------------------------------------------------------------

// Letters, digits, Dutch accents, space and erase; for a language with its own script (Arabic) that
// script's keys first, with a key to the Latin ones (keyboard_layout.hpp, ctx.keyboard_latin). Edits `text`
// in place (at most `max_length` code points); returns true when it changed. `shift` is the one-shot capital
// toggle, kept by the caller. Twelve keys a row where the width allows that at min_target_px(), else ten
// (with digits when the height allows); every key at least min_target_px() wide and high.
enum KeyboardFlags_ {
    KeyboardFlags_None = 0,
    KeyboardFlags_Contact = 1 << 0, // a phone number or e-mail: '@' in place of '!', and always the digits
};
using KeyboardFlags = int;
bool OnScreenKeyboard(KioskUiContext& ctx, std::string& text, int max_length, bool& shift,
                      KeyboardFlags flags = KeyboardFlags_None);
// The keyboard in the room left above a navigation bar `nav_height` high, for a form screen. Its shift
// state lives in ImGui's storage under `shift_id` (one per field where each should begin with a capital),
// starting on when `capital_first`. Returns true when `text` changed.
bool KeyboardAboveNav(KioskUiContext& ctx, std::string& text, int max_length, float nav_height,
                      const char* shift_id, bool capital_first, KeyboardFlags flags = KeyboardFlags_None);

} // namespace buurtstem::ui
