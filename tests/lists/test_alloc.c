/* tests/lists/test_alloc.c - building a lists snapshot (a URL list and a
 * bank) and looking up in it, failing each allocation in turn: every
 * failure is AR_ENOMEM and leaves no block behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arbiter/lists.h"
#include "fail_alloc.h"

#define H0 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* Build and query once; the status of the first failure, or AR_OK. */
static ar_status build(ar_ctx *ctx)
{
    ar_lists *l = NULL;
    uint32_t u = 0, b = 0;
    ar_status st = ar_lists_new(ctx, &l, NULL);
    if (st != AR_OK)
        return st;
    static const char *const exprs[] = {"evil.example/", "a.test/b/", "c.test/", "d.test/e?f"};
    st = ar_lists_add(l, "phish", AR_LIST_URL, &u, NULL);
    for (size_t i = 0; st == AR_OK && i < 4; i++)
        st = ar_lists_add_entry(l, u, exprs[i], NULL);
    if (st == AR_OK)
        st = ar_lists_add(l, "bank", AR_LIST_PDQ, &b, NULL);
    for (size_t i = 0; st == AR_OK && i < 3; i++)
        st = ar_lists_add_entry(l, b, H0, NULL);
    if (st == AR_OK) {
        ar_lists_freeze(l);
        ar_url_hit hits[4];
        assert_int_equal(ar_lists_url_lookup(l, "http://x.evil.example/a", hits, 4), 1);
        ar_pdq_hash h;
        ar_hash_hit hit;
        assert_int_equal(ar_pdq_from_hex(H0, 64, &h, NULL), AR_OK);
        assert_true(ar_lists_hash_nearest(l, b, &h, 0, &hit));
    }
    ar_lists_release(l);
    return st;
}

static void test_every_allocation_failure_is_enomem_without_leaks(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        failing f = {n, 0};
        ar_alloc a = {f_malloc, f_realloc, f_free, &f};
        ar_ctx_opts o = {.alloc = &a};
        ar_ctx *ctx = NULL;
        if (ar_ctx_new(&o, &ctx, NULL) != AR_OK)
            continue; /* the context itself failed */
        ar_status st = build(ctx);
        ar_ctx_free(ctx);
        assert_int_equal(f.live, 0);
        if (st == AR_OK) {
            assert_true(n > 3);
            break; /* reached the end before the n-th allocation */
        }
        assert_int_equal(st, AR_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_is_enomem_without_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
