/*
 * common_int.h - what every module of libarbiter shares internally:
 * allocation through the context, logging, asserts, fault injection and
 * bounded growable buffers. Not installed; hidden in the shared library.
 */
#ifndef AR_COMMON_INT_H
#define AR_COMMON_INT_H

#include "arbiter/common.h"

#include <stdbool.h>
#include <string.h>

struct ar_ctx {
    ar_alloc alloc;
    ar_log_fn log;
    void *log_ud;
    ar_log_level log_level;
};

AR_INTERNAL void *ar__malloc(const ar_ctx *ctx, size_t size);
AR_INTERNAL void *ar__calloc(const ar_ctx *ctx, size_t n, size_t size); /* overflow-checked */
AR_INTERNAL void *ar__realloc(const ar_ctx *ctx, void *ptr, size_t size);
AR_INTERNAL void ar__free(const ar_ctx *ctx, void *ptr);
AR_INTERNAL char *ar__strdup(const ar_ctx *ctx, const char *s);

/* Why jansson refused a document, without the input it quotes ("near
 * '...'"): printable ASCII into out[size]. (json_error.c) */
struct json_error_t;
AR_INTERNAL void ar__json_error_reason(const struct json_error_t *je, char *out, size_t size);
AR_INTERNAL char *ar__strndup(const ar_ctx *ctx, const char *s, size_t n);

/* Grow *v (of *cap elements of `elem` bytes) to hold at least `need`.
 * Doubles; fails with AR_ETOOBIG past `max` elements. */
AR_INTERNAL ar_status ar__grow(const ar_ctx *ctx, void **v, size_t *cap, size_t need, size_t elem,
                               size_t max, ar_error *err);

AR_INTERNAL void ar__log(const ar_ctx *ctx, ar_log_level level, const char *module,
                         const char *event, const ar_log_kv *kv, size_t nkv);

/* Checks the level before the fields are even built. */
#define AR_LOG(ctx, level, module, event, ...)                                                      \
    do {                                                                                           \
        if ((ctx) && (ctx)->log && (level) <= (ctx)->log_level) {                                  \
            const ar_log_kv ar_kv_[] = {__VA_ARGS__};                                              \
            ar__log((ctx), (level), (module), (event), ar_kv_, sizeof ar_kv_ / sizeof ar_kv_[0]);  \
        }                                                                                          \
    } while (0)

/* Invariants (debug builds only). Untrusted input never reaches these: it gets AR_EINVAL. */
#ifdef NDEBUG
#define AR_ASSERT(x) ((void)0)
#define AR_ALWAYS(x) (x)
#define AR_NEVER(x)  (x)
#else
#include <assert.h>
#define AR_ASSERT(x) assert(x)
#define AR_ALWAYS(x) ((x) ? 1 : (assert(0), 0))
#define AR_NEVER(x)  ((x) ? (assert(0), 1) : 0)
#endif

#define AR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
