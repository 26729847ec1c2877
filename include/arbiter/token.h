/*
 * arbiter/token.h - who is calling arbiterd: API tokens for machine clients,
 * and console sessions for staff signed in with a password.
 *
 * A token is 32 random bytes shown once, when made, as "arb_" followed by
 * 43 characters of unpadded base64url. The store keeps only its BLAKE2b-256
 * hash (libsodium's crypto_generichash; a slow password hash would cost
 * milliseconds on every request, and a 256-bit random secret needs no
 * stretching), a name, its roles and when it was made. Making a token is
 * audited in the same store transaction.
 *
 * Roles are a bit set: client (check and visibility only), moderator, legal,
 * admin, auditor. `client` exists only for tokens; staff roles are those of
 * workflow.h.
 *
 * A token may act for a staff member (`staff`): then its roles must be
 * `client` and that member's one role, and every change made with it is made
 * and audited as that person. A token that acts for nobody can check items,
 * read, and swap the policy, but cannot decide anything: decisions always
 * name a person. Revoking a token takes effect at once in this process; a
 * token revoked by another process (the CLI) stops working within
 * AR_TOKEN_CACHE_SECONDS, the lifetime of ar_token_check's cache.
 *
 * A console session is made from a staff login and password (argon2id). Its
 * secret ("ars_" + 43 base64url characters) goes to the browser in an
 * HttpOnly cookie; the store keeps only its hash. The CSRF token is derived
 * from the secret with a keyed hash, so it needs no storage and cannot be
 * guessed without the cookie. Sessions end at their expiry or when ended.
 *
 * THREAD SAFETY: ar_token_check() may be called from any number of threads
 * at once (it runs one store read transaction); ar_token_create() takes the
 * store's writer like every other change.
 */
#ifndef ARBITER_TOKEN_H
#define ARBITER_TOKEN_H

#include "arbiter/common.h"
#include "arbiter/workflow.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AR_TOKEN_ROLE_CLIENT    0x01u
#define AR_TOKEN_ROLE_MODERATOR 0x02u
#define AR_TOKEN_ROLE_LEGAL     0x04u
#define AR_TOKEN_ROLE_ADMIN     0x08u
#define AR_TOKEN_ROLE_AUDITOR   0x10u
#define AR_TOKEN_ROLE_ALL       0x1fu

#define AR_TOKEN_PREFIX    "arb_"
#define AR_TOKEN_CHARS     47 /* "arb_" + 43 base64url characters */
#define AR_TOKEN_NAME_MAX  64
#define AR_LOGIN_MAX       64
#define AR_TOKEN_CACHE_SECONDS 5

/* "client", "admin,auditor" -> a bit set. AR_EINVAL names field "role". */
AR_API AR_NODISCARD ar_status ar_token_roles_parse(const char *s, unsigned *out, ar_error *err);
/* The bit set as "client,admin" into buf (always NUL-terminated). */
AR_API void ar_token_roles_format(unsigned roles, char *buf, size_t size);
/* The name of one role bit ("client"); "unknown" for anything else. */
AR_API const char *ar_token_role_name(unsigned role_bit);

/* Make a token with `roles` (not empty) named `name` (1..64 bytes of
 * UTF-8; NULL: "token"), acting for the staff member `staff` (NULL: nobody).
 * `actor` is who the audit log records ("cli"). token[] gets the token,
 * NUL-terminated; *id (may be NULL) its id. */
AR_API AR_NODISCARD ar_status ar_token_create(ar_workflow *w, const char *actor, const char *name,
                                              unsigned roles, const char *staff,
                                              char token[AR_TOKEN_CHARS + 1], int64_t *id,
                                              ar_error *err);

typedef struct ar_token_info {
    int64_t id;     /* the token's id; for a session, minus the session's id */
    unsigned roles;
    char name[AR_TOKEN_NAME_MAX + 1];
    char staff[AR_LOGIN_MAX + 1]; /* the staff member it acts for; "" nobody */
} ar_token_info;

/* Look a presented token up. AR_EDENIED for a malformed, unknown or revoked
 * token (the message never repeats the token); *out is written on AR_OK. */
AR_API AR_NODISCARD ar_status ar_token_check(ar_workflow *w, const char *token, size_t len,
                                             ar_token_info *out, ar_error *err);

/* Revoke token `id` (AR_ENOTFOUND if none; revoking twice is AR_ECONFLICT). */
AR_API AR_NODISCARD ar_status ar_token_revoke(ar_workflow *w, const char *actor, int64_t id,
                                              ar_error *err);

/* Every token: [{"id","name","roles","staff","created_at","revoked_at"}]
 * (never a hash). Free with free(). */
AR_API AR_NODISCARD ar_status ar_token_list_json(ar_workflow *w, char **json, ar_error *err);

/*---- Console sessions -----------------------------------------------------*/

#define AR_SESSION_CHARS  47 /* "ars_" + 43 base64url characters */
#define AR_CSRF_CHARS     43
#define AR_SESSION_PREFIX "ars_"

typedef struct ar_session_info {
    int64_t id;
    ar_role role;
    char login[AR_LOGIN_MAX + 1];
    int64_t expires_at;              /* Unix seconds */
    char csrf[AR_CSRF_CHARS + 1];    /* what X-CSRF-Token must carry */
} ar_session_info;

/* Sign in: check the password and open a session lasting ttl_s seconds
 * (1..30 days). secret[] gets the session secret for the cookie. A wrong
 * login or password is AR_EDENIED with one message for both. Audited. */
AR_API AR_NODISCARD ar_status ar_session_create(ar_workflow *w, const char *login,
                                                const char *password, int64_t ttl_s,
                                                char secret[AR_SESSION_CHARS + 1],
                                                ar_session_info *out, ar_error *err);
/* A presented session secret -> its session: AR_EDENIED if malformed,
 * unknown, ended, expired, or its staff member is disabled. */
AR_API AR_NODISCARD ar_status ar_session_check(ar_workflow *w, const char *secret, size_t len,
                                               ar_session_info *out, ar_error *err);
/* Sign out. Audited. */
AR_API AR_NODISCARD ar_status ar_session_end(ar_workflow *w, const char *secret, size_t len,
                                             ar_error *err);
/* Does `csrf` (len bytes) equal the session's CSRF token? Constant time. */
AR_API bool ar_session_csrf_ok(const ar_session_info *s, const char *csrf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
