#!/usr/bin/env bash
# Availability under attack (issue 20), on the demo database with a release build:
#   1. two provider sessions upload every hostile file in a loop (POST /api/imports) and two
#      lead sessions run 6,000-indicator trials in a loop (POST /api/plans/3/trial), while the
#      public measure page is measured (wrk, 4 connections): p99 must stay ≤ 50 ms;
#   2. 64 connections loop GET /data/download.xlsx while the front page is measured: p99 ≤ 50 ms;
# and the server's peak resident memory (VmHWM) must stay ≤ 1 GiB throughout.
# For benchmarks, not CI. Needs wrk and curl (wrk is installed when missing).
#
#   scripts/hostile-load.sh [SECONDS]      # 30 s per phase by default
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-30}"
PORT=18083
BASE="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

cargo build --release -q -p jili-cli
cargo build --release -q -p jili-testkit --example hostile_files
JILI="$PWD/target/release/jili"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

target/release/examples/hostile_files "$WORK/hostile" >/dev/null
# The demo with its accounts and published results, served.
"$JILI" --db "$WORK/jili.db" demo --addr "127.0.0.1:$PORT" >"$WORK/jili.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$BASE/" 2>/dev/null && break
    sleep 0.5
done
curl -fs -o /dev/null "$BASE/measures/3"

login() {
    curl -fs -X POST -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"jili-demo-2024\"}" "$BASE/api/login" |
        sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}

uploads() {
    local token="$1"
    while true; do
        for f in "$WORK"/hostile/*; do
            case "$f" in *.toml) continue ;; esac
            curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $token" \
                -F "file=@$f" -F provider=TJJ -F dry_run=true "$BASE/api/imports" >>"$WORK/uploads.log" || true
        done
    done
}

trials() {
    local token="$1"
    while true; do
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $token" \
            -H 'Content-Type: text/plain' --data-binary "@$WORK/hostile/plan-6000.toml" \
            "$BASE/api/plans/3/trial" >>"$WORK/trials.log" || true
    done
}

p99() { sed -n 's/^ *99% *\([0-9.]*\)\(us\|ms\|s\)$/\1 \2/p' "$1" | awk '{v=$1; if ($2=="us") v/=1000; if ($2=="s") v*=1000; printf "%.1f", v}'; }
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$1"; }
peak() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status"; }
answers() { sort "$1" | uniq -c | awk '{ printf "%s%s × %s", sep, $2, $1; sep = ", " }'; }

echo "== phase 1: ${SECS}s of hostile uploads (2 providers) and 6,000-indicator trials (2 leads)"
for who in demo-tjj demo-tjj; do uploads "$(login $who)" & PIDS+=($!); done
for who in demo-gxt demo-gxt; do trials "$(login $who)" & PIDS+=($!); done
sleep 2
wrk -t1 -c4 -d"${SECS}s" --latency "$BASE/measures/3" >"$WORK/phase1.txt"
for p in "${PIDS[@]:1}"; do kill "$p" 2>/dev/null || true; done
PIDS=("$SERVER")
sleep 1

echo "== phase 2: ${SECS}s of 64 connections looping /data/download.xlsx"
wrk -t2 -c64 -d"$((SECS + 4))s" "$BASE/data/download.xlsx" >"$WORK/downloads.txt" &
PIDS+=($!)
sleep 2
wrk -t1 -c4 -d"${SECS}s" --latency "$BASE/" >"$WORK/phase2.txt"
wait "${PIDS[1]}" 2>/dev/null || true
PIDS=("$SERVER")

P1=$(p99 "$WORK/phase1.txt"); P2=$(p99 "$WORK/phase2.txt"); PEAK=$(peak)
ok() { awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max) ? "✓" : "✗" }'; }
printf '\n%-58s %10s %8s\n' "measurement" "value" "target"
printf '%-58s %7s ms %8s %s\n' "measure page p99 under hostile uploads and trials" "$P1" "≤ 50" "$(ok "$P1" 50)"
printf '%-58s %7s /s\n' "  (measure page requests)" "$(rps "$WORK/phase1.txt")"
printf '%-58s %7s ms %8s %s\n' "front page p99 with 64 connections on download.xlsx" "$P2" "≤ 50" "$(ok "$P2" 50)"
printf '%-58s %7s /s\n' "  (download.xlsx requests)" "$(rps "$WORK/downloads.txt")"
printf '%-58s %6s MiB %8s %s\n' "server peak resident memory (VmHWM)" "$PEAK" "≤ 1024" "$(ok "$PEAK" 1024)"
echo "hostile uploads answered (status × count): $(answers "$WORK/uploads.log")"
echo "6,000-indicator trials answered (status × count): $(answers "$WORK/trials.log")"
curl -fs -o /dev/null "$BASE/" && echo "the server still answers"
