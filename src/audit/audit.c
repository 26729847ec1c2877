/*
 * audit.c - appending to the hash chain and signing checkpoints.
 */
#include "audit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

struct ar_audit {
    ar_ctx *ctx;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char key_id[17];
    unsigned every;
};

const char ar__audit_genesis[AR_AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

void ar__audit_key_id(const uint8_t pk[AR_AUDIT_PUBLIC_KEY_BYTES], char out[17])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, AR_AUDIT_PUBLIC_KEY_BYTES);
    sodium_bin2hex(out, 17, h, 8);
}

/*---- Keys -----------------------------------------------------------------*/

static ar_status write_new_file(const char *path, mode_t mode, const char *text, ar_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return ar_error_set(err, errno == EEXIST ? AR_ECONFLICT : AR_EIO, "key",
                            "cannot create '%s': %s", path, strerror(errno));
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return ar_error_set(err, AR_EIO, "key", "cannot write '%s': %s", path, strerror(saved));
    }
    return AR_OK;
}

static ar_status read_hex_file(const char *path, unsigned char *out, size_t n, ar_error *err)
{
    char buf[2 * crypto_sign_SECRETKEYBYTES + 8];
    FILE *f = fopen(path, "r");
    if (!f)
        return ar_error_set(err, errno == ENOENT ? AR_ENOTFOUND : AR_EIO, "key",
                            "cannot open key '%s': %s", path, strerror(errno));
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r' || buf[got - 1] == ' '))
        buf[--got] = '\0';
    size_t bin_len = 0;
    if (got != 2 * n || sodium_hex2bin(out, n, buf, got, NULL, &bin_len, NULL) != 0 ||
        bin_len != n) {
        sodium_memzero(buf, sizeof buf);
        return ar_error_set(err, AR_ECORRUPT, "key", "key file '%s' is not %zu hex bytes", path,
                            n);
    }
    sodium_memzero(buf, sizeof buf);
    return AR_OK;
}

ar_status ar_audit_keygen(const char *secret_path, const char *public_path, ar_error *err)
{
    if (sodium_init() < 0)
        return ar_error_set(err, AR_EBACKEND, NULL, "libsodium failed to initialise");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char hex[2 * crypto_sign_SECRETKEYBYTES + 2];
    crypto_sign_keypair(pk, sk);
    sodium_bin2hex(hex, sizeof hex - 1, sk, sizeof sk);
    strcat(hex, "\n");
    ar_status st = write_new_file(secret_path, 0600, hex, err);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(hex, sizeof hex);
    if (st != AR_OK)
        return st;
    sodium_bin2hex(hex, sizeof hex - 1, pk, sizeof pk);
    strcat(hex, "\n");
    st = write_new_file(public_path, 0644, hex, err);
    if (st != AR_OK)
        unlink(secret_path);
    return st;
}

ar_status ar_audit_read_public_key(const char *path, uint8_t out[AR_AUDIT_PUBLIC_KEY_BYTES],
                                   ar_error *err)
{
    return read_hex_file(path, out, AR_AUDIT_PUBLIC_KEY_BYTES, err);
}

ar_status ar_audit_open(ar_ctx *ctx, const char *secret_path, unsigned checkpoint_every,
                        ar_audit **out, ar_error *err)
{
    if (!ctx || !secret_path || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_audit_open: NULL argument");
    *out = NULL;
    if (checkpoint_every == 0 || checkpoint_every > 1000000)
        return ar_error_set(err, AR_EINVAL, "checkpoint_every",
                            "checkpoint interval must be 1..1000000, not %u", checkpoint_every);
    if (sodium_init() < 0)
        return ar_error_set(err, AR_EBACKEND, NULL, "libsodium failed to initialise");
    ar_audit *a = ar__calloc(ctx, 1, sizeof *a);
    if (!a)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory opening the audit log");
    ar_status st = read_hex_file(secret_path, a->sk, sizeof a->sk, err);
    if (st != AR_OK) {
        ar__free(ctx, a);
        return st;
    }
    a->ctx = ctx;
    a->every = checkpoint_every;
    crypto_sign_ed25519_sk_to_pk(a->pk, a->sk);
    ar__audit_key_id(a->pk, a->key_id);
    *out = a;
    return AR_OK;
}

void ar_audit_close(ar_audit *a)
{
    if (!a)
        return;
    sodium_memzero(a->sk, sizeof a->sk);
    ar__free(a->ctx, a);
}

/*---- Hashing ----------------------------------------------------------------*/

ar_status ar__audit_event_hash_obj(int64_t seq, int64_t ts, const char *actor, const char *action,
                                   const char *object, json_t *payload, const char *prev,
                                   char out[AR_AUDIT_HASH_HEX + 1], char **canonical_payload,
                                   ar_error *err)
{
    if (!json_is_object(payload))
        return ar_error_set(err, AR_EINVAL, "payload", "audit payload is not a JSON object");
    json_t *ev = json_pack("{s:s, s:s, s:s, s:O, s:s, s:I, s:I}", "action", action, "actor",
                           actor, "object", object, "payload", payload, "prev", prev, "seq",
                           (json_int_t)seq, "ts", (json_int_t)ts);
    char *canon = ev ? json_dumps(ev, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    char *canon_payload =
        canon && canonical_payload ? json_dumps(payload, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    json_decref(ev);
    if (!canon || (canonical_payload && !canon_payload)) {
        free(canon);
        free(canon_payload);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory hashing an audit event");
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
    sodium_bin2hex(out, AR_AUDIT_HASH_HEX + 1, h, sizeof h);
    free(canon);
    if (canonical_payload)
        *canonical_payload = canon_payload;
    return AR_OK;
}

ar_status ar__audit_event_hash(int64_t seq, int64_t ts, const char *actor, const char *action,
                               const char *object, const char *payload_json, const char *prev,
                               char out[AR_AUDIT_HASH_HEX + 1], char **canonical_payload,
                               ar_error *err)
{
    json_error_t jerr;
    json_t *payload = json_loads(payload_json, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(payload)) {
        json_decref(payload);
        return ar_error_set(err, AR_EINVAL, "payload", "audit payload is not a JSON object: %s",
                            payload ? "not an object" : jerr.text);
    }
    ar_status st = ar__audit_event_hash_obj(seq, ts, actor, action, object, payload, prev, out,
                                            canonical_payload, err);
    json_decref(payload);
    return st;
}

void ar__audit_checkpoint_message(int64_t seq, const char *hash, int64_t every, char *buf,
                                  size_t size)
{
    snprintf(buf, size, "arbiter-audit-checkpoint-v1\n%lld\n%s\n%lld", (long long)seq, hash,
             (long long)every);
}

/*---- Appending ----------------------------------------------------------------*/

typedef struct last_event {
    int64_t seq;
    char hash[AR_AUDIT_HASH_HEX + 1];
} last_event;

static ar_status take_last(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    last_event *l = ud;
    size_t n = 0;
    const char *h = ar_row_text(row, 1, &n);
    l->seq = ar_row_int(row, 0);
    snprintf(l->hash, sizeof l->hash, "%.*s", (int)n, h);
    return AR_OK;
}

static ar_status checkpoint(ar_audit *a, ar_store_txn *t, int64_t seq, const char *hash,
                            int64_t ts, ar_error *err)
{
    char msg[256];
    unsigned char sig[crypto_sign_BYTES];
    char sig_hex[2 * crypto_sign_BYTES + 1];
    ar__audit_checkpoint_message(seq, hash, a->every, msg, sizeof msg);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), a->sk);
    sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
    ar_value p[] = {AR_VINT(seq), AR_VTEXT(hash), AR_VTEXT(sig_hex), AR_VTEXT(a->key_id),
                    AR_VINT(a->every), AR_VINT(ts)};
    ar_status st = ar_store_exec(t,
                                 "INSERT INTO audit_checkpoints (seq, hash, signature, key_id,"
                                 " every, ts) VALUES (?,?,?,?,?,?)",
                                 p, AR_ARRAY_LEN(p), NULL, NULL, NULL, err);
    if (st == AR_OK)
        AR_LOG(a->ctx, AR_LOG_INFO, "audit", "checkpoint", AR_KV_INT("seq", seq));
    return st;
}

ar_status ar__audit_append_obj(ar_audit *a, ar_store_txn *t, int64_t ts, const char *actor,
                               const char *action, const char *object, json_t *payload,
                               int64_t *seq, ar_error *err)
{
    if (!a || !t || !actor || !action || !object || !payload)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_audit_append: NULL argument");
    last_event last = {0, ""};
    memcpy(last.hash, ar__audit_genesis, sizeof last.hash);
    ar_status st = ar_store_exec(t, "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
                                 NULL, 0, take_last, &last, NULL, err);
    if (st != AR_OK)
        return st;
    int64_t next = last.seq + 1;
    char hash[AR_AUDIT_HASH_HEX + 1];
    char *canon = NULL;
    st = ar__audit_event_hash_obj(next, ts, actor, action, object, payload, last.hash, hash,
                                  &canon, err);
    if (st != AR_OK)
        return st;
    ar_value p[] = {AR_VINT(next), AR_VINT(ts),          AR_VTEXT(actor), AR_VTEXT(action),
                    AR_VTEXT(object), AR_VTEXT(canon), AR_VTEXT(last.hash), AR_VTEXT(hash)};
    st = ar_store_exec(t,
                       "INSERT INTO audit_events (seq, ts, actor, action, object, payload,"
                       " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                       p, AR_ARRAY_LEN(p), NULL, NULL, NULL, err);
    free(canon);
    if (st == AR_OK && next % a->every == 0)
        st = checkpoint(a, t, next, hash, ts, err);
    if (st == AR_OK && seq)
        *seq = next;
    return st;
}

ar_status ar_audit_append(ar_audit *a, ar_store_txn *t, int64_t ts, const char *actor,
                          const char *action, const char *object, const char *payload_json,
                          int64_t *seq, ar_error *err)
{
    if (!payload_json)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_audit_append: NULL argument");
    json_error_t jerr;
    json_t *payload = json_loads(payload_json, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(payload)) {
        json_decref(payload);
        return ar_error_set(err, AR_EINVAL, "payload", "audit payload is not a JSON object: %s",
                            payload ? "not an object" : jerr.text);
    }
    ar_status st = ar__audit_append_obj(a, t, ts, actor, action, object, payload, seq, err);
    json_decref(payload);
    return st;
}
