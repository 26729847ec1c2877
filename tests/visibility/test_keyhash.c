/* tests/visibility/test_keyhash.c - the index's own SipHash-2-4-128, one at
 * a time and eight at a time in every implementation this CPU runs, gives
 * libsodium's crypto_shorthash_siphashx24 bit for bit: every length from 0
 * to 80, ids at every alignment, and lanes of mixed lengths in one call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "visibility/keyhash.h"

#define MAXLEN 80

static uint64_t le64(const unsigned char *b)
{
    uint64_t x = 0;
    for (int i = 0; i < 8; i++)
        x |= (uint64_t)b[i] << (8 * i);
    return x;
}

static void sodium_words(const unsigned char key[16], const unsigned char *p, size_t len,
                         uint64_t *hi, uint64_t *lo)
{
    unsigned char h[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(h, p, len, key);
    *hi = le64(h);
    *lo = le64(h + 8);
}

static ar_vis_hashkey key_words(const unsigned char key[16])
{
    ar_vis_hashkey k = {le64(key), le64(key + 8)};
    return k;
}

/* Each id in its own exact-size allocation, so ASan sees any read past it. */
static unsigned char *id_copy(const unsigned char *src, size_t len)
{
    unsigned char *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, src, len);
    return p;
}

static void test_scalar_matches_libsodium(void **state)
{
    (void)state;
    unsigned char key[16], buf[MAXLEN + 8];
    for (int round = 0; round < 20; round++) {
        randombytes_buf(key, sizeof key);
        randombytes_buf(buf, sizeof buf);
        ar_vis_hashkey k = key_words(key);
        for (size_t len = 0; len <= MAXLEN; len++) {
            for (size_t off = 0; off < 8; off++) {
                unsigned char *p = id_copy(buf + off, len);
                uint64_t hi, lo, whi, wlo;
                ar__vis_siphash(&k, p, len, &hi, &lo);
                sodium_words(key, p, len, &whi, &wlo);
                if (hi != whi || lo != wlo)
                    fail_msg("length %zu offset %zu: %016llx%016llx, libsodium %016llx%016llx", len,
                             off, (unsigned long long)hi, (unsigned long long)lo,
                             (unsigned long long)whi, (unsigned long long)wlo);
                free(p);
            }
        }
    }
}

/* Eight lanes with the given lengths, against libsodium lane by lane. */
static void check_lanes(ar_vis_hash8_fn *fn, const unsigned char key[16], const size_t len[8])
{
    ar_vis_hashkey k = key_words(key);
    unsigned char *p[8];
    for (int i = 0; i < 8; i++) {
        unsigned char src[MAXLEN];
        randombytes_buf(src, sizeof src);
        p[i] = id_copy(src, len[i]);
    }
    uint64_t hi[8], lo[8];
    fn(&k, (const unsigned char *const *)p, len, hi, lo);
    for (int i = 0; i < 8; i++) {
        uint64_t whi, wlo;
        sodium_words(key, p[i], len[i], &whi, &wlo);
        if (hi[i] != whi || lo[i] != wlo)
            fail_msg("lane %d of length %zu differs from libsodium", i, len[i]);
        free(p[i]);
    }
}

static void test_eight_at_a_time_match_libsodium(void **state)
{
    (void)state;
    unsigned tested = 0;
    for (unsigned w = 0; w < AR_VIS_HASH_NIMPL; w++) {
        ar_vis_hash8_fn *fn = ar__vis_hash8_impl(w);
        if (!fn)
            continue; /* not on this CPU */
        tested++;
        unsigned char key[16];
        for (size_t base = 0; base <= MAXLEN; base++) {
            randombytes_buf(key, sizeof key);
            size_t same[8], mixed[8], spread[8];
            for (int i = 0; i < 8; i++) {
                same[i] = base; /* every lane the same length */
                mixed[i] = (base + 7 * (size_t)i) % (MAXLEN + 1); /* some lanes end early */
                spread[i] = (size_t)randombytes_uniform(MAXLEN + 1);
            }
            check_lanes(fn, key, same);
            check_lanes(fn, key, mixed);
            check_lanes(fn, key, spread);
        }
    }
    assert_true(tested >= 1);
    assert_true(ar__vis_hash8_best() != NULL);
}

/* On a CPU with AVX-512 the batches get it (the dispatch is not silently
 * falling back to scalar). */
static void test_best_is_avx512_where_the_cpu_has_it(void **state)
{
    (void)state;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        assert_non_null(ar__vis_hash8_impl(AR_VIS_HASH_AVX512));
        assert_ptr_equal(ar__vis_hash8_best(), ar__vis_hash8_impl(AR_VIS_HASH_AVX512));
        return;
    }
#endif
    assert_ptr_equal(ar__vis_hash8_best(), ar__vis_hash8_impl(AR_VIS_HASH_SCALAR));
}

static void test_empty_lanes_may_have_no_pointer(void **state)
{
    (void)state;
    unsigned char key[16];
    randombytes_buf(key, sizeof key);
    ar_vis_hashkey k = key_words(key);
    for (unsigned w = 0; w < AR_VIS_HASH_NIMPL; w++) {
        ar_vis_hash8_fn *fn = ar__vis_hash8_impl(w);
        if (!fn)
            continue;
        const unsigned char *p[8] = {NULL, (const unsigned char *)"post-1", NULL, NULL,
                                     NULL, NULL, NULL, (const unsigned char *)"x"};
        size_t len[8] = {0, 6, 0, 0, 0, 0, 0, 1};
        uint64_t hi[8], lo[8], whi, wlo;
        fn(&k, p, len, hi, lo);
        sodium_words(key, (const unsigned char *)"", 0, &whi, &wlo);
        assert_true(hi[0] == whi && lo[0] == wlo);
        sodium_words(key, p[1], 6, &whi, &wlo);
        assert_true(hi[1] == whi && lo[1] == wlo);
        sodium_words(key, p[7], 1, &whi, &wlo);
        assert_true(hi[7] == whi && lo[7] == wlo);
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_matches_libsodium),
        cmocka_unit_test(test_eight_at_a_time_match_libsodium),
        cmocka_unit_test(test_empty_lanes_may_have_no_pointer),
        cmocka_unit_test(test_best_is_avx512_where_the_cpu_has_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
