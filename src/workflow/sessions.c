/*
 * sessions.c - console sessions: a staff member signs in with a password
 * and gets a random secret for a cookie. The store keeps the secret's hash,
 * who it belongs to and when it ends; nothing about the browser or the
 * network. The CSRF token is a keyed hash of the secret, so it is never
 * stored and cannot be made without the cookie.
 */
#include "arbiter/token.h"
#include "workflow_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TTL_MAX      (30 * 86400)

static void csrf_of(const char *secret, size_t len, char out[AR_CSRF_CHARS + 1])
{
    static const unsigned char label[] = "arbiter console csrf v1";
    uint8_t mac[32];
    crypto_generichash(mac, sizeof mac, label, sizeof label - 1, (const unsigned char *)secret,
                       len);
    sodium_bin2base64(out, AR_CSRF_CHARS + 1, mac, sizeof mac,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(mac, sizeof mac);
}

bool ar_session_csrf_ok(const ar_session_info *s, const char *csrf, size_t len)
{
    return s && csrf && len == AR_CSRF_CHARS && sodium_memcmp(s->csrf, csrf, AR_CSRF_CHARS) == 0;
}

ar_status ar_session_create(ar_workflow *w, const char *login, const char *password,
                            int64_t ttl_s, char secret[AR_SESSION_CHARS + 1],
                            ar_session_info *out, ar_error *err)
{
    if (!w || !secret || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_session_create: NULL argument");
    if (ttl_s < 1 || ttl_s > TTL_MAX)
        return ar_error_set(err, AR_EINVAL, "ttl", "a session lasts 1 second to 30 days");
    ar_role role;
    ar_status st = ar_staff_check_password(w, login, password, &role, err);
    if (st != AR_OK)
        return st;

    char sec[AR_SESSION_CHARS + 1], hex[65];
    ar__secret_new(AR_SESSION_PREFIX, sec, hex);

    int64_t now = ar__now(w), id = 0;
    ar__actor a;
    ar_store_txn *t = NULL;
    st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = ar__actor_load(t, login, &a, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "INSERT INTO sessions (hash, staff_id, created_at, expires_at)"
                                " VALUES (?, ?, ?, ?) RETURNING id",
                                (ar_value[]){AR_VTEXT(hex), AR_VINT(a.id), AR_VINT(now),
                                             AR_VINT(now + ttl_s)},
                                4, &id, err);
    if (st == AR_OK)
        st = ar__audit(w, t, a.name, "session.create", "session", id,
                       json_pack("{s:I}", "expires_at", (json_int_t)(now + ttl_s)), err);
    if (st == AR_OK)
        st = ar_store_commit(t, err);
    else
        ar_store_rollback(t);
    if (st != AR_OK) {
        sodium_memzero(sec, sizeof sec);
        return st;
    }
    memset(out, 0, sizeof *out);
    out->id = id;
    out->role = role;
    snprintf(out->login, sizeof out->login, "%s", login);
    out->expires_at = now + ttl_s;
    csrf_of(sec, AR_SESSION_CHARS, out->csrf);
    memcpy(secret, sec, sizeof sec);
    sodium_memzero(sec, sizeof sec);
    return AR_OK;
}

typedef struct session_row {
    bool found;
    int64_t id, expires_at, ended_at, disabled;
    char login[AR_LOGIN_MAX + 1], role[16];
} session_row;

static ar_status take_session(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    session_row *r = ud;
    r->found = true;
    r->id = ar_row_int(row, 0);
    r->expires_at = ar_row_int(row, 1);
    r->ended_at = ar_row_is_null(row, 2) ? 0 : ar_row_int(row, 2);
    snprintf(r->login, sizeof r->login, "%s", ar_row_text(row, 3, NULL));
    snprintf(r->role, sizeof r->role, "%s", ar_row_text(row, 4, NULL));
    r->disabled = ar_row_int(row, 5);
    return AR_OK;
}

static ar_status session_find(ar_workflow *w, const char *secret, size_t len, session_row *r,
                              ar_error *err)
{
    memset(r, 0, sizeof *r);
    if (!secret || !ar__secret_well_formed(secret, len, AR_SESSION_PREFIX))
        return ar_error_set(err, AR_EDENIED, "session", "malformed session");
    char hex[65];
    ar__hash_hex(secret, len, hex);
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT x.id, x.expires_at, x.ended_at, s.login, s.role, s.disabled"
                           " FROM sessions x JOIN staff s ON s.id = x.staff_id WHERE x.hash = ?",
                           (ar_value[]){AR_VTEXT(hex)}, 1, take_session, r, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK)
        return st;
    if (!r->found || r->ended_at || r->disabled || r->expires_at <= ar__now(w))
        return ar_error_set(err, AR_EDENIED, "session",
                            "no such session, or it has ended: sign in again");
    return AR_OK;
}

ar_status ar_session_check(ar_workflow *w, const char *secret, size_t len, ar_session_info *out,
                           ar_error *err)
{
    if (!w || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_session_check: NULL argument");
    session_row r;
    ar_status st = session_find(w, secret, len, &r, err);
    if (st != AR_OK)
        return st;
    memset(out, 0, sizeof *out);
    if (ar_role_parse(r.role, &out->role, NULL) != AR_OK)
        return ar_error_set(err, AR_ECORRUPT, "staff", "stored role of '%s' is invalid", r.login);
    out->id = r.id;
    out->expires_at = r.expires_at;
    snprintf(out->login, sizeof out->login, "%s", r.login);
    csrf_of(secret, len, out->csrf);
    return AR_OK;
}

ar_status ar_session_end(ar_workflow *w, const char *secret, size_t len, ar_error *err)
{
    if (!w)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_session_end: NULL workflow");
    session_row r;
    ar_status st = session_find(w, secret, len, &r, err);
    if (st != AR_OK)
        return st;
    char actor[sizeof r.role + sizeof r.login + 1];
    snprintf(actor, sizeof actor, "%s:%s", r.role, r.login);
    ar_store_txn *t = NULL;
    st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_exec(t, "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                           (ar_value[]){AR_VINT(ar__now(w)), AR_VINT(r.id)}, 2, NULL, NULL, NULL,
                           err);
    if (st == AR_OK)
        st = ar__audit(w, t, actor, "session.end", "session", r.id, json_object(), err);
    if (st == AR_OK)
        return ar_store_commit(t, err);
    ar_store_rollback(t);
    return st;
}
