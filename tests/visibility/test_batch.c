/* tests/visibility/test_batch.c - the batched lookup (ar_visibility_get_many,
 * internal for now) answers exactly what ar_visibility_get answers, for
 * every batch size around its pipeline's depth and for every odd input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visibility/visibility_int.h"

#define ITEMS 3000

typedef struct fixture {
    ar_ctx *ctx;
    ar_visibility *v;
} fixture;

static int setup(void **state)
{
    static fixture f;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &f.ctx, &err), AR_OK);
    assert_int_equal(ar_visibility_new(f.ctx, 0, &f.v, &err), AR_OK);
    /* removed, inline, large (pair slots), reinstated, never set */
    static const char *const sets[] = {NULL, "DEFR", "AAABACADAEAFAGAHDE", "", "-"};
    char id[32];
    for (size_t i = 0; i < ITEMS; i++) {
        const char *s = sets[i % 5];
        if (s && s[0] == '-')
            continue;
        snprintf(id, sizeof id, "item-%zu", i);
        if (s && !s[0])
            assert_int_equal(ar_visibility_set(f.v, id, strlen(id), false, "IT", 1, &err), AR_OK);
        assert_int_equal(ar_visibility_set(f.v, id, strlen(id), s == NULL, s, s ? strlen(s) / 2 : 0,
                                           &err),
                         AR_OK);
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar_visibility_free(f->v);
    ar_ctx_free(f->ctx);
    return 0;
}

/* n queries over the items (and some never set), the odd ones included. */
static void same_as_one_at_a_time(const ar_visibility *v, size_t n, bool with_countries)
{
    static const char *const ccs = "DEFRAAAHITZZdefrD1\0\0";
    char (*ids)[32] = calloc(n + 1, 32);
    const char **idp = calloc(n + 1, sizeof *idp);
    size_t *lens = calloc(n + 1, sizeof *lens);
    char *countries = calloc(2 * n + 2, 1);
    ar_visibility_state *out = calloc(n + 1, sizeof *out);
    assert_true(ids && idp && lens && countries && out);
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)rand() % (ITEMS + ITEMS / 10);
        lens[i] = (size_t)snprintf(ids[i], 32, "item-%zu", k);
        idp[i] = ids[i];
        if (i % 37 == 5)
            idp[i] = NULL; /* no id */
        if (i % 41 == 7)
            lens[i] = 0; /* empty id */
        memcpy(countries + 2 * i, ccs + 2 * ((size_t)rand() % 10), 2);
    }
    ar_visibility_get_many(v, n, idp, lens, with_countries ? countries : NULL, out);
    for (size_t i = 0; i < n; i++) {
        ar_visibility_state want =
            ar_visibility_get(v, idp[i], lens[i], with_countries ? countries + 2 * i : NULL);
        if (out[i] != want)
            fail_msg("batch of %zu, #%zu (%s in %.2s): %s, one at a time %s", n, i,
                     idp[i] ? ids[i] : "NULL", with_countries ? countries + 2 * i : "--",
                     ar_visibility_state_name(out[i]), ar_visibility_state_name(want));
    }
    free(ids);
    free(idp);
    free(lens);
    free(countries);
    free(out);
}

static void test_batch_answers_as_one_at_a_time(void **state)
{
    fixture *f = *state;
    static const size_t sizes[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 1000, 5000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        same_as_one_at_a_time(f->v, sizes[i], true);
        same_as_one_at_a_time(f->v, sizes[i], false);
    }
}

static void test_batch_finds_every_state(void **state)
{
    fixture *f = *state;
    const char *ids[] = {"item-0", "item-1", "item-1", "item-2", "item-2", "item-3", "item-4"};
    size_t lens[] = {6, 6, 6, 6, 6, 6, 6};
    ar_visibility_state out[7];
    ar_visibility_get_many(f->v, 7, ids, lens, "PKDEUSAHUSITDE", out);
    assert_int_equal(out[0], AR_REMOVED);
    assert_int_equal(out[1], AR_RESTRICTED);
    assert_int_equal(out[2], AR_VISIBLE);
    assert_int_equal(out[3], AR_RESTRICTED); /* a pair slot */
    assert_int_equal(out[4], AR_VISIBLE);
    assert_int_equal(out[5], AR_VISIBLE); /* reinstated */
    assert_int_equal(out[6], AR_VISIBLE); /* never set */
}

static void test_batch_with_null_arguments_reads_visible(void **state)
{
    fixture *f = *state;
    const char *ids[] = {"item-0"};
    size_t lens[] = {6};
    ar_visibility_state out[1] = {AR_REMOVED};
    ar_visibility_get_many(NULL, 1, ids, lens, "DE", out);
    assert_int_equal(out[0], AR_VISIBLE);
    out[0] = AR_REMOVED;
    ar_visibility_get_many(f->v, 1, NULL, lens, "DE", out);
    assert_int_equal(out[0], AR_VISIBLE);
    out[0] = AR_REMOVED;
    ar_visibility_get_many(f->v, 1, ids, NULL, "DE", out);
    assert_int_equal(out[0], AR_VISIBLE);
    ar_visibility_get_many(f->v, 1, ids, lens, "DE", NULL);
    ar_visibility_get_many(f->v, 0, NULL, NULL, NULL, out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_batch_answers_as_one_at_a_time),
        T(test_batch_finds_every_state),
        T(test_batch_with_null_arguments_reads_visible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
