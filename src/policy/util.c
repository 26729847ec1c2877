/*
 * util.c - byte-level helpers of the policy parser: strict UTF-8 decoding
 * (for positions in code points and for refusing bad bytes) and the FNV-1a
 * hash behind ar_policy.digest.
 */
#include "policy_int.h"

/* Decode the code point at s[0..n).
 * Returns its length in bytes (1..4) and sets *cp, or returns 0 when the
 * bytes are not valid UTF-8: a stray continuation byte, an overlong form, a
 * surrogate, a value past U+10FFFF or a sequence cut short. */
size_t ar__policy_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0; /* continuation byte, 0xC0/0xC1 (always overlong) or 0xF5.. */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Continue the 64-bit FNV-1a hash `h` over data[0..len). */
uint64_t ar__policy_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= AR__FNV_PRIME;
    }
    return h;
}

/* How many bytes of s to print so that at most `max` are shown and no
 * UTF-8 sequence is cut in two. */
int ar__policy_clip(const char *s, int max)
{
    int n = 0;
    while (n < max && s[n])
        n++;
    if (s[n])
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return n;
}
