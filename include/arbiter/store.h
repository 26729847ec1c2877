/*
 * arbiter/store.h - one store interface for the whole library.
 *
 * Callers speak a small portable SQL (the subset SQLite and PostgreSQL share:
 * "?" placeholders, RETURNING, no backend-specific functions) through
 * transactions; each backend is a versioned method table (store_int.h), so a
 * PostgreSQL backend slots in without touching callers. This file ships the
 * SQLite backend, the embedded default:
 *   - WAL journal, synchronous=FULL, foreign keys on, busy timeout;
 *   - versioned migrations applied in one transaction on open;
 *   - one writer (a write transaction holds the writer connection and its
 *     lock until commit or rollback) and many readers (each read
 *     transaction takes a connection of its own from a pool and sees one
 *     snapshot).
 *
 * Durability: ar_store_commit() returns AR_OK only once the transaction is
 * on disk (synchronous=FULL in WAL mode fsyncs the log at commit). A caller
 * acknowledges a state change only after that.
 *
 * Transaction states: BEGUN -> (exec)* -> COMMITTED | ROLLED_BACK.
 * (1) A transaction belongs to the thread that began it.
 * (2) Every transaction must end in ar_store_commit() or ar_store_rollback();
 *     a failed commit has already rolled back.
 *
 * THREAD SAFETY: an ar_store may be shared by any number of threads; write
 * transactions are serialised, read transactions run side by side.
 */
#ifndef ARBITER_STORE_H
#define ARBITER_STORE_H

#include "arbiter/common.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_STORE_MAX_READERS 16

typedef struct ar_store ar_store;
typedef struct ar_store_txn ar_store_txn;

typedef enum ar_value_type { AR_VALUE_NULL = 0, AR_VALUE_INT, AR_VALUE_TEXT, AR_VALUE_BLOB } ar_value_type;

typedef struct ar_value {
    ar_value_type type;
    int64_t i;
    const void *p; /* TEXT (UTF-8) or BLOB; borrowed */
    size_t len;
} ar_value;

#define AR_VNULL       ((ar_value){.type = AR_VALUE_NULL})
#define AR_VINT(x)     ((ar_value){.type = AR_VALUE_INT, .i = (int64_t)(x)})
#define AR_VTEXT(s)    ar_value_text(s)
#define AR_VBLOB(b, n) ((ar_value){.type = AR_VALUE_BLOB, .p = (b), .len = (n)})

/* TEXT from a NUL-terminated string; NULL gives a SQL NULL. */
AR_API ar_value ar_value_text(const char *s);

/* One result row, valid only during the row callback. Columns count from 0. */
typedef struct ar_store_row ar_store_row;
AR_API size_t ar_row_columns(const ar_store_row *row);
AR_API bool ar_row_is_null(const ar_store_row *row, size_t col);
AR_API int64_t ar_row_int(const ar_store_row *row, size_t col);
/* TEXT or BLOB bytes (NUL-terminated for TEXT); "" for NULL. */
AR_API const char *ar_row_text(const ar_store_row *row, size_t col, size_t *len);

/* Called once per row; anything but AR_OK stops the statement and is returned. */
typedef ar_status (*ar_store_row_fn)(void *ud, const ar_store_row *row, ar_error *err);

/* Open (creating if needed) and migrate. `location` is a path for SQLite
 * ("var/arbiter.db"), optionally prefixed "sqlite:". AR_ECORRUPT if the file
 * is not a database or its schema is newer than this build knows. */
AR_API AR_NODISCARD ar_status ar_store_open(ar_ctx *ctx, const char *location, ar_store **out,
                                            ar_error *err);
AR_API void ar_store_close(ar_store *s);
AR_API int ar_store_schema_version(const ar_store *s);
AR_API const char *ar_store_backend(const ar_store *s); /* "sqlite" */

/* Begin a write transaction: waits for the writer, then holds it. */
AR_API AR_NODISCARD ar_status ar_store_write(ar_store *s, ar_store_txn **out, ar_error *err);
/* Begin a read transaction on a snapshot. */
AR_API AR_NODISCARD ar_status ar_store_read(ar_store *s, ar_store_txn **out, ar_error *err);

/* Run one statement with `n` parameters bound to its "?" in order. Rows go
 * to `fn` (may be NULL). *changes (may be NULL) gets the rows changed.
 * A constraint violation is AR_ECONFLICT naming the constraint; a write in a
 * read transaction is AR_EINVAL. */
AR_API AR_NODISCARD ar_status ar_store_exec(ar_store_txn *t, const char *sql, const ar_value *params,
                                            size_t n, ar_store_row_fn fn, void *ud,
                                            int64_t *changes, ar_error *err);

/* One integer from the first row's first column (AR_ENOTFOUND if no row). */
AR_API AR_NODISCARD ar_status ar_store_query_int(ar_store_txn *t, const char *sql,
                                                 const ar_value *params, size_t n, int64_t *out,
                                                 ar_error *err);

/* Commit: durable on AR_OK. On failure the transaction is rolled back. The
 * handle is freed either way. */
AR_API AR_NODISCARD ar_status ar_store_commit(ar_store_txn *t, ar_error *err);
AR_API void ar_store_rollback(ar_store_txn *t); /* NULL is a no-op */

#ifdef __cplusplus
}
#endif
#endif
