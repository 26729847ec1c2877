/*
 * text_int.h - inside the text module: the layout of the generated fold
 * table, shared by gen_fold.c (which writes it) and the runtime (which
 * reads it), and the UTF-8 helpers.
 *
 * The fold table gives, for every code point 0..0x10FFFF, one 32-bit entry:
 *
 *   bits 0-3   class (AR__TEXT_C_*)
 *   bit  4     latin: the folded output holds a Latin-script letter
 *   bit  5     ident: the output is the code point itself (the input bytes)
 *   bits 6-11  output length in bytes (0..63)
 *   bits 12-31 offset of the output in ar__text_fold_pool (when not ident)
 *
 * The output is the result of text.h stages 2-5 (ignorables, NFKC_Casefold,
 * mark drop, Arabic folding and digits, confusable skeleton). For separator
 * classes it is the NFKC_Casefold form, kept only so leet keys ("＄" -> "$")
 * can be found; separators are never copied to the normalised stream.
 *
 * Two stages: stage1[cp >> SHIFT] names a block of (1 << SHIFT) entries in
 * stage2. Identical blocks (all of CJK, unassigned planes) are stored once.
 */
#ifndef AR_TEXT_INT_H
#define AR_TEXT_INT_H

#include "arbiter/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Classes in the table. The order matters: everything below DROP ends a token. */
enum {
    AR__TEXT_C_OTHER = 0, /* symbol, control, unassigned, U+FFFD: separator */
    AR__TEXT_C_SPACE,     /* White_Space: separator */
    AR__TEXT_C_PUNCT,     /* punctuation: separator */
    AR__TEXT_C_JOIN,      /* one of . _ - * ' ` ~ | + (and ’ ‐): joins letters */
    AR__TEXT_C_DROP,      /* default-ignorable, tatweel, combining mark: vanishes */
    AR__TEXT_C_LETTER,    /* letter of a script written with spaces */
    AR__TEXT_C_NOSPACE,   /* letter of Han, Kana, Thai, Lao, Khmer, Myanmar: kept as is */
    AR__TEXT_C_DIGIT,     /* decimal digit (ASCII after folding where Unicode allows) */
    AR__TEXT_C_MULTI,     /* output of several classes ("1⁄2", "°c"): look each up again */
};

#define AR__TEXT_FOLD_SHIFT 6
#define AR__TEXT_FOLD_BLOCK (1u << AR__TEXT_FOLD_SHIFT)
#define AR__TEXT_FOLD_NBLK1 (0x110000u >> AR__TEXT_FOLD_SHIFT)

#define AR__TEXT_E_CLASS(e) ((e)&0xFu)
#define AR__TEXT_E_LATIN    0x10u
#define AR__TEXT_E_IDENT    0x20u
#define AR__TEXT_E_LEN(e)   (((e) >> 6) & 0x3Fu)
#define AR__TEXT_E_OFF(e)   ((e) >> 12)
#define AR__TEXT_E_MAKE(cls, flags, len, off)                                                      \
    ((uint32_t)(cls) | (uint32_t)(flags) | ((uint32_t)(len) << 6) | ((uint32_t)(off) << 12))

#define AR__TEXT_OUT_MAX 63 /* longest folded output of one code point */

AR_INTERNAL extern const uint16_t ar__text_fold_stage1[AR__TEXT_FOLD_NBLK1];
AR_INTERNAL extern const uint32_t ar__text_fold_stage2[];
AR_INTERNAL extern const uint8_t ar__text_fold_pool[];

static inline uint32_t ar__text_fold_entry(uint32_t cp)
{
    uint32_t blk = ar__text_fold_stage1[cp >> AR__TEXT_FOLD_SHIFT];
    return ar__text_fold_stage2[(blk << AR__TEXT_FOLD_SHIFT) | (cp & (AR__TEXT_FOLD_BLOCK - 1))];
}

/*---- The normaliser --------------------------------------------------------*/

/* Runtime kinds of a unit: the table classes, plus two for leet keys. */
enum {
    AR__TEXT_K_LEETA = AR__TEXT_C_MULTI + 1, /* key that is a letter or digit ("4", "0") */
    AR__TEXT_K_LEETS,                        /* key that is a symbol ("@", "$", "!") */
};

/* What one ASCII byte is, under this normaliser's leet table. A non-ASCII
 * code point that folds to one ASCII byte ("４", "＄") is looked up here by
 * that byte. */
typedef struct ar__text_ascii {
    uint8_t kind;  /* AR__TEXT_C_* or AR__TEXT_K_* */
    uint8_t base;  /* AR__TEXT_C_* without leet */
    uint8_t low;   /* the folded byte ('A' -> 'a') */
    uint8_t latin; /* 1 for a-z */
    int16_t leet;  /* index into ar_text_norm.leet, or -1 */
} ar__text_ascii;

#define AR__TEXT_TWO_LATIN 0x10000u /* in ar_text_norm.two */

typedef struct ar__text_leet_to {
    uint8_t len; /* 1..8 */
    char to[9];  /* lowercase ASCII letters */
} ar__text_leet_to;

typedef struct ar__text_wide_key {
    uint32_t cp;  /* folded non-ASCII key */
    int16_t leet; /* index into ar_text_norm.leet */
    uint8_t kind; /* AR__TEXT_K_LEETA or AR__TEXT_K_LEETS */
} ar__text_wide_key;

struct ar_text_norm {
    ar_ctx *ctx;
    ar__text_ascii ascii[128];
    uint8_t letter[256];    /* the folded byte of an ASCII letter that is no leet key, else 0 */
    bool letter_az;         /* letter[] is exactly A-Z and a-z, lowercased (no letter is a
                               leet key): the hot path may test for letters 16 at a time */
    /* For a two-byte code point (0x80..0x7FF: Arabic script, Cyrillic,
     * Greek, Latin-1) that is a LETTER folding to one two-byte letter:
     * fold[0] | fold[1] << 8, with AR__TEXT_TWO_LATIN if it is Latin; else 0.
     * All 0 when the leet table has non-ASCII keys. The hot path's one
     * lookup per letter instead of the two-stage table and the pool. */
    uint32_t two[0x800];
    ar__text_leet_to *leet; /* [nleet] */
    size_t nleet;
    ar__text_wide_key *wide; /* [nwide], sorted by cp */
    size_t nwide;
};

typedef struct ar_text_norm ar_text_norm;
typedef struct ar_text_out ar_text_out;

/* ar_text_normalize() without its hot path (token_run): the general loop
 * alone. Gives the same output byte for byte; tests and the fuzz target
 * check that it does. */
AR_INTERNAL ar_status ar__text_normalize_reference(const ar_text_norm *norm, const char *in,
                                                   size_t len, ar_text_out *out, ar_error *err);

/* Decode one code point of s[0..n) (n >= 1). Returns the bytes consumed
 * (1..4) and sets *cp. A maximal invalid subpart (Unicode 15, §3.9 "U+FFFD
 * substitution of maximal subparts") is consumed whole and gives U+FFFD
 * with *bad set. */
static inline size_t ar__text_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp, bool *bad)
{
    uint8_t b0 = s[0];
    *bad = false;
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 < 0xC2) goto invalid1;
    if (b0 < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) goto invalid1;
        *cp = ((uint32_t)(b0 & 0x1F) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (b0 < 0xF0) {
        uint8_t lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
        if (n < 2 || s[1] < lo || s[1] > hi) goto invalid1;
        if (n < 3 || (s[2] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            *bad = true;
            return 2;
        }
        *cp = ((uint32_t)(b0 & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if (b0 < 0xF5) {
        uint8_t lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
        if (n < 2 || s[1] < lo || s[1] > hi) goto invalid1;
        if (n < 3 || (s[2] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            *bad = true;
            return 2;
        }
        if (n < 4 || (s[3] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            *bad = true;
            return 3;
        }
        *cp = ((uint32_t)(b0 & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
invalid1:
    *cp = 0xFFFD;
    *bad = true;
    return 1;
}

/* Bytes of the UTF-8 sequence that starts with lead byte b (1 for a stray byte). */
static inline size_t ar__text_utf8_seqlen(uint8_t b)
{
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

#endif
