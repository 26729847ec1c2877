/*
 * arbiter/token.h - API tokens for machine clients of arbiterd.
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

/* "client", "admin,auditor" -> a bit set. AR_EINVAL names field "role". */
AR_API AR_NODISCARD ar_status ar_token_roles_parse(const char *s, unsigned *out, ar_error *err);
/* The bit set as "client,admin" into buf (always NUL-terminated). */
AR_API void ar_token_roles_format(unsigned roles, char *buf, size_t size);
/* The name of one role bit ("client"); "unknown" for anything else. */
AR_API const char *ar_token_role_name(unsigned role_bit);

/* Make a token with `roles` (not empty) named `name` (1..64 bytes of
 * UTF-8; NULL: "token"). `actor` is who the audit log records ("cli").
 * token[] gets the token, NUL-terminated; *id (may be NULL) its id. */
AR_API AR_NODISCARD ar_status ar_token_create(ar_workflow *w, const char *actor, const char *name,
                                              unsigned roles, char token[AR_TOKEN_CHARS + 1],
                                              int64_t *id, ar_error *err);

typedef struct ar_token_info {
    int64_t id;
    unsigned roles;
    char name[AR_TOKEN_NAME_MAX + 1];
} ar_token_info;

/* Look a presented token up. AR_EDENIED for a malformed, unknown or revoked
 * token (the message never repeats the token); *out is written on AR_OK. */
AR_API AR_NODISCARD ar_status ar_token_check(ar_workflow *w, const char *token, size_t len,
                                             ar_token_info *out, ar_error *err);

#ifdef __cplusplus
}
#endif
#endif
