/*
 * workflow_int.h - what the files of src/workflow/ share: the workflow's
 * layout, the acting staff member, audit and decision helpers.
 */
#ifndef AR_WORKFLOW_INT_H
#define AR_WORKFLOW_INT_H

#include "arbiter/workflow.h"
#include "common/common_int.h"

#include <jansson.h>

typedef struct ar__token_cache ar__token_cache;

struct ar_workflow {
    ar_ctx *ctx;
    ar_store *store;
    ar_audit *audit;
    ar_visibility *vis; /* NULL unless opened with AR_WORKFLOW_INDEX */
    ar_jurisdictions *jur; /* NULL if DIR has no jurisdictions.yaml */
    char *dir;
    int64_t (*clock)(void *ud);
    void *clock_ud;
    ar__token_cache *tokens; /* tokens.c: recent ar_token_check answers */
    uint8_t *evidence_key;   /* evidence.c: sodium_malloc'd */
    int64_t evidence_seconds;
};

/* The staff member a change is made by. */
typedef struct ar__actor {
    int64_t id;
    ar_role role;
    char name[80]; /* "legal:alice", as the audit log records it */
} ar__actor;

AR_INTERNAL int64_t ar__now(const ar_workflow *w);

/* Look up an enabled staff member: AR_ENOTFOUND / AR_EDENIED (disabled). */
AR_INTERNAL ar_status ar__actor_load(ar_store_txn *t, const char *login, ar__actor *out,
                                     ar_error *err);
/* AR_EDENIED unless the actor has `role` ("only a legal reviewer may ..."). */
AR_INTERNAL ar_status ar__actor_require(const ar__actor *a, ar_role role, const char *what,
                                        ar_error *err);

/* Append an audit event; `payload` is consumed (decref'd) either way. */
AR_INTERNAL ar_status ar__audit(ar_workflow *w, ar_store_txn *t, const char *actor,
                                const char *action, const char *object_kind, int64_t object_id,
                                json_t *payload, ar_error *err);

/* Find or create an item by platform id; validates every field. */
AR_INTERNAL ar_status ar__item_upsert(ar_workflow *w, ar_store_txn *t, const ar_item_ref *item,
                                      int64_t *item_id, ar_error *err);

typedef struct ar__decision_in {
    int64_t item_id;
    const char *action;      /* none | label | restrict | remove | suspend_account */
    const char *scope;       /* "global" or validated "IN,PK" */
    const char *ground_kind; /* standard | legal */
    const char *ground;
    const char *source; /* automated | moderator | legal_order | notice | appeal */
    bool automated_detection, automated_decision;
    int64_t decided_by; /* staff id, 0 for automated */
    const char *statement;
    int64_t supersedes, request_item_id, case_id; /* 0: none */
    const char *withhold_basis;
    int64_t withhold_until;
} ar__decision_in;

/* Record a decision and its user notice, audited. Enforces rules (1) and (4)
 * of workflow.h on the record itself. */
AR_INTERNAL ar_status ar__decision_record(ar_workflow *w, ar_store_txn *t, const char *actor,
                                          const ar__decision_in *d, int64_t *id, ar_error *err);

/* After commit: recompute an item's visibility from its active decisions. */
AR_INTERNAL ar_status ar__visibility_refresh(ar_workflow *w, int64_t item_id, ar_error *err);
/* The end of every transaction that may decide: roll back if `st` failed;
 * else commit, hand back the decision's id (decision_id may be NULL) and,
 * if one was made (did != 0), bring the item's visibility up to date. The
 * decision is durable before the index shows it. */
AR_INTERNAL ar_status ar__decided(ar_workflow *w, ar_store_txn *t, ar_status st, int64_t item_id,
                                  int64_t did, int64_t *decision_id, ar_error *err);
/* At open: every item with an active decision. */
AR_INTERNAL ar_status ar__visibility_rebuild(ar_workflow *w, ar_error *err);

/* Validate "pk, IN" into "IN,PK" (sorted, unique, uppercase) in out[size]. */
AR_INTERNAL ar_status ar__countries_normalize(const char *in, char *out, size_t size,
                                              ar_error *err);
/* Text a person typed: required, valid UTF-8 (jansson checks), <= max bytes. */
AR_INTERNAL ar_status ar__text_check(const char *s, const char *field, size_t max, bool required,
                                     ar_error *err);

struct ar_legal_request {
    ar_ctx *ctx;
    json_t *root; /* owns every string below */
    const char *authority_name, *authority_branch, *instrument, *provision, *kind;
    const char *external_ref, *document_hash;
    char country[3];
    bool emergency;
    int64_t received_at;
    size_t nitems;
    ar_item_ref *items;
};

typedef struct case_row {
    int64_t id, item_id, assignee;
    char kind[16], state[16], standard[130];
} case_row;

AR_INTERNAL ar_status ar__case_load(ar_store_txn *t, int64_t id, case_row *c, ar_error *err);
/* Moderators and legal reviewers work cases; admins and auditors do not. */
AR_INTERNAL ar_status ar__require_reviewer(const ar__actor *a, ar_error *err);

/* Serialise a document for the caller (free() it); consumes `doc`. */
AR_INTERNAL ar_status ar__json_out(json_t *doc, char **out, ar_error *err);

/* One row -> JSON object with the given column names (NULL -> null, INTEGER kept). */
AR_INTERNAL json_t *ar__row_object(const ar_store_row *row, const char *const *names, size_t n,
                                   const bool *is_int);

/* request_json.c: the JSON field helpers every parser of a document from
 * outside uses. only_keys refuses a key outside `allowed`, naming it;
 * get_string reads a string member (required or not, <= max bytes, no NUL)
 * and names `field` in its errors. */
AR_INTERNAL bool ar__in_set(const char *s, const char *const *set, size_t n);
AR_INTERNAL ar_status ar__json_only_keys(json_t *obj, const char *where, const char *const *allowed,
                                         size_t n, ar_error *err);
AR_INTERNAL ar_status ar__json_get_string(json_t *obj, const char *key, const char *field,
                                          size_t max, bool required, const char **out,
                                          ar_error *err);

/* appeals.c: every decision about an item, oldest first, appended to `into`. */
AR_INTERNAL ar_status ar__item_decisions(ar_store_txn *t, const char *item, json_t *into,
                                         ar_error *err);

/* evidence.c: the key (read or made at open), sealing an item's text in
 * transaction t, and its opened text as "text"/"text_expires_at" in `into`. */
AR_INTERNAL ar_status ar__evidence_key_load(ar_workflow *w, const char *path, ar_error *err);
AR_INTERNAL void ar__evidence_key_free(ar_workflow *w);
AR_INTERNAL ar_status ar__evidence_keep(ar_workflow *w, ar_store_txn *t, int64_t item_id,
                                        const char *text, size_t len, ar_error *err);
AR_INTERNAL ar_status ar__evidence_json(ar_workflow *w, ar_store_txn *t, const char *platform_id,
                                        json_t *into, ar_error *err);

/* requests.c: decide item o->item of request_id now (checks it is open and
 * the outcome fits): the decision is `decider`'s, the audit events `by`'s.
 * *did: the decision made (0: none); *item_id: the item's row. */
AR_INTERNAL ar_status ar__request_apply(ar_workflow *w, ar_store_txn *t, const ar__actor *decider,
                                        const char *by, int64_t request_id,
                                        const ar_item_outcome *o, int64_t *did, int64_t *item_id,
                                        ar_error *err);
/* four_eyes.c: whether the policy in force wants a second reviewer for this
 * request kind; AR_ECONFLICT if a proposal waits for the item; record a
 * proposal (audited). */
AR_INTERNAL ar_status ar__four_eyes_needed(ar_store_txn *t, const char *kind, bool *needed,
                                           ar_error *err);
AR_INTERNAL ar_status ar__proposal_none_pending(ar_store_txn *t, int64_t ritem_id,
                                                const char *item, ar_error *err);
AR_INTERNAL ar_status ar__proposal_add(ar_workflow *w, ar_store_txn *t, const ar__actor *a,
                                       int64_t request_id, int64_t ritem_id,
                                       const ar_item_outcome *o, ar_error *err);

/* tokens.c: the check cache, made at open and freed at close. */
AR_INTERNAL ar_status ar__token_cache_new(ar_workflow *w, ar_error *err);
AR_INTERNAL void ar__token_cache_free(ar_workflow *w);
/* A new secret: prefix ("arb_", "ars_") + 43 base64url characters of 32
 * random bytes (47 characters, NUL-terminated), and its hash. */
AR_INTERNAL void ar__secret_new(const char *prefix, char out[48], char hex[65]);
/* BLAKE2b-256 of a presented secret, as 64 hex digits. */
AR_INTERNAL void ar__hash_hex(const char *secret, size_t len, char out[65]);
/* "arb_"/"ars_" + 43 base64url characters? */
AR_INTERNAL bool ar__secret_well_formed(const char *s, size_t len, const char *prefix);

#endif
