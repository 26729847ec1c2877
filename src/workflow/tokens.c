/*
 * tokens.c - API tokens: made from 32 random bytes, kept as a hash, checked
 * by looking the hash up. Made in one store transaction with its audit
 * event, like every other change.
 */
#include "arbiter/token.h"
#include "workflow_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

static void hash_hex(const char *token, size_t len, char out[2 * HASH_BYTES + 1])
{
    uint8_t h[HASH_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(out, 2 * HASH_BYTES + 1, h, sizeof h);
    sodium_memzero(h, sizeof h);
}

ar_status ar_token_create(ar_workflow *w, const char *actor, const char *name, unsigned roles,
                          char token[AR_TOKEN_CHARS + 1], int64_t *id, ar_error *err)
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

    uint8_t secret[SECRET_BYTES];
    char tok[AR_TOKEN_CHARS + 1], hex[2 * HASH_BYTES + 1], rolebuf[64];
    randombytes_buf(secret, sizeof secret);
    memcpy(tok, AR_TOKEN_PREFIX, 4);
    sodium_bin2base64(tok + 4, sizeof tok - 4, secret, sizeof secret,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(secret, sizeof secret);
    hash_hex(tok, AR_TOKEN_CHARS, hex);
    ar_token_roles_format(roles, rolebuf, sizeof rolebuf);

    int64_t now = ar__now(w), new_id = 0;
    ar_store_txn *t = NULL;
    st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_query_int(t,
                                "INSERT INTO api_tokens (name, roles, hash, created_at)"
                                " VALUES (?, ?, ?, ?) RETURNING id",
                                (ar_value[]){AR_VTEXT(name), AR_VTEXT(rolebuf), AR_VTEXT(hex),
                                             AR_VINT(now)},
                                4, &new_id, err);
    if (st == AR_OK) /* the hash is not secret, but the log has no use for it */
        st = ar__audit(w, t, actor && *actor ? actor : "system", "token.create", "api_token",
                       new_id, json_pack("{s:s,s:s}", "name", name, "roles", rolebuf), err);
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
    return AR_OK;
}

static bool well_formed(const char *token, size_t len)
{
    if (len != AR_TOKEN_CHARS || memcmp(token, AR_TOKEN_PREFIX, 4) != 0)
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
    if (!token || !well_formed(token, len))
        return ar_error_set(err, AR_EDENIED, "authorization", "malformed API token");
    char hex[2 * HASH_BYTES + 1];
    hash_hex(token, len, hex);
    found f = {0};
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT id, name, roles, hash FROM api_tokens"
                           " WHERE hash = ? AND revoked_at IS NULL",
                           (ar_value[]){AR_VTEXT(hex)}, 1, take_token, &f, NULL, err);
    ar_store_rollback(t);
    if (st != AR_OK)
        return st;
    /* The lookup found it by hash; compare again in constant time anyway, so
     * the answer never rests on how the index compares strings. */
    if (!f.have || sodium_memcmp(f.hash, hex, 2 * HASH_BYTES) != 0)
        return ar_error_set(err, AR_EDENIED, "authorization", "unknown or revoked API token");
    if (ar_token_roles_parse(f.roles, &f.info.roles, NULL) != AR_OK)
        return ar_error_set(err, AR_ECORRUPT, "api_tokens", "stored roles of token %lld are invalid",
                            (long long)f.info.id);
    *out = f.info;
    return AR_OK;
}
