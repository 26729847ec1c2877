#!/usr/bin/env bash
# bench/http/run.sh BUILD_DIR - arbiterd over loopback beside the ceiling
# (bench_http_ceiling: libmicrohttpd in arbiterd's threading mode answering
# one fixed JSON body), issue 4's goals:
#   1. peak requests/s (wrk) of POST /v1/check (a 280-byte post, the default
#      policy) and GET /v1/items/{id}/visibility?country=PK (a restricted
#      item), each >= 60% of the ceiling for the same request;
#   2. p99 <= 5 ms at half of each endpoint's peak rate (bench_http_rate_load,
#      open loop, latency from the scheduled send time), and the ceiling at
#      the same rates for reference (what the machine itself adds);
#   3. arbiterd's RSS flat (+-5%, first minute against last) while wrk runs
#      both endpoints for BENCH_HTTP_SECONDS (default 300; 0 skips it).
#
# Cores: client and server share one machine. By default the server (either
# one) is pinned to CPU 0 with one MHD worker thread and the client to CPU 1
# with one thread, so neither steals the other's core and both servers get the
# same deal. BENCH_HTTP_SERVER_CPUS, BENCH_HTTP_CLIENT_CPUS (taskset lists),
# BENCH_HTTP_THREADS (server workers), BENCH_HTTP_CONNS (default 64),
# BENCH_HTTP_PEAK_SECONDS (default 10) and BENCH_HTTP_REPEAT (default 3; the
# median is reported with the spread) change that.
#
# arbiterd runs with --rate 0 (no per-token limit: the default of 1000/s would
# measure the limiter) and its JSON log on /dev/null, so the per-request log
# line is formatted and written but costs no disk. Servers listen on
# 127.0.0.1 at a random high port and are stopped by their own PID.
# A missed goal is reported, not fatal; a failed request or step is fatal.
set -euo pipefail
build=${1:-build}
case "$build" in /*) ;; *) build="$(pwd)/$build" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
ARBITER=$build/arbiter
CEILING=$build/bench/http/bench_http_ceiling
RATE_LOAD=$build/bench/http/bench_http_rate_load
SERVER_CPUS=${BENCH_HTTP_SERVER_CPUS:-0}
CLIENT_CPUS=${BENCH_HTTP_CLIENT_CPUS:-1}
THREADS=${BENCH_HTTP_THREADS:-1}
CONNS=${BENCH_HTTP_CONNS:-64}
PEAK_S=${BENCH_HTTP_PEAK_SECONDS:-10}
REPEAT=${BENCH_HTTP_REPEAT:-3}
RSS_S=${BENCH_HTTP_SECONDS:-300}
LAT_S=15
command -v wrk >/dev/null || { echo "bench/http: wrk is missing (scripts/deps.sh)" >&2; exit 1; }

T=$(mktemp -d /tmp/ar-bench-http-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
die() { echo "bench/http: $*" >&2; exit 1; }

#---- the store: a client token, 20 items restricted in PK -------------------
export ARBITER_DIR=$T/var
"$ARBITER" init >/dev/null 2>&1
"$ARBITER" user add bench-admin --role admin >/dev/null
"$ARBITER" user add bench-legal --role legal --as bench-admin >/dev/null
items=$(for i in $(seq 20); do printf '{"id":"item-%d"},' "$i"; done)
cat >"$T/request.json" <<EOF
{"authority": {"name": "Benchmark Authority", "country": "PK", "branch": "regulator"},
 "legal_basis": {"instrument": "Benchmark Act", "provision": "s.1"},
 "kind": "content_restriction", "received_at": "2026-11-20T10:00:00Z",
 "items": [${items%,}]}
EOF
rid=$("$ARBITER" request add "$T/request.json" --as bench-legal)
for i in $(seq 20); do
  "$ARBITER" request decide "$rid" --item "item-$i" --outcome restrict --as bench-legal >/dev/null
done
[ "$("$ARBITER" visibility item-7 --country PK)" = restricted ] || die "item-7 is not restricted"
TOKEN=$("$ARBITER" token create --role client --name bench)

# A 280-byte post (the text alone) that the default policy passes.
sentence='Went to the market this morning and the bread was still warm, the river was high after the rain.'
text="$sentence $sentence $sentence"
text=${text:0:280}
printf '{"id":"bench-1","text":"%s"}' "$text" >"$T/post.json"
cat >"$T/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = [==[$(cat "$T/post.json")]==]
EOF

#---- servers ---------------------------------------------------------------
# start_arbiterd: sets PORT and APID.
start_arbiterd() {
  for _ in 1 2 3 4 5; do
    PORT=$((20000 + RANDOM % 40000))
    taskset -c "$SERVER_CPUS" "$ARBITER" serve --policy "$src/policies/default.yaml" \
      --listen "127.0.0.1:$PORT" --threads "$THREADS" --rate 0 2>/dev/null &
    APID=$!
    for _ in $(seq 100); do
      kill -0 "$APID" 2>/dev/null || break
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ] && {
        PIDS+=("$APID"); return 0; }
      sleep 0.1
    done
    kill -TERM "$APID" 2>/dev/null || true
    wait "$APID" 2>/dev/null || true
  done
  die "arbiterd did not start"
}
start_ceiling() { # sets PORT and CPID
  taskset -c "$SERVER_CPUS" "$CEILING" "$THREADS" >"$T/ceiling.port" &
  CPID=$!
  PIDS+=("$CPID")
  for _ in $(seq 50); do
    PORT=$(head -1 "$T/ceiling.port" 2>/dev/null || true)
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  die "the ceiling did not start"
}
stop() { kill -TERM "$1"; wait "$1" || die "server $1 exited with $?"; }

# wrk_rps LABEL URL [wrk args]: requests/s; fails on any error or non-2xx.
wrk_rps() {
  local label=$1 url=$2; shift 2
  taskset -c "$CLIENT_CPUS" wrk -t1 -c"$CONNS" -d"${PEAK_S}s" "$@" "$url" >"$T/wrk.out" 2>&1 ||
    die "wrk failed on $label: $(cat "$T/wrk.out")"
  if grep -qE 'Non-2xx|Socket errors' "$T/wrk.out"; then
    die "$label: failed requests: $(grep -E 'Non-2xx|Socket errors' "$T/wrk.out")"
  fi
  sed -n 's/^Requests\/sec: *//p' "$T/wrk.out"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
spread() { tr ' ' '\n' | grep . | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.0f-%.0f", lo, hi}'; }

echo "== http: machine $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores;" \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== setup: servers on CPU $SERVER_CPUS with $THREADS MHD thread(s) (epoll), client on CPU" \
  "$CLIENT_CPUS; wrk -t1 -c$CONNS -d${PEAK_S}s, $REPEAT runs each, interleaved"
echo "== post: $(wc -c <"$T/post.json") bytes of JSON, text ${#text} bytes; default policy"

#---- 1. peak requests/s -----------------------------------------------------
ceil_post="" ceil_get="" check="" vis=""
start_ceiling; CEIL_PORT=$PORT
start_arbiterd; AR_PORT=$PORT
verdict=$(curl -s -H "Authorization: Bearer $TOKEN" --data-binary @"$T/post.json" \
  "http://127.0.0.1:$AR_PORT/v1/check")
echo "$verdict" | jq -e '.flagged == false' >/dev/null || die "the post is flagged: $verdict"
state=$(curl -s -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$AR_PORT/v1/items/item-7/visibility?country=PK" | jq -r .state)
[ "$state" = restricted ] || die "arbiterd says item-7 is $state in PK"
VIS_PATH="/v1/items/item-7/visibility?country=PK"
for r in $(seq "$REPEAT"); do
  ceil_post+=" $(wrk_rps ceiling-post "http://127.0.0.1:$CEIL_PORT/v1/check" -s "$T/post.lua")"
  check+=" $(wrk_rps check "http://127.0.0.1:$AR_PORT/v1/check" -s "$T/post.lua")"
  ceil_get+=" $(wrk_rps ceiling-get "http://127.0.0.1:$CEIL_PORT$VIS_PATH")"
  vis+=" $(wrk_rps visibility "http://127.0.0.1:$AR_PORT$VIS_PATH" \
    -H "Authorization: Bearer $TOKEN")"
  echo "   run $r: ceiling POST $(echo $ceil_post | awk '{print $NF}'), check" \
    "$(echo $check | awk '{print $NF}'), ceiling GET $(echo $ceil_get | awk '{print $NF}')," \
    "visibility $(echo $vis | awk '{print $NF}') req/s; load $(cut -d' ' -f1 /proc/loadavg)"
done
stop "$CPID"
m_cp=$(echo $ceil_post | median) m_c=$(echo $check | median)
m_cg=$(echo $ceil_get | median) m_v=$(echo $vis | median)
goal() { awk -v a="$1" -v b="$2" 'BEGIN {r = 100 * a / b; printf "%.1f%% %s", r, (r >= 60 ? "PASS" : "MISS")}'; }
printf '%-34s %12s %14s %s\n' "endpoint" "req/s (med)" "spread" "vs ceiling (goal >= 60%)"
printf '%-34s %12.0f %14s\n' "ceiling, POST 280-byte post" "$m_cp" "$(echo $ceil_post | spread)"
printf '%-34s %12.0f %14s %s\n' "POST /v1/check" "$m_c" "$(echo $check | spread)" "$(goal "$m_c" "$m_cp")"
printf '%-34s %12.0f %14s\n' "ceiling, GET" "$m_cg" "$(echo $ceil_get | spread)"
printf '%-34s %12.0f %14s %s\n' "GET /v1/items/{id}/visibility" "$m_v" "$(echo $vis | spread)" \
  "$(goal "$m_v" "$m_cg")"

#---- 2. p99 at half of the peak rate ----------------------------------------
# latency LABEL RATE URL [args]
latency() {
  local label=$1 rate=$2 url=$3; shift 3
  local out
  out=$(taskset -c "$CLIENT_CPUS" "$RATE_LOAD" -R "$rate" -c "$CONNS" -d "$LAT_S" -w 2 "$@" "$url") ||
    die "$label: failed requests at $rate/s: $out"
  local p99
  p99=$(echo "$out" | sed -E 's/.*p99_ms=([0-9.]+).*/\1/')
  printf '%-34s %8s/s  %s  %s\n' "$label" "$rate" \
    "$(echo "$out" | grep -oE 'achieved_rps=[0-9]+|unsent=[0-9]+|p50_ms=[0-9.]+|p99_ms=[0-9.]+|p999_ms=[0-9.]+|max_ms=[0-9.]+' | tr '\n' ' ')" \
    "$(awk -v p="$p99" 'BEGIN {print (p <= 5 ? "PASS" : "MISS") " (p99 <= 5 ms)"}')"
}
# The ceiling at the same rates shows what the machine (a shared VM) adds.
echo "== latency: bench_http_rate_load -c $CONNS -d $LAT_S -w 2 at half of each median peak;" \
  "the ceiling at the same rate for reference"
half_c=$(awk -v m="$m_c" 'BEGIN {printf "%d", m / 2}')
half_v=$(awk -v m="$m_v" 'BEGIN {printf "%d", m / 2}')
latency "POST /v1/check" "$half_c" "http://127.0.0.1:$AR_PORT/v1/check" \
  -H "Content-Type: application/json" -H "Authorization: Bearer $TOKEN" -b "$T/post.json"
latency "GET /v1/items/{id}/visibility" "$half_v" "http://127.0.0.1:$AR_PORT$VIS_PATH" \
  -H "Authorization: Bearer $TOKEN"
stop "$APID"
start_ceiling; CEIL_PORT=$PORT
latency "ceiling, POST (reference)" "$half_c" "http://127.0.0.1:$CEIL_PORT/v1/check" \
  -H "Content-Type: application/json" -b "$T/post.json"
latency "ceiling, GET (reference)" "$half_v" "http://127.0.0.1:$CEIL_PORT$VIS_PATH"
stop "$CPID"

#---- 3. RSS over a long run ---------------------------------------------------
# A fresh arbiterd; both endpoints at once (half the connections each).
# BENCH_HTTP_SECONDS=0 skips it (repeated runs of 1 and 2).
[ "$RSS_S" = 0 ] && exit 0
start_arbiterd; AR_PORT=$PORT
win=$(( RSS_S / 5 < 60 ? RSS_S / 5 : 60 ))
[ "$win" -ge 1 ] || die "BENCH_HTTP_SECONDS must be at least 5"
echo "== rss: ${RSS_S}s of wrk on both endpoints; VmRSS every 2 s; first ${win}s against last ${win}s"
half=$(( CONNS / 2 > 0 ? CONNS / 2 : 1 ))
taskset -c "$CLIENT_CPUS" wrk -t1 -c"$half" -d"${RSS_S}s" -s "$T/post.lua" \
  "http://127.0.0.1:$AR_PORT/v1/check" >"$T/wrk1.out" 2>&1 & W1=$!
taskset -c "$CLIENT_CPUS" wrk -t1 -c"$half" -d"${RSS_S}s" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$AR_PORT$VIS_PATH" >"$T/wrk2.out" 2>&1 & W2=$!
start=$(date +%s)
: >"$T/rss"
while kill -0 "$W1" 2>/dev/null; do
  echo "$(( $(date +%s) - start )) $(awk '/^VmRSS/ {print $2}' "/proc/$APID/status")" >>"$T/rss"
  sleep 2
done
wait "$W1" && wait "$W2" || die "wrk failed in the RSS run"
grep -qE 'Non-2xx|Socket errors' "$T/wrk1.out" "$T/wrk2.out" && die "failed requests in the RSS run"
stop "$APID"
awk -v w="$win" -v total="$RSS_S" '
  $1 < w { a += $2; na++ } $1 >= total - w { b += $2; nb++ } { if ($2 > max) max = $2 }
  END {
    fa = a / na; lb = b / nb; d = 100 * (lb - fa) / fa;
    printf "rss first %.1f MiB, last %.1f MiB, max %.1f MiB: %+.1f%% %s (goal +-5%%)\n",
      fa / 1024, lb / 1024, max / 1024, d, (d <= 5 && d >= -5) ? "PASS" : "MISS"
  }' "$T/rss"
echo "   requests: check $(sed -n 's/^Requests\/sec: *//p' "$T/wrk1.out")/s," \
  "visibility $(sed -n 's/^Requests\/sec: *//p' "$T/wrk2.out")/s; load $(cut -d' ' -f1-3 /proc/loadavg)"
