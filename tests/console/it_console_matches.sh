#!/usr/bin/env bash
# tests/console/it_console_matches.sh ARBITER SOURCE_DIR - list and bank
# matches on the review case page, in headless Chromium against the real
# daemon: a url list and a bank made with the CLI, a policy whose one
# standard names both, and one recorded check with a blocked link, a
# blocked URL in the text, an image hash 2 bits from a bank entry and the
# bytes of a mirrored copy of a banked image. console_matches.mjs opens the
# case and finds each match shown with its list or bank, its entry and, for
# images, the distance and the variant. Screenshots stay in
# Testing/console_matches/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_matches
echo 'mod-pass-0123456789' | "$ARBITER" user add mia --role moderator --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
FLIPX=f8f80f31e0f417b20e37f5cd028f980fb36ed02a9662c1e233e64c634e9c64dd # bridge-5-flipx.jpg
NEAR=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
"$ARBITER" url-list create phish --dir "$T/var" --as admin >/dev/null
"$ARBITER" url-list add phish evil.example/ --dir "$T/var" --as admin >/dev/null
"$ARBITER" bank create known --dir "$T/var" --as admin >/dev/null
"$ARBITER" bank add known "$FLIPX" "$NEAR" --dir "$T/var" --as admin >/dev/null
cat >"$T/policy.yaml" <<'YAML'
version: 1
standards:
  - id: known-abuse
    action: review
    rules:
      - id: phishing-link
        url_list: phish
      - id: known-image
        bank: known
YAML
POLICY="$T/policy.yaml"
. "$SRC/tests/console/serve.sh"

# last hex digit f -> c: 2 bits from the entry
base64 -w0 "$SRC/tests/image/corpus/data/reg-test-input/dih/bridge-1-original.jpg" >"$T/img.b64"
jq -n --rawfile img "$T/img.b64" --arg h "${NEAR:0:63}c" \
  '{id:"post-7", record:true, text:"win at https://www.evil.example/prize now",
    links:["https://login.evil.example/x"], image_hashes:[$h], images:[$img]}' >"$T/body"
curl -s -H "Authorization: Bearer $CLIENT" -H 'Content-Type: application/json' \
  --data-binary @"$T/body" "$U/v1/check" >"$T/verdict"
jq -e '.case and (.matches | length) == 4' "$T/verdict" >/dev/null ||
  fail "the check opens one case with 4 matches: $(cat "$T/verdict")"
! grep -q "$(head -c 200 "$T/img.b64")" "$T/log" || fail "image bytes in the daemon's log"

node "$SRC/tests/console/console_matches.mjs" "$U" "$OUT" "$FLIPX" "$NEAR" ||
  fail "list and bank matches in the browser"
echo "screenshots in $OUT"
echo "it_console_matches: ok"
