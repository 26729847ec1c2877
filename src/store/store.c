/*
 * store.c - the store interface: picks a backend by location and
 * dispatches transactions to its method table.
 */
#include "store_int.h"

ar_value ar_value_text(const char *s)
{
    if (!s)
        return AR_VNULL;
    return (ar_value){.type = AR_VALUE_TEXT, .p = s, .len = strlen(s)};
}

ar_status ar_store_open(ar_ctx *ctx, const char *location, ar_store **out, ar_error *err)
{
    if (!ctx || !location || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_store_open: NULL argument");
    *out = NULL;
    const ar__store_methods *m = &ar__store_sqlite;
    if (!strncmp(location, "sqlite:", 7))
        location += 7;
    else if (!strncmp(location, "postgres://", 11) || !strncmp(location, "postgresql://", 13))
        return ar_error_set(err, AR_EINVAL, "store", "the PostgreSQL backend is not built in yet");
    if (!*location)
        return ar_error_set(err, AR_EINVAL, "store", "empty store location");
    ar_store *s = ar__calloc(ctx, 1, sizeof *s);
    if (!s)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory opening the store");
    s->ctx = ctx;
    s->m = m;
    ar_status st = m->open(ctx, location, &s->backend, err);
    if (st != AR_OK) {
        ar__free(ctx, s);
        return st;
    }
    *out = s;
    return AR_OK;
}

void ar_store_close(ar_store *s)
{
    if (!s)
        return;
    s->m->close(s->backend);
    ar__free(s->ctx, s);
}

int ar_store_schema_version(const ar_store *s)
{
    return s ? s->m->schema_version(s->backend) : 0;
}

const char *ar_store_backend(const ar_store *s)
{
    return s ? s->m->name : "";
}

static ar_status begin(ar_store *s, bool write, ar_store_txn **out, ar_error *err)
{
    if (!s || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "store: NULL argument");
    *out = NULL;
    ar_store_txn *t = ar__calloc(s->ctx, 1, sizeof *t);
    if (!t)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for a transaction");
    ar_status st = s->m->begin(s->backend, write, &t->conn, err);
    if (st != AR_OK) {
        ar__free(s->ctx, t);
        return st;
    }
    t->store = s;
    t->write = write;
    *out = t;
    return AR_OK;
}

ar_status ar_store_write(ar_store *s, ar_store_txn **out, ar_error *err)
{
    return begin(s, true, out, err);
}

ar_status ar_store_read(ar_store *s, ar_store_txn **out, ar_error *err)
{
    return begin(s, false, out, err);
}

ar_status ar_store_exec(ar_store_txn *t, const char *sql, const ar_value *params, size_t n,
                        ar_store_row_fn fn, void *ud, int64_t *changes, ar_error *err)
{
    if (!t || !sql)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_store_exec: NULL argument");
    return t->store->m->exec(t->conn, sql, params, n, fn, ud, changes, err);
}

static ar_status first_int(void *ud, const ar_store_row *row, ar_error *err)
{
    (void)err;
    int64_t *v = ud;
    if (!v[1]) {
        v[0] = ar_row_int(row, 0);
        v[1] = 1;
    }
    return AR_OK;
}

ar_status ar_store_query_int(ar_store_txn *t, const char *sql, const ar_value *params, size_t n,
                             int64_t *out, ar_error *err)
{
    int64_t v[2] = {0, 0};
    ar_status st = ar_store_exec(t, sql, params, n, first_int, v, NULL, err);
    if (st != AR_OK)
        return st;
    if (!v[1])
        return ar_error_set(err, AR_ENOTFOUND, NULL, "no row");
    *out = v[0];
    return AR_OK;
}

ar_status ar_store_commit(ar_store_txn *t, ar_error *err)
{
    if (!t)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_store_commit: NULL transaction");
    ar_store *s = t->store;
    ar_status st = s->m->commit(s->backend, t->conn, err);
    ar__free(s->ctx, t);
    return st;
}

void ar_store_rollback(ar_store_txn *t)
{
    if (!t)
        return;
    ar_store *s = t->store;
    s->m->rollback(s->backend, t->conn);
    ar__free(s->ctx, t);
}
