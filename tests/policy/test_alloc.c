/* tests/policy/test_alloc.c - out of memory at every allocation the parser
 * makes: it fails with AR_ENOMEM, leaks nothing (run under ASan), writes no
 * policy, and succeeds once memory is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/policy.h"

#define DATA AR_TEST_DATA_DIR

#include "fail_alloc.h"

/* Parse `path` failing allocation n = 1, 2, ... until a run needs no more
 * than it was given; that run must end with `final`. */
static void fail_each_allocation(const char *path, ar_status final)
{
    failing f = {0, 0};
    ar_alloc alloc = {f_malloc, f_realloc, f_free, &f};
    ar_ctx_opts opts = {.alloc = &alloc};
    ar_ctx *ctx = NULL;
    ar_error err;
    assert_int_equal(ar_ctx_new(&opts, &ctx, &err), AR_OK);
    long base = f.live;
    for (long n = 1;; n++) {
        f.countdown = n;
        ar_policy *p = NULL;
        ar_diag_list d;
        ar_diag_list_init(&d, ctx);
        ar_status s = ar_policy_parse_file(ctx, path, &p, &d, &err);
        bool reached = f.countdown == 0;
        f.countdown = 0;
        if (reached && s == AR_ENOMEM) {
            assert_null(p);
        } else {
            assert_int_equal(s, final);
            if (s == AR_OK)
                assert_non_null(p);
        }
        ar_policy_free(p);
        ar_diag_list_free(&d);
        assert_int_equal(f.live, base); /* nothing leaked on any path */
        if (!reached)
            break;
        /* The failed allocation may be one the parser can do without
         * (a diagnostic beyond the first, say): then any result is fine
         * as long as it is the right one or AR_ENOMEM. */
    }
    ar_ctx_free(ctx);
}

static void test_good_policy_survives_every_failed_allocation(void **state)
{
    (void)state;
    fail_each_allocation(DATA "/good/full.yaml", AR_OK);
}

static void test_bad_policy_survives_every_failed_allocation(void **state)
{
    (void)state;
    fail_each_allocation(DATA "/bad/many.yaml", AR_EINVAL);
    fail_each_allocation(DATA "/bad/bad_utf8_terms.yaml", AR_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_policy_survives_every_failed_allocation),
        cmocka_unit_test(test_bad_policy_survives_every_failed_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
