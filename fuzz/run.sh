#!/usr/bin/env bash
# Run every fuzz target for N seconds (default 60) with the allocation limits: an allocation
# bomb is a crash here, never a pass. Needs nightly and cargo-fuzz (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
for target in csv xlsx sdmx period plan; do
    mkdir -p "corpus/$target"
    seeds="seeds/$target"
    [ -d "$seeds" ] || seeds=""
    cargo +nightly fuzz run "$target" "corpus/$target" $seeds -- \
        -max_total_time="$secs" -malloc_limit_mb=256 -rss_limit_mb=512 -timeout=20
done
