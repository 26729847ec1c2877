/*
 * ctx.c - the library context: the allocator every module goes through,
 * and bounded growth of arrays.
 */
#include "common_int.h"

#include <stdlib.h>

static void *libc_malloc(void *ud, size_t size)
{
    (void)ud;
    return malloc(size);
}

static void *libc_realloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    return realloc(ptr, size);
}

static void libc_free(void *ud, void *ptr)
{
    (void)ud;
    free(ptr);
}

static const ar_alloc libc_alloc = {libc_malloc, libc_realloc, libc_free, NULL};

ar_status ar_ctx_new(const ar_ctx_opts *opts, ar_ctx **out, ar_error *err)
{
    const ar_alloc *a = opts && opts->alloc ? opts->alloc : &libc_alloc;
    if (!out)
        return ar_error_set(err, AR_EINVAL, "out", "ar_ctx_new: out is NULL");
    *out = NULL;
    if (!a->malloc || !a->realloc || !a->free)
        return ar_error_set(err, AR_EINVAL, "alloc", "allocator lacks malloc, realloc or free");
    ar_ctx *ctx = a->malloc(a->ud, sizeof *ctx);
    if (!ctx)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory creating the context");
    ctx->alloc = *a;
    ctx->log = opts ? opts->log : NULL;
    ctx->log_ud = opts ? opts->log_ud : NULL;
    ctx->log_level = opts ? opts->log_level : AR_LOG_INFO;
    *out = ctx;
    return AR_OK;
}

void ar_ctx_free(ar_ctx *ctx)
{
    if (!ctx)
        return;
    ar_alloc a = ctx->alloc;
    a.free(a.ud, ctx);
}

void *ar__malloc(const ar_ctx *ctx, size_t size)
{
    return ctx->alloc.malloc(ctx->alloc.ud, size ? size : 1);
}

void *ar__calloc(const ar_ctx *ctx, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t total = n * size;
    void *p = ar__malloc(ctx, total);
    if (p)
        memset(p, 0, total > 0 ? total : 1);
    return p;
}

void *ar__realloc(const ar_ctx *ctx, void *ptr, size_t size)
{
    return ctx->alloc.realloc(ctx->alloc.ud, ptr, size ? size : 1);
}

void ar__free(const ar_ctx *ctx, void *ptr)
{
    if (ptr)
        ctx->alloc.free(ctx->alloc.ud, ptr);
}

char *ar__strndup(const ar_ctx *ctx, const char *s, size_t n)
{
    char *d = ar__malloc(ctx, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *ar__strdup(const ar_ctx *ctx, const char *s)
{
    return s ? ar__strndup(ctx, s, strlen(s)) : NULL;
}

ar_status ar__grow(const ar_ctx *ctx, void **v, size_t *cap, size_t need, size_t elem, size_t max,
                   ar_error *err)
{
    if (need <= *cap)
        return AR_OK;
    if (need > max)
        return ar_error_set(err, AR_ETOOBIG, NULL, "over the limit of %zu elements", max);
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap = ncap > max / 2 ? max : ncap * 2;
    if (elem && ncap > SIZE_MAX / elem)
        return ar_error_set(err, AR_ETOOBIG, NULL, "allocation size overflows");
    void *p = ar__realloc(ctx, *v, ncap * elem);
    if (!p)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory growing to %zu elements", ncap);
    *v = p;
    *cap = ncap;
    return AR_OK;
}
