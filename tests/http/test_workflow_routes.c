/* test_workflow_routes.c - the workflow over HTTP: notices and checks that
 * open cases, deciding them, legal requests restricted in one country only,
 * appeals decided by someone else, console sessions with CSRF, tokens that
 * act for a staff member, and bad input that changes nothing. */
#include "http_test.h"

#include <time.h>

#define CLIENT AR_TOKEN_ROLE_CLIENT
#define MOD    AR_TOKEN_ROLE_MODERATOR
#define LEGAL  AR_TOKEN_ROLE_LEGAL
#define ADMIN  AR_TOKEN_ROLE_ADMIN
#define AUDIT  AR_TOKEN_ROLE_AUDITOR

/* A request with any headers (NULL: absent). */
static void call(ht *f, ar_http_method m, const char *path, const char *authorization,
                 const char *cookie, const char *csrf, const char *body, ar_http_res *res)
{
    ar_http_req req = {0};
    req.app = &f->app;
    req.method = m;
    req.path = path;
    req.authorization = authorization;
    req.cookie = cookie;
    req.csrf = csrf;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    ar_http_dispatch(&req, res);
}

/* Expect `status`; return the body as JSON (caller decrefs). */
static json_t *expect(ar_http_res *res, unsigned status)
{
    if (res->status != status)
        fail_msg("status %u, expected %u: %.*s", res->status, status, (int)res->len, res->body);
    json_t *doc = ht_json(res);
    ar_http_res_free(res);
    return doc;
}

static json_t *as_role(ht *f, ar_http_method m, const char *path, unsigned role, const char *body,
                       unsigned status)
{
    ar_http_res res;
    call(f, m, path, ht_auth(f, role), NULL, NULL, body, &res);
    return expect(&res, status);
}

static int64_t audit_events(ht *f)
{
    ar_store_txn *t = NULL;
    int64_t n = -1;
    assert_int_equal(ar_store_read(ar_workflow_store(f->w), &t, NULL), AR_OK);
    assert_int_equal(ar_store_query_int(t, "SELECT count(*) FROM audit_events", NULL, 0, &n, NULL),
                     AR_OK);
    ar_store_rollback(t);
    return n;
}

static const char *state_of(ht *f, const char *item, const char *cc)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/items/%s/visibility", item);
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, path, "country", cc, CLIENT, NULL, &res);
    json_t *doc = expect(&res, 200);
    static char out[16];
    snprintf(out, sizeof out, "%s", json_string_value(json_object_get(doc, "state")));
    json_decref(doc);
    return out;
}

static const char notice[] =
    "{\"item\":{\"id\":\"post-9\",\"url\":\"https://example.social/p/9\"},"
    "\"notifier_kind\":\"trusted_flagger\",\"notifier_ref\":\"tf-17\",\"category\":\"spam\","
    "\"explanation\":\"a scam link\",\"location\":\"https://example.social/p/9\","
    "\"good_faith\":true}";

static void test_notice_case_is_assigned_decided_and_leaves_the_queue(void **state)
{
    ht *f = ht_new(NULL);
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201);
    int64_t cid = json_integer_value(json_object_get(doc, "case"));
    json_decref(doc);
    assert_true(cid > 0);

    ar_http_res m;
    ht_call(f, AR_HTTP_GET, "/metrics", NULL, NULL, ADMIN, NULL, &m);
    assert_int_equal(m.status, 200);
    assert_non_null(strstr(m.body, "arbiter_cases_open{kind=\"notice\"} 1\n"));
    assert_non_null(strstr(m.body, "arbiter_legal_requests_overdue 0\n"));
    ar_http_res_free(&m);
    doc = as_role(f, AR_HTTP_GET, "/v1/cases", MOD, NULL, 200);
    assert_int_equal(json_array_size(doc), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(doc, 0), "item")),
                        "post-9");
    json_decref(doc);

    char path[64], body[512];
    snprintf(path, sizeof path, "/v1/cases/%lld", (long long)cid);
    doc = as_role(f, AR_HTTP_GET, path, MOD, NULL, 200);
    json_t *n = json_object_get(doc, "notice");
    assert_string_equal(json_string_value(json_object_get(n, "category")), "spam");
    assert_null(json_object_get(n, "notifier_ref")); /* the reviewer judges the item */
    json_decref(doc);

    snprintf(path, sizeof path, "/v1/cases/%lld/assign", (long long)cid);
    doc = as_role(f, AR_HTTP_POST, path, MOD, NULL, 200); /* no body: to self */
    assert_string_equal(json_string_value(json_object_get(doc, "assignee")), "mo");
    assert_string_equal(json_string_value(json_object_get(doc, "state")), "in_review");
    json_decref(doc);

    /* handed on: back to the queue, unassigned, ahead of ordinary work */
    snprintf(path, sizeof path, "/v1/cases/%lld/escalate", (long long)cid);
    doc = as_role(f, AR_HTTP_POST, path, MOD, "{\"reason\":\"needs a senior look\"}", 200);
    assert_string_equal(json_string_value(json_object_get(doc, "state")), "open");
    assert_true(json_is_null(json_object_get(doc, "assignee")));
    assert_int_equal(json_integer_value(json_object_get(doc, "priority")),
                     AR_CASE_PRIORITY_ESCALATED);
    json_decref(doc);
    json_decref(as_role(f, AR_HTTP_POST, path, MOD, "{}", 400));
    ht_call(f, AR_HTTP_GET, "/v1/cases", "older_than_hours", "1", MOD, NULL, &m);
    doc = expect(&m, 200); /* the case is minutes old */
    assert_int_equal(json_array_size(doc), 0);
    json_decref(doc);
    ht_call(f, AR_HTTP_GET, "/v1/cases", "older_than_hours", "-1", MOD, NULL, &m);
    ht_assert_error(&m, 400, "invalid_argument", "older_than_hours");
    ar_http_res_free(&m);

    snprintf(path, sizeof path, "/v1/cases/%lld/decide", (long long)cid);
    snprintf(body, sizeof body,
             "{\"action\":\"remove\",\"standard\":\"spam\",\"statement\":\"A scam link.\"}");
    doc = as_role(f, AR_HTTP_POST, path, MOD, body, 200);
    assert_true(json_integer_value(json_object_get(doc, "decision")) > 0);
    assert_string_equal(json_string_value(json_object_get(doc, "state")), "decided");
    json_decref(doc);

    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/cases", "state", "open", MOD, NULL, &res);
    doc = expect(&res, 200);
    assert_int_equal(json_array_size(doc), 0);
    json_decref(doc);
    assert_string_equal(state_of(f, "post-9", "PK"), "removed");
    doc = as_role(f, AR_HTTP_GET, "/v1/items/post-9/decisions", AUDIT, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(doc, "decisions")), 1);
    json_decref(doc);
    ht_free(f);
}

static void test_changes_need_a_named_person_and_the_right_role(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201));
    char tok[AR_TOKEN_CHARS + 1], hdr[AR_TOKEN_CHARS + 16];
    assert_int_equal(ar_token_create(f->w, "test", "anon", MOD, NULL, tok, NULL, NULL), AR_OK);
    snprintf(hdr, sizeof hdr, "Bearer %s", tok);
    int64_t before = audit_events(f);
    const char *decide = "{\"action\":\"remove\",\"standard\":\"spam\",\"statement\":\"x\"}";
    /* an admin token acts for ada, but admins do not decide cases */
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/cases/1/decide", NULL, NULL, ADMIN, decide, &res);
    ht_assert_error(&res, 403, "permission_denied", NULL);
    ar_http_res_free(&res);
    /* a moderator token that acts for nobody cannot change anything */
    call(f, AR_HTTP_POST, "/v1/cases/1/decide", hdr, NULL, NULL, decide, &res);
    ht_assert_error(&res, 403, "permission_denied", "authorization");
    ar_http_res_free(&res);
    /* a token may not hold a role its staff member lacks */
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/tokens", ADMIN,
                          "{\"roles\":[\"legal\"],\"staff\":\"mo\"}", 403);
    json_decref(doc);
    assert_int_equal(audit_events(f), before);
    ht_free(f);
}

static void test_legal_request_restricts_in_that_country_only(void **state)
{
    ht *f = ht_new(NULL);
    const char *order =
        "{\"authority\":{\"name\":\"PTA\",\"country\":\"PK\",\"branch\":\"regulator\"},"
        "\"legal_basis\":{\"instrument\":\"PECA 2016\",\"provision\":\"s. 37\"},"
        "\"kind\":\"content_restriction\",\"received_at\":\"2026-11-20T10:00:00Z\","
        "\"items\":[{\"id\":\"post-1\",\"url\":\"https://example.social/p/1\"},"
        "{\"id\":\"post-2\"}]}";
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/requests", NULL, NULL, MOD, order, &res);
    ht_assert_error(&res, 403, "permission_denied", "authorization");
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/v1/requests", NULL, NULL, ADMIN, NULL, &res);
    ht_assert_error(&res, 403, "permission_denied", "authorization");
    ar_http_res_free(&res);

    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/requests", LEGAL, order, 201);
    int64_t id = json_integer_value(json_object_get(doc, "id"));
    json_decref(doc);
    assert_true(id > 0);
    char path[64];
    snprintf(path, sizeof path, "/v1/requests/%lld/decide", (long long)id);
    doc = as_role(f, AR_HTTP_POST, path, LEGAL,
                  "{\"item\":\"post-1\",\"outcome\":\"restrict\",\"statement\":\"Unlawful in "
                  "Pakistan under s. 37; not against our standards.\"}",
                  200);
    json_decref(doc);
    assert_string_equal(state_of(f, "post-1", "PK"), "restricted");
    assert_string_equal(state_of(f, "post-1", "IN"), "visible");
    doc = as_role(f, AR_HTTP_GET, "/v1/items/post-1/visibility", CLIENT, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(doc, "state")), "restricted");
    json_t *in = json_object_get(doc, "restricted_in");
    assert_int_equal(json_array_size(in), 1);
    assert_string_equal(json_string_value(json_array_get(in, 0)), "PK");
    json_decref(doc);
    doc = as_role(f, AR_HTTP_POST, path, LEGAL,
                  "{\"item\":\"post-2\",\"outcome\":\"decline\",\"reason\":\"overbroad\"}", 200);
    assert_string_equal(json_string_value(json_object_get(doc, "status")), "decided");
    json_decref(doc);
    assert_string_equal(state_of(f, "post-2", "PK"), "visible");
    snprintf(path, sizeof path, "/v1/requests/%lld", (long long)id);
    json_decref(as_role(f, AR_HTTP_GET, path, LEGAL, NULL, 200));
    ht_free(f);
}

static void test_appeal_is_decided_by_someone_else(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201));
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/cases/1/decide", MOD,
                          "{\"action\":\"remove\",\"standard\":\"spam\",\"statement\":\"x\"}", 200);
    int64_t did = json_integer_value(json_object_get(doc, "decision"));
    json_decref(doc);
    char body[128];
    snprintf(body, sizeof body, "{\"decision\":%lld,\"grounds\":\"It was satire.\"}",
             (long long)did);
    doc = as_role(f, AR_HTTP_POST, "/v1/appeals", CLIENT, body, 201);
    int64_t appeal = json_integer_value(json_object_get(doc, "case"));
    json_decref(doc);
    char path[64];
    snprintf(path, sizeof path, "/v1/appeals/%lld/decide", (long long)appeal);
    const char *reverse = "{\"outcome\":\"reversed\",\"statement\":\"Satire, on a second look.\"}";
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, path, NULL, NULL, MOD, reverse, &res); /* the original decider */
    ht_assert_error(&res, 403, "permission_denied", NULL);
    ar_http_res_free(&res);
    char tok[AR_TOKEN_CHARS + 1], hdr[AR_TOKEN_CHARS + 16];
    assert_int_equal(ar_token_create(f->w, "test", "mo2", MOD, "mo2", tok, NULL, NULL), AR_OK);
    snprintf(hdr, sizeof hdr, "Bearer %s", tok);
    call(f, AR_HTTP_POST, path, hdr, NULL, NULL, reverse, &res);
    json_decref(expect(&res, 200));
    assert_string_equal(state_of(f, "post-9", "PK"), "visible");
    ht_free(f);
}

/* Sign in as `login`; the cookie header and CSRF token go to the buffers. */
static void sign_in(ht *f, const char *login, char *cookie, size_t size, char *csrf)
{
    char body[128];
    snprintf(body, sizeof body, "{\"login\":\"%s\",\"password\":\"correct horse battery\"}", login);
    ar_http_res res;
    call(f, AR_HTTP_POST, "/v1/session", NULL, NULL, NULL, body, &res);
    const char *set = NULL;
    for (size_t i = 0; i < res.nheaders; i++)
        if (!strcmp(res.headers[i].key, "Set-Cookie"))
            set = res.headers[i].value;
    assert_non_null(set);
    assert_non_null(strstr(set, "HttpOnly"));
    assert_non_null(strstr(set, "SameSite=Strict"));
    snprintf(cookie, size, "theme=dark; %.*s", (int)strcspn(set, ";"), set);
    json_t *doc = expect(&res, 201);
    assert_string_equal(json_string_value(json_object_get(doc, "role")), "moderator");
    snprintf(csrf, AR_CSRF_CHARS + 1, "%s", json_string_value(json_object_get(doc, "csrf_token")));
    json_decref(doc);
}

static void test_console_session_needs_csrf_to_change_anything(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201));
    ar_http_res res;
    call(f, AR_HTTP_POST, "/v1/session", NULL, NULL, NULL,
         "{\"login\":\"mo\",\"password\":\"wrong password!\"}", &res);
    ht_assert_error(&res, 401, "unauthenticated", "password");
    ar_http_res_free(&res);

    char cookie[256], csrf[AR_CSRF_CHARS + 1];
    sign_in(f, "mo", cookie, sizeof cookie, csrf);
    call(f, AR_HTTP_GET, "/v1/cases", NULL, cookie, NULL, NULL, &res);
    json_decref(expect(&res, 200)); /* reading needs no CSRF token */
    call(f, AR_HTTP_POST, "/v1/cases/1/assign", NULL, cookie, NULL, NULL, &res);
    ht_assert_error(&res, 403, "csrf_token_invalid", "x-csrf-token");
    ar_http_res_free(&res);
    call(f, AR_HTTP_POST, "/v1/cases/1/assign", NULL, cookie, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
         NULL, &res);
    ht_assert_error(&res, 403, "csrf_token_invalid", NULL);
    ar_http_res_free(&res);
    call(f, AR_HTTP_POST, "/v1/cases/1/assign", NULL, cookie, csrf, NULL, &res);
    json_t *doc = expect(&res, 200);
    assert_string_equal(json_string_value(json_object_get(doc, "assignee")), "mo");
    json_decref(doc);
    call(f, AR_HTTP_GET, "/v1/session", NULL, cookie, NULL, NULL, &res);
    doc = expect(&res, 200);
    assert_string_equal(json_string_value(json_object_get(doc, "csrf_token")), csrf);
    json_decref(doc);
    call(f, AR_HTTP_GET, "/v1/requests", NULL, cookie, NULL, NULL, &res); /* moderator */
    ht_assert_error(&res, 403, "permission_denied", NULL);
    ar_http_res_free(&res);
    call(f, AR_HTTP_DELETE, "/v1/session", NULL, cookie, csrf, NULL, &res);
    json_decref(expect(&res, 200));
    call(f, AR_HTTP_GET, "/v1/cases", NULL, cookie, NULL, NULL, &res);
    ht_assert_error(&res, 401, "unauthenticated", NULL);
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_sign_in_attempts_are_limited_per_login(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_res res;
    unsigned limited = 0;
    for (int i = 0; i < 8; i++) {
        call(f, AR_HTTP_POST, "/v1/session", NULL, NULL, NULL,
             "{\"login\":\"lee\",\"password\":\"not the password\"}", &res);
        limited += res.status == 429;
        assert_true(res.status == 401 || res.status == 429);
        ar_http_res_free(&res);
    }
    assert_int_equal(limited, 3); /* a burst of five, then one every 12 s */
    char cookie[256], csrf[AR_CSRF_CHARS + 1]; /* another login is not held up */
    sign_in(f, "mo", cookie, sizeof cookie, csrf);
    ht_free(f);
}

static void test_tokens_made_listed_and_revoked_over_http(void **state)
{
    ht *f = ht_new(NULL);
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/tokens", ADMIN,
                          "{\"name\":\"queue-bot\",\"roles\":[\"moderator\"],\"staff\":\"mo2\"}", 201);
    char hdr[AR_TOKEN_CHARS + 16];
    snprintf(hdr, sizeof hdr, "Bearer %s", json_string_value(json_object_get(doc, "token")));
    int64_t id = json_integer_value(json_object_get(doc, "id"));
    json_decref(doc);
    ar_http_res res;
    call(f, AR_HTTP_GET, "/v1/cases", hdr, NULL, NULL, NULL, &res);
    json_decref(expect(&res, 200));
    doc = as_role(f, AR_HTTP_GET, "/v1/tokens", ADMIN, NULL, 200);
    char *dump = json_dumps(doc, 0);
    assert_null(strstr(dump, "arb_")); /* never a secret */
    assert_non_null(strstr(dump, "queue-bot"));
    free(dump);
    json_decref(doc);
    char path[64];
    snprintf(path, sizeof path, "/v1/tokens/%lld", (long long)id);
    json_decref(as_role(f, AR_HTTP_DELETE, path, ADMIN, NULL, 200));
    call(f, AR_HTTP_GET, "/v1/cases", hdr, NULL, NULL, NULL, &res); /* at once, despite the cache */
    ht_assert_error(&res, 401, "unauthenticated", NULL);
    ar_http_res_free(&res);
    json_decref(as_role(f, AR_HTTP_DELETE, path, ADMIN, NULL, 409));
    json_decref(as_role(f, AR_HTTP_DELETE, "/v1/tokens/999", ADMIN, NULL, 404));
    ht_free(f);
}

static void test_check_with_record_opens_a_case_and_bad_batches_store_nothing(void **state)
{
    ht *f = ht_new(NULL);
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/check", CLIENT,
                          "{\"id\":\"post-5\",\"text\":\"free money here\",\"record\":true}", 200);
    int64_t cid = json_integer_value(json_object_get(doc, "case"));
    assert_true(cid > 0);
    json_decref(doc);
    char path[64];
    snprintf(path, sizeof path, "/v1/cases/%lld", (long long)cid);
    doc = as_role(f, AR_HTTP_GET, path, MOD, NULL, 200); /* the reviewer sees the text */
    assert_string_equal(json_string_value(json_object_get(doc, "text")), "free money here");
    json_decref(doc);
    int64_t before = audit_events(f);
    /* the second item is bad: the first must not be recorded either */
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/check:batch", NULL, NULL, CLIENT,
            "{\"items\":[{\"id\":\"post-6\",\"text\":\"kill all of them\",\"record\":true},"
            "{\"text\":\"free money\",\"record\":true}]}",
            &res);
    ht_assert_error(&res, 400, "invalid_argument", "items[1].id");
    ar_http_res_free(&res);
    assert_int_equal(audit_events(f), before);
    assert_string_equal(state_of(f, "post-6", "PK"), "visible");
    doc = as_role(f, AR_HTTP_POST, "/v1/check:batch", CLIENT,
                  "{\"items\":[{\"id\":\"post-6\",\"text\":\"kill all of them\",\"record\":true},"
                  "{\"id\":\"post-7\",\"text\":\"hello\",\"record\":true}]}",
                  200);
    assert_true(json_integer_value(json_object_get(json_array_get(json_object_get(doc, "results"), 0),
                                                   "decision")) > 0);
    json_decref(doc);
    assert_string_equal(state_of(f, "post-6", "PK"), "removed");
    ht_free(f);
}

static void test_bad_workflow_bodies_are_4xx_and_change_nothing(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201));
    int64_t before = audit_events(f);
    static const struct {
        ar_http_method m;
        const char *path;
        unsigned role;
        const char *body;
        unsigned status;
        const char *field;
    } bad[] = {
        {AR_HTTP_POST, "/v1/notices", CLIENT, "{\"item\":{\"id\":\"p\"},\"phone\":\"+92300\"}", 400,
         "phone"},
        {AR_HTTP_POST, "/v1/notices", CLIENT, "[1,2]", 400, "body"},
        /* jansson quotes the input near a fault, here cut inside a UTF-8
         * character: the answer is still a 400 that quotes nothing */
        {AR_HTTP_POST, "/v1/check", CLIENT, "{\"text\":\"}`f\\ud9\xda\x87" "eeo\"}", 400, "body"},
        {AR_HTTP_POST, "/v1/notices", CLIENT, "{\"item\":\"\\ud9\xda\x87" "ee\"}", 400, "body"},
        {AR_HTTP_POST, "/v1/notices", CLIENT, "{\"item\":{\"id\":7}}", 400, "item.id"},
        {AR_HTTP_POST, "/v1/cases/abc/decide", MOD, "{}", 400, "id"},
        {AR_HTTP_POST, "/v1/cases/0/decide", MOD, "{}", 400, "id"},
        {AR_HTTP_POST, "/v1/cases/1/decide", MOD, "{\"action\":\"remove\"}", 400, "statement"},
        {AR_HTTP_POST, "/v1/cases/1/decide", MOD, "{\"action\":1,\"statement\":\"x\"}", 400,
         "action"},
        {AR_HTTP_POST, "/v1/cases/1/decide", MOD,
         "{\"action\":\"restrict\",\"statement\":\"x\",\"countries\":\"PK\",\"legal_basis\":\"y\"}",
         403, NULL},
        {AR_HTTP_POST, "/v1/cases/1/decide", MOD,
         "{\"action\":\"label\",\"statement\":\"x\",\"withhold_until\":\"tomorrow\"}", 400,
         "withhold_until"},
        {AR_HTTP_POST, "/v1/cases/99/decide", MOD,
         "{\"action\":\"remove\",\"standard\":\"spam\",\"statement\":\"x\"}", 404, NULL},
        {AR_HTTP_POST, "/v1/cases/1/assign", MOD, "{\"assignee\":\"nobody\"}", 404, NULL},
        {AR_HTTP_POST, "/v1/appeals", CLIENT, "{\"decision\":-1,\"grounds\":\"x\"}", 400,
         "decision"},
        {AR_HTTP_POST, "/v1/appeals", CLIENT, "{\"decision\":12345,\"grounds\":\"x\"}", 404, NULL},
        {AR_HTTP_POST, "/v1/requests", LEGAL, "{\"authority\":{}}", 400, NULL},
        {AR_HTTP_POST, "/v1/requests/1/decide", LEGAL, "{\"item\":\"p\",\"outcome\":\"restrict\"}",
         404, NULL},
        {AR_HTTP_POST, "/v1/staff", ADMIN, "{\"login\":\"bad login\",\"role\":\"moderator\"}", 400,
         "login"},
        {AR_HTTP_POST, "/v1/tokens", ADMIN, "{\"roles\":[]}", 400, "roles"},
        {AR_HTTP_POST, "/v1/session", 0, "{\"login\":\"mo\"}", 400, "password"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ar_http_res res;
        ht_call(f, bad[i].m, bad[i].path, NULL, NULL, bad[i].role, bad[i].body, &res);
        if (res.status != bad[i].status)
            fail_msg("case %zu (%s): %u, expected %u: %.*s", i, bad[i].path, res.status,
                     bad[i].status, (int)res.len, res.body);
        json_t *doc = ht_json(&res);
        json_t *e = json_object_get(doc, "error");
        assert_true(json_is_string(json_object_get(e, "code")));
        if (bad[i].field && strcmp(json_string_value(json_object_get(e, "field")), bad[i].field))
            fail_msg("case %zu: field '%s', expected '%s'", i,
                     json_string_value(json_object_get(e, "field")), bad[i].field);
        json_decref(doc);
        ar_http_res_free(&res);
    }
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/cases", "state", "open' OR 1=1", MOD, NULL, &res);
    ht_assert_error(&res, 400, "invalid_argument", "state");
    ar_http_res_free(&res);
    assert_int_equal(audit_events(f), before);
    ht_free(f);
}

static void test_policy_swap_is_audited_and_audit_verifies(void **state)
{
    ht *f = ht_new(NULL);
    int64_t before = audit_events(f);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/policy", ADMIN,
                        "version: 1\nstandards:\n  - id: spam\n    action: review\n    rules:\n"
                        "      - terms: [\"win a prize\"]\n",
                        200));
    assert_int_equal(audit_events(f), before + 1);
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/audit/verify", AUDIT, NULL, 200);
    assert_true(json_is_true(json_object_get(doc, "intact")));
    json_decref(doc);
    ht_free(f);
}

/* Each verification is kept, newest first, under who ran it, and audited. */
static void test_audit_verifications_are_kept_and_listed(void **state)
{
    ht *f = ht_new(NULL);
    json_t *none = as_role(f, AR_HTTP_GET, "/v1/audit/verifications", AUDIT, NULL, 200);
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
    int64_t before = audit_events(f);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/audit/verify", AUDIT, NULL, 200));
    json_t *second = as_role(f, AR_HTTP_POST, "/v1/audit/verify", ADMIN, NULL, 200);
    assert_int_equal(audit_events(f), before + 2);
    json_t *list = as_role(f, AR_HTTP_GET, "/v1/audit/verifications", ADMIN, NULL, 200);
    assert_int_equal(json_array_size(list), 2);
    json_t *last = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(last, "id")),
                     json_integer_value(json_object_get(second, "id")));
    assert_string_equal(json_string_value(json_object_get(last, "ran_by")), "ada");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "ran_by")),
                        "aud");
    assert_true(json_is_true(json_object_get(last, "intact")));
    assert_string_equal(json_string_value(json_object_get(last, "result")), "intact");
    /* the second run saw the first run's audit event */
    assert_int_equal(json_integer_value(json_object_get(last, "events")),
                     json_integer_value(json_object_get(json_array_get(list, 1), "events")) + 1);
    assert_true(json_is_null(json_object_get(last, "first_bad_seq")));
    json_decref(list);
    json_decref(second);
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/audit/verifications", "limit", "1", AUDIT, NULL, &res);
    list = expect(&res, 200);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    ht_call(f, AR_HTTP_GET, "/v1/audit/verifications", "limit", "501", AUDIT, NULL, &res);
    ht_assert_error(&res, 400, "invalid_argument", "limit");
    ar_http_res_free(&res);
    ht_free(f);
}

/* Four eyes over HTTP: a policy swap that names content restrictions makes
 * a legal reviewer's outcome a proposal; the proposer's sign-off is 403,
 * a second reviewer's applies it in that country only. */
static void test_four_eyes_sign_off_over_http(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/policy", ADMIN,
                        "version: 1\nstandards:\n  - id: spam\n    action: review\n    rules:\n"
                        "      - terms: [\"win a prize\"]\nlegal_review:\n"
                        "  four_eyes: [content_restriction]\n",
                        200));
    char tok[AR_TOKEN_CHARS + 1], second[AR_TOKEN_CHARS + 16];
    ar_error err;
    assert_int_equal(ar_token_create(f->w, "ada", "second", AR_TOKEN_ROLE_LEGAL, "lee2", tok, NULL,
                                     &err),
                     AR_OK);
    snprintf(second, sizeof second, "Bearer %s", tok);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/requests", LEGAL,
                        "{\"authority\":{\"name\":\"PTA\",\"country\":\"PK\",\"branch\":"
                        "\"regulator\"},\"legal_basis\":{\"instrument\":\"PECA 2016\","
                        "\"provision\":\"s.37\"},\"kind\":\"content_restriction\","
                        "\"received_at\":\"2026-11-20T10:00:00Z\",\"items\":[{\"id\":\"post-40\"}]}",
                        201));
    json_t *doc = as_role(f, AR_HTTP_POST, "/v1/requests/1/decide", LEGAL,
                          "{\"item\":\"post-40\",\"outcome\":\"restrict\"}", 200);
    assert_true(json_is_true(json_object_get(doc, "four_eyes")));
    json_t *it = json_array_get(json_object_get(doc, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(it, "proposed_outcome")), "restrict");
    assert_string_equal(json_string_value(json_object_get(it, "proposed_by")), "lee");
    assert_true(json_is_null(json_object_get(it, "outcome")));
    json_decref(doc);
    assert_string_equal(state_of(f, "post-40", "PK"), "visible");
    ar_http_res res;
    call(f, AR_HTTP_POST, "/v1/requests/1/sign-off", ht_auth(f, LEGAL), NULL, NULL,
         "{\"item\":\"post-40\"}", &res);
    ht_assert_error(&res, 403, "permission_denied", "as");
    ar_http_res_free(&res);
    call(f, AR_HTTP_POST, "/v1/requests/1/reject", second, NULL, NULL, "{\"item\":\"post-40\"}",
         &res);
    ht_assert_error(&res, 400, "invalid_argument", "reason");
    ar_http_res_free(&res);
    call(f, AR_HTTP_POST, "/v1/requests/1/sign-off", second, NULL, NULL,
         "{\"item\":\"post-40\",\"extra\":1}", &res);
    ht_assert_error(&res, 400, "invalid_argument", "extra");
    ar_http_res_free(&res);
    call(f, AR_HTTP_POST, "/v1/requests/1/sign-off", second, NULL, NULL, "{\"item\":\"post-40\"}",
         &res);
    doc = expect(&res, 200);
    assert_true(json_integer_value(json_object_get(doc, "decision")) > 0);
    it = json_array_get(json_object_get(doc, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(it, "outcome")), "restrict");
    assert_string_equal(json_string_value(json_object_get(it, "signed_off_by")), "lee2");
    json_decref(doc);
    assert_string_equal(state_of(f, "post-40", "PK"), "restricted");
    assert_string_equal(state_of(f, "post-40", "IN"), "visible");
    ht_free(f);
}

/* The queue filters by where a case came from and by the item's language. */
static void test_queue_filters_by_source_and_language(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201)); /* trusted flagger */
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT,
                        "{\"item\":{\"id\":\"post-10\",\"lang\":\"EN-gb\"},\"notifier_kind\":\"user\","
                        "\"category\":\"spam\",\"explanation\":\"x\",\"location\":\"p10\","
                        "\"good_faith\":true}",
                        201));
    json_decref(as_role(f, AR_HTTP_POST, "/v1/check", CLIENT,
                        "{\"id\":\"post-11\",\"text\":\"free money now\",\"lang\":\"ur-PK\","
                        "\"record\":true}",
                        200));
    struct {
        const char *key, *value, *item;
        size_t n;
    } want[] = {{"source", "trusted_flagger", "post-9", 1}, {"source", "user_notice", "post-10", 1},
                {"source", "automated", "post-11", 1},      {"source", "appeal", NULL, 0},
                {"lang", "ur", "post-11", 1},               {"lang", "en", "post-10", 1}, {"lang", "de", NULL, 0}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ar_http_res res;
        ht_call(f, AR_HTTP_GET, "/v1/cases", want[i].key, want[i].value, MOD, NULL, &res);
        json_t *list = expect(&res, 200);
        if (json_array_size(list) != want[i].n)
            fail_msg("%s=%s: %zu cases, expected %zu", want[i].key, want[i].value,
                     json_array_size(list), want[i].n);
        if (want[i].item) {
            json_t *c = json_array_get(list, 0);
            assert_string_equal(json_string_value(json_object_get(c, "item")), want[i].item);
            if (!strcmp(want[i].key, "source"))
                assert_string_equal(json_string_value(json_object_get(c, "source")),
                                    want[i].value);
        }
        json_decref(list);
    }
    json_t *all = as_role(f, AR_HTTP_GET, "/v1/cases", MOD, NULL, 200);
    assert_int_equal(json_array_size(all), 3);
    json_decref(all);
    /* a language that is no BCP 47 tag is refused, naming the field */
    ar_http_res bad_lang;
    call(f, AR_HTTP_POST, "/v1/notices", ht_auth(f, CLIENT), NULL, NULL,
         "{\"item\":{\"id\":\"post-12\",\"lang\":\"e1\"},\"notifier_kind\":\"user\","
         "\"category\":\"spam\",\"explanation\":\"x\",\"location\":\"p12\",\"good_faith\":true}",
         &bad_lang);
    ht_assert_error(&bad_lang, 400, "invalid_argument", "item.lang");
    ar_http_res_free(&bad_lang);
    const char *bad[][2] = {{"source", "robot"}, {"lang", "EN"}, {"lang", "e"}, {"lang", "en-gb"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ar_http_res res;
        ht_call(f, AR_HTTP_GET, "/v1/cases", bad[i][0], bad[i][1], MOD, NULL, &res);
        ht_assert_error(&res, 400, "invalid_argument", bad[i][0]);
        ar_http_res_free(&res);
    }
    ht_free(f);
}

static void test_reports_and_exports_over_http(void **state)
{
    ht *f = ht_new(NULL);
    json_decref(as_role(f, AR_HTTP_POST, "/v1/notices", CLIENT, notice, 201));
    json_decref(as_role(f, AR_HTTP_POST, "/v1/cases/1/decide", MOD,
                        "{\"action\":\"remove\",\"standard\":\"spam\",\"statement\":\"x\"}",
                        200));
    char year[8];
    time_t now = time(NULL);
    strftime(year, sizeof year, "%Y", gmtime(&now));
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/reports", "period", year, AUDIT, NULL, &res);
    json_t *doc = expect(&res, 200);
    assert_non_null(json_object_get(doc, "schema"));
    json_decref(doc);
    ar_http_req req = {.app = &f->app, .method = AR_HTTP_GET, .path = "/v1/reports",
                       .authorization = ht_auth(f, LEGAL), .nquery = 2};
    req.query[0] = (ar_http_kv){"period", year};
    req.query[1] = (ar_http_kv){"format", "html"};
    ar_http_dispatch(&req, &res);
    assert_int_equal(res.status, 200);
    assert_string_equal(res.content_type, "text/html; charset=utf-8");
    assert_non_null(strstr(res.body, "<svg"));
    bool named = false;
    for (size_t i = 0; i < res.nheaders; i++)
        named |= !strcmp(res.headers[i].key, "Content-Disposition") &&
                 strstr(res.headers[i].value, ".html\"") != NULL;
    assert_true(named);
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/v1/reports", "period", "2026H3", AUDIT, NULL, &res);
    ht_assert_error(&res, 400, "invalid_argument", "period");
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/v1/reports", "period", year, MOD, NULL, &res);
    ht_assert_error(&res, 403, "permission_denied", NULL);
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/v1/exports/sor", "period", year, AUDIT, NULL, &res);
    assert_int_equal(res.status, 200); /* the removal is global: it touches the EEA */
    assert_non_null(strstr(res.body, "\"decision_ground\""));
    assert_null(strstr(res.body, "tf-17")); /* no notifier */
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/v1/exports/orders", "format", "csv", ADMIN, NULL, &res);
    assert_int_equal(res.status, 200);
    ar_http_res_free(&res);
    ht_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_case_is_assigned_decided_and_leaves_the_queue),
        cmocka_unit_test(test_changes_need_a_named_person_and_the_right_role),
        cmocka_unit_test(test_legal_request_restricts_in_that_country_only),
        cmocka_unit_test(test_appeal_is_decided_by_someone_else),
        cmocka_unit_test(test_console_session_needs_csrf_to_change_anything),
        cmocka_unit_test(test_sign_in_attempts_are_limited_per_login),
        cmocka_unit_test(test_tokens_made_listed_and_revoked_over_http),
        cmocka_unit_test(test_check_with_record_opens_a_case_and_bad_batches_store_nothing),
        cmocka_unit_test(test_bad_workflow_bodies_are_4xx_and_change_nothing),
        cmocka_unit_test(test_policy_swap_is_audited_and_audit_verifies),
        cmocka_unit_test(test_audit_verifications_are_kept_and_listed),
        cmocka_unit_test(test_queue_filters_by_source_and_language),
        cmocka_unit_test(test_four_eyes_sign_off_over_http),
        cmocka_unit_test(test_reports_and_exports_over_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
