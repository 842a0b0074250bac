#include "text_draw.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <unordered_map>

namespace buurtstem::ui {

namespace {

text::Direction g_direction = text::Direction::LeftToRight;

struct LayoutCache {
    std::unordered_map<std::string, std::vector<std::string>> lines;
};

LayoutCache& cache() {
    static LayoutCache c;
    return c;
}

} // namespace

void SetTextDirection(text::Direction direction) {
    g_direction = direction;
}

text::Direction TextDirection() {
    return g_direction;
}

const std::vector<std::string>& LayoutLines(const std::string& logical, ImFont* font, float size,
                                            float width) {
    if (font == nullptr) {
        font = ImGui::GetFont();
    }
    // The key holds everything the result depends on. Whole pixels of width: a sub-pixel change of a
    // column must not fill the cache.
    std::string key = logical;
    key += '\x1f';
    key += std::to_string(reinterpret_cast<uintptr_t>(font));
    key += '/' + std::to_string(static_cast<int>(size * 4)) + '/' + std::to_string(static_cast<int>(width)) +
           (g_direction == text::Direction::RightToLeft ? "/r" : "/l");
    LayoutCache& c = cache();
    if (auto it = c.lines.find(key); it != c.lines.end()) {
        return it->second;
    }
    // A bounded cache: a kiosk runs for weeks and residents type free text. Dropping everything now and
    // then costs one re-layout per visible text.
    if (c.lines.size() > 2048) {
        c.lines.clear();
    }
    const text::Measure measure = [font, size](std::string_view s) {
        return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
    };
    auto lines = text::layout_paragraph(logical, g_direction, std::max(width, 1.0f), measure);
    return c.lines.emplace(std::move(key), std::move(lines)).first->second;
}

ImVec2 LinesSize(const std::vector<std::string>& lines, ImFont* font, float size) {
    float w = 0;
    for (const std::string& line : lines) {
        w = std::max(w, font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.c_str(), line.c_str() + line.size()).x);
    }
    return ImVec2(w, size * static_cast<float>(lines.size()));
}

void DrawLines(ImDrawList* draw, ImFont* font, float size, ImVec2 min, float width,
               const std::vector<std::string>& lines, ImU32 color, TextAlign align) {
    float y = min.y;
    for (const std::string& line : lines) {
        const float w = font->CalcTextSizeA(size, FLT_MAX, 0.0f, line.c_str(), line.c_str() + line.size()).x;
        float x = min.x;
        if (align == TextAlign_Center) {
            x = min.x + (width - w) * 0.5f;
        } else if (g_direction == text::Direction::RightToLeft) {
            x = min.x + width - w;
        }
        draw->AddText(font, size, ImVec2(x, y), color, line.c_str(), line.c_str() + line.size());
        y += size;
    }
}

std::string ShapeLabel(const std::string& logical) {
    return text::shape_line(logical, g_direction);
}

void Paragraph(const std::string& logical, ImFont* font, ImU32 color) {
    if (font == nullptr) {
        font = ImGui::GetFont();
    }
    const float size = font->FontSize;
    // Like ImGui::TextWrapped: wrap at a pushed wrap position (PushTextWrapPos), else at the edge.
    const float wrap = ImGui::GetCurrentWindow()->DC.TextWrapPos;
    const float width =
        wrap > 0.0f ? std::max(1.0f, wrap - ImGui::GetCursorPosX()) : ImGui::GetContentRegionAvail().x;
    const auto& lines = LayoutLines(logical, font, size, width);
    const ImVec2 min = ImGui::GetCursorScreenPos();
    DrawLines(ImGui::GetWindowDrawList(), font, size, min, width, lines, color, TextAlign_Start);
    ImGui::Dummy(ImVec2(width, size * static_cast<float>(lines.size())));
}

std::string Utf8(char32_t code_point) {
    return text::encode_utf8(std::u32string(1, code_point));
}

} // namespace buurtstem::ui
