# tests/console/serve.sh - sourced by the console tests after begin.sh: start
# arbiterd on 127.0.0.1 port 0 with the workflow in $T/var and the console
# from ${CONSOLE_DIR:-$SRC/console}, and wait until it is ready. Sets PID and
# U; the trap from begin.sh stops the daemon by its PID. POLICY (default: the
# test policy) names another policy file.
"$ARBITER" serve --dir "$T/var" --policy "${POLICY:-$SRC/tests/check/data/policy.yaml}" \
  --listen 127.0.0.1:0 --threads 2 --console-dir "${CONSOLE_DIR:-$SRC/console}" 2>"$T/log" &
PID=$!
it_wait_port "$T/log"
it_wait_ready
