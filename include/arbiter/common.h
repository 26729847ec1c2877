/*
 * arbiter/common.h - results, errors, logging and the library context.
 *
 * One error convention for the whole library: every fallible function
 * returns an ar_status and takes an ar_error *err last (NULL allowed).
 * AR_OK is 0. Status codes are append-only: they are kept in the audit log
 * and sent over HTTP, so a code never changes meaning or number.
 *
 * One logging convention: the library never writes to stderr. It calls the
 * ar_log_fn it was given with a module, an event name and typed key/value
 * fields; programs write each call as one JSON object per line
 * (ar_log_format_json). Log ids, codes, counts and durations; never item
 * text, author references, IPs or tokens.
 *
 * THREAD SAFETY: an ar_ctx is immutable after ar_ctx_new() and may be shared
 * by any number of threads; the log callback must then be thread-safe.
 * ar_error is per call.
 */
#ifndef ARBITER_COMMON_H
#define ARBITER_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_API       __attribute__((visibility("default")))
#define AR_INTERNAL  __attribute__((visibility("hidden")))
#define AR_NODISCARD __attribute__((warn_unused_result))
#define AR_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define AR_VERSION_STRING "0.1.0"

/* Append only: never renumber, never remove. */
typedef enum ar_status {
    AR_OK = 0,
    AR_EINVAL,     /* bad input: names the field, line or value */
    AR_ENOTFOUND,  /* no such object or file */
    AR_ECONFLICT,  /* state does not allow the change */
    AR_EDENIED,    /* actor lacks the role */
    AR_ETOOBIG,    /* over a documented ceiling */
    AR_ENOMEM,     /* allocation failed */
    AR_EIO,        /* read, write or fsync failed */
    AR_EBACKEND,   /* a library below us failed (vectorscan, ICU, SQLite) */
    AR_ECORRUPT,   /* stored data fails its own checks */
    AR_EINTERNAL,  /* a bug: an invariant did not hold */
} ar_status;

#define AR_ERROR_FIELD_MAX   96
#define AR_ERROR_MESSAGE_MAX 256
#define AR_ERROR_FILE_MAX    256

typedef struct ar_error {
    ar_status status;
    unsigned line;                       /* 1-based line in `file`; 0 if none */
    unsigned column;                     /* 1-based column; 0 if none */
    char file[AR_ERROR_FILE_MAX];        /* policy or input file; "" if none */
    char field[AR_ERROR_FIELD_MAX];      /* "standards[2].rules[1].regex"; "" if none */
    char message[AR_ERROR_MESSAGE_MAX];  /* for people; never item text or personal data */
} ar_error;

/* Stable snake_case name of a status, the JSON "code" ("invalid_argument"). */
AR_API const char *ar_status_name(ar_status s);

/* Fill *err (if not NULL) and return `s`, so callers write
 * `return ar_error_set(err, AR_EINVAL, "text", "item over %zu bytes", max);`.
 * `field` may be NULL. Line, column and file are cleared. */
AR_API ar_status ar_error_set(ar_error *err, ar_status s, const char *field, const char *fmt, ...)
    AR_PRINTF(4, 5);

/* As ar_error_set, with a position in a file (file may be NULL). */
AR_API ar_status ar_error_set_at(ar_error *err, ar_status s, const char *file, unsigned line,
                                 unsigned column, const char *field, const char *fmt, ...)
    AR_PRINTF(7, 8);

AR_API void ar_error_clear(ar_error *err);

/* "file:line:column: message" (parts omitted when empty) into buf. */
AR_API void ar_error_format(const ar_error *err, char *buf, size_t size);

/*---- Time --------------------------------------------------------------*/

/* RFC 3339 ("2026-11-20T10:00:00Z", "2026-11-20T15:00:00+05:00") to Unix
 * seconds, without the process's time zone. AR_EINVAL names `field`. */
AR_API AR_NODISCARD ar_status ar_time_parse(const char *s, const char *field, int64_t *out,
                                            ar_error *err);
/* Unix seconds to "2026-11-20T10:00:00Z". */
AR_API void ar_time_format(int64_t t, char out[21]);

/*---- Logging ------------------------------------------------------------*/

typedef enum ar_log_level {
    AR_LOG_ERROR = 0,
    AR_LOG_WARN,
    AR_LOG_INFO,
    AR_LOG_DEBUG,
} ar_log_level;

typedef enum ar_log_type { AR_LOG_STR, AR_LOG_INT, AR_LOG_DBL } ar_log_type;

typedef struct ar_log_kv {
    const char *key;
    ar_log_type type;
    union {
        const char *s;
        int64_t i;
        double d;
    } v;
} ar_log_kv;

#define AR_KV_STR(k, x) ((ar_log_kv){.key = (k), .type = AR_LOG_STR, .v.s = (x)})
#define AR_KV_INT(k, x) ((ar_log_kv){.key = (k), .type = AR_LOG_INT, .v.i = (int64_t)(x)})
#define AR_KV_DBL(k, x) ((ar_log_kv){.key = (k), .type = AR_LOG_DBL, .v.d = (double)(x)})

typedef void (*ar_log_fn)(void *ud, ar_log_level level, const char *module, const char *event,
                          const ar_log_kv *kv, size_t nkv);

AR_API const char *ar_log_level_name(ar_log_level level);

/* One JSON object (no newline) into buf: {"level":..,"module":..,"event":..,k:v..}.
 * Returns the length it needed (like snprintf); output is truncated to size. */
AR_API size_t ar_log_format_json(char *buf, size_t size, ar_log_level level, const char *module,
                                 const char *event, const ar_log_kv *kv, size_t nkv);

/*---- Context ------------------------------------------------------------*/

/* All library allocation goes through this (tests use it to fail allocations).
 * Libraries below us (ICU, vectorscan, libfyaml) allocate on their own. */
typedef struct ar_alloc {
    void *(*malloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t size);
    void (*free)(void *ud, void *ptr);
    void *ud;
} ar_alloc;

typedef struct ar_ctx_opts {
    const ar_alloc *alloc; /* NULL: the C library's */
    ar_log_fn log;         /* NULL: logging off */
    void *log_ud;
    ar_log_level log_level; /* calls above this level are skipped before formatting */
} ar_ctx_opts;

typedef struct ar_ctx ar_ctx;

/* opts may be NULL (defaults). */
AR_API AR_NODISCARD ar_status ar_ctx_new(const ar_ctx_opts *opts, ar_ctx **out, ar_error *err);
AR_API void ar_ctx_free(ar_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
