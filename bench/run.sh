#!/usr/bin/env bash
# bench/run.sh BUILD_DIR - every benchmark in turn (`make bench`).
# Each reports its figures and goals; a missed goal does not fail the run,
# a failed step does.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$(pwd)/$build" ;; esac

bash "$here/text/run.sh" "$build"
bash "$here/decisions/run.sh" "$build"

bash "$here/http/run.sh" "$build"

bash "$here/image/run.sh" "$build"
