#!/usr/bin/env bash
# tests/image/it_hash.sh ARBITER SOURCE_DIR - `arbiter hash`: the text and
# JSON forms, the dihedral variants, both families, standard input, and the
# exit status and message for files it cannot hash.
set -euo pipefail
arbiter=$1
c="$2/tests/image/corpus"
bridge="$c/data/reg-test-input/dih/bridge-1-original.jpg"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; exit 1; }

out=$("$arbiter" hash "$bridge" "$c/data/misc-images/wee.jpg")
[ "$out" = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22 100 $bridge
6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d 100 $c/data/misc-images/wee.jpg" ] \
  || fail "text form: $out"; ok

out=$("$arbiter" hash --resize512 "$bridge")
[ "${out%% *}" = d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22 ] || fail "--resize512: $out"; ok

out=$("$arbiter" hash --json "$c/data/misc-images/c.png")
jq -e '.pdq == "e64cc9d91c623882f8d1f1d9a398e78c9f199b3bd83924f2b7e11e0bf861b064" and .quality == 100
       and .format == "png" and .width == 1432 and .height == 812' <<<"$out" >/dev/null || fail "--json: $out"; ok

out=$("$arbiter" hash --dihedral --resize512 "$bridge")
[ "$(wc -l <<<"$out")" -eq 8 ] || fail "--dihedral lines: $out"
grep -q '^f0a10efd51c83d429053d48d0fffbc52e34e0e17ada956a9d29685211ea9e58f 100 .* rotate90$' <<<"$out" \
  || fail "--dihedral rotate90: $out"; ok
out=$("$arbiter" hash --dihedral --json "$bridge")
jq -e '.dihedral | keys | length == 8' <<<"$out" >/dev/null || fail "--dihedral --json: $out"; ok

out=$("$arbiter" hash - < "$c/data/misc-images/wee.jpg")
[ "$out" = "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d 100 -" ] || fail "stdin: $out"; ok

# A bad file among good ones: the good ones are hashed, the status is 1.
printf 'not an image' > "$tmp/bad.jpg"
head -c 5000 "$bridge" > "$tmp/cut.jpg"
set +e
out=$("$arbiter" hash "$tmp/bad.jpg" "$c/data/misc-images/wee.jpg" "$tmp/cut.jpg" "$tmp/missing.png" 2>"$tmp/err")
rc=$?
set -e
[ $rc -eq 1 ] || fail "exit status $rc for bad files"
[ "$(wc -l <<<"$out")" -eq 1 ] || fail "good file among bad: $out"
grep -q "bad.jpg: not a JPEG, PNG or WebP image" "$tmp/err" || fail "unknown format: $(cat "$tmp/err")"
grep -q "cut.jpg: jpeg: " "$tmp/err" || fail "truncated: $(cat "$tmp/err")"
grep -q "missing.png: No such file" "$tmp/err" || fail "missing: $(cat "$tmp/err")"; ok
set +e
out=$("$arbiter" hash --json "$tmp/bad.jpg")
rc=$?
set -e
[ $rc -eq 1 ] && jq -e '.error | test("not a JPEG")' <<<"$out" >/dev/null || fail "--json error: $out"; ok

"$arbiter" hash --help | grep -q "usage: arbiter hash" || fail "--help"; ok
set +e
"$arbiter" hash --bogus "$bridge" 2>/dev/null; rc1=$?
"$arbiter" hash 2>/dev/null; rc2=$?
set -e
[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] || fail "usage errors: $rc1 $rc2"; ok
echo "$pass passed, 0 failed"
