#!/usr/bin/env bash
# it_load.sh ARBITER SOURCE_DIR - arbiterd under concurrent load (wrk):
#   (a) hot reload: while POST /v1/check and GET /v1/items/{id}/visibility run
#       without pause, the policy is swapped by SIGHUP and by POST /v1/policy,
#       alternating two policies that give a probe text different verdicts;
#       every request of the load answers 2xx and each swap's verdict is seen.
#   (b) SIGTERM under load: concurrent writers POST /v1/notices (each opens a
#       case) while the daemon gets SIGTERM; it exits 0, and every notice
#       answered 201 before the end is a case for its item afterwards
#       (`arbiter case list`), the audit chain verifies, and the restarted
#       daemon writes on after them.
# Load is moderate (a few seconds) so the test also runs under ASan. Daemons
# listen on 127.0.0.1 port 0 and are stopped by their own PID.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin load
WRK=()
cleanup() {
  for p in "${WRK[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  it_cleanup
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- log (tail):" >&2; tail -20 "$T/log" >&2 || true; exit 1; }
command -v wrk >/dev/null || fail "wrk is missing (scripts/deps.sh)"

# start_daemon: serve on port 0 with a log of its own ($T/log); sets PID,
# PORT and U once /readyz answers.
NSTARTS=0
start_daemon() {
  NSTARTS=$((NSTARTS + 1))
  [ -f "$T/log" ] && mv "$T/log" "$T/log.$NSTARTS"
  "$ARBITER" serve --dir "$T/var" --policy "$T/policy.yaml" --listen 127.0.0.1:0 \
    --threads 2 --rate 0 2>"$T/log" &
  PID=$!
  it_wait_port "$T/log"
  it_wait_ready
}
# stop_daemon: SIGTERM, exit 0 within 10 s.
stop_daemon() {
  kill -TERM "$PID"
  for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$PID" 2>/dev/null && fail "still running 10 s after SIGTERM"
  local rc=0
  wait "$PID" || rc=$?
  PID=
  [ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
}
# wrk_ok FILE: the wrk report shows requests and no error or non-2xx answer.
wrk_ok() {
  grep -qE 'Non-2xx|Socket errors' "$1" && fail "failed requests under load: $(cat "$1")"
  local n
  n=$(sed -nE 's/^ *([0-9]+) requests in .*/\1/p' "$1")
  [ "${n:-0}" -gt 0 ] || fail "no requests completed: $(cat "$1")"
  echo "$n"
}

"$ARBITER" init "$T/var" >/dev/null 2>&1
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name load)
ADMIN=$("$ARBITER" token create --dir "$T/var" --role admin --name ops)

# Two policies: the probe "a durian" is removed under one, labelled under the other.
policy() { # policy ACTION
  printf 'version: 1\nstandards:\n  - id: fruit\n    title: Fruit\n    action: %s\n' "$1"
  printf '    rules:\n      - terms: [durian]\n'
}
policy remove >"$T/remove.yaml"
policy label >"$T/label.yaml"
cp "$T/remove.yaml" "$T/policy.yaml"

#---- (a) hot reload under load ------------------------------------------------
start_daemon
cat >"$T/check.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $CLIENT"
wrk.body = '{"id":"load-1","text":"a durian on the market stall, and plenty of rain today"}'
EOF
LOAD_S=8
wrk -t1 -c8 -d"${LOAD_S}s" --timeout 10s -s "$T/check.lua" "$U/v1/check" >"$T/wrk-check" 2>&1 &
WRK+=($!)
wrk -t1 -c8 -d"${LOAD_S}s" --timeout 10s -H "Authorization: Bearer $CLIENT" \
  "$U/v1/items/item-1/visibility?country=PK" >"$T/wrk-vis" 2>&1 &
WRK+=($!)

# probe ACTION: the verdict for the probe text under the policy in force.
probe() {
  local got
  got=$(curl -s -H "Authorization: Bearer $CLIENT" -H 'Content-Type: application/json' \
    --data-binary '{"text":"a durian"}' "$U/v1/check" | jq -r .action)
  [ "$got" = "$1" ] || fail "after a swap the probe is '$got', expected '$1'"
}
swaps() { grep -c '"event":"policy_swapped"' "$T/log" || true; }
sleep 0.5
probe remove
start=$(date +%s)
for round in 1 2 3; do
  # SIGHUP with the other policy on disk
  cp "$T/label.yaml" "$T/policy.yaml"
  before=$(swaps)
  kill -HUP "$PID"
  for _ in $(seq 100); do [ "$(swaps)" -gt "$before" ] && break; sleep 0.05; done
  [ "$(swaps)" -gt "$before" ] || fail "round $round: no swap after SIGHUP"
  probe label
  # POST /v1/policy back to the first (answered once the new engine is in force)
  code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/yaml' --data-binary @"$T/remove.yaml" "$U/v1/policy")
  [ "$code" = 200 ] || fail "round $round: POST /v1/policy: $code $(cat "$T/body")"
  probe remove
  sleep 0.3
done
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -lt "$LOAD_S" ] || fail "the swaps took ${elapsed}s, longer than the load (${LOAD_S}s)"
for p in "${WRK[@]}"; do wait "$p" || fail "wrk failed"; done
WRK=()
n_check=$(wrk_ok "$T/wrk-check")
n_vis=$(wrk_ok "$T/wrk-vis")
[ "$(swaps)" -ge 6 ] || fail "expected 6 swaps, saw $(swaps)"
kill -0 "$PID" 2>/dev/null || fail "daemon died"
echo "it_load (a): $n_check checks and $n_vis visibility lookups, all 2xx, across 6 swaps"
stop_daemon

#---- (b) SIGTERM under load: no acknowledged write lost ------------------------
start_daemon
# writer N: notices for items load-N-1, load-N-2, ... until the daemon is gone;
# "CASE ITEM" per 201 in $T/acked.N, anything else but a refused connection
# in $T/bad.
writer() {
  local i=0 out code
  while :; do
    i=$((i + 1))
    out=$(curl -s --max-time 20 -w '\n%{http_code}' -H "Authorization: Bearer $CLIENT" \
      -H 'Content-Type: application/json' --data-binary \
      "{\"item\":{\"id\":\"load-$1-$i\"},\"notifier_kind\":\"user\",\"category\":\"spam\",
        \"explanation\":\"A fake lottery.\",\"location\":\"https://example.social/p/$1-$i\",
        \"good_faith\":true}" "$U/v1/notices") || return 0 # refused or cut: not acknowledged
    code=${out##*$'\n'}
    if [ "$code" = 201 ]; then
      echo "$(echo "${out%$'\n'*}" | jq -r .case) load-$1-$i" >>"$T/acked.$1"
    else
      echo "writer $1: $code ${out%$'\n'*}" >>"$T/bad"
    fi
  done
}
WRITERS=()
for w in 1 2 3 4; do writer "$w" & WRITERS+=($!); done
# SIGTERM once writes are flowing (at least 8 acknowledged, or 30 s)
for _ in $(seq 300); do
  [ "$(cat "$T"/acked.* 2>/dev/null | wc -l)" -ge 8 ] && break
  sleep 0.1
done
sleep 0.5
kill -TERM "$PID"
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "still running 10 s after SIGTERM under load"
rc=0; wait "$PID" || rc=$?
PID=
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM under load"
for p in "${WRITERS[@]}"; do wait "$p"; done
[ -s "$T/bad" ] && fail "writes refused before SIGTERM: $(head -5 "$T/bad")"
cat "$T"/acked.* 2>/dev/null | sort -n >"$T/acked" || true
n_acked=$(wc -l <"$T/acked")
[ "$n_acked" -gt 0 ] || fail "no write acknowledged"

# every acknowledged notice is a case for its item, in the store...
"$ARBITER" case list --dir "$T/var" --kind notice --json >"$T/cases.json" || fail "case list"
jq -r '.[] | "\(.id) \(.item)"' "$T/cases.json" | sort -n >"$T/stored"
missing=$(comm -23 <(sort "$T/acked") <(sort "$T/stored") | head -5)
[ -z "$missing" ] || fail "acknowledged but missing after SIGTERM: $missing"
"$ARBITER" audit verify --dir "$T/var" >/dev/null 2>&1 || fail "audit verify after SIGTERM"
# ...and the restarted daemon writes on after them, on the same audit chain
start_daemon
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $CLIENT" \
  -H 'Content-Type: application/json' --data-binary '{"item":{"id":"after"},"notifier_kind":
  "user","category":"spam","explanation":"e","location":"https://example.social/p/a",
  "good_faith":true}' "$U/v1/notices")
[ "$code" = 201 ] || fail "a notice after restart: $code $(cat "$T/body")"
last=$(tail -1 "$T/acked" | cut -d' ' -f1)
[ "$(jq .case "$T/body")" -gt "$last" ] || fail "the case after restart reuses an id: $(cat "$T/body")"
stop_daemon
"$ARBITER" audit verify --dir "$T/var" >/dev/null 2>&1 || fail "audit verify after the restart"
echo "it_load (b): $n_acked notices acknowledged under SIGTERM, all stored; audit verifies"

echo "it_load: ok"
