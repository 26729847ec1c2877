# tests/console/begin.sh NAME - sourced by the console tests after $ARBITER
# and $SRC are set: the browser tooling (tests/browser/setup.sh), $OUT for
# screenshots (Testing/NAME under the build directory), a temp dir $T with
# the daemon's cleanup (tests/lib/daemon.sh), fail showing the log's tail,
# and a workflow directory $T/var whose first staff member is `admin`
# (password admin-pass-0123456789).
. "$SRC/tests/browser/setup.sh"
. "$SRC/tests/lib/daemon.sh"
OUT="$PWD/Testing/$1"
rm -rf "$OUT" && mkdir -p "$OUT"
it_begin console
fail() { echo "FAIL: $*" >&2; echo "--- log:" >&2; tail -20 "$T/log" >&2 || true; exit 1; }
"$ARBITER" init "$T/var" --jurisdictions "$SRC/policies/jurisdictions.yaml" >/dev/null 2>&1
echo 'admin-pass-0123456789' | "$ARBITER" user add admin --role admin --password-stdin --dir "$T/var" >/dev/null
