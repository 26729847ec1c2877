/*
 * cases.c - review cases: flags from verdicts, notices from users and
 * trusted flaggers; assignment; a moderator's decision.
 */
#include "workflow_int.h"

#include <stdio.h>
#include <stdlib.h>

static const ar_policy_standard *standard_of(const ar_engine *e, const char *id)
{
    const ar_policy *p = ar_engine_policy(e);
    for (size_t i = 0; p && i < p->nstandards; i++)
        if (p->standards[i].id == id || !strcmp(p->standards[i].id, id))
            return &p->standards[i];
    return NULL;
}

static json_t *matches_of(const ar_verdict *v, const char *standard)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < v->nmatches; i++) {
        const ar_verdict_match *m = &v->matches[i];
        if (strcmp(m->standard, standard) != 0)
            continue;
        json_t *o = json_pack("{s:s}", "rule", m->rule);
        if (o && (m->source == AR_VERDICT_TEXT || m->source == AR_VERDICT_TEXT_URL)) {
            /* only text matches are spans: a link or an image has none */
            json_object_set_new(o, "start", json_integer((json_int_t)m->start));
            json_object_set_new(o, "end", json_integer((json_int_t)m->end));
        }
        if (o && m->list) { /* a url_list or bank rule: the reviewer sees which entry */
            json_object_set_new(o, "list", json_string(m->list));
            json_object_set_new(o, "entry", json_string(m->entry));
            if (m->source == AR_VERDICT_LINK) {
                json_object_set_new(o, "link", json_integer((json_int_t)m->index));
                if (m->url) /* the link itself: the item's content, kept as its text is */
                    json_object_set_new(o, "url", json_string(m->url));
            }
            if (m->source == AR_VERDICT_IMAGE_HASH) {
                json_object_set_new(o, "image_hash", json_integer((json_int_t)m->index));
                json_object_set_new(o, "distance", json_integer((json_int_t)m->distance));
            }
            if (m->source == AR_VERDICT_IMAGE) { /* the hashes only: image bytes are never kept */
                json_object_set_new(o, "image", json_integer((json_int_t)m->index));
                json_object_set_new(o, "variant", json_string(ar_pdq_dihedral_name(m->variant)));
                json_object_set_new(o, "distance", json_integer((json_int_t)m->distance));
            }
        }
        json_array_append_new(a, o);
    }
    return a;
}

static ar_status open_case(ar_workflow *w, ar_store_txn *t, const char *actor, const char *kind,
                           int64_t item_id, const char *standard, json_t *detail, int priority,
                           int64_t *case_id, ar_error *err)
{
    char *text = detail ? json_dumps(detail, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    ar_value p[] = {AR_VTEXT(kind), AR_VINT(item_id), AR_VTEXT(standard), AR_VTEXT(text),
                    AR_VINT(priority), AR_VINT(ar__now(w))};
    ar_status st = ar_store_query_int(t,
                                      "INSERT INTO cases (kind, item_id, standard, detail,"
                                      " priority, created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                                      p, AR_ARRAY_LEN(p), case_id, err);
    free(text);
    if (st == AR_OK)
        st = ar__audit(w, t, actor, "case.open", "case", *case_id,
                       json_pack("{s:s, s:I, s:s?, s:O?}", "kind", kind, "item",
                                 (json_int_t)item_id, "standard", standard, "detail", detail),
                       err);
    json_decref(detail);
    return st;
}

/* One verdict can fire several standards: each gets what its action asks. */
static ar_status record_standards(ar_workflow *w, ar_store_txn *t, int64_t item_id,
                                  const ar_engine *e, const ar_verdict *v, int64_t *case_id,
                                  int64_t *decision_id, ar_error *err)
{
    ar_status st = AR_OK;
    for (size_t i = 0; st == AR_OK && i < v->nmatches; i++) {
        const char *sid = v->matches[i].standard;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(v->matches[j].standard, sid);
        const ar_policy_standard *std = standard_of(e, sid);
        if (seen || !std)
            continue;
        if (std->action == AR_ACTION_REVIEW) {
            int64_t cid = 0;
            st = open_case(w, t, "system", "flag", item_id, sid, matches_of(v, sid), 0, &cid, err);
            if (st == AR_OK && !*case_id)
                *case_id = cid;
            continue;
        }
        char statement[512];
        snprintf(statement, sizeof statement,
                 "Automatically %s: the content matches rule '%s' of the community standard"
                 " '%s' (%s).",
                 std->action == AR_ACTION_REMOVE ? "removed" : "labelled", v->matches[i].rule,
                 std->id, std->title);
        ar__decision_in d = {.item_id = item_id,
                             .action = std->action == AR_ACTION_REMOVE ? "remove" : "label",
                             .scope = "global",
                             .ground_kind = "standard",
                             .ground = sid,
                             .source = "automated",
                             .automated_detection = true,
                             .automated_decision = true,
                             .statement = statement};
        int64_t did = 0;
        st = ar__decision_record(w, t, "system", &d, &did, err);
        if (st == AR_OK && !*decision_id)
            *decision_id = did;
    }
    return st;
}

ar_status ar_workflow_record_verdict(ar_workflow *w, const ar_item_ref *item,
                                     const ar_engine *engine, const ar_verdict *verdict,
                                     int64_t *case_id, int64_t *decision_id, ar_error *err)
{
    if (!w || !item || !engine || !verdict || !case_id || !decision_id)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_record_verdict: NULL argument");
    *case_id = *decision_id = 0;
    if (!verdict->flagged)
        return AR_OK;
    ar_store_txn *t = NULL;
    int64_t item_id = 0, cid = 0, did = 0;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar__item_upsert(w, t, item, &item_id, err);
    if (st == AR_OK)
        st = record_standards(w, t, item_id, engine, verdict, &cid, &did, err);
    if (st == AR_OK && (cid || did)) /* a reviewer or an appeal will need to read it */
        st = ar__evidence_keep(w, t, item_id, item->text, item->text_len, err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    if ((st = ar_store_commit(t, err)) != AR_OK)
        return st;
    *case_id = cid;
    *decision_id = did;
    return did ? ar__visibility_refresh(w, item_id, err) : AR_OK;
}

/*---- Notices (DSA Art. 16) ----------------------------------------------------*/

ar_status ar_notice_add(ar_workflow *w, const ar_notice_in *n, int64_t *case_id, ar_error *err)
{
    if (!w || !n || !case_id)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_notice_add: NULL argument");
    static const char *const kinds[] = {"user", "trusted_flagger", "authority"};
    bool kind_ok = false;
    for (size_t i = 0; n->notifier_kind && i < AR_ARRAY_LEN(kinds); i++)
        kind_ok = kind_ok || !strcmp(n->notifier_kind, kinds[i]);
    ar_status st = kind_ok ? AR_OK
                           : ar_error_set(err, AR_EINVAL, "notifier_kind",
                                          "notifier_kind must be user, trusted_flagger or authority");
    if (st == AR_OK)
        st = ar__text_check(n->category, "category", 128, true, err);
    if (st == AR_OK)
        st = ar__text_check(n->explanation, "explanation", AR_STATEMENT_MAX_BYTES, true, err);
    if (st == AR_OK)
        st = ar__text_check(n->location, "location", 2048, true, err);
    if (st == AR_OK)
        st = ar__text_check(n->notifier_ref, "notifier_ref", 256, false, err);
    if (st == AR_OK && !n->good_faith)
        st = ar_error_set(err, AR_EINVAL, "good_faith",
                          "a notice needs the notifier's statement of good faith (DSA Art. 16(2)(d))");
    if (st != AR_OK)
        return st;
    ar_store_txn *t = NULL;
    int64_t item_id = 0, cid = 0, nid = 0;
    if ((st = ar_store_write(w->store, &t, err)) != AR_OK)
        return st;
    st = ar__item_upsert(w, t, &n->item, &item_id, err);
    /* trusted flaggers' notices go first (DSA Art. 22(1)) */
    int priority = !strcmp(n->notifier_kind, "trusted_flagger") ? 1 : 0;
    if (st == AR_OK)
        st = open_case(w, t, "system", "notice", item_id, n->category,
                       json_pack("{s:s, s:s}", "notifier_kind", n->notifier_kind, "location",
                                 n->location),
                       priority, &cid, err);
    if (st == AR_OK) {
        ar_value p[] = {AR_VINT(cid),           AR_VINT(item_id),         AR_VTEXT(n->notifier_kind),
                        AR_VTEXT(n->notifier_ref), AR_VTEXT(n->category), AR_VTEXT(n->explanation),
                        AR_VTEXT(n->location),  AR_VINT(n->good_faith),   AR_VINT(ar__now(w))};
        st = ar_store_query_int(t,
                                "INSERT INTO notices (case_id, item_id, notifier_kind, notifier_ref,"
                                " category, explanation, location, good_faith, received_at)"
                                " VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                                p, AR_ARRAY_LEN(p), &nid, err);
    }
    if (st == AR_OK)
        st = ar__audit(w, t, "system", "notice.receive", "notice", nid,
                       json_pack("{s:I, s:s}", "case", (json_int_t)cid, "notifier_kind",
                                 n->notifier_kind),
                       err);
    if (st == AR_OK)
        st = ar__evidence_keep(w, t, item_id, n->item.text, n->item.text_len, err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    st = ar_store_commit(t, err);
    if (st == AR_OK)
        *case_id = cid;
    return st;
}

/*---- Assigning and deciding --------------------------------------------------*/

static ar_status take_case(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    case_row *c = ud;
    c->id = ar_row_int(row, 0);
    c->item_id = ar_row_int(row, 1);
    snprintf(c->kind, sizeof c->kind, "%s", ar_row_text(row, 2, NULL));
    snprintf(c->state, sizeof c->state, "%s", ar_row_text(row, 3, NULL));
    snprintf(c->standard, sizeof c->standard, "%s", ar_row_text(row, 4, NULL));
    c->assignee = ar_row_int(row, 5);
    return AR_OK;
}

ar_status ar__case_load(ar_store_txn *t, int64_t id, case_row *c, ar_error *err)
{
    memset(c, 0, sizeof *c);
    ar_status st = ar_store_exec(t,
                                 "SELECT id, item_id, kind, state, standard, assignee FROM cases"
                                 " WHERE id = ?",
                                 (ar_value[]){AR_VINT(id)}, 1, take_case, c, NULL, err);
    if (st == AR_OK && !c->id)
        st = ar_error_set(err, AR_ENOTFOUND, "case", "no case %lld", (long long)id);
    return st;
}

ar_status ar__require_reviewer(const ar__actor *a, ar_error *err)
{
    if (a->role == AR_ROLE_MODERATOR || a->role == AR_ROLE_LEGAL)
        return AR_OK;
    return ar_error_set(err, AR_EDENIED, "as", "only moderators and legal reviewers work cases ('%s' is %s)",
                        a->name, ar_role_name(a->role));
}

/* In write transaction t: `actor` must be a reviewer, and the case must be
 * open or in review (assigning and escalating act on live cases only). */
static ar_status load_live_case(ar_store_txn *t, const char *actor, int64_t case_id, ar__actor *a,
                                case_row *c, ar_error *err)
{
    ar_status st = ar__actor_load(t, actor, a, err);
    if (st == AR_OK)
        st = ar__require_reviewer(a, err);
    if (st == AR_OK)
        st = ar__case_load(t, case_id, c, err);
    if (st == AR_OK && strcmp(c->state, "open") && strcmp(c->state, "in_review"))
        st = ar_error_set(err, AR_ECONFLICT, "case", "case %lld is %s", (long long)case_id,
                          c->state);
    return st;
}

ar_status ar_case_assign(ar_workflow *w, const char *actor, int64_t case_id, const char *assignee,
                         ar_error *err)
{
    ar_store_txn *t = NULL;
    ar__actor a, to;
    case_row c;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar__actor_load(t, assignee, &to, err);
    if (st == AR_OK)
        st = ar__require_reviewer(&to, err);
    if (st == AR_OK)
        st = load_live_case(t, actor, case_id, &a, &c, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "UPDATE cases SET assignee = ?, state = 'in_review' WHERE id = ?",
                           (ar_value[]){AR_VINT(to.id), AR_VINT(case_id)}, 2, NULL, NULL, NULL,
                           err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "case.assign", "case", case_id,
                       json_pack("{s:s}", "assignee", to.name), err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

ar_status ar_case_escalate(ar_workflow *w, const char *actor, int64_t case_id, const char *why,
                           ar_error *err)
{
    ar_status st = ar__text_check(why, "reason", AR_STATEMENT_MAX_BYTES, true, err);
    if (st != AR_OK)
        return st;
    ar_store_txn *t = NULL;
    ar__actor a;
    case_row c;
    if ((st = ar_store_write(w->store, &t, err)) != AR_OK)
        return st;
    st = load_live_case(t, actor, case_id, &a, &c, err);
    /* back to the queue, unassigned, ahead of ordinary work and trusted
     * flaggers' notices: the next free reviewer takes it. (CASE, not max():
     * portable SQL, as the store interface promises.) */
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "UPDATE cases SET assignee = NULL, state = 'open', priority ="
                           " CASE WHEN priority < ? THEN ? ELSE priority END WHERE id = ?",
                           (ar_value[]){AR_VINT(AR_CASE_PRIORITY_ESCALATED),
                                        AR_VINT(AR_CASE_PRIORITY_ESCALATED), AR_VINT(case_id)},
                           3, NULL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "case.escalate", "case", case_id,
                       json_pack("{s:s}", "reason", why), err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    return ar_store_commit(t, err);
}

/* A moderator decides on the standards; a country restriction needs a
 * legal reviewer and a legal basis (rule 1). */
static ar_status case_decision_in(const ar__actor *a, const case_row *c, const ar_case_decision *d,
                                  char *scope, size_t scope_size, char *statement,
                                  size_t statement_size, ar__decision_in *out, ar_error *err)
{
    if (!d->action)
        return ar_error_set(err, AR_EINVAL, "action", "an action is required");
    const char *ground = d->standard && *d->standard ? d->standard : c->standard;
    if (!strcmp(d->action, "none"))
        snprintf(statement, statement_size,
                 "We reviewed the content against our community standard '%s' and found no"
                 " breach; no action was taken.",
                 ground && *ground ? ground : "none");
    else
        snprintf(statement, statement_size,
                 "We reviewed the content and decided '%s' under our community standard '%s'.",
                 d->action, ground && *ground ? ground : "none");
    *out = (ar__decision_in){.item_id = c->item_id,
                             .action = d->action,
                             .scope = "global",
                             .ground_kind = "standard",
                             .ground = ground && *ground ? ground : "none",
                             .source = !strcmp(c->kind, "notice") ? "notice" : "moderator",
                             .automated_detection = !strcmp(c->kind, "flag"),
                             .decided_by = a->id,
                             .statement = d->statement && *d->statement ? d->statement
                                                                        : statement,
                             .case_id = c->id,
                             .withhold_basis = d->withhold_basis,
                             .withhold_until = d->withhold_until};
    if (strcmp(d->action, "restrict") != 0) {
        if (d->countries && *d->countries)
            return ar_error_set(err, AR_EINVAL, "countries",
                                "only a restriction is country-scoped; '%s' applies everywhere",
                                d->action);
        return AR_OK;
    }
    ar_status st = ar__actor_require(a, AR_ROLE_LEGAL, "restrict an item in a country", err);
    if (st == AR_OK && (!d->legal_basis || !*d->legal_basis))
        st = ar_error_set(err, AR_EDENIED, "legal_basis",
                          "a country-scoped restriction needs a recorded legal basis");
    if (st == AR_OK)
        st = ar__countries_normalize(d->countries, scope, scope_size, err);
    out->scope = scope;
    out->ground_kind = "legal";
    out->ground = d->legal_basis;
    return st;
}

ar_status ar_case_decide(ar_workflow *w, const char *actor, int64_t case_id,
                         const ar_case_decision *d, int64_t *decision_id, ar_error *err)
{
    if (!w || !d)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_case_decide: NULL argument");
    ar_store_txn *t = NULL;
    ar__actor a;
    case_row c;
    char scope[800], statement[600];
    ar__decision_in in;
    int64_t did = 0;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st != AR_OK)
        return st;
    st = ar__actor_load(t, actor, &a, err);
    if (st == AR_OK)
        st = ar__require_reviewer(&a, err);
    if (st == AR_OK)
        st = ar__case_load(t, case_id, &c, err);
    if (st == AR_OK && !strcmp(c.kind, "appeal"))
        st = ar_error_set(err, AR_EINVAL, "case", "case %lld is an appeal: decide it as an appeal",
                          (long long)case_id);
    if (st == AR_OK && strcmp(c.state, "open") && strcmp(c.state, "in_review"))
        st = ar_error_set(err, AR_ECONFLICT, "case", "case %lld is already %s", (long long)case_id,
                          c.state);
    if (st == AR_OK)
        st = case_decision_in(&a, &c, d, scope, sizeof scope, statement, sizeof statement, &in,
                              err);
    if (st == AR_OK)
        st = ar__decision_record(w, t, a.name, &in, &did, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "UPDATE cases SET state = 'decided', decided_at = ? WHERE id = ?",
                           (ar_value[]){AR_VINT(ar__now(w)), AR_VINT(case_id)}, 2, NULL, NULL,
                           NULL, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "case.decide", "case", case_id,
                       json_pack("{s:I, s:s}", "decision", (json_int_t)did, "action", d->action),
                       err);
    return ar__decided(w, t, st, c.item_id, did, decision_id, err);
}

