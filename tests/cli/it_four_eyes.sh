#!/usr/bin/env bash
# tests/cli/it_four_eyes.sh ARBITER SOURCE_DIR - four eyes from the command
# line: arbiterd starts with a policy whose legal_review names
# content_restriction, which it keeps in the store; then, with the daemon
# stopped, `arbiter request decide` only proposes (nothing restricted),
# the proposer's `request sign-off` is refused with a clear error, a second
# legal reviewer's sign-off prints the decision and restricts in PK only,
# and `request reject` needs a reason and another reviewer.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin four_eyes
cd "$SRC"
export ARBITER_DIR="$T/var"
"$ARBITER" init --jurisdictions policies/jurisdictions.yaml >/dev/null 2>&1
"$ARBITER" user add root --role admin >/dev/null
"$ARBITER" user add lee --role legal --as root >/dev/null
"$ARBITER" user add lin --role legal --as root >/dev/null
cp tests/check/data/policy.yaml "$T/policy.yaml"
printf 'legal_review:\n  four_eyes: [content_restriction]\n' >>"$T/policy.yaml"
"$ARBITER" serve --dir "$T/var" --policy "$T/policy.yaml" --listen 127.0.0.1:0 --threads 1 2>"$T/log" &
PID=$!
it_wait_port "$T/log"
it_wait_ready
kill -TERM "$PID" && wait "$PID" || true
PID=

id=$("$ARBITER" request add tests/workflow/data/request_pk.json --as lee)
out=$("$ARBITER" request decide "$id" --item post-123 --outcome restrict --as lee 2>"$T/err")
[ -z "$out" ] || fail "a proposal printed a decision id: $out"
grep -q "second legal reviewer" "$T/err" || fail "decide does not say it was only proposed: $(cat "$T/err")"
[ "$("$ARBITER" visibility post-123 --country PK)" = visible ] || fail "a proposal took effect"
"$ARBITER" request show "$id" --json | jq -e '.items[0].proposed_by == "lee" and .four_eyes' >/dev/null \
  || fail "request show lacks the proposal"

if "$ARBITER" request sign-off "$id" --item post-123 --as lee 2>"$T/err"; then
  fail "the proposer signed off"
fi
grep -q "second, different legal reviewer" "$T/err" || fail "unclear refusal: $(cat "$T/err")"
if "$ARBITER" request decide "$id" --item post-123 --outcome restrict --as lin 2>"$T/err"; then
  fail "an item awaiting sign-off was decided again"
fi
grep -q "awaiting sign-off" "$T/err" || fail "unclear conflict: $(cat "$T/err")"

did=$("$ARBITER" request sign-off "$id" --item post-123 --as lin)
[[ "$did" =~ ^[0-9]+$ ]] || fail "sign-off printed '$did', not a decision id"
[ "$("$ARBITER" visibility post-123 --country PK)" = restricted ] || fail "not restricted in PK"
[ "$("$ARBITER" visibility post-123 --country IN)" = visible ] || fail "restricted outside PK"

"$ARBITER" request decide "$id" --item post-124 --outcome restrict --as lin 2>/dev/null
if "$ARBITER" request reject "$id" --item post-124 --as lee 2>/dev/null; then fail "reject without a reason"; fi
"$ARBITER" request reject "$id" --item post-124 --reason "the order names post-123 only" --as lee
"$ARBITER" request show "$id" --json |
  jq -e '.items[1].outcome == null and .items[1].last_rejection == "the order names post-123 only"' \
  >/dev/null || fail "the rejection is not shown"
"$ARBITER" request sign-off --help | grep -q "sign-off ID --item X" || fail "no help for sign-off"
"$ARBITER" audit verify >/dev/null || fail "the audit log does not verify"
echo "it_four_eyes: ok"
