/*
 * requests.c - legal requests: intake with a computed deadline, a legal
 * reviewer's outcome per item, user notification, closing.
 *
 * Per item: restrict (in the requesting country only: local law), remove
 * (everywhere: it breaks the community standards too), decline (with a
 * reason), need_info; for data requests disclose (categories and a count,
 * never the data) and for preservation requests preserve.
 */
#include "workflow_int.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const decline_reasons[] = {"no_legal_basis", "overbroad", "not_identifiable",
                                              "not_our_content", "rights_concern"};
static const char *const data_categories[] = {"basic_subscriber", "ip_logs", "transactional",
                                              "content", "other"};

static bool in_set(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(s, set[i]))
            return true;
    return false;
}

/*---- Intake -----------------------------------------------------------------*/

static ar_status insert_request(ar_workflow *w, ar_store_txn *t, const ar__actor *a,
                                const ar_legal_request *r, int64_t *id, ar_error *err)
{
    ar_deadline dl = {0};
    bool have_deadline = false;
    if (w->jur) {
        ar_error derr;
        ar_status st = ar_jurisdictions_deadline(w->jur, r->country, r->instrument, r->kind,
                                                 r->emergency, r->received_at, &dl, &derr);
        if (st != AR_OK && st != AR_ENOTFOUND) {
            if (err)
                *err = derr;
            return st;
        }
        have_deadline = st == AR_OK;
    }
    ar_value p[] = {AR_VTEXT(r->external_ref),
                    AR_VTEXT(r->authority_name),
                    AR_VTEXT(r->country),
                    AR_VTEXT(r->authority_branch),
                    AR_VTEXT(r->instrument),
                    AR_VTEXT(r->provision),
                    AR_VTEXT(r->kind),
                    AR_VINT(r->emergency),
                    AR_VINT(r->received_at),
                    have_deadline ? AR_VINT(dl.due_at) : AR_VNULL,
                    have_deadline ? AR_VTEXT(dl.rule) : AR_VNULL,
                    AR_VTEXT(r->document_hash),
                    AR_VINT(a->id),
                    AR_VINT(ar__now(w))};
    return ar_store_query_int(t,
                              "INSERT INTO legal_requests (external_ref, authority_name,"
                              " authority_country, authority_branch, instrument, provision, kind,"
                              " emergency, received_at, deadline_at, deadline_rule, document_hash,"
                              " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                              " RETURNING id",
                              p, AR_ARRAY_LEN(p), id, err);
}

ar_status ar_request_add(ar_workflow *w, const char *actor, const ar_legal_request *r, int64_t *id,
                         ar_error *err)
{
    if (!w || !r || !id)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_request_add: NULL argument");
    ar_store_txn *t = NULL;
    ar__actor a;
    int64_t rid = 0;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar__actor_load(t, actor, &a, err);
    if (st == AR_OK && a.role == AR_ROLE_AUDITOR)
        st = ar_error_set(err, AR_EDENIED, "as", "auditors read; they do not file requests");
    if (st == AR_OK)
        st = insert_request(w, t, &a, r, &rid, err);
    for (size_t i = 0; st == AR_OK && i < r->nitems; i++) {
        int64_t item_id = 0;
        char field[48];
        st = ar__item_upsert(w, t, &r->items[i], &item_id, err);
        if (st != AR_OK && err) { /* name the item in the request */
            snprintf(field, sizeof field, "items[%zu]", i);
            snprintf(err->field, sizeof err->field, "%s", field);
        }
        if (st == AR_OK)
            st = ar_store_exec(t,
                               "INSERT INTO legal_request_items (request_id, item_id, locator)"
                               " VALUES (?,?,?)",
                               (ar_value[]){AR_VINT(rid), AR_VINT(item_id),
                                            AR_VTEXT(r->items[i].url)},
                               3, NULL, NULL, NULL, err);
    }
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "request.receive", "request", rid,
                       json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s?}", "authority",
                                 r->authority_name, "country", r->country, "branch",
                                 r->authority_branch, "instrument", r->instrument, "provision",
                                 r->provision, "kind", r->kind, "received_at",
                                 (json_int_t)r->received_at, "items", (json_int_t)r->nitems,
                                 "document_hash", r->document_hash),
                       err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    st = ar_store_commit(t, err);
    if (st == AR_OK)
        *id = rid;
    return st;
}

/*---- Deciding one item ----------------------------------------------------------*/

typedef struct req_row {
    int64_t id;
    char country[3], kind[24], status[24], basis[420];
} req_row;

static ar_status take_request(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    req_row *r = ud;
    r->id = ar_row_int(row, 0);
    snprintf(r->country, sizeof r->country, "%s", ar_row_text(row, 1, NULL));
    snprintf(r->kind, sizeof r->kind, "%s", ar_row_text(row, 2, NULL));
    snprintf(r->status, sizeof r->status, "%s", ar_row_text(row, 3, NULL));
    snprintf(r->basis, sizeof r->basis, "%s %s", ar_row_text(row, 4, NULL),
             ar_row_text(row, 5, NULL));
    return AR_OK;
}

static ar_status load_request(ar_store_txn *t, int64_t id, req_row *r, ar_error *err)
{
    memset(r, 0, sizeof *r);
    ar_status st = ar_store_exec(t,
                                 "SELECT id, authority_country, kind, status, instrument, provision"
                                 " FROM legal_requests WHERE id = ?",
                                 (ar_value[]){AR_VINT(id)}, 1, take_request, r, NULL, err);
    if (st == AR_OK && !r->id)
        st = ar_error_set(err, AR_ENOTFOUND, "request", "no legal request %lld", (long long)id);
    return st;
}

typedef struct ritem_row {
    int64_t id, item_id;
    char outcome[16];
} ritem_row;

static ar_status take_ritem(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    ritem_row *r = ud;
    r->id = ar_row_int(row, 0);
    r->item_id = ar_row_int(row, 1);
    snprintf(r->outcome, sizeof r->outcome, "%s", ar_row_text(row, 2, NULL));
    return AR_OK;
}

/* Which outcomes each kind of request can have. */
static ar_status outcome_allowed(const req_row *r, const ar_item_outcome *o, ar_error *err)
{
    static const char *const content[] = {"restrict", "remove", "decline", "need_info"};
    static const char *const data[] = {"disclose", "decline", "need_info"};
    static const char *const preserve[] = {"preserve", "decline", "need_info"};
    bool ok;
    if (!strcmp(r->kind, "user_data"))
        ok = in_set(o->outcome, data, AR_ARRAY_LEN(data));
    else if (!strcmp(r->kind, "preservation"))
        ok = in_set(o->outcome, preserve, AR_ARRAY_LEN(preserve));
    else
        ok = in_set(o->outcome, content, AR_ARRAY_LEN(content));
    if (!ok)
        return ar_error_set(err, AR_EINVAL, "outcome", "outcome '%s' does not fit a %s request",
                            o->outcome ? o->outcome : "", r->kind);
    if (!strcmp(o->outcome, "decline") && !in_set(o->reason, decline_reasons,
                                                   AR_ARRAY_LEN(decline_reasons)))
        return ar_error_set(err, AR_EINVAL, "reason",
                            "a decline needs a reason: no_legal_basis, overbroad, not_identifiable,"
                            " not_our_content or rights_concern");
    if (!strcmp(o->outcome, "remove") && (!o->standard || !*o->standard))
        return ar_error_set(err, AR_EINVAL, "standard",
                            "a global removal needs the community standard the item breaks;"
                            " content that breaks only local law is restricted in that country");
    if (!strcmp(o->outcome, "disclose")) {
        if (o->accounts < 0 || o->accounts > 1000000)
            return ar_error_set(err, AR_EINVAL, "accounts", "accounts must be 0..1000000");
        char cats[256];
        snprintf(cats, sizeof cats, "%s", o->data_categories ? o->data_categories : "");
        if (!*cats)
            return ar_error_set(err, AR_EINVAL, "data_categories",
                                "a disclosure records the categories disclosed");
        for (char *save = NULL, *c = strtok_r(cats, ",", &save); c; c = strtok_r(NULL, ",", &save))
            if (!in_set(c, data_categories, AR_ARRAY_LEN(data_categories)))
                return ar_error_set(err, AR_EINVAL, "data_categories",
                                    "'%s' is not basic_subscriber, ip_logs, transactional,"
                                    " content or other",
                                    c);
    }
    return ar__text_check(o->reason, "reason", 1000, false, err);
}

static bool is_final(const char *outcome)
{
    return *outcome && strcmp(outcome, "need_info") != 0;
}

static ar_status record_item_decision(ar_workflow *w, ar_store_txn *t, const ar__actor *a,
                                      const char *by, const req_row *r, const ritem_row *ri,
                                      const ar_item_outcome *o, int64_t *did, ar_error *err)
{
    bool restrict_ = !strcmp(o->outcome, "restrict");
    if (!restrict_ && strcmp(o->outcome, "remove") != 0)
        return AR_OK;
    char statement[1024];
    if (restrict_)
        snprintf(statement, sizeof statement,
                 "Withheld in %s only, in response to legal request %lld citing %s. Our review"
                 " found the content unlawful there under that provision; it does not break our"
                 " community standards and stays available elsewhere.",
                 r->country, (long long)r->id, r->basis);
    else
        snprintf(statement, sizeof statement,
                 "Removed everywhere: reviewing legal request %lld, we found that the content"
                 " breaks our community standard '%s'.",
                 (long long)r->id, o->standard);
    ar__decision_in d = {.item_id = ri->item_id,
                         .action = restrict_ ? "restrict" : "remove",
                         .scope = restrict_ ? r->country : "global",
                         .ground_kind = restrict_ ? "legal" : "standard",
                         .ground = restrict_ ? r->basis : o->standard,
                         .source = "legal_order",
                         .decided_by = a->id,
                         .statement = o->statement && *o->statement ? o->statement : statement,
                         .request_item_id = ri->id,
                         .withhold_basis = o->withhold_basis,
                         .withhold_until = o->withhold_until};
    return ar__decision_record(w, t, by, &d, did, err);
}

/* RECEIVED -> IN_LEGAL_REVIEW on the first outcome; -> DECIDED when every
 * item has a final one. */
static ar_status advance_status(ar_workflow *w, ar_store_txn *t, const char *by,
                                const req_row *r, ar_error *err)
{
    int64_t open = 0;
    ar_status st = ar_store_query_int(t,
                                      "SELECT EXISTS (SELECT 1 FROM legal_request_items"
                                      " WHERE request_id = ? AND (outcome IS NULL OR"
                                      " outcome = 'need_info'))",
                                      (ar_value[]){AR_VINT(r->id)}, 1, &open, err);
    const char *next = open ? "in_legal_review" : "decided";
    if (st != AR_OK || !strcmp(next, r->status))
        return st;
    st = ar_store_exec(t,
                       "UPDATE legal_requests SET status = ?,"
                       " decided_at = CASE WHEN ? = 'decided' THEN ? ELSE decided_at END"
                       " WHERE id = ?",
                       (ar_value[]){AR_VTEXT(next), AR_VTEXT(next), AR_VINT(ar__now(w)),
                                    AR_VINT(r->id)},
                       4, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, by, "request.status", "request", r->id,
                       json_pack("{s:s, s:s}", "from", r->status, "to", next), err);
    return st;
}

/* What deciding item o->item of request_id needs: the request still open,
 * naming the item, which has no final outcome yet, and an outcome that fits
 * the request. (Whether a proposal waits is the caller's to check.) */
static ar_status load_target(ar_store_txn *t, int64_t request_id, const ar_item_outcome *o,
                             req_row *r, ritem_row *ri, ar_error *err)
{
    memset(ri, 0, sizeof *ri);
    ar_status st = load_request(t, request_id, r, err);
    if (st == AR_OK && strcmp(r->status, "received") && strcmp(r->status, "in_legal_review"))
        st = ar_error_set(err, AR_ECONFLICT, "request", "request %lld is already %s",
                          (long long)request_id, r->status);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT ri.id, ri.item_id, coalesce(ri.outcome, '')"
                           " FROM legal_request_items ri JOIN items i ON i.id = ri.item_id"
                           " WHERE ri.request_id = ? AND i.platform_id = ?",
                           (ar_value[]){AR_VINT(request_id), AR_VTEXT(o->item)}, 2, take_ritem,
                           ri, NULL, err);
    if (st == AR_OK && !ri->id)
        st = ar_error_set(err, AR_ENOTFOUND, "item", "request %lld does not name item '%s'",
                          (long long)request_id, o->item);
    if (st == AR_OK && is_final(ri->outcome))
        st = ar_error_set(err, AR_ECONFLICT, "item", "item '%s' already has the outcome %s",
                          o->item, ri->outcome);
    return st == AR_OK ? outcome_allowed(r, o, err) : st;
}

/* The outcome takes effect: the decision (restrict, remove), the item's
 * outcome decided by `decider`, audited as done by `by`, and the request's
 * status moved on. */
static ar_status apply_outcome(ar_workflow *w, ar_store_txn *t, const ar__actor *decider,
                               const char *by, const req_row *r, const ritem_row *ri,
                               const ar_item_outcome *o, int64_t *did, ar_error *err)
{
    ar_status st = record_item_decision(w, t, decider, by, r, ri, o, did, err);
    if (st == AR_OK) {
        bool decline = !strcmp(o->outcome, "decline");
        ar_value p[] = {AR_VTEXT(o->outcome),
                        decline ? AR_VTEXT(o->reason) : AR_VNULL,
                        decline ? AR_VNULL : AR_VTEXT(o->reason),
                        AR_VTEXT(o->data_categories),
                        !strcmp(o->outcome, "disclose") ? AR_VINT(o->accounts) : AR_VNULL,
                        AR_VINT(decider->id),
                        AR_VINT(ar__now(w)),
                        AR_VINT(ri->id)};
        st = ar_store_exec(t,
                           "UPDATE legal_request_items SET outcome = ?, decline_reason = ?,"
                           " note = ?, data_categories = ?, accounts_disclosed = ?,"
                           " decided_by = ?, decided_at = ? WHERE id = ?",
                           p, AR_ARRAY_LEN(p), NULL, NULL, NULL, err);
    }
    if (st == AR_OK)
        st = ar__audit(w, t, by, "request.decide_item", "request", r->id,
                       json_pack("{s:s, s:s, s:s?, s:s?, s:I}", "item", o->item, "outcome",
                                 o->outcome, "reason", o->reason, "data_categories",
                                 o->data_categories, "decision", (json_int_t)*did),
                       err);
    return st == AR_OK ? advance_status(w, t, by, r, err) : st;
}

ar_status ar__request_apply(ar_workflow *w, ar_store_txn *t, const ar__actor *decider,
                            const char *by, int64_t request_id, const ar_item_outcome *o,
                            int64_t *did, int64_t *item_id, ar_error *err)
{
    req_row r;
    ritem_row ri;
    *did = 0;
    ar_status st = load_target(t, request_id, o, &r, &ri, err);
    if (st == AR_OK)
        st = apply_outcome(w, t, decider, by, &r, &ri, o, did, err);
    *item_id = ri.item_id;
    return st;
}

ar_status ar_request_decide(ar_workflow *w, const char *actor, int64_t request_id,
                            const ar_item_outcome *o, int64_t *decision_id, ar_error *err)
{
    if (!w || !o || !o->item)
        return ar_error_set(err, AR_EINVAL, "item", "an item is required");
    ar_store_txn *t = NULL;
    ar__actor a;
    req_row r;
    ritem_row ri = {0};
    int64_t did = 0;
    bool second = false;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar__actor_load(t, actor, &a, err);
    if (st == AR_OK) /* rule (2) */
        st = ar__actor_require(&a, AR_ROLE_LEGAL, "decide legal requests", err);
    if (st == AR_OK)
        st = load_target(t, request_id, o, &r, &ri, err);
    if (st == AR_OK)
        st = ar__proposal_none_pending(t, ri.id, o->item, err);
    if (st == AR_OK && is_final(o->outcome)) /* rule (6): four eyes */
        st = ar__four_eyes_needed(t, r.kind, &second, err);
    if (st == AR_OK && second)
        st = ar__proposal_add(w, t, &a, request_id, ri.id, o, err);
    if (st == AR_OK && second)
        st = advance_status(w, t, a.name, &r, err);
    else if (st == AR_OK)
        st = apply_outcome(w, t, &a, a.name, &r, &ri, o, &did, err);
    return ar__decided(w, t, st, ri.item_id, did, decision_id, err);
}

/*---- Notifying and closing -----------------------------------------------------*/

static ar_status move_status(ar_workflow *w, const char *actor, int64_t request_id,
                             const char *from, const char *to, bool notify, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar__actor a;
    req_row r;
    int64_t sent = 0;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar__actor_load(t, actor, &a, err);
    if (st == AR_OK)
        st = ar__actor_require(&a, AR_ROLE_LEGAL, "move legal requests on", err);
    if (st == AR_OK)
        st = load_request(t, request_id, &r, err);
    if (st == AR_OK && strcmp(r.status, from) != 0)
        st = ar_error_set(err, AR_ECONFLICT, "request", "request %lld is %s, not %s",
                          (long long)request_id, r.status, from);
    if (st == AR_OK && notify) /* the platform delivered the pending notices */
        st = ar_store_exec(t,
                           "UPDATE user_notices SET state = 'sent', sent_at = ?"
                           " WHERE state = 'pending' AND decision_id IN (SELECT d.id FROM"
                           " decisions d JOIN legal_request_items ri ON ri.id = d.request_item_id"
                           " WHERE ri.request_id = ?)",
                           (ar_value[]){AR_VINT(ar__now(w)), AR_VINT(request_id)}, 2, NULL, NULL,
                           &sent, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "UPDATE legal_requests SET status = ? WHERE id = ?",
                           (ar_value[]){AR_VTEXT(to), AR_VINT(request_id)}, 2, NULL, NULL, NULL,
                           err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "request.status", "request", request_id,
                       json_pack("{s:s, s:s, s:I}", "from", from, "to", to, "notices_sent",
                                 (json_int_t)sent),
                       err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

ar_status ar_request_mark_notified(ar_workflow *w, const char *actor, int64_t request_id,
                                   ar_error *err)
{
    return move_status(w, actor, request_id, "decided", "users_notified", true, err);
}

ar_status ar_request_close(ar_workflow *w, const char *actor, int64_t request_id, ar_error *err)
{
    return move_status(w, actor, request_id, "users_notified", "closed", false, err);
}

/*---- Reading ------------------------------------------------------------------------*/

#define REQUEST_COLUMNS                                                                            \
    "id, external_ref, authority_name, authority_country, authority_branch, instrument,"          \
    " provision, kind, emergency, status, received_at, deadline_at, deadline_rule,"               \
    " document_hash, decided_at, (SELECT count(*) FROM legal_item_proposals p"                    \
    " JOIN legal_request_items ri ON ri.id = p.request_item_id"                                   \
    " WHERE ri.request_id = legal_requests.id AND p.state = 'pending')"

static const char *const request_names[] = {
    "id",         "external_ref", "authority",   "country",     "branch",
    "instrument", "provision",    "kind",        "emergency",   "status",
    "received_at", "deadline_at", "deadline_rule", "document_hash", "decided_at",
    "awaiting_sign_off"}; /* four eyes: items whose proposed outcome waits */
static const bool request_ints[] = {true,  false, false, false, false, false, false, false,
                                    true,  false, true,  true,  false, false, true,  true};

typedef struct list_acc {
    json_t *array;
    int64_t now;
} list_acc;

static ar_status add_request(void *ud, const ar_store_row *row, ar_error *err)
{
    list_acc *acc = ud;
    json_t *o = ar__row_object(row, request_names, AR_ARRAY_LEN(request_names), request_ints);
    if (!o)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    json_t *due = json_object_get(o, "deadline_at");
    const char *status = json_string_value(json_object_get(o, "status"));
    bool open = status && (!strcmp(status, "received") || !strcmp(status, "in_legal_review"));
    json_object_set_new(o, "overdue", json_boolean(open && json_is_integer(due) &&
                                                   json_integer_value(due) < acc->now));
    json_array_append_new(acc->array, o);
    return AR_OK;
}

static ar_status add_item(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"item",   "url",             "outcome",
                                        "decline_reason", "note",    "data_categories",
                                        "accounts_disclosed", "decided_by", "decided_at",
                                        "decision", "notice", "proposed_outcome",
                                        "proposed_reason", "proposed_standard",
                                        "proposed_statement", "proposed_by", "proposed_at",
                                        "signed_off_by", "last_rejection"};
    static const bool ints[] = {false, false, false, false, false, false, true,
                                false, true,  true,  false, false, false, false,
                                false, false, true,  false, false};
    json_t *o = ar__row_object(row, names, AR_ARRAY_LEN(names), ints);
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    return AR_OK;
}

ar_status ar_request_show_json(ar_workflow *w, int64_t id, char **json, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    list_acc acc = {json_array(), ar__now(w)};
    json_t *items = json_array();
    st = ar_store_exec(t, "SELECT " REQUEST_COLUMNS " FROM legal_requests WHERE id = ?",
                       (ar_value[]){AR_VINT(id)}, 1, add_request, &acc, NULL, err);
    if (st == AR_OK && json_array_size(acc.array) == 0)
        st = ar_error_set(err, AR_ENOTFOUND, "request", "no legal request %lld", (long long)id);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT i.platform_id, ri.locator, ri.outcome, ri.decline_reason,"
                           " ri.note, ri.data_categories, ri.accounts_disclosed, s.login,"
                           " ri.decided_at, d.id, n.state,"
                           /* four eyes: the proposal waiting, who signed off, why the
                            * last one was rejected */
                           " p.outcome, p.reason, p.standard, p.statement, ps.login,"
                           " p.proposed_at,"
                           " (SELECT so.login FROM legal_item_proposals q JOIN staff so"
                           "  ON so.id = q.reviewed_by WHERE q.request_item_id = ri.id"
                           "  AND q.state = 'signed_off'),"
                           " (SELECT q.reject_reason FROM legal_item_proposals q"
                           "  WHERE q.request_item_id = ri.id AND q.state = 'rejected'"
                           "  ORDER BY q.id DESC LIMIT 1)"
                           " FROM legal_request_items ri JOIN items i ON i.id = ri.item_id"
                           " LEFT JOIN staff s ON s.id = ri.decided_by"
                           " LEFT JOIN decisions d ON d.request_item_id = ri.id"
                           " LEFT JOIN user_notices n ON n.decision_id = d.id"
                           " LEFT JOIN legal_item_proposals p ON p.request_item_id = ri.id"
                           "  AND p.state = 'pending'"
                           " LEFT JOIN staff ps ON ps.id = p.proposed_by"
                           " WHERE ri.request_id = ? ORDER BY ri.id",
                           (ar_value[]){AR_VINT(id)}, 1, add_item, items, NULL, err);
    bool four_eyes = false; /* whether a decision on it now needs a second reviewer */
    const char *kind = json_string_value(json_object_get(json_array_get(acc.array, 0), "kind"));
    if (st == AR_OK && kind)
        st = ar__four_eyes_needed(t, kind, &four_eyes, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(acc.array);
        json_decref(items);
        return st;
    }
    json_t *doc = json_incref(json_array_get(acc.array, 0));
    json_decref(acc.array);
    json_object_set_new(doc, "four_eyes", json_boolean(four_eyes));
    json_object_set_new(doc, "items", items);
    return ar__json_out(doc, json, err);
}

ar_status ar_request_list_json(ar_workflow *w, const char *status, char **json, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    list_acc acc = {json_array(), ar__now(w)};
    st = ar_store_exec(t,
                       "SELECT " REQUEST_COLUMNS " FROM legal_requests"
                       " WHERE (? IS NULL OR status = ?)"
                       " ORDER BY coalesce(deadline_at, received_at), id",
                       (ar_value[]){AR_VTEXT(status), AR_VTEXT(status)}, 2, add_request, &acc,
                       NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(acc.array);
        return st;
    }
    return ar__json_out(acc.array, json, err);
}
