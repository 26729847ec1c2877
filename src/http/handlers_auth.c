/*
 * handlers_auth.c - who may call: console sign-in and sign-out (a session
 * cookie and its CSRF token), API tokens, staff. Passwords and secrets are
 * never logged or echoed; a new token is shown once, in the response that
 * made it.
 */
#include "http/handlers.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define COOKIE_NAME "arb_session"

/* The session secret from a Cookie header ("a=b; arb_session=ars_..."). */
const char *ar_http_session_cookie(const char *cookie, size_t *len)
{
    static const char name[] = COOKIE_NAME "=";
    for (const char *p = cookie; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > sizeof name - 1 && !memcmp(p, name, sizeof name - 1)) {
            *len = n - (sizeof name - 1);
            return p + sizeof name - 1;
        }
        p += n;
    }
    return NULL;
}

static void set_cookie(ar_http_req *req, ar_http_res *res, const char *secret, int64_t max_age)
{
    char v[sizeof res->hbuf[0]];
    snprintf(v, sizeof v, COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
             secret, (long long)max_age, req->app->cfg.tls ? "; Secure" : "");
    ar_http_res_header(res, "Set-Cookie", v);
    sodium_memzero(v, sizeof v);
}

static json_t *session_json(const ar_session_info *s)
{
    char until[21];
    ar_time_format(s->expires_at, until);
    return json_pack("{s:s,s:s,s:s,s:s}", "login", s->login, "role", ar_role_name(s->role),
                     "expires_at", until, "csrf_token", s->csrf);
}

/* 64 bits of the login's hash: the sign-in limiter's key. */
static int64_t login_key(const char *login)
{
    uint64_t h = 0;
    crypto_generichash((unsigned char *)&h, sizeof h, (const unsigned char *)login, strlen(login),
                       NULL, 0);
    return (int64_t)(h >> 1);
}

void ar_http_h_session_create(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"login", "password"};
    json_t *doc = ar_http_body_json(req, res);
    if (!doc)
        return;
    const char *login = NULL, *password = NULL;
    ar_error err = {0};
    ar_status st = json_is_object(doc) ? ar_http_only_keys(doc, keys, 2, "", &err)
                                       : ar_error_set(&err, AR_EINVAL, "body",
                                                      "the body must be {\"login\",\"password\"}");
    if (st == AR_OK)
        st = ar_http_get_string(doc, "login", true, AR_LOGIN_MAX, "", &login, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "password", true, 1024, "", &password, NULL, &err);
    unsigned wait = 0;
    /* Slow guessing down per login before paying for argon2id. */
    if (st == AR_OK && !ar_http_limiter_take(req->app->login_limiter, login_key(login),
                                             (double)ar_http_now_us() / 1e6, &wait)) {
        json_decref(doc);
        char v[16];
        snprintf(v, sizeof v, "%u", wait);
        ar_http_reply_errorf(res, 429, AR_HTTP_CODE_RATE_LIMITED, "login",
                             "too many sign-in attempts for this login: retry in %u s", wait);
        ar_http_res_header(res, "Retry-After", v);
        return;
    }
    char secret[AR_SESSION_CHARS + 1] = "";
    ar_session_info s;
    if (st == AR_OK)
        st = ar_session_create(req->app->wf, login, password, req->app->cfg.session_seconds,
                               secret, &s, &err);
    json_decref(doc);
    if (st == AR_EDENIED) {
        ar_http_reply_errorf(res, 401, AR_HTTP_CODE_UNAUTHENTICATED, "password", "%s",
                             err.message);
        return;
    }
    if (st != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    set_cookie(req, res, secret, req->app->cfg.session_seconds);
    sodium_memzero(secret, sizeof secret);
    ar_http_reply_json(res, 201, session_json(&s));
}

void ar_http_h_session_get(ar_http_req *req, ar_http_res *res)
{
    size_t len = 0;
    const char *secret = ar_http_session_cookie(req->cookie, &len);
    ar_session_info s;
    ar_error err = {0};
    if (!req->via_session || ar_session_check(req->app->wf, secret, len, &s, &err) != AR_OK) {
        ar_http_reply_errorf(res, 404, ar_status_name(AR_ENOTFOUND), "session",
                             "this request carries no console session (an API token has none)");
        return;
    }
    ar_http_reply_json(res, 200, session_json(&s));
}

void ar_http_h_session_end(ar_http_req *req, ar_http_res *res)
{
    size_t len = 0;
    const char *secret = ar_http_session_cookie(req->cookie, &len);
    ar_error err = {0};
    if (!req->via_session) {
        ar_http_reply_errorf(res, 404, ar_status_name(AR_ENOTFOUND), "session",
                             "this request carries no console session");
        return;
    }
    if (ar_session_end(req->app->wf, secret, len, &err) != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    set_cookie(req, res, "", 0);
    ar_http_reply_json(res, 200, json_pack("{s:b}", "signed_out", 1));
}

/*---- Tokens and staff -----------------------------------------------------------*/

void ar_http_h_tokens_list(ar_http_req *req, ar_http_res *res)
{
    char *json = NULL;
    ar_error err = {0};
    if (ar_token_list_json(req->app->wf, &json, &err) != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_doc(res, 200, json);
}

/* "roles": ["client", "admin"] -> a role bit set. */
static ar_status roles_of(json_t *v, unsigned *out, ar_error *err)
{
    char buf[128] = "";
    size_t i, used = 0;
    json_t *r;
    if (!json_is_array(v) || !json_array_size(v))
        return ar_error_set(err, AR_EINVAL, "roles",
                            "'roles' must be a non-empty array such as [\"client\"]");
    json_array_foreach(v, i, r) {
        const char *s = json_string_value(r);
        if (!s || strchr(s, ',') || used + strlen(s) + 2 > sizeof buf)
            return ar_error_set(err, AR_EINVAL, "roles", "'roles[%zu]' is not a role", i);
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", used ? "," : "", s);
    }
    return ar_token_roles_parse(buf, out, err);
}

void ar_http_h_token_create(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"name", "roles", "staff"};
    const char *actor = ar_http_actor(req, res);
    json_t *doc = actor ? ar_http_body_json(req, res) : NULL;
    if (!doc)
        return;
    const char *name = NULL, *staff = NULL;
    unsigned roles = 0;
    int64_t id = 0;
    char token[AR_TOKEN_CHARS + 1] = "", by[AR_LOGIN_MAX + 8];
    ar_error err = {0};
    ar_status st = json_is_object(doc) ? ar_http_only_keys(doc, keys, 3, "", &err)
                                       : ar_error_set(&err, AR_EINVAL, "body",
                                                      "the body must be a JSON object");
    if (st == AR_OK)
        st = ar_http_get_string(doc, "name", false, AR_TOKEN_NAME_MAX, "", &name, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "staff", false, AR_LOGIN_MAX, "", &staff, NULL, &err);
    if (st == AR_OK)
        st = roles_of(json_object_get(doc, "roles"), &roles, &err);
    snprintf(by, sizeof by, "admin:%s", actor);
    if (st == AR_OK)
        st = ar_token_create(req->app->wf, by, name, roles, staff, token, &id, &err);
    if (st != AR_OK) {
        json_decref(doc);
        ar_http_reply_error(res, &err);
        return;
    }
    char rolebuf[64];
    ar_token_roles_format(roles, rolebuf, sizeof rolebuf);
    ar_http_reply_json(res, 201,
                       json_pack("{s:I,s:s,s:s,s:s?,s:s}", "id", (json_int_t)id, "name",
                                 name ? name : "token", "roles", rolebuf, "staff", staff,
                                 "token", token));
    sodium_memzero(token, sizeof token);
    json_decref(doc);
}

void ar_http_h_token_revoke(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    int64_t id = actor ? ar_http_param_id(req, res, "id") : 0;
    if (!id)
        return;
    char by[AR_LOGIN_MAX + 8];
    snprintf(by, sizeof by, "admin:%s", actor);
    ar_error err = {0};
    if (ar_token_revoke(req->app->wf, by, id, &err) != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_json(res, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
}

void ar_http_h_staff_add(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"login", "role", "password"};
    const char *actor = ar_http_actor(req, res);
    json_t *doc = actor ? ar_http_body_json(req, res) : NULL;
    if (!doc)
        return;
    const char *login = NULL, *role = NULL, *password = NULL;
    ar_role r = AR_ROLE_MODERATOR;
    int64_t id = 0;
    ar_error err = {0};
    ar_status st = json_is_object(doc) ? ar_http_only_keys(doc, keys, 3, "", &err)
                                       : ar_error_set(&err, AR_EINVAL, "body",
                                                      "the body must be a JSON object");
    if (st == AR_OK)
        st = ar_http_get_string(doc, "login", true, AR_LOGIN_MAX, "", &login, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "role", true, 16, "", &role, NULL, &err);
    if (st == AR_OK)
        st = ar_http_get_string(doc, "password", false, 1024, "", &password, NULL, &err);
    if (st == AR_OK)
        st = ar_role_parse(role, &r, &err);
    if (st == AR_OK)
        st = ar_staff_add(req->app->wf, actor, login, r, password, &id, &err);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        ar_http_reply_json(res, 201, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "login",
                                               login, "role", ar_role_name(r)));
    json_decref(doc);
}
