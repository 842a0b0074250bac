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
// The text-size buttons' "A" is baked alone at each button's size (three glyphs): drawn from the current
// size and scaled, the larger ones were blurry.
// Each font file is read once and shared by every size (ImGui would read and keep a copy per size).
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "buurtstem/consultation/icons.hpp"
#include "buurtstem/text/appearance.hpp"
#include "buurtstem/ui/kiosk_ui.hpp"
#include "widgets.hpp"

namespace buurtstem::ui {

static_assert(std::size(Fonts{}.size_letters) == text::kTextSizeCount, "one letter per text size");

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

// The bytes of a font file, read on first use and kept for the process: every size in the atlas (and
// every re-bake) reads them, and ImGui only reads them while it builds. Empty when unreadable.
const std::vector<char>& font_bytes(const std::string& file) {
    static std::mutex lock;
    static std::map<std::string, std::vector<char>> files; // node-based: references stay valid
    std::lock_guard<std::mutex> guard(lock);
    auto found = files.find(file);
    if (found == files.end()) {
        std::ifstream in(file, std::ios::binary);
        found = files.emplace(file, std::vector<char>(std::istreambuf_iterator<char>(in), {})).first;
    }
    return found->second;
}

ImFont* add_from(ImFontAtlas& atlas, const std::string& file, float pixels, ImFontConfig& config,
                 const ImWchar* ranges) {
    const std::vector<char>& bytes = font_bytes(file);
    if (bytes.empty()) {
        return nullptr;
    }
    config.FontDataOwnedByAtlas = false; // font_bytes keeps them; ImGui never writes to them
    // Horizontal oversampling (ImGui's default 3x) sharpens small text at sub-pixel positions; at the
    // kiosk's sizes (22 px and up) it is not visible, but it triples the atlas at nine sizes.
    config.OversampleH = 1;
    config.OversampleV = 1;
    return atlas.AddFontFromMemoryTTF(const_cast<char*>(bytes.data()), static_cast<int>(bytes.size()), pixels,
                                      &config, ranges);
}

ImFont* add_font(ImFontAtlas& atlas, const std::string& file, const std::string& icons, float pixels,
                 bool with_icons) {
    ImFontConfig config;
    ImFont* font = add_from(atlas, file, pixels, config, text_ranges());
    if (font == nullptr || !with_icons || icons.empty()) {
        return font;
    }
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.PixelSnapH = true;
    merge.GlyphMinAdvanceX = pixels; // pictograms line up as squares
    add_from(atlas, icons, pixels, merge, icon_ranges());
    return font;
}

} // namespace

namespace {

// Adds the fonts of text size `text_size` to the (cleared) `atlas`. Uses no ImGui context: the first
// bake runs on a thread of its own (FontPrebake).
Fonts bake(ImFontAtlas& atlas, const std::string& font_file, const std::string& icon_font, float short_side,
           int text_size) {
    std::error_code ec;
    if (font_file.empty() || !std::filesystem::is_regular_file(font_file, ec)) {
        return Fonts{};
    }
    // ImGui aborts on an icon font it cannot open; check first and go without pictograms instead.
    const std::string icons = std::filesystem::is_regular_file(icon_font, ec) ? icon_font : std::string();
    // Rounding the atlas height up to a power of two (ImGui's default, for old GPUs) can nearly double
    // its memory. Every GL the kiosk runs on takes any height.
    atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    // Sizes follow the window's short side (as every other size: widgets.hpp), times the resident's
    // text size. Tap targets do not grow with it (min_target_px): only the text does.
    const float scale = short_side / 800.0f * text::kTextSizeScale[static_cast<size_t>(text_size)];
    Fonts f;
    f.body = add_font(atlas, font_file, icons, std::round(30.0f * scale), true);
    f.title = add_font(atlas, font_file, icons, std::round(42.0f * scale), true);
    f.small = add_font(atlas, font_file, icons, std::round(22.0f * scale), false);
    if (f.body == nullptr || f.title == nullptr || f.small == nullptr) {
        return Fonts{};
    }
    // The text-size buttons' letters, at the button sizes (which follow the short side, not the text size).
    static const ImWchar kLetterA[] = {'A', 'A', 0};
    for (int i = 0; i < text::kTextSizeCount; ++i) {
        ImFontConfig config;
        f.size_letters[i] = add_from(atlas, font_file, TextSizeLetterPx(short_side, i), config, kLetterA);
    }
    return f;
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
    ctx.fonts = bake(*ImGui::GetIO().Fonts, ctx.font_file, ctx.icon_font, ctx.short_side, text_size);
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

FontPrebake::FontPrebake(const KioskUiContext& ctx)
    : font_file_(ctx.font_file), icon_font_(ctx.icon_font), short_side_(ctx.short_side) {
    thread_ = std::thread([this] {
        const auto started = std::chrono::steady_clock::now();
        atlas_ = IM_NEW(ImFontAtlas)();
        fonts_ = bake(*atlas_, font_file_, icon_font_, short_side_, 0);
        if (fonts_.body != nullptr) {
            atlas_->Build();
            // The RGBA copy the OpenGL backend uploads (it asks for it on the first frame, and gets this
            // one): made here, beside the window's opening, instead of on the first frame.
            unsigned char* pixels = nullptr;
            int w = 0;
            int h = 0;
            atlas_->GetTexDataAsRGBA32(&pixels, &w, &h);
        }
        ms_ =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                .count();
    });
}

FontPrebake::~FontPrebake() {
    if (thread_.joinable()) {
        thread_.join();
    }
    if (atlas_ != nullptr) {
        IM_DELETE(atlas_); // never handed over (the window did not open)
    }
}

ImFontAtlas* FontPrebake::finish(KioskUiContext& ctx, float short_side) {
    thread_.join();
    ImFontAtlas* atlas = std::exchange(atlas_, nullptr);
    if (fonts_.body == nullptr || short_side != short_side_) {
        // No font file (UpdateFonts falls back to ImGui's own), or the window came out another size than
        // asked for: bake again on the first frame, as on a text size change.
        ctx.short_side = short_side;
        ctx.baked_text_size = -1;
        ctx.fonts = Fonts{};
        atlas->Clear();
        return atlas;
    }
    ctx.fonts = fonts_;
    ctx.baked_text_size = 0;
    std::fprintf(
        stderr,
        "buurtstem-kiosk: fonts for text size 0 baked in %lld ms while the window opened (atlas %dx%d)\n",
        ms_, atlas->TexWidth, atlas->TexHeight);
    return atlas;
}

} // namespace buurtstem::ui
