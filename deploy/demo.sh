#!/usr/bin/env bash
# The demo: a local central server (HTTPS on 127.0.0.1) and the kiosk window on the demo consultation
# "Regelingen voor inwoners met een laag inkomen". Tap through it; each finished response is uploaded
# at once. Close the window (it asks for the volunteers' PIN, which the demo prints) or press Ctrl+C to see
# the council's CSV export.
#
# Without a display (a server, a container, CI) the demo runs the kiosk in Xvfb and taps through the
# consultation itself, then saves a screenshot: proof that the whole chain works on this machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUURTSTEM_BUILD_DIR:-$root/build}"
demo="$build/demo"
port="${BUURTSTEM_DEMO_PORT:-8443}"
consultation_id="minimaregelingen-ijmond"

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target buurtstem-kiosk buurtstem-server

server_bin="$build/sync/server/buurtstem-server"
kiosk_bin="$build/kiosk/app/buurtstem-kiosk"
mkdir -p "$demo/pki"

# A demo certificate authority and a server certificate for 127.0.0.1, made once. Only this demo's
# kiosk trusts it.
if [ ! -f "$demo/pki/server.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
    -keyout "$demo/pki/ca-key.pem" -out "$demo/pki/ca.pem" -subj "/CN=Buurtstem demo CA" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$demo/pki/server-key.pem" -out "$demo/pki/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$demo/pki/server.ext"
  openssl x509 -req -in "$demo/pki/server.csr" -CA "$demo/pki/ca.pem" -CAkey "$demo/pki/ca-key.pem" \
    -CAcreateserial -days 365 -out "$demo/pki/server.pem" -extfile "$demo/pki/server.ext" 2>/dev/null
fi

# Register the demo kiosk with the server once; the token stays in the demo folder.
if [ ! -f "$demo/kiosk.token" ]; then
  "$server_bin" add-device --db "$demo/server.sqlite" --device kiosk-demo --token-file "$demo/kiosk.token"
fi

# A dashboard login for the demo, made once: a random password, kept (owner-only) in the demo folder.
if [ ! -f "$demo/dashboard-login.txt" ]; then
  demo_password="$(openssl rand -hex 12)"
  printf '%s\n' "$demo_password" | "$server_bin" add-staff --db "$demo/server.sqlite" --user demo-beheer --role admin
  (umask 077; printf 'user: demo-beheer\npassword: %s\n' "$demo_password" > "$demo/dashboard-login.txt")
fi

cat > "$demo/kiosk.toml" <<TOML
# Written by deploy/demo.sh
device_id = "kiosk-demo"
consultation = "$root/config/consultations/minimaregelingen.toml"
database = "$demo/kiosk.sqlite"
assets = "$root/assets"

[sync]
server = "https://127.0.0.1:$port"
token_file = "$demo/kiosk.token"
ca_file = "$demo/pki/ca.pem"
interval_seconds = 10
TOML

# The volunteers' console: hold the top-left corner for 3 seconds, then type this PIN. The window also
# asks for it before it closes (Ctrl+C still ends the demo). Only its hash is stored (volunteer.pin).
demo_pin="${BUURTSTEM_DEMO_PIN:-1234}"
echo "$demo_pin" | "$kiosk_bin" --set-pin --config "$demo/kiosk.toml" >/dev/null
echo "demo: volunteers' PIN: $demo_pin (hold the top-left corner of the kiosk for 3 seconds)"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Start the server and wait for its "listening" line.
server_log="$demo/server.log"
: > "$server_log"
"$server_bin" serve --db "$demo/server.sqlite" --cert "$demo/pki/server.pem" --key "$demo/pki/server-key.pem" \
  --port "$port" --consultations "$root/config/consultations" > "$server_log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q "listening on" "$server_log" && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$server_log"; echo "demo: the server did not start" >&2; exit 1; }
  sleep 0.1
done
grep "listening on" "$server_log"
echo "demo: the council's dashboard: https://127.0.0.1:$port/ (demo login below; the browser does not know the"
echo "      demo CA: import $demo/pki/ca.pem as an authority, or accept the warning for this demo only)"
sed 's/^/      /' "$demo/dashboard-login.txt"
echo "      public results page: https://127.0.0.1:$port/r/$consultation_id"

autoplay=0
if [ -z "${DISPLAY:-}" ]; then
  autoplay=1
  echo "demo: no display found, so the kiosk runs in Xvfb and taps through the consultation by itself."
  exec {xvfb_fd}< <(exec Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
  pids+=($!)
  read -r -u "$xvfb_fd" display_number
  export DISPLAY=":$display_number"
fi

map="$demo/screen.json"
rm -f "$map"
"$kiosk_bin" --config "$demo/kiosk.toml" --automation-file "$map" &
kiosk_pid=$!
pids+=("$kiosk_pid")

if [ "$autoplay" = 1 ]; then
  # Tap an item of the kiosk's automation map by id, then wait for the screen to change.
  tap() {
    local before xy
    for _ in $(seq 1 100); do
      xy=$(python3 - "$map" "$1" <<'PY' 2>/dev/null || true
import json, sys
m = json.load(open(sys.argv[1]))
for it in m["items"]:
    if it["id"] == sys.argv[2]:
        print(it["x"] + it["w"] // 2, it["y"] + it["h"] // 2)
PY
)
      [ -n "$xy" ] && break
      sleep 0.1
    done
    [ -n "$xy" ] || { echo "demo: nothing to tap called $1" >&2; exit 1; }
    before=$(cat "$map")
    # shellcheck disable=SC2086
    xdotool mousemove $xy click 1
    for _ in $(seq 1 100); do [ "$(cat "$map" 2>/dev/null)" != "$before" ] && return 0; sleep 0.05; done
  }
  # Every question type of the demo, and its show-if: "ja" to "gebruikt" brings up "welke-gebruikt".
  for id in start.begin option.een-paar nav.next option.ja nav.next option.kortingspas nav.next \
            smiley.2 nav.next option.formulier-moeilijk option.taal nav.next scale.4 nav.next \
            rank.persoonlijk rank.buurthuis rank.brief rank.internet nav.next yesno.yes nav.next \
            key.m key.e key.e key.r key.space key.u key.i key.t key.l key.e key.g nav.next; do
    tap "$id"
  done
  import -window root "$demo/kiosk-thanks.png"
  echo "demo: screenshot of the thank-you screen: $demo/kiosk-thanks.png"
  # The kiosk uploads right after a response is stored; wait for the server to have it.
  for _ in $(seq 1 100); do
    [ "$(sqlite3 "$demo/kiosk.sqlite" "SELECT count(*) FROM responses WHERE sync_state = 'pending'")" = 0 ] && break
    sleep 0.1
  done
  kill "$kiosk_pid"
fi
wait "$kiosk_pid" || true

# Anything still pending (the window was closed right after the last answer) goes now.
"$kiosk_bin" --config "$demo/kiosk.toml" --sync-now || true

export_file="$demo/export-$consultation_id.csv"
"$server_bin" export --db "$demo/server.sqlite" --consultation "$consultation_id" \
  --consultations "$root/config/consultations" --out "$export_file"
echo
echo "The council's export ($("$server_bin" count --db "$demo/server.sqlite" --consultation "$consultation_id") responses): $export_file"
echo "-----"
cat "$export_file"
