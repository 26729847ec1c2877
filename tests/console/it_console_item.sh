#!/usr/bin/env bash
# tests/console/it_console_item.sh ARBITER SOURCE_DIR - the item page in
# headless Chromium (console_item.mjs). Through the API first: post-3 is
# flagged (an open case) and restricted in PK and IN by a court order the
# legal reviewer lee files and decides; post-4 is removed by moderator mia.
# The page must agree with the API's visibility, which is checked here too.
# Screenshots stay in Testing/console_item/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_item
echo 'mia-pass-0123456789' | "$ARBITER" user add mia --role moderator --password-stdin \
  --dir "$T/var" --as admin >/dev/null
echo 'legal-pass-0123456789' | "$ARBITER" user add lee --role legal --password-stdin \
  --dir "$T/var" --as admin >/dev/null
echo 'aud-pass-0123456789' | "$ARBITER" user add aud --role auditor --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
MIA=$("$ARBITER" token create --dir "$T/var" --role client,moderator --user mia)
LEE=$("$ARBITER" token create --dir "$T/var" --role client,legal --user lee)
. "$SRC/tests/console/serve.sh"

api() { local tok=$1; shift; curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' "$@"; }
vis() { api "$CLIENT" "$U/v1/items/$1/visibility?country=$2" | jq -r .state; }
for i in 3 4; do
  api "$CLIENT" --data-binary "{\"id\":\"post-$i\",\"text\":\"free money now\",\"record\":true}" \
    "$U/v1/check" | jq -e .case >/dev/null || fail "check post-$i"
done
case4=$(api "$MIA" "$U/v1/cases?state=open" | jq -r '.[] | select(.item == "post-4") | .id')
api "$MIA" --data-binary '{"action":"remove","statement":"Spam."}' "$U/v1/cases/$case4/decide" \
  | jq -e '.state == "decided"' >/dev/null || fail "removing post-4"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for cc in PK IN; do
  req=$(api "$LEE" --data-binary '{"authority":{"name":"High Court","country":"'$cc'","branch":"court"},
    "legal_basis":{"instrument":"Penal code","provision":"s. 1"},"kind":"content_restriction",
    "received_at":"'"$now"'","items":[{"id":"post-3"}]}' "$U/v1/requests" | jq -r .id)
  api "$LEE" --data-binary '{"item":"post-3","outcome":"restrict","statement":"Restricted in '$cc'."}' \
    "$U/v1/requests/$req/decide" | jq -e .decision >/dev/null || fail "restricting post-3 in $cc"
done
[ "$(vis post-3 PK)/$(vis post-3 IN)/$(vis post-3 DE)" = restricted/restricted/visible ] \
  || fail "post-3 through the API: $(vis post-3 PK)/$(vis post-3 IN)/$(vis post-3 DE)"

node "$SRC/tests/console/console_item.mjs" "$U" "$OUT" || fail "the item page in the browser"
echo "screenshots in $OUT"
echo "it_console_item: ok"
