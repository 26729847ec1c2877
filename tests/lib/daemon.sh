# tests/lib/daemon.sh - what the shell tests that start arbiterd share.
# Source it after setting ARBITER and SRC:
#   it_begin NAME      a temp dir $T, PID unset, an EXIT trap that kills the
#                      daemon by its own PID and removes $T, and fail MSG
#                      (prints MSG and $T/log, exits 1)
#   it_wait_port LOG   wait for the daemon's first log line ("listening") in
#                      LOG; sets PORT and U (http://127.0.0.1:PORT); fails if
#                      the process $PID exits first
#   it_wait_ready      wait until $U/readyz answers 200
#   it_serve_staffed   a store in $V with an admin "root" and a moderator
#                      "mod", tokens $ADMIN, $MOD (acting for them) and
#                      $CLIENT, and arbiterd serving it with a one-standard
#                      spam policy ($T/policy.yaml), ready at $U
# Daemons listen on 127.0.0.1 port 0; nothing here touches another process.

it_begin() {
  T=$(mktemp -d "/tmp/ar-it-$1-XXXXXX")
  PID=
  trap it_cleanup EXIT
}

it_cleanup() {
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
  rm -rf "$T"
}

fail() {
  echo "FAIL: $*" >&2
  echo "--- log:" >&2
  cat "$T/log" >&2 2>/dev/null || true
  exit 1
}

it_wait_port() {
  local log=$1
  PORT=
  for _ in $(seq 300); do
    PORT=$(grep -m1 '"event":"listening"' "$log" 2>/dev/null | sed -E 's/.*"port":([0-9]+).*/\1/' || true)
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || fail "the daemon exited before listening"
    sleep 0.1
  done
  [ -n "$PORT" ] || fail "no listening line in $log"
  U="http://127.0.0.1:$PORT"
}

it_wait_ready() {
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$U/readyz")" = 200 ] && return 0
    sleep 0.1
  done
  fail "/readyz never answered 200"
}

it_serve_staffed() {
  V=$T/var
  "$ARBITER" init "$V" >/dev/null 2>&1
  "$ARBITER" user add root --role admin --dir "$V" >/dev/null
  "$ARBITER" user add mod --role moderator --dir "$V" --as root >/dev/null
  ADMIN=$("$ARBITER" token create --dir "$V" --role admin --user root --name ops)
  MOD=$("$ARBITER" token create --dir "$V" --role moderator --user mod --name mod)
  CLIENT=$("$ARBITER" token create --dir "$V" --role client --name feed)
  cat >"$T/policy.yaml" <<'YAML'
version: 1
standards:
  - id: spam
    title: Spam
    action: review
    rules:
      - terms: [free money]
YAML
  "$ARBITER" serve --dir "$V" --policy "$T/policy.yaml" --listen 127.0.0.1:0 --threads 2 \
    2>"$T/log" &
  PID=$!
  it_wait_port "$T/log"
  it_wait_ready
}
