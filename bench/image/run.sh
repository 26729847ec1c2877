#!/usr/bin/env bash
# bench/image/run.sh BUILD_DIR - PDQ hashes/s on the corpus images beside
# the time to merely decode them (docs/PERFORMANCE.md, "PDQ hashing").
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
c="$here/../../tests/image/corpus/data"
echo "== image: machine $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
imgs=("$c/reg-test-input/dih/bridge-1-original.jpg" "$c/reg-test-input/dih/bridge-2-rotate-90.jpg"
      "$c/bridge-mods/shrink-a-little.jpg" "$c/bridge-mods/square-512x512.jpg"
      "$c/reg-test-input/labelme-subset/q1050.jpg" "$c/misc-images/wee.jpg"
      "$c/misc-images/c.png" "$c/reg-test-input/pen-and-coaster.png"
      "$c/misc-images/modes/L.png" "$c/misc-images/modes/F.webp" "$c/misc-images/modes/PA.webp")
echo "== command: $build/bench/image/bench_image -t ${BENCH_IMAGE_SECONDS:-0.3} <${#imgs[@]} corpus images>"
"$build/bench/image/bench_image" -t "${BENCH_IMAGE_SECONDS:-0.3}" "${imgs[@]}"
