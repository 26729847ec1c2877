/*
 * keyhash.h - the visibility index's item keys: SipHash-2-4 with 128-bit
 * output under a secret 128-bit key, the function libsodium calls
 * crypto_shorthash_siphashx24, bit for bit (tests/visibility/test_keyhash.c
 * checks every length up to 80 against libsodium). For src/visibility/ only.
 *
 * Why our own copy of a function libsodium has: a batched lookup spends
 * most of its instructions hashing (measured with cachegrind: about 216
 * instructions a hash against about 140 for the rest of a batched lookup).
 * SipHash is a chain of dependent 64-bit additions, rotations and xors, so
 * one hash cannot fill the CPU; eight hashes side by side in vector lanes
 * can. ar__vis_hash8_best() picks AVX-512 lanes when the CPU has them, else
 * eight scalar hashes, once, at index creation. The one-at-a-time path uses the
 * inline scalar function below, which needs no call into the library.
 *
 * Output: two 64-bit words, hi = bytes 0-7 and lo = bytes 8-15 of
 * libsodium's output read little-endian.
 */
#ifndef AR_VIS_KEYHASH_H
#define AR_VIS_KEYHASH_H

#include "arbiter/common.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct ar_vis_hashkey {
    uint64_t k0, k1; /* the 16 key bytes read as two little-endian words */
} ar_vis_hashkey;

#define AR_VIS_HASH_LANES 8

/* Hash lanes 0..7: p[i] holds len[i] bytes (p[i] may be NULL when len[i] is
 * 0); hi[i], lo[i] get its key. Reads no byte outside the ids. */
typedef void ar_vis_hash8_fn(const ar_vis_hashkey *key, const unsigned char *const p[8],
                             const size_t len[8], uint64_t hi[8], uint64_t lo[8]);

enum {
    AR_VIS_HASH_SCALAR, /* eight scalar hashes: any CPU */
    AR_VIS_HASH_AVX512, /* 8 lanes in one 512-bit register, one-instruction rotations */
    AR_VIS_HASH_NIMPL
};

/* An implementation by number, or NULL if this build or CPU lacks it. */
AR_INTERNAL ar_vis_hash8_fn *ar__vis_hash8_impl(unsigned which);
/* The fastest implementation this CPU runs. */
AR_INTERNAL ar_vis_hash8_fn *ar__vis_hash8_best(void);

/*---- One at a time -------------------------------------------------------*/

static inline uint64_t ar__vis_load_le64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint64_t x = 0;
    for (int i = 0; i < 8; i++)
        x |= (uint64_t)p[i] << (8 * i);
    return x;
#else
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
#endif
}

/* SipHash's last message word for an id of len bytes: its last len % 8
 * bytes, and the length in the top byte. Reads 4, 2 and 1 bytes rather
 * than calling memcpy with a variable size. */
static inline uint64_t ar__vis_sip_last(const unsigned char *p, size_t len)
{
    uint64_t x = (uint64_t)len << 56;
    if ((len & 7) == 0)
        return x;
    const unsigned char *q = p + (len & ~(size_t)7);
    unsigned sh = 0;
    if (len & 4) {
        x |= (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 | (uint64_t)q[3] << 24;
        q += 4;
        sh = 32;
    }
    if (len & 2) {
        x |= ((uint64_t)q[0] | (uint64_t)q[1] << 8) << sh;
        q += 2;
        sh += 16;
    }
    if (len & 1)
        x |= (uint64_t)q[0] << sh;
    return x;
}

#define AR_VIS_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define AR_VIS_SIPROUND(v0, v1, v2, v3)                                                         \
    do {                                                                                        \
        v0 += v1;                                                                               \
        v1 = AR_VIS_ROTL(v1, 13);                                                               \
        v1 ^= v0;                                                                               \
        v0 = AR_VIS_ROTL(v0, 32);                                                               \
        v2 += v3;                                                                               \
        v3 = AR_VIS_ROTL(v3, 16);                                                               \
        v3 ^= v2;                                                                               \
        v0 += v3;                                                                               \
        v3 = AR_VIS_ROTL(v3, 21);                                                               \
        v3 ^= v0;                                                                               \
        v2 += v1;                                                                               \
        v1 = AR_VIS_ROTL(v1, 17);                                                               \
        v1 ^= v2;                                                                               \
        v2 = AR_VIS_ROTL(v2, 32);                                                               \
    } while (0)
#define AR_VIS_SIPROUND4(v0, v1, v2, v3)                                                        \
    do {                                                                                        \
        AR_VIS_SIPROUND(v0, v1, v2, v3);                                                        \
        AR_VIS_SIPROUND(v0, v1, v2, v3);                                                        \
        AR_VIS_SIPROUND(v0, v1, v2, v3);                                                        \
        AR_VIS_SIPROUND(v0, v1, v2, v3);                                                        \
    } while (0)

/* SipHash's initial state for the 128-bit output (v1 carries 0xee). */
#define AR_VIS_SIP_V0 UINT64_C(0x736f6d6570736575)
#define AR_VIS_SIP_V1 UINT64_C(0x646f72616e646f83)
#define AR_VIS_SIP_V2 UINT64_C(0x6c7967656e657261)
#define AR_VIS_SIP_V3 UINT64_C(0x7465646279746573)

static inline void ar__vis_siphash(const ar_vis_hashkey *key, const unsigned char *p, size_t len,
                                   uint64_t *hi, uint64_t *lo)
{
    uint64_t v0 = AR_VIS_SIP_V0 ^ key->k0, v1 = AR_VIS_SIP_V1 ^ key->k1;
    uint64_t v2 = AR_VIS_SIP_V2 ^ key->k0, v3 = AR_VIS_SIP_V3 ^ key->k1;
    for (size_t j = 0; j < len / 8; j++) {
        uint64_t m = ar__vis_load_le64(p + 8 * j);
        v3 ^= m;
        AR_VIS_SIPROUND(v0, v1, v2, v3);
        AR_VIS_SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t m = ar__vis_sip_last(p, len);
    v3 ^= m;
    AR_VIS_SIPROUND(v0, v1, v2, v3);
    AR_VIS_SIPROUND(v0, v1, v2, v3);
    v0 ^= m;
    v2 ^= 0xee;
    AR_VIS_SIPROUND4(v0, v1, v2, v3);
    *hi = v0 ^ v1 ^ v2 ^ v3;
    v1 ^= 0xdd;
    AR_VIS_SIPROUND4(v0, v1, v2, v3);
    *lo = v0 ^ v1 ^ v2 ^ v3;
}

#endif
