#!/usr/bin/env bash
# it_run.sh ARBITER SOURCE_DIR - what `make run` does (scripts/run.sh), in a
# temporary directory on a free port: the first start initialises the
# directory with demo data, prints the console password and an admin token
# once, and serves; /readyz answers and the printed token is accepted. A
# second start reuses the directory, prints no new secrets, and the token
# still works. The daemon is stopped by its own PID.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin run
fail() { echo "FAIL: $*" >&2; for f in out log; do echo "--- $f:" >&2; cat "$T/$f" >&2 || true; done; exit 1; }

# start: run scripts/run.sh in the background; PORT gets the bound port.
start() {
  : >"$T/log"
  ARBITER_DIR="$T/var" ARBITER_LISTEN=127.0.0.1:0 bash "$SRC/scripts/run.sh" "$ARBITER" \
    >"$T/out" 2>"$T/log" &
  PID=$!
  it_wait_port "$T/log"
  it_wait_ready
}
stop() {
  kill -TERM "$PID"
  local rc=0
  wait "$PID" || rc=$?
  PID=
  [ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
}
status() { # status PATH TOKEN: prints the HTTP status; the body goes to $T/body
  curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $2" "$U$1"
}

# --- first start: a fresh directory ---------------------------------------------
start
TOKEN=$(sed -nE 's/^ *admin API token +(arb_[A-Za-z0-9_-]+)$/\1/p' "$T/out")
PASSWORD=$(sed -nE 's/^ *console password +([A-Za-z0-9_-]+)$/\1/p' "$T/out")
[ -n "$TOKEN" ] || fail "no admin token printed"
[ "${#PASSWORD}" -ge 20 ] || fail "no console password printed"
grep -q 'console login *admin' "$T/out" || fail "no console login printed"
[ "$(grep -c "$TOKEN" "$T/out")" = 1 ] || fail "the token is printed more than once"
grep -q "$TOKEN" "$T/log" && fail "the token reached the log"
grep -q "$PASSWORD" "$T/log" && fail "the password reached the log"
grep -rq "$PASSWORD" "$T/var" && fail "the password is stored in clear"
[ "$(status /v1/policy "$TOKEN")" = 200 ] || fail "the printed token is refused: $(cat "$T/body")"
jq -e '.standards | length > 0' "$T/body" >/dev/null || fail "policy document: $(cat "$T/body")"
[ "$(status /v1/policy arb_not_a_token)" = 401 ] || fail "a bad token is accepted"
[ "$(status /metrics "$TOKEN")" = 200 ] || fail "metrics with the admin token"
# the printed password signs in to the console; over plain HTTP the cookie is not Secure
got=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "{\"login\":\"admin\",\"password\":\"$PASSWORD\"}" "$U/v1/session")
[ "$got" = 201 ] || fail "sign-in with the printed password: $got $(cat "$T/body")"
grep -qi '^set-cookie:.*HttpOnly' "$T/headers" || fail "no session cookie"
grep -qi '^set-cookie:.*Secure' "$T/headers" && fail "Secure cookie over plain HTTP"
stop

# the demo data: four legal requests from four countries, notices, decisions
export ARBITER_DIR="$T/var"
[ "$("$ARBITER" request list --json | jq length)" = 4 ] || fail "demo requests"
[ "$("$ARBITER" request list --json | jq -r '[.[].country] | sort | join(",")')" = BR,DE,IN,PK ] \
  || fail "demo request countries: $("$ARBITER" request list --json)"
[ "$("$ARBITER" visibility demo-post-101 --country PK)" = restricted ] || fail "PK restriction"
[ "$("$ARBITER" visibility demo-post-101 --country IN)" = visible ] || fail "restricted outside PK"
[ "$("$ARBITER" visibility demo-post-501 --country FR)" = removed ] || fail "decided notice"
[ "$("$ARBITER" case list --kind notice --json | jq length)" = 3 ] || fail "demo notices"
[ "$("$ARBITER" case list --kind flag --json | jq length)" = 3 ] \
  || fail "demo flagged posts: $("$ARBITER" case list --kind flag --json)"
"$ARBITER" audit verify >/dev/null || fail "audit chain of the demo data"
unset ARBITER_DIR

# --- second start: the same directory, no new secrets ------------------------------
start
grep -qi 'password\|token\|arb_' "$T/out" && fail "the second start printed secrets: $(cat "$T/out")"
[ "$(status /v1/policy "$TOKEN")" = 200 ] || fail "the first token no longer works"
stop

# a directory that is not empty and holds no store is refused, untouched
mkdir "$T/other" && echo keep >"$T/other/file"
if ARBITER_DIR="$T/other" ARBITER_LISTEN=127.0.0.1:0 bash "$SRC/scripts/run.sh" "$ARBITER" \
  >"$T/out" 2>"$T/log"; then fail "a non-empty directory without a store was used"; fi
grep -q 'holds no arbiter.db' "$T/log" || fail "the refusal does not say why"
[ "$(ls "$T/other")" = file ] || fail "the refused directory was changed"
echo "it_run: ok"
