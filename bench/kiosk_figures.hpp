// The kiosk window's figures (idle CPU, launch to first frame, peak RSS), each beside a bare Dear ImGui +
// GLFW hello window measured in the same run. See kiosk_figures.cpp.
#pragma once

namespace buurtstem::bench {

struct KioskFigureOptions {
    bool run = true;    // --no-kiosk: skip them
    bool quick = false; // --quick: idle measured over 5 s instead of 30 s
    bool only = false;  // --only kiosk: these figures and no others (to iterate on the kiosk's start)
};

// Takes --quick, --no-kiosk and --only kiosk out of argv (so the other figures' arguments stay where they
// were).
KioskFigureOptions take_kiosk_figure_options(int& argc, char** argv);

// Prints `figure idle-cpu`, `figure first-frame` and `figure peak-rss`; starts Xvfb when there is no
// DISPLAY. Returns false (after saying why) when a program could not be measured.
bool print_kiosk_figures(const KioskFigureOptions& options);

} // namespace buurtstem::bench
