#!/usr/bin/env bash
# it_config.sh ARBITER SOURCE_DIR - arbiterd's settings (docs/CONFIG.md):
# precedence defaults < config file < environment < flags, every kind of bad
# value from each source refused before binding with a message naming the
# key, the limits enforced with JSON errors (header size, connections, slow
# clients, body size), the log level, and the `arbiterd` name.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin config

"$ARBITER" init "$T/var" >/dev/null 2>&1
TOKEN=$("$ARBITER" token create --dir "$T/var" --role client)
cp "$SRC/tests/check/data/policy.yaml" "$T/policy.yaml"
# Settings must come only from what each case gives.
for v in $(env | sed -n 's/^\(ARBITER_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

# serve ARGS...: start the daemon (environment as set by the caller); PORT, U.
SERVE=("$ARBITER" serve)
serve() {
  "${SERVE[@]}" "$@" 2>"$T/log" &
  PID=$!
  it_wait_port "$T/log"
}
stop() {
  kill -TERM "$PID"
  local rc=0
  wait "$PID" || rc=$?
  PID=
  [ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
}
listen_of() { grep -m1 '"event":"listening"' "$T/log" | jq -r .listen; }
post() { # post BYTES: POST /v1/check with a body of that size; prints the status
  local n=$1
  { printf '{"text":"'; head -c $((n - 12)) /dev/zero | tr '\0' a; printf '"}'; } >"$T/req"
  curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    --data-binary @"$T/req" "$U/v1/check"
}

# --- precedence: file < environment < flag -------------------------------------
# Three spellings of port 0 tell the sources apart in the listening line; the
# body limit shows that numbers follow the same order.
cat >"$T/c.yaml" <<YAML
listen: "127.0.0.1:0"
dir: $T/var
policy: $T/policy.yaml
body_max: 1000
threads: 1
YAML
serve --config "$T/c.yaml"
[ "$(listen_of)" = 127.0.0.1:0 ] || fail "file listen: $(listen_of)"
[ "$(post 900)" = 200 ] || fail "900 bytes under the file's body_max: $(cat "$T/body")"
[ "$(post 1100)" = 413 ] || fail "1100 bytes over the file's body_max"
jq -e '.error.code == "too_big" and .error.field == "body"' "$T/body" >/dev/null || fail "413 shape"
stop
ARBITER_LISTEN=127.0.0.1:00 ARBITER_BODY_MAX=2000 serve --config "$T/c.yaml"
[ "$(listen_of)" = 127.0.0.1:00 ] || fail "environment over file: $(listen_of)"
[ "$(post 1100)" = 200 ] || fail "the environment's body_max does not override the file's"
[ "$(post 2100)" = 413 ] || fail "2100 bytes over the environment's body_max"
stop
ARBITER_CONFIG="$T/c.yaml" ARBITER_LISTEN=127.0.0.1:00 ARBITER_BODY_MAX=2000 \
  serve --listen 127.0.0.1:000 --body-max 3000
[ "$(listen_of)" = 127.0.0.1:000 ] || fail "flag over environment: $(listen_of)"
[ "$(post 2100)" = 200 ] || fail "the flag's body_max does not override the environment's"
[ "$(post 3100)" = 413 ] || fail "3100 bytes over the flag's body_max"
stop
# the older flag names still work
serve --config "$T/c.yaml" --timeout 5 --max-connections 10
stop

# --- refusals: exit 2 before binding, naming the key and where it came from -----
# refused WHAT PATTERN [ENV=VALUE...] -- ARGS...
refused() {
  local what=$1 pattern=$2
  shift 2
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  local rc=0
  # (a timeout, so that a setting wrongly accepted fails the test instead of serving)
  timeout 20 env "${envs[@]}" "$ARBITER" serve --listen 127.0.0.1:0 --dir "$T/var" "$@" >"$T/out" 2>"$T/log" || rc=$?
  [ "$rc" = 2 ] || fail "$what: exit status $rc, expected 2"
  grep -q '"event":"listening"' "$T/log" && fail "$what: it bound a socket"
  grep -qE -- "$pattern" "$T/log" || fail "$what: message does not match '$pattern': $(cat "$T/log")"
  return 0
}
P=(--policy "$T/policy.yaml")
refused "no policy" "no policy: set 'policy'" --
refused "unknown flag" "unknown option '--colour'" -- "${P[@]}" --colour red
refused "stray argument" "unknown argument 'extra'" -- "${P[@]}" extra
for bad in "threads=abc" "threads=-1" "threads=1025" "threads=1.5" "threads= 2" \
  "body_max=0" "body_max=67108865" "body_max=1MB" "header_max=1023" "header_max=1048577" \
  "connections_max=0" "connections_max=1000001" "connection_timeout=0" \
  "connection_timeout=3601" "rate=-1" "rate=fast" "rate=1e10" "burst=nan" \
  "log_level=verbose" "log_level=INFO"; do
  key=${bad%%=*} val=${bad#*=}
  flag=--${key//_/-}
  env=ARBITER_$(tr a-z A-Z <<<"$key")
  refused "flag $bad" "^arbiter serve: $flag: '$key' must be" -- "${P[@]}" "$flag" "$val"
  refused "env $bad" "^arbiter serve: environment $env: '$key' must be" "$env=$val" -- "${P[@]}"
  printf 'policy: %s\n%s: "%s"\n' "$T/policy.yaml" "$key" "$val" >"$T/bad.yaml"
  refused "file $bad" "bad.yaml:2:[0-9]+: '$key' must be" -- --config "$T/bad.yaml"
done
refused "empty environment variable" "environment ARBITER_LISTEN: 'listen' is empty" \
  ARBITER_LISTEN= -- "${P[@]}"
refused "empty flag value" "--dir: 'dir' is empty" -- "${P[@]}" --dir ""
long=$(head -c 300 /dev/zero | tr '\0' x)
refused "listen too long" "'listen' is longer than 255 bytes" -- "${P[@]}" --listen "$long"
refused "listen unparsable" "'listen' must be HOST:PORT" -- "${P[@]}" --listen nonsense
refused "listen port too big" "'listen' must be HOST:PORT" -- "${P[@]}" --listen 127.0.0.1:65536

cat >"$T/bad.yaml" <<YAML
policy: $T/policy.yaml
threds: 2
body_max: [1]
listen:
rate: 5
rate: 6
colour: red
YAML
refused "config file: every problem" "bad.yaml:2:1: unknown key 'threds' in the config file \(did you mean 'threads'\?\)" \
  -- --config "$T/bad.yaml"
grep -q "bad.yaml:3:11: 'body_max' must be a single value, not a list" "$T/log" || fail "list value"
grep -q "bad.yaml:4:.*'listen' is empty" "$T/log" || fail "empty value"
grep -q "bad.yaml:6:1: duplicate key 'rate'" "$T/log" || fail "duplicate key"
grep -q "bad.yaml:7:1: unknown key 'colour'.*docs/CONFIG.md" "$T/log" || fail "unknown key without a near name"
[ "$(grep -c 'bad.yaml' "$T/log")" = 5 ] || fail "not every problem listed once"
printf -- '- listen\n' >"$T/bad.yaml"
refused "config file not a mapping" "bad.yaml:1:1: a config file must be a mapping" -- --config "$T/bad.yaml"
: >"$T/bad.yaml"
refused "empty config file" "the config file is empty" -- --config "$T/bad.yaml"
echo '# nothing but a comment' >"$T/bad.yaml"
refused "config file of comments" "the config file is empty" -- --config "$T/bad.yaml"
printf 'listen: [\n' >"$T/bad.yaml"
refused "YAML syntax" "bad.yaml:[0-9]+:[0-9]+: .*YAML" -- --config "$T/bad.yaml"
printf 'listen: "127.0.0.1:0\n' >"$T/bad.yaml"
refused "YAML syntax on the first line" "bad.yaml:1:[0-9]+: .*YAML" -- --config "$T/bad.yaml"
grep -q "empty" "$T/log" && fail "a syntax error reported as an empty file"
refused "missing config file" "nothing.yaml" -- --config "$T/nothing.yaml"
refused "missing config file from the environment" "nothing.yaml" ARBITER_CONFIG="$T/nothing.yaml" --
refused "cert without key" "'tls_cert' and 'tls_key' go together: 'tls_key' is missing" \
  -- "${P[@]}" --tls-cert "$T/policy.yaml"
refused "key without cert" "'tls_cert' is missing" ARBITER_TLS_KEY="$T/policy.yaml" -- "${P[@]}"
refused "missing cert file" "'tls_cert': cannot read $T/none.pem" \
  -- "${P[@]}" --tls-cert "$T/none.pem" --tls-key "$T/policy.yaml"
refused "missing key file" "'tls_key': cannot read $T/none.pem" \
  -- "${P[@]}" --tls-key "$T/none.pem" --tls-cert "$T/policy.yaml"

# --- limits, each answered with a JSON error -------------------------------------
serve "${P[@]}" --dir "$T/var" --listen 127.0.0.1:0 --threads 1 --header-max 2048 \
  --connections-max 2 --connection-timeout 1
# headers over header_max: 431 from arbiter
big=$(head -c 3000 /dev/zero | tr '\0' a)
got=$(curl -s -o "$T/body" -w '%{http_code}' -H "X-Big: $big" "$U/healthz")
[ "$got" = 431 ] || fail "header over header_max: $got"
jq -e '.error.code == "too_big" and .error.field == "headers"' "$T/body" >/dev/null \
  || fail "431 is not arbiter's JSON: $(cat "$T/body")"
grep -q '"event":"request_refused","status":431' "$T/log" || fail "431 not logged"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Small: ${big:0:1000}" "$U/healthz")" = 200 ] \
  || fail "header under header_max refused"
# connections: two held open by slow clients, the third request gets 503 JSON
exec 3<>"/dev/tcp/127.0.0.1/$PORT" 4<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3 # headers never finished
printf 'POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"te' >&4 # body never finished
sleep 0.3
got=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' "$U/healthz")
[ "$got" = 503 ] || fail "over connections_max: $got"
jq -e '.error.code == "unavailable" and .error.field == "connections"' "$T/body" >/dev/null \
  || fail "503 is not arbiter's JSON: $(cat "$T/body")"
grep -qi '^retry-after: 1' "$T/headers" || fail "503 without Retry-After"
# the slow clients are closed after connection_timeout (1 s): both reads end
timeout 10 cat <&3 >/dev/null || fail "a slow-header client was not closed"
timeout 10 cat <&4 >/dev/null || fail "a slow-body client was not closed"
exec 3<&- 4<&-
sleep 0.3
[ "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")" = 200 ] \
  || fail "not serving after the slow clients were closed"
stop

# --- log level: warn keeps the start and stop lines, drops request lines -----------
serve "${P[@]}" --dir "$T/var" --listen 127.0.0.1:0 --log-level warn
curl -s -o /dev/null "$U/healthz"
stop
grep -q '"event":"request"' "$T/log" && fail "log_level warn still logs requests"
grep -q '"event":"stopped"' "$T/log" || fail "log_level warn dropped the stopped line"
serve "${P[@]}" --dir "$T/var" --listen 127.0.0.1:0
curl -s -o /dev/null "$U/healthz"
stop
grep -q '"event":"request".*"route":"/healthz"' "$T/log" || fail "log_level info without request lines"

# --- arbiterd is arbiter serve -------------------------------------------------------
ln -s "$(cd "$(dirname "$ARBITER")" && pwd)/$(basename "$ARBITER")" "$T/arbiterd"
"$T/arbiterd" --help | grep -q 'usage: arbiter serve' || fail "arbiterd --help"
SERVE=("$T/arbiterd")
serve --config "$T/c.yaml"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$U/readyz")" = 200 ] || fail "arbiterd serving"
stop
echo "it_config: ok"
