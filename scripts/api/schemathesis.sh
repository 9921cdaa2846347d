#!/usr/bin/env bash
# The JSON API against its own OpenAPI document (issue 23): schemathesis, a property-based API
# client, sends generated requests to every operation of a demo server — without a login and
# with a token of each role — and checks every answer: no server error (a 500 is a bug), the
# status and content type documented, the answer's JSON conforming to its schema, schema-invalid
# input refused with a 4xx. Any failure fails the script (and CI).
#
#   scripts/api/schemathesis.sh              # examples per operation: 12; seconds per role: 25
#   ST_EXAMPLES=50 ST_SECONDS=300 scripts/api/schemathesis.sh
#   ST_ROLES="demo-office public" scripts/api/schemathesis.sh   # some roles only
#
# schemathesis lives in a virtualenv under ~/.cache/jili (made on first use, pinned below). The
# server is the debug `jili` that `cargo test --workspace` builds, on a free loopback port,
# with a demo database in a temporary folder. Checks left out, and why:
#   positive_data_acceptance — expects 2xx for every schema-valid request, but a measure or
#     case number that does not exist is valid by type and rightly answered 404, a plan
#     that fails the notice's rules 422;
#   object_level_authorization, use_after_free, ensure_resource_availability — need links
#     between operations (the stateful phase), which the document does not declare.
# Operations that end the caller's own sessions (logout, logout everywhere, a password change or
# reset) are left out of the logged-in runs: they would log the rest of the run out. They run
# unauthenticated, and the web tests cover them.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION="4.32.5"
EXAMPLES="${ST_EXAMPLES:-12}"
SECONDS_EACH="${ST_SECONDS:-25}"
# The virtualenv lives outside the checkout, once per machine (as cargo keeps its registry), so
# that CI on a fresh clone does not download it again; a new pin makes a new one.
VENV="${JILI_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jili}/schemathesis-$VERSION"
ROOT="$(pwd)"

if ! command -v python3 >/dev/null; then
    echo "SKIPPED: schemathesis needs python3 (apt-get install python3 python3-venv)"
    exit 0
fi
if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
    echo "== installing schemathesis $VERSION into $VENV"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
fi

# shellcheck source=scripts/lib/demo-server.sh
source scripts/lib/demo-server.sh
start_demo_server /api/openapi.json openapi.json

token() {
    curl -fs -X POST "$BASE/api/login" -H 'Content-Type: application/json' \
        -d "{\"name\": \"$1\", \"password\": \"jili-demo-2024\"}" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# One worker: with two, hypothesis (Python 3.11) at times fails inside its own source parsing
# ("AST constructor recursion depth mismatch"), an error of the tool, not of the server.
COMMON=(
    "$BASE/api/openapi.json"
    --checks all
    --exclude-checks positive_data_acceptance,object_level_authorization,use_after_free,ensure_resource_availability
    --phases examples,coverage,fuzzing
    --max-examples "$EXAMPLES"
    --max-time "$SECONDS_EACH"
    --request-timeout 60
    --max-response-time 60
    --seed 23
    --workers 1
    --suppress-health-check all
    --no-color
)
SESSION_ENDERS='post_logout|post_logout_all|post_password|post_users_name_password'
# Starting heavy work (every measure's evaluation, the audit chain's verification) is left out:
# a fuzzer starts dozens, the queue fills and the server answers 503 busy with Retry-After, as
# designed. The web tests start them one at a time (crates/web/tests/it/jobs.rs).
HEAVY='post_runs|post_audit_verify'
# (One regex: schemathesis joins two exclusion options with “and”.)

# Every token first: the unauthenticated run tries wrong passwords, and the login then pauses
# this address (as it should).
ROLES="${ST_ROLES:-demo-office demo-gxt demo-tjj demo-audit demo-changsha public}"
declare -A TOKENS
for who in $ROLES; do
    [ "$who" = public ] && continue
    TOKENS[$who]="$(token "$who")" || { echo "cannot log in as $who"; exit 1; }
done

LOGS=target/schemathesis
mkdir -p "$LOGS"
failed=()
run() {
    local who="$1"
    shift
    echo "== schemathesis as $who (log: $LOGS/$who.log)"
    # Run inside target/: schemathesis keeps its example database in ./.schemathesis.
    if ! (cd "$LOGS" && "$VENV/bin/schemathesis" run "${COMMON[@]}" "$@") >"$LOGS/$who.log" 2>&1; then
        failed+=("$who")
        sed -n '/FAILURES\|ERRORS/,$p' "$LOGS/$who.log" | head -300
    else
        grep -E "Test cases|generated|passed" "$LOGS/$who.log" | tail -3
    fi
}

# The public last: its wrong passwords pause logins from this address.
for who in $ROLES; do
    [ "$who" = public ] && continue
    run "$who" -H "Authorization: Bearer ${TOKENS[$who]}" --exclude-operation-id-regex "^($SESSION_ENDERS|$HEAVY)$"
done
case " $ROLES " in *" public "*) run public --exclude-operation-id-regex "^($HEAVY)$" ;; esac

if ! kill -0 "$JILI_PID" 2>/dev/null; then
    echo "the server stopped during the run"; tail -20 "$WORK/jili.log"; exit 1
fi
if [ ${#failed[@]} -gt 0 ]; then
    echo "schemathesis FAILED for: ${failed[*]}"
    exit 1
fi
echo "schemathesis: every role passed"
