/*
 * appeals.c - internal complaints against a decision (DSA Art. 20), decided
 * by someone other than the original decider; a reversal supersedes the
 * decision and the item is visible again.
 */
#include "workflow_int.h"

#include <stdio.h>

typedef struct dec_row {
    int64_t id, item_id, decided_by;
    int64_t signed_off_by; /* four eyes: who made a legal reviewer's outcome take effect */
    char source[16], ground_kind[12], ground[520], action[20];
} dec_row;

static ar_status take_dec(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    dec_row *d = ud;
    d->id = ar_row_int(row, 0);
    d->item_id = ar_row_int(row, 1);
    d->decided_by = ar_row_int(row, 2);
    snprintf(d->source, sizeof d->source, "%s", ar_row_text(row, 3, NULL));
    snprintf(d->ground_kind, sizeof d->ground_kind, "%s", ar_row_text(row, 4, NULL));
    snprintf(d->ground, sizeof d->ground, "%s", ar_row_text(row, 5, NULL));
    snprintf(d->action, sizeof d->action, "%s", ar_row_text(row, 6, NULL));
    d->signed_off_by = ar_row_int(row, 7);
    return AR_OK;
}

static ar_status load_decision(ar_store_txn *t, int64_t id, dec_row *d, ar_error *err)
{
    memset(d, 0, sizeof *d);
    ar_status st = ar_store_exec(t,
                                 "SELECT id, item_id, coalesce(decided_by, 0), source, ground_kind,"
                                 " ground, action, coalesce((SELECT p.reviewed_by FROM"
                                 " legal_item_proposals p WHERE p.request_item_id ="
                                 " decisions.request_item_id AND p.state = 'signed_off'), 0)"
                                 " FROM decisions WHERE id = ?",
                                 (ar_value[]){AR_VINT(id)}, 1, take_dec, d, NULL, err);
    if (st == AR_OK && !d->id)
        st = ar_error_set(err, AR_ENOTFOUND, "decision", "no decision %lld", (long long)id);
    return st;
}

ar_status ar_appeal_add(ar_workflow *w, int64_t decision_id, const char *appellant_kind,
                        const char *grounds, int64_t *case_id, ar_error *err)
{
    static const char *const kinds[] = {"affected_user", "notifier", "authority"};
    bool kind_ok = false;
    for (size_t i = 0; appellant_kind && i < AR_ARRAY_LEN(kinds); i++)
        kind_ok = kind_ok || !strcmp(appellant_kind, kinds[i]);
    if (!w || !case_id)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_appeal_add: NULL argument");
    if (!kind_ok)
        return ar_error_set(err, AR_EINVAL, "appellant",
                            "appellant must be affected_user, notifier or authority");
    ar_status st = ar__text_check(grounds, "grounds", AR_STATEMENT_MAX_BYTES, true, err);
    if (st != AR_OK)
        return st;
    ar_store_txn *t = NULL;
    dec_row d;
    int64_t open = 0, superseded = 0, cid = 0, aid = 0, now = ar__now(w);
    if ((st = ar_store_write(w->store, &t, err)) != AR_OK)
        return st;
    st = load_decision(t, decision_id, &d, err);
    if (st == AR_OK)
        st = ar_store_query_int(t, "SELECT count(*) FROM decisions WHERE supersedes = ?",
                                (ar_value[]){AR_VINT(decision_id)}, 1, &superseded, err);
    if (st == AR_OK && superseded)
        st = ar_error_set(err, AR_ECONFLICT, "decision",
                          "decision %lld has been superseded: appeal the decision in force",
                          (long long)decision_id);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "SELECT count(*) FROM appeals WHERE decision_id = ?"
                                " AND outcome IS NULL",
                                (ar_value[]){AR_VINT(decision_id)}, 1, &open, err);
    if (st == AR_OK && open)
        st = ar_error_set(err, AR_ECONFLICT, "decision",
                          "decision %lld already has an appeal under review", (long long)decision_id);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "INSERT INTO cases (kind, item_id, standard, priority, created_at)"
                                " VALUES ('appeal', ?, ?, 0, ?) RETURNING id",
                                (ar_value[]){AR_VINT(d.item_id), AR_VTEXT(d.ground), AR_VINT(now)},
                                3, &cid, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "INSERT INTO appeals (case_id, decision_id, appellant_kind, grounds,"
                                " filed_at) VALUES (?,?,?,?,?) RETURNING id",
                                (ar_value[]){AR_VINT(cid), AR_VINT(decision_id),
                                             AR_VTEXT(appellant_kind), AR_VTEXT(grounds),
                                             AR_VINT(now)},
                                5, &aid, err);
    if (st == AR_OK)
        st = ar__audit(w, t, "system", "appeal.file", "appeal", aid,
                       json_pack("{s:I, s:I, s:s}", "case", (json_int_t)cid, "decision",
                                 (json_int_t)decision_id, "appellant", appellant_kind),
                       err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    st = ar_store_commit(t, err);
    if (st == AR_OK)
        *case_id = cid;
    return st;
}

typedef struct appeal_row {
    int64_t id, decision_id;
    bool decided;
} appeal_row;

static ar_status take_appeal(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    appeal_row *a = ud;
    a->id = ar_row_int(row, 0);
    a->decision_id = ar_row_int(row, 1);
    a->decided = !ar_row_is_null(row, 2);
    return AR_OK;
}

/* Rule (3), and appeals against legal orders go to legal reviewers. */
static ar_status may_decide(const ar__actor *a, const dec_row *d, ar_error *err)
{
    ar_status st = ar__require_reviewer(a, err);
    if (st == AR_OK && d->decided_by == a->id)
        st = ar_error_set(err, AR_EDENIED, "as",
                          "an appeal is decided by someone other than the original decider");
    if (st == AR_OK && d->signed_off_by == a->id) /* four eyes: the second reviewer decided too */
        st = ar_error_set(err, AR_EDENIED, "as",
                          "an appeal is decided by someone other than the reviewer who signed off"
                          " the original decision");
    if (st == AR_OK && !strcmp(d->source, "legal_order"))
        st = ar__actor_require(a, AR_ROLE_LEGAL, "decide appeals against legal orders", err);
    return st;
}

ar_status ar_appeal_decide(ar_workflow *w, const char *actor, int64_t case_id, const char *outcome,
                           const char *statement, int64_t *decision_id, ar_error *err)
{
    if (!w || !outcome || (strcmp(outcome, "upheld") && strcmp(outcome, "reversed")))
        return ar_error_set(err, AR_EINVAL, "outcome", "outcome must be upheld or reversed");
    ar_status st = ar__text_check(statement, "statement", AR_STATEMENT_MAX_BYTES, true, err);
    if (st != AR_OK)
        return st;
    ar_store_txn *t = NULL;
    ar__actor a;
    case_row c;
    appeal_row ap = {0};
    dec_row d;
    int64_t did = 0, now = ar__now(w);
    if ((st = ar_store_write(w->store, &t, err)) != AR_OK)
        return st;
    st = ar__actor_load(t, actor, &a, err);
    if (st == AR_OK)
        st = ar__case_load(t, case_id, &c, err);
    if (st == AR_OK && strcmp(c.kind, "appeal") != 0)
        st = ar_error_set(err, AR_EINVAL, "case", "case %lld is not an appeal", (long long)case_id);
    if (st == AR_OK)
        st = ar_store_exec(t, "SELECT id, decision_id, outcome FROM appeals WHERE case_id = ?",
                           (ar_value[]){AR_VINT(case_id)}, 1, take_appeal, &ap, NULL, err);
    if (st == AR_OK && (ap.decided || strcmp(c.state, "decided") == 0))
        st = ar_error_set(err, AR_ECONFLICT, "case", "appeal %lld is already decided",
                          (long long)case_id);
    if (st == AR_OK)
        st = load_decision(t, ap.decision_id, &d, err);
    if (st == AR_OK)
        st = may_decide(&a, &d, err);
    if (st == AR_OK && !strcmp(outcome, "reversed")) {
        ar__decision_in in = {.item_id = d.item_id,
                              .action = "none",
                              .scope = "global",
                              .ground_kind = d.ground_kind,
                              .ground = d.ground,
                              .source = "appeal",
                              .decided_by = a.id,
                              .statement = statement,
                              .supersedes = d.id,
                              .case_id = case_id};
        st = ar__decision_record(w, t, a.name, &in, &did, err);
    }
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "UPDATE appeals SET outcome = ?, decided_by = ?, decided_at = ?,"
                           " result_decision_id = ? WHERE id = ?",
                           (ar_value[]){AR_VTEXT(outcome), AR_VINT(a.id), AR_VINT(now),
                                        did ? AR_VINT(did) : AR_VNULL, AR_VINT(ap.id)},
                           5, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "UPDATE cases SET state = 'decided', decided_at = ? WHERE id = ?",
                           (ar_value[]){AR_VINT(now), AR_VINT(case_id)}, 2, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "appeal.decide", "appeal", ap.id,
                       json_pack("{s:s, s:I, s:I}", "outcome", outcome, "decision",
                                 (json_int_t)d.id, "result", (json_int_t)did),
                       err);
    return ar__decided(w, t, st, d.item_id, did, decision_id, err);
}

/*---- An item's decisions --------------------------------------------------------*/

static ar_status add_decision(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"id",        "action",      "scope",    "ground_kind",
                                        "ground",    "source",      "automated_detection",
                                        "automated_decision", "decided_by", "decided_at",
                                        "statement", "supersedes",  "superseded_by", "notice"};
    static const bool ints[] = {true,  false, false, false, false, false, true,
                                true,  false, true,  false, true,  true,  false};
    json_t *o = ar__row_object(row, names, AR_ARRAY_LEN(names), ints);
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    return AR_OK;
}

ar_status ar__item_decisions(ar_store_txn *t, const char *item, json_t *into, ar_error *err)
{
    return ar_store_exec(t,
                         "SELECT d.id, d.action, d.scope, d.ground_kind, d.ground, d.source,"
                         " d.automated_detection, d.automated_decision, s.login, d.decided_at,"
                         " d.statement, d.supersedes, (SELECT x.id FROM decisions x WHERE"
                         " x.supersedes = d.id), n.state"
                         " FROM decisions d JOIN items i ON i.id = d.item_id"
                         " LEFT JOIN staff s ON s.id = d.decided_by"
                         " LEFT JOIN user_notices n ON n.decision_id = d.id"
                         " WHERE i.platform_id = ? ORDER BY d.id",
                         (ar_value[]){AR_VTEXT(item)}, 1, add_decision, into, NULL, err);
}

ar_status ar_item_decisions_json(ar_workflow *w, const char *item, char **json, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    json_t *a = json_array();
    st = ar__item_decisions(t, item, a, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(a);
        return st;
    }
    return ar__json_out(a, json, err);
}
