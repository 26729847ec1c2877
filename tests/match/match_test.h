/*
 * match_test.h - the fixture the match tests share: a normaliser, a
 * database compiled from a pattern list, one scan at a time, and a check
 * that a match covers the expected bytes of the original text.
 */
#ifndef MATCH_TEST_H
#define MATCH_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arbiter/match.h"

typedef struct fx {
    ar_ctx *ctx;
    ar_text_norm *norm;
    ar_match_db *db;
    ar_match_scratch *s;
    ar_text_out t;
    ar_match_list l;
    ar_error err;
} fx;

#define PAT(k, e, fl, i, g)                                                                        \
    {                                                                                              \
        .expr = (e), .len = sizeof(e) - 1, .kind = (k), .flags = (fl), .id = (i), .group = (g)     \
    }
#define TERM(e, i)   PAT(AR_MATCH_TERM, e, 0, i, 0)
#define SUBSTR(e, i) PAT(AR_MATCH_TERM, e, AR_MATCH_SUBSTRING, i, 0)
#define RE(e, i)     PAT(AR_MATCH_REGEX, e, 0, i, 0)
#define SUBRE(e, i)  PAT(AR_MATCH_REGEX, e, AR_MATCH_SUBSTRING, i, 0)
#define ALLOW(e, g)  PAT(AR_MATCH_ALLOW, e, 0, 999, g)

static inline int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, NULL), AR_OK);
    assert_int_equal(ar_text_norm_new(f->ctx, NULL, 0, &f->norm, NULL), AR_OK);
    ar_text_out_init(&f->t, f->ctx);
    ar_match_list_init(&f->l, f->ctx);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    fx *f = *state;
    ar_match_list_free(&f->l);
    ar_text_out_free(&f->t);
    ar_match_scratch_free(f->s);
    ar_match_db_free(f->db);
    ar_text_norm_free(f->norm);
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

static inline void compile(fx *f, const ar_match_pattern *p, size_t n)
{
    ar_match_scratch_free(f->s);
    ar_match_db_free(f->db);
    f->s = NULL;
    f->db = NULL;
    ar_status st = ar_match_db_compile(f->ctx, f->norm, p, n, &f->db, &f->err);
    if (st != AR_OK) print_error("compile: %s: %s\n", f->err.field, f->err.message);
    assert_int_equal(st, AR_OK);
    assert_int_equal(ar_match_scratch_new(f->db, &f->s, &f->err), AR_OK);
}

static inline size_t scan(fx *f, const char *text)
{
    assert_int_equal(ar_text_normalize(f->norm, text, strlen(text), &f->t, &f->err), AR_OK);
    assert_int_equal(ar_match_scan(f->db, f->s, &f->t, &f->l, &f->err), AR_OK);
    return f->l.n;
}

/* Match k has `id` and covers the first occurrence of `sub` in `text`. */
static inline void assert_span(const fx *f, size_t k, uint32_t id, const char *text, const char *sub)
{
    const char *p = strstr(text, sub);
    assert_non_null(p);
    assert_true(k < f->l.n);
    assert_int_equal(f->l.v[k].id, id);
    assert_int_equal(f->l.v[k].start, (uint32_t)(p - text));
    assert_int_equal(f->l.v[k].end, (uint32_t)(p - text + strlen(sub)));
    /* The normalised span holds no bracketing spaces. */
    assert_true(f->l.v[k].nstart < f->l.v[k].nend);
    assert_int_not_equal(f->t.buf[f->l.v[k].nstart], ' ');
    assert_int_not_equal(f->t.buf[f->l.v[k].nend - 1], ' ');
}

#endif
