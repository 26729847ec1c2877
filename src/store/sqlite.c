/*
 * sqlite.c - the SQLite backend: WAL, synchronous=FULL, foreign keys,
 * migrations on open, one writer connection and a pool of readers.
 */
#include "store_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>

#define BUSY_TIMEOUT_MS 10000

#define STMT_CACHE 64 /* prepared statements kept per connection */

/* Statements are prepared once per connection and reused: callers pass SQL
 * literals, so the cache is keyed by the text's address and confirmed by
 * its content (a caller may reuse a buffer for different SQL). */
typedef struct cached_stmt {
    const char *key; /* the caller's pointer */
    char *sql;       /* our copy, to confirm a hit */
    sqlite3_stmt *stmt;
} cached_stmt;

typedef struct conn {
    sqlite3 *db;
    bool busy; /* reader taken */
    cached_stmt cache[STMT_CACHE];
} conn;

typedef struct backend {
    ar_ctx *ctx;
    char *path;
    int schema_version;
    pthread_mutex_t writer_lock; /* held from begin to commit/rollback of a write */
    conn writer;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cv;
    conn readers[AR_STORE_MAX_READERS];
    size_t nreaders;
} backend;

static ar_status sqlite_error(sqlite3 *db, int rc, const char *what, ar_error *err)
{
    int primary = rc & 0xff;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    ar_status st = AR_EBACKEND;
    if (primary == SQLITE_CONSTRAINT)
        st = AR_ECONFLICT;
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        st = AR_ECORRUPT;
    else if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN)
        st = AR_EIO;
    else if (primary == SQLITE_NOMEM)
        st = AR_ENOMEM;
    else if (primary == SQLITE_READONLY)
        st = AR_EINVAL;
    return ar_error_set(err, st, "store", "%s: %s", what, msg);
}

static ar_status run(sqlite3 *db, const char *sql, const char *what, ar_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return AR_OK;
    ar_status st = sqlite_error(db, rc, what, err);
    sqlite3_free(msg);
    return st;
}

static ar_status open_conn(backend *b, conn *c, bool readonly, ar_error *err)
{
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX; /* each connection is used by one thread at a time */
    int rc = sqlite3_open_v2(b->path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        ar_status st = sqlite_error(c->db, rc, "cannot open the store", err);
        sqlite3_close(c->db);
        c->db = NULL;
        return st;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    ar_status st = run(c->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;",
                       "configuring the store", err);
    if (st == AR_OK && !readonly)
        st = run(c->db, "PRAGMA journal_mode=WAL;", "enabling WAL", err);
    if (st != AR_OK) {
        sqlite3_close(c->db);
        c->db = NULL;
    }
    return st;
}

static ar_status read_version(sqlite3 *db, int *version, ar_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        *version = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        return AR_OK;
    }
    sqlite3_finalize(stmt);
    return sqlite_error(db, rc, "reading the schema version", err);
}

/* Every pending migration and the new user_version commit together: a crash
 * leaves the store at the old version or the new one, never between. */
static ar_status migrate(backend *b, ar_error *err)
{
    sqlite3 *db = b->writer.db;
    int v = 0;
    ar_status st = read_version(db, &v, err);
    if (st != AR_OK)
        return st;
    int latest = ar__sqlite_migrations[ar__sqlite_migration_count - 1].version;
    if (v > latest)
        return ar_error_set(err, AR_ECORRUPT, "store",
                            "store schema version %d is newer than this build knows (%d)", v,
                            latest);
    if (v == latest) {
        b->schema_version = v;
        return AR_OK;
    }
    st = run(db, "BEGIN IMMEDIATE", "starting the migration", err);
    for (size_t i = 0; st == AR_OK && i < ar__sqlite_migration_count; i++) {
        const ar__migration *m = &ar__sqlite_migrations[i];
        if (m->version <= v)
            continue;
        char what[64];
        snprintf(what, sizeof what, "migration %d (statement %zu)", m->version, i + 1);
        st = run(db, m->sql, what, err);
    }
    if (st == AR_OK) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", latest);
        st = run(db, sql, "recording the schema version", err);
    }
    if (st == AR_OK)
        st = run(db, "COMMIT", "committing the migration", err);
    if (st != AR_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    AR_LOG(b->ctx, AR_LOG_INFO, "store", "migrated", AR_KV_INT("from", v), AR_KV_INT("to", latest));
    b->schema_version = latest;
    return AR_OK;
}

static void conn_close(conn *c)
{
    for (size_t i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(c->cache[i].stmt);
        sqlite3_free(c->cache[i].sql);
    }
    sqlite3_close(c->db);
    memset(c, 0, sizeof *c);
}

static void sqlite_close(void *p)
{
    backend *b = p;
    if (!b)
        return;
    for (size_t i = 0; i < b->nreaders; i++)
        conn_close(&b->readers[i]);
    conn_close(&b->writer);
    pthread_mutex_destroy(&b->writer_lock);
    pthread_mutex_destroy(&b->pool_lock);
    pthread_cond_destroy(&b->pool_cv);
    ar__free(b->ctx, b->path);
    ar__free(b->ctx, b);
}

static ar_status sqlite_open(ar_ctx *ctx, const char *location, void **out, ar_error *err)
{
    backend *b = ar__calloc(ctx, 1, sizeof *b);
    if (!b || !(b->path = ar__strdup(ctx, location))) {
        ar__free(ctx, b);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory opening the store");
    }
    b->ctx = ctx;
    pthread_mutex_init(&b->writer_lock, NULL);
    pthread_mutex_init(&b->pool_lock, NULL);
    pthread_cond_init(&b->pool_cv, NULL);
    ar_status st = open_conn(b, &b->writer, false, err);
    if (st == AR_OK)
        st = migrate(b, err);
    if (st != AR_OK) {
        sqlite_close(b);
        return st;
    }
    *out = b;
    return AR_OK;
}

static int sqlite_schema_version(void *p)
{
    return ((backend *)p)->schema_version;
}

static conn *take_reader(backend *b, ar_error *err, ar_status *st)
{
    pthread_mutex_lock(&b->pool_lock);
    conn *c = NULL;
    for (;;) {
        for (size_t i = 0; i < b->nreaders && !c; i++)
            if (!b->readers[i].busy)
                c = &b->readers[i];
        if (c || b->nreaders < AR_STORE_MAX_READERS)
            break;
        pthread_cond_wait(&b->pool_cv, &b->pool_lock);
    }
    if (!c) {
        c = &b->readers[b->nreaders];
        *st = open_conn(b, c, true, err);
        if (*st != AR_OK) {
            pthread_mutex_unlock(&b->pool_lock);
            return NULL;
        }
        b->nreaders++;
    }
    c->busy = true;
    pthread_mutex_unlock(&b->pool_lock);
    *st = AR_OK;
    return c;
}

static void give_reader(backend *b, conn *c)
{
    pthread_mutex_lock(&b->pool_lock);
    c->busy = false;
    pthread_cond_signal(&b->pool_cv);
    pthread_mutex_unlock(&b->pool_lock);
}

static ar_status sqlite_begin(void *p, bool write, void **out, ar_error *err)
{
    backend *b = p;
    ar_status st;
    if (write) {
        pthread_mutex_lock(&b->writer_lock);
        /* IMMEDIATE: take SQLite's write lock now, so another process's
         * writer makes us wait here rather than fail at the first write. */
        st = run(b->writer.db, "BEGIN IMMEDIATE", "starting a write", err);
        if (st != AR_OK) {
            pthread_mutex_unlock(&b->writer_lock);
            return st;
        }
        *out = &b->writer;
        return AR_OK;
    }
    conn *c = take_reader(b, err, &st);
    if (!c)
        return st;
    st = run(c->db, "BEGIN", "starting a read", err);
    if (st != AR_OK) {
        give_reader(b, c);
        return st;
    }
    *out = c;
    return AR_OK;
}

static ar_status bind_all(sqlite3_stmt *stmt, const ar_value *params, size_t n, ar_error *err)
{
    if ((int)n != sqlite3_bind_parameter_count(stmt))
        return ar_error_set(err, AR_EINTERNAL, "store", "statement wants %d parameters, got %zu",
                            sqlite3_bind_parameter_count(stmt), n);
    for (size_t i = 0; i < n; i++) {
        int col = (int)i + 1, rc = SQLITE_OK;
        const ar_value *v = &params[i];
        switch (v->type) {
        case AR_VALUE_NULL: rc = sqlite3_bind_null(stmt, col); break;
        case AR_VALUE_INT: rc = sqlite3_bind_int64(stmt, col, v->i); break;
        case AR_VALUE_TEXT:
            rc = sqlite3_bind_text64(stmt, col, v->p, v->len, SQLITE_STATIC, SQLITE_UTF8);
            break;
        case AR_VALUE_BLOB: rc = sqlite3_bind_blob64(stmt, col, v->p, v->len, SQLITE_STATIC); break;
        }
        if (rc != SQLITE_OK)
            return sqlite_error(sqlite3_db_handle(stmt), rc, "binding a parameter", err);
    }
    return AR_OK;
}

struct ar_store_row {
    sqlite3_stmt *stmt;
};

size_t ar_row_columns(const ar_store_row *row)
{
    return (size_t)sqlite3_column_count(row->stmt);
}

bool ar_row_is_null(const ar_store_row *row, size_t col)
{
    return sqlite3_column_type(row->stmt, (int)col) == SQLITE_NULL;
}

int64_t ar_row_int(const ar_store_row *row, size_t col)
{
    return sqlite3_column_int64(row->stmt, (int)col);
}

const char *ar_row_text(const ar_store_row *row, size_t col, size_t *len)
{
    const unsigned char *s = sqlite3_column_text(row->stmt, (int)col);
    if (len)
        *len = s ? (size_t)sqlite3_column_bytes(row->stmt, (int)col) : 0;
    return s ? (const char *)s : "";
}

/* A prepared statement for `sql`, from the cache or newly prepared into
 * it. *cached says whether the caller must reset (true) or finalize it. */
static int prepare(conn *c, const char *sql, sqlite3_stmt **out, bool *cached)
{
    size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE;
    cached_stmt *e = &c->cache[h];
    if (e->key == sql && e->stmt && !strcmp(e->sql, sql)) {
        *out = e->stmt;
        *cached = true;
        return SQLITE_OK;
    }
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    char *copy = rc == SQLITE_OK ? sqlite3_mprintf("%s", sql) : NULL;
    *cached = copy != NULL;
    if (copy) { /* evict whatever held the slot */
        sqlite3_finalize(e->stmt);
        sqlite3_free(e->sql);
        *e = (cached_stmt){sql, copy, *out};
    }
    return rc;
}

static ar_status sqlite_exec(void *p, const char *sql, const ar_value *params, size_t n,
                             ar_store_row_fn fn, void *ud, int64_t *changes, ar_error *err)
{
    conn *c = p;
    sqlite3_stmt *stmt = NULL;
    bool cached = false;
    int rc = prepare(c, sql, &stmt, &cached);
    if (rc != SQLITE_OK)
        return sqlite_error(c->db, rc, "preparing a statement", err);
    ar_status st = bind_all(stmt, params, n, err);
    ar_store_row row = {stmt};
    while (st == AR_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (fn)
            st = fn(ud, &row, err);
    if (st == AR_OK && rc != SQLITE_DONE)
        st = sqlite_error(c->db, rc, "running a statement", err);
    if (st == AR_OK && changes)
        *changes = sqlite3_changes64(c->db);
    if (cached) {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt); /* bound text is the caller's: drop it now */
    } else {
        sqlite3_finalize(stmt);
    }
    return st;
}

static ar_status sqlite_commit(void *p, void *cp, ar_error *err)
{
    backend *b = p;
    conn *c = cp;
    ar_status st = run(c->db, "COMMIT", "committing", err);
    if (st != AR_OK)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    if (c == &b->writer)
        pthread_mutex_unlock(&b->writer_lock);
    else
        give_reader(b, c);
    return st;
}

static void sqlite_rollback(void *p, void *cp)
{
    backend *b = p;
    conn *c = cp;
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    if (c == &b->writer)
        pthread_mutex_unlock(&b->writer_lock);
    else
        give_reader(b, c);
}

const ar__store_methods ar__store_sqlite = {
    .version = 1,
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .exec = sqlite_exec,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
};
