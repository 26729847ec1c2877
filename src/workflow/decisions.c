/*
 * decisions.c - the decision record: the one place that writes what a
 * person can see. Checks the shape rules, writes the decision and its user
 * notice, and audits both, all in the caller's transaction.
 */
#include "workflow_int.h"

#include <sodium.h>

static const char *const actions[] = {"none", "label", "restrict", "remove", "suspend_account"};
static const char *const sources[] = {"automated", "moderator", "legal_order", "notice", "appeal"};

static bool in_set(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(s, set[i]))
            return true;
    return false;
}

/* Rule (1): what scope each action may have, and what a country scope needs. */
static ar_status check_shape(const ar__decision_in *d, ar_error *err)
{
    if (!in_set(d->action, actions, AR_ARRAY_LEN(actions)))
        return ar_error_set(err, AR_EINVAL, "action",
                            "action must be none, label, restrict, remove or suspend_account");
    if (!in_set(d->source, sources, AR_ARRAY_LEN(sources)))
        return ar_error_set(err, AR_EINVAL, "source", "unknown decision source");
    if (!d->ground_kind || (strcmp(d->ground_kind, "standard") && strcmp(d->ground_kind, "legal")))
        return ar_error_set(err, AR_EINVAL, "ground", "a ground is a standard or a legal basis");
    ar_status st = ar__text_check(d->ground, "ground", 512, true, err);
    if (st != AR_OK)
        return st;
    bool global = d->scope && !strcmp(d->scope, "global");
    if (!strcmp(d->action, "restrict")) {
        if (global)
            return ar_error_set(err, AR_EINVAL, "countries",
                                "a restriction is limited to the countries whose law requires it");
        if (strcmp(d->ground_kind, "legal") != 0)
            return ar_error_set(err, AR_EDENIED, "legal_basis",
                                "a country-scoped restriction needs a legal request or a recorded"
                                " legal basis behind it");
    } else if (!global) {
        return ar_error_set(err, AR_EINVAL, "countries",
                            "only a restriction is country-scoped; '%s' applies everywhere",
                            d->action);
    }
    st = ar__text_check(d->statement, "statement", AR_STATEMENT_MAX_BYTES, true, err);
    if (st != AR_OK)
        return st;
    if (!d->withhold_basis != !d->withhold_until)
        return ar_error_set(err, AR_EINVAL, "withhold",
                            "a notice is withheld only with both a legal basis and an expiry");
    return ar__text_check(d->withhold_basis, "withhold_basis", 512, false, err);
}

static ar_status check_supersedes(ar_store_txn *t, const ar__decision_in *d, ar_error *err)
{
    if (!d->supersedes)
        return AR_OK;
    int64_t item = 0, taken = 0;
    ar_status st = ar_store_query_int(t, "SELECT item_id FROM decisions WHERE id = ?",
                                      (ar_value[]){AR_VINT(d->supersedes)}, 1, &item, err);
    if (st == AR_ENOTFOUND)
        return ar_error_set(err, AR_ENOTFOUND, "supersedes", "no decision %lld",
                            (long long)d->supersedes);
    if (st == AR_OK && item != d->item_id)
        return ar_error_set(err, AR_EINVAL, "supersedes",
                            "decision %lld is about another item", (long long)d->supersedes);
    if (st == AR_OK)
        st = ar_store_query_int(t, "SELECT count(*) FROM decisions WHERE supersedes = ?",
                                (ar_value[]){AR_VINT(d->supersedes)}, 1, &taken, err);
    if (st == AR_OK && taken)
        return ar_error_set(err, AR_ECONFLICT, "supersedes",
                            "decision %lld is already superseded", (long long)d->supersedes);
    return st;
}

static void sha256_hex(const char *s, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static ar_value opt_int(int64_t v)
{
    return v ? AR_VINT(v) : AR_VNULL;
}

ar_status ar__decision_record(ar_workflow *w, ar_store_txn *t, const char *actor,
                              const ar__decision_in *d, int64_t *id, ar_error *err)
{
    int64_t now = ar__now(w);
    ar_status st = check_shape(d, err);
    if (st == AR_OK && d->withhold_until && d->withhold_until <= now)
        st = ar_error_set(err, AR_EINVAL, "withhold_until", "the expiry must be in the future");
    if (st == AR_OK)
        st = check_supersedes(t, d, err);
    if (st != AR_OK)
        return st;
    ar_value p[] = {AR_VINT(d->item_id),      AR_VTEXT(d->action),
                    AR_VTEXT(d->scope),       AR_VTEXT(d->ground_kind),
                    AR_VTEXT(d->ground),      AR_VTEXT(d->source),
                    AR_VINT(d->automated_detection), AR_VINT(d->automated_decision),
                    opt_int(d->decided_by),   AR_VINT(now),
                    AR_VTEXT(d->statement),   opt_int(d->supersedes),
                    opt_int(d->request_item_id), opt_int(d->case_id)};
    int64_t did = 0;
    st = ar_store_query_int(t,
                            "INSERT INTO decisions (item_id, action, scope, ground_kind, ground,"
                            " source, automated_detection, automated_decision, decided_by,"
                            " decided_at, statement, supersedes, request_item_id, case_id)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                            p, AR_ARRAY_LEN(p), &did, err);
    int64_t nid = 0;
    if (st == AR_OK) {
        ar_value n[] = {AR_VINT(did), AR_VTEXT(d->withhold_basis ? "withheld" : "pending"),
                        AR_VTEXT(d->withhold_basis), opt_int(d->withhold_until)};
        st = ar_store_query_int(t,
                                "INSERT INTO user_notices (decision_id, state, withheld_basis,"
                                " withheld_until) VALUES (?,?,?,?) RETURNING id",
                                n, AR_ARRAY_LEN(n), &nid, err);
    }
    char digest[65];
    sha256_hex(d->statement, digest);
    if (st == AR_OK)
        st = ar__audit(w, t, actor, "decision.create", "decision", did,
                       json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:s, s:I, s:s}",
                                 "item", (json_int_t)d->item_id, "action", d->action, "scope",
                                 d->scope, "ground_kind", d->ground_kind, "ground", d->ground,
                                 "source", d->source, "automated_detection",
                                 d->automated_detection, "automated_decision",
                                 d->automated_decision, "supersedes", (json_int_t)d->supersedes,
                                 "statement_sha256", digest, "notice", (json_int_t)nid,
                                 "notice_state", d->withhold_basis ? "withheld" : "pending"),
                       err);
    if (st == AR_OK && id)
        *id = did;
    return st;
}
