/* test_routes.c - the route table drives routing, authorisation and the
 * OpenAPI document: walk every route x every role, unknown routes and
 * methods, the error shape, the status table, rate limits. */
#include "http_test.h"

/* A path that matches the route's pattern ({id} -> "item-1"). */
static void concrete_path(const char *pattern, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 8 < size; p++) {
        if (*p == '{') {
            o += (size_t)snprintf(out + o, size - o, "item-1");
            p = strchr(p, '}');
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static void test_every_route_by_every_role_follows_the_table(void **state)
{
    ht *f = ht_new(NULL);
    unsigned roles[] = {0, AR_TOKEN_ROLE_CLIENT, AR_TOKEN_ROLE_MODERATOR, AR_TOKEN_ROLE_LEGAL,
                        AR_TOKEN_ROLE_ADMIN, AR_TOKEN_ROLE_AUDITOR};
    size_t checked = 0;
    for (size_t r = 0; r < ar_http_nroutes; r++) {
        const ar_http_route *rt = &ar_http_routes[r];
        char path[128];
        concrete_path(rt->pattern, path, sizeof path);
        for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
            ar_http_res res;
            /* no body: a route the caller may use answers 400 or 2xx, never 401/403 */
            ht_call(f, rt->method, path, "country", "PK", roles[k], NULL, &res);
            unsigned want;
            if (rt->roles == AR_HTTP_PUBLIC)
                want = 0; /* anything but 401/403 */
            else if (!roles[k])
                want = 401;
            else if (!(rt->roles & roles[k]))
                want = 403;
            else
                want = 0;
            if (want) {
                if (res.status != want)
                    fail_msg("%s %s as %s: %u, expected %u", ar_http_method_name(rt->method),
                             rt->pattern, roles[k] ? ar_token_role_name(roles[k]) : "(none)",
                             res.status, want);
                ht_assert_error(&res, want, want == 401 ? "unauthenticated" : "permission_denied",
                                "authorization");
                if (want == 401) {
                    bool www = false;
                    for (size_t h = 0; h < res.nheaders; h++)
                        www |= !strcmp(res.headers[h].key, "WWW-Authenticate");
                    assert_true(www);
                }
            } else if (res.status == 401 || res.status == 403 || res.status >= 500) {
                fail_msg("%s %s as %s: %u: %.*s", ar_http_method_name(rt->method), rt->pattern,
                         roles[k] ? ar_token_role_name(roles[k]) : "(none)", res.status,
                         (int)res.len, res.body);
            }
            ar_http_res_free(&res);
            checked++;
        }
    }
    assert_int_equal(checked, ar_http_nroutes * 6);
    ht_free(f);
}

static void test_client_role_reaches_only_check_and_visibility(void **state)
{
    for (size_t r = 0; r < ar_http_nroutes; r++) {
        const ar_http_route *rt = &ar_http_routes[r];
        /* check, visibility, forwarding users' notices and appeals, and HMA's
         * hasher and matcher (/h, /m, /status) */
        bool client_route = !strncmp(rt->pattern, "/v1/check", 9) ||
                            !strncmp(rt->pattern, "/h/", 3) || !strncmp(rt->pattern, "/m/", 3) ||
                            !strcmp(rt->pattern, "/status") ||
                            strstr(rt->pattern, "visibility") != NULL ||
                            !strcmp(rt->pattern, "/v1/notices") ||
                            !strcmp(rt->pattern, "/v1/appeals");
        if (rt->roles != AR_HTTP_PUBLIC)
            assert_int_equal(!!(rt->roles & AR_TOKEN_ROLE_CLIENT), client_route);
    }
}

static void test_unknown_route_is_404_json_and_wrong_method_405_with_allow(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/nope", NULL, NULL, AR_TOKEN_ROLE_ADMIN, NULL, &res);
    ht_assert_error(&res, 404, "not_found", "path");
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/v1/items//visibility", NULL, NULL, AR_TOKEN_ROLE_CLIENT, NULL, &res);
    ht_assert_error(&res, 404, "not_found", NULL);
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_DELETE, "/v1/check", NULL, NULL, AR_TOKEN_ROLE_CLIENT, NULL, &res);
    ht_assert_error(&res, 405, "method_not_allowed", "method");
    assert_int_equal(res.nheaders, 1);
    assert_string_equal(res.headers[0].key, "Allow");
    assert_string_equal(res.headers[0].value, "POST");
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_PUT, "/v1/policy", NULL, NULL, AR_TOKEN_ROLE_ADMIN, NULL, &res);
    ht_assert_error(&res, 405, "method_not_allowed", NULL);
    assert_string_equal(res.headers[0].value, "GET, POST");
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_bad_and_unknown_tokens_are_401(void **state)
{
    ht *f = ht_new(NULL);
    const char *headers[] = {"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer arb_short",
                             "Bearer arb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                             "Bearer arb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!", "bearer x y"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        ar_http_req req = {.app = &f->app, .method = AR_HTTP_POST, .path = "/v1/check",
                           .authorization = headers[i], .body = "{\"text\":\"x\"}",
                           .body_len = 12};
        ar_http_res res;
        ar_http_dispatch(&req, &res);
        ht_assert_error(&res, 401, "unauthenticated", "authorization");
        /* the message never echoes the token */
        assert_null(strstr(res.body, "AAAAAAAA"));
        ar_http_res_free(&res);
    }
    /* the scheme is case-insensitive */
    char h[AR_TOKEN_CHARS + 16];
    snprintf(h, sizeof h, "bearer %s", f->tokens[0]);
    ar_http_req req = {.app = &f->app, .method = AR_HTTP_POST, .path = "/v1/check",
                       .authorization = h, .body = "{\"text\":\"x\"}", .body_len = 12};
    ar_http_res res;
    ar_http_dispatch(&req, &res);
    assert_int_equal(res.status, 200);
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_status_table_never_maps_bad_input_to_500(void **state)
{
    assert_int_equal(ar_http_status_of(AR_OK), 200);
    assert_int_equal(ar_http_status_of(AR_EINVAL), 400);
    assert_int_equal(ar_http_status_of(AR_ENOTFOUND), 404);
    assert_int_equal(ar_http_status_of(AR_ECONFLICT), 409);
    assert_int_equal(ar_http_status_of(AR_EDENIED), 403);
    assert_int_equal(ar_http_status_of(AR_ETOOBIG), 413);
    assert_int_equal(ar_http_status_of(AR_EINTERNAL), 500);
    assert_int_equal(ar_http_status_of((ar_status)999), 500);
}

static void test_rate_limit_answers_429_with_retry_after(void **state)
{
    ar_http_config cfg = {.rate = 0.001, .burst = 3};
    ht *f = ht_new(&cfg);
    ar_http_res res;
    for (int i = 0; i < 3; i++) {
        ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, AR_TOKEN_ROLE_CLIENT, "{\"text\":\"a\"}",
                &res);
        assert_int_equal(res.status, 200);
        ar_http_res_free(&res);
    }
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, AR_TOKEN_ROLE_CLIENT, "{\"text\":\"a\"}",
            &res);
    ht_assert_error(&res, 429, "rate_limited", NULL);
    assert_string_equal(res.headers[0].key, "Retry-After");
    assert_true(atoi(res.headers[0].value) >= 1);
    ar_http_res_free(&res);
    /* another token has its own bucket; public routes are not limited */
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, AR_TOKEN_ROLE_ADMIN, "{\"text\":\"a\"}",
            &res);
    assert_int_equal(res.status, 200);
    ar_http_res_free(&res);
    for (int i = 0; i < 5; i++) {
        ht_call(f, AR_HTTP_GET, "/healthz", NULL, NULL, 0, NULL, &res);
        assert_int_equal(res.status, 200);
        ar_http_res_free(&res);
    }
    ht_free(f);
}

static void test_limiter_refills_over_time(void **state)
{
    ar_http_limiter *l = ar_http_limiter_new(2, 2);
    unsigned wait = 0;
    assert_true(ar_http_limiter_take(l, 7, 100.0, &wait));
    assert_true(ar_http_limiter_take(l, 7, 100.0, &wait));
    assert_false(ar_http_limiter_take(l, 7, 100.0, &wait));
    assert_int_equal(wait, 1);
    assert_true(ar_http_limiter_take(l, 7, 100.5, &wait));
    ar_http_limiter_free(l);
}

static void test_body_over_the_limit_is_413(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_req req = {.app = &f->app, .method = AR_HTTP_POST, .path = "/v1/check",
                       .authorization = ht_auth(f, AR_TOKEN_ROLE_CLIENT), .body_too_big = true};
    ar_http_res res;
    ar_http_dispatch(&req, &res);
    ht_assert_error(&res, 413, "too_big", "body");
    ar_http_res_free(&res);
    /* but authentication comes first */
    req.authorization = NULL;
    ar_http_dispatch(&req, &res);
    assert_int_equal(res.status, 401);
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_openapi_lists_every_route(void **state)
{
    size_t len = 0;
    char *doc = ar_http_openapi_json(&len);
    assert_non_null(doc);
    json_error_t je;
    json_t *root = json_loadb(doc, len, 0, &je);
    if (!root)
        fail_msg("openapi is not JSON: %s", je.text);
    assert_string_equal(json_string_value(json_object_get(root, "openapi")), "3.1.0");
    json_t *paths = json_object_get(root, "paths");
    json_t *schemas = json_object_get(json_object_get(root, "components"), "schemas");
    assert_non_null(json_object_get(schemas, "Error"));
    size_t ops = 0;
    for (size_t r = 0; r < ar_http_nroutes; r++) {
        const ar_http_route *rt = &ar_http_routes[r];
        char m[16];
        snprintf(m, sizeof m, "%s", ar_http_method_name(rt->method));
        for (char *c = m; *c; c++)
            *c = (char)(*c + 32);
        json_t *op = json_object_get(json_object_get(paths, rt->pattern), m);
        if (!op)
            fail_msg("%s %s is missing from openapi.json", m, rt->pattern);
        assert_non_null(json_object_get(op, "responses"));
        assert_non_null(json_object_get(json_object_get(op, "responses"), "default"));
        if (rt->roles != AR_HTTP_PUBLIC)
            assert_int_equal(json_array_size(json_object_get(op, "security")), 2); /* token or session */
        /* every schema a route names exists */
        const char *refs[] = {rt->request_schema, rt->response_schema};
        for (size_t i = 0; i < 2; i++)
            if (refs[i])
                assert_non_null(json_object_get(schemas, refs[i] + strlen("#/components/schemas/")));
        if (strchr(rt->pattern, '{'))
            assert_int_equal(json_array_size(json_object_get(op, "parameters")) >= 1, 1);
        ops++;
    }
    /* and nothing else: every operation in the document is a route */
    size_t doc_ops = 0;
    const char *k;
    json_t *v;
    json_object_foreach(paths, k, v) doc_ops += json_object_size(v);
    assert_int_equal(doc_ops, ops);
    json_decref(root);
    free(doc);
}

static void test_openapi_and_health_need_no_token(void **state)
{
    ht *f = ht_new(NULL);
    const char *paths[] = {"/openapi.json", "/healthz", "/readyz"};
    for (size_t i = 0; i < 3; i++) {
        ar_http_res res;
        ht_call(f, AR_HTTP_GET, paths[i], NULL, NULL, 0, NULL, &res);
        assert_int_equal(res.status, 200);
        json_decref(ht_json(&res));
        ar_http_res_free(&res);
    }
    atomic_store(&f->app.ready, false);
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/readyz", NULL, NULL, 0, NULL, &res);
    ht_assert_error(&res, 503, "unavailable", NULL);
    ar_http_res_free(&res);
    ht_free(f);
}

static void log_to(void *ud, const char *l)
{
    snprintf(ud, 1024, "%s", l);
}

static void test_request_log_names_the_pattern_not_the_path(void **state)
{
    char line[1024] = "";
    ht *f = ht_new(NULL);
    f->app.cfg.access_log = log_to;
    f->app.cfg.access_log_ud = line;
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/items/secret-item-42/visibility", "country", "PK",
            AR_TOKEN_ROLE_CLIENT, NULL, &res);
    assert_int_equal(res.status, 200);
    ar_http_res_free(&res);
    json_t *doc = json_loads(line, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "route")),
                        "/v1/items/{id}/visibility");
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), 200);
    assert_true(json_is_integer(json_object_get(doc, "us")));
    assert_true(json_string_length(json_object_get(doc, "id")) > 0);
    assert_null(strstr(line, "secret-item-42"));
    assert_null(strstr(line, f->tokens[0]));
    json_decref(doc);
    ht_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_by_every_role_follows_the_table),
        cmocka_unit_test(test_client_role_reaches_only_check_and_visibility),
        cmocka_unit_test(test_unknown_route_is_404_json_and_wrong_method_405_with_allow),
        cmocka_unit_test(test_bad_and_unknown_tokens_are_401),
        cmocka_unit_test(test_status_table_never_maps_bad_input_to_500),
        cmocka_unit_test(test_rate_limit_answers_429_with_retry_after),
        cmocka_unit_test(test_limiter_refills_over_time),
        cmocka_unit_test(test_body_over_the_limit_is_413),
        cmocka_unit_test(test_openapi_lists_every_route),
        cmocka_unit_test(test_openapi_and_health_need_no_token),
        cmocka_unit_test(test_request_log_names_the_pattern_not_the_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
