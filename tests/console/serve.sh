# tests/console/serve.sh - sourced by the console tests after $ARBITER, $SRC
# and $T are set: start arbiterd on 127.0.0.1 port 0 with the workflow in
# $T/var and the console from ${CONSOLE_DIR:-$SRC/console}, read the port from
# its first log line, wait until ready. Sets PID and U; the caller's trap
# stops the daemon by its PID.
"$ARBITER" serve --dir "$T/var" --policy "$SRC/tests/check/data/policy.yaml" \
  --listen 127.0.0.1:0 --threads 2 --console-dir "${CONSOLE_DIR:-$SRC/console}" 2>"$T/log" &
PID=$!
PORT=
for _ in $(seq 100); do
  PORT=$(head -1 "$T/log" 2>/dev/null | grep '"event":"listening"' | sed -E 's/.*"port":([0-9]+).*/\1/' || true)
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || fail "serve exited"
  sleep 0.1
done
[ -n "$PORT" ] || fail "no listening line"
U="http://127.0.0.1:$PORT"
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$U/readyz")" = 200 ] && break
  sleep 0.1
done
