/*
 * evidence.c - the text a reviewer needs to see, kept sealed and only for a
 * while. The store holds no content bodies (LEGAL.md 8.1, I1): when a check
 * is recorded or a notice filed with the item's text, the text is sealed
 * with a key kept beside the store (DIR/evidence.key, XChaCha20-Poly1305
 * through libsodium's secretbox) and given an expiry. Reading it back (the
 * case view) opens it; an expired row is never shown and is erased by the
 * next purge, which runs at open and is audited. The item's latest text
 * replaces an older one. A text that does not open (the key was replaced)
 * is reported as such in the case view, which still shows.
 *
 * Why a separate key: a copy of the database alone (a backup, a replica)
 * then holds no readable content; destroying the key destroys every text.
 */
#include "workflow_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES crypto_secretbox_KEYBYTES

/* Read DIR/evidence.key, making it (0600) if the directory has none yet. */
ar_status ar__evidence_key_load(ar_workflow *w, const char *path, ar_error *err)
{
    if (sodium_init() < 0)
        return ar_error_set(err, AR_EBACKEND, NULL, "libsodium failed to initialise");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        uint8_t key[KEY_BYTES];
        randombytes_buf(key, sizeof key);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        bool ok = fd >= 0 && write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
        sodium_memzero(key, sizeof key);
        if (fd >= 0)
            close(fd);
        if (!ok)
            return ar_error_set(err, AR_EIO, "evidence.key", "cannot write '%s': %s", path,
                                strerror(errno));
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0)
        return ar_error_set(err, AR_EIO, "evidence.key", "cannot open '%s': %s", path,
                            strerror(errno));
    w->evidence_key = sodium_malloc(KEY_BYTES);
    ssize_t n = w->evidence_key ? read(fd, w->evidence_key, KEY_BYTES) : -1;
    char probe;
    bool exact = n == (ssize_t)KEY_BYTES && read(fd, &probe, 1) == 0;
    close(fd);
    if (!exact)
        return ar_error_set(err, AR_ECORRUPT, "evidence.key", "'%s' is not a %d-byte key", path,
                            (int)KEY_BYTES);
    return AR_OK;
}

void ar__evidence_key_free(ar_workflow *w)
{
    sodium_free(w->evidence_key); /* zeroes it */
    w->evidence_key = NULL;
}

ar_status ar__evidence_keep(ar_workflow *w, ar_store_txn *t, int64_t item_id, const char *text,
                            size_t len, ar_error *err)
{
    if (!text || !w->evidence_key)
        return AR_OK;
    if (len > AR_EVIDENCE_MAX_BYTES)
        return ar_error_set(err, AR_ETOOBIG, "text", "text over %d bytes is not kept",
                            AR_EVIDENCE_MAX_BYTES);
    size_t n = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    uint8_t *sealed = malloc(n);
    if (!sealed)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory sealing evidence");
    randombytes_buf(sealed, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(sealed + crypto_secretbox_NONCEBYTES, (const uint8_t *)text, len,
                          sealed, w->evidence_key);
    int64_t now = ar__now(w);
    ar_value p[] = {AR_VINT(item_id), AR_VBLOB(sealed, n), AR_VINT(now),
                    AR_VINT(now + w->evidence_seconds)};
    ar_status st = ar_store_exec(t,
                                 "INSERT INTO evidence (item_id, sealed, created_at, expires_at)"
                                 " VALUES (?,?,?,?) ON CONFLICT (item_id) DO UPDATE SET"
                                 " sealed = excluded.sealed, created_at = excluded.created_at,"
                                 " expires_at = excluded.expires_at",
                                 p, AR_ARRAY_LEN(p), NULL, NULL, NULL, err);
    free(sealed);
    if (st == AR_OK)
        st = ar__audit(w, t, "system", "evidence.keep", "item", item_id,
                       json_pack("{s:I,s:I}", "bytes", (json_int_t)len, "expires_at",
                                 (json_int_t)(now + w->evidence_seconds)),
                       err);
    return st;
}

typedef struct opened {
    ar_workflow *w;
    json_t *text;
    int64_t expires_at;
    const char *problem; /* why a row found could not be shown */
} opened;

static ar_status open_row(void *ud, const ar_store_row *row, ar_error *err)
{
    opened *o = ud;
    size_t n = 0;
    const uint8_t *sealed = (const uint8_t *)ar_row_text(row, 0, &n);
    if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        o->problem = "the sealed text is truncated";
        return AR_OK;
    }
    size_t len = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *plain = malloc(len + 1);
    if (!plain)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory opening evidence");
    if (crypto_secretbox_open_easy((uint8_t *)plain, sealed + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, sealed,
                                   o->w->evidence_key) != 0) {
        /* a replaced key (or an altered row): the case still shows, the
         * text does not */
        free(plain);
        o->problem = "the text does not open with this directory's evidence.key";
        return AR_OK;
    }
    plain[len] = '\0';
    o->text = json_stringn(plain, len); /* NULL if it is not UTF-8: shown as none */
    o->expires_at = ar_row_int(row, 1);
    sodium_memzero(plain, len);
    free(plain);
    return AR_OK;
}

ar_status ar__evidence_json(ar_workflow *w, ar_store_txn *t, const char *platform_id,
                            json_t *into, ar_error *err)
{
    opened o = {.w = w};
    ar_status st = w->evidence_key
                       ? ar_store_exec(t,
                                       "SELECT e.sealed, e.expires_at FROM evidence e"
                                       " JOIN items i ON i.id = e.item_id"
                                       " WHERE i.platform_id = ? AND e.expires_at > ?",
                                       (ar_value[]){AR_VTEXT(platform_id), AR_VINT(ar__now(w))},
                                       2, open_row, &o, NULL, err)
                       : AR_OK;
    if (st != AR_OK)
        return st;
    json_object_set_new(into, "text", o.text ? o.text : json_null());
    json_object_set_new(into, "text_expires_at", o.text ? json_integer(o.expires_at) : json_null());
    if (o.problem)
        json_object_set_new(into, "text_error", json_string(o.problem));
    return AR_OK;
}

ar_status ar_workflow_purge_evidence(ar_workflow *w, int64_t *purged, ar_error *err)
{
    if (!w || !purged)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_workflow_purge_evidence: NULL argument");
    *purged = 0;
    int64_t now = ar__now(w), n = 0;
    ar_store_txn *t = NULL;
    ar_status st = ar_store_write(w->store, &t, err);
    if (st == AR_OK)
        st = ar_store_query_int(t, "SELECT count(*) FROM evidence WHERE expires_at <= ?",
                                (ar_value[]){AR_VINT(now)}, 1, &n, err);
    if (st == AR_OK && n > 0)
        st = ar_store_exec(t, "DELETE FROM evidence WHERE expires_at <= ?",
                           (ar_value[]){AR_VINT(now)}, 1, NULL, NULL, NULL, err);
    if (st == AR_OK && n > 0)
        st = ar__audit(w, t, "system", "evidence.purge", "evidence", 0,
                       json_pack("{s:I}", "texts", (json_int_t)n), err);
    if (st != AR_OK || n == 0) {
        ar_store_rollback(t);
        return st;
    }
    if ((st = ar_store_commit(t, err)) == AR_OK)
        *purged = n;
    return st;
}
