/*
 * gen_fold.c - build-time generator of the text fold table (fold_table.c).
 *
 * Runs ICU once per code point, 0..0x10FFFF, so that the runtime never
 * calls ICU: stages 2-5 of include/arbiter/text.h become one table lookup.
 *
 *   gen_fold OUT.c
 *
 * Per code point:
 *   2. default-ignorable code points, tatweel (U+0640) and the high hamza
 *      (U+0674, which NFKC leaves behind from U+0675..U+0678) are dropped;
 *   3. ICU NFKC_Casefold, then NFD, drop of nonspacing and enclosing marks
 *      (kept in Thai, Lao, Khmer, Myanmar, where they are vowels), NFC;
 *   4. Arabic-script variants fold to the forms text.h names; Arabic-Indic
 *      and Extended Arabic-Indic digits become ASCII;
 *   5. a letter that is neither ASCII, Arabic-script nor of a no-space
 *      script takes ICU's UTS #39 skeleton (uspoof_getSkeleton), casefolded
 *      and stripped of marks again; the skeleton is kept only when it is
 *      all ASCII letters, so lookalikes become Latin and other letters stay.
 * Then the output's class is worked out (text_int.h lists them).
 *
 * Per code point means no context: NFKC across code points (Hangul jamo
 * sequences, a base plus a separate accent) is not composed. Marks are
 * dropped anyway, so "e" + U+0301 and "é" still both give "e".
 *
 * The generator checks its own output: every code point a letter or digit
 * folds to must fold to itself (so normalising twice changes nothing) and
 * a MULTI output may hold no MULTI code point. It fails the build if not.
 */
#include "text/text_int.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCP   0x110000
#define MAXCP 64 /* code points in one folded output */

/*---- ICU helpers ---------------------------------------------------------*/

static const UNormalizer2 *nfkc_cf, *nfd, *nfc;
static USpoofChecker *spoof;

static void die(const char *what, UErrorCode st)
{
    fprintf(stderr, "gen_fold: %s: %s\n", what, u_errorName(st));
    exit(1);
}

/* Code points to UTF-16. */
static int32_t to16(const UChar32 *cp, int n, UChar *u, int32_t cap)
{
    int32_t len = 0;
    for (int i = 0; i < n; i++) {
        if (len + 2 > cap) die("to16", U_BUFFER_OVERFLOW_ERROR);
        U16_APPEND_UNSAFE(u, len, cp[i]);
    }
    return len;
}

/* UTF-16 to code points. */
static int from16(const UChar *u, int32_t len, UChar32 *cp, int cap)
{
    int n = 0;
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(u, i, len, c);
        if (n == cap) die("from16", U_BUFFER_OVERFLOW_ERROR);
        cp[n++] = c;
    }
    return n;
}

/* Apply a normaliser to cp[0..n) in place. */
static int normalize(const UNormalizer2 *norm, UChar32 *cp, int n)
{
    UChar src[2 * MAXCP + 2], dst[4 * MAXCP];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = to16(cp, n, src, (int32_t)(sizeof src / sizeof src[0]));
    int32_t out = unorm2_normalize(norm, src, len, dst, (int32_t)(sizeof dst / sizeof dst[0]), &st);
    if (U_FAILURE(st)) die("unorm2_normalize", st);
    return from16(dst, out, cp, MAXCP);
}

static UScriptCode script_of(UChar32 c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &st);
    if (U_FAILURE(st)) die("uscript_getScript", st);
    return s;
}

/* Scripts written without spaces between words (text.h keeps them as they are). */
static int is_nospace(UChar32 c)
{
    switch (script_of(c)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
        return 1;
    default:
        /* The prolonged sound mark and iteration marks are Common. */
        return c >= 0x3000 && c <= 0x30FF && u_charType(c) == U_MODIFIER_LETTER;
    }
}

static int is_letter(UChar32 c)
{
    return (U_GET_GC_MASK(c) & U_GC_L_MASK) != 0;
}

static int is_drop_always(UChar32 c)
{
    return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || c == 0x0640 || c == 0x0674;
}

/* Punctuation that joins two letters ("b.a.d"), after folding. */
static int is_joiner(UChar32 c)
{
    switch (c) {
    case '.':
    case '_':
    case '-':
    case '*':
    case '\'':
    case '`':
    case '~':
    case '|':
    case '+':
    case 0x2010: /* hyphen */
    case 0x2018:
    case 0x2019: /* single quotation marks: "don’t" */
        return 1;
    default:
        return 0;
    }
}

/* Drop marks unless they belong to a no-space script; drop ignorables. */
static int drop_marks(UChar32 *cp, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        uint32_t m = U_GET_GC_MASK(cp[i]);
        if ((m & (U_GC_MN_MASK | U_GC_ME_MASK)) && !is_nospace(cp[i])) continue;
        if (is_drop_always(cp[i])) continue;
        cp[k++] = cp[i];
    }
    return k;
}

/* Stage 4: Arabic-script letter variants and digits. */
static UChar32 arabic_fold(UChar32 c)
{
    switch (c) {
    case 0x0622:
    case 0x0623:
    case 0x0625:
    case 0x0671:
    case 0x0672:
    case 0x0673:
        return 0x0627; /* alef */
    case 0x0649:
    case 0x06CC:
    case 0x0626:
    case 0x06CD:
    case 0x06D0:
        return 0x064A; /* yeh */
    case 0x06A9:
    case 0x06AA:
        return 0x0643; /* kaf */
    case 0x0629:
    case 0x06C1:
    case 0x06C0:
    case 0x06D5:
    case 0x06BE:
    case 0x06C2:
    case 0x06C3:
        return 0x0647; /* heh */
    case 0x0624:
        return 0x0648; /* waw */
    default:
        if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);
        if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);
        return c;
    }
}

/* Stage 5 for one letter: its skeleton if that is all ASCII letters, else 0. */
static int skeleton_latin(UChar32 c, UChar32 *out)
{
    UChar src[3], dst[64];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = to16(&c, 1, src, 3);
    int32_t sl = uspoof_getSkeleton(spoof, 0, src, len, dst, 64, &st);
    if (U_FAILURE(st)) die("uspoof_getSkeleton", st);
    UChar32 sk[MAXCP];
    int n = from16(dst, sl, sk, MAXCP);
    n = normalize(nfkc_cf, sk, n);
    n = normalize(nfd, sk, n);
    n = drop_marks(sk, n);
    if (n == 0 || n > 8) return 0;
    for (int i = 0; i < n; i++)
        if (sk[i] < 'a' || sk[i] > 'z') return 0;
    for (int i = 0; i < n; i++)
        out[i] = sk[i];
    return n;
}

/*---- Classification ------------------------------------------------------*/

/* Class of one code point of a folded output. */
static int class_of(UChar32 c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return AR__TEXT_C_LETTER;
        if (c >= '0' && c <= '9') return AR__TEXT_C_DIGIT;
    }
    if (u_isUWhiteSpace(c)) return AR__TEXT_C_SPACE;
    if (is_joiner(c)) return AR__TEXT_C_JOIN;
    uint32_t m = U_GET_GC_MASK(c);
    if (m & (U_GC_L_MASK | U_GC_MC_MASK | U_GC_MN_MASK))
        return is_nospace(c) ? AR__TEXT_C_NOSPACE : AR__TEXT_C_LETTER;
    if (m & U_GC_ND_MASK) return AR__TEXT_C_DIGIT;
    if (m & U_GC_P_MASK) return AR__TEXT_C_PUNCT;
    return AR__TEXT_C_OTHER;
}

typedef struct fold {
    int cls;
    int latin;
    int n;
    UChar32 cp[MAXCP];
} fold;

static void fold_one(UChar32 c, fold *f)
{
    memset(f, 0, sizeof *f);
    if ((c >= 0xD800 && c <= 0xDFFF) || u_charType(c) == U_UNASSIGNED) {
        f->cls = AR__TEXT_C_OTHER;
        f->n = 1;
        f->cp[0] = c;
        return;
    }
    if (is_drop_always(c)) {
        f->cls = AR__TEXT_C_DROP;
        return;
    }
    UChar32 *s = f->cp;
    int n = 1;
    s[0] = c;
    n = normalize(nfkc_cf, s, n); /* stage 3 */
    n = normalize(nfd, s, n);
    n = drop_marks(s, n);
    n = normalize(nfc, s, n);
    int arabic_src = script_of(c) == USCRIPT_ARABIC;
    UChar32 t[MAXCP];
    int k = 0;
    for (int i = 0; i < n; i++) {
        UChar32 o = arabic_fold(s[i]); /* stage 4 */
        if (o == 0x02BC)               /* modifier apostrophe: "donʼt" */
            o = 0x2019;
        UChar32 sk[MAXCP];
        int skn = 0;
        if (o > 0x7F && is_letter(o) && !arabic_src && script_of(o) != USCRIPT_ARABIC &&
            !is_nospace(o))
            skn = skeleton_latin(o, sk); /* stage 5 */
        if (skn) {
            for (int j = 0; j < skn; j++)
                t[k++] = sk[j];
        } else {
            t[k++] = o;
        }
        if (k > MAXCP - 8) die("fold too long", U_BUFFER_OVERFLOW_ERROR);
    }
    memcpy(s, t, (size_t)k * sizeof *t);
    f->n = k;
    if (k == 0) {
        f->cls = AR__TEXT_C_DROP;
        return;
    }
    int cls = class_of(s[0]);
    for (int i = 0; i < k; i++) {
        int ci = class_of(s[i]);
        if (ci != cls) cls = AR__TEXT_C_MULTI;
        if (ci == AR__TEXT_C_LETTER && script_of(s[i]) == USCRIPT_LATIN) f->latin = 1;
    }
    if (cls == AR__TEXT_C_JOIN && k > 1)
        cls = AR__TEXT_C_PUNCT; /* "…" is "...": an ellipsis, not a joiner */
    f->cls = cls;
}

/*---- Table building ------------------------------------------------------*/

static uint32_t *entries; /* [NCP] */
static uint8_t pool[1 << 20];
static uint32_t pool_len;

typedef struct slot {
    uint32_t off, len;
    int used;
} slot;
#define PHASH (1u << 18)
static slot pool_hash[PHASH];

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Offset of bytes p[0..n) in the pool, added once. */
static uint32_t pool_add(const uint8_t *p, uint32_t n)
{
    uint32_t h = fnv(p, n) & (PHASH - 1);
    while (pool_hash[h].used) {
        slot *sl = &pool_hash[h];
        if (sl->len == n && memcmp(pool + sl->off, p, n) == 0) return sl->off;
        h = (h + 1) & (PHASH - 1);
    }
    if (pool_len + n > sizeof pool) die("pool full", U_BUFFER_OVERFLOW_ERROR);
    memcpy(pool + pool_len, p, n);
    pool_hash[h] = (slot){pool_len, n, 1};
    pool_len += n;
    return pool_hash[h].off;
}

static uint32_t to_utf8(const UChar32 *cp, int n, uint8_t *out)
{
    uint32_t len = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = (uint32_t)cp[i];
        if (c < 0x80) {
            out[len++] = (uint8_t)c;
        } else if (c < 0x800) {
            out[len++] = (uint8_t)(0xC0 | (c >> 6));
            out[len++] = (uint8_t)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[len++] = (uint8_t)(0xE0 | (c >> 12));
            out[len++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            out[len++] = (uint8_t)(0x80 | (c & 0x3F));
        } else {
            out[len++] = (uint8_t)(0xF0 | (c >> 18));
            out[len++] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
            out[len++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            out[len++] = (uint8_t)(0x80 | (c & 0x3F));
        }
    }
    return len;
}

static void build_entries(void)
{
    for (UChar32 c = 0; c < NCP; c++) {
        fold fb, *f = &fb;
        fold_one(c, f);
        uint8_t u8[4 * MAXCP];
        uint32_t len = to_utf8(f->cp, f->n, u8);
        if (len > AR__TEXT_OUT_MAX) {
            /* Nothing in Unicode 15 comes near; keep the first code points. */
            fprintf(stderr, "gen_fold: U+%04X folds to %u bytes\n", (unsigned)c, len);
            exit(1);
        }
        uint32_t flags = f->latin ? AR__TEXT_E_LATIN : 0;
        if (f->n == 1 && f->cp[0] == c) {
            entries[c] = AR__TEXT_E_MAKE(f->cls, flags | AR__TEXT_E_IDENT, len, 0);
        } else {
            uint32_t off = len ? pool_add(u8, len) : 0;
            entries[c] = AR__TEXT_E_MAKE(f->cls, flags, len, off);
        }
    }
}

/* Code points of the output of entry e for code point c. */
static int entry_cps(UChar32 c, uint32_t e, UChar32 *cp)
{
    if (e & AR__TEXT_E_IDENT) {
        cp[0] = c;
        return 1;
    }
    const uint8_t *p = pool + AR__TEXT_E_OFF(e);
    uint32_t len = AR__TEXT_E_LEN(e), i = 0;
    int n = 0;
    while (i < len) {
        uint32_t v;
        bool bad;
        i += (uint32_t)ar__text_utf8_decode(p + i, len - i, &v, &bad);
        cp[n++] = (UChar32)v;
    }
    return n;
}

/* Normalising twice must change nothing, and MULTI may not nest. */
static int self_check(void)
{
    int bad = 0, unstable = 0;
    for (UChar32 c = 0; c < NCP; c++) {
        uint32_t e = entries[c], cls = AR__TEXT_E_CLASS(e);
        if (cls <= AR__TEXT_C_DROP) continue;
        UChar32 cp[MAXCP];
        int n = entry_cps(c, e, cp);
        for (int i = 0; i < n; i++) {
            uint32_t g = entries[cp[i]];
            if (cls == AR__TEXT_C_MULTI && AR__TEXT_E_CLASS(g) == AR__TEXT_C_MULTI) {
                fprintf(stderr, "gen_fold: U+%04X: nested MULTI U+%04X\n", (unsigned)c,
                        (unsigned)cp[i]);
                bad++;
            } else if (!(g & AR__TEXT_E_IDENT) && cls != AR__TEXT_C_MULTI) {
                if (unstable++ < 20)
                    fprintf(stderr, "gen_fold: U+%04X folds to U+%04X, which is not stable\n",
                            (unsigned)c, (unsigned)cp[i]);
            }
        }
    }
    if (unstable) fprintf(stderr, "gen_fold: %d unstable folds\n", unstable);
    return bad + unstable;
}

static uint16_t stage1[AR__TEXT_FOLD_NBLK1];
static uint32_t *stage2;
static uint32_t nblocks;

static void build_stages(void)
{
    const uint32_t bs = AR__TEXT_FOLD_BLOCK;
    stage2 = malloc(sizeof *stage2 * NCP);
    uint32_t *hash = calloc(1u << 16, sizeof *hash); /* block index + 1 */
    if (!stage2 || !hash) die("malloc", U_MEMORY_ALLOCATION_ERROR);
    for (uint32_t b = 0; b < AR__TEXT_FOLD_NBLK1; b++) {
        const uint32_t *blk = entries + b * bs;
        uint32_t h = fnv((const uint8_t *)blk, bs * sizeof *blk) & 0xFFFF;
        for (;;) {
            if (!hash[h]) {
                memcpy(stage2 + nblocks * bs, blk, bs * sizeof *blk);
                hash[h] = ++nblocks;
                stage1[b] = (uint16_t)(nblocks - 1);
                break;
            }
            if (memcmp(stage2 + (hash[h] - 1) * bs, blk, bs * sizeof *blk) == 0) {
                stage1[b] = (uint16_t)(hash[h] - 1);
                break;
            }
            h = (h + 1) & 0xFFFF;
        }
    }
    free(hash);
}

static int write_table(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        perror(tmp);
        return 1;
    }
    fprintf(f, "/* Generated by src/text/gen_fold.c from ICU %s (Unicode %s). Do not edit. */\n",
            U_ICU_VERSION, U_UNICODE_VERSION);
    fprintf(f, "#include \"text/text_int.h\"\n\n");
    fprintf(f, "const uint16_t ar__text_fold_stage1[AR__TEXT_FOLD_NBLK1] = {\n");
    for (uint32_t i = 0; i < AR__TEXT_FOLD_NBLK1; i++)
        fprintf(f, "%u,%s", stage1[i], i % 16 == 15 ? "\n" : "");
    fprintf(f, "};\n\nconst uint32_t ar__text_fold_stage2[%u] = {\n",
            nblocks * AR__TEXT_FOLD_BLOCK);
    for (uint32_t i = 0; i < nblocks * AR__TEXT_FOLD_BLOCK; i++)
        fprintf(f, "0x%x,%s", stage2[i], i % 8 == 7 ? "\n" : "");
    fprintf(f, "};\n\nconst uint8_t ar__text_fold_pool[%u] = {\n", pool_len ? pool_len : 1);
    for (uint32_t i = 0; i < pool_len; i++)
        fprintf(f, "%u,%s", pool[i], i % 16 == 15 ? "\n" : "");
    if (!pool_len) fprintf(f, "0");
    fprintf(f, "};\n");
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_fold OUT.c\n");
        return 2;
    }
    UErrorCode st = U_ZERO_ERROR;
    nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    nfd = unorm2_getNFDInstance(&st);
    nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) die("unorm2 instances", st);
    spoof = uspoof_open(&st);
    if (U_FAILURE(st)) die("uspoof_open", st);
    entries = malloc(sizeof *entries * NCP);
    if (!entries) die("malloc", U_MEMORY_ALLOCATION_ERROR);
    build_entries();
    if (self_check()) return 1;
    build_stages();
    fprintf(stderr, "gen_fold: %u blocks of %u, pool %u bytes, %zu bytes in all\n", nblocks,
            AR__TEXT_FOLD_BLOCK, pool_len,
            sizeof stage1 + nblocks * AR__TEXT_FOLD_BLOCK * sizeof(uint32_t) + pool_len);
    uspoof_close(spoof);
    free(entries);
    int rc = write_table(argv[1]);
    free(stage2);
    return rc;
}
