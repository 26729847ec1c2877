#!/usr/bin/env bash
# scripts/run.sh [ARBITER] - what `make run` does: serve arbiterd with the
# default policy and demo data, in the foreground until Ctrl-C.
#
# The first time (no store in the directory yet) it initialises the directory,
# adds an admin with a random console password, makes an admin API token,
# loads the demo legal requests and notices of examples/demo/, and prints the
# password and the token once, on standard output. The store keeps only their
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
# notices from a user and a trusted flagger (one decided).
demo_data() {
  local a=("$arbiter")
  export ARBITER_DIR=$1
  "${a[@]}" user add legal1 --role legal --as admin >/dev/null
  "${a[@]}" user add moderator1 --role moderator --as admin >/dev/null
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
  trap 'rm -rf "$tmp"' EXIT
  local out
  out=$("$arbiter" init "$tmp" 2>&1) || { echo "$out" >&2; exit 1; }
  local password token
  password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
  printf '%s\n' "$password" | ARBITER_DIR=$tmp "$arbiter" user add admin --role admin \
    --password-stdin >/dev/null
  token=$(ARBITER_DIR=$tmp "$arbiter" token create --role admin --user admin --name make-run)
  demo_data "$tmp"
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
