/*
 * bench/decisions/visibility_bench.c - visibility lookups per second and
 * bytes per restricted pair, beside the hardware's own limit.
 *
 * Builds an index of ITEMS items restricted in 2 countries each (10M pairs
 * by default, ids "post-123456"), sized by the capacity hint, then on one
 * thread times ar_visibility_get() for:
 *   hits   a restricted (item, country) pair;
 *   misses an id never set (most lookups in production: most items are
 *          visible everywhere);
 *   mixed  a third each: restricted pair, known item elsewhere, unknown id.
 * Queries are made before the clock starts and read in order (the id bytes
 * inline), so the clock sees lookups, not snprintf or cache misses on ids.
 *
 * each one at a time (ar_visibility_get) and in calls of FEED (the internal
 * ar_visibility_get_many, proposed for the public API: a feed page asks
 * for many items at once, and only a batch lets their cache misses overlap).
 *
 * Beside them, in the same run:
 *   ceiling     the same number of random 8-byte reads from a flat array as
 *               big as the index, with the same huge-page advice
 *               (independent reads, so the CPU overlaps as many misses as it
 *               can): the most a one-miss-a-lookup table could do here;
 *   latency     one dependent random read in that array; 1/latency is the
 *               most one-at-a-time lookups can do, as each must wait for
 *               its miss before the next one's can start in earnest;
 *   hash only   SipHash-2-4-128 of the same ids, no table: the compute floor;
 *   hash+read   that hash, then one random 8-byte read it selects in the
 *               flat array, prefetched 16 ahead: the most any lookup keyed
 *               by SipHash with one miss each could do here, batched;
 *   hash x8, hash x8+read
 *               the same two with the index's own SipHash-2-4-128, eight
 *               ids at a time as batched lookups hash them (keyhash.h):
 *               the ceilings the batched path is held to.
 * Then the same data again without a capacity hint (grown by splits), for
 * its bytes per pair and build rate. For both, the share of hits and of
 * misses that read a second bucket (a key not in its home bucket; a home
 * bucket that overflowed), which the one-line-a-lookup layout keeps low.
 *
 * Every rate, lookups and ceilings alike, is the best of TRIES (3) timings,
 * so a neighbour's burst of work on a shared machine does not decide it.
 *
 * Goals (the issue): >= 20M lookups/s per core; <= 40 bytes per pair.
 *
 * usage: bench_visibility [ITEMS [LOOKUPS]]   (default 5000000 2000000)
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "arbiter/visibility.h"
#include "visibility/keyhash.h"        /* the batch path's eight-lane SipHash */
#include "visibility/visibility_int.h" /* ar_visibility_get_many, proposed for the API */

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define GOAL_LOOKUPS_PER_S 20e6
#define GOAL_BYTES_PER_PAIR 40.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_visibility: %s: %s\n", what, msg);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        die("malloc", "out of memory");
    return p;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Item i's two countries: spread over all 676 codes. */
static void countries_of(size_t i, char out[4])
{
    size_t a = (i * 7) % 676, b = (a + 1 + i % 13) % 676;
    out[0] = (char)('A' + a / 26);
    out[1] = (char)('A' + a % 26);
    out[2] = (char)('A' + b / 26);
    out[3] = (char)('A' + b % 26);
}

typedef struct query {
    char id[20];
    uint8_t len;
    char cc[2];
    uint8_t want; /* ar_visibility_state */
} query;

static void make_id(query *q, size_t i)
{
    q->len = (uint8_t)snprintf(q->id, sizeof q->id, "post-%zu", i);
}

/* kind 0: restricted pair; 1: known item, another country; 2: unknown id */
static void make_query(query *q, size_t items, int kind)
{
    size_t i = next() % items;
    char cc[4];
    countries_of(i, cc);
    if (kind == 2) {
        make_id(q, items + i); /* never set */
        memcpy(q->cc, cc, 2);
        q->want = AR_VISIBLE;
    } else if (kind == 1) {
        make_id(q, i);
        /* another first letter, so not the first country; not the second either: */
        q->cc[0] = (char)(cc[0] == 'Z' ? 'A' : cc[0] + 1);
        q->cc[1] = cc[1];
        if (memcmp(q->cc, cc + 2, 2) == 0)
            q->cc[1] = (char)(q->cc[1] == 'Z' ? 'A' : q->cc[1] + 1);
        q->want = AR_VISIBLE;
    } else {
        make_id(q, i);
        memcpy(q->cc, cc + 2 * (next() & 1), 2);
        q->want = AR_RESTRICTED;
    }
}

/* Lookups per second over the queries; dies on a wrong answer. */
static double time_lookups(const ar_visibility *v, const query *qs, size_t n)
{
    size_t wrong = 0;
    double t = now();
    for (size_t i = 0; i < n; i++)
        wrong += ar_visibility_get(v, qs[i].id, qs[i].len, qs[i].cc) != qs[i].want;
    t = now() - t;
    if (wrong)
        die("lookup", "wrong answers");
    return (double)n / t;
}

/* The same through the batch path, `feed` lookups a call: FEED (a page of
 * a feed) and FEED_MAX, what one `POST /v1/visibility:batch` may ask
 * (AR_HTTP_BATCH_MAX) and hands to ar_visibility_get_many in one call. A
 * call fills and drains its own prefetch pipeline, so short calls pay that
 * more often. */
#define FEED     64
#define FEED_MAX 1000

static double time_batched(const ar_visibility *v, const query *qs, size_t n, size_t feed)
{
    const char **ids = xmalloc(n * sizeof *ids);
    size_t *lens = xmalloc(n * sizeof *lens);
    char *ccs = xmalloc(2 * n);
    ar_visibility_state *out = xmalloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        ids[i] = qs[i].id;
        lens[i] = qs[i].len;
        memcpy(ccs + 2 * i, qs[i].cc, 2);
    }
    /* Fault the answers' pages in before the clock starts, as a caller's
     * reused buffer would be: a first touch of fresh pages inside the loop
     * timed the kernel (a fifth of the samples), not the lookups. */
    memset(out, 0xff, n * sizeof *out);
    double t = now();
    for (size_t i = 0; i < n; i += feed)
        ar_visibility_get_many(v, n - i < feed ? n - i : feed, ids + i, lens + i, ccs + 2 * i,
                                out + i);
    t = now() - t;
    for (size_t i = 0; i < n; i++)
        if (out[i] != qs[i].want)
            die("batched lookup", "wrong answers");
    free(ids);
    free(lens);
    free(ccs);
    free(out);
    return (double)n / t;
}

static double time_hash_only(const query *qs, size_t n)
{
    unsigned char key[crypto_shorthash_siphashx24_KEYBYTES];
    randombytes_buf(key, sizeof key);
    uint64_t acc = 0;
    double t = now();
    for (size_t i = 0; i < n; i++) {
        unsigned char h[crypto_shorthash_siphashx24_BYTES];
        crypto_shorthash_siphashx24(h, (const unsigned char *)qs[i].id, qs[i].len, key);
        acc += h[0];
    }
    t = now() - t;
    if (acc == 1) /* keep the loop */
        putchar(' ');
    return (double)n / t;
}

/* The index's batched hash alone: eight ids a call. */
static double time_hash8_only(const query *qs, size_t n)
{
    ar_vis_hash8_fn *hash8 = ar__vis_hash8_best();
    ar_vis_hashkey key;
    randombytes_buf(&key, sizeof key);
    uint64_t acc = 0;
    double t = now();
    for (size_t i = 0; i + 8 <= n; i += 8) {
        const unsigned char *p[8];
        size_t len[8];
        uint64_t hi[8], lo[8];
        for (size_t j = 0; j < 8; j++) {
            p[j] = (const unsigned char *)qs[i + j].id;
            len[j] = qs[i + j].len;
        }
        hash8(&key, p, len, hi, lo);
        acc += hi[0] ^ lo[7];
    }
    t = now() - t;
    if (acc == 1)
        putchar(' ');
    return (double)(n / 8 * 8) / t;
}

/* Random 8-byte reads from `bytes` of memory: independent (throughput),
 * dependent (latency, ns), and selected by hashing the queries' ids. */
static void time_memory(size_t bytes, const query *qs, size_t n, double *reads_per_s,
                        double *latency_ns, double *hash_read_per_s, double *hash8_read_per_s)
{
    size_t words = bytes / 8;
    uint64_t *a = xmalloc(words * 8);
#ifdef MADV_HUGEPAGE
    /* as the index asks for its slab (src/visibility/table.c) */
    uintptr_t lo = ((uintptr_t)a + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
    uintptr_t hi = ((uintptr_t)a + words * 8) & ~(uintptr_t)((2u << 20) - 1);
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
    /* One random cycle through every word (Sattolo), so the chase below
     * cannot settle into a short loop that fits in cache. */
    for (size_t i = 0; i < words; i++)
        a[i] = i;
    for (size_t i = words - 1; i > 0; i--) {
        size_t j = next() % i, x = a[i];
        a[i] = a[j];
        a[j] = x;
    }
    uint32_t *idx = xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = (uint32_t)(next() % words);
    uint64_t acc = 0;
    double t = now();
    for (size_t i = 0; i < n; i++)
        acc += a[idx[i]];
    t = now() - t;
    *reads_per_s = (double)n / t;
    size_t chase = n / 8, p = 0;
    t = now();
    for (size_t i = 0; i < chase; i++)
        p = a[p];
    t = now() - t;
    *latency_ns = t / (double)chase * 1e9;
    unsigned char key[crypto_shorthash_siphashx24_KEYBYTES];
    randombytes_buf(key, sizeof key);
    size_t ring[32];
    t = now();
    for (size_t i = 0; i < n + 16; i++) {
        if (i < n) {
            unsigned char h[crypto_shorthash_siphashx24_BYTES];
            crypto_shorthash_siphashx24(h, (const unsigned char *)qs[i].id, qs[i].len, key);
            uint64_t x;
            memcpy(&x, h, sizeof x);
            ring[i % 32] = (size_t)(x % words);
            __builtin_prefetch(&a[ring[i % 32]]);
        }
        if (i >= 16)
            acc += a[ring[(i - 16) % 32]];
    }
    t = now() - t;
    *hash_read_per_s = (double)n / t;
    /* The same with eight hashes a call, 16 reads in flight. */
    ar_vis_hash8_fn *hash8 = ar__vis_hash8_best();
    ar_vis_hashkey key8;
    randombytes_buf(&key8, sizeof key8);
    size_t n8 = n / 8 * 8;
    t = now();
    for (size_t i = 0; i < n8 + 16; i += 8) {
        if (i < n8) {
            const unsigned char *ip[8];
            size_t len[8];
            uint64_t h0[8], h1[8];
            for (size_t j = 0; j < 8; j++) {
                ip[j] = (const unsigned char *)qs[i + j].id;
                len[j] = qs[i + j].len;
            }
            hash8(&key8, ip, len, h0, h1);
            for (size_t j = 0; j < 8; j++) {
                ring[(i + j) % 32] = (size_t)(h0[j] % words);
                __builtin_prefetch(&a[ring[(i + j) % 32]]);
            }
        }
        if (i >= 16)
            for (size_t j = 0; j < 8; j++)
                acc += a[ring[(i - 16 + j) % 32]];
    }
    t = now() - t;
    *hash8_read_per_s = (double)n8 / t;
    if (acc == 1 && p == 1)
        putchar(' ');
    free(idx);
    free(a);
}

/* How many lookups read a second bucket (visibility_int.h): a hit whose
 * key is not in its home bucket, a miss whose home bucket overflowed. */
static void print_overflow(const char *which, const ar_visibility *v)
{
    ar_vis_probe_stats ps;
    ar__visibility_probe_stats(v, &ps);
    printf("  2nd bucket (%s)%*s hits %5.2f%%  misses %5.2f%%  (load %.0f%%)\n", which,
           (int)(10 - strlen(which)), "", 100.0 * (double)ps.displaced / (double)ps.keys,
           100.0 * (double)ps.flagged / (double)ps.buckets,
           100.0 * (double)ps.keys / (double)(ps.buckets * AR_VIS_BUCKET_SLOTS));
}

/* Build the index; returns sets per second. */
static double build(ar_ctx *ctx, size_t items, size_t hint, ar_visibility **out)
{
    ar_error err;
    if (ar_visibility_new(ctx, hint, out, &err) != AR_OK)
        die("ar_visibility_new", err.message);
    query q;
    double t = now();
    for (size_t i = 0; i < items; i++) {
        char cc[4];
        make_id(&q, i);
        countries_of(i, cc);
        if (ar_visibility_set(*out, q.id, q.len, false, cc, 2, &err) != AR_OK)
            die("ar_visibility_set", err.message);
    }
    return (double)items / (now() - t);
}

/* Every rate is the best of TRIES timings: other processes on a shared
 * machine only ever slow a timing down, so the fastest is the one least
 * disturbed. Lookups and ceilings are treated alike. */
#define TRIES 3

static double best(double a, double b)
{
    return a > b ? a : b;
}

static const char *verdict(bool ok)
{
    return ok ? "PASS" : "MISS";
}

int main(int argc, char **argv)
{
    size_t items = argc > 1 ? strtoul(argv[1], NULL, 10) : 5000000;
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000000;
    if (items == 0 || n == 0 || items > 100000000)
        die("usage", "bench_visibility [ITEMS [LOOKUPS]]");
    if (sodium_init() < 0)
        die("sodium_init", "failed");
    size_t pairs = 2 * items;
    ar_ctx *ctx = NULL;
    ar_error err;
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK)
        die("ar_ctx_new", err.message);

    printf("visibility: %zu items x 2 countries = %zu restricted pairs, %zu lookups a mode\n",
           items, pairs, n);
    ar_visibility *v = NULL;
    double sets = build(ctx, items, pairs, &v);
    ar_visibility_stats st;
    ar_visibility_stats_get(v, &st);
    if (st.pairs != pairs)
        die("stats", "pair count is off");
    double bpp = (double)st.memory_bytes / (double)st.pairs;
    printf("  build (hinted)     %8.2f M sets/s   %6.1f s\n", sets / 1e6, (double)items / sets);
    printf("  memory (hinted)    %8.1f MB        %6.1f bytes/pair\n", st.memory_bytes / 1e6, bpp);
    print_overflow("hinted", v);

    query *qs = xmalloc(n * sizeof *qs);
    static const char *const names[] = {"hits", "misses", "mixed"};
    double rate[3], batched[3], batched_max[3];
    for (int mode = 0; mode < 3; mode++) {
        for (size_t i = 0; i < n; i++)
            make_query(&qs[i], items, mode == 0 ? 0 : mode == 1 ? 2 : (int)(next() % 3));
        time_lookups(v, qs, n < 100000 ? n : 100000); /* warm the code, not the data */
        rate[mode] = batched[mode] = batched_max[mode] = 0;
        for (int k = 0; k < TRIES; k++) {
            rate[mode] = best(rate[mode], time_lookups(v, qs, n));
            batched[mode] = best(batched[mode], time_batched(v, qs, n, FEED));
            batched_max[mode] = best(batched_max[mode], time_batched(v, qs, n, FEED_MAX));
        }
        printf("  lookups %-10s %8.2f M/s        %6.1f ns each;  batched by %d: %6.2f M/s;  "
               "by %d: %6.2f M/s\n",
               names[mode], rate[mode] / 1e6, 1e9 / rate[mode], FEED, batched[mode] / 1e6,
               FEED_MAX, batched_max[mode] / 1e6);
    }
    double hash = 0, hash8 = 0, ceiling = 0, latency = 1e30, hash_read = 0, hash8_read = 0;
    for (int k = 0; k < TRIES; k++) {
        double c, l, hr, h8r;
        hash = best(hash, time_hash_only(qs, n));
        hash8 = best(hash8, time_hash8_only(qs, n));
        time_memory(st.memory_bytes, qs, n, &c, &l, &hr, &h8r);
        ceiling = best(ceiling, c);
        latency = latency < l ? latency : l;
        hash_read = best(hash_read, hr);
        hash8_read = best(hash8_read, h8r);
    }
    printf("  hash only          %8.2f M/s        (SipHash-2-4-128 of the ids, no table)\n",
           hash / 1e6);
    printf("  hash x8            %8.2f M/s        (the same, eight ids a call, as batches hash: "
           "%s)\n",
           hash8 / 1e6,
           ar__vis_hash8_best() == ar__vis_hash8_impl(AR_VIS_HASH_AVX512) ? "AVX-512" : "scalar");
    printf("  ceiling            %8.2f M/s        (independent random 8-byte reads, %.0f MB)\n",
           ceiling / 1e6, st.memory_bytes / 1e6);
    printf("  latency            %8.1f ns         (one dependent random read)\n", latency);
    printf("  hash+read          %8.2f M/s        (SipHash, then the one read it selects, "
           "prefetched)\n",
           hash_read / 1e6);
    printf("  hash x8+read       %8.2f M/s        (eight hashes a call, then the reads, prefetched)\n",
           hash8_read / 1e6);
    double bound = 1e9 / latency;
    printf("  one at a time      %.2f %.2f %.2f of 1/latency (%.2f M/s)\n", rate[0] / bound,
           rate[1] / bound, rate[2] / bound, bound / 1e6);
    printf("  ratio to ceiling   hits %.2f  misses %.2f  mixed %.2f;  batched %.2f %.2f %.2f\n",
           rate[0] / ceiling, rate[1] / ceiling, rate[2] / ceiling, batched[0] / ceiling,
           batched[1] / ceiling, batched[2] / ceiling);
    printf("  batched            %.2f %.2f %.2f of hash+read;  %.2f %.2f %.2f of hash x8+read\n",
           batched[0] / hash_read, batched[1] / hash_read, batched[2] / hash_read,
           batched[0] / hash8_read, batched[1] / hash8_read, batched[2] / hash8_read);
    free(qs);
    ar_visibility_free(v);

    ar_visibility *g = NULL;
    double gsets = build(ctx, items, 0, &g);
    ar_visibility_stats gst;
    ar_visibility_stats_get(g, &gst);
    double gbpp = (double)gst.memory_bytes / (double)gst.pairs;
    printf("  build (no hint)    %8.2f M sets/s   %6.1f s\n", gsets / 1e6, (double)items / gsets);
    printf("  memory (no hint)   %8.1f MB        %6.1f bytes/pair\n", gst.memory_bytes / 1e6,
           gbpp);
    print_overflow("no hint", g);
    ar_visibility_free(g);

    double worst = rate[0] < rate[1] ? rate[0] : rate[1];
    worst = worst < rate[2] ? worst : rate[2];
    double bworst = batched[0] < batched[1] ? batched[0] : batched[1];
    bworst = bworst < batched[2] ? bworst : batched[2];
    double mworst = batched_max[0] < batched_max[1] ? batched_max[0] : batched_max[1];
    mworst = mworst < batched_max[2] ? mworst : batched_max[2];
    printf("goal: >= %.0fM lookups/s per core, one at a time: %s (slowest mode %.2fM/s, %.0f%% "
           "of the ceiling, %.0f%% of 1/latency)\n",
           GOAL_LOOKUPS_PER_S / 1e6, verdict(worst >= GOAL_LOOKUPS_PER_S), worst / 1e6,
           100 * worst / ceiling, 100 * worst / bound);
    printf("goal: >= %.0fM lookups/s per core, batched by %d: %s (slowest mode %.2fM/s, %.0f%% "
           "of the ceiling)\n",
           GOAL_LOOKUPS_PER_S / 1e6, FEED, verdict(bworst >= GOAL_LOOKUPS_PER_S), bworst / 1e6,
           100 * bworst / ceiling);
    printf("batched by %d      slowest mode %.2fM/s, %.2f of batched by %d (each call fills "
           "and drains its prefetch pipeline once)\n",
           FEED_MAX, mworst / 1e6, mworst / bworst, FEED);
    printf("goal: <= %.0f bytes/pair: %s (%.1f hinted, %.1f grown)\n", GOAL_BYTES_PER_PAIR,
           verdict(bpp <= GOAL_BYTES_PER_PAIR && gbpp <= GOAL_BYTES_PER_PAIR), bpp, gbpp);
    printf("RESULT visibility pairs=%zu hits_per_s=%.0f misses_per_s=%.0f mixed_per_s=%.0f "
           "batched_hits_per_s=%.0f batched_misses_per_s=%.0f batched_mixed_per_s=%.0f "
           "batched%d_hits_per_s=%.0f batched%d_misses_per_s=%.0f batched%d_mixed_per_s=%.0f "
           "ceiling_per_s=%.0f latency_ns=%.1f hash_per_s=%.0f hash_read_per_s=%.0f "
           "hash8_per_s=%.0f hash8_read_per_s=%.0f "
           "bytes_per_pair=%.1f bytes_per_pair_grown=%.1f build_per_s=%.0f\n",
           pairs, rate[0], rate[1], rate[2], batched[0], batched[1], batched[2], FEED_MAX,
           batched_max[0], FEED_MAX, batched_max[1], FEED_MAX, batched_max[2], ceiling, latency,
           hash, hash_read, hash8, hash8_read, bpp, gbpp, sets);
    ar_ctx_free(ctx);
    return 0;
}
