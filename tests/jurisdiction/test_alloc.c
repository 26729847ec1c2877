/* tests/jurisdiction/test_alloc.c - out of memory at every allocation a
 * load makes: it fails with AR_ENOMEM, leaks nothing (counted here, and
 * under ASan), returns no set, and succeeds once memory is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "jur_test.h"

#include "fail_alloc.h"

/* Load `path` failing allocation n = 1, 2, ... until a run needs no more
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
    long runs = 0;
    for (long n = 1;; n++) {
        f.countdown = n;
        ar_jurisdictions *j = NULL;
        ar_diag_list d;
        ar_diag_list_init(&d, ctx);
        ar_status s = ar_jurisdictions_load(ctx, path, &j, &d, &err);
        bool reached = f.countdown == 0;
        f.countdown = 0;
        if (reached && s == AR_ENOMEM) {
            assert_null(j);
        } else {
            assert_int_equal(s, final);
            if (s == AR_OK)
                assert_non_null(j);
            else
                assert_null(j);
        }
        ar_jurisdictions_free(j);
        ar_diag_list_free(&d);
        assert_int_equal(f.live, base);
        runs++;
        if (!reached)
            break;
    }
    assert_true(runs > 1);
    ar_ctx_free(ctx);
    assert_int_equal(f.live, 0);
}

static void test_shipped_file_survives_every_failed_allocation(void **state)
{
    (void)state;
    fail_each_allocation(AR_SOURCE_DIR "/policies/jurisdictions.yaml", AR_OK);
}

static void test_bad_file_survives_every_failed_allocation(void **state)
{
    (void)state;
    fail_each_allocation(AR_TEST_DATA_DIR "/bad/clock.yaml", AR_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_file_survives_every_failed_allocation),
        cmocka_unit_test(test_bad_file_survives_every_failed_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
