#include "pictogram_texture.hpp"

#include <GL/gl.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>

#include "buurtstem/consultation/pictogram.hpp"

namespace buurtstem::ui {

namespace {

PictogramTexture Upload(const Pictogram& p) {
    GLint bound = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound); // the ImGui backend's binding, restored below
    GLuint texture = 0;
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    // Linear both ways: the image is drawn at about 1.4 font sizes, smaller or larger than its pixels.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, p.width, p.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, p.rgba.data());
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
    if (glGetError() != GL_NO_ERROR || texture == 0) {
        return {};
    }
    return {reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture)), p.width, p.height};
}

} // namespace

PictogramTexture GetPictogramTexture(const std::string& assets, const std::string& relative) {
    // Failures are kept too: a file that would not load is not read again every frame.
    static std::map<std::string, PictogramTexture> textures;
    const std::filesystem::path file = std::filesystem::path(assets) / relative;
    const auto found = textures.find(file.string());
    if (found != textures.end()) {
        return found->second;
    }
    PictogramTexture texture;
    // The loader checked the file when the consultation was loaded; it may have gone since.
    if (auto pictogram = load_pictogram(file)) {
        texture = Upload(*pictogram);
        if (!texture) {
            std::cerr << "buurtstem-kiosk: pictogram " << file.string()
                      << " could not be uploaded to the GPU\n";
        }
    } else {
        std::cerr << "buurtstem-kiosk: pictogram left out: " << pictogram.error() << "\n";
    }
    textures.emplace(file.string(), texture);
    return texture;
}

} // namespace buurtstem::ui
