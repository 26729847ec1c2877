/*
 * audit_int.h - what appending and verifying share: the event hash and the
 * checkpoint message, so both sides compute exactly the same bytes.
 */
#ifndef AR_AUDIT_INT_H
#define AR_AUDIT_INT_H

#include "arbiter/audit.h"
#include "common/common_int.h"

#include <jansson.h>

AR_INTERNAL extern const char ar__audit_genesis[AR_AUDIT_HASH_HEX + 1];

/* Hash of one event as hex. If canonical_payload is not NULL it receives
 * the payload's canonical JSON (free() it). AR_EINVAL if the payload is not
 * a JSON object. */
AR_INTERNAL ar_status ar__audit_event_hash(int64_t seq, int64_t ts, const char *actor,
                                           const char *action, const char *object,
                                           const char *payload_json, const char *prev,
                                           char out[AR_AUDIT_HASH_HEX + 1],
                                           char **canonical_payload, ar_error *err);

/* The same from a parsed payload (borrowed), for callers that built it. */
AR_INTERNAL ar_status ar__audit_event_hash_obj(int64_t seq, int64_t ts, const char *actor,
                                               const char *action, const char *object,
                                               json_t *payload, const char *prev,
                                               char out[AR_AUDIT_HASH_HEX + 1],
                                               char **canonical_payload, ar_error *err);

/* ar_audit_append with a payload the caller already holds as JSON (borrowed):
 * saves a serialise-and-parse round trip per event. */
AR_INTERNAL ar_status ar__audit_append_obj(ar_audit *a, ar_store_txn *t, int64_t ts,
                                           const char *actor, const char *action,
                                           const char *object, json_t *payload, int64_t *seq,
                                           ar_error *err);

AR_INTERNAL void ar__audit_checkpoint_message(int64_t seq, const char *hash, int64_t every,
                                              char *buf, size_t size);

AR_INTERNAL void ar__audit_key_id(const uint8_t pk[AR_AUDIT_PUBLIC_KEY_BYTES], char out[17]);

#endif
