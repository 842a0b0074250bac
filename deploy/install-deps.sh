#!/usr/bin/env bash
# Installs every Debian package Buurtstem needs to build, run its demo and pass its tests.
# Idempotent: apt-get skips what is already there. Safe to run again after an upgrade.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang-format
  # kiosk window: Dear ImGui 1.86 (its libimgui.a holds the GLFW + OpenGL3 backends), GLFW, Mesa
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri libglx-mesa0
  # a font with Dutch diacritics (é, ë, ï, ...)
  fonts-dejavu-core
  # Arabic: joining, shaping and right-to-left reordering (kiosk/text); pictograms for answer options
  libfribidi-dev fonts-fork-awesome
  # image pictograms (common/consultation pictogram.cpp): stb_image, the libstb that libimgui-dev depends on
  libstb-dev
  # read-aloud: espeak-ng (voices for nl, en, tr, pl, ar) and pcaudio for the sound card
  libespeak-ng-dev espeak-ng-data libpcaudio-dev
  # storage, sync, server
  libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev openssl
  # `--db postgresql://...`: the client library; the server (initdb, pg_ctl) for the PostgreSQL tests and bench
  libpq-dev postgresql
  libmicrohttpd-dev nlohmann-json3-dev libtomlplusplus-dev libsodium-dev
  libgnutls28-dev zlib1g-dev
  # command lines (CLI11, header-only) and UTF-8 decoding (utfcpp, header-only)
  libcli11-dev libutfcpp-dev
  # enrolment codes as QR codes
  libqrencode-dev
  # XLSX exports (streamed, constant_memory)
  libxlsxwriter-dev
  # bench: would compressing uploads pay (zlib)
  zlib1g-dev
  # tests
  doctest-dev xvfb xauth xdotool imagemagick curl
  # window tests: the window-close test sends WM_DELETE_WINDOW as a window manager would
  libx11-dev
  # the export tests read XLSX back with a reader that is not ours
  python3-openpyxl
  # dashboard browser test: headless Chromium driven by Selenium (tests/browser)
  chromium chromium-driver python3-selenium
  # QR codes read back by a decoder that is not ours (the dashboard's enrolment code, the kiosk's thank-you screen)
  zbar-tools
  # the demo's self-driving mode reads the kiosk's screen map with python3
  python3
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
