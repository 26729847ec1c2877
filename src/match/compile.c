/*
 * compile.c - turn a policy's terms, allow words and regexes into a word
 * index and a vectorscan database (see match_int.h for their layout).
 *
 * Terms go through the same normaliser as items, so the literal we compile is
 * exactly what the item's stream holds: " free money " for "FREE  Money!".
 * Whole-word literals go to the word index (words.c); the other literals are
 * escaped and compiled without SOM, regexes in UTF-8/UCP mode with leftmost
 * SOM, both into one database with hs_compile_multi.
 */
#include "match_int.h"

#include <stdio.h>
#include <stdlib.h>

#define RE_FLAGS (HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SOM_LEFTMOST)

/*---- Helpers ------------------------------------------------------------*/

static ar_status pat_error(ar_error *err, ar_status s, size_t i, const char *msg)
{
    char field[AR_ERROR_FIELD_MAX];
    snprintf(field, sizeof field, "patterns[%zu]", i);
    return ar_error_set(err, s, field, "%s", msg);
}

/* Decode one code point of valid UTF-8 at s[*i], advancing *i. Invalid bytes
 * decode as themselves (the normaliser never emits them). */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t c = s[*i];
    size_t n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c >= 0x80 && c < 0xC0) n = 0;
    if (*i + n >= len) n = 0;
    if (n) c &= 0x3Fu >> n;
    (*i)++;
    for (size_t k = 0; k < n; k++)
        c = (c << 6) | (s[(*i)++] & 0x3Fu);
    return c;
}

/* true for code points of the scripts written without spaces between words:
 * Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar. */
static bool is_nospace_cp(uint32_t c)
{
    if (c < 0x0E00) return false;
    return (c >= 0x0E00 && c <= 0x0EFF)       /* Thai, Lao */
           || (c >= 0x1000 && c <= 0x109F)    /* Myanmar */
           || (c >= 0x1780 && c <= 0x17FF)    /* Khmer */
           || (c >= 0x19E0 && c <= 0x19FF)    /* Khmer symbols */
           || (c >= 0x2E80 && c <= 0x2FDF)    /* CJK and Kangxi radicals */
           || (c >= 0x3005 && c <= 0x3007)    /* 々 〆 〇 */
           || (c >= 0x3021 && c <= 0x3029)    /* Hangzhou numerals */
           || (c >= 0x3038 && c <= 0x303B)    /* 〸 .. 〻 */
           || (c >= 0x3040 && c <= 0x30FF)    /* Hiragana, Katakana */
           || (c >= 0x31F0 && c <= 0x31FF)    /* Katakana extension */
           || (c >= 0x3400 && c <= 0x4DBF)    /* Han extension A */
           || (c >= 0x4E00 && c <= 0x9FFF)    /* Han */
           || (c >= 0xA9E0 && c <= 0xA9FF)    /* Myanmar extended-B */
           || (c >= 0xAA60 && c <= 0xAA7F)    /* Myanmar extended-A */
           || (c >= 0xF900 && c <= 0xFAFF)    /* Han compatibility */
           || (c >= 0xFF66 && c <= 0xFF9F)    /* halfwidth Katakana */
           || (c >= 0x1B000 && c <= 0x1B16F)  /* Kana supplement, extensions */
           || (c >= 0x20000 && c <= 0x323AF); /* Han extensions B..H */
}

static bool has_nospace_script(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        if (is_nospace_cp(utf8_next(u, len, &i))) return true;
    }
    return false;
}

/*---- Literal table ------------------------------------------------------*/

/* Compile-time state: the literals' bytes in one pool, deduplicated through
 * an open-addressing hash of (bytes, length); entries chained per literal
 * (laid out for the scan by layout_entries). */
typedef struct lit_info {
    uint32_t len;
    uint32_t word;
    uint32_t first; /* first entry in lit_build.ents */
} lit_info;

typedef struct lit_build {
    ar_ctx *ctx;
    char *pool;
    size_t npool, pool_cap;
    size_t *off; /* [nlits]: offset of each literal in pool */
    size_t off_cap;
    lit_info *lits;
    size_t nlits, lits_cap;
    ar__match_ent *ents;
    size_t nents, ents_cap;
    uint16_t *sigs;
    size_t nsigs, sigs_cap;
    uint32_t *slots; /* literal index + 1; 0 is empty */
    size_t nslots;   /* power of two */
} lit_build;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void lit_build_free(lit_build *b)
{
    ar__free(b->ctx, b->pool);
    ar__free(b->ctx, b->off);
    ar__free(b->ctx, b->lits);
    ar__free(b->ctx, b->ents);
    ar__free(b->ctx, b->sigs);
    ar__free(b->ctx, b->slots);
}

/* Find or add the literal `s` (len bytes, word-bracketed if `word`; s holds
 * the brackets already). Sets *lit to its index. */
static ar_status lit_intern(lit_build *b, const char *s, size_t len, uint32_t word, uint32_t *lit,
                            ar_error *err)
{
    size_t mask = b->nslots - 1;
    size_t h = (size_t)hash_bytes(s, len) & mask;
    while (b->slots[h]) {
        uint32_t k = b->slots[h] - 1;
        if (b->lits[k].len == len && memcmp(b->pool + b->off[k], s, len) == 0) {
            *lit = k;
            return AR_OK;
        }
        h = (h + 1) & mask;
    }
    ar_status st;
    if ((st = ar__grow(b->ctx, (void **)&b->pool, &b->pool_cap, b->npool + len, 1, SIZE_MAX / 2,
                       err)) != AR_OK ||
        (st = ar__grow(b->ctx, (void **)&b->off, &b->off_cap, b->nlits + 1, sizeof *b->off,
                       AR_MATCH_MAX_PATTERNS, err)) != AR_OK ||
        (st = ar__grow(b->ctx, (void **)&b->lits, &b->lits_cap, b->nlits + 1, sizeof *b->lits,
                       AR_MATCH_MAX_PATTERNS, err)) != AR_OK)
        return st;
    memcpy(b->pool + b->npool, s, len);
    b->off[b->nlits] = b->npool;
    b->npool += len;
    b->lits[b->nlits] = (lit_info){.len = (uint32_t)len, .word = word, .first = AR_MATCH_NONE};
    b->slots[h] = (uint32_t)b->nlits + 1;
    *lit = (uint32_t)b->nlits++;
    return AR_OK;
}

/* Normalise TERM/ALLOW pattern i and add it to the literal table. `tmp` and
 * `word_buf`/`word_cap` are reused between calls. */
static ar_status add_term(lit_build *b, const ar_text_norm *norm, const ar_match_pattern *p,
                          size_t i, ar_text_out *tmp, char **word_buf, size_t *word_cap,
                          ar_error *err)
{
    ar_status st = ar_text_normalize(norm, p->expr ? p->expr : "", p->len, tmp, err);
    if (st != AR_OK) {
        char msg[AR_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "term: %.240s", err ? err->message : ar_status_name(st));
        return pat_error(err, st, i, msg);
    }
    /* Strip the bracketing spaces the normaliser puts around every stream. */
    size_t a = 0, z = tmp->len;
    while (a < z && tmp->buf[a] == ' ')
        a++;
    while (z > a && tmp->buf[z - 1] == ' ')
        z--;
    if (a == z)
        return pat_error(err, AR_EINVAL, i, "term normalises to nothing (no letters or digits)");
    size_t tlen = z - a;
    if (tlen > UINT32_MAX / 2) return pat_error(err, AR_ETOOBIG, i, "term too long");

    uint32_t word = !(p->flags & AR_MATCH_SUBSTRING) && !has_nospace_script(tmp->buf + a, tlen);
    const char *lit = tmp->buf + a;
    size_t llen = tlen;
    if (word) {
        if ((st = ar__grow(b->ctx, (void **)word_buf, word_cap, tlen + 2, 1, SIZE_MAX / 2, err)) !=
            AR_OK)
            return st;
        (*word_buf)[0] = ' ';
        memcpy(*word_buf + 1, lit, tlen);
        (*word_buf)[tlen + 1] = ' ';
        lit = *word_buf;
        llen = tlen + 2;
    }

    uint32_t k;
    if ((st = lit_intern(b, lit, llen, word, &k, err)) != AR_OK) return st;

    /* Keep the run lengths only when some letter was doubled in the term. */
    uint32_t sig = AR_MATCH_NONE;
    for (size_t j = a; j < z; j++) {
        if (tmp->run[j] > 1) {
            if ((st = ar__grow(b->ctx, (void **)&b->sigs, &b->sigs_cap, b->nsigs + tlen,
                               sizeof *b->sigs, UINT32_MAX - 1, err)) != AR_OK)
                return st;
            memcpy(b->sigs + b->nsigs, tmp->run + a, tlen * sizeof *b->sigs);
            sig = (uint32_t)b->nsigs;
            b->nsigs += tlen;
            break;
        }
    }
    if ((st = ar__grow(b->ctx, (void **)&b->ents, &b->ents_cap, b->nents + 1, sizeof *b->ents,
                       AR_MATCH_MAX_PATTERNS, err)) != AR_OK)
        return st;
    b->ents[b->nents] = (ar__match_ent){
        .id = p->id,
        .group = p->group,
        .next = b->lits[k].first,
        .sig = sig,
        .len = b->lits[k].len,
        .word = (uint8_t)word,
        .allow = p->kind == AR_MATCH_ALLOW,
    };
    b->lits[k].first = (uint32_t)b->nents++;
    return AR_OK;
}

/* Lay the entries out for the scan: the first entry of literal k at k, the
 * others after nlits, each chain in order. */
static ar_status layout_entries(const lit_build *b, ar__match_ent **out, ar_error *err)
{
    *out = NULL;
    if (b->nents == 0) return AR_OK;
    ar__match_ent *v = ar__calloc(b->ctx, b->nents, sizeof *v);
    if (!v)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling %zu terms", b->nents);
    size_t extra = b->nlits;
    for (size_t k = 0; k < b->nlits; k++) {
        size_t prev = SIZE_MAX;
        for (uint32_t e = b->lits[k].first; e != AR_MATCH_NONE; e = b->ents[e].next) {
            size_t at = prev == SIZE_MAX ? k : extra++;
            v[at] = b->ents[e];
            v[at].next = AR_MATCH_NONE;
            if (prev != SIZE_MAX) v[prev].next = (uint32_t)at;
            prev = at;
        }
    }
    AR_ASSERT(extra == b->nents);
    *out = v;
    return AR_OK;
}

/*---- Regex source -------------------------------------------------------*/

/* true if the regex holds an ASCII capital outside an escape ("Free", not
 * "\S"): the stream is lowercase, so such a regex is compiled caseless
 * rather than never matching. Caseless can double a pattern's size, so
 * lowercase regexes do without it. */
static bool wants_caseless(const char *re, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (re[i] == '\\')
            i++;
        else if (re[i] >= 'A' && re[i] <= 'Z')
            return true;
    }
    return false;
}

/* true if an inline option group turns on extended mode ("(?x)", "(?ix:"),
 * where '#' starts a comment that rewrite_classes would not see. */
static bool has_extended_mode(const char *re, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++) {
        if (re[i] == '\\') {
            i++;
            continue;
        }
        if (re[i] != '(' || re[i + 1] != '?') continue;
        for (size_t j = i + 2; j < len && re[j] != ')' && re[j] != ':'; j++) {
            if (re[j] == 'x') return true;
            if (!(re[j] >= 'a' && re[j] <= 'z') && !(re[j] >= 'A' && re[j] <= 'Z') && re[j] != '-')
                break;
        }
    }
    return false;
}

/* Over the normalised stream a token character is anything but the space
 * and a separator is exactly one space. So outside character classes \w
 * and \S are rewritten as [^ ], \W and \s as [ ]. On this stream that is
 * what a rule author means, and more than vectorscan's Unicode \w gives:
 * its tables miss the spacing marks the stream keeps (Devanagari "ा",
 * Thai and Khmer vowel signs) and letters newer than its Unicode version,
 * so "\w+" would stop inside Hindi or Thai words. It also matters for size:
 * in UTF-8/UCP mode with SOM, one "\w+ x" costs ~380 KB of database (200 of
 * them 75 MB and 43 s of compile) and "(?: \w+){0,3}" fails as "Pattern is
 * too large". Escapes, \Q..\E, classes (with a leading ']' and [:posix:]
 * parts) and (?#...) comments are copied as they are; a regex in extended
 * mode is not rewritten at all. Writes at most 2*len+1 bytes to out (NUL
 * included). */
static void rewrite_classes(const char *re, size_t len, char *out)
{
    size_t o = 0;
    bool cls = false;
    if (has_extended_mode(re, len)) {
        memcpy(out, re, len);
        out[len] = '\0';
        return;
    }
    for (size_t i = 0; i < len;) {
        char c = re[i];
        size_t n = 1; /* bytes copied as they are */
        if (c == '\\' && i + 1 < len) {
            char d = re[i + 1];
            if (!cls && (d == 'w' || d == 'S' || d == 'W' || d == 's')) {
                const char *r = d == 'w' || d == 'S' ? "[^ ]" : "[ ]";
                size_t rl = strlen(r);
                memcpy(out + o, r, rl);
                o += rl;
                i += 2;
                continue;
            }
            n = 2;
            if (d == 'c' && i + 2 < len) {
                n = 3; /* \cX: X is taken as it is, even a backslash */
            } else if (d == 'Q') {
                n = len - i;
                for (size_t j = i + 2; j + 1 < len; j++)
                    if (re[j] == '\\' && re[j + 1] == 'E') {
                        n = j + 2 - i;
                        break;
                    }
            }
        } else if (cls) {
            if (c == '[' && i + 1 < len && re[i + 1] == ':') {
                for (size_t j = i + 2; j + 1 < len; j++)
                    if (re[j] == ':' && re[j + 1] == ']') {
                        n = j + 2 - i;
                        break;
                    }
            } else if (c == ']') {
                cls = false;
            }
        } else if (c == '[') {
            cls = true;
            if (i + n < len && re[i + n] == '^') n++;
            if (i + n < len && re[i + n] == ']') n++; /* a leading ']' is a member, not the end */
        } else if (c == '(' && i + 2 < len && re[i + 1] == '?' && re[i + 2] == '#') {
            const char *e = memchr(re + i, ')', len - i);
            n = e ? (size_t)(e - re) + 1 - i : len - i;
        }
        memcpy(out + o, re + i, n);
        o += n;
        i += n;
    }
    out[o] = '\0';
}

/*---- Database -----------------------------------------------------------*/

/* Escape a literal for hs_compile_multi: letters, digits and bytes of
 * multi-byte UTF-8 as they are, everything else as \xHH. Writes at most
 * 4*len+1 bytes to out (NUL included). */
static void escape_literal(const char *s, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
}

/* Check one whole-word regex alone (pattern index i), before it is wrapped,
 * so the wrapper cannot change its meaning: "a)|(?:b" is rejected here
 * instead of compiling as " (?:a)|(?:b) ". It may match empty: wrapped, it
 * cannot. Checked after rewrite_classes: the rewrite keeps every group and
 * alternation, and UCP \w costs hs_expression_info 2-10 ms a regex. */
static ar_status check_regex(const char *re, size_t i, unsigned flags, ar_error *err)
{
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *ce = NULL;
    if (hs_expression_info(re, flags | HS_FLAG_ALLOWEMPTY, &info, &ce) != HS_SUCCESS) {
        ar_status st = pat_error(err, AR_EINVAL, i, ce && ce->message ? ce->message : "bad regex");
        hs_free_compile_error(ce);
        return st;
    }
    free(info); /* allocated by vectorscan's allocator: malloc unless hs_set_allocator */
    return AR_OK;
}

/* The vectorscan expression for regex pattern i into *out (allocated). */
static ar_status regex_expr(ar_ctx *ctx, const ar_match_pattern *p, size_t i, unsigned *flags,
                            char **out, ar_error *err)
{
    if (!p->expr || p->len == 0 || memchr(p->expr, '\0', p->len))
        return pat_error(err, AR_EINVAL, i, p->len ? "regex holds a NUL byte" : "empty regex");
    char *e = ar__malloc(ctx, 2 * p->len + 8); /* p->len <= AR_TEXT_MAX_BYTES */
    if (!e) return ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling regexes");
    *flags = RE_FLAGS | (wants_caseless(p->expr, p->len) ? HS_FLAG_CASELESS : 0);
    if (p->flags & AR_MATCH_SUBSTRING) {
        rewrite_classes(p->expr, p->len, e);
    } else {
        memcpy(e, " (?:", 4);
        rewrite_classes(p->expr, p->len, e + 4);
        ar_status st = check_regex(e + 4, i, *flags, err);
        if (st != AR_OK) {
            /* Report the error in the words the author wrote. */
            memcpy(e, p->expr, p->len);
            e[p->len] = '\0';
            (void)check_regex(e, i, *flags, err);
            ar__free(ctx, e);
            return st;
        }
        memcpy(e + strlen(e), ") ", 3);
    }
    *out = e;
    return AR_OK;
}

/* Put the whole-word literals of `b` that fit in the word index into
 * db->words; (*indexed)[k] is then true for each, false for the literals
 * vectorscan must take. */
static ar_status index_words(ar_match_db *db, const lit_build *b, bool **indexed, ar_error *err)
{
    *indexed = NULL;
    if (b->nlits == 0) return AR_OK;
    ar_ctx *ctx = db->ctx;
    const char **lits = ar__calloc(ctx, b->nlits, sizeof *lits);
    size_t *lens = ar__calloc(ctx, b->nlits, sizeof *lens);
    bool *ind = ar__calloc(ctx, b->nlits, sizeof *ind);
    ar_status st = AR_OK;
    if (!lits || !lens || !ind) {
        st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory indexing %zu terms", b->nlits);
        goto done;
    }
    for (size_t k = 0; k < b->nlits; k++) {
        const char *s = b->pool + b->off[k] + 1; /* brackets stripped */
        size_t len = b->lits[k].len - 2;
        if (b->lits[k].word && ar__match_words_fits(s, len)) {
            lits[k] = s;
            lens[k] = len;
            ind[k] = true;
        }
    }
    st = ar__match_words_build(ctx, &db->words, lits, lens, ind, b->nlits, err);
done:
    ar__free(ctx, lits);
    ar__free(ctx, lens);
    if (st != AR_OK) {
        ar__free(ctx, ind);
        return st;
    }
    *indexed = ind;
    return AR_OK;
}

/* Compile the literals of `b` not in the word index (`indexed`; vectorscan
 * id k for literal k) and the regexes (ids nlits..) into db->hs. lit_pat
 * and re_pat give each one's pattern index, for errors. */
static ar_status compile_db(ar_match_db *db, const lit_build *b, const bool *indexed,
                            const ar_match_pattern *pats, const uint32_t *lit_pat,
                            const uint32_t *re_pat, ar_error *err)
{
    size_t n = 0;
    for (size_t k = 0; k < b->nlits; k++)
        n += !indexed[k];
    n += db->nres;
    if (n == 0) return AR_OK;
    ar_ctx *ctx = db->ctx;
    char **exprs = ar__calloc(ctx, n, sizeof *exprs);
    unsigned *flags = ar__calloc(ctx, n, sizeof *flags);
    unsigned *ids = ar__calloc(ctx, n, sizeof *ids);
    ar_status st = AR_OK;
    if (!exprs || !flags || !ids) {
        st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling %zu patterns", n);
        goto done;
    }
    size_t x = 0; /* expressions so far */
    for (size_t k = 0; k < b->nlits + db->nres; k++) {
        if (k >= b->nlits) {
            size_t r = k - b->nlits;
            ids[x] = (unsigned)k;
            if ((st = regex_expr(ctx, &pats[re_pat[r]], re_pat[r], &flags[x], &exprs[x], err)) !=
                AR_OK)
                goto done;
            x++;
            continue;
        }
        if (indexed[k]) continue;
        size_t len = b->lits[k].len;
        ids[x] = (unsigned)k;
        if (!(exprs[x] = ar__malloc(ctx, 4 * len + 1))) {
            st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling %zu patterns", n);
            goto done;
        }
        escape_literal(b->pool + b->off[k], len, exprs[x]);
        x++;
    }
    AR_ASSERT(x == n);
    hs_compile_error_t *ce = NULL;
    if (hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL,
                         &db->hs, &ce) != HS_SUCCESS) {
        db->hs = NULL;
        const char *msg = ce && ce->message ? ce->message : "unknown error";
        if (ce && ce->expression >= 0 && (size_t)ce->expression < n) {
            size_t k = ids[ce->expression];
            st = pat_error(err, AR_EINVAL, k < b->nlits ? lit_pat[k] : re_pat[k - b->nlits], msg);
        } else if (strstr(msg, "allocate")) {
            st = ar_error_set(err, AR_ENOMEM, "patterns", "vectorscan: %s", msg);
        } else {
            st = ar_error_set(err, AR_EBACKEND, "patterns", "vectorscan: %s", msg);
        }
        hs_free_compile_error(ce);
    }
done:
    if (exprs)
        for (size_t k = 0; k < n; k++)
            ar__free(ctx, exprs[k]);
    ar__free(ctx, exprs);
    ar__free(ctx, flags);
    ar__free(ctx, ids);
    return st;
}

/*---- API ----------------------------------------------------------------*/

void ar_match_db_free(ar_match_db *db)
{
    if (!db) return;
    hs_free_database(db->hs);
    ar__match_words_free(db->ctx, &db->words);
    ar__free(db->ctx, db->ents);
    ar__free(db->ctx, db->sigs);
    ar__free(db->ctx, db->res);
    ar__free(db->ctx, db);
}

size_t ar_match_db_size(const ar_match_db *db)
{
    return db ? db->hs_bytes + db->words.bytes : 0;
}

/* Check the pattern array before any work: kinds, flags, pointers. */
static ar_status check_patterns(const ar_match_pattern *pats, size_t n, size_t *nterms,
                                size_t *nres, ar_error *err)
{
    *nterms = *nres = 0;
    for (size_t i = 0; i < n; i++) {
        const ar_match_pattern *p = &pats[i];
        if (p->kind != AR_MATCH_TERM && p->kind != AR_MATCH_REGEX && p->kind != AR_MATCH_ALLOW)
            return pat_error(err, AR_EINVAL, i, "unknown pattern kind");
        if (p->flags & ~AR_MATCH_SUBSTRING)
            return pat_error(err, AR_EINVAL, i, "unknown pattern flags");
        if (!p->expr && p->len) return pat_error(err, AR_EINVAL, i, "expr is NULL");
        if (p->len > AR_TEXT_MAX_BYTES)
            return pat_error(err, AR_ETOOBIG, i, "pattern over the text size limit");
        if (p->kind == AR_MATCH_REGEX)
            (*nres)++;
        else
            (*nterms)++;
    }
    return AR_OK;
}

/* Compile `n` patterns into *out. See match.h for the rules. Returns AR_OK;
 * AR_EINVAL naming "patterns[i]" for a bad pattern (unknown kind or flags, a
 * term normalising to nothing, a regex vectorscan rejects); AR_ETOOBIG past
 * AR_MATCH_MAX_PATTERNS; AR_ENOMEM; AR_EBACKEND when vectorscan fails on the
 * set as a whole. */
ar_status ar_match_db_compile(ar_ctx *ctx, const ar_text_norm *norm, const ar_match_pattern *pats,
                              size_t n, ar_match_db **out, ar_error *err)
{
    if (!out) return ar_error_set(err, AR_EINVAL, "out", "ar_match_db_compile: out is NULL");
    *out = NULL;
    if (!ctx || !norm)
        return ar_error_set(err, AR_EINVAL, ctx ? "norm" : "ctx", "ar_match_db_compile: %s is NULL",
                            ctx ? "norm" : "ctx");
    if (n && !pats)
        return ar_error_set(err, AR_EINVAL, "patterns", "ar_match_db_compile: patterns is NULL");
    if (n > AR_MATCH_MAX_PATTERNS)
        return ar_error_set(err, AR_ETOOBIG, "patterns", "%zu patterns, over the limit of %u", n,
                            AR_MATCH_MAX_PATTERNS);
    size_t nterms, nres;
    ar_status st = check_patterns(pats, n, &nterms, &nres, err);
    if (st != AR_OK) return st;

    ar_match_db *db = ar__calloc(ctx, 1, sizeof *db);
    if (!db) return ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling patterns");
    db->ctx = ctx;

    lit_build b = {.ctx = ctx};
    ar_text_out tmp;
    ar_text_out_init(&tmp, ctx);
    char *word_buf = NULL;
    size_t word_cap = 0;
    uint32_t *lit_pat = NULL; /* literal index -> first pattern index, for errors */
    uint32_t *re_pat = NULL;  /* regex index -> pattern index */
    bool *indexed = NULL;     /* literal index -> in the word index */

    if (nterms) {
        b.nslots = 16;
        while (b.nslots < nterms * 2)
            b.nslots *= 2;
        b.slots = ar__calloc(ctx, b.nslots, sizeof *b.slots);
        lit_pat = ar__calloc(ctx, nterms, sizeof *lit_pat);
        if (!b.slots || !lit_pat) {
            st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling %zu terms", nterms);
            goto fail;
        }
    }
    if (nres) {
        re_pat = ar__calloc(ctx, nres, sizeof *re_pat);
        db->res = ar__calloc(ctx, nres, sizeof *db->res);
        if (!re_pat || !db->res) {
            st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling %zu regexes", nres);
            goto fail;
        }
    }

    for (size_t i = 0; i < n; i++) {
        const ar_match_pattern *p = &pats[i];
        if (p->kind == AR_MATCH_REGEX) {
            re_pat[db->nres] = (uint32_t)i;
            db->res[db->nres++] = (ar__match_re){.id = p->id, .group = p->group};
            continue;
        }
        size_t before = b.nlits;
        if ((st = add_term(&b, norm, p, i, &tmp, &word_buf, &word_cap, err)) != AR_OK) goto fail;
        if (b.nlits > before) lit_pat[before] = (uint32_t)i;
    }

    if ((st = index_words(db, &b, &indexed, err)) != AR_OK ||
        (st = compile_db(db, &b, indexed, pats, lit_pat, re_pat, err)) != AR_OK)
        goto fail;

    if ((st = layout_entries(&b, &db->ents, err)) != AR_OK) goto fail;
    db->sigs = b.sigs;
    db->nlits = (uint32_t)b.nlits;
    db->nents = (uint32_t)b.nents;
    b.sigs = NULL;
    size_t sz;
    if (db->hs && hs_database_size(db->hs, &sz) == HS_SUCCESS) db->hs_bytes = sz;

    AR_LOG(ctx, AR_LOG_DEBUG, "match", "compiled", AR_KV_INT("patterns", n),
           AR_KV_INT("literals", db->nlits), AR_KV_INT("regexes", db->nres),
           AR_KV_INT("bytes", ar_match_db_size(db)));
    lit_build_free(&b);
    ar_text_out_free(&tmp);
    ar__free(ctx, word_buf);
    ar__free(ctx, lit_pat);
    ar__free(ctx, re_pat);
    ar__free(ctx, indexed);
    *out = db;
    return AR_OK;

fail:
    lit_build_free(&b);
    ar_text_out_free(&tmp);
    ar__free(ctx, word_buf);
    ar__free(ctx, lit_pat);
    ar__free(ctx, re_pat);
    ar__free(ctx, indexed);
    ar_match_db_free(db);
    return st;
}
