/*
 * schema_sqlite.c - the SQLite schema, as migrations. Never edit a shipped
 * migration: add the next one. Times are Unix seconds, UTC.
 *
 * The red lines are in the schema: items and accounts are opaque platform
 * references; no column holds an identifier of a platform user beyond
 * those references (LEGAL.md section 8.1), and data requests keep
 * categories and counts, never the data. Staff (moderators, legal
 * reviewers) are the only people the store names, by login.
 *
 * Decisions and audit events are append-only: triggers refuse UPDATE and
 * DELETE, so even a bug cannot rewrite history.
 */
#include "store_int.h"

const ar__migration ar__sqlite_migrations[] = {
    /* 1: the decision workflow and the audit log */
    {1,
    "CREATE TABLE staff ("
    "  id INTEGER PRIMARY KEY,"
    "  login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),"
    "  role TEXT NOT NULL CHECK (role IN ('moderator','legal','admin','auditor')),"
    "  password_hash TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)));"},
    {1,
    "CREATE TABLE items ("
    "  id INTEGER PRIMARY KEY,"
    "  platform_id TEXT NOT NULL UNIQUE CHECK (length(platform_id) BETWEEN 1 AND 256),"
    "  kind TEXT NOT NULL CHECK (kind IN ('post','comment','image','link','account','other')),"
    "  url TEXT,"
    "  author_ref TEXT," /* opaque: a platform id or a keyed-hash pseudonym */
    "  content_hash TEXT,"
    "  created_at INTEGER NOT NULL);"},
    {1,
    "CREATE TABLE legal_requests ("
    "  id INTEGER PRIMARY KEY,"
    "  external_ref TEXT,"
    "  authority_name TEXT NOT NULL,"
    "  authority_country TEXT NOT NULL CHECK (length(authority_country) = 2),"
    "  authority_branch TEXT NOT NULL,"
    "  instrument TEXT NOT NULL,"
    "  provision TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN "
    "    ('content_restriction','user_data','preservation','emergency')),"
    "  emergency INTEGER NOT NULL DEFAULT 0,"
    "  received_at INTEGER NOT NULL,"
    "  deadline_at INTEGER,"
    "  deadline_rule TEXT,"
    "  document_hash TEXT,"
    "  status TEXT NOT NULL DEFAULT 'received' CHECK (status IN "
    "    ('received','in_legal_review','decided','users_notified','closed')),"
    "  created_by INTEGER NOT NULL REFERENCES staff(id),"
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER);"},
    {1,
    "CREATE TABLE legal_request_items ("
    "  id INTEGER PRIMARY KEY,"
    "  request_id INTEGER NOT NULL REFERENCES legal_requests(id),"
    "  item_id INTEGER NOT NULL REFERENCES items(id),"
    "  locator TEXT,"
    "  outcome TEXT CHECK (outcome IN ('restrict','remove','decline','need_info','disclose',"
    "    'preserve')),"
    "  decline_reason TEXT CHECK (decline_reason IN ('no_legal_basis','overbroad',"
    "    'not_identifiable','not_our_content','rights_concern')),"
    "  note TEXT,"
    "  data_categories TEXT,"  /* user_data requests: categories disclosed, never the data */
    "  accounts_disclosed INTEGER CHECK (accounts_disclosed >= 0),"
    "  decided_by INTEGER REFERENCES staff(id),"
    "  decided_at INTEGER,"
    "  UNIQUE (request_id, item_id));"
    /* the items still waiting for a final outcome: tells in O(1) whether a
     * request is decided */
    "CREATE INDEX legal_request_items_open ON legal_request_items(request_id)"
    "  WHERE outcome IS NULL OR outcome = 'need_info';"},
    {1,
    "CREATE TABLE cases ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('flag','notice','appeal')),"
    "  item_id INTEGER NOT NULL REFERENCES items(id),"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','in_review','decided','closed')),"
    "  standard TEXT,"
    "  detail TEXT," /* the verdict's matches, or the notice's explanation, as JSON */
    "  assignee INTEGER REFERENCES staff(id),"
    "  priority INTEGER NOT NULL DEFAULT 0,"
    "  deadline_at INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER);"},
    {1,
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
    "  item_id INTEGER NOT NULL REFERENCES items(id),"
    "  notifier_kind TEXT NOT NULL CHECK (notifier_kind IN ('user','trusted_flagger','authority')),"
    "  notifier_ref TEXT," /* opaque */
    "  category TEXT NOT NULL,"
    "  explanation TEXT NOT NULL,"
    "  location TEXT NOT NULL,"
    "  good_faith INTEGER NOT NULL CHECK (good_faith IN (0,1)),"
    "  received_at INTEGER NOT NULL);"},
    {1,
    "CREATE TABLE decisions ("
    "  id INTEGER PRIMARY KEY,"
    "  item_id INTEGER NOT NULL REFERENCES items(id),"
    "  action TEXT NOT NULL CHECK (action IN ('none','label','restrict','remove','suspend_account')),"
    "  scope TEXT NOT NULL," /* 'global' or sorted ISO 3166-1 alpha-2 codes: 'IN,PK' */
    "  ground_kind TEXT NOT NULL CHECK (ground_kind IN ('standard','legal')),"
    "  ground TEXT NOT NULL,"
    "  source TEXT NOT NULL CHECK (source IN ('automated','moderator','legal_order','notice','appeal')),"
    "  automated_detection INTEGER NOT NULL CHECK (automated_detection IN (0,1)),"
    "  automated_decision INTEGER NOT NULL CHECK (automated_decision IN (0,1)),"
    "  decided_by INTEGER REFERENCES staff(id),"
    "  decided_at INTEGER NOT NULL,"
    "  statement TEXT NOT NULL CHECK (length(statement) > 0),"
    "  supersedes INTEGER UNIQUE REFERENCES decisions(id),"
    "  request_item_id INTEGER REFERENCES legal_request_items(id),"
    "  case_id INTEGER REFERENCES cases(id),"
    "  CHECK (scope = 'global' OR ground_kind = 'legal'));"
    "CREATE INDEX decisions_item ON decisions(item_id);"
    "CREATE TRIGGER decisions_append_only_u BEFORE UPDATE ON decisions"
    "  BEGIN SELECT RAISE(ABORT, 'decisions are never edited, only superseded'); END;"
    "CREATE TRIGGER decisions_append_only_d BEFORE DELETE ON decisions"
    "  BEGIN SELECT RAISE(ABORT, 'decisions are never deleted, only superseded'); END;"},
    {1,
    "CREATE TABLE user_notices ("
    "  id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER NOT NULL UNIQUE REFERENCES decisions(id),"
    "  state TEXT NOT NULL CHECK (state IN ('pending','sent','withheld')),"
    "  withheld_basis TEXT,"
    "  withheld_until INTEGER,"
    "  sent_at INTEGER,"
    "  CHECK (state <> 'withheld' OR (withheld_basis IS NOT NULL AND withheld_until IS NOT NULL)));"},
    {1,
    "CREATE TABLE appeals ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),"
    "  decision_id INTEGER NOT NULL REFERENCES decisions(id),"
    "  appellant_kind TEXT NOT NULL CHECK (appellant_kind IN ('affected_user','notifier','authority')),"
    "  grounds TEXT NOT NULL,"
    "  filed_at INTEGER NOT NULL,"
    "  outcome TEXT CHECK (outcome IN ('upheld','reversed','modified')),"
    "  decided_by INTEGER REFERENCES staff(id),"
    "  decided_at INTEGER,"
    "  result_decision_id INTEGER REFERENCES decisions(id));"},
    {1,
    "CREATE TABLE audit_events ("
    "  seq INTEGER PRIMARY KEY,"
    "  ts INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  payload TEXT NOT NULL," /* canonical JSON */
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit_events"
    "  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
    "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit_events"
    "  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"},
    {1,
    "CREATE TABLE audit_checkpoints ("
    "  seq INTEGER PRIMARY KEY REFERENCES audit_events(seq),"
    "  hash TEXT NOT NULL,"
    "  signature TEXT NOT NULL,"
    "  key_id TEXT NOT NULL,"
    "  every INTEGER NOT NULL CHECK (every > 0)," /* the interval the signature covers */
    "  ts INTEGER NOT NULL);"},
    /* 2: API tokens for machine clients of arbiterd. Only a hash of each
     * token is kept (BLAKE2b-256, libsodium's generichash): the token itself
     * is shown once, when made. roles: comma-separated, from client,
     * moderator, legal, admin, auditor. */
    {2,
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),"
    "  roles TEXT NOT NULL CHECK (length(roles) BETWEEN 1 AND 64),"
    "  hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),"
    "  created_at INTEGER NOT NULL,"
    "  revoked_at INTEGER);"},
    /* 3: who a token acts for, and console sessions. A token that changes
     * workflow state acts for one staff member, so every decision names a
     * person; a client token acts for nobody. A session is a staff member
     * signed in to the console: only a hash of its secret is kept, and it
     * records nothing about the browser or the network. */
    {3, "ALTER TABLE api_tokens ADD COLUMN staff_id INTEGER REFERENCES staff(id);"},
    {3,
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL CHECK (expires_at > created_at),"
    "  ended_at INTEGER);"},
    /* 4: what the reports and the workflow look decisions up by. A report
     * or an SoR export reads one window of decided_at; a case's page, an
     * appeal and the notices-acted-on figure find decisions by case_id.
     * Both were full scans of the largest table (docs/PERFORMANCE.md). */
    {4, "CREATE INDEX decisions_decided_at ON decisions(decided_at);"},
    {4, "CREATE INDEX decisions_case ON decisions(case_id);"},
    /* 5: evidence: an item's text, sealed with DIR/evidence.key, kept until
     * expires_at for reviewers (src/workflow/evidence.c) */
    {5,
    "CREATE TABLE evidence ("
    "  item_id INTEGER PRIMARY KEY REFERENCES items(id),"
    "  sealed BLOB NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL CHECK (expires_at > created_at));"
    "CREATE INDEX evidence_expiry ON evidence(expires_at);"},
    /* 6: signal lists (src/workflow/lists.c): blocked-URL lists (kind url,
     * values are Safe Browsing expressions) and image-hash banks (kind pdq,
     * values are 64 lowercase hex digits). Entries may be removed: a list is
     * not a decision, and the audit log keeps every change. */
    {6,
    "CREATE TABLE signal_lists ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
    "  kind TEXT NOT NULL CHECK (kind IN ('url','pdq')),"
    "  description TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  created_by INTEGER NOT NULL REFERENCES staff(id));"},
    {6,
    "CREATE TABLE signal_list_entries ("
    "  id INTEGER PRIMARY KEY,"
    "  list_id INTEGER NOT NULL REFERENCES signal_lists(id) ON DELETE CASCADE,"
    "  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 256),"
    "  note TEXT,"
    "  added_at INTEGER NOT NULL,"
    "  added_by INTEGER NOT NULL REFERENCES staff(id),"
    "  UNIQUE (list_id, value));"},
    /* 7: what the console filters and shows (issue 6).
     * - items.lang: the item's language as a lowercase BCP 47 primary tag
     *   ("en", "ur"), from the check request; a language is not personal
     *   data. The queue filters by it.
     * - four_eyes_kinds: the request kinds whose per-item decisions need a
     *   second legal reviewer, as the policy in force says
     *   (legal_review.four_eyes); replaced whole when the policy changes.
     * - legal_item_proposals: a per-item decision proposed by one legal
     *   reviewer, waiting for a different one to sign it off (it then takes
     *   effect) or reject it (the item is undecided again). Kept, never
     *   deleted: who proposed and who signed off is part of the record.
     * - audit_verifications: every run of the audit log's verification,
     *   who ran it (a staff login or "cli") and what it found. */
    {7, "ALTER TABLE items ADD COLUMN lang TEXT CHECK (lang IS NULL OR length(lang) BETWEEN 2 AND 8);"
        "CREATE INDEX items_lang ON items(lang) WHERE lang IS NOT NULL;"},
    {7,
    "CREATE TABLE four_eyes_kinds ("
    "  kind TEXT PRIMARY KEY CHECK (kind IN "
    "    ('content_restriction','user_data','preservation','emergency')));"},
    {7,
    "CREATE TABLE legal_item_proposals ("
    "  id INTEGER PRIMARY KEY,"
    "  request_item_id INTEGER NOT NULL REFERENCES legal_request_items(id),"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('restrict','remove','decline','disclose',"
    "    'preserve')),"
    "  reason TEXT,"
    "  standard TEXT,"
    "  statement TEXT,"
    "  data_categories TEXT,"
    "  accounts INTEGER,"
    "  withhold_basis TEXT,"
    "  withhold_until INTEGER,"
    "  proposed_by INTEGER NOT NULL REFERENCES staff(id),"
    "  proposed_at INTEGER NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','signed_off','rejected')),"
    "  reviewed_by INTEGER REFERENCES staff(id),"
    "  reviewed_at INTEGER,"
    "  reject_reason TEXT,"
    "  CHECK (reviewed_by IS NULL OR reviewed_by <> proposed_by));"
    /* at most one proposal waits per item */
    "CREATE UNIQUE INDEX legal_item_proposals_pending ON legal_item_proposals(request_item_id)"
    "  WHERE state = 'pending';"},
    {7,
    "CREATE TABLE audit_verifications ("
    "  id INTEGER PRIMARY KEY,"
    "  ran_at INTEGER NOT NULL,"
    "  ran_by TEXT NOT NULL CHECK (length(ran_by) BETWEEN 1 AND 80),"
    "  result TEXT NOT NULL,"
    "  intact INTEGER NOT NULL CHECK (intact IN (0,1)),"
    "  events INTEGER NOT NULL,"
    "  checkpoints INTEGER NOT NULL,"
    "  last_checkpoint INTEGER NOT NULL,"
    "  unsigned_tail INTEGER NOT NULL,"
    "  first_bad_seq INTEGER,"
    "  message TEXT NOT NULL);"},
};

const size_t ar__sqlite_migration_count =
    sizeof ar__sqlite_migrations / sizeof ar__sqlite_migrations[0];
