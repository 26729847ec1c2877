#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR SECONDS - run every libFuzzer target built in
# BUILD_DIR for SECONDS each, from its corpus and dictionary.
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus="$here/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
  dict=()
  [ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
  echo "== $name for ${secs}s"
  if ! LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
      "$bin" "${dict[@]}" -max_total_time="$secs" -print_final_stats=1 "$work" 2>"$work.log"; then
    tail -50 "$work.log"
    status=1
  else
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$work.log" || true
  fi
  rm -rf "$work" "$work.log"
done
exit $status
