/*
 * arbiter/workflow.h - what happens after a check flags something, and what
 * happens when a government sends an order: staff and their roles, items,
 * decisions, review cases, notices, legal requests and appeals, over one
 * store, with every change audited and reflected in the visibility index.
 *
 * Everything that changes what a person can see is a decision. A decision
 * has an action (none, label, restrict, remove, suspend_account), a
 * territorial scope (global, or ISO 3166-1 alpha-2 countries), a ground (a
 * community-standard id, or a legal basis), a source (automated, moderator,
 * legal_order, notice, appeal), automated detection/decision flags, who
 * decided, when, a statement of reasons, and the decision it supersedes.
 * Decisions are never edited or deleted, only superseded.
 *
 * Rules the code enforces (each refusal is an error that changes nothing):
 *  (1) A country-scoped restriction exists only with a legal request or a
 *      recorded legal basis behind it, decided by a `legal` reviewer;
 *      restrict is always country-scoped, remove always global.
 *  (2) Only a `legal` reviewer decides legal requests.
 *  (3) An appeal is decided by someone other than the original decider
 *      (and, under four eyes, other than the reviewer who signed it off).
 *  (4) Every decision produces a statement of reasons and a user notice;
 *      a notice is withheld only with a recorded legal basis and an expiry,
 *      after which ar_workflow_release_notices() releases it.
 *  (5) Every state change appends an audit event in the same transaction,
 *      and is durable (committed) before the call returns AR_OK.
 *  (6) Four eyes: for the request kinds the policy names
 *      (legal_review.four_eyes), a legal reviewer's final per-item outcome
 *      is only proposed; it takes effect (decision, visibility, user
 *      notice, request status) when a *different* legal reviewer signs it
 *      off, and a different one may reject it (the item is undecided
 *      again). Whoever proposed can do neither.
 *
 * Legal request: RECEIVED -> IN_LEGAL_REVIEW -> DECIDED -> USERS_NOTIFIED -> CLOSED
 *   The first item decision moves RECEIVED to IN_LEGAL_REVIEW; when every
 *   item has a final outcome (restrict, remove, decline, disclose, preserve)
 *   the request is DECIDED; need_info keeps it in review.
 * Review case: OPEN -> IN_REVIEW (assigned) -> DECIDED -> CLOSED
 *
 * The red lines: items and authors are opaque platform references; data
 * requests record the outcome, the categories disclosed and how many
 * accounts, never the data; nothing here can look up a person.
 *
 * THREAD SAFETY: an ar_workflow may be shared by threads; writes are
 * serialised by the store's writer, reads run side by side, visibility
 * lookups are lock-free.
 */
#ifndef ARBITER_WORKFLOW_H
#define ARBITER_WORKFLOW_H

#include "arbiter/audit.h"
#include "arbiter/check.h"
#include "arbiter/common.h"
#include "arbiter/jurisdiction.h"
#include "arbiter/store.h"
#include "arbiter/visibility.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_STATEMENT_MAX_BYTES 5000 /* the DSA database's limit for free text */
#define AR_REQUEST_MAX_ITEMS   10000

typedef enum ar_role {
    AR_ROLE_MODERATOR = 0,
    AR_ROLE_LEGAL,
    AR_ROLE_ADMIN,
    AR_ROLE_AUDITOR,
} ar_role;

AR_API const char *ar_role_name(ar_role r);
AR_API AR_NODISCARD ar_status ar_role_parse(const char *s, ar_role *out, ar_error *err);

typedef struct ar_workflow ar_workflow;

/* ar_workflow_open flags */
#define AR_WORKFLOW_INDEX 0x1u /* build the visibility index from the store */

typedef struct ar_workflow_opts {
    const char *dir;      /* made by ar_workflow_init */
    unsigned flags;
    int64_t (*clock)(void *ud); /* Unix seconds; NULL: the system clock */
    void *clock_ud;
    int64_t evidence_seconds; /* how long an item's text is kept; 0: 90 days */
} ar_workflow_opts;

/* Create DIR (must be absent or empty): the store, the audit signing key,
 * and a copy of `jurisdictions_path` (NULL: none). */
AR_API AR_NODISCARD ar_status ar_workflow_init(ar_ctx *ctx, const char *dir,
                                               const char *jurisdictions_path, ar_error *err);
AR_API AR_NODISCARD ar_status ar_workflow_open(ar_ctx *ctx, const ar_workflow_opts *opts,
                                               ar_workflow **out, ar_error *err);
AR_API void ar_workflow_close(ar_workflow *w);
AR_API ar_store *ar_workflow_store(ar_workflow *w);

/*---- Staff --------------------------------------------------------------*/

/* Add a staff member. `actor` must be an admin, except for the very first
 * staff member (bootstrap), who must be an admin. password may be NULL
 * (CLI-only staff); it is stored as an argon2id hash. */
AR_API AR_NODISCARD ar_status ar_staff_add(ar_workflow *w, const char *actor, const char *login,
                                           ar_role role, const char *password, int64_t *id,
                                           ar_error *err);
/* AR_OK if `login` exists, is enabled and has the password (argon2id). */
AR_API AR_NODISCARD ar_status ar_staff_check_password(ar_workflow *w, const char *login,
                                                      const char *password, ar_role *role,
                                                      ar_error *err);

/*---- Verdicts and review cases -----------------------------------------*/

typedef struct ar_item_ref {
    const char *platform_id; /* the platform's id: required */
    const char *kind;        /* post, comment, image, link, account, other (NULL: post) */
    const char *url;         /* may be NULL */
    const char *author_ref;  /* opaque; may be NULL */
    const char *content_hash; /* may be NULL */
    /* The item's text, kept sealed as evidence for reviewers until the
     * workflow's evidence_seconds pass (only when a case opens or a decision
     * is made). NULL: none. At most AR_EVIDENCE_MAX_BYTES. */
    const char *text;
    size_t text_len;
    /* The item's language: a BCP 47 tag ("en", "ur-PK"); its primary
     * subtag, lowercased, is kept on the item for the queue's language
     * filter. NULL: unknown. Recorded when the item is first seen, or the
     * first time a language is given for it. */
    const char *lang;
} ar_item_ref;

#define AR_EVIDENCE_MAX_BYTES   (1024 * 1024)
#define AR_EVIDENCE_SECONDS_DEFAULT (90 * 86400)

/* Record a verdict for an item: a standard whose action is `review` opens a
 * flag case; `label` and `remove` make an automated decision. Returns the
 * case id (0 if none) and the decision id (0 if none). */
AR_API AR_NODISCARD ar_status ar_workflow_record_verdict(ar_workflow *w, const ar_item_ref *item,
                                                         const ar_engine *engine,
                                                         const ar_verdict *verdict,
                                                         int64_t *case_id, int64_t *decision_id,
                                                         ar_error *err);

/* A user's or trusted flagger's notice (DSA Art. 16 elements). */
typedef struct ar_notice_in {
    ar_item_ref item;
    const char *notifier_kind; /* user | trusted_flagger | authority */
    const char *notifier_ref;  /* opaque, may be NULL */
    const char *category;      /* a standard id or "illegal:<law>" */
    const char *explanation;   /* why the content is unlawful or breaks the standards */
    const char *location;      /* the exact URL or locator */
    bool good_faith;           /* the notifier's statement of good faith */
} ar_notice_in;

AR_API AR_NODISCARD ar_status ar_notice_add(ar_workflow *w, const ar_notice_in *n, int64_t *case_id,
                                            ar_error *err);

/* A notice as JSON (the shape is in notice_json.c: item, notifier_kind,
 * notifier_ref, category, explanation, location, good_faith); unknown keys
 * and wrong types are refused, naming the field. The strings in
 * ar_notice_fields() live as long as the parsed notice. */
typedef struct ar_notice ar_notice;
AR_API AR_NODISCARD ar_status ar_notice_parse(ar_ctx *ctx, const char *json, size_t len,
                                              ar_notice **out, ar_error *err);
AR_API const ar_notice_in *ar_notice_fields(const ar_notice *n);
AR_API void ar_notice_free(ar_notice *n);

typedef struct ar_case_decision {
    const char *action;    /* none | label | remove | suspend_account | restrict */
    const char *standard;  /* the ground for label/remove/suspend: a standard id */
    const char *countries; /* restrict only: "PK" or "PK,IN" */
    const char *legal_basis; /* restrict only: "instrument provision" */
    const char *statement; /* the statement of reasons: required */
    const char *withhold_basis; /* optional, with withhold_until */
    int64_t withhold_until;
} ar_case_decision;

AR_API AR_NODISCARD ar_status ar_case_assign(ar_workflow *w, const char *actor, int64_t case_id,
                                             const char *assignee, ar_error *err);
/* Hand a case on: back to the queue, unassigned, at priority
 * AR_CASE_PRIORITY_ESCALATED (ahead of ordinary work), with the reason in
 * the audit log. */
#define AR_CASE_PRIORITY_ESCALATED 2
AR_API AR_NODISCARD ar_status ar_case_escalate(ar_workflow *w, const char *actor, int64_t case_id,
                                               const char *reason, ar_error *err);
AR_API AR_NODISCARD ar_status ar_case_decide(ar_workflow *w, const char *actor, int64_t case_id,
                                             const ar_case_decision *d, int64_t *decision_id,
                                             ar_error *err);

/*---- Legal requests ----------------------------------------------------------*/

/* Parse and validate a request file (JSON). Every problem names its field
 * ("items[2].id"). The parsed request is owned by the caller. */
typedef struct ar_legal_request ar_legal_request;
AR_API AR_NODISCARD ar_status ar_legal_request_parse(ar_ctx *ctx, const char *json, size_t len,
                                                     ar_legal_request **out, ar_error *err);
AR_API void ar_legal_request_free(ar_legal_request *r);

AR_API AR_NODISCARD ar_status ar_request_add(ar_workflow *w, const char *actor,
                                             const ar_legal_request *r, int64_t *id,
                                             ar_error *err);

typedef struct ar_item_outcome {
    const char *item;    /* the item's platform id */
    const char *outcome; /* restrict | remove | decline | need_info | disclose | preserve */
    const char *reason;  /* decline: no_legal_basis | overbroad | not_identifiable |
                            not_our_content | rights_concern; otherwise free text */
    const char *standard; /* remove: the community standard the item breaks */
    const char *statement; /* statement of reasons (required for restrict/remove) */
    const char *data_categories; /* disclose: e.g. "basic_subscriber" (never the data) */
    int64_t accounts;            /* disclose: how many accounts */
    const char *withhold_basis;  /* optional, with withhold_until */
    int64_t withhold_until;
} ar_item_outcome;

AR_API AR_NODISCARD ar_status ar_request_decide(ar_workflow *w, const char *actor,
                                                int64_t request_id, const ar_item_outcome *o,
                                                int64_t *decision_id, ar_error *err);
/* Four eyes (rule 6). Under it ar_request_decide() records a proposal and
 * sets *decision_id to 0; the item stays undecided until
 * ar_request_sign_off() (by another legal reviewer: the outcome takes
 * effect, *decision_id as ar_request_decide would give) or
 * ar_request_reject_proposal() (by another legal reviewer, with a reason).
 * AR_EDENIED for the proposer, AR_ENOTFOUND if no proposal waits for the
 * item, AR_ECONFLICT from ar_request_decide while one waits. */
AR_API AR_NODISCARD ar_status ar_request_sign_off(ar_workflow *w, const char *actor,
                                                  int64_t request_id, const char *item,
                                                  int64_t *decision_id, ar_error *err);
AR_API AR_NODISCARD ar_status ar_request_reject_proposal(ar_workflow *w, const char *actor,
                                                         int64_t request_id, const char *item,
                                                         const char *reason, ar_error *err);
/* The request kinds that need a second reviewer, as AR_POLICY_KIND_* bits:
 * set from the policy in force (arbiterd does, at start and on every
 * swap; audited as policy.four_eyes when it changes), kept in the store so
 * every process over it enforces the same. */
AR_API AR_NODISCARD ar_status ar_workflow_set_four_eyes(ar_workflow *w, const char *actor,
                                                        unsigned kinds, ar_error *err);
AR_API AR_NODISCARD ar_status ar_workflow_four_eyes(ar_workflow *w, unsigned *kinds,
                                                    ar_error *err);

/* DECIDED -> USERS_NOTIFIED once every notice is sent or lawfully withheld. */
AR_API AR_NODISCARD ar_status ar_request_mark_notified(ar_workflow *w, const char *actor,
                                                       int64_t request_id, ar_error *err);
AR_API AR_NODISCARD ar_status ar_request_close(ar_workflow *w, const char *actor,
                                               int64_t request_id, ar_error *err);

/*---- Appeals ----------------------------------------------------------------*/

AR_API AR_NODISCARD ar_status ar_appeal_add(ar_workflow *w, int64_t decision_id,
                                            const char *appellant_kind, const char *grounds,
                                            int64_t *case_id, ar_error *err);
/* outcome: upheld | reversed. Reversal supersedes the decision with action
 * none and the item is visible again (for that decision's scope). */
AR_API AR_NODISCARD ar_status ar_appeal_decide(ar_workflow *w, const char *actor,
                                               int64_t case_id, const char *outcome,
                                               const char *statement, int64_t *decision_id,
                                               ar_error *err);

/*---- User notices ---------------------------------------------------------*/

/* Erase every kept text whose time has passed (also done at open); audited.
 * *purged gets how many. */
AR_API AR_NODISCARD ar_status ar_workflow_purge_evidence(ar_workflow *w, int64_t *purged,
                                                         ar_error *err);

/* Release every withheld notice whose expiry has passed; *released gets how many. */
AR_API AR_NODISCARD ar_status ar_workflow_release_notices(ar_workflow *w, int64_t *released,
                                                          ar_error *err);

/*---- Reading -----------------------------------------------------------------*/

/* Visibility of an item in a country, from the index (the workflow must be
 * opened with AR_WORKFLOW_INDEX). */
AR_API ar_visibility_state ar_workflow_visibility(ar_workflow *w, const char *item,
                                                  const char country[2]);
/* Every country the item is withheld in (ar_visibility_scope over the
 * workflow's index; without an index, AR_VISIBLE and none). */
AR_API ar_visibility_state ar_workflow_visibility_scope(ar_workflow *w, const char *item,
                                                        char *countries, size_t *ncountries);
/* Many lookups at once (ar_visibility_get_many over the workflow's index):
 * out[i] is items[i]'s state in countries[2i..2i+1]. Without an index every
 * item is AR_VISIBLE. */
AR_API void ar_workflow_visibility_many(ar_workflow *w, size_t n, const char *const *items,
                                        const size_t *lens, const char *countries,
                                        ar_visibility_state *out);

/* JSON documents for display (caller frees with free()). */
AR_API AR_NODISCARD ar_status ar_request_show_json(ar_workflow *w, int64_t id, char **json,
                                                   ar_error *err);
AR_API AR_NODISCARD ar_status ar_request_list_json(ar_workflow *w, const char *status,
                                                   char **json, ar_error *err);
/* Which cases to list; NULL fields do not filter. Oldest first within a
 * priority (trusted flaggers first), at most `limit` (0: 500; max 5000). */
typedef struct ar_case_filter {
    const char *state;    /* open | in_review | decided | closed */
    const char *kind;     /* flag | notice | appeal */
    const char *standard; /* the standard that fired or was reported */
    const char *assignee; /* a staff login; "" for unassigned */
    int64_t older_than;   /* seconds: only cases opened at least this long ago (0: any) */
    size_t limit;
    /* Where the case came from: automated (a rule flagged it), user_notice,
     * trusted_flagger (a notice from one), legal (a notice from an
     * authority; legal requests themselves have their own list), appeal.
     * Each listed case carries its "source" and the item's "lang". */
    const char *source;
    const char *lang; /* the item's language, a BCP 47 primary tag ("ur") */
} ar_case_filter;

/* The values of ar_case_filter.source, and whether s is one. */
AR_API bool ar_case_source_valid(const char *s);

AR_API AR_NODISCARD ar_status ar_case_list_json(ar_workflow *w, const ar_case_filter *f,
                                                char **json, ar_error *err);
/* One case: its fields, the item, what was flagged or reported (the
 * verdict's matches, or the notice without who sent it), the appeal and the
 * decision appealed, and the item's decisions. AR_ENOTFOUND if none. */
AR_API AR_NODISCARD ar_status ar_case_show_json(ar_workflow *w, int64_t id, char **json,
                                                ar_error *err);
AR_API AR_NODISCARD ar_status ar_item_decisions_json(ar_workflow *w, const char *item,
                                                     char **json, ar_error *err);

/* What is waiting, for dashboards and alerts (arbiterd's /metrics). */
typedef struct ar_queue_stats {
    int64_t cases_open[3];      /* by kind: flag, notice, appeal (open or in review) */
    int64_t cases_overdue;      /* open or in review past their deadline */
    int64_t requests_open;      /* legal requests not yet decided */
    int64_t requests_overdue;   /* of those, past their legal deadline */
    int64_t notices_withheld;   /* user notices withheld on a legal basis */
} ar_queue_stats;

AR_API AR_NODISCARD ar_status ar_workflow_queue_stats(ar_workflow *w, ar_queue_stats *out,
                                                      ar_error *err);

/* Record in the audit log that the policy in force changed: `digest` and
 * `name` of the new one, `how` ("http", "sighup", "start"). Durable before
 * it returns, like every change. */
AR_API AR_NODISCARD ar_status ar_workflow_note_policy(ar_workflow *w, const char *actor,
                                                      const char *digest, const char *name,
                                                      const char *how, ar_error *err);

/*---- Signal lists (src/workflow/lists.c; arbiter/lists.h has the contract) --*/

/* An operation names a list by (kind, name): a bank is not reachable as a
 * url list, and names are unique across kinds. Changes need an admin. */
AR_API AR_NODISCARD ar_status ar_list_create(ar_workflow *w, const char *actor, ar_list_kind kind,
                                             const char *name, const char *description,
                                             ar_error *err);
/* Delete a list and its entries (the audit event counts them). */
AR_API AR_NODISCARD ar_status ar_list_delete(ar_workflow *w, const char *actor, ar_list_kind kind,
                                             const char *name, ar_error *err);

typedef struct ar_list_entry_in {
    const char *value; /* an expression or URL (url), 64 hex digits (pdq) */
    size_t len;
    const char *note;  /* may be NULL; one line, at most AR_LIST_NOTE_MAX bytes */
} ar_list_entry_in;

/* Add entries, all or nothing: one invalid entry (AR_EINVAL, field
 * "entries[i].value", every invalid one in the report) adds none. */
AR_API AR_NODISCARD ar_status ar_list_add(ar_workflow *w, const char *actor, ar_list_kind kind,
                                          const char *name, const ar_list_entry_in *v, size_t n,
                                          ar_list_report *report, ar_error *err);
/* Import a text file (format in arbiter/lists.h), all or nothing; the
 * report counts added, already present and invalid lines (with numbers). */
AR_API AR_NODISCARD ar_status ar_list_import(ar_workflow *w, const char *actor,
                                             ar_list_kind kind, const char *name,
                                             const char *text, size_t len,
                                             ar_list_report *report, ar_error *err);
/* Remove one entry (given as stored or in any form that normalises to it). */
AR_API AR_NODISCARD ar_status ar_list_remove(ar_workflow *w, const char *actor, ar_list_kind kind,
                                             const char *name, const char *value, size_t len,
                                             ar_error *err);
/* Add one entry and give its row id (*id; *added false if it was already
 * on the list: the id is the existing entry's). Same rules as ar_list_add. */
AR_API AR_NODISCARD ar_status ar_list_add_one(ar_workflow *w, const char *actor,
                                              ar_list_kind kind, const char *name,
                                              const char *value, size_t len, const char *note,
                                              int64_t *id, bool *added, ar_error *err);
/* The entry with row id `id` of the list (value[] >= AR_URL_EXPR_MAX + 1);
 * AR_ENOTFOUND (field "id") if the list has no such entry. */
AR_API AR_NODISCARD ar_status ar_list_entry_get(ar_workflow *w, ar_list_kind kind,
                                                const char *name, int64_t id, char *value,
                                                size_t size, ar_error *err);
/* Remove the entry with row id `id`, audited as ar_list_remove. */
AR_API AR_NODISCARD ar_status ar_list_remove_id(ar_workflow *w, const char *actor,
                                                ar_list_kind kind, const char *name, int64_t id,
                                                ar_error *err);
/* {"lists":[{"name","kind","description","entries","created_at","created_by"}]}
 * (JSON, free() it). */
AR_API AR_NODISCARD ar_status ar_list_list_json(ar_workflow *w, ar_list_kind kind, char **out,
                                                ar_error *err);
/* One list with "entries":[{"value","note","added_at","added_by"}]. */
AR_API AR_NODISCARD ar_status ar_list_show_json(ar_workflow *w, ar_list_kind kind,
                                                const char *name, char **out, ar_error *err);
/* The list as an import file: "value note" per line (free() it). */
AR_API AR_NODISCARD ar_status ar_list_export(ar_workflow *w, ar_list_kind kind, const char *name,
                                             char **out, size_t *len, ar_error *err);
/* A snapshot of every list in the store, frozen, for checks. */
AR_API AR_NODISCARD ar_status ar_lists_load(ar_workflow *w, ar_lists **out, ar_error *err);

/* Verify the audit log against DIR's public key. */
AR_API AR_NODISCARD ar_status ar_workflow_audit_verify(ar_workflow *w, ar_audit_report *report,
                                                       ar_error *err);
/* Verify as above and keep the result (time, who, what was found) with an
 * "audit.verify" audit event. `actor`: a staff login (an admin or an
 * auditor), or NULL for the command line ("cli"). *id gets the record's id.
 * AR_OK whenever the log could be read, intact or not (see report). */
AR_API AR_NODISCARD ar_status ar_workflow_audit_verify_record(ar_workflow *w, const char *actor,
                                                              ar_audit_report *report,
                                                              int64_t *id, ar_error *err);
/* The last `limit` kept verifications (0: 10; at most 500), newest first:
 * [{id, ran_at, ran_by, result, intact, events, checkpoints,
 *   last_checkpoint, unsigned_tail, first_bad_seq, message}]. */
AR_API AR_NODISCARD ar_status ar_audit_verifications_json(ar_workflow *w, size_t limit,
                                                          char **json, ar_error *err);

#ifdef __cplusplus
}
#endif
#endif
