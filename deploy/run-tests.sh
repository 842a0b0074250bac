#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing, builds with warnings as
# errors, runs every test (unit, integration against the real server, the real kiosk window under Xvfb).
# Test screenshots end up in build/test-artifacts/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUURTSTEM_BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DBUURTSTEM_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j 2 --timeout 600
