#!/usr/bin/env bash
# bench/text/run.sh BUILD_DIR - arbiter's text-check benchmark.
#
# In one run, single-threaded, side by side on the same posts:
#   arbiter     BUILD/arbiter scan --threads 1 (wall clock, whole command);
#   raw-vs      bench_raw_hs: vectorscan over the raw bytes with the same terms
#               and regexes, no normalisation: the ceiling (scan loop only);
#   obscenity   the npm filter with the same terms, on the first posts.
# Prints posts/s, MB/s, the ratios, recall on plain and disguised plants and
# the false-positive rate on clean posts, then PASS/MISS per goal. Writes the
# same as Markdown to bench/text/out/report.md.
#
# A benchmark reports; it does not gate: exit 0 when goals are missed,
# non-zero only when a step fails.
#
# Environment (defaults):
#   BENCH_MB=100            size of posts.jsonl in 10^6 bytes (5 for a smoke run)
#   BENCH_SEED=1            generator seed
#   BENCH_REPS=3            arbiter runs; the median wall time is reported
#   BENCH_RAW_REPS=5        timed passes of the ceiling's scan loop (after a warm-up)
#   OBSCENITY_POSTS=20000   posts obscenity is timed on
#   OBSCENITY_MAX_SECONDS=120  stop obscenity's loop early after this long
#   BENCH_DATA, BENCH_OUT   data and output folders (bench/text/data, bench/text/out)
#   ARBITER=PATH            the CLI to measure (BUILD_DIR/arbiter)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$(pwd)/$build" ;; esac

mb=${BENCH_MB:-100}
seed=${BENCH_SEED:-1}
reps=${BENCH_REPS:-3}
raw_reps=${BENCH_RAW_REPS:-5}
obs_posts=${OBSCENITY_POSTS:-20000}
obs_secs=${OBSCENITY_MAX_SECONDS:-120}
data_root=${BENCH_DATA:-$here/data}
out=${BENCH_OUT:-$here/out}
data="$data_root/mb${mb}-seed${seed}"

gen="$build/bench/bench_gen_posts"
raw="$build/bench/bench_raw_hs"
score="$build/bench/bench_score"
arbiter=${ARBITER:-$build/arbiter}

failed=0
fail() { echo "bench/text: FAILED: $*" >&2; failed=1; }
now() { date +%s.%N; }
# key=value from a "RESULT ..." or "SCORE ..." line
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -1; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

for t in "$gen" "$raw" "$score"; do
  [ -x "$t" ] || { echo "bench/text: $t missing: build the bench targets first" >&2; exit 1; }
done
mkdir -p "$out" "$data_root"

# ---- Machine and command ---------------------------------------------------
model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "== arbiter text-check benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: ${model:-unknown CPU}, nproc $(nproc), $(free -g | awk '/^Mem:/{print $2" GiB"}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "simd:    $(grep -o -w -m1 avx2 /proc/cpuinfo | head -1) $(grep -o -w 'avx512[a-z]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "tree:    $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo 'no commit') (the checkout running this script)"
arb_version=$("$arbiter" version 2>/dev/null | head -1 || true)
cmdline="${ARBITER:+ARBITER=$ARBITER }BENCH_MB=$mb BENCH_SEED=$seed BENCH_REPS=$reps OBSCENITY_POSTS=$obs_posts bash bench/text/run.sh $build"
echo "arbiter: $arbiter (${arb_version:-no version})"
echo "command: $cmdline"
load1=$(cut -d' ' -f1 /proc/loadavg)
if awk "BEGIN { exit !($load1 > 0.7) }"; then
  echo "warning: load average $load1: something else is running; figures will be noisy" >&2
fi

# ---- Data ----------------------------------------------------------------------
key=$("$gen" --print-key --mb "$mb" --seed "$seed")
case "$key" in *vocab=built-in*)
  echo "note:    /usr/share/dict/american-english is missing (Debian package wamerican): English posts use the built-in vocabulary" ;;
esac
if [ -f "$data/gen.key" ] && [ "$(cat "$data/gen.key")" = "$key" ] &&
   [ -s "$data/posts.jsonl" ] && [ -s "$data/truth.tsv" ] && [ -s "$data/policy.yaml" ]; then
  echo "data:    reusing $data ($key)"
else
  echo "data:    generating $data ($key)"
  rm -rf "$data"
  "$gen" --mb "$mb" --seed "$seed" --out "$data" || { echo "bench/text: generator failed" >&2; exit 1; }
fi
posts=$(wc -l <"$data/posts.jsonl")
file_bytes=$(stat -c %s "$data/posts.jsonl")
echo "posts:   $posts posts, $file_bytes bytes; $(grep -c '^lit' "$data/raw_patterns.tsv") terms + $(grep -c '^re' "$data/raw_patterns.tsv") regexes"
echo

# ---- arbiter scan --threads 1 -------------------------------------------------
# Two figures per run: the scan as the summary on stderr times it (after the
# policy is compiled: read, parse, normalise, match, write), which is what the
# ceiling's scan loop compares with; and the wall clock of the whole command.
# CPU time (user + sys) is the shell's children's time across the run.
# `times` must run in this shell, not a $(...) subshell, to see its children.
cpu_of() { tail -1 "$1" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
arb_ok=0
if [ -x "$arbiter" ] && "$arbiter" scan --help >/dev/null 2>&1; then
  echo "== arbiter scan --threads 1 ($reps runs)"
  walls=(); scans=(); cpus=()
  for i in $(seq 1 "$reps"); do
    times >"$out/.times0"; t0=$(now)
    rc=0
    "$arbiter" scan --policy "$data/policy.yaml" --threads 1 --out "$out/arbiter.out" \
      "$data/posts.jsonl" 2>"$out/arbiter.stderr" || rc=$?
    t1=$(now); times >"$out/.times1"
    w=$(calc "%.3f" "$t1 - $t0")
    cpu=$(calc "%.3f" "$(cpu_of "$out/.times1") - $(cpu_of "$out/.times0")")
    summ=$(grep '"event":"summary"' "$out/arbiter.stderr" | tail -1 || true)
    sc_s=$(jq -r '.seconds // empty' <<<"${summ:-null}" 2>/dev/null || true)
    sc_posts=$(jq -r '.posts // empty' <<<"${summ:-null}" 2>/dev/null || true)
    sc_bad=$(jq -r '.bad_lines // empty' <<<"${summ:-null}" 2>/dev/null || true)
    echo "  run $i: exit $rc; wall ${w} s, CPU ${cpu} s; summary: ${sc_s:-?} s for ${sc_posts:-?} posts, ${sc_bad:-?} bad lines"
    if [ "$rc" -ne 0 ]; then
      fail "arbiter scan exited $rc"; tail -20 "$out/arbiter.stderr" | sed 's/^/    /'; break
    fi
    if [ -n "$sc_posts" ] && [ "$sc_posts" != "$posts" ]; then
      fail "arbiter scan read $sc_posts posts of $posts"; break
    fi
    walls+=("$w"); cpus+=("$cpu"); [ -n "$sc_s" ] && scans+=("$sc_s")
  done
  if [ "${#walls[@]}" -eq "$reps" ]; then
    echo "  summary line (last run):"
    grep '"event":"summary"' "$out/arbiter.stderr" | tail -1 | sed 's/^/    /' || true
    arb_wall=$(printf '%s\n' "${walls[@]}" | median)
    arb_wall_min=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
    arb_wall_max=$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)
    arb_cpu=$(printf '%s\n' "${cpus[@]}" | median)
    arb_scan=""
    if [ "${#scans[@]}" -eq "$reps" ]; then
      arb_scan=$(printf '%s\n' "${scans[@]}" | median)
      arb_scan_min=$(printf '%s\n' "${scans[@]}" | sort -g | head -1)
      arb_scan_max=$(printf '%s\n' "${scans[@]}" | sort -g | tail -1)
    else
      echo "  (no summary seconds on stderr: the scan figure falls back to the wall clock)"
      arb_scan=$arb_wall; arb_scan_min=$arb_wall_min; arb_scan_max=$arb_wall_max
    fi
    if arb_score=$("$score" --truth "$data/truth.tsv" --tool arbiter "$out/arbiter.out"); then
      echo "$arb_score" | sed 's/^/  /'
      arb_ok=1
    else
      fail "scoring arbiter's output"
    fi
  fi
else
  fail "$arbiter missing or 'arbiter scan --help' failed: build the CLI first (make build)"
fi
echo

# ---- raw vectorscan: the ceiling -------------------------------------------
echo "== raw vectorscan over the un-normalised bytes (the ceiling)"
if raw_out=$("$raw" --patterns "$data/raw_patterns.tsv" --posts "$data/posts.jsonl" \
               --truth "$data/truth.tsv" --reps "$raw_reps"); then
  echo "$raw_out" | sed 's/^/  /'
  raw_ok=1
else
  fail "bench_raw_hs"; raw_ok=0
fi
echo

# ---- obscenity ----------------------------------------------------------------
echo "== obscenity (npm), the filter people pick today"
obs_ok=0
obs_dir="$here/obscenity"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  fail "node/npm not found: obscenity not run (scripts/deps.sh installs them)"
else
  if [ ! -d "$obs_dir/node_modules/obscenity" ]; then
    echo "  installing obscenity (npm ci in bench/text/obscenity)"
    (cd "$obs_dir" && npm ci --no-audit --no-fund --loglevel=error) ||
      fail "npm ci in bench/text/obscenity"
  fi
  if [ -d "$obs_dir/node_modules/obscenity" ] &&
     obs_out=$(cd "$obs_dir" && node run.mjs --data "$data" --limit "$obs_posts" \
                 --max-seconds "$obs_secs" --flags-out "$out/obscenity.flags"); then
    echo "$obs_out" | sed 's/^/  /'
    obs_ok=1
  else
    fail "obscenity run"
  fi
fi
echo

# ---- Diagnostic: the normaliser alone ------------------------------------------
if [ -x "$build/bench/bench_norm_check" ]; then
  echo "== diagnostic: the data through ar_text_normalize alone (no matcher)"
  if norm_out=$("$build/bench/bench_norm_check" "$data" --show 3); then
    echo "$norm_out" | sed 's/^/  /'
  else
    fail "bench_norm_check"
  fi
  echo
fi

# ---- Table and goals -------------------------------------------------------------
raw_res=$(grep '^RESULT' <<<"${raw_out:-}" || true)
raw_sc=$(grep '^SCORE' <<<"${raw_out:-}" || true)
obs_res=$(grep '^RESULT' <<<"${obs_out:-}" || true)
obs_sc=$(grep '^SCORE' <<<"${obs_out:-}" || true)
arb_sc=$(grep '^SCORE' <<<"${arb_score:-}" || true)
text_bytes=$(field "$raw_res" text_bytes)
[ -n "$text_bytes" ] || text_bytes=0

na="n/a"
row() { # name posts/s text-MB/s file-MB/s ratio-raw ratio-obs rplain rdisg fp note
  printf '| %-22s | %12s | %9s | %9s | %10s | %10s | %8s | %8s | %7s | %s\n' "$@"
}
pps_arb=$na; tmb_arb=$na; fmb_arb=$na; wpps_arb=$na; wtmb_arb=$na; wfmb_arb=$na
if [ "$arb_ok" = 1 ]; then
  pps_arb=$(calc "%.0f" "$posts / $arb_scan")
  tmb_arb=$(calc "%.1f" "$text_bytes / 1e6 / $arb_scan")
  fmb_arb=$(calc "%.1f" "$file_bytes / 1e6 / $arb_scan")
  wpps_arb=$(calc "%.0f" "$posts / $arb_wall")
  wtmb_arb=$(calc "%.1f" "$text_bytes / 1e6 / $arb_wall")
  wfmb_arb=$(calc "%.1f" "$file_bytes / 1e6 / $arb_wall")
fi
pps_raw=$(field "$raw_res" posts_per_s); pps_obs=$(field "$obs_res" posts_per_s)
r_raw=$na; r_obs=$na; wr_raw=$na; wr_obs=$na; r_e2e=$na
pps_e2e=$(field "$raw_res" total_posts_per_s)
if [ "$arb_ok" = 1 ] && [ -n "$pps_raw" ]; then
  r_raw=$(calc "%.3f" "$pps_arb / $pps_raw"); wr_raw=$(calc "%.3f" "$wpps_arb / $pps_raw")
fi
if [ "$arb_ok" = 1 ] && [ -n "$pps_e2e" ]; then
  r_e2e=$(calc "%.3f" "$pps_arb / $pps_e2e")
fi
if [ "$arb_ok" = 1 ] && [ -n "$pps_obs" ]; then
  r_obs=$(calc "%.0f" "$pps_arb / $pps_obs"); wr_obs=$(calc "%.0f" "$wpps_arb / $pps_obs")
fi
pct() { [ -n "$1" ] && calc "%.2f%%" "$1" || echo "$na"; }

table=$(
  echo "| tool                   |      posts/s | text MB/s | file MB/s | ×raw-vs    | ×obscenity | recall plain | recall disg. | FP rate | note"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---"
  row "arbiter scan" "$pps_arb" "$tmb_arb" "$fmb_arb" "$r_raw" "${r_obs}" \
    "$(pct "$(field "$arb_sc" recall_plain)")" "$(pct "$(field "$arb_sc" recall_disguised)")" \
    "$(pct "$(field "$arb_sc" fp_rate)")" "--threads 1; scan as its summary times it (after policy compile), median of $reps: ${arb_scan:-?} s (min ${arb_scan_min:-?}, max ${arb_scan_max:-?})"
  row "arbiter scan, wall" "$wpps_arb" "$wtmb_arb" "$wfmb_arb" "$wr_raw" "${wr_obs}" "" "" "" \
    "whole command incl. policy compile, median of $reps: ${arb_wall:-?} s (min ${arb_wall_min:-?}, max ${arb_wall_max:-?}); CPU ${arb_cpu:-?} s"
  row "raw vectorscan" "$(calc "%.0f" "${pps_raw:-0}")" "$(field "$raw_res" text_mb_s)" "$(field "$raw_res" file_mb_s)" \
    "1" "" "$(pct "$(field "$raw_sc" recall_plain)")" "$(pct "$(field "$raw_sc" recall_disguised)")" \
    "$(pct "$(field "$raw_sc" fp_rate)")" "scan loop only, median of $raw_reps; compile $(field "$raw_res" compile_s) s; with read+JSON: $(calc "%.0f" "$(field "$raw_res" total_posts_per_s)") posts/s"
  row "obscenity $(field "$obs_res" version)" "$(calc "%.1f" "${pps_obs:-0}")" "$(field "$obs_res" text_mb_s)" "$(field "$obs_res" file_mb_s)" \
    "" "1" "$(pct "$(field "$obs_sc" recall_plain)")" "$(pct "$(field "$obs_sc" recall_disguised)")" \
    "$(pct "$(field "$obs_sc" fp_rate)")" "first $(field "$obs_res" posts) posts; terms only (term-plant recall: plain $(pct "$(field "$obs_sc" term_recall_plain)"), disguised $(pct "$(field "$obs_sc" term_recall_disguised)"))"
)

goal() { # name pass-expression measured target
  local verdict=MISS
  if [ "$2" = "n/a" ]; then verdict="n/a"; elif awk "BEGIN { exit !($2) }"; then verdict=PASS; fi
  printf '| %-36s | %-14s | %-8s | %s\n' "$1" "$3" "$4" "$verdict"
}
g_rdisg=$(field "$arb_sc" recall_disguised); g_fp=$(field "$arb_sc" fp_rate)
goals=$(
  echo "| goal                                 | measured       | target   | verdict"
  echo "|---|---|---|---"
  goal "arbiter ≥ 40% of raw-vectorscan posts/s" "$([ "$r_raw" = "$na" ] && echo n/a || echo "$r_raw >= 0.40")" "$([ "$r_raw" = "$na" ] && echo n/a || calc "%.1f%%" "$r_raw * 100")" "≥ 40%"
  # The same goal against the ceiling doing the same end-to-end work as
  # arbiter's figure: read the file, find each post's text, scan it.
  goal "  … of raw-vectorscan incl. read+JSON" "$([ "$r_e2e" = "$na" ] && echo n/a || echo "$r_e2e >= 0.40")" "$([ "$r_e2e" = "$na" ] && echo n/a || calc "%.1f%%" "$r_e2e * 100")" "≥ 40%"
  goal "arbiter ≥ 100× obscenity posts/s" "$([ "$r_obs" = "$na" ] && echo n/a || echo "$r_obs >= 100")" "${r_obs}×" "≥ 100×"
  goal "recall on disguised plants ≥ 99%" "$([ -z "$g_rdisg" ] && echo n/a || echo "$g_rdisg >= 99")" "$(pct "$g_rdisg")" "≥ 99%"
  goal "false positives on clean posts ≤ 0.5%" "$([ -z "$g_fp" ] && echo n/a || echo "$g_fp <= 0.5")" "$(pct "$g_fp")" "≤ 0.5%"
)

norm_s=$(sed -n 's/.*ar_text_normalize alone: \([0-9.]*\) s.*/\1/p' <<<"${norm_out:-}")
budget=""
if [ "$arb_ok" = 1 ] && [ -n "$norm_s" ]; then
  budget="arbiter's scan takes ${arb_scan} s; ar_text_normalize alone takes ${norm_s} s of it ($(calc "%.0f" "100 * $norm_s / $arb_scan")%); the ceiling's whole scan loop $(calc "%.3f" "$(field "$raw_res" scan_s)") s"
fi
echo "== results: $posts posts, $(calc "%.1f" "$file_bytes / 1e6") MB file, $(calc "%.1f" "$text_bytes / 1e6") MB text (MB = 10^6 B); single-threaded"
echo "$table"
[ -n "$budget" ] && echo "time budget: $budget"
echo
echo "$goals"

{
  echo "## Text check: $posts posts ($(calc "%.1f" "$file_bytes / 1e6") MB), $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: ${model:-unknown CPU}, $(nproc) vCPU; harness tree $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '-'); ${arb_version:-arbiter} at $arbiter; load average at start $load1."
  echo "Command: \`$cmdline\`. Data: \`$key\`."
  echo "Single-threaded. MB = 10^6 bytes; text MB/s counts the posts' text bytes, file MB/s all of posts.jsonl."
  echo
  echo "$table"
  echo
  [ -n "$budget" ] && echo "Time budget: $budget." && echo
  echo "$goals"
} >"$out/report.md"
echo
echo "report: $out/report.md"

if [ "$failed" -ne 0 ]; then
  echo "bench/text: some steps failed (see above)" >&2
  exit 1
fi
exit 0
