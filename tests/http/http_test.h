/* http_test.h - an arbiterd application over a fresh workflow directory,
 * with one API token per role, and requests built by hand (no socket). */
#ifndef HTTP_TEST_H
#define HTTP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

#define HT_POLICY AR_SOURCE_DIR "/tests/check/data/policy.yaml"
#define HT_NROLES 5

typedef struct ht {
    ar_ctx *ctx;
    ar_workflow *w;
    ar_engine_slot *slot;
    ar_http_app app;
    char dir[64];
    char tokens[HT_NROLES][AR_TOKEN_CHARS + 1]; /* by bit: client, moderator, legal, admin, auditor */
    char header[HT_NROLES][AR_TOKEN_CHARS + 16];
} ht;

static inline ht *ht_new(const ar_http_config *cfg)
{
    ht *f = calloc(1, sizeof *f);
    ar_error err;
    snprintf(f->dir, sizeof f->dir, "/tmp/ar-http-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, &err), AR_OK);
    if (ar_workflow_init(f->ctx, f->dir, NULL, &err) != AR_OK)
        fail_msg("init: %s", err.message);
    ar_workflow_opts o = {.dir = f->dir, .flags = AR_WORKFLOW_INDEX};
    if (ar_workflow_open(f->ctx, &o, &f->w, &err) != AR_OK)
        fail_msg("open: %s", err.message);
    /* one staff member per role (the admin first: the bootstrap), and a
     * second moderator and legal reviewer for four-eyes rules */
    static const struct {
        const char *login;
        ar_role role;
    } staff[] = {{"ada", AR_ROLE_ADMIN},   {"mo", AR_ROLE_MODERATOR}, {"lee", AR_ROLE_LEGAL},
                 {"aud", AR_ROLE_AUDITOR}, {"mo2", AR_ROLE_MODERATOR}, {"lee2", AR_ROLE_LEGAL}};
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
        if (ar_staff_add(f->w, "ada", staff[i].login, staff[i].role, "correct horse battery",
                         NULL, &err) != AR_OK)
            fail_msg("staff: %s", err.message);
    static const char *const acts_for[HT_NROLES] = {NULL, "mo", "lee", "ada", "aud"};
    for (unsigned i = 0; i < HT_NROLES; i++) {
        assert_int_equal(ar_token_create(f->w, "test", ar_token_role_name(1u << i), 1u << i,
                                         acts_for[i], f->tokens[i], NULL, &err),
                         AR_OK);
        snprintf(f->header[i], sizeof f->header[i], "Bearer %s", f->tokens[i]);
    }
    ar_engine *e = NULL;
    if (ar_engine_load_file(f->ctx, HT_POLICY, &e, &err) != AR_OK)
        fail_msg("policy: %s", err.message);
    assert_int_equal(ar_engine_slot_new(f->ctx, e, &f->slot, &err), AR_OK);
    assert_int_equal(ar_http_app_init(&f->app, f->ctx, f->w, f->slot, cfg, &err), AR_OK);
    atomic_store(&f->app.ready, true);
    return f;
}

static inline void ht_free(ht *f)
{
    char cmd[128];
    ar_http_app_fini(&f->app);
    ar_engine_slot_free(f->slot);
    ar_workflow_close(f->w);
    ar_ctx_free(f->ctx);
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
}

/* The Authorization header for a role bit (0: none). */
static inline const char *ht_auth(ht *f, unsigned role_bit)
{
    for (unsigned i = 0; i < HT_NROLES; i++)
        if (role_bit == 1u << i)
            return f->header[i];
    return NULL;
}

/* Run one request; the caller frees res with ar_http_res_free(). */
static inline void ht_call(ht *f, ar_http_method m, const char *path, const char *query_key,
                           const char *query_value, unsigned role_bit, const char *body,
                           ar_http_res *res)
{
    ar_http_req req = {0};
    req.app = &f->app;
    req.method = m;
    req.path = path;
    if (query_key) {
        req.query[0] = (ar_http_kv){query_key, query_value};
        req.nquery = 1;
    }
    req.authorization = ht_auth(f, role_bit);
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    ar_http_dispatch(&req, res);
}

/* The response body as JSON (the caller decrefs). Fails the test if not JSON. */
static inline json_t *ht_json(const ar_http_res *res)
{
    json_error_t je;
    json_t *doc = json_loadb(res->body, res->len, 0, &je);
    if (!doc)
        fail_msg("response is not JSON: %s: %.*s", je.text, (int)res->len, res->body);
    return doc;
}

/* Run one request (no query) as `role`, require status `want`, and return
 * the body as JSON (the caller decrefs). */
static inline json_t *ht_call_json(ht *f, ar_http_method m, const char *path, unsigned role,
                                   const char *body, unsigned want)
{
    ar_http_res res;
    ht_call(f, m, path, NULL, NULL, role, body, &res);
    if (res.status != want)
        fail_msg("%s: %u, expected %u: %.*s", path, res.status, want, (int)res.len, res.body);
    json_t *doc = ht_json(&res);
    ar_http_res_free(&res);
    return doc;
}

/* Assert an error response: status, code, field. */
static inline void ht_assert_error(const ar_http_res *res, unsigned status, const char *code,
                                   const char *field)
{
    if (res->status != status)
        fail_msg("status %u, expected %u: %.*s", res->status, status, (int)res->len, res->body);
    json_t *doc = ht_json(res);
    json_t *e = json_object_get(doc, "error");
    assert_true(json_is_object(e));
    assert_true(json_is_string(json_object_get(e, "message")));
    assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    if (field)
        assert_string_equal(json_string_value(json_object_get(e, "field")), field);
    json_decref(doc);
}

#endif
