// The drawing end of the kiosk's one text pipeline:
//   translated text (assets/i18n, the consultation; LOGICAL order)
//   -> wrapped at spaces in logical order (text_wrap.hpp, measuring each candidate line SHAPED)
//   -> each line shaped and reordered (kiosk/text shape_line: FriBidi) -> drawn (widgets.cpp DrawLabel)
//   -> the automation map and speech get the same logical string.
// The reading direction is the resident's language's, set once per frame by DrawKiosk.
#pragma once

#include <string>
#include <string_view>

#include "buurtstem/text/layout.hpp"

namespace buurtstem::ui {

void SetTextDirection(text::Direction direction);
text::Direction TextDirection();
inline bool RightToLeft() {
    return TextDirection() == text::Direction::RightToLeft;
}

// While alive, text is shaped in `direction` (a language button's name in its own language's direction).
class ScopedTextDirection {
public:
    explicit ScopedTextDirection(text::Direction direction) : saved_(TextDirection()) {
        SetTextDirection(direction);
    }
    ~ScopedTextDirection() { SetTextDirection(saved_); }
    ScopedTextDirection(const ScopedTextDirection&) = delete;
    ScopedTextDirection& operator=(const ScopedTextDirection&) = delete;

private:
    text::Direction saved_;
};

// One line of logical text as it is drawn: shaped and in visual order. Left-to-right text without
// right-to-left letters comes back as it is, without a copy. Cached (the kiosk draws the same texts
// frame after frame); the view stays valid until the next NewTextFrame().
std::string_view Shaped(std::string_view logical);

// Called once per frame before any text is drawn: bounds the cache (a kiosk runs for weeks).
void NewTextFrame();

// UTF-8 for one code point (icon glyphs).
std::string Utf8(char32_t code_point);

} // namespace buurtstem::ui
