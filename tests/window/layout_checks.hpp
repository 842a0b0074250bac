// Rule 1 of issue 8, "fits every screen", as checks on one automation map: shared by the residents'
// screens (layout_test.cpp) and the volunteer's (volunteer_test.cpp).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "kiosk_fixture.hpp"

namespace buurtstem::test {

struct Size {
    int w = 0, h = 0;
};

inline Size parse_size(const std::string& text) {
    Size s;
    char x = 0;
    std::istringstream(text) >> s.w >> x >> s.h;
    return s;
}

inline std::string describe(const MapItem& i) {
    std::ostringstream out;
    out << i.id << " at " << i.x << "," << i.y << " size " << i.w << "x" << i.h;
    return out.str();
}

// Every assertion of rule 1 on one map.
inline void check_layout(const ScreenMap& map, const Size& window, const std::string& where) {
    INFO(where << ", screen '" << map.screen << "'");
    REQUIRE_MESSAGE(!map.items.empty(), "nothing tappable on screen '" << map.screen << "'");
    const double min_target = 88.0 * std::min(window.w, window.h) / 1080.0;
    for (const MapItem& item : map.items) {
        CHECK_MESSAGE(item.x >= 0, describe(item) << " starts left of the window");
        CHECK_MESSAGE(item.y >= 0, describe(item) << " starts above the window");
        CHECK_MESSAGE(item.x + item.w <= window.w, describe(item) << " ends right of the window");
        CHECK_MESSAGE(item.y + item.h <= window.h, describe(item) << " ends below the window");
        // The map rounds to whole pixels: 65 px passes for 65.2 at a short side of 800.
        CHECK_MESSAGE(item.w + 0.5 >= min_target, describe(item)
                                                      << " is narrower than " << min_target << " px");
        CHECK_MESSAGE(item.h + 0.5 >= min_target, describe(item) << " is lower than " << min_target << " px");
        CHECK_MESSAGE(!item.broke_word, describe(item) << ": a word of '" << item.label << "' was split");
    }
    for (size_t a = 0; a < map.items.size(); ++a) {
        for (size_t b = a + 1; b < map.items.size(); ++b) {
            const MapItem& p = map.items[a];
            const MapItem& q = map.items[b];
            // One pixel of rounding on each side is not an overlap.
            const bool overlap =
                p.x < q.x + q.w - 1 && q.x < p.x + p.w - 1 && p.y < q.y + q.h - 1 && q.y < p.y + p.h - 1;
            CHECK_MESSAGE(!overlap, describe(p) << " overlaps " << describe(q));
        }
    }
}

} // namespace buurtstem::test
