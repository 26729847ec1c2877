/*
 * handlers_workflow.c - the routes people decide through: review cases,
 * notices, legal requests, appeals, an item's decisions, audit
 * verification. Each handler validates the body strictly (unknown fields,
 * types, sizes), then calls the workflow, which enforces the rules (who may
 * decide what) and records every change durably and audited before it
 * answers. Times in bodies are RFC 3339 strings.
 */
#include "http/handlers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 5000 /* AR_STATEMENT_MAX_BYTES: the workflow checks it again */
#define WORD_MAX 128

/*---- Shared -------------------------------------------------------------------*/

const char *ar_http_actor(ar_http_req *req, ar_http_res *res)
{
    if (req->token.staff[0])
        return req->token.staff;
    ar_http_reply_errorf(res, 403, ar_status_name(AR_EDENIED), "authorization",
                         "this token acts for no staff member, and changes are made by a named "
                         "person: sign in to the console, or use a token made with "
                         "`arbiter token create --user LOGIN`");
    return NULL;
}

int64_t ar_http_param_id(ar_http_req *req, ar_http_res *res, const char *name)
{
    const char *s = ar_http_param(req, name);
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v <= 0) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), name,
                             "'%s' must be a positive integer id", name);
        return 0;
    }
    return v;
}

void ar_http_reply_doc(ar_http_res *res, unsigned status, char *json)
{
    if (!json) {
        ar_http_reply_errorf(res, 503, "out_of_memory", "", "out of memory");
        return;
    }
    ar_http_reply_text(res, status, "application/json", json, strlen(json));
}

/* The body as an object with only `keys`, or NULL after answering 400. */
static json_t *body_object(ar_http_req *req, ar_http_res *res, const char *const *keys, size_t n)
{
    json_t *doc = ar_http_body_json(req, res);
    if (!doc)
        return NULL;
    ar_error err = {0};
    if (!json_is_object(doc))
        ar_error_set(&err, AR_EINVAL, "body", "the body must be a JSON object");
    else if (ar_http_only_keys(doc, keys, n, "", &err) == AR_OK)
        return doc;
    json_decref(doc);
    ar_http_reply_error(res, &err);
    return NULL;
}

/* An optional RFC 3339 time member -> Unix seconds (0 if absent). */
static ar_status get_time(json_t *doc, const char *key, int64_t *out, ar_error *err)
{
    const char *s = NULL;
    *out = 0;
    ar_status st = ar_http_get_string(doc, key, false, 64, "", &s, NULL, err);
    if (st == AR_OK && s)
        st = ar_time_parse(s, key, out, err);
    return st;
}

/* An optional non-negative integer member (absent: `dflt`). */
static ar_status get_count(json_t *doc, const char *key, int64_t dflt, int64_t *out,
                           ar_error *err)
{
    json_t *v = json_object_get(doc, key);
    *out = dflt;
    if (!v || json_is_null(v))
        return AR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return ar_error_set(err, AR_EINVAL, key, "'%s' must be a non-negative integer", key);
    *out = json_integer_value(v);
    return AR_OK;
}

/* Answer with {"<what>": id} (201) or the error. */
static void reply_created(ar_http_res *res, ar_status st, const ar_error *err, const char *what,
                          int64_t id)
{
    if (st != AR_OK)
        ar_http_reply_error(res, err);
    else
        ar_http_reply_json(res, 201, json_pack("{s:I}", what, (json_int_t)id));
}

static void reply_doc_or_error(ar_http_res *res, ar_status st, const ar_error *err, char *json)
{
    if (st == AR_OK)
        ar_http_reply_doc(res, 200, json);
    else
        ar_http_reply_error(res, err);
}

/*---- Cases ----------------------------------------------------------------------*/

static bool word_ok(const char *s)
{
    for (; s && *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.' || *s == ':'))
            return false;
    return true;
}

/* An optional whole-number query parameter in [min, max]; false after 400. */
static bool query_number(ar_http_req *req, ar_http_res *res, const char *key, long long min,
                         long long max, long long *out)
{
    const char *s = ar_http_query(req, key);
    if (!s)
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (!*s || *end || errno || n < min || n > max) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), key,
                             "'%s' must be a whole number from %lld to %lld", key, min, max);
        return false;
    }
    *out = n;
    return true;
}

void ar_http_h_cases_list(ar_http_req *req, ar_http_res *res)
{
    static const char *const filters[] = {"state", "kind", "standard", "assignee", "source",
                                          "lang"};
    ar_case_filter f = {0};
    const char **dst[] = {&f.state, &f.kind, &f.standard, &f.assignee, &f.source, &f.lang};
    for (size_t i = 0; i < AR_HTTP_LEN(filters); i++) {
        const char *v = ar_http_query(req, filters[i]);
        if (v && (strlen(v) > WORD_MAX || !word_ok(v))) {
            ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), filters[i],
                                 "'%s' must be up to %d letters, digits, '_', '-', '.' or ':'",
                                 filters[i], WORD_MAX);
            return;
        }
        *dst[i] = v;
    }
    size_t ll = f.lang ? strlen(f.lang) : 2;
    if (ll < 2 || ll > 8 || (f.lang && strspn(f.lang, "abcdefghijklmnopqrstuvwxyz") != ll)) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "lang",
                             "'lang' must be a language's primary tag, 2 to 8 lowercase letters"
                             " such as en or ur");
        return;
    }
    if (f.source && !ar_case_source_valid(f.source)) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "source",
                             "'source' must be automated, user_notice, trusted_flagger, legal or"
                             " appeal");
        return;
    }
    long long limit = 0, hours = 0;
    if (!query_number(req, res, "limit", 1, 5000, &limit) ||
        !query_number(req, res, "older_than_hours", 0, 24 * 365, &hours))
        return;
    f.limit = (size_t)limit;
    f.older_than = (int64_t)hours * 3600;
    char *json = NULL;
    ar_error err = {0};
    ar_status st = ar_case_list_json(req->app->wf, &f, &json, &err);
    reply_doc_or_error(res, st, &err, json);
}

typedef ar_status (*show_fn)(ar_workflow *w, int64_t id, char **json, ar_error *err);

/* Answer with the document `show` makes for `id`, plus the decision just
 * made (if any): what a case or a request is after a change. */
static void reply_shown(ar_http_req *req, ar_http_res *res, unsigned status, show_fn show,
                        int64_t id, int64_t decision)
{
    char *json = NULL;
    ar_error err = {0};
    if (show(req->app->wf, id, &json, &err) != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    json_t *doc = json_loads(json, 0, NULL);
    free(json);
    if (doc && decision)
        json_object_set_new(doc, "decision", json_integer(decision));
    ar_http_reply_json(res, status, doc);
}

/* GET .../{id}: the document for the id in the path. */
static void show_by_id(ar_http_req *req, ar_http_res *res, show_fn show)
{
    int64_t id = ar_http_param_id(req, res, "id");
    if (id)
        reply_shown(req, res, 200, show, id, 0);
}

static void reply_case(ar_http_req *req, ar_http_res *res, int64_t id, int64_t decision)
{
    reply_shown(req, res, 200, ar_case_show_json, id, decision);
}

void ar_http_h_case_get(ar_http_req *req, ar_http_res *res)
{
    show_by_id(req, res, ar_case_show_json);
}

void ar_http_h_case_assign(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"assignee"};
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    bool empty = !req->body || !req->body_len; /* no body: assign to self */
    json_t *doc = !id ? NULL : empty ? json_object() : body_object(req, res, keys, AR_HTTP_LEN(keys));
    if (!doc)
        return;
    const char *to = NULL;
    ar_error err = {0};
    ar_status st = ar_http_get_string(doc, "assignee", false, 64, "", &to, NULL, &err);
    if (st == AR_OK)
        st = ar_case_assign(req->app->wf, actor, id, to ? to : actor, &err);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_case(req, res, id, 0);
}

void ar_http_h_case_escalate(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"reason"};
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    json_t *doc = id ? body_object(req, res, keys, AR_HTTP_LEN(keys)) : NULL;
    if (!doc)
        return;
    const char *why = NULL;
    ar_error err = {0};
    ar_status st = ar_http_get_string(doc, "reason", true, TEXT_MAX, "", &why, NULL, &err);
    if (st == AR_OK)
        st = ar_case_escalate(req->app->wf, actor, id, why, &err);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_case(req, res, id, 0);
}

void ar_http_h_case_decide(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"action",    "standard",       "countries",
                                       "legal_basis", "statement",    "withhold_basis",
                                       "withhold_until"};
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    json_t *doc = id ? body_object(req, res, keys, AR_HTTP_LEN(keys)) : NULL;
    if (!doc)
        return;
    ar_case_decision d = {0};
    ar_error err = {0};
    int64_t did = 0;
    ar_status st = ar_http_get_string(doc, "action", true, 32, "", &d.action, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "standard", false, WORD_MAX, "", &d.standard, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "countries", false, 1024, "", &d.countries, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "legal_basis", false, 512, "", &d.legal_basis, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "statement", true, TEXT_MAX, "", &d.statement, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "withhold_basis", false, 512, "", &d.withhold_basis, NULL,
                                &err);
    if (st == AR_OK)
        st = get_time(doc, "withhold_until", &d.withhold_until, &err);
    if (st == AR_OK)
        st = ar_case_decide(req->app->wf, actor, id, &d, &did, &err);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_case(req, res, id, did);
}

/*---- Notices and appeals ------------------------------------------------------------*/

void ar_http_h_notice_add(ar_http_req *req, ar_http_res *res)
{
    if (!req->body || !req->body_len) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "body",
                             "a notice (JSON) is required");
        return;
    }
    ar_notice *n = NULL;
    ar_error err = {0};
    int64_t cid = 0;
    ar_status st = ar_notice_parse(req->app->ctx, req->body, req->body_len, &n, &err);
    if (st == AR_OK)
        st = ar_notice_add(req->app->wf, ar_notice_fields(n), &cid, &err);
    ar_notice_free(n);
    reply_created(res, st, &err, "case", cid);
}

void ar_http_h_appeal_add(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"decision", "appellant_kind", "grounds"};
    json_t *doc = body_object(req, res, keys, AR_HTTP_LEN(keys));
    if (!doc)
        return;
    const char *kind = NULL, *grounds = NULL;
    int64_t decision = 0, cid = 0;
    ar_error err = {0};
    ar_status st = get_count(doc, "decision", 0, &decision, &err);
    if (st == AR_OK && decision <= 0)
        st = ar_error_set(&err, AR_EINVAL, "decision", "'decision' (the decision's id) is required");
    if (st == AR_OK)
        st = ar_http_get_string(doc, "appellant_kind", false, 32, "", &kind, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "grounds", true, TEXT_MAX, "", &grounds, NULL, &err);
    if (st == AR_OK)
        st = ar_appeal_add(req->app->wf, decision, kind ? kind : "affected_user", grounds, &cid,
                           &err);
    json_decref(doc);
    reply_created(res, st, &err, "case", cid);
}

void ar_http_h_appeal_decide(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"outcome", "statement"};
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    json_t *doc = id ? body_object(req, res, keys, AR_HTTP_LEN(keys)) : NULL;
    if (!doc)
        return;
    const char *outcome = NULL, *statement = NULL;
    int64_t did = 0;
    ar_error err = {0};
    ar_status st = ar_http_get_string(doc, "outcome", true, 16, "", &outcome, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "statement", true, TEXT_MAX, "", &statement, NULL, &err);
    if (st == AR_OK)
        st = ar_appeal_decide(req->app->wf, actor, id, outcome, statement, &did, &err);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_case(req, res, id, did);
}

/*---- Legal requests ------------------------------------------------------------------*/

void ar_http_h_requests_list(ar_http_req *req, ar_http_res *res)
{
    const char *status = ar_http_query(req, "status");
    if (status && (strlen(status) > 32 || !word_ok(status))) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "status",
                             "'status' must be received, in_legal_review, decided, "
                             "users_notified or closed");
        return;
    }
    char *json = NULL;
    ar_error err = {0};
    ar_status st = ar_request_list_json(req->app->wf, status, &json, &err);
    reply_doc_or_error(res, st, &err, json);
}

void ar_http_h_request_get(ar_http_req *req, ar_http_res *res)
{
    show_by_id(req, res, ar_request_show_json);
}

static void reply_request(ar_http_req *req, ar_http_res *res, unsigned status, int64_t id,
                          int64_t decision)
{
    reply_shown(req, res, status, ar_request_show_json, id, decision);
}

void ar_http_h_request_add(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    if (!req->body || !req->body_len) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "body",
                             "a legal request (JSON) is required");
        return;
    }
    ar_legal_request *r = NULL;
    ar_error err = {0};
    int64_t id = 0;
    ar_status st = ar_legal_request_parse(req->app->ctx, req->body, req->body_len, &r, &err);
    if (st == AR_OK)
        st = ar_request_add(req->app->wf, actor, r, &id, &err);
    ar_legal_request_free(r);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_request(req, res, 201, id, 0);
}

void ar_http_h_request_decide(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"item",      "outcome",         "reason",
                                       "standard",  "statement",       "data_categories",
                                       "accounts",  "withhold_basis",  "withhold_until"};
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    json_t *doc = id ? body_object(req, res, keys, AR_HTTP_LEN(keys)) : NULL;
    if (!doc)
        return;
    ar_item_outcome o = {0};
    ar_error err = {0};
    int64_t did = 0;
    ar_status st = ar_http_get_string(doc, "item", true, AR_HTTP_ITEM_ID_MAX, "", &o.item, NULL,
                                      &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "outcome", true, 16, "", &o.outcome, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "reason", false, TEXT_MAX, "", &o.reason, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "standard", false, WORD_MAX, "", &o.standard, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "statement", false, TEXT_MAX, "", &o.statement, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "data_categories", false, 512, "", &o.data_categories, NULL,
                                &err);
    if (st == AR_OK)
        st = get_count(doc, "accounts", -1, &o.accounts, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "withhold_basis", false, 512, "", &o.withhold_basis, NULL,
                                &err);
    if (st == AR_OK)
        st = get_time(doc, "withhold_until", &o.withhold_until, &err);
    if (st == AR_OK)
        st = ar_request_decide(req->app->wf, actor, id, &o, &did, &err);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_request(req, res, 200, id, did);
}

/* Four eyes: {"item"} to sign off, {"item","reason"} to reject. */
static void proposal_step(ar_http_req *req, ar_http_res *res, bool reject)
{
    static const char *const keys[] = {"item", "reason"};
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    json_t *doc = id ? body_object(req, res, keys, reject ? 2 : 1) : NULL;
    if (!doc)
        return;
    const char *item = NULL, *reason = NULL;
    ar_error err = {0};
    int64_t did = 0;
    ar_status st = ar_http_get_string(doc, "item", true, AR_HTTP_ITEM_ID_MAX, "", &item, NULL,
                                      &err);
    if (st == AR_OK && reject)
        st = ar_http_get_string(doc, "reason", true, 1000, "", &reason, NULL, &err);
    if (st == AR_OK)
        st = reject ? ar_request_reject_proposal(req->app->wf, actor, id, item, reason, &err)
                    : ar_request_sign_off(req->app->wf, actor, id, item, &did, &err);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_request(req, res, 200, id, did);
}

void ar_http_h_request_sign_off(ar_http_req *req, ar_http_res *res)
{
    proposal_step(req, res, false);
}

void ar_http_h_request_reject(ar_http_req *req, ar_http_res *res)
{
    proposal_step(req, res, true);
}

static void request_step(ar_http_req *req, ar_http_res *res,
                         ar_status (*step)(ar_workflow *, const char *, int64_t, ar_error *))
{
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    if (!id)
        return;
    ar_error err = {0};
    if (step(req->app->wf, actor, id, &err) != AR_OK)
        ar_http_reply_error(res, &err);
    else
        reply_request(req, res, 200, id, 0);
}

void ar_http_h_request_notified(ar_http_req *req, ar_http_res *res)
{
    request_step(req, res, ar_request_mark_notified);
}

void ar_http_h_request_close(ar_http_req *req, ar_http_res *res)
{
    request_step(req, res, ar_request_close);
}

/*---- Items and the audit log ------------------------------------------------------------*/

void ar_http_h_item_decisions(ar_http_req *req, ar_http_res *res)
{
    char *json = NULL;
    ar_error err = {0};
    ar_status st = ar_item_decisions_json(req->app->wf, ar_http_param(req, "id"), &json, &err);
    if (st != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    json_t *list = json_loads(json, 0, NULL);
    free(json);
    ar_http_reply_json(res, 200,
                       list ? json_pack("{s:s,s:o}", "item", ar_http_param(req, "id"), "decisions",
                                        list)
                            : NULL);
}

/* POST: verify now, keep the result under the caller's login, and answer
 * with the report and the record's id and time. */
void ar_http_h_audit_verify(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    ar_audit_report rep;
    ar_error err = {0};
    int64_t id = 0;
    if (ar_workflow_audit_verify_record(req->app->wf, actor, &rep, &id, &err) != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    ar_http_reply_json(res, 200,
                       json_pack("{s:I,s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:s}", "id", (json_int_t)id,
                                 "ran_by", actor, "result", ar_audit_problem_name(rep.problem),
                                 "intact", rep.problem == AR_AUDIT_INTACT, "first_bad_seq",
                                 (json_int_t)rep.first_bad_seq, "events", (json_int_t)rep.events,
                                 "checkpoints", (json_int_t)rep.checkpoints, "last_checkpoint",
                                 (json_int_t)rep.last_checkpoint, "unsigned_tail",
                                 (json_int_t)rep.unsigned_tail, "message", rep.message));
}

void ar_http_h_audit_verifications(ar_http_req *req, ar_http_res *res)
{
    long long limit = 0;
    if (!query_number(req, res, "limit", 1, 500, &limit))
        return;
    char *json = NULL;
    ar_error err = {0};
    ar_status st = ar_audit_verifications_json(req->app->wf, (size_t)limit, &json, &err);
    reply_doc_or_error(res, st, &err, json);
}
