#!/usr/bin/env bash
# tests/console/it_console_review.sh ARBITER SOURCE_DIR - the console in
# headless Chromium against the real daemon (127.0.0.1, port 0): its files
# are served with the security headers and nothing outside console/ can be
# reached; then console_review.mjs signs in, works the review queue
# (highlights, decide, the case leaves the queue) and checks the legal
# requests entry is hidden and refused for a moderator. Here, the decision
# shows in the item's visibility through the API. Screenshots stay in
# Testing/console_review/ under the build directory.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/console/begin.sh" console_review
echo 'mod-pass-0123456789' | "$ARBITER" user add mia --role moderator --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
# a symlink out of the console directory must not be followed
mkdir -p "$T/console"
cp -r "$SRC/console/." "$T/console/"
ln -s /etc/hostname "$T/console/leak.txt"

CONSOLE_DIR="$T/console"
. "$SRC/tests/console/serve.sh"

# --- static files: headers, redirects, refusals -----------------------------
curl -s -D "$T/h" -o /dev/null "$U/"
grep -qi '^HTTP/1.1 302' "$T/h" && grep -qi '^Location: /console/' "$T/h" || fail "/ does not redirect"
curl -s -D "$T/h" -o "$T/body" "$U/console/"
grep -qi '^HTTP/1.1 200' "$T/h" || fail "/console/: $(head -1 "$T/h")"
grep -qi '^Content-Type: text/html; charset=utf-8' "$T/h" || fail "index content type"
grep -qi "^Content-Security-Policy: default-src 'self'" "$T/h" || fail "no CSP"
grep -qi '^X-Frame-Options: DENY' "$T/h" || fail "no X-Frame-Options"
grep -qi '^X-Content-Type-Options: nosniff' "$T/h" || fail "no nosniff"
grep -qi '^Cache-Control:' "$T/h" || fail "no Cache-Control"
cmp -s "$T/body" "$SRC/console/index.html" || fail "index.html differs"
curl -s -D "$T/h" -o /dev/null "$U/console/app.js"
grep -qi '^Content-Type: text/javascript' "$T/h" || fail "app.js content type"
[ "$(curl -s -o /dev/null -w '%{http_code}' -I "$U/console/style.css")" = 200 ] || fail "HEAD"
for bad in /console/../CMakeLists.txt /console/%2e%2e/x.html /console/.hidden.html \
           /console/leak.txt /console//index.html /console/index.exe /nothing.html \
           '/console/a/../index.html'; do
  got=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$U$bad")
  [ "$got" = 404 ] || fail "$bad: $got, expected 404"
  jq -e '.error.code == "not_found"' "$T/body" >/dev/null || fail "$bad: not a JSON error"
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/console/index.html")" = 404 ] \
  || fail "POST to a console file"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$U/v1/nothing")" = 404 ] || fail "unknown API route"

# --- two flagged items make two open cases -----------------------------------
post() { curl -s -H "Authorization: Bearer $CLIENT" -H 'Content-Type: application/json' \
  --data-binary "$2" "$U$1"; }
post /v1/check '{"id":"post-1","text":"Héllo: free money now","record":true}' | jq -e '.case' >/dev/null \
  || fail "check post-1"
post /v1/check '{"id":"post-2","text":"free money now","record":true}' | jq -e '.case' >/dev/null \
  || fail "check post-2"
[ "$(curl -s -H "Authorization: Bearer $CLIENT" "$U/v1/items/post-1/visibility?country=DE" | jq -r .state)" = visible ] \
  || fail "post-1 is visible before the decision"

node "$SRC/tests/console/console_review.mjs" "$U" "$OUT" || fail "console review in the browser"

state=$(curl -s -H "Authorization: Bearer $CLIENT" "$U/v1/items/post-1/visibility?country=DE" | jq -r .state)
[ "$state" = removed ] || fail "post-1 after the console's decision: $state, expected removed"
state=$(curl -s -H "Authorization: Bearer $CLIENT" "$U/v1/items/post-2/visibility?country=DE" | jq -r .state)
[ "$state" = visible ] || fail "post-2 was not decided: $state"
echo "screenshots in $OUT"
echo "it_console_review: ok"
