# tests/browser/setup.sh - sourced by the browser tests (tests/*/it_*browser*.sh,
# tests/console/it_console_*.sh): make sure Debian's chromium and the pinned
# npm tooling are there (npm ci once when node_modules is missing), and
# export BROWSER_DIR for `node "$BROWSER_DIR/..."`. Fails with what to run.
BROWSER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export BROWSER_DIR
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "FAIL: no Chromium at $CHROMIUM: run scripts/deps.sh (Debian's chromium)" >&2
  exit 1
fi
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ] || [ ! -d "$BROWSER_DIR/node_modules/pngjs" ]; then
  # one npm ci at a time when ctest runs tests in parallel
  (cd "$BROWSER_DIR" && flock "${TMPDIR:-/tmp}/arbiter-npm-ci.lock" sh -c \
    '[ -d node_modules/playwright-core ] && [ -d node_modules/pngjs ] ||
     PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent') >&2 ||
    { echo "FAIL: npm ci in $BROWSER_DIR failed" >&2; exit 1; }
fi
# The arbiter under test may be ASan-instrumented; node and Chromium are not,
# and must not inherit its preload or options.
unset LD_PRELOAD
