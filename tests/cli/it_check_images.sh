#!/usr/bin/env bash
# tests/cli/it_check_images.sh ARBITER SOURCE_DIR - images and lists from the
# command line: `arbiter check --image` hashes a file and matches a mirrored
# copy's bank entry (naming the variant), skips a low-quality image, refuses
# a non-image naming the file; `arbiter scan --dir` reads each line's links
# and image_hashes against the store's url lists and banks, reports a bad
# link or hash as a bad line, and without --dir those rules match nothing.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin check_images
cd "$SRC"
export ARBITER_DIR="$T/var"
"$ARBITER" init --jurisdictions policies/jurisdictions.yaml >/dev/null 2>&1
"$ARBITER" user add root --role admin >/dev/null
DIH=tests/image/corpus/data/reg-test-input/dih
FLIPX=f8f80f31e0f417b20e37f5cd028f980fb36ed02a9662c1e233e64c634e9c64dd # bridge-5-flipx.jpg
LOWQ=fffef0fcff873f03e0fce0f83f033f03e0f8e0783f033e00e078e0003f01f800  # grey16-interlaced.png, quality 17
"$ARBITER" bank create known --as root >/dev/null
"$ARBITER" bank add known "$FLIPX" "$LOWQ" --as root >/dev/null
"$ARBITER" url-list create phish --as root >/dev/null
"$ARBITER" url-list add phish evil.example/ --as root >/dev/null
cat >"$T/policy.yaml" <<'YAML'
version: 1
standards:
  - id: csam
    action: remove
    rules:
      - id: known-image
        bank: known
  - id: spam
    action: review
    rules:
      - id: phishing
        url_list: phish
YAML

# --- check --image ------------------------------------------------------------
"$ARBITER" check --policy "$T/policy.yaml" --dir "$T/var" --text hello \
  --image "$DIH/bridge-1-original.jpg" >"$T/out"
jq -e '.flagged and .action == "remove" and (.matches[0] | .image == 0 and .list == "known"
       and .variant == "flipx" and .distance <= 31 and .entry == "'"$FLIPX"'")
       and .images[0].quality == 100 and (.images[0].pdq | length) == 64' "$T/out" >/dev/null ||
  fail "a mirrored copy matches its bank entry: $(cat "$T/out")"
"$ARBITER" check --policy "$T/policy.yaml" --dir "$T/var" --text hi \
  --image tests/image/data/grey16-interlaced.png >"$T/out"
jq -e '(.flagged | not) and .images[0].skipped == "low_quality" and .images[0].quality == 17' \
  "$T/out" >/dev/null || fail "a low-quality image is skipped: $(cat "$T/out")"
"$ARBITER" check --policy "$T/policy.yaml" --dir "$T/var" --text hi \
  --image tests/image/data/rgb8.png --image "$DIH/bridge-5-flipx.jpg" >"$T/out"
jq -e '.matches[0].image == 1 and .matches[0].variant == "original" and .matches[0].distance == 0
       and (.images | length) == 2' "$T/out" >/dev/null ||
  fail "the second image is named by its index: $(cat "$T/out")"
"$ARBITER" check --policy "$T/policy.yaml" --text hi --image "$DIH/bridge-5-flipx.jpg" >"$T/out"
jq -e '.flagged | not' "$T/out" >/dev/null || fail "without --dir a bank rule matches nothing"
set +e
"$ARBITER" check --policy "$T/policy.yaml" --text hi --image "$SRC/README.md" >"$T/out" 2>"$T/err"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q 'README.md' "$T/err" && grep -q 'invalid_argument' "$T/err" ||
  fail "a non-image is refused naming the file (rc $rc): $(cat "$T/err")"
set +e
"$ARBITER" check --policy "$T/policy.yaml" --text hi --image "$T/missing.png" 2>"$T/err"
rc=$?
"$ARBITER" check --policy "$T/policy.yaml" --text hi --image a --image b --image c --image d \
  --image e 2>/dev/null
rc2=$?
set -e
[ "$rc" -eq 1 ] && grep -q 'missing.png' "$T/err" || fail "a missing file is named (rc $rc)"
[ "$rc2" -eq 2 ] || fail "five images are a usage error (rc $rc2)"
"$ARBITER" check --help | grep -q -- '--image FILE' || fail "check --help names --image"

# --- scan --dir with links and image_hashes -----------------------------------
cat >"$T/posts.jsonl" <<EOF2
{"id":"p1","text":"plain text"}
{"id":"p2","text":"see this","links":["https://www.Evil.example/x"]}
{"id":"p3","text":"pic","image_hashes":["$FLIPX"]}
{"id":"p4","text":"fine","links":[],"image_hashes":[]}
{"id":"p5","text":"bad","links":["mailto:x"]}
{"id":"p6","text":"bad","image_hashes":["ZZ"]}
{"id":"p7","text":"bad","links":"https://a.test/"}
{"id":"p8","text":"go to www.evil.example/login now"}
EOF2
set +e
"$ARBITER" scan --policy "$T/policy.yaml" --dir "$T/var" --threads 2 "$T/posts.jsonl" \
  >"$T/scan" 2>"$T/scanerr"
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "scan with bad lines exits 3 (rc $rc): $(cat "$T/scanerr")"
flag() { jq -r --arg id "$1" 'select(.id==$id) | .flagged' "$T/scan"; }
line() { jq -c --arg id "$1" 'select(.id==$id)' "$T/scan"; }
[ "$(flag p1)" = false ] || fail "p1 is clean"
[ "$(flag p4)" = false ] || fail "p4 is clean"
line p2 | jq -e '.matches[0] | .link == 0 and .list == "phish" and .entry == "evil.example/"' \
  >/dev/null || fail "p2's link matches the url list: $(cat "$T/scan")"
line p3 | jq -e '.action == "remove" and .matches[0].image_hash == 0 and .matches[0].distance == 0' \
  >/dev/null || fail "p3's hash matches the bank"
line p8 | jq -e '.matches[0].start == 6 and .matches[0].list == "phish"' >/dev/null || fail "p8's URL in the text matches"
for n in 5 6 7; do
  [ "$(jq -c "select(.event==\"bad_line\" and .line==$n)" "$T/scanerr" | wc -l)" -eq 1 ] ||
    fail "line $n is a bad line: $(cat "$T/scanerr")"
done
grep -q 'links\[0\]' "$T/scanerr" || fail "the bad link is named"
grep -q 'image_hashes\[0\]' "$T/scanerr" || fail "the bad hash is named"
"$ARBITER" scan --policy "$T/policy.yaml" --threads 1 <(head -3 "$T/posts.jsonl") >"$T/scan" 2>/dev/null
[ "$(jq -r 'select(.flagged) | .id' "$T/scan" | wc -l)" -eq 0 ] ||
  fail "without --dir list and bank rules match nothing"
set +e
"$ARBITER" scan --policy "$T/policy.yaml" --dir "$T/nope" "$T/posts.jsonl" >/dev/null 2>"$T/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a --dir that is no store fails (rc $rc)"
"$ARBITER" scan --help | grep -q -- '--dir DIR' || fail "scan --help names --dir"
echo "it_check_images: ok"
