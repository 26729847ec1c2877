/*
 * utf8.c - UTF-8 validation (text.h stage 1; the normaliser repairs on the
 * fly with ar__text_utf8_decode, this only answers yes or no).
 */
#include "text/text_int.h"
#include "arbiter/text.h"

#include <string.h>

/* Return true if in[0..len) is valid UTF-8: no overlongs, no surrogates,
 * nothing past U+10FFFF, no truncated sequence. in may be NULL when len is 0. */
bool ar_text_utf8_valid(const char *in, size_t len)
{
    const uint8_t *s = (const uint8_t *)in;
    size_t i = 0;
    if (!s) return len == 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: most text is mostly ASCII. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, sizeof w);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= len) break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool bad;
        i += ar__text_utf8_decode(s + i, len - i, &cp, &bad);
        if (bad) return false;
    }
    return true;
}
