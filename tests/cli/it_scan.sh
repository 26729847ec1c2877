#!/usr/bin/env bash
# tests/cli/it_scan.sh ARBITER SOURCE_DIR - the CLI end to end: scan, check,
# policy lint and --help, on the shipped examples and default policy.
set -euo pipefail
arbiter=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() { # expect DESCRIPTION COMMAND...
  local d=$1; shift
  if "$@"; then ok; else fail "$d"; fi
}

policy=$src/policies/default.yaml
posts=$src/examples/posts.jsonl

# --- scan the examples: one line per post, in input order ------------------
"$arbiter" scan --policy "$policy" --threads 2 "$posts" >"$tmp/out2" 2>"$tmp/err2"
expect "scan exits 0 on the examples" test $? -eq 0
expect "one output line per post" test "$(wc -l <"$tmp/out2")" -eq "$(grep -c . "$posts")"
expect "ids come out in input order" diff <(jq -c .id "$posts") <(jq -c .id "$tmp/out2")
expect "every output line is valid JSON" jq -e . "$tmp/out2" >/dev/null
flag() { jq -r --arg id "$1" 'select((.id|tostring)==$id) | .flagged' "$tmp/out2"; }
for id in en-2 en-4 en-5 en-7 ur-2 ur-3 ru-3 mix-1 mix-2; do
  expect "$id is flagged" test "$(flag "$id")" = true
done
for id in en-1 en-6 en-8 ur-1 ur-5 ru-2 42; do
  expect "$id is clean" test "$(flag "$id")" = false
done
expect "summary on stderr names posts and MB/s" \
  jq -e 'select(.event=="summary") | .posts == 19 and .mb_per_s >= 0 and (.flagged_by_standard|type=="object")' "$tmp/err2" >/dev/null

# spans point into the original text
span_ok=$(jq -r 'select(.id=="ur-3") | .matches[0] | "\(.start) \(.end)"' "$tmp/out2")
text=$(jq -r 'select(.id=="ur-3") | .text' "$posts")
read -r s e <<<"$span_ok"
expect "ur-3 span covers the stretched term" \
  test "$(printf '%s' "$text" | head -c "$e" | tail -c $((e - s)))" = "واجــــب القتل"

# --- the same output whatever the thread count -------------------------------
"$arbiter" scan --policy "$policy" --threads 1 --out "$tmp/out1" "$posts" 2>/dev/null
expect "--threads 1 and --threads 2 agree" cmp -s "$tmp/out1" "$tmp/out2"
for i in $(seq 1 300); do cat "$posts"; done >"$tmp/many.jsonl"
"$arbiter" scan --policy "$policy" --threads 1 "$tmp/many.jsonl" >"$tmp/m1" 2>/dev/null
"$arbiter" scan --policy "$policy" --threads 4 <"$tmp/many.jsonl" >"$tmp/m4" 2>/dev/null
expect "5,700 posts: 1 and 4 threads agree (stdin too)" cmp -s "$tmp/m1" "$tmp/m4"

# --- bad lines: reported with their numbers, counted, skipped ---------------
set +e
"$arbiter" scan --policy "$policy" --threads 2 "$src/tests/cli/data/bad.jsonl" >"$tmp/bout" 2>"$tmp/berr"
rc=$?
set -e
expect "scan exits 3 when lines were bad" test $rc -eq 3
expect "good lines still checked" test "$(jq -r .id "$tmp/bout" | tr '\n' ' ')" = "ok-1 ok-2 ok-3 "
expect "bad line numbers reported" test \
  "$(jq -r 'select(.event=="bad_line") | .line' "$tmp/berr" | tr '\n' ' ')" = "2 3 4 5 7 9 10 11 "
expect "summary counts bad lines" jq -e 'select(.event=="summary") | .bad_lines == 8 and .posts == 3' "$tmp/berr" >/dev/null

set +e
"$arbiter" scan --policy /nonexistent.yaml "$posts" >/dev/null 2>"$tmp/nerr"; rc=$?
set -e
expect "missing policy: exit 1" test $rc -eq 1
expect "missing policy: names the file" grep -q nonexistent.yaml "$tmp/nerr"
set +e
"$arbiter" scan --policy "$policy" --threads 0 "$posts" >/dev/null 2>&1; rc=$?
set -e
expect "--threads 0 is a usage error" test $rc -eq 2

# --- check ------------------------------------------------------------------
out=$("$arbiter" check --policy "$policy" --text 'Click here to claim your FREE MONEY')
expect "check prints a flagged verdict" jq -e '.flagged == true and (.matches|length) >= 1' <<<"$out" >/dev/null
out=$(printf 'a calm day' | "$arbiter" check --policy "$policy" --explain)
expect "check reads stdin, --explain shows the normalised text" \
  jq -e '.flagged == false and .normalized == " a calm day "' <<<"$out" >/dev/null

# --- policy lint ------------------------------------------------------------
expect "default policy lints clean" "$arbiter" policy lint "$policy"
printf 'version: 1\nstandards:\n  - id: x\n    title: X\n    action: nuke\n    rules:\n      - regex: "a(b"\n' >"$tmp/bad.yaml"
set +e
"$arbiter" policy lint "$tmp/bad.yaml" >"$tmp/lint" 2>&1; rc=$?
set -e
expect "lint exits 1 on a bad policy" test $rc -eq 1
expect "lint names file:line:column" grep -qE "bad\.yaml:5:[0-9]+: " "$tmp/lint"

# --- every command has --help -----------------------------------------------
for c in "" check scan "policy"; do
  expect "arbiter $c --help" "$arbiter" $c --help >/dev/null
done

echo "$pass passed, $fails failed"
test "$fails" -eq 0
