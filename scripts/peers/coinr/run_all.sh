#!/bin/sh
# Regenerate every COINr fixture in crates/engine/tests/fixtures/coinr/ (needs R and COINr
# installed as in README.md). The example and panel scripts take seconds; timings.R takes
# 20-60 minutes depending on the machine's load. Pass "quick" to skip timings.R.
set -e
here=$(dirname "$0")
for s in example_index example_treat example_steps panel; do
  nice -n 19 Rscript "$here/$s.R"
done
if [ "$1" != "quick" ]; then
  nice -n 19 Rscript "$here/timings.R"
fi
