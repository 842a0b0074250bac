// The contact opt-in screens at the end of a consultation that asks for it (screen_contact.cpp): the
// question, then name and phone or e-mail on the on-screen keyboard. Map: screen "contact" (contact.yes,
// contact.no) and "contact-form" (contact.field.name|reach, key.X, contact.skip, contact.send); the map
// records the lengths typed, never the text.
#pragma once

#include <string>
#include <vector>

#include "buurtstem/flow/contact_flow.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

void DrawContact(const ContactFlow& flow, const std::string& language, KioskUiContext& ctx,
                 std::vector<ContactEvent>& events);

} // namespace buurtstem::ui
