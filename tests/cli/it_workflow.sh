#!/usr/bin/env bash
# tests/cli/it_workflow.sh ARBITER SOURCE_DIR - the decision workflow from
# the command line: init, staff, a legal request decided per item, the
# country-only restriction, refusals, appeals, notices and the audit log.
set -uo pipefail
arbiter=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
export ARBITER_DIR="$tmp/var"
pass=0
fails=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() { local d=$1; shift; if "$@"; then ok; else fail "$d"; fi; }
expect_fail() { local d=$1; shift; if "$@" >/dev/null 2>"$tmp/err"; then fail "$d (succeeded)"; else ok; fi; }
state() { "$arbiter" audit verify --json | jq .events; }

expect "init" "$arbiter" init >/dev/null 2>&1
expect "init refuses an existing store" test "$("$arbiter" init 2>&1 >/dev/null; echo $?)" != 0
expect "first staff member is an admin" "$arbiter" user add root --role admin >/dev/null
expect_fail "a non-admin cannot add staff" "$arbiter" user add eve --role legal --as nobody
echo 'correct horse battery staple' | "$arbiter" user add lee --role legal --password-stdin --as root >/dev/null
expect "legal reviewer added with a password" test $? -eq 0
"$arbiter" user add mo --role moderator --as root >/dev/null
"$arbiter" user add mia --role moderator --as root >/dev/null

# --- a legal request, per item -----------------------------------------------
id=$("$arbiter" request add tests/workflow/data/request_pk.json --as lee)
expect "request add prints the id alone" test "$id" = 1
events=$(state)
expect_fail "a moderator cannot decide a legal request" \
  "$arbiter" request decide "$id" --item post-123 --outcome restrict --as mo
expect "the refusal names the rule" grep -q "legal reviewer" "$tmp/err"
expect_fail "remove without a standard is refused" \
  "$arbiter" request decide "$id" --item post-123 --outcome remove --as lee
expect_fail "decline without a reason is refused" \
  "$arbiter" request decide "$id" --item post-123 --outcome decline --as lee
# each verification is kept and audited: the second one sees the first's event
expect "refusals leave the log untouched" test "$(state)" = "$((events + 1))"
expect "restrict" "$arbiter" request decide "$id" --item post-123 --outcome restrict --as lee >/dev/null
expect "decline" "$arbiter" request decide "$id" --item post-125 --outcome decline --reason overbroad --as lee
expect "need-info" "$arbiter" request decide "$id" --item post-124 --outcome need-info --reason "which post?" --as lee
expect "restricted in PK" test "$("$arbiter" visibility post-123 --country PK)" = restricted
expect "visible in IN" test "$("$arbiter" visibility post-123 --country IN)" = visible
expect "declined item visible in PK" test "$("$arbiter" visibility post-125 --country PK)" = visible
expect_fail "bad country code" "$arbiter" visibility post-123 --country PAK
expect "whole scope: restricted in PK only" test "$("$arbiter" visibility post-123)" = "restricted PK"
expect "whole scope of a declined item" test "$("$arbiter" visibility post-125)" = visible
expect "still in review while one item needs information" \
  test "$("$arbiter" request show "$id" --json | jq -r .status)" = in_legal_review
did=$("$arbiter" request decide "$id" --item post-124 --outcome remove --standard incitement --as lee)
expect "removed everywhere" test "$("$arbiter" visibility post-124 --country US)" = removed
expect "whole scope of a removal" test "$("$arbiter" visibility post-124)" = removed
expect "decided" test "$("$arbiter" request show "$id" --json | jq -r .status)" = decided
expect "notify" "$arbiter" request notify "$id" --as lee
expect "close" "$arbiter" request close "$id" --as lee
expect "request list shows it closed" test "$("$arbiter" request list --json | jq -r '.[0].status')" = closed

# --- appeal by someone other than the decider -------------------------------
case_id=$("$arbiter" appeal add --decision "$did" --grounds "This is reporting, not incitement.")
expect "appeal add prints a case id" test -n "$case_id"
expect_fail "the original decider cannot decide the appeal" \
  "$arbiter" appeal decide "$case_id" --outcome reversed --reason "x" --as lee
"$arbiter" user add lin --role legal --as root >/dev/null
expect "another legal reviewer reverses it" \
  "$arbiter" appeal decide "$case_id" --outcome reversed --reason "Reporting on events; restored." --as lin >/dev/null
expect "visible again" test "$("$arbiter" visibility post-124 --country US)" = visible
expect "item history shows the superseded decision" \
  jq -e 'length == 2 and .[0].superseded_by == .[1].id and .[1].source == "appeal"' \
  <("$arbiter" item show post-124 --json) >/dev/null

# --- a notice becomes a case a moderator decides ----------------------------
cat >"$tmp/notice.json" <<JSON
{"item": {"id": "post-900", "url": "https://example.social/p/900"}, "notifier_kind": "user",
 "category": "spam", "explanation": "Advertises a fake lottery.",
 "location": "https://example.social/p/900", "good_faith": true}
JSON
ncase=$("$arbiter" notice add "$tmp/notice.json")
expect "notice opens a case" test -n "$ncase"
expect "case list shows it" test "$("$arbiter" case list --kind notice --json | jq length)" = 1
expect_fail "a moderator cannot restrict by country" \
  "$arbiter" case decide "$ncase" --action restrict --countries PK --as mo
expect_fail "escalating needs a reason" "$arbiter" case escalate "$ncase" --as mo
expect "a moderator escalates it" "$arbiter" case escalate "$ncase" --reason "Unsure" --as mo
expect "escalated cases go first" \
  test "$("$arbiter" case list --kind notice --json | jq '.[0].priority')" = 2
expect "moderator removes it" "$arbiter" case decide "$ncase" --action remove --statement "Lottery scam." --as mo >/dev/null
expect "removed" test "$("$arbiter" visibility post-900 --country FR)" = removed

# --- the audit log ---------------------------------------------------------------
expect "audit verify: intact" "$arbiter" audit verify >/dev/null
expect "audit verify --json" jq -e '.result == "intact" and .events > 10' <("$arbiter" audit verify --json) >/dev/null

for c in init user request case notice appeal item visibility audit; do
  expect "arbiter $c --help" "$arbiter" $c --help >/dev/null
done
echo "$pass passed, $fails failed"
test "$fails" -eq 0
