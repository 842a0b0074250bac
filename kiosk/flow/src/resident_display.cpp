// The resident's display choices (text size, contrast): part of the flow because they are the
// resident's, like the language, and must be gone for the next one. reset_to_start() clears them.
#include "buurtstem/flow/resident_flow.hpp"

namespace buurtstem {

bool ResidentFlow::on_display(const FlowEvent& event) {
    if (event.type == FlowEventType::SetTextSize) {
        // Anything but "0", "1" or "2" is ignored, like every other event that makes no sense.
        if (event.value.size() == 1 && event.value[0] >= '0' && event.value[0] < '0' + kResidentTextSizes) {
            display_.text_size = event.value[0] - '0';
        }
        return true;
    }
    if (event.type == FlowEventType::ToggleContrast) {
        display_.high_contrast = !display_.high_contrast;
        return true;
    }
    return false;
}

bool ResidentFlow::start_screen_dirty() const {
    return language_ != start_language() || display_.text_size != 0 || display_.high_contrast;
}

} // namespace buurtstem
