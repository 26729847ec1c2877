#!/usr/bin/env bash
# bench/report/run.sh BUILD_DIR - the half-year transparency report over
# BENCH_REPORT_DECISIONS (default 10M) decisions and 100k legal requests,
# beside one hand-written GROUP BY over the same decisions.
set -euo pipefail
build=${1:-build}
n=${BENCH_REPORT_DECISIONS:-10000000}
r=${BENCH_REPORT_REQUESTS:-100000}
echo "== report: machine $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
echo "== command: $build/bench/report/bench_report $n $r"
"$build/bench/report/bench_report" "$n" "$r"
