#!/usr/bin/env bash
# tests/console/it_console_appeals.sh ARBITER SOURCE_DIR - appeals in the
# console (headless Chromium, the real daemon): moderator mia removed post-1
# (through the API, as herself); console_appeals.mjs files an appeal for the
# affected user on the item page, sees mia's own attempt to decide it refused
# by the API (403, shown on the page), then moderator max reverses it; here,
# through the API, post-1 is visible again and the decisions say who did what.
# Screenshots stay in Testing/console_appeals/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_appeals
for who in mia max; do
  echo "$who-pass-0123456789" | "$ARBITER" user add $who --role moderator --password-stdin \
    --dir "$T/var" --as admin >/dev/null
done
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
MIA=$("$ARBITER" token create --dir "$T/var" --role client,moderator --user mia)
. "$SRC/tests/console/serve.sh"

api() { local tok=$1; shift; curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' "$@"; }
vis() { api "$CLIENT" "$U/v1/items/$1/visibility?country=$2" | jq -r .state; }
case_id=$(api "$CLIENT" --data-binary '{"id":"post-1","text":"free money now","record":true}' "$U/v1/check" | jq -r .case)
[ "$case_id" != null ] || fail "check post-1 made no case"
api "$MIA" --data-binary '{"action":"remove","statement":"Spam: sells a get-rich scheme."}' \
  "$U/v1/cases/$case_id/decide" | jq -e '.state == "decided"' >/dev/null || fail "mia's decision"
[ "$(vis post-1 DE)" = removed ] || fail "post-1 before the appeal: $(vis post-1 DE)"

node "$SRC/tests/console/console_appeals.mjs" "$U" "$OUT" || fail "appeals in the browser"

for cc in DE PK; do
  [ "$(vis post-1 $cc)" = visible ] || fail "post-1 in $cc after the reversal: $(vis post-1 $cc)"
done
api "$MIA" "$U/v1/items/post-1/decisions" | jq -e '.decisions | length == 2
  and .[0].superseded_by == .[1].id and .[1].decided_by == "max" and .[1].source == "appeal"' \
  >/dev/null || fail "decisions after the appeal: $(api "$MIA" "$U/v1/items/post-1/decisions")"
echo "screenshots in $OUT"
echo "it_console_appeals: ok"
