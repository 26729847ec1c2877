#!/usr/bin/env bash
# tests/report/it_report_browser.sh ARBITER SOURCE_DIR - the HTML report
# rendered in headless Chromium (issue 5): a seeded half-year's report must
# draw its three charts (report_browser.mjs: bars with sizes, lines that
# move, data ink in each chart's screenshot); and the same checks must fail
# on an empty history's report (flat lines) and on a page with no chart, so
# the test can tell a blank chart from a drawn one. Screenshots stay in
# Testing/report_browser/ under the build directory (printed at the end).
set -uo pipefail
arbiter=$1
src=$2
. "$src/tests/browser/setup.sh"
out="$PWD/Testing/report_browser"
rm -rf "$out" && mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

"$arbiter" demo seed --dir "$tmp/var" --year 2016 --seed 3 --notices 40 --appeals 8 \
  --jurisdictions "$src/policies/jurisdictions.yaml" >/dev/null || fail "demo seed"
"$arbiter" report --dir "$tmp/var" --period 2016H2 --format html --out "$tmp/seeded.html" \
  || fail "report of the seeded history"
node "$src/tests/report/report_browser.mjs" "$tmp/seeded.html" "$out/seeded" --charts 3 \
  || fail "the seeded report's charts are not all drawn"

# an empty history: the page renders but its trend chart has nothing on it
"$arbiter" init "$tmp/empty" >/dev/null 2>&1 || fail "init"
"$arbiter" report --dir "$tmp/empty" --period 2016H2 --format html --out "$tmp/empty.html" \
  || fail "report of an empty history"
if node "$src/tests/report/report_browser.mjs" "$tmp/empty.html" "$out/empty" >"$tmp/log" 2>&1; then
  cat "$tmp/log"; fail "an empty report's charts passed as drawn"
fi
grep -q '^FAIL .*not flat' "$tmp/log" || { cat "$tmp/log"; fail "the empty report failed for another reason"; }

# a page without any chart
printf '<!doctype html><title>r</title><h1>Report</h1><table><tr><td>1</td></tr></table>\n' \
  >"$tmp/nochart.html"
if node "$src/tests/report/report_browser.mjs" "$tmp/nochart.html" "$out/nochart" >"$tmp/log" 2>&1; then
  cat "$tmp/log"; fail "a page with no chart passed"
fi
grep -q '^FAIL 0 charts' "$tmp/log" || { cat "$tmp/log"; fail "no-chart page failed for another reason"; }

echo "screenshots in $out"
[ "$fails" -eq 0 ] && echo "it_report_browser: ok" || exit 1
