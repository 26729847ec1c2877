/*
 * test_alloc.c - every allocation of compile, scratch and scan fails in
 * turn: each failure is AR_ENOMEM with nothing half-made handed out, and
 * (under AddressSanitizer) nothing leaks. A warm scan allocates nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arbiter/match.h"

typedef struct counter {
    long n;       /* allocations so far */
    long fail_at; /* the one to fail (0: none) */
} counter;

static void *c_malloc(void *ud, size_t size)
{
    counter *c = ud;
    if (++c->n == c->fail_at) return NULL;
    return malloc(size);
}

static void *c_realloc(void *ud, void *p, size_t size)
{
    counter *c = ud;
    if (++c->n == c->fail_at) return NULL;
    return realloc(p, size);
}

static void c_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

#define PAT(k, e, fl, i, g)                                                                        \
    {                                                                                              \
        .expr = (e), .len = sizeof(e) - 1, .kind = (k), .flags = (fl), .id = (i), .group = (g)     \
    }

static const ar_match_pattern pats[] = {
    PAT(AR_MATCH_TERM, "free money", 0, 1, 0),
    PAT(AR_MATCH_TERM, "ass", AR_MATCH_SUBSTRING, 2, 0),
    PAT(AR_MATCH_TERM, "cunt", AR_MATCH_SUBSTRING, 3, 0),
    PAT(AR_MATCH_TERM, "傻逼", 0, 4, 0),
    PAT(AR_MATCH_ALLOW, "scunthorpe", 0, 0, AR_MATCH_GROUP_ALL),
    PAT(AR_MATCH_ALLOW, "classic", 0, 0, 0),
    PAT(AR_MATCH_REGEX, "spam(?: spam)*", 0, 5, 0),
    PAT(AR_MATCH_REGEX, "b\\w+d", AR_MATCH_SUBSTRING, 6, 0),
};

static const char text[] = "FR33 money! a classic ass from Scunthorpe, spam spam, 你是傻逼 bad";

/* Compile, make a scratch and scan with allocation `fail_at` failing.
 * Returns the first status that is not AR_OK (AR_OK if all passed) and
 * sets *used to the allocations made. */
static ar_status run_once(long fail_at, long *used, size_t *nmatches)
{
    counter c = {0, fail_at};
    const ar_alloc alloc = {c_malloc, c_realloc, c_free, &c};
    const ar_ctx_opts opts = {.alloc = &alloc};
    ar_ctx *ctx = NULL, *plain = NULL;
    ar_text_norm *norm = NULL;
    ar_match_db *db = (ar_match_db *)&c; /* must come back NULL on failure */
    ar_match_scratch *s = (ar_match_scratch *)&c;
    ar_text_out t;
    ar_match_list l;
    ar_error err = {0};

    /* The normaliser and the text come from a context that never fails:
     * the failures under test are the match module's. */
    assert_int_equal(ar_ctx_new(NULL, &plain, NULL), AR_OK);
    assert_int_equal(ar_text_norm_new(plain, NULL, 0, &norm, NULL), AR_OK);
    ar_text_out_init(&t, plain);
    assert_int_equal(ar_text_normalize(norm, text, sizeof text - 1, &t, NULL), AR_OK);
    c.fail_at = 0;
    assert_int_equal(ar_ctx_new(&opts, &ctx, NULL), AR_OK);
    c.n = 0;
    c.fail_at = fail_at;
    ar_match_list_init(&l, ctx);

    ar_status st = ar_match_db_compile(ctx, norm, pats, sizeof pats / sizeof pats[0], &db, &err);
    if (st != AR_OK) {
        assert_null(db);
        goto done;
    }
    st = ar_match_scratch_new(db, &s, &err);
    if (st != AR_OK) {
        assert_null(s);
        goto done;
    }
    st = ar_match_scan(db, s, &t, &l, &err);
    if (st != AR_OK) {
        assert_int_equal(l.n, 0);
        goto done;
    }
    *nmatches = l.n;
    /* Warm: the same scan again allocates nothing. */
    long before = c.n;
    assert_int_equal(ar_match_scan(db, s, &t, &l, &err), AR_OK);
    assert_int_equal(c.n, before);
    assert_int_equal(l.n, *nmatches);
done:
    *used = c.n;
    c.fail_at = 0;
    ar_match_list_free(&l);
    if (s != (ar_match_scratch *)&c) ar_match_scratch_free(s);
    if (db != (ar_match_db *)&c) ar_match_db_free(db);
    ar_text_out_free(&t);
    ar_text_norm_free(norm);
    ar_ctx_free(ctx);
    ar_ctx_free(plain);
    return st;
}

static void test_match_each_allocation_failure_is_enomem(void **state)
{
    (void)state;
    long used = 0;
    size_t want = 0;
    assert_int_equal(run_once(0, &used, &want), AR_OK);
    assert_true(want >= 5);
    assert_true(used > 0);
    for (long k = 1; k <= used; k++) {
        long u = 0;
        size_t n = 0;
        assert_int_equal(run_once(k, &u, &n), AR_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_each_allocation_failure_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
