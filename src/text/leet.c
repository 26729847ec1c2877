/*
 * leet.c - the leetspeak table and the normaliser that carries it.
 *
 * A leet key is matched against the folded code point (text.h stage 6 comes
 * after the table fold), so "４" and "4" are one key. ASCII keys go in the
 * normaliser's 128-entry byte table, which the hot path reads anyway; the
 * rare non-ASCII keys go in a sorted array searched only when one exists.
 */
#include "common/common_int.h"
#include "text/text_int.h"
#include "arbiter/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ar_text_leet leet_default[] = {
    {"0", "o"}, {"1", "i"}, {"3", "e"}, {"4", "a"}, {"5", "s"}, {"7", "t"}, {"8", "b"},
    {"9", "g"}, {"@", "a"}, {"$", "s"}, {"!", "i"}, {"|", "l"}, {"+", "t"},
};

/* The default table; *n (if not NULL) gets its length. */
const ar_text_leet *ar_text_leet_default(size_t *n)
{
    if (n) *n = AR_ARRAY_LEN(leet_default);
    return leet_default;
}

/*---- Table set-up --------------------------------------------------------*/

/* Fill the ASCII byte table from the generated fold table, without leet. */
static void ascii_init(ar__text_ascii *a)
{
    for (uint32_t b = 0; b < 128; b++) {
        uint32_t e = ar__text_fold_entry(b);
        uint8_t low = (uint8_t)b;
        if (!(e & AR__TEXT_E_IDENT) && AR__TEXT_E_LEN(e) == 1)
            low = ar__text_fold_pool[AR__TEXT_E_OFF(e)];
        a[b].low = low;
        a[b].leet = -1;
    }
    /* Classes by folded byte, so 'A' is whatever 'a' is. */
    for (uint32_t b = 0; b < 128; b++) {
        uint32_t e = ar__text_fold_entry(a[b].low);
        a[b].kind = a[b].base = (uint8_t)AR__TEXT_E_CLASS(e);
        a[b].latin = (e & AR__TEXT_E_LATIN) ? 1 : 0;
    }
}

static int wide_cmp(const void *x, const void *y)
{
    uint32_t a = ((const ar__text_wide_key *)x)->cp, b = ((const ar__text_wide_key *)y)->cp;
    return a < b ? -1 : a > b;
}

/* Check entry i and give its folded key code point and class.
 * Returns AR_EINVAL (naming "leet[i]") or AR_OK. */
static ar_status leet_key(const ar_text_leet *l, size_t i, uint32_t *key, uint32_t *cls,
                          ar_error *err)
{
    char field[32];
    snprintf(field, sizeof field, "leet[%zu]", i);
    if (!l->from || !l->to)
        return ar_error_set(err, AR_EINVAL, field, "leet entry needs both from and to");
    size_t flen = strlen(l->from), tlen = strlen(l->to);
    if (flen == 0) return ar_error_set(err, AR_EINVAL, field, "leet from is empty");
    uint32_t cp;
    bool bad;
    size_t k = ar__text_utf8_decode((const uint8_t *)l->from, flen, &cp, &bad);
    if (bad || k != flen)
        return ar_error_set(err, AR_EINVAL, field,
                            "leet from must be exactly one code point of valid UTF-8");
    if (tlen < 1 || tlen > 8)
        return ar_error_set(err, AR_EINVAL, field, "leet to must be 1 to 8 letters, not %zu", tlen);
    for (size_t j = 0; j < tlen; j++)
        if (l->to[j] < 'a' || l->to[j] > 'z')
            return ar_error_set(err, AR_EINVAL, field, "leet to must be lowercase ASCII letters");
    uint32_t e = ar__text_fold_entry(cp);
    *cls = AR__TEXT_E_CLASS(e);
    size_t olen = AR__TEXT_E_LEN(e);
    const uint8_t *o =
        (e & AR__TEXT_E_IDENT) ? (const uint8_t *)l->from : ar__text_fold_pool + AR__TEXT_E_OFF(e);
    if (*cls == AR__TEXT_C_DROP || olen == 0)
        return ar_error_set(err, AR_EINVAL, field, "leet from is dropped by normalisation");
    if (*cls == AR__TEXT_C_SPACE)
        return ar_error_set(err, AR_EINVAL, field, "leet from may not be whitespace");
    if (*cls == AR__TEXT_C_MULTI || ar__text_utf8_decode(o, olen, key, &bad) != olen)
        return ar_error_set(err, AR_EINVAL, field, "leet from folds to more than one character");
    return AR_OK;
}

/* Make a normaliser (text.h). On failure *out is NULL. */
ar_status ar_text_norm_new(ar_ctx *ctx, const ar_text_leet *leet, size_t n, ar_text_norm **out,
                           ar_error *err)
{
    if (!out) return ar_error_set(err, AR_EINVAL, NULL, "ar_text_norm_new: out is NULL");
    *out = NULL;
    if (!ctx) return ar_error_set(err, AR_EINVAL, NULL, "ar_text_norm_new: ctx is NULL");
    if (!leet) leet = ar_text_leet_default(&n);
    if (n > AR_TEXT_LEET_MAX)
        return ar_error_set(err, AR_EINVAL, "leet", "leet table has %zu entries, over %d", n,
                            AR_TEXT_LEET_MAX);

    ar_text_norm *norm = ar__calloc(ctx, 1, sizeof *norm);
    if (!norm) return ar_error_set(err, AR_ENOMEM, NULL, "out of memory making a normaliser");
    norm->ctx = ctx;
    ascii_init(norm->ascii);
    if (n) {
        norm->leet = ar__calloc(ctx, n, sizeof *norm->leet);
        norm->wide = ar__calloc(ctx, n, sizeof *norm->wide);
        if (!norm->leet || !norm->wide) {
            ar_text_norm_free(norm);
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory making a normaliser");
        }
    }
    uint32_t *keys = n ? ar__calloc(ctx, n, sizeof *keys) : NULL;
    if (n && !keys) {
        ar_text_norm_free(norm);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory making a normaliser");
    }
    ar_status rc = AR_OK;
    for (size_t i = 0; i < n && rc == AR_OK; i++) {
        uint32_t key = 0, cls = 0;
        rc = leet_key(&leet[i], i, &key, &cls, err);
        if (rc != AR_OK) break;
        for (size_t j = 0; j < i; j++) {
            if (keys[j] == key) {
                char field[32];
                snprintf(field, sizeof field, "leet[%zu]", i);
                rc = ar_error_set(err, AR_EINVAL, field, "leet from repeats leet[%zu]", j);
                break;
            }
        }
        if (rc != AR_OK) break;
        keys[i] = key;
        ar__text_leet_to *t = &norm->leet[i];
        t->len = (uint8_t)strlen(leet[i].to);
        memcpy(t->to, leet[i].to, t->len);
        uint8_t kind =
            (cls == AR__TEXT_C_LETTER || cls == AR__TEXT_C_DIGIT || cls == AR__TEXT_C_NOSPACE)
                ? AR__TEXT_K_LEETA
                : AR__TEXT_K_LEETS;
        if (key < 128) {
            /* Every byte that folds to the key ('X' for 'x') takes it. */
            for (uint32_t b = 0; b < 128; b++) {
                if (norm->ascii[b].low == key) {
                    norm->ascii[b].kind = kind;
                    norm->ascii[b].leet = (int16_t)i;
                }
            }
        } else {
            norm->wide[norm->nwide++] = (ar__text_wide_key){key, (int16_t)i, kind};
        }
    }
    ar__free(ctx, keys);
    if (rc != AR_OK) {
        ar_text_norm_free(norm);
        return rc;
    }
    norm->nleet = n;
    norm->letter_az = true;
    for (uint32_t b = 0; b < 128; b++) {
        if (norm->ascii[b].kind == AR__TEXT_C_LETTER) norm->letter[b] = norm->ascii[b].low;
        bool az = (b | 0x20u) >= 'a' && (b | 0x20u) <= 'z';
        if (norm->letter[b] != (az ? (b | 0x20u) : 0u)) norm->letter_az = false;
    }
    if (norm->nwide) qsort(norm->wide, norm->nwide, sizeof *norm->wide, wide_cmp);
    for (uint32_t cp = 0x80; cp < 0x800 && !norm->nwide; cp++) {
        uint32_t e = ar__text_fold_entry(cp);
        uint8_t self[2] = {(uint8_t)(0xC0 | (cp >> 6)), (uint8_t)(0x80 | (cp & 0x3F))};
        const uint8_t *o = (e & AR__TEXT_E_IDENT) ? self : ar__text_fold_pool + AR__TEXT_E_OFF(e);
        if (AR__TEXT_E_CLASS(e) != AR__TEXT_C_LETTER || AR__TEXT_E_LEN(e) != 2 || o[0] < 0xC0 ||
            o[0] >= 0xE0)
            continue;
        norm->two[cp] = (uint32_t)o[0] | (uint32_t)o[1] << 8 |
                        ((e & AR__TEXT_E_LATIN) ? AR__TEXT_TWO_LATIN : 0u);
    }
    *out = norm;
    return AR_OK;
}

/* Free a normaliser; NULL is a no-op. */
void ar_text_norm_free(ar_text_norm *norm)
{
    if (!norm) return;
    ar__free(norm->ctx, norm->leet);
    ar__free(norm->ctx, norm->wide);
    ar__free(norm->ctx, norm);
}
