/*
 * normalize.c - the runtime normaliser: text.h stages 6-8 over the fold
 * table (stages 1-5), writing the " tok tok " stream and its offset map.
 *
 * One pass over the input. An iterator turns bytes into units: one unit per
 * input code point (or per code point of a MULTI fold such as "½" -> "1⁄2"),
 * each with its class, its folded bytes and its input span. The main loop
 * emits token bytes as it goes; nothing is buffered per token, so there is
 * no allocation once `out` is big enough.
 *
 * Decisions that need the future look ahead with a copy of the iterator:
 *   - a leet key folds only in a token that holds a Latin letter, which may
 *     come later ("4ss"): latin_ahead() scans to the end of the token once
 *     and caches the answer by input position, so the pass stays linear;
 *   - a leet symbol folds only if a letter or digit follows it in the token
 *     (symbol_folds(), cached per run of symbols);
 *   - a joiner joins only if a letter follows it (join_ok(), one unit).
 * The one decision that rewrites the past is the chain rule ("b a d" ->
 * "bad"): the third one-letter token in a row pulls the previous two
 * together, a few bytes at the end of the buffer (chain_merge()).
 *
 * The hot path, token_run(), takes over inside a token and between tokens:
 * runs of letters (ASCII 16 at a time with SSE2; two-byte Arabic and
 * Cyrillic through one flat table, ar_text_norm.two), the step from one
 * word to the next over whitespace, punctuation and symbols that are no
 * leet key (one space, or ASCII punctuation, taken without leaving the
 * letter loop), leet symbols that cannot fold ("bad! x"), mentions, and
 * tokens of digits alone, with the buffer state in registers and no units.
 * It hands back to the general loop at anything else that needs a rule
 * (digits next to letters, leet keys, joiners that may join, invalid
 * UTF-8, MULTI folds). ar__text_normalize_reference() runs the general
 * loop alone; the tests and the fuzz target check that both give the same
 * bytes, offsets and runs.
 *
 * Offsets: a token byte maps to the input code point it came from; a letter
 * squeezed from a run maps to the whole run; marks and ignorables inside a
 * token stretch the code point before them ("e" + U+0301 maps to both); a
 * space maps to the separator bytes it replaced.
 */
#include "common/common_int.h"
#include "text/text_int.h"
#include "arbiter/text.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define RUN_MAX   65535u
#define UNIT_ROOM (AR__TEXT_OUT_MAX + 2) /* most bytes one unit adds: a space and its fold */
#define OUT_LIMIT 4u /* normalised bytes per input byte allowed (AR_ETOOBIG past it) */

/*---- Units: input code points, folded ----------------------------------*/

typedef struct unit {
    uint8_t kind;       /* AR__TEXT_C_* or AR__TEXT_K_* */
    uint8_t base;       /* class without leet */
    uint8_t latin;      /* the fold holds a Latin letter */
    uint8_t olen;       /* bytes at out */
    int16_t leet;       /* leet index, -1 if none */
    const uint8_t *out; /* folded UTF-8 */
    uint32_t s, e;      /* input span */
} unit;

typedef struct iter {
    const ar_text_norm *norm;
    const uint8_t *in;
    size_t pos, len;
    const uint8_t *sub; /* the rest of a MULTI fold, or NULL */
    size_t subpos, sublen;
    uint32_t ss, se; /* its input span */
    bool repaired;
} iter;

static const uint8_t fffd_utf8[3] = {0xEF, 0xBF, 0xBD};

static int wide_cmp(const void *key, const void *elem)
{
    uint32_t a = *(const uint32_t *)key, b = ((const ar__text_wide_key *)elem)->cp;
    return a < b ? -1 : a > b;
}

/* A non-ASCII leet key: only looked for when the table has one. */
static void wide_lookup(const ar_text_norm *norm, unit *u)
{
    uint32_t cp;
    bool bad;
    if (ar__text_utf8_decode(u->out, u->olen, &cp, &bad) != u->olen) return;
    const ar__text_wide_key *k =
        bsearch(&cp, norm->wide, norm->nwide, sizeof *norm->wide, wide_cmp);
    if (k) {
        u->kind = k->kind;
        u->leet = k->leet;
    }
}

/* Fill u (all but its span) from fold entry e; `self` is the UTF-8 of the
 * code point itself, for identity entries. */
static inline void unit_fill(const ar_text_norm *norm, unit *u, uint32_t e, const uint8_t *self)
{
    const uint8_t *o = (e & AR__TEXT_E_IDENT) ? self : ar__text_fold_pool + AR__TEXT_E_OFF(e);
    uint32_t olen = AR__TEXT_E_LEN(e);
    if (olen == 1 && o[0] < 0x80) {
        /* "４" and "4" are one thing, leet included. */
        const ar__text_ascii *a = &norm->ascii[o[0]];
        u->kind = a->kind;
        u->base = a->base;
        u->latin = a->latin;
        u->leet = a->leet;
        u->out = &a->low;
        u->olen = 1;
        return;
    }
    u->kind = u->base = (uint8_t)AR__TEXT_E_CLASS(e);
    u->latin = (e & AR__TEXT_E_LATIN) ? 1 : 0;
    u->leet = -1;
    u->out = o;
    u->olen = (uint8_t)olen;
    if (norm->nwide && olen && u->kind != AR__TEXT_C_DROP && u->kind != AR__TEXT_C_SPACE)
        wide_lookup(norm, u);
}

/* The next code point of a pending MULTI fold ("1⁄2": "1", then "⁄", then "2"). */
static bool iter_sub(iter *it, unit *u)
{
    uint32_t cp;
    bool bad;
    const uint8_t *p = it->sub + it->subpos;
    it->subpos += ar__text_utf8_decode(p, it->sublen - it->subpos, &cp, &bad);
    if (it->subpos >= it->sublen) it->sub = NULL;
    uint32_t e = ar__text_fold_entry(cp);
    if (AR_NEVER(AR__TEXT_E_CLASS(e) == AR__TEXT_C_MULTI)) /* gen_fold checks */
        e = AR__TEXT_E_MAKE(AR__TEXT_C_OTHER, 0, 0, 0);
    u->s = it->ss;
    u->e = it->se;
    unit_fill(it->norm, u, e, p);
    return true;
}

/* Next unit, or false at the end of the input. */
static inline bool iter_next(iter *it, unit *u)
{
    if (__builtin_expect(it->sub != NULL, 0)) return iter_sub(it, u);
    if (it->pos >= it->len) return false;
    uint8_t b = it->in[it->pos];
    if (b < 0x80) {
        const ar__text_ascii *a = &it->norm->ascii[b];
        u->kind = a->kind;
        u->base = a->base;
        u->latin = a->latin;
        u->leet = a->leet;
        u->out = &a->low;
        u->olen = 1;
        u->s = (uint32_t)it->pos;
        u->e = (uint32_t)++it->pos;
        return true;
    }
    const uint8_t *self = it->in + it->pos;
    uint32_t cp;
    bool bad;
    size_t k = ar__text_utf8_decode(self, it->len - it->pos, &cp, &bad);
    u->s = (uint32_t)it->pos;
    u->e = (uint32_t)(it->pos += k);
    if (__builtin_expect(bad, 0)) {
        it->repaired = true;
        self = fffd_utf8;
    }
    uint32_t e = ar__text_fold_entry(cp);
    if (__builtin_expect(AR__TEXT_E_CLASS(e) == AR__TEXT_C_MULTI, 0)) {
        it->sub = ar__text_fold_pool + AR__TEXT_E_OFF(e);
        it->sublen = AR__TEXT_E_LEN(e);
        it->subpos = 0;
        it->ss = u->s;
        it->se = u->e;
        return iter_sub(it, u);
    }
    unit_fill(it->norm, u, e, self);
    return true;
}

/*---- Lookahead -----------------------------------------------------------*/

/* What the last unit of the current token was, for the joiner rule. */
enum { PREV_NONE, PREV_LETTER, PREV_LEETD /* digit that is a leet key */, PREV_DIGIT, PREV_SYM };

static inline bool is_letter_unit(const unit *v)
{
    return v->kind == AR__TEXT_C_LETTER || v->kind == AR__TEXT_C_NOSPACE ||
           (v->kind == AR__TEXT_K_LEETA && v->base != AR__TEXT_C_DIGIT);
}

/* May a joiner after `prev` join? Only between two letter-likes (letters
 * and leet digits), at least one a letter: "b.a" and "b.4" join, "3.14"
 * does not. `it` stands just past the joiner. */
static bool join_ok(int prev, const iter *it)
{
    if (prev != PREV_LETTER && prev != PREV_LEETD) return false;
    iter c = *it;
    unit v;
    while (iter_next(&c, &v)) {
        if (v.kind == AR__TEXT_C_DROP) continue;
        bool letter = is_letter_unit(&v);
        return letter || (v.kind == AR__TEXT_K_LEETA && prev == PREV_LETTER);
    }
    return false;
}

typedef struct nstate {
    char *buf;
    uint32_t *ss, *se;
    uint16_t *run;
    size_t len;
    /* the current token */
    bool in_tok;
    bool tok_latin;            /* holds a Latin letter (seen, or found ahead) */
    bool tok_gap_ok;           /* only whitespace and punctuation before it */
    bool tok_letter1;          /* its first code point is a squeezable letter */
    size_t tok_sp;             /* index of its leading space */
    size_t tok_ncp;            /* code points emitted in it */
    size_t last_pos, last_len; /* the last emitted letter, if last emitted (else len 0) */
    size_t cp_pos, cp_len;     /* the last emitted code point */
    int prev;
    /* the gap since the last token */
    uint32_t gap_start;
    bool gap_ok;
    /* lookahead answers, by input position (units before it) */
    uint32_t latin_until, nolatin_until, sym_until;
    bool sym_fold;
    /* the chain of one-letter tokens */
    unsigned chain_n;
    size_t chain_sp; /* leading space of the second member */
} nstate;

/* Does the token that u is in (or starts) hold a Latin letter? Scans ahead
 * to the token's end once; the answer holds for every unit up to where the
 * scan stopped, whatever the leet folding later splits there. `it` stands
 * just past u. */
static bool latin_ahead(nstate *st, const iter *it, const unit *u)
{
    if ((st->in_tok && st->tok_latin) || u->latin) return true;
    if (u->s < st->nolatin_until) return false;
    if (u->s < st->latin_until) return true;
    int prev = u->kind == AR__TEXT_K_LEETS   ? PREV_SYM
               : u->base == AR__TEXT_C_DIGIT ? PREV_LEETD
                                             : PREV_LETTER;
    iter c = *it;
    unit v;
    while (iter_next(&c, &v)) {
        switch (v.kind) {
        case AR__TEXT_C_DROP:
            continue;
        case AR__TEXT_C_LETTER:
        case AR__TEXT_C_NOSPACE:
        case AR__TEXT_C_DIGIT:
        case AR__TEXT_K_LEETA:
            if (v.latin) {
                st->latin_until = v.s;
                return true;
            }
            prev = is_letter_unit(&v)           ? PREV_LETTER
                   : v.kind == AR__TEXT_K_LEETA ? PREV_LEETD
                                                : PREV_DIGIT;
            continue;
        case AR__TEXT_K_LEETS:
            prev = PREV_SYM;
            continue;
        case AR__TEXT_C_JOIN:
            if (join_ok(prev, &c)) continue;
            st->nolatin_until = v.s;
            return false;
        default:
            st->nolatin_until = v.s;
            return false;
        }
    }
    st->nolatin_until = (uint32_t)it->len;
    return false;
}

/* Is the leet symbol u followed, past any further symbols, by a letter or
 * digit? `it` stands just past u. */
static bool symbol_folds(nstate *st, const iter *it, const unit *u)
{
    if (u->s < st->sym_until) return st->sym_fold;
    iter c = *it;
    unit v;
    while (iter_next(&c, &v)) {
        if (v.kind == AR__TEXT_C_DROP || v.kind == AR__TEXT_K_LEETS) continue;
        st->sym_until = v.s;
        st->sym_fold = v.kind == AR__TEXT_C_LETTER || v.kind == AR__TEXT_C_NOSPACE ||
                       v.kind == AR__TEXT_C_DIGIT || v.kind == AR__TEXT_K_LEETA;
        return st->sym_fold;
    }
    st->sym_until = (uint32_t)it->len;
    st->sym_fold = false;
    return false;
}

/*---- Emission ------------------------------------------------------------*/

/* Append n bytes; the caller made room. */
static inline void put(nstate *st, const uint8_t *b, size_t n, uint32_t s, uint32_t e, uint16_t r)
{
    for (size_t k = 0; k < n; k++) {
        st->buf[st->len] = (char)b[k];
        st->ss[st->len] = s;
        st->se[st->len] = e;
        st->run[st->len] = r;
        st->len++;
    }
}

static inline bool same_bytes(const char *a, const uint8_t *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if ((uint8_t)a[k] != b[k]) return false;
    return true;
}

/* Append a letter, or squeeze it into the same letter just before. */
static inline void emit_letter(nstate *st, const uint8_t *b, size_t n, uint32_t s, uint32_t e,
                               uint32_t r)
{
    if (st->last_len == n && same_bytes(st->buf + st->last_pos, b, n)) {
        for (size_t k = 0; k < n; k++) {
            uint32_t v = st->run[st->last_pos + k] + r;
            st->run[st->last_pos + k] = (uint16_t)(v > RUN_MAX ? RUN_MAX : v);
            st->se[st->last_pos + k] = e;
        }
        return;
    }
    st->last_pos = st->cp_pos = st->len;
    st->last_len = st->cp_len = n;
    if (st->tok_ncp++ == 0) st->tok_letter1 = true;
    put(st, b, n, s, e, (uint16_t)(r > RUN_MAX ? RUN_MAX : r));
}

/* Append a digit or a no-space letter: never squeezed. */
static inline void emit_plain(nstate *st, const uint8_t *b, size_t n, uint32_t s, uint32_t e)
{
    st->last_len = 0;
    st->cp_pos = st->len;
    st->cp_len = n;
    if (st->tok_ncp++ == 0) st->tok_letter1 = false;
    put(st, b, n, s, e, 1);
}

static inline void emit_unit(nstate *st, const unit *u, uint8_t cls)
{
    if (cls != AR__TEXT_C_LETTER) {
        emit_plain(st, u->out, u->olen, u->s, u->e);
        return;
    }
    for (size_t i = 0; i < u->olen;) {
        size_t n = ar__text_utf8_seqlen(u->out[i]);
        if (n > u->olen - i) n = u->olen - i;
        emit_letter(st, u->out + i, n, u->s, u->e, 1);
        i += n;
    }
}

static inline void emit_leet(nstate *st, const ar_text_norm *norm, const unit *u)
{
    const ar__text_leet_to *t = &norm->leet[u->leet];
    for (size_t i = 0; i < t->len; i++)
        emit_letter(st, (const uint8_t *)&t->to[i], 1, u->s, u->e, 1);
}

static inline void tok_begin(nstate *st, uint32_t s)
{
    static const uint8_t sp = ' ';
    put(st, &sp, 1, st->gap_start < s ? st->gap_start : s, s, 1);
    st->in_tok = true;
    st->tok_latin = false;
    st->tok_gap_ok = st->gap_ok;
    st->tok_sp = st->len - 1;
    st->tok_ncp = 0;
    st->tok_letter1 = false;
    st->last_len = st->cp_len = 0;
}

/* Pull the one-letter members in [from, len) (a space and a code point
 * each, at most two) onto the letter just before `from`. */
static void chain_merge(nstate *st, size_t from)
{
    struct {
        uint8_t b[4];
        size_t n;
        uint32_t s, e;
        uint16_t r;
    } m[2];
    size_t nm = 0;
    for (size_t i = from; i < st->len;) {
        if (st->buf[i] == ' ') {
            i++;
            continue;
        }
        size_t n = ar__text_utf8_seqlen((uint8_t)st->buf[i]);
        if (n > st->len - i) n = st->len - i;
        if (AR_NEVER(nm == 2)) break;
        memcpy(m[nm].b, st->buf + i, n);
        m[nm].n = n;
        m[nm].s = st->ss[i];
        m[nm].e = st->se[i];
        m[nm].r = st->run[i];
        nm++;
        i += n;
    }
    st->len = from;
    size_t p = from - 1;
    while (p > 0 && ((uint8_t)st->buf[p] & 0xC0) == 0x80)
        p--;
    st->last_pos = p;
    st->last_len = from - p;
    for (size_t i = 0; i < nm; i++)
        emit_letter(st, m[i].b, m[i].n, m[i].s, m[i].e, m[i].r);
}

/* The token ends: apply the chain rule, open a gap at `gap`, the end of
 * the token's last code point (se[len - 1], which the chain rule keeps). */
static inline void tok_end_at(nstate *st, uint32_t gap)
{
    bool single = st->tok_ncp == 1 && st->tok_letter1;
    st->in_tok = false;
    st->tok_latin = false;
    if (!single) {
        st->chain_n = 0;
    } else if (st->chain_n == 0 || !st->tok_gap_ok) {
        st->chain_n = 1;
    } else if (++st->chain_n == 2) {
        st->chain_sp = st->tok_sp;
    } else {
        chain_merge(st, st->chain_n == 3 ? st->chain_sp : st->tok_sp);
    }
    st->last_len = st->cp_len = 0;
    st->gap_start = gap;
    st->gap_ok = true;
}

static inline void tok_end(nstate *st)
{
    tok_end_at(st, st->se[st->len - 1]);
}

/*---- The hot path --------------------------------------------------------*/

/* What the hot path makes of one code point. */
enum { F_LETTER, F_DROP, F_SEP, F_JOIN, F_OTHER, F_STOP };

/* The hot path's class of the ASCII leet symbol at in[pos] ("!", "@"). It
 * folds only when a letter or digit follows it (symbol_folds()); before
 * ASCII whitespace, punctuation or a symbol that is no leet key, or at the
 * end, it is the separator it would be without leet: "bad! x". */
__attribute__((noinline)) static int symbol_class(const ar_text_norm *norm, const uint8_t *in,
                                                  size_t pos, size_t len)
{
    if (pos + 1 < len) {
        uint8_t nb = in[pos + 1];
        if (nb >= 0x80) return F_STOP;
        uint8_t nk = norm->ascii[nb].kind;
        if (nk != AR__TEXT_C_SPACE && nk != AR__TEXT_C_PUNCT && nk != AR__TEXT_C_JOIN &&
            nk != AR__TEXT_C_OTHER)
            return F_STOP;
    }
    uint8_t base = norm->ascii[in[pos]].base;
    if (base == AR__TEXT_C_OTHER) return F_OTHER;
    /* A joiner that is a leet key never joins: it is a plain separator. */
    if (base == AR__TEXT_C_SPACE || base == AR__TEXT_C_PUNCT || base == AR__TEXT_C_JOIN)
        return F_SEP;
    return F_STOP;
}

/* Class of the code point at in[pos] (pos < len) for the hot path: a plain
 * letter (ASCII that is no leet key, or a non-MULTI LETTER), a mark or
 * ignorable, whitespace or punctuation, a joiner, a symbol that is no leet
 * key (a separator that breaks a chain: emoji, "#"), or F_STOP for anything it
 * leaves to the general loop (digits, leet keys, symbols, invalid UTF-8,
 * MULTI folds, any non-ASCII code point when the leet table has non-ASCII
 * keys). Sets *k to its length and *e to its entry (0 for ASCII). */
__attribute__((always_inline)) static inline int fast_class(const ar_text_norm *norm,
                                                            const uint8_t *in, size_t pos,
                                                            size_t len, size_t *k, uint32_t *e)
{
    static const uint8_t by_kind[] = {
        [AR__TEXT_C_OTHER] = F_OTHER,  [AR__TEXT_C_SPACE] = F_SEP,  [AR__TEXT_C_PUNCT] = F_SEP,
        [AR__TEXT_C_JOIN] = F_JOIN,    [AR__TEXT_C_DROP] = F_DROP,  [AR__TEXT_C_LETTER] = F_LETTER,
        [AR__TEXT_C_NOSPACE] = F_STOP, [AR__TEXT_C_DIGIT] = F_STOP, [AR__TEXT_C_MULTI] = F_STOP,
        [AR__TEXT_K_LEETA] = F_STOP,   [AR__TEXT_K_LEETS] = F_STOP,
    };
    uint8_t b = in[pos];
    if (b < 0x80) {
        *k = 1;
        *e = 0;
        uint8_t kind = norm->ascii[b].kind;
        return kind == AR__TEXT_K_LEETS ? symbol_class(norm, in, pos, len) : by_kind[kind];
    }
    if (norm->nwide) return F_STOP;
    uint32_t cp;
    if (b >= 0xC2 && b < 0xE0 && pos + 1 < len && (in[pos + 1] & 0xC0) == 0x80) {
        cp = ((uint32_t)(b & 0x1F) << 6) | (in[pos + 1] & 0x3Fu); /* Arabic, Cyrillic, ... */
        *k = 2;
    } else {
        bool bad;
        *k = ar__text_utf8_decode(in + pos, len - pos, &cp, &bad);
        if (bad) return F_STOP;
    }
    uint32_t v = *e = ar__text_fold_entry(cp);
    uint32_t cls = AR__TEXT_E_CLASS(v);
    if (cls == AR__TEXT_C_DROP) return F_DROP;
    if (!(v & AR__TEXT_E_IDENT) && AR__TEXT_E_LEN(v) == 1) {
        /* One ASCII byte out ("ｘ", "！"): whatever that byte is here, leet included. */
        uint8_t f = by_kind[norm->ascii[ar__text_fold_pool[AR__TEXT_E_OFF(v)]].kind];
        return f == F_DROP ? F_STOP : f;
    }
    return by_kind[cls];
}

/* Append the code point o[0..m) as a letter, or squeeze it into the same
 * letter just before; the token_run() registers passed by address, which
 * inlining turns back into registers. */
static inline void run_letter(char *buf, uint32_t *ss, uint32_t *se, uint16_t *run, size_t *n,
                              size_t *lp, size_t *ll, const uint8_t *o, size_t m, uint32_t s,
                              uint32_t e, size_t *added)
{
    if (*ll == m && buf[*lp] == (char)o[0] && same_bytes(buf + *lp, o, m)) {
        for (size_t j = 0; j < m; j++) {
            run[*lp + j] = (uint16_t)(run[*lp + j] + (run[*lp + j] < RUN_MAX));
            se[*lp + j] = e;
        }
        return;
    }
    for (size_t j = 0; j < m; j++) {
        buf[*n + j] = (char)o[j];
        ss[*n + j] = s;
        se[*n + j] = e;
        run[*n + j] = 1;
    }
    *lp = *n;
    *ll = m;
    *n += m;
    (*added)++;
}

#ifdef __SSE2__
/* ASCII letters 16 at a time (norm->letter_az: the letters are A-Z and a-z
 * and fold to lowercase), for token_run(): each block of letters is
 * written whole, its maps with vector stores, up to the first letter that
 * repeats the one before it, which is squeezed on its own. Writes up to 16
 * entries past *n, so it needs 16 of room. Returns true when it stopped at
 * a byte that is no letter, false when the input or the room ran short and
 * the scalar loop must go on from *pos. */
static inline bool letters16(const uint8_t *in, size_t len, size_t *pos_, char *buf, uint32_t *ss,
                             uint32_t *se, uint16_t *run, size_t *n_, size_t room, size_t *lp_,
                             uint8_t *last_, size_t *added_)
{
    size_t pos = *pos_, n = *n_, lp = *lp_, added = *added_;
    uint8_t last = *last_;
    bool stopped = false;
    const __m128i k20 = _mm_set1_epi8(0x20), kbias = _mm_set1_epi8((char)(0x80 - 'a'));
    const __m128i klim = _mm_set1_epi8((char)(-128 + 26)), kone = _mm_set1_epi16(1);
    const __m128i kstep = _mm_setr_epi32(0, 1, 2, 3), kfour = _mm_set1_epi32(4);
    const __m128i k1 = _mm_set1_epi32(1);
    while (len - pos >= 16 && n + 16 <= room) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + pos));
        /* (b | 0x20) in 'a'..'z', as a signed compare after a bias. */
        __m128i isl = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, k20), kbias), klim);
        unsigned m = (unsigned)_mm_movemask_epi8(isl);
        unsigned nl = (unsigned)__builtin_ctz(~m); /* letters from pos: 0..16 */
        if (nl == 0) {
            stopped = true;
            break;
        }
        __m128i low = _mm_or_si128(v, _mm_and_si128(isl, k20));
        __m128i prev = _mm_or_si128(_mm_slli_si128(low, 1), _mm_cvtsi32_si128(last));
        unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(low, prev));
        eq &= (unsigned)((1u << nl) - 1u);
        unsigned d = eq ? (unsigned)__builtin_ctz(eq) : nl; /* new letters before a repeat */
        _mm_storeu_si128((__m128i *)(void *)(buf + n), low);
        __m128i s4 = _mm_add_epi32(_mm_set1_epi32((int)pos), kstep);
        for (int q = 0; q < 4; q++) {
            _mm_storeu_si128((__m128i *)(void *)(ss + n + 4 * q), s4);
            _mm_storeu_si128((__m128i *)(void *)(se + n + 4 * q), _mm_add_epi32(s4, k1));
            s4 = _mm_add_epi32(s4, kfour);
        }
        _mm_storeu_si128((__m128i *)(void *)(run + n), kone);
        _mm_storeu_si128((__m128i *)(void *)(run + n + 8), kone);
        if (d) {
            n += d;
            pos += d;
            added += d;
            lp = n - 1;
            last = (uint8_t)(in[pos - 1] | 0x20); /* not buf[lp]: just stored, as a vector */
        }
        if (d < nl) {
            /* A repeat: squeeze it into the letter before. */
            run[lp] = (uint16_t)(run[lp] + (run[lp] < RUN_MAX));
            se[lp] = (uint32_t)(pos + 1);
            pos++;
            continue;
        }
        if (nl < 16) {
            stopped = true;
            break;
        }
    }
    *pos_ = pos;
    *n_ = n;
    *lp_ = lp;
    *last_ = last;
    *added_ = added;
    return stopped;
}
#endif

/* A token of ASCII digits alone ("26", "2024") at in[pos], ended by ASCII
 * whitespace, punctuation, a symbol that is no leet key, or the end of the
 * input: it holds no Latin letter, so no digit in it folds (latin_ahead())
 * and the general loop would copy each digit as it is. Returns the end of
 * the digits, or pos when the text there is anything else. */
static inline size_t digit_token(const ar_text_norm *norm, const uint8_t *in, size_t pos,
                                 size_t len)
{
    size_t q = pos;
    while (q < len && in[q] < 0x80 && norm->ascii[in[q]].base == AR__TEXT_C_DIGIT &&
           (norm->ascii[in[q]].kind == AR__TEXT_C_DIGIT ||
            norm->ascii[in[q]].kind == AR__TEXT_K_LEETA))
        q++;
    if (q == pos || q == len) return q;
    uint8_t nb = in[q];
    if (nb >= 0x80) return pos;
    uint8_t nk = norm->ascii[nb].kind;
    if (nk != AR__TEXT_C_SPACE && nk != AR__TEXT_C_PUNCT && nk != AR__TEXT_C_OTHER) return pos;
    return q;
}

/* Open a token at in[g] and copy the digits in[g..q) into it, as the general
 * loop's emit_plain() would; the caller made room. */
static inline void digits_emit(nstate *st, const ar_text_norm *norm, const uint8_t *in, size_t g,
                               size_t q)
{
    tok_begin(st, (uint32_t)g);
    size_t n = st->len;
    for (size_t j = g; j < q; j++, n++) {
        st->buf[n] = (char)norm->ascii[in[j]].low;
        st->ss[n] = (uint32_t)j;
        st->se[n] = (uint32_t)(j + 1);
        st->run[n] = 1;
    }
    st->len = n;
    st->tok_ncp = q - g;
    st->tok_letter1 = false;
    st->last_len = 0;
    st->cp_pos = n - 1;
    st->cp_len = 1;
    st->prev = norm->ascii[in[q - 1]].kind == AR__TEXT_K_LEETA ? PREV_LEETD : PREV_DIGIT;
}

/* token_run keeps the state in locals; hand it back to `st` before any
 * step that reads it (closing a token, the general loop). */
static inline void hot_store(nstate *st, size_t n, size_t lp, size_t ll, size_t cpp, size_t cpl,
                             bool latin, size_t added)
{
    if (added && st->tok_ncp == 0) st->tok_letter1 = true;
    st->tok_ncp += added;
    st->len = n;
    st->last_pos = lp;
    st->last_len = ll;
    st->cp_pos = cpp;
    st->cp_len = cpl;
    st->tok_latin = latin;
}

/* The hot path, inside a token: letters (ASCII or folded through the
 * table) and the marks and ignorables between them, and the step from one
 * token to the next over plain whitespace and punctuation. No units, and
 * the buffer state in registers. Gives up, leaving the iterator where it
 * stood, at anything else (digits, leet keys, symbols, joiners that may
 * join, invalid UTF-8, MULTI folds) or when the buffer nears `room`. */
static void token_run(nstate *st, const ar_text_norm *norm, iter *it, size_t room)
{
    const uint8_t *in = it->in;
    size_t pos = it->pos, len = it->len;
    char *buf = st->buf;
    uint32_t *ss = st->ss, *se = st->se;
    uint16_t *run = st->run;
    size_t n = st->len, lp = st->last_pos, ll = st->last_len, cpp = st->cp_pos, cpl = st->cp_len;
    size_t added = 0; /* code points added to the current token */
    bool latin = st->tok_latin, any = false;
    size_t next = SIZE_MAX, next_k = 0; /* a letter already looked at, by the gap step */
    uint32_t next_e = 0;
    const bool space_plain = norm->ascii[' '].kind == AR__TEXT_C_SPACE;
    if (!st->in_tok) {
        /* Between tokens (after a separator the general loop took): skip
         * whitespace, punctuation and symbols (a symbol breaks a chain:
         * gap_ok), and open the token if a letter follows. */
        size_t gk = 0;
        uint32_t ge = 0;
        int gc = F_STOP;
        while (pos < len && (gc = fast_class(norm, in, pos, len, &gk, &ge)) != F_LETTER) {
            if (gc == F_STOP && in[pos] < 0x80 && norm->ascii[in[pos]].kind == AR__TEXT_K_LEETS &&
                norm->ascii[in[pos]].low == '@') {
                /* "@" opening a token is a mention: a separator, leet or not. */
                uint8_t base = norm->ascii[in[pos]].base;
                if (base != AR__TEXT_C_SPACE && base != AR__TEXT_C_PUNCT &&
                    base != AR__TEXT_C_JOIN)
                    st->gap_ok = false;
                gc = F_SEP;
                gk = 1;
            }
            if (gc != F_SEP && gc != F_JOIN && gc != F_OTHER) break;
            if (gc == F_OTHER) st->gap_ok = false;
            pos += gk;
        }
        if (pos < len && gc == F_STOP && n + 1 < room) {
            size_t q = digit_token(norm, in, pos, len);
            if (q > pos && q - pos < room - n - 1) {
                digits_emit(st, norm, in, pos, q);
                n = st->len;
                lp = st->last_pos;
                ll = 0;
                cpp = st->cp_pos;
                cpl = 1;
                latin = false;
                pos = q;
                goto in_token;
            }
        }
        if (pos >= len || gc != F_LETTER || n >= room) {
            it->pos = pos;
            return;
        }
        tok_begin(st, (uint32_t)pos);
        n = st->len;
        ll = cpl = 0;
        latin = false;
        st->prev = PREV_NONE;
        next = pos;
        next_k = gk;
        next_e = ge;
    }
in_token:
    while (pos < len && n < room) {
        size_t k;
        uint32_t e;
        int c;
        if (pos == next) {
            k = next_k;
            e = next_e;
        } else if ((c = fast_class(norm, in, pos, len, &k, &e)) == F_DROP) {
            for (size_t j = 0; j < cpl; j++)
                se[cpp + j] = (uint32_t)(pos + k);
            pos += k;
            continue;
        } else if (c != F_LETTER) {
            /* Separators: "word, word". A joiner right after the token
             * joins unless a separator (or nothing) follows it. */
            if (c == F_STOP) break;
            bool other = c == F_OTHER;
            size_t g = pos + k, gk = 0;
            uint32_t ge = 0;
            int gc = F_STOP;
            if (g < len) {
                gc = fast_class(norm, in, g, len, &gk, &ge);
                if (c == F_JOIN && gc != F_SEP && gc != F_JOIN && gc != F_OTHER) break;
                while (gc == F_SEP || gc == F_JOIN || gc == F_OTHER) {
                    other |= gc == F_OTHER;
                    g += gk;
                    if (g >= len) break;
                    gc = fast_class(norm, in, g, len, &gk, &ge);
                }
            }
            /* Close this token; open the next at g if a letter is there,
             * else leave g to the general loop, between tokens. */
            hot_store(st, n, lp, ll, cpp, cpl, latin, added);
            tok_end(st);
            if (other) st->gap_ok = false;
            st->prev = PREV_NONE;
            ll = cpl = added = 0;
            latin = any = false;
            n = st->len;
            if (g < len && gc == F_STOP && n + 1 < room) {
                size_t q = digit_token(norm, in, g, len);
                if (q > g && q - g < room - n - 1) {
                    digits_emit(st, norm, in, g, q);
                    n = st->len;
                    cpp = st->cp_pos;
                    cpl = 1;
                    pos = q;
                    continue;
                }
            }
            if (g >= len || gc != F_LETTER) {
                pos = g;
                break;
            }
            tok_begin(st, (uint32_t)g);
            n = st->len;
            pos = next = g;
            next_k = gk;
            next_e = ge;
            continue;
        }
        if (!e) {
            /* ASCII letters: the bulk of most text. One byte out per byte in
             * at most, so `end` bounds both. */
            uint8_t last = ll == 1 ? (uint8_t)buf[lp] : 0, ch;
            for (;;) {
                bool stopped = false;
#ifdef __SSE2__
                if (norm->letter_az)
                    stopped = letters16(in, len, &pos, buf, ss, se, run, &n, room, &lp, &last,
                                        &added);
#endif
                if (!stopped) {
                    size_t end = len - pos < room - n ? len : pos + (room - n);
                    while (pos < end && (ch = norm->letter[in[pos]]) != 0) {
                        if (ch == last) {
                            run[lp] = (uint16_t)(run[lp] + (run[lp] < RUN_MAX));
                            se[lp] = (uint32_t)(pos + 1);
                        } else {
                            buf[n] = (char)ch;
                            ss[n] = (uint32_t)pos;
                            se[n] = (uint32_t)(pos + 1);
                            run[n] = 1;
                            lp = n++;
                            last = ch;
                            added++;
                        }
                        pos++;
                    }
                }
                cpp = lp;
                cpl = ll = 1;
                latin = any = true;
                /* "word word", "word, word": ASCII whitespace and punctuation
                 * (joiners too, past the first byte: only right after a
                 * letter may one join), then a letter. The commonest step to
                 * the next token, taken here with one table per byte. */
                if (pos >= len || n >= room || in[pos] >= 0x80) break;
                uint8_t k0 = norm->ascii[in[pos]].kind;
                if (k0 != AR__TEXT_C_SPACE && k0 != AR__TEXT_C_PUNCT) break;
                size_t g = pos + 1;
                while (g < len && in[g] < 0x80 && !norm->letter[in[g]]) {
                    uint8_t kg = norm->ascii[in[g]].kind;
                    if (kg != AR__TEXT_C_SPACE && kg != AR__TEXT_C_PUNCT && kg != AR__TEXT_C_JOIN)
                        break;
                    g++;
                }
                if (g >= len || !norm->letter[in[g]]) break;
                hot_store(st, n, lp, ll, cpp, cpl, latin, added);
                AR_ASSERT(se[n - 1] == (uint32_t)pos);
                tok_end_at(st, (uint32_t)pos); /* se[n - 1]: not reread, just stored */
                tok_begin(st, (uint32_t)g);
                n = st->len;
                ll = cpl = added = 0;
                latin = any = false;
                st->prev = PREV_NONE;
                pos = g;
                last = 0;
            }
            continue;
        }
        const uint8_t *o =
            (e & AR__TEXT_E_IDENT) ? in + pos : ar__text_fold_pool + AR__TEXT_E_OFF(e);
        size_t olen = AR__TEXT_E_LEN(e);
        uint32_t s = (uint32_t)pos, eend = (uint32_t)(pos + k);
        latin |= (e & AR__TEXT_E_LATIN) != 0;
        if (olen == 2 && o[0] >= 0xC0 && o[0] < 0xE0 && k == 2) {
            /* Two-byte letters to two-byte letters: Arabic script, Cyrillic.
             * At most two bytes out per two in, so `end` bounds both. `f`
             * is the letter's fold, `lf` that of the letter before if it
             * was a two-byte one (both as in norm->two). */
            uint32_t f = (uint32_t)o[0] | (uint32_t)o[1] << 8;
            uint32_t lf = ll == 2 ? ((uint32_t)(uint8_t)buf[lp] | (uint32_t)(uint8_t)buf[lp + 1] << 8)
                                  : 0;
            for (;;) {
                size_t end = len - pos < room - n ? len : pos + (room - n);
                for (;;) {
                    if (f == lf) {
                        run[lp] = run[lp + 1] = (uint16_t)(run[lp] + (run[lp] < RUN_MAX));
                        se[lp] = se[lp + 1] = (uint32_t)(pos + 2);
                    } else {
                        buf[n] = (char)(uint8_t)f;
                        buf[n + 1] = (char)(uint8_t)(f >> 8);
                        ss[n] = ss[n + 1] = (uint32_t)pos;
                        se[n] = se[n + 1] = (uint32_t)(pos + 2);
                        run[n] = run[n + 1] = 1;
                        lp = n;
                        ll = 2;
                        n += 2;
                        added++;
                        lf = f;
                    }
                    pos += 2;
                    uint8_t b = pos + 1 < end ? in[pos] : 0;
                    if (b < 0xC2 || b >= 0xE0 || (in[pos + 1] & 0xC0) != 0x80) break;
                    uint32_t t = norm->two[((uint32_t)(b & 0x1F) << 6) | (in[pos + 1] & 0x3Fu)];
                    if (!t) /* no letter, or not one two-byte letter ("ĳ" is "ij") */
                        break;
                    f = t & 0xFFFFu;
                    latin |= (t & AR__TEXT_TWO_LATIN) != 0;
                }
                cpp = lp;
                cpl = ll;
                any = true;
                /* One space and a two-byte letter: the next word, taken here. */
                if (pos + 2 >= len || in[pos] != ' ' || !space_plain || n + 3 >= room) break;
                uint8_t b = in[pos + 1];
                if (b < 0xC2 || b >= 0xE0 || (in[pos + 2] & 0xC0) != 0x80) break;
                uint32_t t = norm->two[((uint32_t)(b & 0x1F) << 6) | (in[pos + 2] & 0x3Fu)];
                if (!t) break;
                hot_store(st, n, lp, ll, cpp, cpl, latin, added);
                AR_ASSERT(se[n - 1] == (uint32_t)pos);
                tok_end_at(st, (uint32_t)pos); /* se[n - 1]: not reread, just stored */
                tok_begin(st, (uint32_t)(pos + 1));
                n = st->len;
                ll = cpl = added = 0;
                latin = (t & AR__TEXT_TWO_LATIN) != 0;
                st->prev = PREV_NONE;
                pos++;
                f = t & 0xFFFFu;
                lf = 0;
            }
            continue;
        } else {
            for (size_t i = 0; i < olen;) {
                size_t m = ar__text_utf8_seqlen(o[i]);
                if (m > olen - i) m = olen - i;
                run_letter(buf, ss, se, run, &n, &lp, &ll, o + i, m, s, eend, &added);
                i += m;
            }
        }
        cpp = lp;
        cpl = ll;
        any = true;
        pos += k;
    }
    hot_store(st, n, lp, ll, cpp, cpl, latin, added);
    if (any) st->prev = PREV_LETTER;
    it->pos = pos;
}

/*---- Buffers -------------------------------------------------------------*/

/* Room for `need` bytes plus the NUL in every array of out. */
static ar_status out_reserve(ar_text_out *out, size_t need, size_t max, ar_error *err)
{
    need++;
    if (need <= out->cap) return AR_OK;
    void *p;
    size_t c;
    ar_status rc;
#define GROW(field, elem)                                                                          \
    do {                                                                                           \
        p = out->field;                                                                            \
        c = out->cap;                                                                              \
        rc = ar__grow(out->ctx, &p, &c, need, (elem), max + 1, err);                                 \
        if (rc != AR_OK) return rc;                                                                \
        out->field = p;                                                                            \
    } while (0)
    GROW(buf, 1);
    GROW(src_start, sizeof(uint32_t));
    GROW(src_end, sizeof(uint32_t));
    GROW(run, sizeof(uint16_t));
#undef GROW
    out->cap = c; /* the same doubling from the same start: every array has c */
    return AR_OK;
}

static void state_sync(nstate *st, const ar_text_out *out)
{
    st->buf = out->buf;
    st->ss = out->src_start;
    st->se = out->src_end;
    st->run = out->run;
}

/*---- API -----------------------------------------------------------------*/

void ar_text_out_init(ar_text_out *out, ar_ctx *ctx)
{
    if (!out) return;
    memset(out, 0, sizeof *out);
    out->ctx = ctx;
}

void ar_text_out_free(ar_text_out *out)
{
    if (!out || !out->ctx) return;
    ar__free(out->ctx, out->buf);
    ar__free(out->ctx, out->src_start);
    ar__free(out->ctx, out->src_end);
    ar__free(out->ctx, out->run);
    ar_ctx *ctx = out->ctx;
    memset(out, 0, sizeof *out);
    out->ctx = ctx;
}

static ar_status fail(ar_text_out *out, ar_status rc)
{
    out->len = 0;
    out->flags = 0;
    if (out->buf) out->buf[0] = '\0';
    return rc;
}

/* Normalise in[0..len) into out; `fast` takes token_run() where it can. */
static ar_status normalize(const ar_text_norm *norm, const char *in, size_t len, ar_text_out *out,
                           bool fast, ar_error *err)
{
    if (!norm || !out || (!in && len))
        return ar_error_set(err, AR_EINVAL, NULL, "ar_text_normalize: NULL argument");
    if (!out->ctx) out->ctx = norm->ctx;
    if (len > AR_TEXT_MAX_BYTES)
        return fail(out, ar_error_set(err, AR_ETOOBIG, "text", "item text over %u bytes",
                                      (unsigned)AR_TEXT_MAX_BYTES));
    /* Folds can expand (U+FDFA is 18 letters): allow 4x and no more, so a
     * crafted item cannot make the publish path allocate hundreds of MB. */
    const size_t limit = len * OUT_LIMIT + 4 * UNIT_ROOM + 4096;
    ar_status rc = out_reserve(out, len + len / 4 + 2 * UNIT_ROOM, limit, err);
    if (rc != AR_OK) return fail(out, rc);

    nstate st;
    memset(&st, 0, sizeof st);
    state_sync(&st, out);
    st.gap_ok = true;
    iter it = {.norm = norm, .in = (const uint8_t *)in, .len = len};
    unit u;
    for (;;) {
        if (fast && !it.sub) token_run(&st, norm, &it, out->cap - 2 * UNIT_ROOM);
        if (!iter_next(&it, &u)) break;
        if (st.len + UNIT_ROOM >= out->cap) {
            size_t want = st.len + UNIT_ROOM + (len - it.pos) + out->cap / 2;
            if (st.len + UNIT_ROOM >= limit)
                return fail(out, ar_error_set(err, AR_ETOOBIG, "text",
                                              "the normalised text would be over %u times the"
                                              " input",
                                              (unsigned)OUT_LIMIT));
            rc = out_reserve(out, want < limit ? want : limit, limit, err);
            if (rc != AR_OK) return fail(out, rc);
            state_sync(&st, out);
        }
        uint8_t cls = u.kind;
        switch (u.kind) {
        case AR__TEXT_C_DROP:
            /* Ignorables and marks inside a token belong to the code point before. */
            if (st.in_tok)
                for (size_t k = 0; k < st.cp_len; k++)
                    st.se[st.cp_pos + k] = u.e;
            continue;
        case AR__TEXT_C_LETTER:
        case AR__TEXT_C_NOSPACE:
        case AR__TEXT_C_DIGIT:
            if (!st.in_tok) tok_begin(&st, u.s);
            if (u.latin) st.tok_latin = true;
            emit_unit(&st, &u, u.kind);
            st.prev = u.kind == AR__TEXT_C_DIGIT ? PREV_DIGIT : PREV_LETTER;
            continue;
        case AR__TEXT_K_LEETA: {
            if (!st.in_tok) tok_begin(&st, u.s);
            if (latin_ahead(&st, &it, &u)) {
                st.tok_latin = true;
                emit_leet(&st, norm, &u);
            } else {
                emit_unit(&st, &u, u.base);
            }
            /* Folded or not, a digit is no letter to the joiner rule: "v1.5" stays apart. */
            st.prev = u.base == AR__TEXT_C_DIGIT ? PREV_LEETD : PREV_LETTER;
            continue;
        }
        case AR__TEXT_K_LEETS: {
            /* "@" opening a token is a mention, not an "a". */
            bool mention = !st.in_tok && u.olen == 1 && u.out[0] == '@';
            if (!mention && symbol_folds(&st, &it, &u) && latin_ahead(&st, &it, &u)) {
                if (!st.in_tok) tok_begin(&st, u.s);
                st.tok_latin = true;
                emit_leet(&st, norm, &u);
                st.prev = PREV_LETTER;
                continue;
            }
            cls = u.base;
            break;
        }
        case AR__TEXT_C_JOIN:
            if (st.in_tok && join_ok(st.prev, &it)) continue; /* "b.a.d": the dot vanishes */
            break;
        default:
            break;
        }
        /* A separator. */
        if (st.in_tok) tok_end(&st);
        st.prev = PREV_NONE;
        if (cls != AR__TEXT_C_SPACE && cls != AR__TEXT_C_PUNCT && cls != AR__TEXT_C_JOIN)
            st.gap_ok = false;
    }
    if (st.in_tok) tok_end(&st);
    rc = out_reserve(out, st.len + 1, limit, err);
    if (rc != AR_OK) return fail(out, rc);
    state_sync(&st, out);
    static const uint8_t sp = ' ';
    put(&st, &sp, 1, st.gap_start < len ? st.gap_start : (uint32_t)len, (uint32_t)len, 1);
    st.buf[st.len] = '\0';
    out->len = st.len;
    out->flags = it.repaired ? AR_TEXT_REPAIRED : 0;
    return AR_OK;
}

/* Normalise in[0..len) into out (text.h). */
ar_status ar_text_normalize(const ar_text_norm *norm, const char *in, size_t len, ar_text_out *out,
                            ar_error *err)
{
    return normalize(norm, in, len, out, true, err);
}

/* The same without the hot path: what token_run() must agree with. */
ar_status ar__text_normalize_reference(const ar_text_norm *norm, const char *in, size_t len,
                                       ar_text_out *out, ar_error *err)
{
    return normalize(norm, in, len, out, false, err);
}
