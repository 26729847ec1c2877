#!/usr/bin/env bash
# tests/console/it_console_transparency.sh ARBITER SOURCE_DIR - the
# transparency page in headless Chromium as the legal reviewer "lee"
# (console_transparency.mjs). Through the API first: ten flagged posts
# removed by moderator mia, post-12 restricted in PK by a court order lee
# files and decides, and post-11 left open. The page shows the current
# half-year's figures (11 content actions), the PK restriction banded as
# "1-9", the embedded HTML report and the orders CSV download; after lee
# removes post-11 in the console a reload shows 12. Screenshots stay in
# Testing/console_transparency/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_transparency
echo 'mia-pass-0123456789' | "$ARBITER" user add mia --role moderator --password-stdin \
  --dir "$T/var" --as admin >/dev/null
echo 'legal-pass-0123456789' | "$ARBITER" user add lee --role legal --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
MIA=$("$ARBITER" token create --dir "$T/var" --role client,moderator --user mia)
LEE=$("$ARBITER" token create --dir "$T/var" --role client,legal --user lee)
. "$SRC/tests/console/serve.sh"

api() { local tok=$1; shift; curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' "$@"; }
for i in $(seq 1 11); do
  id=$(api "$CLIENT" --data-binary "{\"id\":\"post-$i\",\"text\":\"free money now\",\"record\":true}" \
       "$U/v1/check" | jq -r .case)
  [ "$id" != null ] || fail "check post-$i made no case"
  [ "$i" = 11 ] && break
  api "$MIA" --data-binary '{"action":"remove","statement":"Spam."}' "$U/v1/cases/$id/decide" \
    | jq -e '.state == "decided"' >/dev/null || fail "removing post-$i"
done
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
req=$(api "$LEE" --data-binary '{"authority":{"name":"Lahore High Court","country":"PK","branch":"court"},
  "legal_basis":{"instrument":"PECA 2016","provision":"s. 37"},"kind":"content_restriction",
  "received_at":"'"$now"'","items":[{"id":"post-12"}]}' "$U/v1/requests" | jq -r .id)
[ "$req" != null ] || fail "filing the court order"
api "$LEE" --data-binary '{"item":"post-12","outcome":"restrict","statement":"Restricted in PK."}' \
  "$U/v1/requests/$req/decide" | jq -e .decision >/dev/null || fail "restricting post-12"

node "$SRC/tests/console/console_transparency.mjs" "$U" "$OUT" || fail "the transparency page in the browser"
echo "screenshots in $OUT"
echo "it_console_transparency: ok"
