/*
 * keyhash.c - eight SipHash-2-4-128 hashes at once (contract in keyhash.h).
 *
 * Lane i of each vector holds id i's SipHash state; every operation of a
 * SipRound is one vector operation for all eight. Ids of different lengths
 * have different numbers of message words: lanes whose id is out of words
 * keep their state (a masked blend) while the longer ones go on, so the
 * finalisation, the same for everyone, runs once for all eight.
 *
 * The kernel is written with the compiler's vector extensions and compiled
 * for AVX-512 by a target attribute; whether it runs is decided at run time,
 * so the library still runs on any x86-64 (and builds for other CPUs with
 * the scalar version alone). Not AVX2: without a 64-bit rotate instruction
 * (three instructions each) eight lanes in two 256-bit halves measured
 * slower than eight scalar hashes (24.6 against 13.4 ns a hash on the
 * EPYC this was measured on; AVX-512: 7.7 ns).
 */
#include "keyhash.h"

static void hash8_scalar(const ar_vis_hashkey *key, const unsigned char *const p[8],
                         const size_t len[8], uint64_t hi[8], uint64_t lo[8])
{
    for (int i = 0; i < AR_VIS_HASH_LANES; i++)
        ar__vis_siphash(key, p[i], len[i], &hi[i], &lo[i]);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_VECTOR_KERNELS 1

typedef uint64_t u64x8 __attribute__((vector_size(64)));

/* Message word j of lane i: nfull[i] full words, then its last word. */
#define WORD(i, j)                                                                              \
    ((j) < nfull[i] ? ar__vis_load_le64(p[i] + 8 * (j)) : (j) == nfull[i] ? last[i] : 0)
#define WORDS(j)                                                                                \
    ((u64x8){WORD(0, j), WORD(1, j), WORD(2, j), WORD(3, j), WORD(4, j), WORD(5, j), WORD(6, j), \
             WORD(7, j)})

/* One word absorbed in every lane (SipHash's compression, two rounds). */
#define ABSORB(m)                                                                               \
    do {                                                                                        \
        v3 ^= (m);                                                                              \
        AR_VIS_SIPROUND(v0, v1, v2, v3);                                                        \
        AR_VIS_SIPROUND(v0, v1, v2, v3);                                                        \
        v0 ^= (m);                                                                              \
    } while (0)

#define KEEP_UNLESS(v, old, mask) ((v) = (old) ^ (((v) ^ (old)) & (mask)))

/* The body of a kernel; the same text for every target. Words every lane
 * has are absorbed plainly; past the shortest id, a lane out of words keeps
 * its state. */
#define HASH8_BODY                                                                              \
    {                                                                                           \
        size_t nfull[8], wmin = SIZE_MAX, wmax = 0;                                             \
        uint64_t last[8];                                                                       \
        for (int i = 0; i < 8; i++) {                                                           \
            nfull[i] = len[i] / 8;                                                              \
            last[i] = ar__vis_sip_last(p[i], len[i]);                                           \
            wmin = nfull[i] < wmin ? nfull[i] : wmin;                                           \
            wmax = nfull[i] > wmax ? nfull[i] : wmax;                                           \
        }                                                                                       \
        u64x8 zero = {0};                                                                       \
        u64x8 v0 = zero + (AR_VIS_SIP_V0 ^ key->k0), v1 = zero + (AR_VIS_SIP_V1 ^ key->k1);     \
        u64x8 v2 = zero + (AR_VIS_SIP_V2 ^ key->k0), v3 = zero + (AR_VIS_SIP_V3 ^ key->k1);     \
        size_t j = 0;                                                                           \
        for (; j < wmin; j++) {                                                                 \
            u64x8 m = WORDS(j);                                                                 \
            ABSORB(m);                                                                          \
        }                                                                                       \
        if (wmin == wmax) {                                                                     \
            u64x8 m = {last[0], last[1], last[2], last[3], last[4], last[5], last[6], last[7]}; \
            ABSORB(m);                                                                          \
        } else {                                                                                \
            for (; j <= wmax; j++) {                                                            \
                u64x8 m = WORDS(j), o0 = v0, o1 = v1, o2 = v2, o3 = v3;                         \
                u64x8 a = {0};                                                                  \
                for (int i = 0; i < 8; i++)                                                     \
                    a[i] = j <= nfull[i] ? ~UINT64_C(0) : 0;                                    \
                ABSORB(m);                                                                      \
                KEEP_UNLESS(v0, o0, a);                                                         \
                KEEP_UNLESS(v1, o1, a);                                                         \
                KEEP_UNLESS(v2, o2, a);                                                         \
                KEEP_UNLESS(v3, o3, a);                                                         \
            }                                                                                   \
        }                                                                                       \
        v2 ^= UINT64_C(0xee);                                                                   \
        AR_VIS_SIPROUND4(v0, v1, v2, v3);                                                       \
        u64x8 h = v0 ^ v1 ^ v2 ^ v3;                                                            \
        memcpy(hi, &h, sizeof h);                                                               \
        v1 ^= UINT64_C(0xdd);                                                                   \
        AR_VIS_SIPROUND4(v0, v1, v2, v3);                                                       \
        h = v0 ^ v1 ^ v2 ^ v3;                                                                  \
        memcpy(lo, &h, sizeof h);                                                               \
    }

__attribute__((target("avx512f"))) static void
hash8_avx512(const ar_vis_hashkey *key, const unsigned char *const p[8], const size_t len[8],
             uint64_t hi[8], uint64_t lo[8]) HASH8_BODY

#endif

ar_vis_hash8_fn *ar__vis_hash8_impl(unsigned which)
{
    switch (which) {
    case AR_VIS_HASH_SCALAR:
        return hash8_scalar;
#ifdef HAVE_VECTOR_KERNELS
    case AR_VIS_HASH_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") ? hash8_avx512 : NULL;
#endif
    default:
        return NULL;
    }
}

ar_vis_hash8_fn *ar__vis_hash8_best(void)
{
    for (unsigned w = AR_VIS_HASH_NIMPL; w-- > 0;) {
        ar_vis_hash8_fn *f = ar__vis_hash8_impl(w);
        if (f)
            return f;
    }
    return hash8_scalar;
}
