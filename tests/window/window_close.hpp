// What a window manager does when a window's close button is clicked: a WM_DELETE_WINDOW client
// message to the window. Xvfb runs no window manager, so a test plays its part. Apart from the test
// files because Xlib's macros (None, Status, Bool) clash with doctest's and our names.
#pragma once

#include <string>

namespace buurtstem::test {

// Sends WM_DELETE_WINDOW to `window` (an X window id) on `display` (":N"). Returns false when the
// display cannot be opened or the event not sent.
bool send_wm_delete_window(const std::string& display, unsigned long window);

} // namespace buurtstem::test
