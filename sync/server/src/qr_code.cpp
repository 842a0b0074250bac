#include "buurtstem/server/qr_code.hpp"

#include <qrencode.h>

#include <memory>

namespace buurtstem {

namespace {

struct QrDeleter {
    void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrPtr = std::unique_ptr<QRcode, QrDeleter>;

constexpr int kQuiet = 4; // the quiet zone scanners need around the symbol

Result<QrPtr, std::string> encode(const std::string& text) {
    QrPtr code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M));
    if (!code) {
        return fail("cannot make a QR code of '" + text + "'");
    }
    return code;
}

// Dark module at (x, y), counting the quiet zone as light.
bool dark(const QRcode& code, int x, int y) {
    if (x < 0 || y < 0 || x >= code.width || y >= code.width) {
        return false;
    }
    return (code.data[y * code.width + x] & 1) != 0;
}

} // namespace

Result<std::string, std::string> qr_svg(const std::string& text) {
    auto code = encode(text);
    if (!code) {
        return fail(code.error());
    }
    const int size = (*code)->width + 2 * kQuiet;
    std::string svg =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
        std::to_string(size) + " " + std::to_string(size) + "\" width=\"" + std::to_string(size * 8) +
        "\" height=\"" + std::to_string(size * 8) +
        "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        "<path fill=\"#000\" d=\"";
    for (int y = 0; y < (*code)->width; ++y) {
        for (int x = 0; x < (*code)->width; ++x) {
            if (dark(**code, x, y)) {
                svg += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
            }
        }
    }
    svg += "\"/>\n</svg>\n";
    return svg;
}

Result<std::string, std::string> qr_terminal(const std::string& text) {
    auto code = encode(text);
    if (!code) {
        return fail(code.error());
    }
    // Light background drawn as full blocks so the code scans on dark terminals too.
    const int w = (*code)->width;
    std::string out;
    for (int y = -kQuiet; y < w + kQuiet; y += 2) {
        for (int x = -kQuiet; x < w + kQuiet; ++x) {
            const bool top = dark(**code, x, y);
            const bool bottom = dark(**code, x, y + 1);
            out += top ? (bottom ? " " : "\u2584") : (bottom ? "\u2580" : "\u2588");
        }
        out += "\n";
    }
    return out;
}

} // namespace buurtstem
