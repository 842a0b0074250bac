#!/usr/bin/env bash
# kill -9 of the kiosk 1 000 times (or $1) during commit and sync, then of the server mid-batch, against
# the real server over loopback HTTPS; reports what was lost and what was doubled (both must be 0).
#
#   tests/fault/kill_loop.sh [iterations] [build-dir]      (defaults: 1000, build)
#
# ctest runs the same test cases with 100 kills (tests/integration/kill_test.cpp); this is the long run.
# BUURTSTEM_KILL_SEED=N repeats a run (a failure prints its seed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
iterations="${1:-1000}"
build="${2:-build}"
binary="$build/tests/buurtstem_integration_tests"
if [ ! -x "$binary" ]; then
  echo "kill_loop: $binary not found; build first (cmake --build $build)" >&2
  exit 2
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
echo "kill_loop: $iterations kills of the kiosk, then 12 of the server"
status=0
output="$(BUURTSTEM_KILL_ITERATIONS="$iterations" "$binary" --test-case="kill -9 of the*" 2>&1)" || status=$?
grep -E "kills;|kill test:|ERROR|BUURTSTEM_KILL_SEED|test cases" <<<"$output" | sed 's/^ *//' | uniq
if [ "$status" -ne 0 ]; then
  echo "kill_loop: FAILED; the whole output:" >&2
  echo "$output" >&2
fi
exit "$status"
