// BUURTSTEM_STARTUP_TRACE=1: what the kiosk's start costs, step by step, on stderr. Each line gives the
// wall time since the trace was made (a global: before main()) and the CPU time of the whole process
// (every thread, and the dynamic loader's work before main() too), e.g.
//
//   buurtstem-kiosk: startup window open: +38.2 ms, CPU 61.0 ms (at 22028.8936 s)
//
// "at" is CLOCK_MONOTONIC, the clock of `perf record -k CLOCK_MONOTONIC`: it lines the steps up with a
// profile (perf script --time).
// The bench (bench/kiosk_figures.cpp) times launch to first frame; this says where that time goes.
// Off (one getenv) unless asked for.
#pragma once

#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace buurtstem {

class StartupTrace {
public:
    StartupTrace() : on_(std::getenv("BUURTSTEM_STARTUP_TRACE") != nullptr), start_(now(CLOCK_MONOTONIC)) {}

    void mark(const char* step) const {
        if (on_) {
            const double at = now(CLOCK_MONOTONIC);
            std::fprintf(stderr, "buurtstem-kiosk: startup %s: +%.1f ms, CPU %.1f ms (at %.4f s)\n", step,
                         at - start_, now(CLOCK_PROCESS_CPUTIME_ID), at / 1e3);
        }
    }

private:
    static double now(clockid_t clock) {
        timespec t{};
        clock_gettime(clock, &t);
        return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
    }
    bool on_;
    double start_;
};

} // namespace buurtstem
