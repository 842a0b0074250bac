// DejaVu Sans baked at the resident's text size, with the pictograms merged in.
//
// Why baked and not scaled: a glyph rasterised at 30 px and drawn at 60 px is blurry, and the large text
// is for exactly the residents who see least well. Why one size at a time: all three in one atlas cost
// ~40 MB more peak memory and ~0.4 s more start-up at 1280x800; re-baking on a change takes 10-40 ms.
// Why these ranges: every glyph costs atlas memory three times (body/title/small), so only what the
// five languages draw is baked:
// Latin-1 and Latin Extended-A (Dutch, Turkish, Polish), general punctuation, €, the Arabic block (its
// letters, punctuation and digits) and Arabic Presentation Forms-B, which is all FriBidi's shaper produces
// for Arabic (Forms-A holds Persian/Urdu letters and rare ligatures the kiosk never emits). The icon font
// contributes only the glyphs named in icons.hpp.
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "buurtstem/consultation/icons.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"

namespace buurtstem::ui {

namespace {

// ImGui keeps a pointer to the ranges until the atlas is built: static storage. The ranges themselves
// are text::kTextGlyphRanges, where a unit test checks every shipped text against them.
const ImWchar* text_ranges() {
    static std::vector<ImWchar> ranges = [] {
        std::vector<ImWchar> r;
        for (const text::CodePointRange& range : text::kTextGlyphRanges) {
            r.push_back(static_cast<ImWchar>(range.first));
            r.push_back(static_cast<ImWchar>(range.last));
        }
        r.push_back(0);
        return r;
    }();
    return ranges.data();
}

const ImWchar* icon_ranges() {
    static std::vector<ImWchar> ranges = [] {
        std::vector<char32_t> points;
        for (const IconName& icon : kIcons) {
            points.push_back(icon.code_point);
        }
        points.insert(points.end(), {kIconSpeaker, kIconTextSize, kIconContrast});
        std::sort(points.begin(), points.end());
        points.erase(std::unique(points.begin(), points.end()), points.end());
        std::vector<ImWchar> r;
        for (char32_t cp : points) {
            r.push_back(static_cast<ImWchar>(cp));
            r.push_back(static_cast<ImWchar>(cp));
        }
        r.push_back(0);
        return r;
    }();
    return ranges.data();
}

ImFont* add_font(const std::string& file, const std::string& icons, float pixels, bool with_icons) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig config;
    // Horizontal oversampling (ImGui's default 3x) sharpens small text at sub-pixel positions; at the
    // kiosk's sizes (22 px and up) it is not visible, but it triples the atlas at nine sizes.
    config.OversampleH = 1;
    config.OversampleV = 1;
    ImFont* font = io.Fonts->AddFontFromFileTTF(file.c_str(), pixels, &config, text_ranges());
    if (font == nullptr || !with_icons || icons.empty()) {
        return font;
    }
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.OversampleH = 1;
    merge.OversampleV = 1;
    merge.PixelSnapH = true;
    merge.GlyphMinAdvanceX = pixels; // pictograms line up as squares
    io.Fonts->AddFontFromFileTTF(icons.c_str(), pixels, &merge, icon_ranges());
    return font;
}

} // namespace

namespace {

// Bakes the fonts of the text sizes in `which` into the (cleared) atlas.
FontSizes bake(const std::string& font_file, const std::string& icon_font, float window_height,
               const std::vector<int>& which) {
    FontSizes sizes;
    std::error_code ec;
    if (font_file.empty() || !std::filesystem::is_regular_file(font_file, ec)) {
        return sizes;
    }
    // ImGui aborts on an icon font it cannot open; check first and go without pictograms instead.
    const std::string icons = std::filesystem::is_regular_file(icon_font, ec) ? icon_font : std::string();
    // Rounding the atlas height up to a power of two (ImGui's default, for old GPUs) can nearly double
    // its memory. Every GL the kiosk runs on takes any height.
    ImGui::GetIO().Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    const float base = window_height / 800.0f;
    for (int i : which) {
        const float scale = base * text::kTextSizeScale[static_cast<size_t>(i)];
        Fonts& f = sizes[static_cast<size_t>(i)];
        f.body = add_font(font_file, icons, std::round(30.0f * scale), true);
        f.title = add_font(font_file, icons, std::round(42.0f * scale), true);
        f.small = add_font(font_file, icons, std::round(22.0f * scale), false);
        if (f.body == nullptr || f.title == nullptr || f.small == nullptr) {
            return FontSizes{};
        }
    }
    return sizes;
}

} // namespace

void UpdateFonts(KioskUiContext& ctx, int text_size) {
    text_size = std::clamp(text_size, 0, text::kTextSizeCount - 1);
    if (ctx.font_file.empty() || text_size == ctx.baked_text_size) {
        return;
    }
    // Only the resident's text size is in the atlas (see the top of this file). A size change re-bakes
    // between frames: 10-40 ms once, when the resident taps it.
    const bool texture_exists = ctx.baked_text_size >= 0;
    if (texture_exists) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
    }
    ImGui::GetIO().Fonts->Clear();
    ctx.font_sizes = bake(ctx.font_file, ctx.icon_font, ctx.window_height, {text_size});
    ctx.fonts = ctx.font_sizes[static_cast<size_t>(text_size)];
    ctx.baked_text_size = text_size;
    if (ctx.fonts.body == nullptr) {
        ctx.font_file.clear(); // the font is gone: stay with ImGui's own, and stop trying
        ImGui::GetIO().Fonts->AddFontDefault();
    }
    // Built here rather than lazily by the backend, so the cost shows in the log where it belongs.
    const auto started = std::chrono::steady_clock::now();
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Build();
    if (texture_exists) {
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    std::fprintf(stderr, "buurtstem-kiosk: fonts for text size %d baked in %lld ms (atlas %dx%d)\n",
                 text_size, static_cast<long long>(ms), io.Fonts->TexWidth, io.Fonts->TexHeight);
}

} // namespace buurtstem::ui
