#!/usr/bin/env bash
# Install every Debian package arbiter's build, tests, fuzzers and benchmarks
# need. Idempotent: installs only what is missing; runs apt-get update only
# when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git jq
  clang libclang-rt-14-dev            # fuzz targets (libFuzzer) and the clang build
  libicu-dev                          # Unicode normalisation, UTS #39 confusables
  libfyaml-dev                        # policy files
  libjansson-dev                      # JSON: requests, audit payloads, the CLI
  libcmocka-dev                       # unit tests
  wamerican                           # bench/text: English words for the generated posts
  libsqlite3-dev                      # the embedded store
  libsodium-dev                       # audit hashes and signatures, API token hashes
  libmicrohttpd-dev                   # arbiterd, the HTTP service (arbiter serve)
  libjpeg62-turbo-dev                 # image: JPEG decoding (libjpeg-turbo)
  libpng-dev                          # image: PNG decoding
  libwebp-dev                         # image: WebP decoding
  curl                                # tests/http/it_serve.sh
  openssl                             # tests/http/it_tls.sh: a throwaway certificate
  sqlite3                             # tests/console/it_console_audit.sh: tampering with the log
  wrk                                 # bench/http: arbiterd against a bare libmicrohttpd responder
  chromium                            # tests/browser: the HTML report and the console, headless
)
# bench/text runs the npm peer (obscenity); the machine image may already ship
# Node.js with npm from elsewhere, which Debian's npm package would fight.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

# Multi-pattern matching: Intel's Hyperscan where Debian builds it (amd64),
# its fork vectorscan elsewhere. Same API. On amd64, Debian's vectorscan
# 5.4.9 misses matches and aborts on some SOM regexes (see
# docs/ARCHITECTURE.md, "Matching library"); tests/match/test_engine_bugs.c
# fails if the library installed has those bugs.
remove=()
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  packages+=(libhyperscan-dev)
  for p in libvectorscan-dev libvectorscan5; do # they conflict with it
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && remove+=("$p-")
  done
else
  packages+=(libvectorscan-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The browser tests' npm tooling (playwright-core drives Debian's chromium;
# it never downloads a browser), pinned by tests/browser/package-lock.json.
browser_tools() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
  [ -d "$dir/node_modules/playwright-core" ] && return 0
  command -v npm >/dev/null 2>&1 || return 0
  echo "deps: npm ci in tests/browser"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages present"
  browser_tools
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" "${remove[@]}"
browser_tools
