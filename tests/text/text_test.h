/* tests/text/text_test.h - what the text tests share: a context with a
 * counting allocator that can be told to fail, a default normaliser, and
 * checks of the output's invariants. Header-only, one copy per test binary. */
#ifndef AR_TEXT_TEST_H
#define AR_TEXT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/text.h"

typedef struct counting {
    size_t allocs;   /* malloc + realloc calls */
    long fail_after; /* fail the call after this many more; -1: never */
} counting;

static inline void *count_malloc(void *ud, size_t size)
{
    counting *c = ud;
    if (c->fail_after == 0) return NULL;
    if (c->fail_after > 0) c->fail_after--;
    c->allocs++;
    return malloc(size);
}

static inline void *count_realloc(void *ud, void *p, size_t size)
{
    counting *c = ud;
    if (c->fail_after == 0) return NULL;
    if (c->fail_after > 0) c->fail_after--;
    c->allocs++;
    return realloc(p, size);
}

static inline void count_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

typedef struct fixture {
    counting count;
    ar_alloc alloc;
    ar_ctx *ctx;
    ar_text_norm *norm;
    ar_text_out out;
} fixture;

static inline int fixture_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->count.fail_after = -1;
    f->alloc = (ar_alloc){count_malloc, count_realloc, count_free, &f->count};
    ar_ctx_opts opts = {.alloc = &f->alloc};
    ar_error err;
    if (ar_ctx_new(&opts, &f->ctx, &err) != AR_OK ||
        ar_text_norm_new(f->ctx, NULL, 0, &f->norm, &err) != AR_OK)
        return -1;
    ar_text_out_init(&f->out, f->ctx);
    *state = f;
    return 0;
}

static inline int fixture_teardown(void **state)
{
    fixture *f = *state;
    ar_text_out_free(&f->out);
    ar_text_norm_free(f->norm);
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* The invariants text.h promises for any input. */
static inline void check_invariants(const ar_text_out *out, size_t inlen)
{
    assert_true(out->len >= 1);
    assert_int_equal(out->buf[0], ' ');
    assert_int_equal(out->buf[out->len - 1], ' ');
    assert_int_equal(out->buf[out->len], '\0');
    assert_int_equal(strlen(out->buf), out->len);
    for (size_t i = 0; i < out->len; i++) {
        assert_true(out->src_start[i] <= out->src_end[i]);
        assert_true(out->src_end[i] <= inlen);
        assert_true(out->run[i] >= 1);
        if (i) {
            assert_true(out->src_start[i - 1] <= out->src_start[i]);
            assert_false(out->buf[i - 1] == ' ' && out->buf[i] == ' ');
        }
        assert_false(out->buf[i] >= 'A' && out->buf[i] <= 'Z');
    }
    assert_true(ar_text_utf8_valid(out->buf, out->len));
}

/* Normalise s with norm into out, check the invariants, return out->buf. */
static inline const char *norm_with(const ar_text_norm *norm, ar_text_out *out, const char *s,
                                    size_t n)
{
    ar_error err;
    assert_int_equal(ar_text_normalize(norm, s, n, out, &err), AR_OK);
    check_invariants(out, n);
    return out->buf;
}

static inline const char *norm_str(fixture *f, const char *s)
{
    return norm_with(f->norm, &f->out, s, strlen(s));
}

/* Run length recorded on the first byte of the first occurrence of `what` in out. */
static inline unsigned run_at(const ar_text_out *out, const char *what)
{
    const char *p = strstr(out->buf, what);
    assert_non_null(p);
    return out->run[p - out->buf];
}

/* a and b normalise to the same stream. */
static inline void assert_same_norm(fixture *f, const char *a, const char *b)
{
    char *x = strdup(norm_str(f, a));
    assert_non_null(x);
    assert_string_equal(x, norm_str(f, b));
    free(x);
}

#define ASSERT_NORM(f, in, expect) assert_string_equal(norm_str((f), (in)), (expect))

#endif
