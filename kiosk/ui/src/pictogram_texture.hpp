// Image pictograms as GL textures: each file (an option's `image`, under the assets folder) decoded with
// load_pictogram (common/consultation pictogram.hpp) and uploaded once, on the frame that first draws it;
// kept for the kiosk's life (a consultation has a few dozen options at most). Main thread only, with the
// window's GL context current (as during any frame).
#pragma once

#include <imgui.h>

#include <string>

namespace buurtstem::ui {

struct PictogramTexture {
    ImTextureID id = ImTextureID{}; // zero: none (the file would not load; the reason went to stderr once)
    int width = 0;
    int height = 0;

    explicit operator bool() const { return id != ImTextureID{}; }
};

PictogramTexture GetPictogramTexture(const std::string& assets, const std::string& relative);

} // namespace buurtstem::ui
