#!/usr/bin/env bash
# tests/console/it_console_legal.sh ARBITER SOURCE_DIR - legal requests in the
# console (headless Chromium, the real daemon): a legal reviewer sees the
# entry, files a request from PK for two items, restricts one and declines
# the other (console_legal.mjs); then, through the API, the restriction
# applies in PK only and the declined item stays visible. Screenshots stay
# in Testing/console_legal/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_legal
echo 'legal-pass-0123456789' | "$ARBITER" user add lee --role legal --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
. "$SRC/tests/console/serve.sh"

node "$SRC/tests/console/console_legal.mjs" "$U" "$OUT" || fail "legal requests in the browser"

vis() { curl -s -H "Authorization: Bearer $CLIENT" "$U/v1/items/$1/visibility?country=$2" | jq -r .state; }
[ "$(vis post-7 PK)" = restricted ] || fail "post-7 in PK: $(vis post-7 PK), expected restricted"
[ "$(vis post-7 DE)" = visible ] || fail "post-7 in DE: $(vis post-7 DE), expected visible"
[ "$(vis post-8 PK)" = visible ] || fail "post-8 (declined) in PK: $(vis post-8 PK)"
echo "screenshots in $OUT"
echo "it_console_legal: ok"
