#!/usr/bin/env bash
# tests/report/it_report.sh ARBITER SOURCE_DIR - the published outputs end
# to end: a seeded half-year (1,000 data requests from IN, 680 producing
# data; 177 items restricted in IN), its report in JSON, CSV and HTML, the
# statements of reasons and their validation, and the register of orders.
set -uo pipefail
arbiter=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
pass=0
fails=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() { local d=$1; shift; if "$@"; then ok; else fail "$d"; fi; }
eq() { if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi; }

# --- help and bad input --------------------------------------------------------
for c in report export demo; do
  expect "$c --help" "$arbiter" $c --help >/dev/null
done
"$arbiter" report --period 2026H3 --format json --out - --dir "$tmp/none" 2>"$tmp/err"
eq "a bad period is a usage error" "$?" 2
expect "the error names the option" grep -q -- "--period" "$tmp/err"
"$arbiter" report --period 2026H2 --format pdf --out - 2>/dev/null
eq "a bad format is a usage error" "$?" 2
"$arbiter" demo seed --dir "$tmp/x" 2>/dev/null
eq "seed needs a year" "$?" 2

# --- the seeded half-year -----------------------------------------------------------
summary=$("$arbiter" demo seed --dir "$tmp/var" --year 2016 --seed 3 --notices 40 --appeals 8 \
          --jurisdictions policies/jurisdictions.yaml 2>"$tmp/err")
eq "seed" "$?" 0
eq "seed: data requests" "$(jq .data_requests <<<"$summary")" 1000
eq "seed: data produced" "$(jq .data_produced <<<"$summary")" 680
eq "seed: items restricted" "$(jq .items_restricted <<<"$summary")" 177

"$arbiter" report --dir "$tmp/var" --period 2016H2 --country IN --format json --out "$tmp/in.json"
eq "report json" "$?" 0
q() { jq -r "$1" "$tmp/in.json"; }
eq "schema" "$(q .schema)" "arbiter.transparency-report/1"
eq "period end" "$(q .period.end)" "2016-12-31"
eq "data requests" "$(q '.tables.legal_requests_by_kind[] | select(.kind=="user_data") | .requests')" 1000
eq "some data produced" "$(q '.tables.legal_requests_by_kind[] | select(.kind=="user_data") | .share_with_action')" 0.68
eq "restricted in IN" "$(q '.tables.content_restrictions_by_country[] | select(.country=="IN") | .restrictions')" 177
eq "no other country's restrictions" "$(q '.tables.content_restrictions_by_country | length')" 1
eq "six months on the trend line" "$(q '.tables.content_actions_by_month | length')" 6
eq "appeals reversed (2 of 8: a band)" "$(q '.tables.appeals[] | select(.appellant_kind=="all") | .reversed')" "1-9"
# the same report with suppression off shows the exact count
"$arbiter" report --dir "$tmp/var" --period 2016H2 --suppress 0 --format json --out "$tmp/all.json"
eq "appeals reversed, exact" "$(jq '.tables.appeals[] | select(.appellant_kind=="all") | .reversed' "$tmp/all.json")" 2
eq "nothing in the first half" "$("$arbiter" report --dir "$tmp/var" --period 2016H1 --format json --out - | jq '.tables.legal_requests_by_kind | length')" 0

"$arbiter" report --dir "$tmp/var" --period 2016H2 --format csv --out "$tmp/csv"
eq "report csv" "$?" 0
expect "one file per table" test "$(ls "$tmp/csv" | wc -l)" -ge 14
expect "csv has the data requests" grep -q "^user_data,1000," "$tmp/csv/legal_requests_by_kind.csv"

"$arbiter" report --dir "$tmp/var" --period 2016H2 --format html --out "$tmp/r.html"
eq "report html" "$?" 0
expect "html has charts" test "$(grep -c "<svg" "$tmp/r.html")" -ge 3
expect "html has no external assets" test "$(grep -c 'src=\|href=\|@import' "$tmp/r.html")" -eq 0
expect "html prints" grep -q "@media print" "$tmp/r.html"

# --- statements of reasons ------------------------------------------------------------
"$arbiter" export sor --dir "$tmp/var" --since 2016-07-01 --until 2017-01-01 --out "$tmp/sor16.jsonl" 2>"$tmp/err"
eq "sor export 2016" "$?" 0
expect "2016 predates the database: skipped with a count" grep -q '"written":0' "$tmp/err"
"$arbiter" demo seed --dir "$tmp/v26" --year 2026 --data-requests 20 --data-produced 10 \
  --restricted 12 --notices 30 --appeals 4 >/dev/null 2>&1
"$arbiter" export sor --dir "$tmp/v26" --since 2026-07-01 --until 2027-01-01 --out "$tmp/sor.jsonl" 2>"$tmp/err"
eq "sor export 2026" "$?" 0
expect "skipped outside the EEA, counted" grep -q '"skipped_outside_eea":[1-9]' "$tmp/err"
expect "batches of at most 100" test "$(jq '.statements | length' "$tmp/sor.jsonl" | sort -n | tail -1)" -le 100
"$arbiter" export sor --validate "$tmp/sor.jsonl" >/dev/null 2>&1
eq "the export validates" "$?" 0
"$arbiter" export sor --validate tests/report/data/sor_invalid.json >"$tmp/viol" 2>/dev/null
eq "invalid fixture fails" "$?" 1
expect "every violation has its path" grep -q "^statements\[0\].decision_ground: required" "$tmp/viol"

# --- register of orders ------------------------------------------------------------------
"$arbiter" export orders --dir "$tmp/v26" --period 2026H2 --out "$tmp/orders.json" 2>/dev/null
eq "orders json" "$?" 0
expect "no account URL in the register" test "$(grep -c 'acct-' "$tmp/orders.json")" -eq 0
eq "data requests carry no URL" "$(jq '[.orders[] | select(.kind=="user_data") | .urls | length] | add' "$tmp/orders.json")" 0
"$arbiter" export orders --dir "$tmp/v26" --format csv --out "$tmp/orders.csv" 2>/dev/null
eq "orders csv" "$?" 0
expect "csv header" grep -q "^id,received,country,authority" "$tmp/orders.csv"

echo "it_report: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
