#!/usr/bin/env bash
# tests/console/it_console_queue.sh ARBITER SOURCE_DIR - the review queue's
# filters by source and by language in headless Chromium (console_queue.mjs):
# three cases come in through the API - an automated flag on an Urdu post,
# a user's notice and a trusted flagger's notice on English posts - and the
# moderator narrows the queue to each source and to one language, with the
# keyboard too, at 1280 px and on a narrow window. Screenshots stay in
# Testing/console_queue/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_queue
echo 'mod-pass-0123456789' | "$ARBITER" user add mia --role moderator --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
. "$SRC/tests/console/serve.sh"

post() {
  curl -sf -H "Authorization: Bearer $CLIENT" -H 'Content-Type: application/json' \
    --data-binary "$2" "$U$1" >/dev/null || fail "POST $1"
}
post /v1/check '{"id":"post-ur","text":"free money یہاں","lang":"ur-PK","record":true}'
post /v1/check '{"id":"post-en","text":"free money here","lang":"en","record":true}'
post /v1/notices '{"item":{"id":"post-user"},"notifier_kind":"user","category":"spam",
  "explanation":"a scam","location":"https://example.social/p/user","good_faith":true}'
post /v1/notices '{"item":{"id":"post-tf"},"notifier_kind":"trusted_flagger","category":"spam",
  "explanation":"a scam","location":"https://example.social/p/tf","good_faith":true}'

node "$SRC/tests/console/console_queue.mjs" "$U" "$OUT" || fail "queue filters in the browser"
echo "screenshots in $OUT"
echo "it_console_queue: ok"
