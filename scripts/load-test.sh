#!/usr/bin/env bash
# Load benchmark: 200 connections mixing public pages, logged-in reads and light writes
# (scripts/load-mix.lua) against `jili serve` on the demo database, on SQLite and — when
# 127.0.0.1:5432 answers (trust auth, user postgres) — on a fresh PostgreSQL database made for
# the run and dropped after. Prints requests/s, latency percentiles and errors per backend.
# For benchmarks, not CI. Needs wrk (Debian: apt-get install wrk; installed when missing).
#
#   scripts/load-test.sh [SECONDS] [CONNECTIONS]     # 60 s and 200 connections by default
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
CONNECTIONS="${2:-200}"
PORT=18082
# A request waits in line behind the others; only one unanswered for this long is an error.
TIMEOUT=30s

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

cargo build --release -q -p jili-cli
JILI="$PWD/target/release/jili"
WORK="$(mktemp -d)"
PG_DB=""
JILI_PID=""
stop_server() {
    if [ -n "$JILI_PID" ]; then
        kill "$JILI_PID" 2>/dev/null || true
        wait "$JILI_PID" 2>/dev/null || true
        JILI_PID=""
    fi
}
cleanup() {
    stop_server
    if [ -n "$PG_DB" ]; then
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 600); do
        curl -fs -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && return 0
        kill -0 "$JILI_PID" 2>/dev/null || break
        sleep 0.5
    done
    cat "$WORK/jili.log"
    echo "jili did not answer on 127.0.0.1:$PORT"
    exit 1
}

login() {
    curl -fs -X POST -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"jili-demo-2024\"}" "http://127.0.0.1:$PORT/api/login" |
        sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}

declare -A OUT
# Build the demo on $1 (`jili demo` also makes the demo accounts and publishes), stop it, then
# serve the database with `jili serve` and load it.
bench() {
    local name="$1" url="$2"
    echo "== $name: building the demo database …"
    "$JILI" --db "$url" demo --addr "127.0.0.1:$PORT" >"$WORK/jili.log" 2>&1 &
    JILI_PID=$!
    wait_for
    stop_server
    "$JILI" --db "$url" serve --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
    JILI_PID=$!
    wait_for
    local office audit gxt changsha
    office="$(login demo-office)"
    audit="$(login demo-audit)"
    gxt="$(login demo-gxt)"
    changsha="$(login demo-changsha)"
    [ -n "$office" ] && [ -n "$audit" ] && [ -n "$gxt" ] && [ -n "$changsha" ] || {
        echo "the demo accounts could not log in"
        exit 1
    }
    curl -fs -H "Authorization: Bearer $gxt" "http://127.0.0.1:$PORT/work/plans/3/plan.toml" -o "$WORK/plan.toml"
    # Every cached page once, as on a server that has been up a while.
    for p in / /data $(seq -f "/measures/%g" 1 20) \
        $(printf "/units/%s " 430100 430200 430300 430400 430500 430600 430700 430800 430900 431000 431100 431200 431300 433100); do
        curl -fs -o /dev/null "http://127.0.0.1:$PORT$p"
    done
    echo "== $name: wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s --timeout $TIMEOUT …"
    OUT[$name]="$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --timeout "$TIMEOUT" --latency \
        -s scripts/load-mix.lua "http://127.0.0.1:$PORT" -- "$office" "$audit" "$gxt" "$changsha" \
        "$WORK/plan.toml" jili-demo-2024 2>&1)"
    echo "${OUT[$name]}"
    stop_server
}

bench sqlite "$WORK/jili.db"
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    PG_DB="jili_load_$$"
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $PG_DB"
    bench postgres "postgres://postgres@127.0.0.1:5432/$PG_DB"
else
    echo "== no PostgreSQL on 127.0.0.1:5432: SQLite only"
fi

rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
non2xx() { echo "$1" | awk '/Non-2xx or 3xx/ {n = $NF} END {print n + 0}'; }
sockets() { echo "$1" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10; f = 1} END {if (!f) print 0}'; }
echo
echo "wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s --timeout $TIMEOUT, scripts/load-mix.lua, loopback, $(nproc) cores, release build"
printf "%-10s %12s %10s %10s %10s %12s %14s\n" backend requests/s p50 p90 p99 non-2xx/3xx socket-errors
for name in sqlite postgres; do
    [ -n "${OUT[$name]:-}" ] || continue
    o="${OUT[$name]}"
    printf "%-10s %12s %10s %10s %10s %12s %14s\n" "$name" "$(rps "$o")" "$(pct "$o" 50%)" "$(pct "$o" 90%)" \
        "$(pct "$o" 99%)" "$(non2xx "$o")" "$(sockets "$o")"
done
