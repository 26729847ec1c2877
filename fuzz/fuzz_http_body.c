/* fuzz/fuzz_http_body.c - arbiterd's request-body parsers through the real
 * dispatch (ar_http_dispatch: routing, authorisation, limits, handler), with
 * an in-process application over a temporary store; no socket.
 *
 * Input: the first byte picks one of the routes in ar_http_routes[] that
 * take a body (request_schema set), the rest is the body. The caller holds
 * a token with every role, so each body reaches its handler. Any bytes must
 * give a JSON document with a 2xx or 4xx status (never 5xx: bad input is
 * the client's fault), and an error must have the {"error":{"code",
 * "message"}} shape with string members.
 *
 * Paths fill each {param} with "1"; required query parameters get
 * "PK". The store lives under /dev/shm when it exists (fsync is cheap
 * there): write routes add rows on every accepted input. The route order
 * follows the table, so a seed's first byte names a route only as long as
 * the table does not change; seeds stay useful as bodies either way.
 *
 * A POST /v1/check body of the plain shape, which arbiterd reads without
 * jansson, is answered a second time through jansson: the two answers must
 * be the same bytes. */
#include "http/handlers.h"
#include "http/http.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BODY_ROUTES 64

/* A policy with a whole-word term, a substring and a regex, so a check
 * runs every matcher. */
static const char fuzz_policy[] = "version: 1\n"
                                  "standards:\n"
                                  "  - id: fruit\n"
                                  "    title: Fruit\n"
                                  "    action: remove\n"
                                  "    rules:\n"
                                  "      - terms: [durian]\n"
                                  "      - regex: 'ki+w[i1]'\n"
                                  "  - id: spam\n"
                                  "    title: Spam\n"
                                  "    action: review\n"
                                  "    rules:\n"
                                  "      - terms: [free money]\n";

static struct harness {
    ar_ctx *ctx;
    ar_workflow *wf;
    ar_engine_slot *slot;
    ar_http_app app;
    char dir[64];
    char auth[AR_TOKEN_CHARS + 16];
    size_t body_routes[MAX_BODY_ROUTES]; /* indexes in ar_http_routes */
    size_t nbody_routes;
} H;

static void fail(const char *what, const ar_error *err)
{
    fprintf(stderr, "fuzz_http_body: %s: %s\n", what, err ? err->message : "");
    abort();
}

/* libFuzzer has no teardown: remove the store at exit. */
static void harness_cleanup(void)
{
    char cmd[96];
    ar_http_app_fini(&H.app);
    ar_engine_slot_free(H.slot);
    ar_workflow_close(H.wf);
    ar_ctx_free(H.ctx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", H.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_http_body: could not remove %s\n", H.dir);
}

static void harness_init(void)
{
    ar_error err = {0};
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(H.dir, sizeof H.dir, "%s/ar-fuzz-http-XXXXXX", base);
    if (!mkdtemp(H.dir))
        fail("mkdtemp", NULL);
    if (ar_ctx_new(NULL, &H.ctx, &err) != AR_OK)
        fail("ctx", &err);
    if (ar_workflow_init(H.ctx, H.dir, AR_SOURCE_DIR "/policies/jurisdictions.yaml", &err) != AR_OK)
        fail("workflow init", &err);
    ar_workflow_opts o = {.dir = H.dir, .flags = AR_WORKFLOW_INDEX};
    if (ar_workflow_open(H.ctx, &o, &H.wf, &err) != AR_OK)
        fail("workflow open", &err);
    char token[AR_TOKEN_CHARS + 1];
    if (ar_token_create(H.wf, "fuzz", "fuzz", AR_TOKEN_ROLE_ALL, NULL, token, NULL, &err) != AR_OK)
        fail("token", &err);
    snprintf(H.auth, sizeof H.auth, "Bearer %s", token);
    ar_policy *p = NULL;
    ar_engine *e = NULL;
    if (ar_policy_parse_buffer(H.ctx, fuzz_policy, sizeof fuzz_policy - 1, "fuzz", NULL, &p, NULL,
                               &err) != AR_OK ||
        ar_engine_compile(H.ctx, p, &e, &err) != AR_OK)
        fail("policy", &err);
    if (ar_engine_slot_new(H.ctx, e, &H.slot, &err) != AR_OK)
        fail("slot", &err);
    ar_http_config cfg = {0}; /* no rate limit, no access log */
    if (ar_http_app_init(&H.app, H.ctx, H.wf, H.slot, &cfg, &err) != AR_OK)
        fail("app", &err);
    atomic_store(&H.app.ready, true);
    for (size_t i = 0; i < ar_http_nroutes && H.nbody_routes < MAX_BODY_ROUTES; i++)
        if (ar_http_routes[i].request_schema)
            H.body_routes[H.nbody_routes++] = i;
    if (!H.nbody_routes)
        fail("no route takes a body", NULL);
    atexit(harness_cleanup);
}

/* The route's pattern with each {param} replaced by "1" (a valid item id
 * and a valid case, request or appeal number). */
static void fill_path(const char *pattern, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 8 < size; p++) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (close) {
                out[o++] = '1';
                p = close;
                continue;
            }
        }
        out[o++] = *p;
    }
    out[o] = '\0';
}

/* Required query parameters ("country,lang") each set to "PK". */
static void fill_query(ar_http_req *req, const char *params, char *buf, size_t size)
{
    if (!params)
        return;
    snprintf(buf, size, "%s", params);
    for (char *save = NULL, *k = strtok_r(buf, ",", &save); k && req->nquery < AR_HTTP_MAX_QUERY;
         k = strtok_r(NULL, ",", &save))
        req->query[req->nquery++] = (ar_http_kv){k, "PK"};
}

/* The response contract: JSON, 2xx/4xx, errors shaped. */
static void check_response(const ar_http_route *route, const ar_http_res *res)
{
    if (res->status < 200 || res->status >= 500 || (res->status >= 300 && res->status < 400)) {
        fprintf(stderr, "%s %s answered %u: %.*s\n", ar_http_method_name(route->method),
                route->pattern, res->status, (int)res->len, res->body ? res->body : "");
        abort();
    }
    json_error_t je;
    json_t *doc = json_loadb(res->body ? res->body : "", res->len, 0, &je);
    if (!doc) {
        fprintf(stderr, "%s: not JSON (%s): %.*s\n", route->pattern, je.text, (int)res->len,
                res->body ? res->body : "");
        abort();
    }
    if (res->status >= 400) {
        json_t *e = json_object_get(doc, "error");
        if (!json_is_object(e) || !json_is_string(json_object_get(e, "code")) ||
            !json_is_string(json_object_get(e, "message"))) {
            fprintf(stderr, "%s: error without {code, message}: %.*s\n", route->pattern,
                    (int)res->len, res->body);
            abort();
        }
    }
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!H.ctx)
        harness_init();
    if (size == 0)
        return 0;
    const ar_http_route *route = &ar_http_routes[H.body_routes[data[0] % H.nbody_routes]];
    /* the server hands handlers a NUL-terminated copy; so do we, and ASan
     * sees any read past it */
    size_t len = size - 1;
    char *body = malloc(len + 1);
    if (!body)
        return 0;
    memcpy(body, data + 1, len);
    body[len] = '\0';

    char path[256], qbuf[128];
    fill_path(route->pattern, path, sizeof path);
    ar_http_req req = {0};
    ar_http_res res;
    memset(&res, 0, sizeof res);
    req.app = &H.app;
    req.method = route->method;
    req.path = path;
    req.authorization = H.auth;
    req.body = len ? body : NULL;
    req.body_len = len;
    fill_query(&req, route->query_params, qbuf, sizeof qbuf);
    ar_http_dispatch(&req, &res);
    check_response(route, &res);
    json_t *plain = !strcmp(route->pattern, "/v1/check") ? ar_http_plain_check_body_read(&req)
                                                         : NULL;
    if (plain) {
        ar_http_res slow;
        memset(&slow, 0, sizeof slow);
        ar_http_plain_check_body = false;
        ar_http_dispatch(&req, &slow);
        ar_http_plain_check_body = true;
        if (slow.status != res.status || slow.len != res.len || memcmp(slow.body, res.body, res.len)) {
            fprintf(stderr, "the plain reader answered %u %.*s, jansson %u %.*s\n", res.status,
                    (int)res.len, res.body, slow.status, (int)slow.len, slow.body);
            abort();
        }
        ar_http_res_free(&slow);
        json_decref(plain);
    }
    ar_http_res_free(&res);
    free(body);
    return 0;
}
