# A demo server for the scripts that check jili from outside (schemathesis, the SDMX readers).
# Source it from the repository's root, then call `start_demo_server PATH FILE`: it builds (or
# finds) the debug `jili` that `cargo test --workspace` builds, starts `jili demo` on a free
# loopback port with its database in a temporary folder, and waits until PATH answers, saved
# to $WORK/FILE. It sets JILI, WORK, BASE and JILI_PID, and stops the server and removes WORK
# on exit.

# The binary `cargo test --workspace` built (`cargo build -p jili-cli` alone would unify features
# differently and build the CLI's crates a second time).
CARGO_INCREMENTAL=0 cargo test --workspace --no-run -q 2>/dev/null || CARGO_INCREMENTAL=0 cargo build -q -p jili-cli
JILI=target/debug/jili
WORK="$(mktemp -d)"
cleanup() {
    if [ -n "${JILI_PID:-}" ]; then kill "$JILI_PID" 2>/dev/null || true; wait "$JILI_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

start_demo_server() {
    local path="$1" file="$2"
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    BASE="http://127.0.0.1:$port"
    echo "== demo database and server on $BASE"
    "$JILI" --db "$WORK/jili.db" demo --addr "127.0.0.1:$port" >"$WORK/jili.log" 2>&1 &
    JILI_PID=$!
    for _ in $(seq 1 900); do
        curl -fs "$BASE$path" -o "$WORK/$file" 2>/dev/null && break
        kill -0 "$JILI_PID" 2>/dev/null || { cat "$WORK/jili.log"; echo "jili demo stopped"; exit 1; }
        sleep 1
    done
    [ -s "$WORK/$file" ] || { tail -20 "$WORK/jili.log"; echo "jili serve did not answer"; exit 1; }
}
