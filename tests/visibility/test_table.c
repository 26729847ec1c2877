/* tests/visibility/test_table.c - the hash table's bucket layout
 * (visibility_int.h) with keys aimed at chosen buckets: a full bucket
 * overflowing into the next and across the page end, the overflow flag
 * ending a miss at its home bucket (and only then), splits and compactions
 * of pages whose buckets overflowed, 96-bit keys that share hi, and the
 * batched lookup on an index where many keys sit past their home. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visibility/visibility_int.h"

typedef struct fixture {
    ar_ctx *ctx;
    ar_vis_table t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, &err), AR_OK);
    assert_int_equal(ar__visibility_table_init(&f->t, f->ctx, 0, &err), AR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar__visibility_table_free(&f->t);
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* A key whose home is `bucket`: the low 32 bits of hi pick the bucket, the
 * high 32 (from `tag`, never 0) pick the page. */
static uint64_t hi_at(const ar_vis_table *t, uint32_t bucket, uint64_t tag)
{
    uint64_t low = (((uint64_t)bucket << 32) + t->nbuckets - 1) / t->nbuckets;
    uint64_t high = mix(tag) & UINT64_C(0xffffffff00000000);
    uint64_t hi = (high ? high : UINT64_C(1) << 32) | low;
    assert_int_equal(ar__visibility_home(t, hi), bucket);
    return hi;
}

static uint64_t live_val(uint64_t i)
{
    return i << 2 | 1; /* kind 1: not a tombstone */
}

static _Atomic uint64_t *put(ar_vis_table *t, uint64_t hi, uint64_t lo, uint64_t val)
{
    ar_error err;
    assert_null(ar__visibility_table_find(t, hi, lo));
    assert_int_equal(ar__visibility_table_reserve(t, hi, &err), AR_OK);
    _Atomic uint64_t *v = ar__visibility_table_insert(t, hi, lo, val);
    assert_non_null(v);
    return v;
}

static const ar_vis_page *page_of(const ar_vis_table *t, uint64_t hi)
{
    return ar__visibility_dir_page(atomic_load(&t->dir), hi);
}

/* The bucket a val pointer lies in. */
static long bucket_of(const ar_vis_table *t, uint64_t hi, const _Atomic uint64_t *v)
{
    const ar_vis_page *p = page_of(t, hi);
    for (uint32_t i = 0; i < t->nbuckets; i++)
        for (unsigned j = 0; j < AR_VIS_BUCKET_SLOTS; j++)
            if (&p->buckets[i].val[j] == v)
                return (long)i;
    return -1;
}

static unsigned flag(const ar_vis_table *t, uint64_t hi, uint32_t bucket)
{
    return atomic_load(&page_of(t, hi)->buckets[bucket].over);
}

static void test_buckets_are_lines(void **state)
{
    fixture *f = *state;
    const ar_vis_page *p = page_of(&f->t, 1);
    assert_int_equal(sizeof(ar_vis_bucket), 64);
    assert_int_equal((uintptr_t)&p->buckets[0] % 64, 0);
    assert_int_equal((uintptr_t)&p->buckets[f->t.nbuckets - 1] % 64, 0);
}

static void test_a_full_bucket_overflows_into_the_next(void **state)
{
    fixture *f = *state;
    ar_vis_table *t = &f->t;
    uint64_t hi[5];
    for (uint64_t i = 0; i < 5; i++) {
        hi[i] = hi_at(t, 10, i + 1);
        put(t, hi[i], i, live_val(i));
        assert_int_equal(flag(t, hi[0], 10), i >= 3); /* set by the 4th key, not before */
    }
    for (uint64_t i = 0; i < 5; i++) {
        _Atomic uint64_t *v = ar__visibility_table_find(t, hi[i], i);
        assert_non_null(v);
        assert_int_equal(atomic_load(v), live_val(i));
        assert_int_equal(bucket_of(t, hi[i], v), i < 3 ? 10 : 11);
    }
    assert_int_equal(flag(t, hi[0], 11), 0);
    /* A key homed at 11 takes 11's last slot; the next goes on to 12 and
     * flags 11, not 10. */
    uint64_t h11a = hi_at(t, 11, 100), h11b = hi_at(t, 11, 101);
    assert_int_equal(bucket_of(t, h11a, put(t, h11a, 0, live_val(100))), 11);
    assert_int_equal(flag(t, h11a, 11), 0);
    assert_int_equal(bucket_of(t, h11b, put(t, h11b, 0, live_val(101))), 12);
    assert_int_equal(flag(t, h11a, 11), 1);
    /* A miss homed at 10 reads on past 11 (full) and stops at 12 (room). */
    assert_null(ar__visibility_table_find(t, hi_at(t, 10, 999), 0));
    ar_vis_probe_stats ps;
    ar__visibility_table_probe_stats(t, &ps);
    assert_int_equal(ps.keys, 7);
    assert_int_equal(ps.displaced, 3);
    assert_int_equal(ps.flagged, 2);
    assert_int_equal(ps.buckets, t->nbuckets);
}

static void test_the_last_bucket_wraps_to_the_first(void **state)
{
    fixture *f = *state;
    ar_vis_table *t = &f->t;
    uint32_t last = t->nbuckets - 1;
    uint64_t hi[7];
    for (uint64_t i = 0; i < 7; i++) {
        hi[i] = hi_at(t, last, i + 1);
        put(t, hi[i], i, live_val(i));
    }
    for (uint64_t i = 0; i < 7; i++) {
        _Atomic uint64_t *v = ar__visibility_table_find(t, hi[i], i);
        assert_non_null(v);
        assert_int_equal(atomic_load(v), live_val(i));
        assert_int_equal(bucket_of(t, hi[i], v), i < 3 ? (long)last : i < 6 ? 0 : 1);
    }
    assert_int_equal(flag(t, hi[0], last), 1);
    assert_int_equal(flag(t, hi[0], 0), 0); /* nothing homed at 0 went further */
    assert_null(ar__visibility_table_find(t, hi_at(t, last, 999), 0));
    /* A key homed at 0 finds 0 full and goes to 1, flagging 0. */
    uint64_t h0 = hi_at(t, 0, 50);
    assert_int_equal(bucket_of(t, h0, put(t, h0, 0, live_val(50))), 1);
    assert_int_equal(flag(t, h0, 0), 1);
    assert_non_null(ar__visibility_table_find(t, h0, 0));
}

/* Plant a key in a bucket that is not its home, as no writer would
 * without flagging the home: readers must not look there unless the flag
 * says so, and must stop at the first bucket with room. */
static void plant(ar_vis_table *t, uint64_t hi, uint32_t lo, uint32_t bucket, unsigned slot)
{
    ar_vis_bucket *b = (ar_vis_bucket *)&page_of(t, hi)->buckets[bucket];
    atomic_store(&b->val[slot], live_val(7));
    atomic_store(&b->lo[slot], lo);
    atomic_store(&b->hi[slot], hi);
}

static void test_a_miss_stops_at_its_home_unless_flagged(void **state)
{
    fixture *f = *state;
    ar_vis_table *t = &f->t;
    for (uint64_t i = 0; i < 3; i++)
        put(t, hi_at(t, 20, i + 1), 0, live_val(i)); /* bucket 20 full, not flagged */
    assert_int_equal(flag(t, hi_at(t, 20, 1), 20), 0);
    uint64_t k = hi_at(t, 20, 77);
    plant(t, k, 5, 21, 0);
    assert_null(ar__visibility_table_find(t, k, 5)); /* not past an unflagged home */
    ar_vis_bucket *home = (ar_vis_bucket *)&page_of(t, k)->buckets[20];
    atomic_store(&home->over, 1);
    _Atomic uint64_t *v = ar__visibility_table_find(t, k, 5);
    assert_non_null(v);
    assert_int_equal(bucket_of(t, k, v), 21);
    /* Past a bucket with a free slot a key cannot be: 21 has room, so a key
     * planted in 22 is not found even with 20 flagged. */
    uint64_t k2 = hi_at(t, 20, 78);
    plant(t, k2, 6, 22, 0);
    assert_null(ar__visibility_table_find(t, k2, 6));
    /* The batched path answers from the same probe: an index-level check of
     * that is in test_batch_with_displaced_keys below. */
}

static void test_keys_that_share_hi(void **state)
{
    fixture *f = *state;
    ar_vis_table *t = &f->t;
    uint64_t h = hi_at(t, 30, 5);
    for (uint64_t lo = 1; lo <= 5; lo++)
        put(t, h, lo, live_val(lo));
    for (uint64_t lo = 1; lo <= 5; lo++) {
        _Atomic uint64_t *v = ar__visibility_table_find(t, h, lo);
        assert_non_null(v);
        assert_int_equal(atomic_load(v), live_val(lo));
        assert_int_equal(bucket_of(t, h, v), lo <= 3 ? 30 : 31);
    }
    assert_null(ar__visibility_table_find(t, h, 6));
    assert_null(ar__visibility_table_find(t, h, 0));
    /* Only lo's low 32 bits are the key: a caller's high half is ignored. */
    _Atomic uint64_t *v = ar__visibility_table_find(t, h, UINT64_C(0xabcd00000000) | 2);
    assert_non_null(v);
    assert_int_equal(atomic_load(v), live_val(2));
    /* The same lo under another hi is another key. */
    assert_null(ar__visibility_table_find(t, hi_at(t, 30, 6), 2));
}

/* Keys crowded into a few home buckets (long overflow runs, across the
 * page end too) through many splits: every key stays found. */
static void test_splits_keep_overflowed_keys(void **state)
{
    fixture *f = *state;
    ar_vis_table *t = &f->t;
    const uint32_t homes[] = {0, 1, 2, 40, 41, t->nbuckets - 2, t->nbuckets - 1};
    const size_t nh = sizeof homes / sizeof homes[0];
    const size_t n = 6000;
    uint64_t *hi = malloc(n * sizeof *hi);
    for (size_t i = 0; i < n; i++) {
        hi[i] = hi_at(t, homes[i % nh], i + 1);
        put(t, hi[i], (uint32_t)i, live_val(i));
        if (i == 200) { /* one page, crowded: runs of full buckets */
            ar_vis_probe_stats ps;
            ar__visibility_table_probe_stats(t, &ps);
            assert_true(ps.displaced > 100);
            assert_true(ps.flagged >= nh);
            assert_int_equal(t->splits, 0);
        }
    }
    assert_true(t->splits >= 8);
    for (size_t i = 0; i < n; i++) {
        _Atomic uint64_t *v = ar__visibility_table_find(t, hi[i], (uint32_t)i);
        assert_non_null(v);
        assert_int_equal(atomic_load(v), live_val(i));
    }
    ar_vis_probe_stats ps;
    ar__visibility_table_probe_stats(t, &ps);
    assert_int_equal(ps.keys, n);
    assert_true(ps.displaced > n / 2); /* still crowded after the splits */
    free(hi);
}

/* A page that is mostly tombstones, crowded: rebuilt without them (a
 * compaction), its live keys still found past their homes. */
static void test_compaction_keeps_overflowed_keys(void **state)
{
    fixture *f = *state;
    ar_vis_table *t = &f->t;
    const size_t n = t->max_used;
    uint64_t *hi = malloc((n + 1) * sizeof *hi);
    for (size_t i = 0; i < n; i++) {
        hi[i] = hi_at(t, (uint32_t)(i % 5) * 3, i + 1);
        bool live = i % 4 == 0; /* a quarter: below half the threshold */
        put(t, hi[i], (uint32_t)i, live ? live_val(i) : 0);
    }
    hi[n] = hi_at(t, 3, n + 1);
    put(t, hi[n], (uint32_t)n, live_val(n)); /* the page is full: this rebuilds it */
    assert_int_equal(t->compactions, 1);
    assert_int_equal(t->splits, 0);
    for (size_t i = 0; i <= n; i++) {
        _Atomic uint64_t *v = ar__visibility_table_find(t, hi[i], (uint32_t)i);
        if (i % 4 == 0 || i == n) {
            assert_non_null(v);
            assert_int_equal(atomic_load(v), live_val(i));
        } else {
            assert_null(v); /* tombstones are dropped */
        }
    }
    ar_vis_probe_stats ps;
    ar__visibility_table_probe_stats(t, &ps);
    assert_int_equal(ps.keys, n / 4 + (n % 4 != 0) + 1);
    assert_true(ps.displaced > 0 && ps.flagged > 0);
    free(hi);
}

/* Through the public API: a small index filled to just under its split
 * point has many keys past their home bucket; batched and one-at-a-time
 * lookups agree with what was set, hits and misses alike. */
static void test_batch_with_displaced_keys(void **state)
{
    fixture *f = *state;
    ar_visibility *v = NULL;
    ar_error err;
    assert_int_equal(ar_visibility_new(f->ctx, 0, &v, &err), AR_OK);
    const size_t n = f->t.max_used - 2, q = 2 * n; /* the same page size as f->t */
    char (*ids)[16] = malloc(q * sizeof *ids);
    const char **idp = malloc(q * sizeof *idp);
    size_t *lens = malloc(q * sizeof *lens);
    char *ccs = malloc(2 * q);
    ar_visibility_state *out = malloc(q * sizeof *out);
    for (size_t i = 0; i < q; i++) {
        lens[i] = (size_t)snprintf(ids[i], sizeof ids[i], "item-%zu", i);
        idp[i] = ids[i];
        memcpy(ccs + 2 * i, i % 3 ? "DE" : "FR", 2);
        if (i < n) /* the rest are never set: misses */
            assert_int_equal(ar_visibility_set(v, ids[i], lens[i], i % 7 == 0, "DE", 1, &err),
                             AR_OK);
    }
    ar_vis_probe_stats ps;
    ar__visibility_probe_stats(v, &ps);
    assert_int_equal(ps.keys, n);
    assert_true(ps.displaced > n / 20);
    assert_true(ps.flagged > 0);
    ar_visibility_get_many(v, q, idp, lens, ccs, out);
    for (size_t i = 0; i < q; i++) {
        ar_visibility_state want = i >= n       ? AR_VISIBLE
                                   : i % 7 == 0 ? AR_REMOVED
                                   : i % 3      ? AR_RESTRICTED
                                                : AR_VISIBLE;
        assert_int_equal(out[i], want);
        assert_int_equal(ar_visibility_get(v, ids[i], lens[i], ccs + 2 * i), want);
    }
    ar_visibility_free(v);
    free(ids);
    free(idp);
    free(lens);
    free(ccs);
    free(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_buckets_are_lines),
        T(test_a_full_bucket_overflows_into_the_next),
        T(test_the_last_bucket_wraps_to_the_first),
        T(test_a_miss_stops_at_its_home_unless_flagged),
        T(test_keys_that_share_hi),
        T(test_splits_keep_overflowed_keys),
        T(test_compaction_keeps_overflowed_keys),
        T(test_batch_with_displaced_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
