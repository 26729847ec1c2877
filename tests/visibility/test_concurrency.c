/* tests/visibility/test_concurrency.c - lookups while the one writer
 * updates. Readers on other threads must read exactly right for items the
 * writer is not touching (while it splits pages and grows the directory
 * under them), one of the item's valid states for items it is changing, and
 * every item the writer has finished inserting. An item's whole scope
 * (ar_visibility_scope) is always one of its sets, never a mix of two. Meant to be run under
 * ThreadSanitizer and ASan as well as plainly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visibility/visibility_int.h" /* the batched lookup too */

#define READERS 3
#define STABLE  5000  /* set before the readers start, never changed */
#define HOT     64    /* changed all the time */
#define FRESH   150000 /* inserted while the readers run: splits and doublings */

typedef struct shared {
    ar_visibility *v;
    atomic_bool done;
    atomic_size_t fresh_done; /* fresh-0 .. fresh-(n-1) are set */
    atomic_long bad;          /* wrong answers seen */
    atomic_long reads;
    char why[256];            /* the first wrong answer */
    pthread_mutex_t why_lock;
} shared;

static void report(shared *sh, const char *what, const char *id, const char *cc,
                   ar_visibility_state got)
{
    if (atomic_fetch_add(&sh->bad, 1) == 0) {
        pthread_mutex_lock(&sh->why_lock);
        snprintf(sh->why, sizeof sh->why, "%s: %s in %.2s read %s (%d)", what, id, cc,
                 ar_visibility_state_name(got), (int)got);
        pthread_mutex_unlock(&sh->why_lock);
    }
}

/* Stable item i: removed, restricted in 1, 2 or 8 countries (the last one
 * needs pair slots), or restricted then reinstated. */
static size_t stable_shape(size_t i, bool *removed, char *ccs)
{
    static const char *const sets[] = {"", "DE", "FRIT", "AAABACADAEAFAGAH", ""};
    size_t kind = i % 5;
    *removed = kind == 0;
    strcpy(ccs, sets[kind]);
    return strlen(ccs) / 2;
}

/* The hot items cycle through these. PK is restricted in every one that is
 * not a removal, so no reader may ever see PK visible; ZZ is in none. */
static const char *const hot_sets[] = {
    "PKIN",                         /* inline */
    "AAABACADAEAFAGAHAIPK",         /* large, 10 */
    "PKBABBBCBDBEBFBG",             /* large, 8, different countries */
    "PK",                           /* inline */
    NULL,                           /* removed */
};

/* Is (state, codes) one of hot_sets, as ar_visibility_scope gives it
 * (sorted)? */
static bool scope_is_a_hot_set(ar_visibility_state st, const char *codes, size_t n)
{
    if (st == AR_REMOVED)
        return n == 0;
    if (st != AR_RESTRICTED)
        return false;
    for (size_t i = 0; i < sizeof hot_sets / sizeof hot_sets[0]; i++) {
        const char *set = hot_sets[i];
        if (!set || strlen(set) != 2 * n)
            continue;
        bool all = true;
        for (size_t j = 0; j < n && all; j++) {
            bool in = false;
            for (size_t k = 0; k < n && !in; k++)
                in = !memcmp(set + 2 * k, codes + 2 * j, 2);
            all = in && (j == 0 || memcmp(codes + 2 * (j - 1), codes + 2 * j, 2) < 0);
        }
        if (all)
            return true;
    }
    return false;
}

static void *writer(void *arg)
{
    shared *sh = arg;
    char id[32];
    ar_error err;
    size_t fresh = 0;
    for (size_t round = 0; fresh < FRESH; round++) {
        for (size_t h = 0; h < HOT; h++) {
            snprintf(id, sizeof id, "hot-%zu", h);
            const char *s = hot_sets[(round + h) % 5];
            ar_status st = ar_visibility_set(sh->v, id, strlen(id), s == NULL, s,
                                             s ? strlen(s) / 2 : 0, &err);
            if (st != AR_OK)
                report(sh, "writer", id, "--", AR_VISIBLE);
        }
        /* Fresh items: grow the index under the readers. */
        for (size_t k = 0; k < 500 && fresh < FRESH; k++, fresh++) {
            snprintf(id, sizeof id, "fresh-%zu", fresh);
            if (ar_visibility_set(sh->v, id, strlen(id), false, "DE", 1, &err) != AR_OK)
                report(sh, "writer", id, "DE", AR_VISIBLE);
            atomic_store_explicit(&sh->fresh_done, fresh + 1, memory_order_release);
            /* and churn: tombstones for the compactions */
            snprintf(id, sizeof id, "churn-%zu", fresh);
            if (ar_visibility_set(sh->v, id, strlen(id), false, "US", 1, &err) != AR_OK ||
                ar_visibility_set(sh->v, id, strlen(id), false, NULL, 0, &err) != AR_OK)
                report(sh, "writer", id, "US", AR_VISIBLE);
        }
    }
    atomic_store(&sh->done, true);
    return NULL;
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void *reader(void *arg)
{
    shared *sh = arg;
    uint64_t x = (uint64_t)(uintptr_t)&x | 1;
    char id[32], ccs[40];
    long reads = 0;
    while (!atomic_load(&sh->done)) {
        for (int rep = 0; rep < 64; rep++, reads += 4) {
            /* a stable item: exactly right */
            size_t i = next(&x) % STABLE;
            bool removed;
            size_t k = stable_shape(i, &removed, ccs);
            snprintf(id, sizeof id, "stable-%zu", i);
            ar_visibility_state want = removed ? AR_REMOVED : k ? AR_RESTRICTED : AR_VISIBLE;
            const char *cc = k ? ccs + 2 * (next(&x) % k) : "DE";
            ar_visibility_state got = ar_visibility_get(sh->v, id, strlen(id), cc);
            if (got != want)
                report(sh, "stable", id, cc, got);
            got = ar_visibility_get(sh->v, id, strlen(id), "ZZ");
            if (got != (removed ? AR_REMOVED : AR_VISIBLE))
                report(sh, "stable elsewhere", id, "ZZ", got);

            /* a hot item: one of its valid states */
            snprintf(id, sizeof id, "hot-%zu", (size_t)(next(&x) % HOT));
            got = ar_visibility_get(sh->v, id, strlen(id), "PK");
            if (got != AR_RESTRICTED && got != AR_REMOVED)
                report(sh, "hot", id, "PK", got);
            const char *any = (next(&x) & 1) ? "AE" : "BC";
            got = ar_visibility_get(sh->v, id, strlen(id), any);
            if (got != AR_RESTRICTED && got != AR_REMOVED && got != AR_VISIBLE)
                report(sh, "hot", id, any, got);

            /* the hot item's whole scope: exactly one of its sets, never a mix */
            if (rep % 8 == 0) {
                char codes[AR_VISIBILITY_MAX_COUNTRIES * 2];
                size_t nc = 0;
                got = ar_visibility_scope(sh->v, id, strlen(id), codes, &nc);
                if (!scope_is_a_hot_set(got, codes, nc))
                    report(sh, "hot scope", id, nc ? codes : "--", got);
                reads++;
            }

            /* the same through the batched path */
            if (rep % 16 == 0) {
                char bid[3][32];
                const char *bids[3] = {bid[0], bid[1], bid[2]};
                size_t blen[3];
                ar_visibility_state bout[3];
                size_t si = next(&x) % STABLE;
                bool brem;
                size_t bk = stable_shape(si, &brem, ccs);
                blen[0] = (size_t)snprintf(bid[0], 32, "stable-%zu", si);
                blen[1] = (size_t)snprintf(bid[1], 32, "hot-%zu", (size_t)(next(&x) % HOT));
                blen[2] = (size_t)snprintf(bid[2], 32, "hot-%zu", (size_t)(next(&x) % HOT));
                char bcc[6] = {'Z', 'Z', 'P', 'K', 'P', 'K'};
                if (bk)
                    memcpy(bcc, ccs, 2);
                ar_visibility_get_many(sh->v, 3, bids, blen, bcc, bout);
                ar_visibility_state bw = brem ? AR_REMOVED : bk ? AR_RESTRICTED : AR_VISIBLE;
                if (bout[0] != bw)
                    report(sh, "stable, batched", bid[0], bcc, bout[0]);
                for (int b = 1; b < 3; b++)
                    if (bout[b] != AR_RESTRICTED && bout[b] != AR_REMOVED)
                        report(sh, "hot, batched", bid[b], "PK", bout[b]);
                reads += 3;
            }

            /* a fresh item the writer has finished */
            size_t n = atomic_load_explicit(&sh->fresh_done, memory_order_acquire);
            if (n) {
                snprintf(id, sizeof id, "fresh-%zu", (size_t)(next(&x) % n));
                got = ar_visibility_get(sh->v, id, strlen(id), "DE");
                if (got != AR_RESTRICTED)
                    report(sh, "fresh", id, "DE", got);
                reads++;
            }
        }
    }
    atomic_fetch_add(&sh->reads, reads);
    return NULL;
}

static void test_readers_see_right_states_while_the_writer_grows_the_index(void **state)
{
    (void)state;
    ar_ctx *ctx = NULL;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    shared *sh = calloc(1, sizeof *sh);
    assert_non_null(sh);
    pthread_mutex_init(&sh->why_lock, NULL);
    assert_int_equal(ar_visibility_new(ctx, 0, &sh->v, &err), AR_OK);
    char id[32], ccs[40];
    for (size_t i = 0; i < STABLE; i++) {
        bool removed;
        size_t k = stable_shape(i, &removed, ccs);
        snprintf(id, sizeof id, "stable-%zu", i);
        if (i % 5 == 4) /* restricted, then reinstated: a tombstone */
            assert_int_equal(ar_visibility_set(sh->v, id, strlen(id), false, "DE", 1, &err), AR_OK);
        assert_int_equal(ar_visibility_set(sh->v, id, strlen(id), removed, ccs, k, &err), AR_OK);
    }
    for (size_t h = 0; h < HOT; h++) {
        snprintf(id, sizeof id, "hot-%zu", h);
        assert_int_equal(ar_visibility_set(sh->v, id, strlen(id), false, "PK", 1, &err), AR_OK);
    }
    ar_visibility_stats before;
    ar_visibility_stats_get(sh->v, &before);

    pthread_t r[READERS], w;
    for (int i = 0; i < READERS; i++)
        assert_int_equal(pthread_create(&r[i], NULL, reader, sh), 0);
    assert_int_equal(pthread_create(&w, NULL, writer, sh), 0);
    pthread_join(w, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);

    ar_visibility_stats after;
    ar_visibility_stats_get(sh->v, &after);
    print_message("%ld reads; memory %zu -> %zu bytes\n", atomic_load(&sh->reads),
                  before.memory_bytes, after.memory_bytes);
    if (atomic_load(&sh->bad))
        fail_msg("%ld wrong reads; first: %s", atomic_load(&sh->bad), sh->why);
    assert_true(after.memory_bytes > 10 * before.memory_bytes); /* it did grow under them */
    assert_true(atomic_load(&sh->reads) > 0);
    /* Afterwards, single-threaded, everything is exactly where it should be. */
    for (size_t i = 0; i < FRESH; i++) {
        snprintf(id, sizeof id, "fresh-%zu", i);
        assert_int_equal(ar_visibility_get(sh->v, id, strlen(id), "DE"), AR_RESTRICTED);
        snprintf(id, sizeof id, "churn-%zu", i);
        assert_int_equal(ar_visibility_get(sh->v, id, strlen(id), "US"), AR_VISIBLE);
    }
    ar_visibility_free(sh->v);
    pthread_mutex_destroy(&sh->why_lock);
    free(sh);
    ar_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers_see_right_states_while_the_writer_grows_the_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
