#!/usr/bin/env bash
# tests/console/it_console_four_eyes.sh ARBITER SOURCE_DIR - four-eyes
# sign-off in headless Chromium (console_four_eyes.mjs), with a policy whose
# legal_review asks for a second reviewer on content restrictions: legal
# reviewer lee files a request from PK and proposes to restrict post-7 and
# post-8; lee gets no sign-off button, and the API refuses lee's sign-off
# (403) and shows post-7 still visible; lin signs post-7 off and rejects
# post-8 with a reason. Then, through the API, post-7 is restricted in PK
# only and post-8 is visible everywhere. Screenshots stay in
# Testing/console_four_eyes/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_four_eyes
for who in lee lin; do
  echo "$who-pass-0123456789" | "$ARBITER" user add "$who" --role legal --password-stdin \
    --dir "$T/var" --as admin >/dev/null
done
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
LEE=$("$ARBITER" token create --dir "$T/var" --role legal --name lee-script --user lee)
POLICY="$T/policy.yaml"
cat "$SRC/tests/check/data/policy.yaml" >"$POLICY"
printf 'legal_review:\n  four_eyes: [content_restriction]\n' >>"$POLICY"
. "$SRC/tests/console/serve.sh"

vis() { curl -s -H "Authorization: Bearer $CLIENT" "$U/v1/items/$1/visibility?country=$2" | jq -r .state; }
# what the browser test runs while lee's proposals wait
cat >"$T/waiting.sh" <<SH
set -e
[ "\$(curl -s -H "Authorization: Bearer $CLIENT" "$U/v1/items/post-7/visibility?country=PK" | jq -r .state)" = visible ]
code=\$(curl -s -o "$T/refused" -w '%{http_code}' -H "Authorization: Bearer $LEE" \
  -H 'Content-Type: application/json' --data-binary '{"item":"post-7"}' "$U/v1/requests/1/sign-off")
[ "\$code" = 403 ] && grep -q 'second, different legal reviewer' "$T/refused"
SH
node "$SRC/tests/console/console_four_eyes.mjs" "$U" "$OUT" "$T/waiting.sh" || fail "four eyes in the browser"

[ "$(vis post-7 PK)" = restricted ] || fail "post-7 in PK: $(vis post-7 PK), expected restricted"
[ "$(vis post-7 DE)" = visible ] || fail "post-7 in DE: $(vis post-7 DE), expected visible"
[ "$(vis post-8 PK)" = visible ] || fail "post-8 (proposal rejected) in PK: $(vis post-8 PK)"
"$ARBITER" audit verify --dir "$T/var" >/dev/null || fail "the audit log does not verify"
echo "screenshots in $OUT"
echo "it_console_four_eyes: ok"
