/*
 * tokens.c - API tokens: made from 32 random bytes, kept as a hash, checked
 * by looking the hash up. Made and revoked in one store transaction with
 * their audit event, like every other change. Checks go through a small
 * cache, because arbiterd checks a token on every request and a store read
 * costs more than the request it guards.
 */
#include "arbiter/token.h"
#include "workflow_int.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECRET_BYTES 32
#define HASH_BYTES   32

static const char *const role_names[] = {"client", "moderator", "legal", "admin", "auditor"};

const char *ar_token_role_name(unsigned role_bit)
{
    for (size_t i = 0; i < AR_ARRAY_LEN(role_names); i++)
        if (role_bit == 1u << i)
            return role_names[i];
    return "unknown";
}

ar_status ar_token_roles_parse(const char *s, unsigned *out, ar_error *err)
{
    unsigned roles = 0;
    const char *p = s ? s : "";
    while (*p) {
        const char *start = p;
        while (*p && *p != ',')
            p++;
        size_t n = (size_t)(p - start);
        bool known = false;
        for (size_t i = 0; i < AR_ARRAY_LEN(role_names) && !known; i++)
            if (strlen(role_names[i]) == n && !memcmp(role_names[i], start, n)) {
                roles |= 1u << i;
                known = true;
            }
        if (!known)
            return ar_error_set(err, AR_EINVAL, "role",
                                "role must be client, moderator, legal, admin or auditor, "
                                "not '%.*s'",
                                (int)(n > 32 ? 32 : n), start);
        if (*p == ',')
            p++;
    }
    if (!roles)
        return ar_error_set(err, AR_EINVAL, "role", "at least one role is required");
    *out = roles;
    return AR_OK;
}

void ar_token_roles_format(unsigned roles, char *buf, size_t size)
{
    size_t len = 0;
    if (!size)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < AR_ARRAY_LEN(role_names); i++) {
        if (!(roles & (1u << i)))
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", role_names[i]);
        if (n < 0 || (size_t)n >= size - len)
            return;
        len += (size_t)n;
    }
}

/* prefix + 43 base64url characters of 32 random bytes, and its hash. */
void ar__secret_new(const char *prefix, char out[AR_TOKEN_CHARS + 1], char hex[65])
{
    uint8_t raw[SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    memcpy(out, prefix, 4);
    sodium_bin2base64(out + 4, AR_TOKEN_CHARS + 1 - 4, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    ar__hash_hex(out, AR_TOKEN_CHARS, hex);
}

void ar__hash_hex(const char *token, size_t len, char out[2 * HASH_BYTES + 1])
{
    uint8_t h[HASH_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(out, 2 * HASH_BYTES + 1, h, sizeof h);
    sodium_memzero(h, sizeof h);
}

/*---- The check cache ----------------------------------------------------------*/

/* Direct-mapped by the hash's first bytes; an entry lives
 * AR_TOKEN_CACHE_SECONDS. Only tokens found valid are cached, so a flood of
 * wrong tokens cannot push the good ones out. */
#define CACHE_SLOTS 256

typedef struct cache_entry {
    char hash[2 * HASH_BYTES + 1];
    ar_token_info info;
    int64_t until; /* monotonic seconds; 0: empty */
} cache_entry;

struct ar__token_cache {
    pthread_mutex_t lock;
    cache_entry e[CACHE_SLOTS];
};

static int64_t mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static size_t cache_index(const char *hex)
{
    return (size_t)(((unsigned)hex[0] * 31u + (unsigned)hex[1]) * 31u + (unsigned)hex[2]) %
           CACHE_SLOTS;
}

ar_status ar__token_cache_new(ar_workflow *w, ar_error *err)
{
    w->tokens = ar__calloc(w->ctx, 1, sizeof *w->tokens);
    if (!w->tokens)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the token cache");
    pthread_mutex_init(&w->tokens->lock, NULL);
    return AR_OK;
}

void ar__token_cache_free(ar_workflow *w)
{
    if (!w->tokens)
        return;
    pthread_mutex_destroy(&w->tokens->lock);
    sodium_memzero(w->tokens->e, sizeof w->tokens->e);
    ar__free(w->ctx, w->tokens);
    w->tokens = NULL;
}

static bool cache_get(ar__token_cache *c, const char *hex, ar_token_info *out)
{
    bool hit = false;
    pthread_mutex_lock(&c->lock);
    cache_entry *e = &c->e[cache_index(hex)];
    if (e->until > mono_s() && sodium_memcmp(e->hash, hex, 2 * HASH_BYTES) == 0) {
        *out = e->info;
        hit = true;
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

static void cache_put(ar__token_cache *c, const char *hex, const ar_token_info *info)
{
    pthread_mutex_lock(&c->lock);
    cache_entry *e = &c->e[cache_index(hex)];
    memcpy(e->hash, hex, sizeof e->hash);
    e->info = *info;
    e->until = mono_s() + AR_TOKEN_CACHE_SECONDS;
    pthread_mutex_unlock(&c->lock);
}

/* After a revocation: forget everything (revocations are rare). */
static void cache_clear(ar__token_cache *c)
{
    pthread_mutex_lock(&c->lock);
    memset(c->e, 0, sizeof c->e);
    pthread_mutex_unlock(&c->lock);
}

/*---- Making, checking, revoking, listing --------------------------------------*/

/* A token acting for `staff` may hold `client` and that member's role only. */
static ar_status staff_for_token(ar_store_txn *t, const char *staff, unsigned roles,
                                 int64_t *staff_id, ar_error *err)
{
    *staff_id = 0;
    if (!staff)
        return AR_OK;
    ar__actor a;
    ar_status st = ar__actor_load(t, staff, &a, err);
    if (st != AR_OK) {
        if (err)
            snprintf(err->field, sizeof err->field, "staff");
        return st;
    }
    unsigned own = AR_TOKEN_ROLE_MODERATOR << (unsigned)a.role; /* moderator..auditor */
    if (roles & ~(own | AR_TOKEN_ROLE_CLIENT)) {
        char want[64];
        ar_token_roles_format(roles, want, sizeof want);
        return ar_error_set(err, AR_EDENIED, "role",
                            "'%s' is %s: a token acting for them may hold client and %s only, "
                            "not %s",
                            staff, ar_role_name(a.role), ar_role_name(a.role), want);
    }
    *staff_id = a.id;
    return AR_OK;
}

ar_status ar_token_create(ar_workflow *w, const char *actor, const char *name, unsigned roles,
                          const char *staff, char token[AR_TOKEN_CHARS + 1], int64_t *id,
                          ar_error *err)
{
    if (!w || !token)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_token_create: NULL argument");
    if (!name)
        name = "token";
    ar_status st = ar__text_check(name, "name", AR_TOKEN_NAME_MAX, true, err);
    if (st != AR_OK)
        return st;
    if (!roles || (roles & ~AR_TOKEN_ROLE_ALL))
        return ar_error_set(err, AR_EINVAL, "role", "a token needs at least one known role");
    if (sodium_init() < 0)
        return ar_error_set(err, AR_EBACKEND, NULL, "libsodium failed to initialise");

    char tok[AR_TOKEN_CHARS + 1], hex[2 * HASH_BYTES + 1], rolebuf[64];
    ar__secret_new(AR_TOKEN_PREFIX, tok, hex);
    ar_token_roles_format(roles, rolebuf, sizeof rolebuf);

    int64_t now = ar__now(w), new_id = 0, staff_id = 0;
    ar_store_txn *t = NULL;
    st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = staff_for_token(t, staff, roles, &staff_id, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "INSERT INTO api_tokens (name, roles, hash, created_at, staff_id)"
                                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                                (ar_value[]){AR_VTEXT(name), AR_VTEXT(rolebuf), AR_VTEXT(hex),
                                             AR_VINT(now), staff_id ? AR_VINT(staff_id) : AR_VNULL},
                                5, &new_id, err);
    if (st == AR_OK) /* the hash is not secret, but the log has no use for it */
        st = ar__audit(w, t, actor && *actor ? actor : "system", "token.create", "api_token",
                       new_id,
                       json_pack("{s:s,s:s,s:s?}", "name", name, "roles", rolebuf, "staff", staff),
                       err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        sodium_memzero(tok, sizeof tok);
        return st;
    }
    if ((st = ar_store_commit(t, err)) != AR_OK) {
        sodium_memzero(tok, sizeof tok);
        return st;
    }
    memcpy(token, tok, sizeof tok);
    sodium_memzero(tok, sizeof tok);
    if (id)
        *id = new_id;
    AR_LOG(w->ctx, AR_LOG_INFO, "token", "created", AR_KV_INT("id", new_id),
           AR_KV_STR("roles", rolebuf));
    return AR_OK;
}

typedef struct found {
    bool have;
    ar_token_info info;
    char hash[2 * HASH_BYTES + 1];
    char roles[65];
    int64_t staff_disabled;
} found;

static ar_status take_token(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    found *f = ud;
    f->have = true;
    f->info.id = ar_row_int(row, 0);
    snprintf(f->info.name, sizeof f->info.name, "%s", ar_row_text(row, 1, NULL));
    snprintf(f->roles, sizeof f->roles, "%s", ar_row_text(row, 2, NULL));
    snprintf(f->hash, sizeof f->hash, "%s", ar_row_text(row, 3, NULL));
    const char *staff = ar_row_text(row, 4, NULL);
    snprintf(f->info.staff, sizeof f->info.staff, "%s", staff ? staff : "");
    f->staff_disabled = ar_row_int(row, 5);
    return AR_OK;
}

bool ar__secret_well_formed(const char *token, size_t len, const char *prefix)
{
    if (len != AR_TOKEN_CHARS || memcmp(token, prefix, 4) != 0)
        return false;
    for (size_t i = 4; i < len; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

ar_status ar_token_check(ar_workflow *w, const char *token, size_t len, ar_token_info *out,
                         ar_error *err)
{
    if (!w || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_token_check: NULL argument");
    if (!token || !ar__secret_well_formed(token, len, AR_TOKEN_PREFIX))
        return ar_error_set(err, AR_EDENIED, "authorization", "malformed API token");
    char hex[2 * HASH_BYTES + 1];
    ar__hash_hex(token, len, hex);
    if (w->tokens && cache_get(w->tokens, hex, out))
        return AR_OK;
    found f = {0};
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT t.id, t.name, t.roles, t.hash, s.login, s.disabled"
                           " FROM api_tokens t LEFT JOIN staff s ON s.id = t.staff_id"
                           " WHERE t.hash = ? AND t.revoked_at IS NULL",
                           (ar_value[]){AR_VTEXT(hex)}, 1, take_token, &f, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK)
        return st;
    /* The lookup found it by hash; compare again in constant time anyway, so
     * the answer never rests on how the index compares strings. */
    if (!f.have || sodium_memcmp(f.hash, hex, 2 * HASH_BYTES) != 0)
        return ar_error_set(err, AR_EDENIED, "authorization", "unknown or revoked API token");
    if (f.staff_disabled)
        return ar_error_set(err, AR_EDENIED, "authorization",
                            "the staff member this token acts for is disabled");
    if (ar_token_roles_parse(f.roles, &f.info.roles, NULL) != AR_OK)
        return ar_error_set(err, AR_ECORRUPT, "api_tokens", "stored roles of token %lld are invalid",
                            (long long)f.info.id);
    if (w->tokens)
        cache_put(w->tokens, hex, &f.info);
    *out = f.info;
    return AR_OK;
}

ar_status ar_token_revoke(ar_workflow *w, const char *actor, int64_t id, ar_error *err)
{
    if (!w)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_token_revoke: NULL workflow");
    int64_t revoked = -1;
    ar_store_txn *t = NULL;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "SELECT CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END"
                                " FROM api_tokens WHERE id = ?",
                                (ar_value[]){AR_VINT(id)}, 1, &revoked, err);
    if (st == AR_ENOTFOUND || (st == AR_OK && revoked < 0))
        st = ar_error_set(err, AR_ENOTFOUND, "id", "no token %lld", (long long)id);
    else if (st == AR_OK && revoked == 1)
        st = ar_error_set(err, AR_ECONFLICT, "id", "token %lld is already revoked",
                          (long long)id);
    if (st == AR_OK)
        st = ar_store_exec(t, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                           (ar_value[]){AR_VINT(ar__now(w)), AR_VINT(id)}, 2, NULL, NULL, NULL,
                           err);
    if (st == AR_OK)
        st = ar__audit(w, t, actor && *actor ? actor : "system", "token.revoke", "api_token", id,
                       json_object(), err);
    if (st != AR_OK) {
        ar_store_rollback(t);
        return st;
    }
    if ((st = ar_store_commit(t, err)) == AR_OK && w->tokens)
        cache_clear(w->tokens);
    return st;
}

static ar_status append_token(void *ud, const ar_store_row *row, ar_error *err)
{
    static const char *const names[] = {"id", "name", "roles", "staff", "created_at",
                                        "revoked_at"};
    static const bool ints[] = {true, false, false, false, true, true};
    json_t *o = ar__row_object(row, names, AR_ARRAY_LEN(names), ints);
    if (!o || json_array_append_new(ud, o) != 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory listing tokens");
    return AR_OK;
}

ar_status ar_token_list_json(ar_workflow *w, char **json, ar_error *err)
{
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st != AR_OK)
        return st;
    json_t *a = json_array();
    st = ar_store_exec(t,
                       "SELECT t.id, t.name, t.roles, s.login, t.created_at, t.revoked_at"
                       " FROM api_tokens t LEFT JOIN staff s ON s.id = t.staff_id ORDER BY t.id",
                       NULL, 0, append_token, a, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        json_decref(a);
        return st;
    }
    return ar__json_out(a, json, err);
}
