/*
 * case_json.c - review cases as JSON documents for people: the queue
 * (filtered, oldest first) and one case with everything a reviewer needs
 * to decide it. Who sent a notice is never shown: a reviewer judges the
 * item, not the reporter. The item's text is shown while its sealed
 * evidence lasts (evidence.c).
 */
#include "workflow_int.h"

#define LIST_DEFAULT 500
#define LIST_MAX     5000

static ar_status append_row(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"id",          "kind",       "item",       "state",
                                        "standard",    "assignee",   "priority",   "deadline_at",
                                        "created_at",  "decided_at", "source",     "lang"};
    static const bool ints[] = {true, false, false, false, false, false,
                                true, true,  true,  true,  false, false};
    json_t *o = ar__row_object(row, names, AR_ARRAY_LEN(names), ints);
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing cases");
    return AR_OK;
}

/* Where a case came from, from what the store records: the case's kind
 * and, for a notice, who sent it. The SQL and the list below agree. */
#define CASE_SOURCE_SQL                                                                            \
    "(CASE c.kind WHEN 'flag' THEN 'automated' WHEN 'appeal' THEN 'appeal'"                        \
    " ELSE (SELECT CASE n.notifier_kind WHEN 'trusted_flagger' THEN 'trusted_flagger'"             \
    " WHEN 'authority' THEN 'legal' ELSE 'user_notice' END FROM notices n"                         \
    " WHERE n.case_id = c.id) END)"

static const char *const case_sources[] = {"automated", "user_notice", "trusted_flagger", "legal",
                                           "appeal"};

bool ar_case_source_valid(const char *s)
{
    return s && ar__in_set(s, case_sources, AR_ARRAY_LEN(case_sources));
}

ar_status ar_case_list_json(ar_workflow *w, const ar_case_filter *f, char **json, ar_error *err)
{
    ar_case_filter none = {0};
    if (!f)
        f = &none;
    if (f->older_than < 0)
        return ar_error_set(err, AR_EINVAL, "older_than", "must not be negative");
    if (f->limit > LIST_MAX)
        return ar_error_set(err, AR_EINVAL, "limit", "at most %d cases at a time", LIST_MAX);
    if (f->source && !ar_case_source_valid(f->source))
        return ar_error_set(err, AR_EINVAL, "source",
                            "source must be automated, user_notice, trusted_flagger, legal or"
                            " appeal, not '%.40s'",
                            f->source);
    int64_t limit = f->limit ? (int64_t)f->limit : LIST_DEFAULT;
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    json_t *a = json_array();
    bool unassigned = f->assignee && !*f->assignee;
    const char *assignee = unassigned ? NULL : f->assignee;
    ar_value p[] = {AR_VTEXT(f->state),    AR_VTEXT(f->state),    AR_VTEXT(f->kind),
                    AR_VTEXT(f->kind),     AR_VTEXT(f->standard), AR_VTEXT(f->standard),
                    AR_VTEXT(assignee),    AR_VTEXT(assignee),    AR_VINT(unassigned),
                    AR_VINT(ar__now(w) - f->older_than),          AR_VTEXT(f->source),
                    AR_VTEXT(f->source),   AR_VTEXT(f->lang),     AR_VTEXT(f->lang),
                    AR_VINT(limit)};
    st = ar_store_exec(t,
                       "SELECT * FROM (SELECT c.id, c.kind, i.platform_id, c.state, c.standard,"
                       " s.login, c.priority, c.deadline_at, c.created_at, c.decided_at,"
                       " " CASE_SOURCE_SQL " AS source, i.lang"
                       " FROM cases c JOIN items i ON i.id = c.item_id"
                       " LEFT JOIN staff s ON s.id = c.assignee"
                       " WHERE (? IS NULL OR c.state = ?) AND (? IS NULL OR c.kind = ?)"
                       " AND (? IS NULL OR c.standard = ?) AND (? IS NULL OR s.login = ?)"
                       " AND (? = 0 OR c.assignee IS NULL) AND c.created_at <= ?) q"
                       " WHERE (? IS NULL OR q.source = ?) AND (? IS NULL OR q.lang = ?)"
                       " ORDER BY q.priority DESC, q.created_at, q.id LIMIT ?",
                       p, AR_ARRAY_LEN(p), append_row, a, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(a);
        return st;
    }
    return ar__json_out(a, json, err);
}

/*---- One case -------------------------------------------------------------------*/

static ar_status take_object(void *ud, const ar_store_row *row, const char *const *names,
                             const bool *ints, size_t n, ar_error *err)
{
    json_t **out = ud;
    json_decref(*out);
    *out = ar__row_object(row, names, n, ints);
    return *out ? AR_OK : ar_error_set(err, AR_ENOMEM, NULL, "out of memory showing a case");
}

static ar_status take_case_row(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"id",         "kind",       "state",    "standard",
                                        "detail",     "assignee",   "priority", "deadline_at",
                                        "created_at", "decided_at", "item",     "item_kind",
                                        "item_url"};
    static const bool ints[] = {true,  false, false, false, false, false, true,
                                true,  true,  true,  false, false, false};
    return take_object(ud, row, names, ints, AR_ARRAY_LEN(names), err);
}

static ar_status take_notice(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"notifier_kind", "category",   "explanation",
                                        "location",      "good_faith", "received_at"};
    static const bool ints[] = {false, false, false, false, true, true};
    return take_object(ud, row, names, ints, AR_ARRAY_LEN(names), err);
}

static ar_status take_appeal(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"decision",    "appellant_kind", "grounds",
                                        "filed_at",    "outcome",        "decided_at",
                                        "original_by", "original_statement"};
    static const bool ints[] = {true, false, false, true, false, true, false, false};
    return take_object(ud, row, names, ints, AR_ARRAY_LEN(names), err);
}

/* The case row, with `detail` (stored JSON) turned back into JSON. */
static ar_status load_case(ar_store_txn *t, int64_t id, json_t **out, ar_error *err)
{
    ar_status st = ar_store_exec(t,
                                 "SELECT c.id, c.kind, c.state, c.standard, c.detail, s.login,"
                                 " c.priority, c.deadline_at, c.created_at, c.decided_at,"
                                 " i.platform_id, i.kind, i.url"
                                 " FROM cases c JOIN items i ON i.id = c.item_id"
                                 " LEFT JOIN staff s ON s.id = c.assignee WHERE c.id = ?",
                                 (ar_value[]){AR_VINT(id)}, 1, take_case_row, out, NULL, err);
    if (st != AR_OK)
        return st;
    if (!*out)
        return ar_error_set(err, AR_ENOTFOUND, "id", "no case %lld", (long long)id);
    const char *detail = json_string_value(json_object_get(*out, "detail"));
    json_t *parsed = detail ? json_loads(detail, 0, NULL) : NULL;
    json_object_set_new(*out, "detail", parsed ? parsed : json_null());
    return AR_OK;
}

ar_status ar_case_show_json(ar_workflow *w, int64_t id, char **json, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    json_t *c = NULL, *notice = NULL, *appeal = NULL, *decisions = json_array();
    st = load_case(t, id, &c, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT notifier_kind, category, explanation, location, good_faith,"
                           " received_at FROM notices WHERE case_id = ?",
                           (ar_value[]){AR_VINT(id)}, 1, take_notice, &notice, NULL, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT a.decision_id, a.appellant_kind, a.grounds, a.filed_at,"
                           " a.outcome, a.decided_at, s.login, d.statement"
                           " FROM appeals a JOIN decisions d ON d.id = a.decision_id"
                           " LEFT JOIN staff s ON s.id = d.decided_by WHERE a.case_id = ?",
                           (ar_value[]){AR_VINT(id)}, 1, take_appeal, &appeal, NULL, err);
    if (st == AR_OK)
        st = ar__item_decisions(t, json_string_value(json_object_get(c, "item")), decisions,
                                err);
    if (st == AR_OK)
        st = ar__evidence_json(w, t, json_string_value(json_object_get(c, "item")), c, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(c);
        json_decref(notice);
        json_decref(appeal);
        json_decref(decisions);
        return st;
    }
    json_object_set_new(c, "notice", notice ? notice : json_null());
    json_object_set_new(c, "appeal", appeal ? appeal : json_null());
    json_object_set_new(c, "decisions", decisions);
    return ar__json_out(c, json, err);
}

/*---- Queue sizes ------------------------------------------------------------------*/

ar_status ar_workflow_queue_stats(ar_workflow *w, ar_queue_stats *out, ar_error *err)
{
    static const char *const kinds[] = {"flag", "notice", "appeal"};
    if (!w || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_queue_stats: NULL argument");
    memset(out, 0, sizeof *out);
    int64_t now = ar__now(w);
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    for (size_t i = 0; st == AR_OK && i < AR_ARRAY_LEN(kinds); i++)
        st = ar_store_query_int(t,
                                "SELECT count(*) FROM cases WHERE kind = ?"
                                " AND state IN ('open','in_review')",
                                (ar_value[]){AR_VTEXT(kinds[i])}, 1, &out->cases_open[i], err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "SELECT count(*) FROM cases WHERE state IN ('open','in_review')"
                                " AND deadline_at IS NOT NULL AND deadline_at < ?",
                                (ar_value[]){AR_VINT(now)}, 1, &out->cases_overdue, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "SELECT count(*) FROM legal_requests"
                                " WHERE status IN ('received','in_legal_review')",
                                NULL, 0, &out->requests_open, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "SELECT count(*) FROM legal_requests"
                                " WHERE status IN ('received','in_legal_review')"
                                " AND deadline_at IS NOT NULL AND deadline_at < ?",
                                (ar_value[]){AR_VINT(now)}, 1, &out->requests_overdue, err);
    if (st == AR_OK)
        st = ar_store_query_int(t, "SELECT count(*) FROM user_notices WHERE state = 'withheld'",
                                NULL, 0, &out->notices_withheld, err);
    ar_store_rollback(t);
    return st;
}
