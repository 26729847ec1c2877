/*
 * store_int.h - the backend method table behind arbiter/store.h.
 *
 * A backend fills one ar__store_methods (versioned like sqlite3_io_methods:
 * new methods are added at the end and `version` goes up). Callers never see
 * it; ar_store_* dispatch through it.
 */
#ifndef AR_STORE_INT_H
#define AR_STORE_INT_H

#include "arbiter/store.h"
#include "common/common_int.h"

typedef struct ar__store_methods {
    int version; /* 1 */
    const char *name;
    ar_status (*open)(ar_ctx *ctx, const char *location, void **backend, ar_error *err);
    void (*close)(void *backend);
    int (*schema_version)(void *backend);
    ar_status (*begin)(void *backend, bool write, void **conn, ar_error *err);
    ar_status (*exec)(void *conn, const char *sql, const ar_value *params, size_t n,
                      ar_store_row_fn fn, void *ud, int64_t *changes, ar_error *err);
    ar_status (*commit)(void *backend, void *conn, ar_error *err);
    void (*rollback)(void *backend, void *conn);
} ar__store_methods;

struct ar_store {
    ar_ctx *ctx;
    const ar__store_methods *m;
    void *backend;
};

struct ar_store_txn {
    ar_store *store;
    void *conn;
    bool write;
};

AR_INTERNAL extern const ar__store_methods ar__store_sqlite;

/* The SQLite schema: statements in order, each tagged with the schema
 * version it belongs to (non-decreasing); the last tag is the latest. */
typedef struct ar__migration {
    int version;
    const char *sql;
} ar__migration;

AR_INTERNAL extern const ar__migration ar__sqlite_migrations[];
AR_INTERNAL extern const size_t ar__sqlite_migration_count;

#endif
