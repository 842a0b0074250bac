#!/usr/bin/env bash
# Fuzzes every parser that reads outside input (upload bodies, server replies, consultation files)
# with libFuzzer + AddressSanitizer + UBSan, each for $1 seconds (default 60). Needs clang and
# libclang-rt-14-dev, which this script installs. Findings land in build-fuzz/findings/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
build="$root/build-fuzz"

"$root/deploy/install-deps.sh"
if ! command -v clang++-14 >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "ok installed"; then
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y -qq clang-14 libclang-rt-14-dev
fi
CXX=clang++-14 cmake -S "$root" -B "$build" -DBUURTSTEM_FUZZ=ON -DBUURTSTEM_BUILD_KIOSK=OFF \
  -DBUURTSTEM_BUILD_TESTS=OFF -DBUURTSTEM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzz_upload_batch fuzz_upload_reply fuzz_consultation fuzz_bundle

mkdir -p "$build/findings"
run() {
  local target=$1 seeds=$2
  local corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target, ${seconds}s"
  "$build/tests/fuzz/$target" "$corpus" "$seeds" -max_total_time="$seconds" -max_len=65536 \
    -artifact_prefix="$build/findings/$target-" -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)" || true
}
run fuzz_upload_batch "$root/tests/fuzz/corpus/batch"
run fuzz_upload_reply "$root/tests/fuzz/corpus/batch"
run fuzz_bundle "$root/tests/fuzz/corpus/bundle"
run fuzz_consultation "$root/tests/fuzz/corpus/consultation"
if compgen -G "$build/findings/*" >/dev/null; then
  echo "fuzz: findings in $build/findings" >&2
  exit 1
fi
echo "fuzz: no findings"
