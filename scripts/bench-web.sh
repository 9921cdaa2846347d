#!/usr/bin/env bash
# Web benchmark (issue 6): a published measure page served by `jili serve` against the same
# page saved as a static file and served by nginx, side by side in one run, both loaded by wrk
# with 64 connections on loopback. Prints requests/s and latency percentiles of each, and the
# ratio. Needs wrk and nginx (Debian: apt-get install wrk nginx-light; installed when missing).
#
#   scripts/bench-web.sh [PATH] [SECONDS]      # PATH defaults to /measures/2, SECONDS to 15
set -euo pipefail
cd "$(dirname "$0")/.."
PAGE="${1:-/measures/2}"
SECONDS_EACH="${2:-15}"
CONNECTIONS=64

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk nginx-light >/dev/null
fi

cargo build --release -q -p jili-cli
WORK="$(mktemp -d)"
cleanup() {
    [ -n "${JILI_PID:-}" ] && kill "$JILI_PID" 2>/dev/null || true
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

JILI_PORT=18080
NGINX_PORT=18081
echo "building the demo database and serving it on 127.0.0.1:$JILI_PORT …"
./target/release/jili --db "$WORK/jili.db" demo --addr "127.0.0.1:$JILI_PORT" >"$WORK/jili.log" 2>&1 &
JILI_PID=$!
for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$JILI_PORT$PAGE" -o "$WORK/page.html" 2>/dev/null && break
    sleep 0.5
done
[ -s "$WORK/page.html" ] || { cat "$WORK/jili.log"; echo "jili serve did not answer"; exit 1; }

mkdir -p "$WORK/www"
cp "$WORK/page.html" "$WORK/www/page.html"
# nginx's workers run as another user: they must be able to read the page.
chmod 755 "$WORK" "$WORK/www"
chmod 644 "$WORK/www/page.html"
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        location / { default_type text/html; }
    }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.5

run() { wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$1" 2>&1; }
# Warm up both (the first jili request renders the page into the cache).
curl -fs "http://127.0.0.1:$JILI_PORT$PAGE" >/dev/null
JILI_OUT="$(run "http://127.0.0.1:$JILI_PORT$PAGE")"
curl -fs "http://127.0.0.1:$NGINX_PORT/page.html" -o /dev/null || { cat "$WORK/nginx-error.log"; echo "nginx does not serve the page"; exit 1; }
NGINX_OUT="$(run "http://127.0.0.1:$NGINX_PORT/page.html")"

rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
errors() { echo "$1" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' '; }
J_RPS=$(rps "$JILI_OUT"); N_RPS=$(rps "$NGINX_OUT")
echo
echo "page: $PAGE ($(wc -c <"$WORK/page.html") bytes), wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s, loopback, $(nproc) cores"
printf "%-24s %12s %10s %10s %10s\n" "server" "requests/s" "p50" "p90" "p99"
printf "%-24s %12s %10s %10s %10s\n" "jili serve (cached)" "$J_RPS" "$(pct "$JILI_OUT" 50%)" "$(pct "$JILI_OUT" 90%)" "$(pct "$JILI_OUT" 99%)"
printf "%-24s %12s %10s %10s %10s\n" "nginx (static file)" "$N_RPS" "$(pct "$NGINX_OUT" 50%)" "$(pct "$NGINX_OUT" 90%)" "$(pct "$NGINX_OUT" 99%)"
awk -v j="$J_RPS" -v n="$N_RPS" 'BEGIN { printf "nginx / jili throughput: %.2f×\n", n / j }'
E="$(errors "$JILI_OUT")"; [ -n "$E" ] && echo "jili errors: $E"
E="$(errors "$NGINX_OUT")"; [ -n "$E" ] && echo "nginx errors: $E"
exit 0
