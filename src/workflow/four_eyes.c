/*
 * four_eyes.c - a second legal reviewer for the request kinds the policy
 * names (legal_review.four_eyes, policies/README.md).
 *
 * For those kinds a legal reviewer's final per-item outcome is recorded as a
 * proposal (legal_item_proposals, audited as request.propose_item) and
 * changes nothing else: no decision, no visibility change, no user notice,
 * the item stays undecided. A *different* legal reviewer then either signs
 * it off - the outcome takes effect exactly as an immediate decision would,
 * in the same transaction (requests.c, ar__request_apply) - or rejects it
 * with a reason, and the item is undecided again. The proposer can do
 * neither: that is the point (rule (6) of workflow.h; the table's CHECK
 * refuses it too). need_info is never proposed: it decides nothing.
 *
 * Which kinds need it is the policy's, kept in the store (four_eyes_kinds)
 * so the command line and every daemon over the store enforce the same set;
 * arbiterd writes it whenever its policy changes (ar_workflow_set_four_eyes).
 * A proposal made while four-eyes applied still needs its sign-off after
 * the policy drops it: the proposal is what waits.
 */
#include "workflow_int.h"

#include <stdio.h>

/*---- The kinds that need a second reviewer ---------------------------------*/

static ar_status or_kind(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    *(unsigned *)ud |= ar_policy_request_kind_bit(ar_row_text(row, 0, NULL));
    return AR_OK;
}

static ar_status read_kinds(ar_store_txn *t, unsigned *kinds, ar_error *err)
{
    *kinds = 0;
    return ar_store_exec(t, "SELECT kind FROM four_eyes_kinds", NULL, 0, or_kind, kinds, NULL, err);
}

ar_status ar_workflow_four_eyes(ar_workflow *w, unsigned *kinds, ar_error *err)
{
    if (!w || !kinds)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_four_eyes: NULL argument");
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = read_kinds(t, kinds, err);
    ar_store_rollback(t);
    return st;
}

ar_status ar_workflow_set_four_eyes(ar_workflow *w, const char *actor, unsigned kinds,
                                    ar_error *err)
{
    if (!w)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_set_four_eyes: NULL argument");
    if (kinds & ~AR_POLICY_KIND_ALL)
        return ar_error_set(err, AR_EINVAL, "four_eyes", "unknown request kind bits 0x%x",
                            kinds & ~AR_POLICY_KIND_ALL);
    ar_store_txn *t = NULL;
    unsigned now = 0;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = read_kinds(t, &now, err);
    if (st != AR_OK || now == kinds) { /* unchanged: nothing to record */
        ar_store_rollback(t);
        return st;
    }
    json_t *list = json_array();
    st = ar_store_exec(t, "DELETE FROM four_eyes_kinds", NULL, 0, NULL, NULL, NULL, err);
    for (unsigned bit = 1; st == AR_OK && bit & AR_POLICY_KIND_ALL; bit <<= 1) {
        const char *kind = ar_policy_request_kind_name(bit);
        if (!(kinds & bit))
            continue;
        json_array_append_new(list, json_string(kind));
        st = ar_store_exec(t, "INSERT INTO four_eyes_kinds (kind) VALUES (?)",
                           (ar_value[]){AR_VTEXT(kind)}, 1, NULL, NULL, NULL, err);
    }
    if (st == AR_OK)
        st = ar__audit(w, t, actor && *actor ? actor : "system", "policy.four_eyes", "policy", 0,
                       json_pack("{s:O}", "kinds", list), err);
    json_decref(list);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

ar_status ar__four_eyes_needed(ar_store_txn *t, const char *kind, bool *needed, ar_error *err)
{
    int64_t n = 0;
    ar_status st = ar_store_query_int(t, "SELECT count(*) FROM four_eyes_kinds WHERE kind = ?",
                                      (ar_value[]){AR_VTEXT(kind)}, 1, &n, err);
    *needed = st == AR_OK && n > 0;
    return st;
}

/*---- Proposing ----------------------------------------------------------------*/

ar_status ar__proposal_none_pending(ar_store_txn *t, int64_t ritem_id, const char *item,
                                    ar_error *err)
{
    int64_t n = 0;
    ar_status st = ar_store_query_int(t,
                                      "SELECT count(*) FROM legal_item_proposals"
                                      " WHERE request_item_id = ? AND state = 'pending'",
                                      (ar_value[]){AR_VINT(ritem_id)}, 1, &n, err);
    if (st == AR_OK && n)
        st = ar_error_set(err, AR_ECONFLICT, "item",
                          "item '%s' has a proposed outcome awaiting sign-off by a second"
                          " reviewer: sign it off or reject it first",
                          item);
    return st;
}

ar_status ar__proposal_add(ar_workflow *w, ar_store_txn *t, const ar__actor *a,
                           int64_t request_id, int64_t ritem_id, const ar_item_outcome *o,
                           ar_error *err)
{
    int64_t pid = 0;
    ar_status st = ar__text_check(o->statement, "statement", AR_STATEMENT_MAX_BYTES, false, err);
    if (st == AR_OK)
        st = ar__text_check(o->withhold_basis, "withhold_basis", 512, false, err);
    if (st != AR_OK)
        return st;
    bool disclose = !strcmp(o->outcome, "disclose");
    ar_value p[] = {AR_VINT(ritem_id),
                    AR_VTEXT(o->outcome),
                    AR_VTEXT(o->reason),
                    AR_VTEXT(o->standard),
                    AR_VTEXT(o->statement),
                    AR_VTEXT(o->data_categories),
                    disclose ? AR_VINT(o->accounts) : AR_VNULL,
                    AR_VTEXT(o->withhold_basis),
                    o->withhold_basis ? AR_VINT(o->withhold_until) : AR_VNULL,
                    AR_VINT(a->id),
                    AR_VINT(ar__now(w))};
    st = ar_store_query_int(t,
                            "INSERT INTO legal_item_proposals (request_item_id, outcome, reason,"
                            " standard, statement, data_categories, accounts, withhold_basis,"
                            " withhold_until, proposed_by, proposed_at)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                            p, AR_ARRAY_LEN(p), &pid, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a->name, "request.propose_item", "request", request_id,
                       json_pack("{s:s, s:s, s:s?, s:s?, s:I}", "item", o->item, "outcome",
                                 o->outcome, "reason", o->reason, "standard", o->standard,
                                 "proposal", (json_int_t)pid),
                       err);
    return st;
}

/*---- Signing off or rejecting ----------------------------------------------------*/

/* A pending proposal, with the strings it owns. */
typedef struct proposal {
    int64_t id, ritem_id, proposed_by, accounts, withhold_until;
    bool has_withhold_until;
    char outcome[16], login[72];
    char reason[1024], standard[130], categories[256], withhold_basis[520];
    char *statement; /* malloc'd; NULL if none */
} proposal;

static void copy_col(const ar_store_row *row, size_t i, char *out, size_t size)
{
    const char *s = ar_row_text(row, i, NULL);
    snprintf(out, size, "%s", s ? s : "");
}

static ar_status take_proposal(void *ud, const ar_store_row *row, ar_error *err)
{
    proposal *p = ud;
    p->id = ar_row_int(row, 0);
    p->ritem_id = ar_row_int(row, 1);
    p->proposed_by = ar_row_int(row, 2);
    copy_col(row, 3, p->login, sizeof p->login);
    copy_col(row, 4, p->outcome, sizeof p->outcome);
    copy_col(row, 5, p->reason, sizeof p->reason);
    copy_col(row, 6, p->standard, sizeof p->standard);
    copy_col(row, 8, p->categories, sizeof p->categories);
    p->accounts = ar_row_int(row, 9);
    copy_col(row, 10, p->withhold_basis, sizeof p->withhold_basis);
    p->withhold_until = ar_row_int(row, 11);
    p->has_withhold_until = ar_row_int(row, 12) != 0;
    const char *st = ar_row_text(row, 7, NULL);
    if (st && *st && !(p->statement = strdup(st)))
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory reading a proposal");
    return AR_OK;
}

static ar_status load_pending(ar_store_txn *t, int64_t request_id, const char *item, proposal *p,
                              ar_error *err)
{
    ar_status st = ar_store_exec(t,
                                 "SELECT p.id, p.request_item_id, p.proposed_by, s.login, p.outcome,"
                                 " p.reason, p.standard, p.statement, p.data_categories,"
                                 " coalesce(p.accounts, -1), p.withhold_basis,"
                                 " coalesce(p.withhold_until, 0), p.withhold_basis IS NOT NULL"
                                 " FROM legal_item_proposals p"
                                 " JOIN legal_request_items ri ON ri.id = p.request_item_id"
                                 " JOIN items i ON i.id = ri.item_id"
                                 " JOIN staff s ON s.id = p.proposed_by"
                                 " WHERE ri.request_id = ? AND i.platform_id = ?"
                                 " AND p.state = 'pending'",
                                 (ar_value[]){AR_VINT(request_id), AR_VTEXT(item)}, 2,
                                 take_proposal, p, NULL, err);
    if (st == AR_OK && !p->id)
        st = ar_error_set(err, AR_ENOTFOUND, "item",
                          "no proposed outcome for item '%s' of request %lld awaits sign-off",
                          item, (long long)request_id);
    return st;
}

/* The second reviewer: a legal reviewer other than the proposer. `verb` is
 * what they do ("sign off", "reject"). */
static ar_status second_reviewer(ar_store_txn *t, const char *actor, const proposal *p,
                                 const char *verb, ar__actor *a, ar_error *err)
{
    char what[48];
    snprintf(what, sizeof what, "%s proposed outcomes", verb);
    ar_status st = ar__actor_load(t, actor, a, err);
    if (st == AR_OK)
        st = ar__actor_require(a, AR_ROLE_LEGAL, what, err);
    if (st == AR_OK && a->id == p->proposed_by)
        st = ar_error_set(err, AR_EDENIED, "as",
                          "'%s' proposed this outcome and cannot also %s it: four-eyes review"
                          " needs a second, different legal reviewer",
                          actor, verb);
    return st;
}

static ar_status close_proposal(ar_workflow *w, ar_store_txn *t, const proposal *p,
                                const ar__actor *a, const char *state, const char *reason,
                                ar_error *err)
{
    return ar_store_exec(t,
                         "UPDATE legal_item_proposals SET state = ?, reviewed_by = ?,"
                         " reviewed_at = ?, reject_reason = ? WHERE id = ? AND state = 'pending'",
                         (ar_value[]){AR_VTEXT(state), AR_VINT(a->id), AR_VINT(ar__now(w)),
                                      AR_VTEXT(reason), AR_VINT(p->id)},
                         5, NULL, NULL, NULL, err);
}

static ar_status sign_off(ar_workflow *w, ar_store_txn *t, const char *actor, int64_t request_id,
                          const char *item, proposal *p, int64_t *did, int64_t *item_id,
                          ar_error *err)
{
    ar__actor a, proposer = {.role = AR_ROLE_LEGAL};
    ar_status st = load_pending(t, request_id, item, p, err);
    if (st == AR_OK)
        st = second_reviewer(t, actor, p, "sign off", &a, err);
    if (st != AR_OK)
        return st;
    proposer.id = p->proposed_by; /* known once the proposal is loaded */
    snprintf(proposer.name, sizeof proposer.name, "legal:%.64s", p->login);
    st = close_proposal(w, t, p, &a, "signed_off", NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "request.sign_off", "request", request_id,
                       json_pack("{s:s, s:s, s:s, s:I}", "item", item, "outcome", p->outcome,
                                 "proposed_by", proposer.name, "proposal", (json_int_t)p->id),
                       err);
    ar_item_outcome o = {.item = item,
                         .outcome = p->outcome,
                         .reason = *p->reason ? p->reason : NULL,
                         .standard = *p->standard ? p->standard : NULL,
                         .statement = p->statement,
                         .data_categories = *p->categories ? p->categories : NULL,
                         .accounts = p->accounts,
                         .withhold_basis = p->has_withhold_until ? p->withhold_basis : NULL,
                         .withhold_until = p->withhold_until};
    /* the decision is the proposer's, made effective by the second reviewer */
    if (st == AR_OK)
        st = ar__request_apply(w, t, &proposer, a.name, request_id, &o, did, item_id, err);
    return st;
}

ar_status ar_request_sign_off(ar_workflow *w, const char *actor, int64_t request_id,
                              const char *item, int64_t *decision_id, ar_error *err)
{
    if (!w || !item || !*item)
        return ar_error_set(err, AR_EINVAL, "item", "an item is required");
    ar_store_txn *t = NULL;
    proposal p = {0};
    int64_t did = 0, item_id = 0;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = sign_off(w, t, actor, request_id, item, &p, &did, &item_id, err);
    free(p.statement);
    return ar__decided(w, t, st, item_id, did, decision_id, err);
}

ar_status ar_request_reject_proposal(ar_workflow *w, const char *actor, int64_t request_id,
                                     const char *item, const char *reason, ar_error *err)
{
    if (!w || !item || !*item)
        return ar_error_set(err, AR_EINVAL, "item", "an item is required");
    ar_status st = ar__text_check(reason, "reason", 1000, true, err);
    if (st != AR_OK)
        return st;
    ar_store_txn *t = NULL;
    proposal p = {0};
    ar__actor a;
    st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = load_pending(t, request_id, item, &p, err);
    if (st == AR_OK)
        st = second_reviewer(t, actor, &p, "reject", &a, err);
    if (st == AR_OK)
        st = close_proposal(w, t, &p, &a, "rejected", reason, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "request.reject_proposal", "request", request_id,
                       json_pack("{s:s, s:s, s:s, s:I}", "item", item, "outcome", p.outcome,
                                 "reason", reason, "proposal", (json_int_t)p.id),
                       err);
    free(p.statement);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}
