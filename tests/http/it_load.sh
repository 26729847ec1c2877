#!/usr/bin/env bash
# it_load.sh ARBITER SOURCE_DIR - arbiterd under concurrent load (wrk):
#   (a) hot reload: while POST /v1/check and GET /v1/items/{id}/visibility run
#       without pause, the policy is swapped by SIGHUP and by POST /v1/policy,
#       alternating two policies that give a probe text different verdicts;
#       every request of the load answers 2xx and each swap's verdict is seen.
#   (b) SIGTERM under load: see the section below.
# Load is moderate (a few seconds) so the test also runs under ASan. Daemons
# listen on 127.0.0.1 port 0 and are stopped by their own PID.
set -euo pipefail
ARBITER=$1
SRC=$2
T=$(mktemp -d /tmp/ar-it-load-XXXXXX)
PID=
WRK=()
cleanup() {
  for p in "${WRK[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- log (tail):" >&2; tail -20 "$T/log" >&2 || true; exit 1; }
command -v wrk >/dev/null || fail "wrk is missing (scripts/deps.sh)"

# start_daemon: serve on port 0; sets PID, PORT and U once /readyz answers.
start_daemon() {
  "$ARBITER" serve --dir "$T/var" --policy "$T/policy.yaml" --listen 127.0.0.1:0 \
    --threads 2 --rate 0 2>>"$T/log" &
  PID=$!
  PORT=
  for _ in $(seq 200); do
    PORT=$(grep '"event":"listening"' "$T/log" 2>/dev/null | tail -1 |
      sed -E 's/.*"port":([0-9]+).*/\1/' || true)
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || fail "serve exited"
    sleep 0.1
  done
  [ -n "$PORT" ] || fail "no listening line"
  U="http://127.0.0.1:$PORT"
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$U/readyz")" = 200 ] && return 0
    sleep 0.1
  done
  fail "not ready"
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

echo "it_load: ok"
