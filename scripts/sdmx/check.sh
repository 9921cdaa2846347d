#!/usr/bin/env bash
# jili's SDMX read by real SDMX clients (issue 23): a demo server publishes its data; the
# structure message (/sdmx/structure), the SDMX-CSV (/data/download.sdmx.csv) and the zip of both
# (/data/download.sdmx.zip) are fetched and read with pysdmx (which also validates the structure
# against the SDMX-ML 3.0 schemas) and sdmx1. scripts/sdmx/check.py asserts typed (OBS_VALUE a
# number) and labelled (REF_AREA's Chinese name) observations; any failure fails the script (and
# CI).
#
#   scripts/sdmx/check.sh
#
# The clients live in a virtualenv under ~/.cache/jili (made on first use, pinned below). The server is
# the debug `jili` that `cargo test --workspace` builds, on a free loopback port, with a demo
# database in a temporary folder. Without python3 and its venv module the check is skipped, and
# says so.
set -euo pipefail
cd "$(dirname "$0")/../.."

SDMX1="2.28.0"
PYSDMX="1.21.0"
# The virtualenv lives outside the checkout, once per machine (as cargo keeps its registry), so
# that CI on a fresh clone does not download pandas again; a new pin makes a new one.
VENV="${JILI_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jili}/sdmx-$SDMX1-$PYSDMX"

if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "SKIPPED: the SDMX check needs python3 with venv (apt-get install python3 python3-venv)"
    exit 0
fi
if [ ! -f "$VENV/.pinned-$SDMX1-$PYSDMX" ]; then
    echo "== installing sdmx1 $SDMX1 and pysdmx $PYSDMX into $VENV"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "sdmx1==$SDMX1" "pysdmx[xml,data]==$PYSDMX"
    touch "$VENV/.pinned-$SDMX1-$PYSDMX"
fi

# shellcheck source=scripts/lib/demo-server.sh
source scripts/lib/demo-server.sh
start_demo_server /data/download.sdmx.csv data.sdmx.csv
curl -fsS "$BASE/sdmx/structure" -o "$WORK/structure.xml"
curl -fsS "$BASE/data/download.sdmx.zip" -o "$WORK/data.sdmx.zip"
echo "== $(($(wc -l <"$WORK/data.sdmx.csv") - 1)) observations, structure $(wc -c <"$WORK/structure.xml") bytes"

"$VENV/bin/python" scripts/sdmx/check.py "$WORK/structure.xml" "$WORK/data.sdmx.csv" "$WORK/data.sdmx.zip"
