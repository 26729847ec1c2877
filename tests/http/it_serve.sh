#!/usr/bin/env bash
# it_serve.sh ARBITER SOURCE_DIR - arbiterd end to end on loopback: tokens,
# serve on port 0, happy paths and bad input with curl, SIGHUP with a changed
# policy, SIGTERM exits 0 promptly. The daemon is stopped by its own PID.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin serve

"$ARBITER" init "$T/var" >/dev/null 2>&1
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
ADMIN=$("$ARBITER" token create --dir "$T/var" --role admin --name ops)
[[ $CLIENT =~ ^arb_[A-Za-z0-9_-]{43}$ ]] || fail "token format: $CLIENT"
"$ARBITER" token create --dir "$T/var" --role root >/dev/null 2>&1 && fail "bad role accepted"

cp "$SRC/tests/check/data/policy.yaml" "$T/policy.yaml"
"$ARBITER" serve --dir "$T/var" --policy "$T/policy.yaml" --listen 127.0.0.1:0 --threads 2 \
  2>"$T/log" &
PID=$!
it_wait_port "$T/log"
head -1 "$T/log" | grep -q '"event":"listening"' || fail "first log line is not the listening line"
it_wait_ready

# code METHOD PATH [TOKEN] [BODY]: prints the status; the body goes to $T/body
code() {
  local args=(-s -o "$T/body" -w '%{http_code}' -X "$1")
  [ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
  [ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" "$U$2"
}
expect() { # expect STATUS METHOD PATH [TOKEN] [BODY]
  local want=$1; shift
  local got; got=$(code "$@")
  [ "$got" = "$want" ] || fail "$1 $2: $got, expected $want: $(cat "$T/body")"
}

expect 200 GET /healthz
expect 200 GET /readyz
expect 200 GET /openapi.json
jq -e '.openapi == "3.1.0" and (.paths["/v1/check"].post != null)' "$T/body" >/dev/null \
  || fail "openapi document"
expect 200 POST /v1/check "$CLIENT" '{"id":"p1","text":"free money now"}'
jq -e '.flagged == true and .action == "review" and .id == "p1"' "$T/body" >/dev/null \
  || fail "check verdict: $(cat "$T/body")"
expect 200 POST '/v1/check:batch' "$CLIENT" '{"items":[{"text":"hi"},{"text":"kill all"}]}'
jq -e '.results[1].action == "remove"' "$T/body" >/dev/null || fail "batch"
expect 200 GET '/v1/items/p%2F1/visibility?country=pk' "$CLIENT"
jq -e '.item == "p/1" and .country == "PK" and .state == "visible"' "$T/body" >/dev/null \
  || fail "visibility: $(cat "$T/body")"
expect 200 POST '/v1/visibility:batch' "$CLIENT" '{"country":"DE","items":[{"item":"a"}]}'
expect 200 GET /v1/policy "$ADMIN"
expect 200 GET /metrics "$ADMIN"
grep -q 'arbiter_http_requests_total{method="POST",route="/v1/check",status="200"} 1' "$T/body" \
  || fail "metrics"

# bad input and refusals: JSON errors with the right status
expect 401 POST /v1/check "" '{"text":"x"}'
jq -e '.error.code == "unauthenticated"' "$T/body" >/dev/null || fail "401 shape"
expect 401 POST /v1/check "arb_nope" '{"text":"x"}'
expect 403 GET /v1/policy "$CLIENT"
expect 403 POST /v1/policy "$CLIENT" 'version: 1'
expect 400 POST /v1/check "$CLIENT" '{"text":'
expect 400 POST /v1/check "$CLIENT" '{"text":"x","colour":"red"}'
jq -e '.error.field == "colour"' "$T/body" >/dev/null || fail "unknown field not named"
printf '{"text":"\xff"}' >"$T/badutf8"
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $CLIENT" \
  --data-binary @"$T/badutf8" "$U/v1/check")
[ "$got" = 400 ] || fail "invalid UTF-8: $got"
expect 400 GET '/v1/items/a/visibility?country=ZZZ' "$CLIENT"
expect 404 GET /v1/nothing "$CLIENT"
expect 405 DELETE /v1/check "$CLIENT"
head -c 1100000 /dev/zero | tr '\0' 'a' >"$T/big"
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $CLIENT" \
  --data-binary @"$T/big" "$U/v1/check")
[ "$got" = 413 ] || fail "oversized body: $got"
kill -0 "$PID" || fail "daemon died"

# the console over real HTTP: sign in, a cookie, CSRF on changes
printf 'correct horse battery\n' | "$ARBITER" user add ada --role admin --password-stdin \
  --dir "$T/var" >/dev/null 2>&1 || fail "user add ada"
printf 'correct horse battery\n' | "$ARBITER" user add mo --role moderator --password-stdin \
  --dir "$T/var" --as ada >/dev/null 2>&1 || fail "user add mo"
expect 201 POST /v1/notices "$CLIENT" '{"item":{"id":"p9"},"notifier_kind":"user",
  "category":"spam","explanation":"scam","location":"https://x.example/p9","good_faith":true}'
CASE=$(jq -r .case "$T/body")
got=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' -c "$T/jar" \
  -H 'Content-Type: application/json' --data-binary '{"login":"mo","password":"correct horse battery"}' \
  "$U/v1/session")
[ "$got" = 201 ] || fail "sign in: $got $(cat "$T/body")"
grep -qi '^set-cookie: arb_session=ars_[^;]*; Path=/; HttpOnly; SameSite=Strict' "$T/headers" \
  || fail "session cookie: $(cat "$T/headers")"
CSRF=$(jq -r .csrf_token "$T/body")
got=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/jar" -X POST "$U/v1/cases/$CASE/assign")
[ "$got" = 403 ] && jq -e '.error.code == "csrf_token_invalid"' "$T/body" >/dev/null \
  || fail "change without CSRF: $got $(cat "$T/body")"
got=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $CSRF" -X POST \
  "$U/v1/cases/$CASE/assign")
[ "$got" = 200 ] && jq -e '.assignee == "mo"' "$T/body" >/dev/null \
  || fail "change with CSRF: $got $(cat "$T/body")"
got=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $CSRF" -X DELETE \
  "$U/v1/session")
[ "$got" = 200 ] || fail "sign out: $got"
got=$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/jar" "$U/v1/cases")
[ "$got" = 401 ] || fail "signed-out cookie still works: $got"
grep -q 'correct horse' "$T/log" && fail "a password reached the log"

# the log: one line per request with the route pattern, never tokens or ids
grep -q '"route":"/v1/items/{id}/visibility"' "$T/log" || fail "log lacks the route pattern"
grep -q "$CLIENT" "$T/log" && fail "a token reached the log"
grep -q 'p%2F1\|"p/1"' "$T/log" && fail "an item id reached the log"

# SIGHUP with a changed policy: the new rule applies
cat >"$T/policy.yaml" <<'YAML'
version: 1
standards:
  - id: fruit
    title: Fruit
    action: remove
    rules:
      - terms: [durian]
YAML
kill -HUP "$PID"
for _ in $(seq 50); do
  grep -q '"event":"policy_swapped"' "$T/log" && break
  sleep 0.1
done
expect 200 POST /v1/check "$CLIENT" '{"text":"a durian"}'
jq -e '.action == "remove"' "$T/body" >/dev/null || fail "new policy not in force: $(cat "$T/body")"
# a bad policy on SIGHUP keeps the running one
echo 'version: 1
standards: [' >"$T/policy.yaml"
kill -HUP "$PID"
for _ in $(seq 50); do
  grep -q '"event":"policy_kept"' "$T/log" && break
  sleep 0.1
done
grep -q '"event":"policy_kept"' "$T/log" || fail "bad policy not reported"
expect 200 POST /v1/check "$CLIENT" '{"text":"a durian"}'
jq -e '.action == "remove"' "$T/body" >/dev/null || fail "old policy lost"

# SIGTERM: drains and exits 0, promptly
kill -TERM "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "still running 5 s after SIGTERM"
rc=0; wait "$PID" || rc=$?
PID=
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
grep -q '"event":"stopped"' "$T/log" || fail "no stopped line"
echo "it_serve: ok"
