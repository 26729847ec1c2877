#!/usr/bin/env bash
# scripts/run.sh [ARBITER] - what `make run` does: serve arbiterd with the
# default policy and demo data, in the foreground until Ctrl-C.
#
# The first time (no store in the directory yet) it initialises the directory,
# adds an admin with a random console password, makes an admin API token,
# loads the demo legal requests, notices and flagged posts of examples/demo/,
# and prints the password and the token once, on standard output. The store keeps only their
# hashes, so a later run reuses the directory and prints no secrets.
#
# ARBITER is the built binary (default build/arbiter). The same variables as
# `arbiter serve` choose the directory, address and policy (docs/CONFIG.md):
#   ARBITER_DIR     default ./var
#   ARBITER_LISTEN  default 127.0.0.1:8080 (127.0.0.1:0 picks a free port; the
#                   first log line, {"event":"listening",...}, gives it)
#   ARBITER_POLICY  default policies/default.yaml
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arbiter=${1:-$root/build/arbiter}
export ARBITER_DIR=${ARBITER_DIR:-./var}
export ARBITER_LISTEN=${ARBITER_LISTEN:-127.0.0.1:8080}
export ARBITER_POLICY=${ARBITER_POLICY:-$root/policies/default.yaml}
demo=$root/examples/demo

[ -x "$arbiter" ] || { echo "run: no arbiter binary at $arbiter (run make first)" >&2; exit 1; }

# demo_data DIR: staff, legal requests from four countries (two decided),
# notices from a user and a trusted flagger (one decided), and the
# phishing-links url list the default policy's spam.phishing-link rule names.
demo_data() {
  local a=("$arbiter")
  export ARBITER_DIR=$1
  "${a[@]}" user add legal1 --role legal --as admin >/dev/null
  "${a[@]}" user add moderator1 --role moderator --as admin >/dev/null
  "${a[@]}" url-list create phishing-links --as admin \
    --description "Phishing and scam sites (demo: reserved example names only)" >/dev/null
  "${a[@]}" url-list import phishing-links "$demo/phishing-links.txt" --as admin >/dev/null
  local pk de
  pk=$("${a[@]}" request add "$demo/request_pk.json" --as legal1)
  "${a[@]}" request add "$demo/request_in.json" --as legal1 >/dev/null
  de=$("${a[@]}" request add "$demo/request_de.json" --as legal1)
  "${a[@]}" request add "$demo/request_br.json" --as legal1 >/dev/null
  "${a[@]}" request decide "$pk" --item demo-post-101 --outcome restrict --as legal1 >/dev/null
  "${a[@]}" request decide "$pk" --item demo-post-102 --outcome decline --reason overbroad \
    --as legal1 >/dev/null
  "${a[@]}" request decide "$de" --item demo-post-301 --outcome restrict --as legal1 >/dev/null
  local spam
  spam=$("${a[@]}" notice add "$demo/notice_spam.json")
  "${a[@]}" notice add "$demo/notice_harassment.json" >/dev/null
  "${a[@]}" notice add "$demo/notice_violence.json" >/dev/null
  "${a[@]}" case decide "$spam" --action remove --standard spam \
    --statement "Fake lottery with a payment link." --as moderator1 >/dev/null
}

# flag_items DIR TOKEN: the posts of flagged.jsonl through POST /v1/check
# with "record": true, on a daemon of its own for the moment: flagged ones
# become review cases, as the policy says (there is no CLI path for this).
flag_items() {
  local log
  log=$(mktemp)
  ARBITER_DIR=$1 ARBITER_LISTEN=127.0.0.1:0 ARBITER_LOG_LEVEL=warn "$arbiter" serve 2>"$log" &
  demo_pid=$!
  local port=
  for _ in $(seq 600); do
    port=$(sed -nE 's/.*"event":"listening".*"port":([0-9]+).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$demo_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "run: the daemon loading the demo never listened" >&2; exit 1; }
  local line
  while IFS= read -r line; do
    curl -sS -f -o /dev/null -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
      --data-binary "$line" "http://127.0.0.1:$port/v1/check" \
      || { echo "run: loading $demo/flagged.jsonl failed" >&2; exit 1; }
  done <"$demo/flagged.jsonl"
  kill -TERM "$demo_pid"
  wait "$demo_pid" || { cat "$log" >&2; exit 1; }
  demo_pid=
  rm -f "$log"
}

# first_run: build the directory beside its final place and move it in only
# once it is complete, so a failed first run leaves nothing a second run would
# mistake for a finished one.
first_run() {
  local final=$ARBITER_DIR
  if [ -e "$final" ] && [ -n "$(ls -A "$final" 2>/dev/null)" ]; then
    echo "run: $final exists but holds no arbiter.db: move it away or set ARBITER_DIR" >&2
    exit 1
  fi
  local tmp=$final.init.$$
  demo_pid=
  trap 'if [ -n "$demo_pid" ]; then kill -KILL "$demo_pid" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
  local out
  out=$("$arbiter" init "$tmp" 2>&1) || { echo "$out" >&2; exit 1; }
  local password token
  password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
  printf '%s\n' "$password" | ARBITER_DIR=$tmp "$arbiter" user add admin --role admin \
    --password-stdin >/dev/null
  token=$(ARBITER_DIR=$tmp "$arbiter" token create --role admin --user admin --name make-run)
  demo_data "$tmp"
  flag_items "$tmp" "$token"
  export ARBITER_DIR=$final
  [ -e "$final" ] && rmdir "$final"
  mv "$tmp" "$final"
  trap - EXIT
  cat <<EOF
================================================================================
 arbiter: initialised $final with demo data. Shown once, never again:

   console login     admin
   console password  $password
   admin API token   $token

 Try: curl -H "Authorization: Bearer <token>" http://<listen>/v1/policy
================================================================================
EOF
}

[ -e "$ARBITER_DIR/arbiter.db" ] || first_run
exec "$arbiter" serve
