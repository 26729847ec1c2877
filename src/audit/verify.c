/*
 * verify.c - walk the whole chain and every checkpoint; name the first
 * event that is wrong and how.
 *
 * Pass 1 streams the events in seq order and stops at the first break:
 *   a gap in seq                      -> removed
 *   content that does not hash        -> altered, or (looking at the next
 *                                        row) reordered, removed-and-
 *                                        renumbered, or inserted
 *   a good event whose prev is not    -> the event before it was inserted
 *   the hash before it                   (prev skips it) or rewritten
 * Pass 2 checks each checkpoint's signature, that it matches its event, and
 * that none is missing; a chain rewritten with fresh hashes passes pass 1
 * and fails here.
 */
#include "audit_int.h"

#include <sodium.h>
#include <stdio.h>

typedef struct event_row {
    int64_t seq, ts;
    const char *actor, *action, *object, *payload, *prev, *hash;
} event_row;

#define EVENT_COLUMNS "seq, ts, actor, action, object, payload, prev_hash, hash"

static event_row read_row(const ar_store_row *r)
{
    return (event_row){ar_row_int(r, 0),          ar_row_int(r, 1),
                       ar_row_text(r, 2, NULL),   ar_row_text(r, 3, NULL),
                       ar_row_text(r, 4, NULL),   ar_row_text(r, 5, NULL),
                       ar_row_text(r, 6, NULL),   ar_row_text(r, 7, NULL)};
}

/* Does `e`'s content hash to its stored hash when taken as event `seq`? */
static bool hashes_as(const event_row *e, int64_t seq)
{
    char h[AR_AUDIT_HASH_HEX + 1];
    if (ar__audit_event_hash(seq, e->ts, e->actor, e->action, e->object, e->payload, e->prev, h,
                             NULL, NULL) != AR_OK)
        return false;
    return sodium_memcmp(h, e->hash, AR_AUDIT_HASH_HEX) == 0 && strlen(e->hash) == AR_AUDIT_HASH_HEX;
}

typedef struct chain {
    int64_t expected, events;
    char prev[AR_AUDIT_HASH_HEX + 1], prev_prev[AR_AUDIT_HASH_HEX + 1];
    ar_audit_problem problem;
    int64_t bad_seq;
    bool found;
} chain;

static ar_status walk_event(void *ud, const ar_store_row *r, ar_error *err)
{
    chain *c = ud;
    event_row e = read_row(r);
    if (e.seq != c->expected) {
        c->problem = AR_AUDIT_REMOVED;
        c->bad_seq = c->expected;
    } else if (!hashes_as(&e, e.seq)) {
        c->problem = AR_AUDIT_ALTERED; /* classified by the caller */
        c->bad_seq = e.seq;
    } else if (strcmp(e.prev, c->prev) != 0) {
        c->problem = strcmp(e.prev, c->prev_prev) == 0 ? AR_AUDIT_INSERTED : AR_AUDIT_ALTERED;
        c->bad_seq = e.seq - 1;
    } else {
        memcpy(c->prev_prev, c->prev, sizeof c->prev);
        snprintf(c->prev, sizeof c->prev, "%s", e.hash);
        c->expected++;
        c->events++;
        return AR_OK;
    }
    c->found = true;
    return ar_error_set(err, AR_ECORRUPT, "audit", "chain broken"); /* stops the walk */
}

typedef struct pair {
    bool k_holds_prev;      /* row k holds event k-1: something was put before it */
    bool k_moved_from_next; /* row k holds event k+1 */
    bool next_holds_k;      /* the row after k holds event k */
    int rows;
} pair;

static ar_status look_at_pair(void *ud, const ar_store_row *r, ar_error *err)
{
    (void)err;
    pair *p = ud;
    event_row e = read_row(r);
    int64_t k = p->rows == 0 ? e.seq : 0;
    if (p->rows == 0) {
        p->k_moved_from_next = hashes_as(&e, k + 1);
        p->k_holds_prev = k > 1 && hashes_as(&e, k - 1);
    }
    else
        p->next_holds_k = hashes_as(&e, e.seq - 1);
    p->rows++;
    return AR_OK;
}

/* The content at k does not hash: tell a swap, a renumbered removal and an
 * insertion apart from a plain alteration by looking at the next row. */
static ar_status classify(ar_store_txn *t, chain *c, ar_error *err)
{
    pair p = {0};
    ar_status st = ar_store_exec(t,
                                 "SELECT " EVENT_COLUMNS " FROM audit_events WHERE seq >= ?"
                                 " ORDER BY seq LIMIT 2",
                                 (ar_value[]){AR_VINT(c->bad_seq)}, 1, look_at_pair, &p, NULL,
                                 err);
    if (st != AR_OK)
        return st;
    if (p.k_holds_prev) {
        c->problem = AR_AUDIT_INSERTED;
        c->bad_seq--;
    } else if (p.k_moved_from_next && p.next_holds_k)
        c->problem = AR_AUDIT_REORDERED;
    else if (p.k_moved_from_next)
        c->problem = AR_AUDIT_REMOVED;
    else if (p.next_holds_k)
        c->problem = AR_AUDIT_INSERTED;
    return AR_OK;
}

typedef struct checks {
    const uint8_t *pk;
    char key_id[17];
    int64_t limit;   /* only checkpoints below this seq matter */
    int64_t last_good, every, count;
    ar_audit_problem problem;
    int64_t bad_seq;
    char why[128];
} checks;

static ar_status walk_checkpoint(void *ud, const ar_store_row *r, ar_error *err)
{
    checks *k = ud;
    int64_t seq = ar_row_int(r, 0), every = ar_row_int(r, 4);
    const char *hash = ar_row_text(r, 1, NULL), *sig_hex = ar_row_text(r, 2, NULL);
    const char *key_id = ar_row_text(r, 3, NULL);
    if (seq >= k->limit || k->problem != AR_AUDIT_INTACT)
        return AR_OK;
    unsigned char sig[crypto_sign_BYTES];
    size_t sig_len = 0;
    char msg[256];
    ar__audit_checkpoint_message(seq, hash, every, msg, sizeof msg);
    const char *why = NULL;
    if (k->every && seq != k->last_good + k->every) {
        k->problem = AR_AUDIT_MISSING_CHECKPOINT;
        k->bad_seq = k->last_good + k->every;
        snprintf(k->why, sizeof k->why, "no checkpoint at event %lld", (long long)k->bad_seq);
        return AR_OK;
    }
    if (strcmp(key_id, k->key_id) != 0)
        why = "signed by another key";
    else if (sodium_hex2bin(sig, sizeof sig, sig_hex, strlen(sig_hex), NULL, &sig_len, NULL) != 0 ||
             sig_len != sizeof sig ||
             crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), k->pk) != 0)
        why = "signature does not verify";
    else if (ar_row_is_null(r, 5))
        why = "its event is missing (log truncated)";
    else if (strcmp(ar_row_text(r, 5, NULL), hash) != 0)
        why = "events before it were rewritten";
    if (why) {
        k->problem = AR_AUDIT_BAD_CHECKPOINT;
        k->bad_seq = k->last_good + 1;
        snprintf(k->why, sizeof k->why, "checkpoint at event %lld: %s", (long long)seq, why);
        return AR_OK;
    }
    k->every = every;
    k->last_good = seq;
    k->count++;
    (void)err;
    return AR_OK;
}

static void describe(ar_audit_report *rep, const char *why)
{
    static const char *const what[] = {
        [AR_AUDIT_INTACT] = "intact",
        [AR_AUDIT_ALTERED] = "was altered",
        [AR_AUDIT_REMOVED] = "was removed",
        [AR_AUDIT_INSERTED] = "was inserted",
        [AR_AUDIT_REORDERED] = "is out of order",
        [AR_AUDIT_BAD_CHECKPOINT] = "is the first event a failing checkpoint covers",
        [AR_AUDIT_MISSING_CHECKPOINT] = "should carry a checkpoint and does not",
    };
    if (rep->problem == AR_AUDIT_INTACT)
        snprintf(rep->message, sizeof rep->message,
                 "intact: %lld events, %lld checkpoints verified, %lld events after the last",
                 (long long)rep->events, (long long)rep->checkpoints,
                 (long long)rep->unsigned_tail);
    else
        snprintf(rep->message, sizeof rep->message, "event %lld %s%s%s",
                 (long long)rep->first_bad_seq, what[rep->problem], why ? ": " : "",
                 why ? why : "");
}

const char *ar_audit_problem_name(ar_audit_problem p)
{
    static const char *const names[] = {"intact", "altered", "removed", "inserted",
                                        "reordered", "bad_checkpoint", "missing_checkpoint"};
    return (unsigned)p < AR_ARRAY_LEN(names) ? names[p] : "unknown";
}

ar_status ar_audit_verify(ar_ctx *ctx, ar_store *store,
                          const uint8_t public_key[AR_AUDIT_PUBLIC_KEY_BYTES],
                          ar_audit_report *report, ar_error *err)
{
    if (!ctx || !store || !public_key || !report)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_audit_verify: NULL argument");
    if (sodium_init() < 0)
        return ar_error_set(err, AR_EBACKEND, NULL, "libsodium failed to initialise");
    memset(report, 0, sizeof *report);
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(store, &t, err);
    if (st != AR_OK)
        return st;
    chain c = {.expected = 1};
    memcpy(c.prev, ar__audit_genesis, sizeof c.prev);
    memcpy(c.prev_prev, ar__audit_genesis, sizeof c.prev_prev);
    ar_error walk_err;
    st = ar_store_exec(t, "SELECT " EVENT_COLUMNS " FROM audit_events ORDER BY seq", NULL, 0,
                       walk_event, &c, NULL, &walk_err);
    if (st != AR_OK && !c.found) {
        ar_store_rollback(t);
        if (err)
            *err = walk_err;
        return st;
    }
    if (c.found && c.problem == AR_AUDIT_ALTERED && c.bad_seq == c.expected &&
        (st = classify(t, &c, err)) != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    checks k = {.pk = public_key, .limit = c.found ? c.bad_seq : INT64_MAX};
    ar__audit_key_id(public_key, k.key_id);
    st = ar_store_exec(t,
                       "SELECT c.seq, c.hash, c.signature, c.key_id, c.every, e.hash"
                       " FROM audit_checkpoints c LEFT JOIN audit_events e ON e.seq = c.seq"
                       " ORDER BY c.seq",
                       NULL, 0, walk_checkpoint, &k, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK)
        return st;
    /* a checkpoint due inside the verified chain but absent */
    int64_t verified_end = c.found ? c.bad_seq - 1 : c.events;
    if (k.problem == AR_AUDIT_INTACT && k.every && verified_end >= k.last_good + k.every) {
        k.problem = AR_AUDIT_MISSING_CHECKPOINT;
        k.bad_seq = k.last_good + k.every;
        snprintf(k.why, sizeof k.why, "no checkpoint at event %lld", (long long)k.bad_seq);
    }
    report->events = c.events;
    report->checkpoints = k.count;
    report->last_checkpoint = k.last_good;
    report->unsigned_tail = c.events - k.last_good;
    if (k.problem != AR_AUDIT_INTACT && (!c.found || k.bad_seq <= c.bad_seq)) {
        report->problem = k.problem;
        report->first_bad_seq = k.bad_seq;
        describe(report, k.why);
    } else if (c.found) {
        report->problem = c.problem;
        report->first_bad_seq = c.bad_seq;
        describe(report, NULL);
    } else {
        describe(report, NULL);
    }
    AR_LOG(ctx, AR_LOG_INFO, "audit", "verified", AR_KV_STR("result", ar_audit_problem_name(report->problem)),
           AR_KV_INT("events", report->events), AR_KV_INT("first_bad_seq", report->first_bad_seq));
    return AR_OK;
}
