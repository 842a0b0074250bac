#include "buurtstem/consultation/pictogram.hpp"

#include <stb_image.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <system_error>

namespace buurtstem {

std::optional<std::string> pictogram_path_problem(std::string_view relative) {
    constexpr std::string_view folder = "pictograms/";
    constexpr std::string_view extension = ".png";
    const std::string form = "must look like \"pictograms/NAME.png\" (NAME: lower-case letters, digits, "
                             "'-' or '_'), a file in the kiosk's assets folder";
    if (relative.size() <= folder.size() + extension.size() || relative.substr(0, folder.size()) != folder ||
        relative.substr(relative.size() - extension.size()) != extension) {
        return form;
    }
    const std::string_view name =
        relative.substr(folder.size(), relative.size() - folder.size() - extension.size());
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!allowed) {
            return form;
        }
    }
    return std::nullopt;
}

Result<Pictogram, std::string> load_pictogram(const std::filesystem::path& file) {
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(file, ec);
    if (ec) {
        return fail(file.string() + ": " + ec.message());
    }
    if (!std::filesystem::is_regular_file(status)) {
        return fail(file.string() + ": not a regular file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return fail(file.string() + ": " + std::strerror(errno));
    }
    // One byte over the limit tells "too large" without reading a huge file whole.
    std::vector<unsigned char> bytes(static_cast<size_t>(kMaxPictogramBytes) + 1);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(in.gcount()));
    if (bytes.size() > kMaxPictogramBytes) {
        return fail(file.string() + ": larger than " + std::to_string(kMaxPictogramBytes / 1024) +
                    " KiB; a pictogram needs far less");
    }
    static constexpr unsigned char kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.size() < sizeof kPngSignature ||
        std::memcmp(bytes.data(), kPngSignature, sizeof kPngSignature) != 0) {
        return fail(file.string() + ": not a PNG image (it does not begin with the PNG signature)");
    }
    const int size = static_cast<int>(bytes.size());
    int width = 0;
    int height = 0;
    int channels = 0;
    // The header first: the size is refused before any pixel is decoded.
    if (stbi_info_from_memory(bytes.data(), size, &width, &height, &channels) == 0) {
        return fail(file.string() + ": not a readable PNG image (" + stbi_failure_reason() + ")");
    }
    if (width > kMaxPictogramSide || height > kMaxPictogramSide) {
        return fail(file.string() + ": " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels, larger than the " + std::to_string(kMaxPictogramSide) + "x" +
                    std::to_string(kMaxPictogramSide) + " a pictogram may be");
    }
    const std::unique_ptr<unsigned char, void (*)(void*)> pixels(
        stbi_load_from_memory(bytes.data(), size, &width, &height, &channels, 4), stbi_image_free);
    if (pixels == nullptr) {
        return fail(file.string() + ": the PNG image does not decode (" + stbi_failure_reason() + ")");
    }
    Pictogram pictogram;
    pictogram.width = width;
    pictogram.height = height;
    pictogram.rgba.assign(pixels.get(),
                          pixels.get() + static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    return pictogram;
}

} // namespace buurtstem
