/*
 * arbiter/text.h - text normalisation: the evasion work, done once per item.
 *
 * Fold before matching, not inside each rule: vectorscan scans plain words
 * at GB/s but slows to tens of MB/s once rules must tolerate separators and
 * stretched letters. So the normaliser turns an item's UTF-8 into a plain
 * stream of words, and an offset map points every byte of that stream back
 * at the bytes of the input that produced it.
 *
 * The stages, per code point, from tables generated at build time from ICU's
 * Unicode data (src/text/gen_fold.c writes fold_table.c):
 *   1. UTF-8 validation: each invalid sequence becomes U+FFFD and the result
 *      carries AR_TEXT_REPAIRED (documented in docs/ARCHITECTURE.md).
 *   2. Default-ignorable code points (ZWSP, ZWJ, ZWNJ, BOM, soft hyphen, bidi
 *      controls, variation selectors) and Arabic tatweel are dropped.
 *   3. NFKC + case folding (ICU NFKC_Casefold); then combining marks are
 *      dropped (Arabic harakat, Latin accents: "café" -> "cafe").
 *   4. Arabic-script letters fold to one form: alef variants -> U+0627,
 *      yeh variants (ى ی ئ ۍ ې) -> U+064A, kaf variants (ک ڪ) -> U+0643,
 *      heh variants (ة ہ ۀ ە ھ) -> U+0647, waw with hamza -> U+0648;
 *      Arabic-Indic and Extended Arabic-Indic digits -> ASCII digits.
 *   5. UTS #39 confusable skeleton (ICU's confusables data) for letters that
 *      are neither ASCII nor Arabic-script, so Cyrillic, Greek, Cherokee and
 *      other lookalikes of Latin letters become Latin. Arabic-script code
 *      points never take this stage: the data would map ه to "o" and ٥ to "o".
 *   6. Per token: leetspeak folding (the normaliser's leet table) in tokens
 *      that hold at least one Latin letter; digits in other tokens stay. A
 *      leet entry that is not a letter or digit ("@", "$", "!") folds only
 *      when a letter or digit follows it in the token, and never as the
 *      first character when it is "@" (a mention); otherwise it is a
 *      separator, so "bad!" stays "bad", "sh!t" and "$hit" become "shit".
 *   7. Per token: runs of the same letter are squeezed to one letter, and
 *      the run length is kept (ar_text_out.run) so a matcher can demand "ss"
 *      in "ass" without missing "asssss".
 *   8. Separators: whitespace, punctuation and symbols end a token. Joined:
 *      a punctuation character from "._-*'`~|+" between two letters with no
 *      whitespace ("b.a.d", "b_a_d", "sh.it" -> "bad", "bad", "shit"), and a
 *      chain of three or more one-letter tokens separated only by
 *      whitespace/punctuation ("b a d" -> "bad").
 *
 * The output is " tok tok tok ": tokens separated by exactly one ASCII space,
 * with one leading and one trailing space (so " word " is a whole-word match
 * and needs no look-around). Tokens are lowercase; letters from scripts that
 * do not use spaces between words (Han, Hiragana, Katakana, Thai, Lao,
 * Khmer, Myanmar) are kept as they are.
 *
 * THREAD SAFETY: an ar_text_norm is immutable once made; any number of
 * threads may normalise with it at once, each into its own ar_text_out.
 */
#ifndef ARBITER_TEXT_H
#define ARBITER_TEXT_H

#include "arbiter/common.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_TEXT_MAX_BYTES (4u * 1024u * 1024u) /* one item's text: AR_ETOOBIG past it */
#define AR_TEXT_LEET_MAX  256                   /* entries in a leet table */

/* ar_text_out.flags */
#define AR_TEXT_REPAIRED 0x1u /* invalid UTF-8 was replaced by U+FFFD */

/* One leetspeak substitution: a single code point (given as UTF-8) that
 * stands for one or more letters: {"4", "a"}, {"@", "a"}, {"$", "s"}. */
typedef struct ar_text_leet {
    const char *from; /* exactly one code point, UTF-8 */
    const char *to;   /* 1..8 bytes of lowercase ASCII letters */
} ar_text_leet;

/* The default table: 0 o, 1 i, 3 e, 4 a, 5 s, 7 t, 8 b, 9 g, @ a, $ s, ! i, | l, + t. */
AR_API const ar_text_leet *ar_text_leet_default(size_t *n);

typedef struct ar_text_norm ar_text_norm;

/* Make a normaliser. `leet` NULL uses the default table; n == 0 with a non-NULL
 * `leet` turns leet folding off. Each entry is validated: AR_EINVAL names it
 * in err->field as "leet[i]". */
AR_API AR_NODISCARD ar_status ar_text_norm_new(ar_ctx *ctx, const ar_text_leet *leet, size_t n,
                                               ar_text_norm **out, ar_error *err);
AR_API void ar_text_norm_free(ar_text_norm *norm);

/* The normalised stream and its offset map. Owned by the caller; reuse one
 * per thread: ar_text_normalize() overwrites it and grows its buffers. */
typedef struct ar_text_out {
    char *buf;          /* normalised UTF-8, NUL-terminated, " tok tok " */
    size_t len;         /* bytes in buf, without the NUL */
    uint32_t *src_start; /* [len]: input byte where the code point behind buf[i] begins */
    uint32_t *src_end;   /* [len]: input byte just past it (for a squeezed run or a
                            multi-code-point fold: past the last code point behind it) */
    uint16_t *run;      /* [len]: letter run length before squeezing (1 if none; capped at 65535) */
    unsigned flags;     /* AR_TEXT_REPAIRED */
    size_t cap;         /* internal: capacity of the arrays */
    ar_ctx *ctx;        /* internal */
} ar_text_out;

AR_API void ar_text_out_init(ar_text_out *out, ar_ctx *ctx);
AR_API void ar_text_out_free(ar_text_out *out);

/* Normalise `len` bytes of `in` (need not be NUL-terminated) into `out`.
 * AR_ETOOBIG past AR_TEXT_MAX_BYTES, or when folding would make the output
 * over 4 times the input plus 4 KiB (a text made of U+FDFA, say); AR_ENOMEM. Never fails on content:
 * invalid UTF-8 is repaired and flagged. Spaces bracket the output, so the
 * empty input gives " " (len 1) and src_start/src_end of a space byte are
 * the bounds of the separator it replaced (equal values when synthetic). */
AR_API AR_NODISCARD ar_status ar_text_normalize(const ar_text_norm *norm, const char *in,
                                                size_t len, ar_text_out *out, ar_error *err);

/* Map a span [nstart, nend) of out->buf back to input bytes [*start, *end).
 * Leading and trailing spaces of the span are skipped first. */
AR_API void ar_text_span_to_source(const ar_text_out *out, size_t nstart, size_t nend,
                                   size_t *start, size_t *end);

/* true if `in` is valid UTF-8 (no surrogates, no overlongs, <= U+10FFFF). */
AR_API bool ar_text_utf8_valid(const char *in, size_t len);

#ifdef __cplusplus
}
#endif
#endif
