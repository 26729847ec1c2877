#!/usr/bin/env bash
# it_tls.sh ARBITER SOURCE_DIR - arbiterd over HTTPS: a throwaway self-signed
# certificate (openssl), `curl --cacert` works, an authenticated request
# works, a console sign-in gets a Secure cookie, plain HTTP on the same port
# gets no answer, and a bad or mismatched certificate stops the daemon at
# start with a message naming tls_cert.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin tls
for v in $(env | sed -n 's/^\(ARBITER_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

cert() { # cert NAME: NAME.pem and NAME.key, for 127.0.0.1 and localhost
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$T/$1.key" -out "$T/$1.pem" -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
}
cert good
cert other
"$ARBITER" init "$T/var" >/dev/null 2>&1
echo 'a long console passphrase' | "$ARBITER" user add admin --role admin --password-stdin \
  --dir "$T/var" >/dev/null
TOKEN=$("$ARBITER" token create --dir "$T/var" --role client)
cat >"$T/arbiter.yaml" <<YAML
listen: 127.0.0.1:0
dir: $T/var
policy: $SRC/tests/check/data/policy.yaml
tls_cert: $T/good.pem
tls_key: $T/good.key
YAML

"$ARBITER" serve --config "$T/arbiter.yaml" 2>"$T/log" &
PID=$!
it_wait_port "$T/log"
grep -m1 '"event":"listening"' "$T/log" | jq -e '.scheme == "https"' >/dev/null || fail "scheme"

got=$(curl -s --cacert "$T/good.pem" -o "$T/body" -w '%{http_code}' "https://127.0.0.1:$PORT/readyz")
[ "$got" = 200 ] || fail "https /readyz: $got"
got=$(curl -s --cacert "$T/good.pem" -o "$T/body" -w '%{http_code}' \
  -H "Authorization: Bearer $TOKEN" --data-binary '{"text":"free money now"}' \
  "https://localhost:$PORT/v1/check")
[ "$got" = 200 ] || fail "https /v1/check: $got $(cat "$T/body")"
jq -e '.flagged == true' "$T/body" >/dev/null || fail "verdict over https: $(cat "$T/body")"
# console sign-in over HTTPS: the session cookie is Secure
got=$(curl -s --cacert "$T/good.pem" -D "$T/headers" -o "$T/body" -w '%{http_code}' \
  -H 'Content-Type: application/json' \
  --data-binary '{"login":"admin","password":"a long console passphrase"}' \
  "https://127.0.0.1:$PORT/v1/session")
[ "$got" = 201 ] || fail "sign-in over https: $got $(cat "$T/body")"
grep -qi '^set-cookie:.*; Secure' "$T/headers" || fail "session cookie without Secure over https"
# a client that does not trust the certificate refuses it
curl -s -o /dev/null --cacert "$T/other.pem" "https://127.0.0.1:$PORT/readyz" \
  && fail "a certificate not issued by the trusted one was accepted"
# plain HTTP gets no HTTP answer (the TLS handshake fails), and the daemon lives on
got=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz" || true)
[ "$got" = 000 ] || fail "plain http answered: $got"
got=$(curl -s --cacert "$T/good.pem" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/healthz")
[ "$got" = 200 ] || fail "https after a plain-http attempt: $got"
grep -q "$TOKEN" "$T/log" && fail "a token reached the log"
kill -TERM "$PID"
rc=0; wait "$PID" || rc=$?
PID=
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"

# bad certificates stop the daemon at start, naming tls_cert
start_fails() { # start_fails WHAT CERT KEY
  local rc=0
  timeout 20 "$ARBITER" serve --config "$T/arbiter.yaml" --tls-cert "$2" --tls-key "$3" \
    2>"$T/log" || rc=$?
  [ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "$1: exit status $rc"
  grep -q '"event":"listening"' "$T/log" && fail "$1: it served"
  grep -q "tls_cert" "$T/log" || fail "$1: the message does not name tls_cert: $(cat "$T/log")"
  return 0
}
echo "not a certificate" >"$T/junk.pem"
start_fails "certificate that is not PEM" "$T/junk.pem" "$T/good.key"
start_fails "key of another certificate" "$T/good.pem" "$T/other.key"
start_fails "certificate as key" "$T/good.pem" "$T/good.pem"
echo "it_tls: ok"
