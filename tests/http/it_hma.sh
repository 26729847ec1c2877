#!/usr/bin/env bash
# it_hma.sh ARBITER SOURCE_DIR - the HMA-compatible routes against the real
# daemon, driven as an HMA client drives them (curl -F photo=@file): create
# a bank, upload a corpus image as content, look it up by signal and by
# upload, raw_lookup with distances, compare, delete the content; bad input
# answers 4xx JSON and nothing stored changes; a policy bank rule sees the
# uploaded hash; the audit chain holds.
set -euo pipefail
ARBITER=$1
SRC=$2
. "$SRC/tests/lib/daemon.sh"
it_begin hma

it_serve_staffed

IMG=$SRC/tests/image/corpus/data/misc-images/wee.jpg
PDQ=6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d
PDQ1=6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2c # distance 1
OTHER=$SRC/tests/image/corpus/data/misc-images/small.jpg

req() { # req TOKEN CURL-ARGS...: the status; the body in $T/body
  local tok=$1; shift
  curl -s -o "$T/body" -w '%{http_code}' ${tok:+-H "Authorization: Bearer $tok"} "$@"
}
expect() { # expect STATUS TOKEN CURL-ARGS...
  local want=$1; shift
  local got; got=$(req "$@")
  [ "$got" = "$want" ] || fail "${*: -1}: $got, expected $want: $(cat "$T/body")"
  if [ "$want" -ge 400 ]; then
    jq -e '.error.code and .error.message and (.error.field | type == "string")' "$T/body" \
      >/dev/null || fail "${*: -1}: not a JSON error: $(cat "$T/body")"
  fi
}
json() { expect "$1" "$2" -H "Content-Type: application/json" -X "$3" --data-binary "$4" "$5"; }
audit_events() { sqlite3 "$V/arbiter.db" 'SELECT count(*) FROM audit_events'; }
entries() { sqlite3 "$V/arbiter.db" 'SELECT count(*) FROM signal_list_entries'; }

# banks
json 201 "$ADMIN" POST '{"name":"KNOWN_IMAGES"}' "$U/c/banks"
jq -e '. == {"name":"KNOWN_IMAGES","matching_enabled_ratio":1.0}' "$T/body" >/dev/null \
  || fail "create: $(cat "$T/body")"
expect 200 "$MOD" "$U/c/banks"
jq -e '. == [{"name":"KNOWN_IMAGES","matching_enabled_ratio":1.0}]' "$T/body" >/dev/null \
  || fail "banks: $(cat "$T/body")"
expect 200 "$MOD" "$U/v1/banks/known_images" # the same bank, as arbiter names it

# hash, then bank the image by upload (only the hash is stored)
expect 200 "$CLIENT" -F "photo=@$IMG" "$U/h/hash"
jq -e '.pdq == "'$PDQ'"' "$T/body" >/dev/null || fail "hash: $(cat "$T/body")"
expect 200 "$ADMIN" -F "photo=@$IMG" -F "note=from it_hma" "$U/c/bank/KNOWN_IMAGES/content"
ID=$(jq -r .id "$T/body")
jq -e '.signals.pdq == "'$PDQ'" and (.id | type == "number")' "$T/body" >/dev/null \
  || fail "content: $(cat "$T/body")"
[ "$(sqlite3 "$V/arbiter.db" "SELECT value || ' ' || note FROM signal_list_entries WHERE id = $ID")" \
  = "$PDQ from it_hma" ] || fail "stored entry"
expect 200 "$MOD" "$U/c/bank/KNOWN_IMAGES/content/$ID?signal_type=pdq"
jq -e '.id == '"$ID"' and .bank == "KNOWN_IMAGES" and .enabled and .signals.pdq == "'$PDQ'"' \
  "$T/body" >/dev/null || fail "content get: $(cat "$T/body")"

# lookups
expect 200 "$CLIENT" "$U/m/lookup?signal_type=pdq&signal=$PDQ1"
jq -e '. == {"KNOWN_IMAGES":[{"bank_content_id":'"$ID"',"distance":"1"}]}' "$T/body" >/dev/null \
  || fail "lookup: $(cat "$T/body")"
expect 200 "$CLIENT" -F "photo=@$IMG" "$U/m/lookup?banks=KNOWN_IMAGES"
jq -e '. == {"pdq":{"KNOWN_IMAGES":[{"bank_content_id":'"$ID"',"distance":"0"}]}}' "$T/body" \
  >/dev/null || fail "lookup by upload: $(cat "$T/body")"
expect 200 "$CLIENT" -F "photo=@$OTHER" "$U/m/lookup"
jq -e '. == {"pdq":{}}' "$T/body" >/dev/null || fail "other image matched: $(cat "$T/body")"
expect 200 "$CLIENT" "$U/m/raw_lookup?signal_type=pdq&signal=$PDQ1"
jq -e '. == {"matches":['"$ID"']}' "$T/body" >/dev/null || fail "raw: $(cat "$T/body")"
expect 200 "$CLIENT" "$U/m/raw_lookup?signal_type=pdq&signal=$PDQ1&include_distance=true"
jq -e '. == {"matches":[{"bank_content_id":'"$ID"',"distance":"1"}]}' "$T/body" >/dev/null \
  || fail "raw with distance: $(cat "$T/body")"
json 200 "$CLIENT" POST "{\"pdq\":[\"$PDQ\",\"$PDQ1\"]}" "$U/m/compare"
jq -e '. == {"pdq":[true,{"distance":1}]}' "$T/body" >/dev/null || fail "compare: $(cat "$T/body")"
expect 200 "$CLIENT" "$U/m/index/status"
jq -e '.pdq.present and .pdq.size == 1 and .pdq.built_to > 0' "$T/body" >/dev/null \
  || fail "index status: $(cat "$T/body")"
expect 200 "$CLIENT" -D "$T/headers" "$U/status"
[ "$(cat "$T/body")" = "I-AM-ALIVE" ] || fail "status body: $(cat "$T/body")"
grep -qi '^X-Arbiter-Index-Size: 1' "$T/headers" || fail "status headers"

# a policy bank rule sees the uploaded hash through /v1/check
printf '%s\n      - bank: known_images\n' "$(cat "$T/policy.yaml")" >"$T/banked.yaml"
expect 200 "$ADMIN" -H 'Content-Type: application/yaml' --data-binary "@$T/banked.yaml" "$U/v1/policy"
json 200 "$CLIENT" POST "{\"image_hashes\":[\"$PDQ1\"]}" "$U/v1/check"
jq -e '.flagged == true' "$T/body" >/dev/null || fail "check: $(cat "$T/body")"

# bad input: 4xx JSON, nothing stored changes
before=$(audit_events); n=$(entries)
expect 400 "$CLIENT" "$U/m/lookup?url=http://example.test/a.jpg"
jq -e '.error.field == "url" and (.error.message | test("never fetches"))' "$T/body" >/dev/null \
  || fail "url refusal: $(cat "$T/body")"
expect 400 "$ADMIN" -F "photo=@$IMG" "$U/c/bank/KNOWN_IMAGES/content?url=http://example.test/"
expect 400 "$CLIENT" -F "video=@$IMG" "$U/h/hash"
expect 400 "$CLIENT" -F "photo=@$IMG" -F "photo=@$OTHER" "$U/h/hash"
expect 400 "$CLIENT" -F "photo=@$T/policy.yaml" "$U/h/hash"
expect 400 "$CLIENT" -H 'Content-Type: application/json' --data-binary '{}' "$U/h/hash"
expect 400 "$CLIENT" -H 'Content-Type: multipart/form-data; boundary=zz' --data-binary 'junk' "$U/h/hash"
expect 400 "$CLIENT" "$U/m/raw_lookup?signal_type=pdq&signal=nothex"
expect 400 "$CLIENT" "$U/m/raw_lookup?signal_type=video_md5&signal=$PDQ"
json 400 "$CLIENT" POST '{"pdq":["'$PDQ'"]}' "$U/m/compare"
json 400 "$ADMIN" POST '{"name":"lower_case"}' "$U/c/banks"
json 400 "$ADMIN" POST '{"name":"HALF","enabled_ratio":0.5}' "$U/c/banks"
json 409 "$ADMIN" POST '{"name":"KNOWN_IMAGES"}' "$U/c/banks"
json 400 "$ADMIN" PUT '{"name":"RENAMED"}' "$U/c/bank/KNOWN_IMAGES"
json 400 "$ADMIN" POST '{"pdq":"abc"}' "$U/c/bank/KNOWN_IMAGES/signal"
json 404 "$ADMIN" POST "{\"pdq\":\"$PDQ\"}" "$U/c/bank/NO_SUCH/signal"
expect 403 "$MOD" -F "photo=@$IMG" "$U/c/bank/KNOWN_IMAGES/content"
expect 401 "" "$U/m/lookup?signal_type=pdq&signal=$PDQ"
expect 409 "$ADMIN" -X DELETE "$U/c/bank/KNOWN_IMAGES" # the policy names it
[ "$(audit_events)" = "$before" ] || fail "a refused request changed the audit log"
[ "$(entries)" = "$n" ] || fail "a refused request changed the entries"
grep -q 'from it_hma\|JFIF' "$T/log" && fail "note or image bytes in the log"

# delete the content: gone from lookups at once; deleting again is 0
expect 200 "$ADMIN" -X DELETE "$U/c/bank/KNOWN_IMAGES/content/$ID"
jq -e '. == {"deleted":1}' "$T/body" >/dev/null || fail "delete: $(cat "$T/body")"
expect 200 "$ADMIN" -X DELETE "$U/c/bank/KNOWN_IMAGES/content/$ID"
jq -e '. == {"deleted":0}' "$T/body" >/dev/null || fail "delete again: $(cat "$T/body")"
expect 200 "$CLIENT" "$U/m/lookup?signal_type=pdq&signal=$PDQ"
jq -e '. == {}' "$T/body" >/dev/null || fail "lookup after delete: $(cat "$T/body")"
"$ARBITER" audit verify --dir "$V" >/dev/null || fail "audit chain"

kill -TERM "$PID"
wait "$PID" || fail "daemon exit status"
PID=
echo "it_hma: ok"
