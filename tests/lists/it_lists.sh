#!/usr/bin/env bash
# it_lists.sh ARBITER SOURCE_DIR - blocked-URL lists and banks against the
# real daemon: a policy naming a missing list is refused on swap; create a
# list, import it, check posts whose text holds a blocked link (www. form,
# odd case, percent-escapes, a subdomain) -> flagged; remove the entry -> not
# flagged at once; bad input -> 4xx JSON and nothing stored changes.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin lists

it_serve_staffed

code() { # code METHOD PATH TOKEN [BODY] [CONTENT-TYPE]: the status; the body in $T/body
  local args=(-s -o "$T/body" -w '%{http_code}' -X "$1")
  [ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
  [ -n "${4:-}" ] && args+=(-H "Content-Type: ${5:-application/json}" --data-binary "$4")
  curl "${args[@]}" "$U$2"
}
expect() { # expect STATUS METHOD PATH TOKEN [BODY] [CONTENT-TYPE]
  local want=$1; shift
  local got; got=$(code "$@")
  [ "$got" = "$want" ] || fail "$1 $2: $got, expected $want: $(cat "$T/body")"
  if [ "$want" -ge 400 ]; then
    jq -e '.error.code and .error.message and (.error.field | type == "string")' "$T/body" \
      >/dev/null || fail "$1 $2: not a JSON error: $(cat "$T/body")"
  fi
}
entries() { # entries NAME: how many entries the list holds, as the API says
  code GET "/v1/url-lists/$1" "$ADMIN" >/dev/null
  jq '.entries | length' "$T/body"
}
audit_events() { sqlite3 "$V/arbiter.db" 'SELECT count(*) FROM audit_events'; }

# a policy whose rule names a list the store lacks: refused by name, old policy stays
LISTED=$(printf '%s\n      - url_list: phishing-links\n' "$(cat "$T/policy.yaml")")
expect 400 POST /v1/policy "$ADMIN" "$LISTED" application/yaml
jq -e '.error.message | test("phishing-links")' "$T/body" >/dev/null || fail "missing list not named"

# create, import
expect 201 POST /v1/url-lists "$ADMIN" '{"name":"phishing-links","description":"test"}'
jq -e '.name == "phishing-links" and .kind == "url" and (.entries | length) == 0' "$T/body" \
  >/dev/null || fail "create: $(cat "$T/body")"
expect 409 POST /v1/url-lists "$ADMIN" '{"name":"phishing-links"}'
expect 403 POST /v1/url-lists "$MOD" '{"name":"other"}'
expect 403 GET /v1/url-lists "$CLIENT"
printf '# blocked\nevil.example/ a phishing host\nhttp://ok.test/Bad/path?x=1#frag\n' >"$T/list.txt"
expect 200 POST '/v1/url-lists/phishing-links:import' "$ADMIN" "$(cat "$T/list.txt")" text/plain
jq -e '.added == 2 and .already_present == 0' "$T/body" >/dev/null || fail "import: $(cat "$T/body")"
expect 200 GET /v1/url-lists "$MOD"
jq -e '.lists[0].name == "phishing-links" and .lists[0].entries == 2' "$T/body" >/dev/null \
  || fail "list: $(cat "$T/body")"
expect 200 POST /v1/policy "$ADMIN" "$LISTED" application/yaml

check() { # check TEXT [LINKS_JSON]: the verdict in $T/body
  local body
  body=$(jq -nc --arg t "$1" --argjson l "${2:-[]}" '{text: $t, links: $l}')
  expect 200 POST /v1/check "$CLIENT" "$body"
}
for post in "see WWW.Evil.Example/win now" "go https://EVIL.example./%70rize" \
            "sub: http://a.b.evil.example/x?y" "(http://OK.test/Bad/path?x=1)"; do
  check "$post"
  jq -e '.flagged == true and .matches[0].list == "phishing-links" and .matches[0].start >= 0' \
    "$T/body" >/dev/null || fail "not flagged: $post: $(cat "$T/body")"
done
check "nothing here" '["https://deep.EVIL.example/%2E/a"]'
jq -e '.flagged and .matches[0].link == 0 and .matches[0].entry == "evil.example/"' "$T/body" \
  >/dev/null || fail "link: $(cat "$T/body")"
check "notevil.example/ and http://ok.test/bad/path?x=1"
jq -e '.flagged == false' "$T/body" >/dev/null || fail "false positive: $(cat "$T/body")"

# bad input: 4xx JSON, nothing stored changes
before=$(audit_events)
expect 400 POST '/v1/url-lists/phishing-links:import' "$ADMIN" \
  "$(printf 'fine.test/\nftp://nope/\nhttp://x:0/\n')" text/plain
jq -e '.error.invalid_count == 2 and .error.invalid[0].line == 2' "$T/body" >/dev/null \
  || fail "import report: $(cat "$T/body")"
expect 400 POST /v1/url-lists/phishing-links/entries "$ADMIN" '["ok2.test/", "javascript:x"]'
[ "$(jq -r .error.field "$T/body")" = "entries[1].value" ] || fail "field: $(cat "$T/body")"
expect 400 POST /v1/url-lists/phishing-links/entries "$ADMIN" '{"value":"x"}'
expect 400 POST /v1/url-lists "$ADMIN" '{"name":"Bad Name"}'
expect 400 POST /v1/url-lists "$ADMIN" '{"name":"x","extra":1}'
expect 404 GET /v1/url-lists/nope "$ADMIN"
expect 404 GET /v1/banks/phishing-links "$ADMIN"
expect 400 POST /v1/check "$CLIENT" '{"text":"x","links":["ftp://x/"]}'
[ "$(jq -r .error.field "$T/body")" = "links[0]" ] || fail "links field: $(cat "$T/body")"
expect 400 POST /v1/check "$CLIENT" '{"text":"x","image_hashes":["abc"]}'
expect 409 DELETE /v1/url-lists/phishing-links "$ADMIN"
[ "$(audit_events)" = "$before" ] || fail "a refused request changed the audit log"
[ "$(entries phishing-links)" = 2 ] || fail "a refused request changed the list"

# remove the entry: the next check no longer flags
expect 200 DELETE '/v1/url-lists/phishing-links/entries/evil.example%2F' "$ADMIN"
expect 404 DELETE '/v1/url-lists/phishing-links/entries/evil.example%2F' "$ADMIN"
check "see WWW.Evil.Example/win now"
jq -e '.flagged == false' "$T/body" >/dev/null || fail "still flagged after removal"
expect 200 POST /v1/url-lists/phishing-links/entries "$ADMIN" '[{"value":"Evil.Example","note":"back"}]'
check "see WWW.Evil.Example/win now"
jq -e '.flagged == true' "$T/body" >/dev/null || fail "not flagged after re-adding"

# banks: the same routes under /v1/banks
H0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
H3=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde8
expect 201 POST /v1/banks "$ADMIN" '{"name":"known-images"}'
expect 200 POST /v1/banks/known-images/entries "$ADMIN" "[\"$H0\"]"
expect 400 POST /v1/banks/known-images/entries "$ADMIN" '["evil.example/"]'
BANKED=$(printf '%s\n      - bank: known-images\n        distance: 4\n' "$LISTED")
expect 200 POST /v1/policy "$ADMIN" "$BANKED" application/yaml
expect 200 POST /v1/check "$CLIENT" "{\"image_hashes\":[\"$H3\"]}"
jq -e '.flagged and .matches[0].distance == 3 and .matches[0].entry == "'"$H0"'"' "$T/body" \
  >/dev/null || fail "bank match: $(cat "$T/body")"
expect 200 GET /v1/banks/known-images "$MOD"

# the CLI sees the same store
"$ARBITER" url-list export phishing-links --dir "$V" | grep -q '^evil.example/ back$' \
  || fail "export"
"$ARBITER" bank list --dir "$V" --json | jq -e '.lists[0].entries == 1' >/dev/null || fail "bank list"
"$ARBITER" audit verify --dir "$V" >/dev/null || fail "audit chain"

kill -TERM "$PID"
wait "$PID" || fail "daemon exit status"
PID=
echo "it_lists: ok"
