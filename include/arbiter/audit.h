/*
 * arbiter/audit.h - the append-only, hash-chained audit log with signed
 * checkpoints, and its verification.
 *
 * Every state change appends one event in the same store transaction as the
 * change itself, so the two commit (and become durable) together or not at
 * all. An event is (seq, ts, actor, action, object, payload) where payload is
 * a JSON object; its hash is SHA-256 over the canonical JSON (sorted keys, no
 * whitespace) of
 *   {"action":..,"actor":..,"object":..,"payload":{..},"prev":"<hex>","seq":N,"ts":N}
 * and "prev" is the previous event's hash (64 zeros before the first). Every
 * `checkpoint_every` events the log signs (Ed25519, libsodium) the message
 *   "arbiter-audit-checkpoint-v1\n<seq>\n<hash>\n<checkpoint_every>"
 * with the key made by ar_audit_keygen(); anyone holding the public key can
 * verify the log.
 *
 * What verification proves: a changed, removed, inserted or reordered event
 * breaks the chain where it happened, and ar_audit_verify() names it. An
 * attacker who rewrites the chain from some event onwards (recomputing every
 * hash) is caught by the first checkpoint after that event, whose signature
 * no longer matches; events after the last checkpoint are chained but not yet
 * signed, and the report says how many.
 *
 * THREAD SAFETY: an ar_audit is immutable once opened; appends are
 * serialised by the store's single writer.
 */
#ifndef ARBITER_AUDIT_H
#define ARBITER_AUDIT_H

#include "arbiter/common.h"
#include "arbiter/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AR_AUDIT_PUBLIC_KEY_BYTES 32
#define AR_AUDIT_HASH_HEX         64
#define AR_AUDIT_DEFAULT_CHECKPOINT_EVERY 64

/* Make a new signing key: the secret key at `secret_path` (mode 0600, hex),
 * the public key at `public_path` (hex). Refuses to overwrite either. */
AR_API AR_NODISCARD ar_status ar_audit_keygen(const char *secret_path, const char *public_path,
                                              ar_error *err);

typedef struct ar_audit ar_audit;

/* Open the log for appending with the secret key at `secret_path`. */
AR_API AR_NODISCARD ar_status ar_audit_open(ar_ctx *ctx, const char *secret_path,
                                            unsigned checkpoint_every, ar_audit **out,
                                            ar_error *err);
AR_API void ar_audit_close(ar_audit *a);

/* Append one event in write transaction `t`. `payload_json` must be a JSON
 * object; it is re-serialised canonically. `ts` is Unix seconds. *seq (may
 * be NULL) gets the event's number. Writes a checkpoint when one is due. */
AR_API AR_NODISCARD ar_status ar_audit_append(ar_audit *a, ar_store_txn *t, int64_t ts,
                                              const char *actor, const char *action,
                                              const char *object, const char *payload_json,
                                              int64_t *seq, ar_error *err);

typedef enum ar_audit_problem {
    AR_AUDIT_INTACT = 0,
    AR_AUDIT_ALTERED,     /* an event's content no longer matches its hash */
    AR_AUDIT_REMOVED,     /* an event is missing */
    AR_AUDIT_INSERTED,    /* an event that was never appended */
    AR_AUDIT_REORDERED,   /* events out of their order */
    AR_AUDIT_BAD_CHECKPOINT, /* a checkpoint's signature or hash does not match */
    AR_AUDIT_MISSING_CHECKPOINT,
} ar_audit_problem;

AR_API const char *ar_audit_problem_name(ar_audit_problem p);

typedef struct ar_audit_report {
    ar_audit_problem problem;
    int64_t first_bad_seq;   /* the first event found wrong; 0 if intact */
    int64_t events;          /* events read */
    int64_t checkpoints;     /* checkpoints verified */
    int64_t last_checkpoint; /* seq of the last verified checkpoint */
    int64_t unsigned_tail;   /* events after it */
    char message[256];
} ar_audit_report;

/* Verify the whole chain and every checkpoint against `public_key`. Returns
 * AR_OK when it could read the log (intact or not: see report->problem),
 * another status when it could not. */
AR_API AR_NODISCARD ar_status ar_audit_verify(ar_ctx *ctx, ar_store *store,
                                              const uint8_t public_key[AR_AUDIT_PUBLIC_KEY_BYTES],
                                              ar_audit_report *report, ar_error *err);

/* Read a public key file written by ar_audit_keygen(). */
AR_API AR_NODISCARD ar_status ar_audit_read_public_key(const char *path,
                                                       uint8_t out[AR_AUDIT_PUBLIC_KEY_BYTES],
                                                       ar_error *err);

#ifdef __cplusplus
}
#endif
#endif
