/* tests/visibility/test_growth.c - the index past many page splits and
 * directory doublings with every entry still right; memory_bytes equal to
 * what the allocator holds; the per-pair memory with and without a
 * capacity hint; tombstones reclaimed; and failed allocations at every
 * point of a growth leaving the index as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/visibility.h"

/*---- An allocator that counts bytes and can fail ----*/

typedef struct counting {
    size_t bytes;   /* live bytes */
    long blocks;    /* live blocks */
    long countdown; /* the allocation that fails: 1 is the next one; <= 0 never */
} counting;

#define HDR 16 /* keeps the caller's block 16-byte aligned */

static bool c_fail(counting *c)
{
    return c->countdown > 0 && --c->countdown == 0;
}

static void *c_malloc(void *ud, size_t size)
{
    counting *c = ud;
    if (c_fail(c))
        return NULL;
    unsigned char *p = malloc(size + HDR);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    c->bytes += size;
    c->blocks++;
    return p + HDR;
}

static void *c_realloc(void *ud, void *ptr, size_t size)
{
    counting *c = ud;
    if (!ptr)
        return c_malloc(ud, size);
    if (c_fail(c))
        return NULL;
    unsigned char *h = (unsigned char *)ptr - HDR;
    size_t old;
    memcpy(&old, h, sizeof old);
    unsigned char *p = realloc(h, size + HDR);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    c->bytes = c->bytes - old + size;
    return p + HDR;
}

static void c_free(void *ud, void *ptr)
{
    counting *c = ud;
    if (!ptr)
        return;
    unsigned char *h = (unsigned char *)ptr - HDR;
    size_t old;
    memcpy(&old, h, sizeof old);
    c->bytes -= old;
    c->blocks--;
    free(h);
}

typedef struct fixture {
    counting c;
    ar_alloc alloc;
    ar_ctx *ctx;
    size_t ctx_bytes; /* what the context itself holds */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->alloc = (ar_alloc){c_malloc, c_realloc, c_free, &f->c};
    ar_ctx_opts opts = {.alloc = &f->alloc};
    ar_error err;
    assert_int_equal(ar_ctx_new(&opts, &f->ctx, &err), AR_OK);
    f->ctx_bytes = f->c.bytes;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar_ctx_free(f->ctx);
    assert_int_equal(f->c.blocks, 0); /* nothing leaked */
    free(f);
    return 0;
}

/*---- A deterministic workload ----*/

static size_t id_of(char *buf, size_t i)
{
    return (size_t)snprintf(buf, 32, "post-%zu", i);
}

static void cc_of(size_t n, char out[2])
{
    out[0] = (char)('A' + n / 26 % 26);
    out[1] = (char)('A' + n % 26);
}

/* Item i in round r: removed, restricted in 1, 3 or 9 countries, or visible. */
static size_t shape(size_t i, size_t r, bool *removed, char *ccs)
{
    size_t kind = (i + r) % 5;
    *removed = kind == 0;
    size_t n = kind == 1 ? 1 : kind == 2 ? 3 : kind == 3 ? 9 : 0;
    for (size_t k = 0; k < n; k++)
        cc_of(i * 7 + k * 31 + r, ccs + 2 * k);
    return n;
}

static void apply(ar_visibility *v, size_t n, size_t r)
{
    char id[32], ccs[32];
    for (size_t i = 0; i < n; i++) {
        bool removed;
        size_t len = id_of(id, i), k = shape(i, r, &removed, ccs);
        ar_error err = {0};
        if (ar_visibility_set(v, id, len, removed, ccs, k, &err) != AR_OK)
            fail_msg("set %s: %s", id, err.message);
    }
}

static bool listed(const char *ccs, size_t k, const char cc[2])
{
    for (size_t j = 0; j < k; j++)
        if (ccs[2 * j] == cc[0] && ccs[2 * j + 1] == cc[1])
            return true;
    return false;
}

/* Every item reads right in every country it names and in one it never does. */
static void check(const ar_visibility *v, size_t n, size_t r)
{
    char id[32], ccs[32];
    for (size_t i = 0; i < n; i++) {
        bool removed;
        size_t len = id_of(id, i), k = shape(i, r, &removed, ccs);
        ar_visibility_state want = removed ? AR_REMOVED : k ? AR_RESTRICTED : AR_VISIBLE;
        for (size_t j = 0; j < k; j++)
            if (ar_visibility_get(v, id, len, ccs + 2 * j) != want)
                fail_msg("%s in %.2s: want %s", id, ccs + 2 * j, ar_visibility_state_name(want));
        char other[2] = {'Z', 'Z'};
        while (listed(ccs, k, other))
            other[1]--;
        ar_visibility_state w = removed ? AR_REMOVED : AR_VISIBLE;
        if (ar_visibility_get(v, id, len, other) != w)
            fail_msg("%s elsewhere: want %s", id, ar_visibility_state_name(w));
    }
}

static void test_growth_keeps_every_entry_through_many_splits(void **state)
{
    fixture *f = *state;
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, 0, &v, &err), AR_OK);
    ar_visibility_stats st;
    ar_visibility_stats_get(v, &st);
    size_t start = st.memory_bytes;
    const size_t n = 200000;
    apply(v, n, 0);
    check(v, n, 0);
    ar_visibility_stats_get(v, &st);
    assert_true(st.memory_bytes > 100 * start); /* one page became hundreds */
    assert_int_equal(st.items, n / 5 * 4);
    assert_int_equal(st.pairs, n / 5 * (1 + 1 + 3 + 9));
    /* Change every item and look again: the old states are all gone. */
    apply(v, n, 1);
    check(v, n, 1);
    apply(v, n, 3);
    check(v, n, 3);
    ar_visibility_free(v);
}

static void test_memory_bytes_is_what_the_allocator_holds(void **state)
{
    fixture *f = *state;
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, 5000, &v, &err), AR_OK);
    for (size_t r = 0; r < 3; r++) {
        apply(v, 60000 + r * 20000, r);
        ar_visibility_stats st;
        ar_visibility_stats_get(v, &st);
        assert_int_equal(st.memory_bytes, f->c.bytes - f->ctx_bytes);
    }
    ar_visibility_free(v);
    assert_int_equal(f->c.bytes, f->ctx_bytes);
}

/* n items restricted in one country each: the worst case for bytes a pair. */
static double bytes_per_pair(fixture *f, size_t hint, size_t n)
{
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, hint, &v, &err), AR_OK);
    char id[32];
    for (size_t i = 0; i < n; i++) {
        size_t len = id_of(id, i);
        char cc[2];
        cc_of(i, cc);
        assert_int_equal(ar_visibility_set(v, id, len, false, cc, 1, &err), AR_OK);
    }
    ar_visibility_stats st;
    ar_visibility_stats_get(v, &st);
    assert_int_equal(st.pairs, n);
    ar_visibility_free(v);
    return (double)st.memory_bytes / (double)n;
}

static void test_memory_per_pair_with_and_without_a_hint(void **state)
{
    fixture *f = *state;
    double hinted = bytes_per_pair(f, 300000, 300000);
    double grown = bytes_per_pair(f, 0, 300000);
    print_message("bytes per pair, one country an item: %.1f sized by hint, %.1f grown\n", hinted,
                  grown);
    assert_true(hinted <= 40.0);
    /* Grown, pages run between half full and the split threshold, and a
     * split wave can leave most of them just split: bounded, not tight. */
    assert_true(grown <= 80.0);
}

static void test_tombstones_do_not_pile_up(void **state)
{
    fixture *f = *state;
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, 0, &v, &err), AR_OK);
    char id[32];
    size_t peak = 0;
    for (size_t round = 0; round < 60; round++) {
        /* 20000 fresh items restricted, then all reinstated. */
        for (size_t i = 0; i < 20000; i++) {
            size_t len = id_of(id, round * 20000 + i);
            assert_int_equal(ar_visibility_set(v, id, len, false, "DE", 1, &err), AR_OK);
        }
        for (size_t i = 0; i < 20000; i++) {
            size_t len = id_of(id, round * 20000 + i);
            assert_int_equal(ar_visibility_set(v, id, len, false, NULL, 0, &err), AR_OK);
        }
        ar_visibility_stats st;
        ar_visibility_stats_get(v, &st);
        assert_int_equal(st.pairs, 0);
        if (round == 2)
            peak = st.memory_bytes;
        if (round > 2)
            assert_true(st.memory_bytes <= 2 * peak); /* 1.2M items seen, 20000 at a time */
    }
    assert_int_equal(ar_visibility_get(v, "post-1", 6, "DE"), AR_VISIBLE);
    ar_visibility_free(v);
}

/*---- Failed allocations ----*/

/* Run `set` failing allocation n = 1, 2, ... until it needs no more than
 * it was given. Each failure must be AR_ENOMEM and leave every state and
 * counter as it was. */
static long failures; /* failed runs across the test, to know the failures were reached */

static void fail_each_allocation(fixture *f, ar_visibility *v, size_t n, size_t r, const char *id,
                                 const char *ccs, size_t k)
{
    ar_visibility_stats before;
    ar_visibility_stats_get(v, &before);
    for (long at = 1;; at++) {
        ar_error err = {0};
        f->c.countdown = at;
        ar_status s = ar_visibility_set(v, id, strlen(id), false, ccs, k, &err);
        bool reached = f->c.countdown == 0;
        f->c.countdown = 0;
        if (!reached) {
            assert_int_equal(s, AR_OK);
            break;
        }
        assert_int_equal(s, AR_ENOMEM);
        failures++;
        check(v, n, r);
        for (size_t j = 0; j < k; j++)
            assert_int_equal(ar_visibility_get(v, id, strlen(id), ccs + 2 * j), AR_VISIBLE);
        ar_visibility_stats now;
        ar_visibility_stats_get(v, &now);
        assert_int_equal(now.items, before.items);
        assert_int_equal(now.pairs, before.pairs);
        assert_int_equal(now.memory_bytes, f->c.bytes - f->ctx_bytes);
    }
    for (size_t j = 0; j < k; j++)
        assert_int_equal(ar_visibility_get(v, id, strlen(id), ccs + 2 * j), AR_RESTRICTED);
}

static void test_failed_allocations_leave_the_index_unchanged(void **state)
{
    fixture *f = *state;
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, 0, &v, &err), AR_OK);
    /* Enough items that the next inserts split pages and grow the directory. */
    const size_t n = 5000;
    apply(v, n, 0);
    char ccs[2 * 40];
    for (size_t j = 0; j < 40; j++)
        cc_of(500 + j, ccs + 2 * j);
    for (size_t i = 0; i < 1500; i++) {
        char id[32];
        snprintf(id, sizeof id, "new-%zu", i);
        /* a large set: 40 pair slots, any of which may need a split */
        fail_each_allocation(f, v, n, 0, id, ccs, i % 2 ? 40 : 1);
    }
    print_message("%ld failed runs\n", failures);
    assert_true(failures > 50); /* splits, new pages and directories did fail */
    check(v, n, 0);
    ar_visibility_free(v);
}

static void test_failed_allocations_in_new_leak_nothing(void **state)
{
    fixture *f = *state;
    for (long at = 1;; at++) {
        ar_visibility *v = (ar_visibility *)&at;
        ar_error err = {0};
        long blocks = f->c.blocks;
        f->c.countdown = at;
        ar_status s = ar_visibility_new(f->ctx, 100000, &v, &err);
        bool reached = f->c.countdown == 0;
        f->c.countdown = 0;
        if (!reached) {
            assert_int_equal(s, AR_OK);
            ar_visibility_free(v);
            break;
        }
        assert_int_equal(s, AR_ENOMEM);
        assert_null(v);
        assert_int_equal(f->c.blocks, blocks);
    }
}

static void count_growth(void *ud, ar_log_level level, const char *module, const char *event,
                         const ar_log_kv *kv, size_t nkv)
{
    (void)level;
    (void)kv;
    if (strcmp(module, "visibility") == 0 && strcmp(event, "directory_grown") == 0 && nkv == 4)
        (*(int *)ud)++;
}

static void test_directory_growth_is_logged(void **state)
{
    (void)state;
    int grown = 0;
    ar_ctx_opts opts = {.log = count_growth, .log_ud = &grown, .log_level = AR_LOG_INFO};
    ar_ctx *ctx = NULL;
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_ctx_new(&opts, &ctx, &err), AR_OK);
    assert_int_equal(ar_visibility_new(ctx, 0, &v, &err), AR_OK);
    apply(v, 20000, 0);
    assert_true(grown >= 4); /* one page became dozens */
    ar_visibility_free(v);
    ar_ctx_free(ctx);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_growth_keeps_every_entry_through_many_splits),
        T(test_memory_bytes_is_what_the_allocator_holds),
        T(test_memory_per_pair_with_and_without_a_hint),
        T(test_tombstones_do_not_pile_up),
        T(test_failed_allocations_leave_the_index_unchanged),
        T(test_failed_allocations_in_new_leak_nothing),
        cmocka_unit_test(test_directory_growth_is_logged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
