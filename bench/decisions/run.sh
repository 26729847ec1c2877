#!/usr/bin/env bash
# bench/decisions/run.sh BUILD_DIR - durable decisions/s beside SQLite's
# plain-row inserts, and visibility lookups/s for 10M restricted pairs.
set -euo pipefail
build=${1:-build}
echo "== decisions: machine $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
echo "== command: $build/bench/decisions/bench_decisions ${BENCH_DECISIONS:-3000}"
"$build/bench/decisions/bench_decisions" "${BENCH_DECISIONS:-3000}"
echo "== command: $build/bench_visibility"
"$build/bench/decisions/bench_visibility"
