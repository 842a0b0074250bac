#include "qr_widget.hpp"

#include <imgui.h>
#include <qrencode.h>

#include <memory>
#include <vector>

#include "widgets.hpp"

namespace buurtstem::ui {

namespace {

struct QrModules {
    std::string text;
    int width = 0;                   // modules per side; 0: could not encode
    std::vector<unsigned char> dark; // width * width, row by row
};

// The modules of `text`, made once per text: a frame must not run the encoder every time.
const QrModules& modules_for(const std::string& text) {
    static QrModules cached;
    if (cached.text == text && (cached.width > 0 || text.empty())) {
        return cached;
    }
    cached = QrModules{text, 0, {}};
    // Level M: a phone still reads it with some glare or a smudge on the glass.
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                    &QRcode_free);
    if (code) {
        cached.width = code->width;
        cached.dark.resize(static_cast<size_t>(code->width) * static_cast<size_t>(code->width));
        for (size_t i = 0; i < cached.dark.size(); ++i) {
            cached.dark[i] = code->data[i] & 1;
        }
    }
    return cached;
}

} // namespace

bool QrCode(KioskUiContext& ctx, const char* automation_id, const std::string& text, float size) {
    const QrModules& qr = modules_for(text);
    if (qr.width == 0) {
        return false;
    }
    constexpr int kQuietZone = 4; // modules of white around the code, as the standard asks
    const int span = qr.width + 2 * kQuietZone;
    const float module =
        static_cast<float>(static_cast<int>(size / static_cast<float>(span))); // whole pixels
    const float side = module * static_cast<float>(span);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Always black on white, whatever the theme: a scanner expects dark modules on a light ground.
    draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(255, 255, 255, 255));
    for (int y = 0; y < qr.width; ++y) {
        for (int x = 0; x < qr.width; ++x) {
            if (qr.dark[static_cast<size_t>(y) * static_cast<size_t>(qr.width) + static_cast<size_t>(x)] ==
                0) {
                continue;
            }
            const ImVec2 a(origin.x + module * static_cast<float>(x + kQuietZone),
                           origin.y + module * static_cast<float>(y + kQuietZone));
            draw->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32(0, 0, 0, 255));
        }
    }
    ImGui::Dummy(ImVec2(side, side));
    RecordItem(ctx, automation_id, text);
    return true;
}

} // namespace buurtstem::ui
