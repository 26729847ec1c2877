#!/usr/bin/env bash
# tests/console/it_console_audit.sh ARBITER SOURCE_DIR - the audit page in
# headless Chromium as the auditor "aud" (console_audit.mjs): the log is
# verified on opening; "Verify now" counts the events a new check recorded;
# after someone with access to the database file rewrites an event (here:
# sqlite3, dropping the append-only trigger first), "Verify now" reports the
# chain broken at that event. Screenshots stay in Testing/console_audit/.
set -euo pipefail
ARBITER=$1
SRC=$2
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed to tamper with the log" >&2; exit 1; }
. "$SRC/tests/console/begin.sh" console_audit
echo 'aud-pass-0123456789' | "$ARBITER" user add aud --role auditor --password-stdin \
  --dir "$T/var" --as admin >/dev/null
CLIENT=$("$ARBITER" token create --dir "$T/var" --role client --name feed)
. "$SRC/tests/console/serve.sh"

# what the browser test runs between its verifications
cat >"$T/change.sh" <<SH
curl -sf -H "Authorization: Bearer $CLIENT" -H 'Content-Type: application/json' \
  --data-binary '{"id":"post-9","text":"free money now","record":true}' "$U/v1/check" >/dev/null
SH
cat >"$T/tamper.sh" <<SH
sqlite3 -cmd '.timeout 5000' "$T/var/arbiter.db" \
  "DROP TRIGGER audit_append_only_u; UPDATE audit_events SET actor = 'nobody' WHERE seq = 3;"
SH
node "$SRC/tests/console/console_audit.mjs" "$U" "$OUT" "$T/change.sh" "$T/tamper.sh" \
  || fail "the audit page in the browser"
echo "screenshots in $OUT"
echo "it_console_audit: ok"
