/*
 * jsonl.c - one line of `arbiter scan` input: a strict JSON reader that
 * validates the whole line and picks out "id", "text" and "lang", and the
 * raw spans of "links" and "image_hashes" (jsonl.h).
 *
 * One pass, no tree, no recursion: the top-level object is read member by
 * member; the values of other keys are skipped by skip_value(), which keeps
 * the kinds of the open containers in a stack on its frame.
 */
#include "jsonl.h"

#include "arbiter/common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(CLI_JSONL_NO_SIMD)
#include <emmintrin.h>
#endif

#define SCRATCH_MIN 4096

/* What a string is read for. */
#define STR_KEEP 1u /* decode escapes into the scratch and return the value */
#define STR_KEY  2u /* an object key: \u0000 is an error (jansson cannot hold it) */

typedef struct parser {
    const char *line, *p, *end;
    char *out;         /* next free byte of the scratch */
    const char *where; /* the byte an error is about */
    bool decoded;      /* the last string scanned was decoded into the scratch */
    cli_jsonl_error *err;
} parser;

/* One of the fields we keep: the last occurrence of its key. */
typedef enum field_type { F_ABSENT, F_STRING, F_INTEGER, F_NULL, F_OTHER } field_type;

typedef struct field {
    field_type type;
    const char *s; /* F_STRING: the value; F_INTEGER: its text */
    size_t n;
} field;

/*---- Errors ----------------------------------------------------------------*/

static bool fail(parser *ps, const char *at, const char *fmt, ...) AR_PRINTF(3, 4);

/* Record a syntax error at `at`; returns false for `return fail(...)`. */
static bool fail(parser *ps, const char *at, const char *fmt, ...)
{
    ps->where = at;
    if (ps->err) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
        va_end(ap);
        if (at == ps->end && at > ps->line && n > 0 && (size_t)n < sizeof ps->err->message)
            snprintf(ps->err->message + n, sizeof ps->err->message - (size_t)n,
                     " (end of line)");
    }
    return false;
}

/* 1-based character column of `at`: UTF-8 lead bytes before it, plus one. */
static size_t column_of(const char *line, const char *at)
{
    size_t col = 1;
    for (const char *q = line; q < at; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80;
    return col;
}

static cli_jsonl_status refuse(cli_jsonl_error *err, cli_jsonl_status st, const char *msg)
{
    if (err) {
        err->column = 0;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return st;
}

/*---- Bytes -----------------------------------------------------------------*/

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Length of the valid UTF-8 sequence at p (p[0] >= 0x80), or 0. The same
 * rules as jansson's utf8_check_full: no overlongs, no surrogates, nothing
 * past U+10FFFF, no truncated sequence at the end. */
static inline size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t room = (size_t)(end - p);
    if (c < 0xC2)
        return 0; /* a continuation byte, or an overlong C0/C1 lead */
    if (c < 0xE0)
        return room >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (room < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0; /* overlong, or a UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (room < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
            (p[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
            return 0; /* overlong, or past U+10FFFF */
        return 4;
    }
    return 0;
}

/* Skip string content that needs no attention: printable ASCII other than
 * '"' and '\\', and valid UTF-8. Returns the first byte that does (a quote,
 * a backslash, a control byte, or the start of invalid UTF-8), or `end`.
 *
 * The vector loop takes 16 bytes at a time when they are ASCII and 2-byte
 * sequences (Latin, Greek, Cyrillic, Arabic, Hebrew...): a continuation byte
 * must follow every C2..DF lead and nothing else. A block that ends on a
 * lead is taken as 15 bytes, so every block starts on a character. Anything
 * else (3- and 4-byte sequences, bad bytes) goes through utf8_seq() for at
 * most 16 bytes before the vector loop resumes. */
static const char *skip_chars(const char *p, const char *end)
{
#if defined(__SSE2__) && !defined(CLI_JSONL_NO_SIMD)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20), c0 = _mm_set1_epi8((char)0xC0);
    const __m128i c1 = _mm_set1_epi8((char)0xC1), e0 = _mm_set1_epi8((char)0xE0);
#endif
    for (;;) {
#if defined(__SSE2__) && !defined(CLI_JSONL_NO_SIMD)
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            /* signed compares: bytes >= 0x80 are negative */
            unsigned high = (unsigned)_mm_movemask_epi8(v);
            unsigned special = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                             _mm_cmplt_epi8(v, space)));
            special &= ~high;
            if (!high) {
                if (special)
                    return p + __builtin_ctz(special);
                p += 16;
                continue;
            }
            unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, c0)); /* 80..BF */
            unsigned lead = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpgt_epi8(v, c1), _mm_cmplt_epi8(v, e0))); /* C2..DF */
            unsigned other = high & ~cont & ~lead;
            /* check the bytes up to and including the first special one */
            unsigned upto = special ? ((special & -special) << 1) - 1 : 0xFFFFu;
            unsigned step = 16;
            if (!special && (lead & 0x8000u)) {
                lead &= 0x7FFFu; /* the next block starts on it */
                step = 15;
            }
            if ((other & upto) || ((cont ^ (lead << 1)) & upto))
                break;
            if (special)
                return p + __builtin_ctz(special);
            p += step;
        }
#endif
        const char *stop = end - p > 16 ? p + 16 : end;
        while (p < stop) {
            unsigned char c = (unsigned char)*p;
            if (c >= 0x80) {
                size_t k = utf8_seq((const unsigned char *)p, (const unsigned char *)end);
                if (!k)
                    return p;
                p += k;
            } else if (c >= 0x20 && c != '"' && c != '\\') {
                p++;
            } else {
                return p;
            }
        }
        if (p >= end)
            return end;
    }
}

/* Four hex digits at p (p + 4 <= end checked by the caller), or -1. */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)p[i];
        v <<= 4;
        if (is_digit(c))
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    return v;
}

static size_t utf8_put(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*---- Tokens ----------------------------------------------------------------*/

/* The escape at *pp (a backslash). Advances *pp past it; when *o is not NULL,
 * writes the decoded bytes there and advances it. Every escape is no longer
 * than its source, so decoding in place of the source's length is safe. */
static bool decode_escape(parser *ps, const char **pp, char **o, unsigned mode)
{
    const char *p = *pp, *end = ps->end;
    if (end - p < 2)
        return fail(ps, end, "unterminated string");
    char d;
    switch (p[1]) {
    case '"': d = '"'; break;
    case '\\': d = '\\'; break;
    case '/': d = '/'; break;
    case 'b': d = '\b'; break;
    case 'f': d = '\f'; break;
    case 'n': d = '\n'; break;
    case 'r': d = '\r'; break;
    case 't': d = '\t'; break;
    case 'u': {
        long cp = end - p >= 6 ? hex4(p + 2) : -1;
        if (cp < 0)
            return fail(ps, p, "invalid \\u escape (four hex digits expected)");
        const char *q = p + 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = end - q >= 6 && q[0] == '\\' && q[1] == 'u' ? hex4(q + 2) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return fail(ps, p, "invalid Unicode: high surrogate \\u%04lX without a low one",
                            cp);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            q += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(ps, p, "invalid Unicode: lone low surrogate \\u%04lX", cp);
        } else if (cp == 0 && (mode & STR_KEY)) {
            return fail(ps, p, "\\u0000 in an object key");
        }
        if (*o)
            *o += utf8_put(*o, (unsigned long)cp);
        *pp = q;
        return true;
    }
    default:
        if ((unsigned char)p[1] >= 0x20 && (unsigned char)p[1] < 0x7F)
            return fail(ps, p, "invalid escape '\\%c'", p[1]);
        return fail(ps, p, "invalid escape");
    }
    if (*o)
        *(*o)++ = d;
    *pp = p + 2;
    return true;
}

/* The string whose opening quote is at ps->p; ps->p ends past the closing
 * one. Its value: a pointer into the line when it has no escapes; decoded
 * into the scratch when it has and `mode` has STR_KEEP; else *s is NULL. */
static bool scan_string(parser *ps, unsigned mode, const char **s, size_t *n)
{
    const char *body = ps->p + 1, *p = body, *run = body, *end = ps->end;
    char *o = NULL;
    bool escaped = false;
    for (;;) {
        p = skip_chars(p, end);
        if (p == end)
            return fail(ps, end, "unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c >= 0x80)
            return fail(ps, p, "invalid UTF-8 byte 0x%02x", c);
        if (c < 0x20)
            return fail(ps, p, "control character 0x%02x in a string", c);
        if (!escaped) {
            escaped = true;
            o = (mode & STR_KEEP) ? ps->out : NULL;
        }
        if (o) {
            memcpy(o, run, (size_t)(p - run));
            o += p - run;
        }
        if (!decode_escape(ps, &p, &o, mode))
            return false;
        run = p;
    }
    ps->decoded = escaped && o;
    if (!escaped) {
        *s = body;
        *n = (size_t)(p - body);
    } else if (o) {
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        *s = ps->out;
        *n = (size_t)(o - ps->out);
        ps->out = o;
    } else {
        *s = NULL;
        *n = 0;
    }
    ps->p = p + 1;
    return true;
}

/* Does the integer of `n` digits at `d` fit int64 (negated if `neg`)? */
static bool int_fits(const char *d, size_t n, bool neg)
{
    if (n != 19)
        return n < 19;
    return memcmp(d, neg ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* Does the real with integer digits [is, ie), fraction digits [fs, fe) and
 * decimal exponent `exp` overflow a double, as strtod() would find (jansson
 * rejects "real number overflow")? Only values within a factor of ten of
 * DBL_MAX reach strtod(), given their significant digits without a decimal
 * point (so the locale does not matter). */
static bool real_overflows(const char *is, const char *ie, const char *fs, const char *fe,
                           long long exp)
{
    /* the value is 0.d1d2d3... x 10^k, d1 its first non-zero digit */
    long long k;
    const char *q = is;
    while (q < ie && *q == '0')
        q++;
    if (q < ie) {
        k = (long long)(ie - q) + exp;
    } else {
        q = fs;
        while (q < fe && *q == '0')
            q++;
        if (q == fe)
            return false; /* zero */
        k = exp - (long long)(q - fs);
    }
    if (k <= 308)
        return false; /* below 1e308 < DBL_MAX */
    if (k >= 310)
        return true; /* at least 1e309 */
    /* Up to 400 significant digits, then a sticky 1 if any later digit is
     * not zero: the overflow threshold (2^1024 - 2^970) has 309 digits, so
     * this rounds as the whole would. */
    char buf[420];
    size_t n = 0;
    bool sticky = false;
    bool in_int = q >= is && q < ie;
    const char *runs[2][2] = {{q, in_int ? ie : fe}, {in_int ? fs : fe, fe}};
    for (int r = 0; r < 2; r++) {
        for (const char *a = runs[r][0]; a < runs[r][1]; a++) {
            if (n < 400)
                buf[n++] = *a;
            else if (*a != '0')
                sticky = true;
        }
    }
    if (sticky)
        buf[n++] = '1';
    snprintf(buf + n, sizeof buf - n, "e%d", 309 - (int)n);
    errno = 0;
    double v = strtod(buf, NULL);
    return v == HUGE_VAL && errno == ERANGE;
}

/* The number at ps->p. *is_int: no fraction and no exponent. */
static bool scan_number(parser *ps, bool *is_int)
{
    const char *p = ps->p, *end = ps->end, *start = p;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    const char *is = p;
    if (p == end || !is_digit((unsigned char)*p))
        return fail(ps, p, "invalid number: a digit expected");
    if (*p == '0') {
        p++;
        if (p < end && is_digit((unsigned char)*p))
            return fail(ps, start, "invalid number: leading zero");
    } else {
        while (p < end && is_digit((unsigned char)*p))
            p++;
    }
    const char *ie = p;
    if (p == end || (*p != '.' && *p != 'e' && *p != 'E')) {
        if (!int_fits(is, (size_t)(ie - is), neg))
            return fail(ps, start, "integer out of range (int64)");
        *is_int = true;
        ps->p = p;
        return true;
    }
    const char *fs = p, *fe = p;
    if (*p == '.') {
        fs = ++p;
        if (p == end || !is_digit((unsigned char)*p))
            return fail(ps, p, "invalid number: a digit expected after '.'");
        while (p < end && is_digit((unsigned char)*p))
            p++;
        fe = p;
    }
    long long exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        bool eneg = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || !is_digit((unsigned char)*p))
            return fail(ps, p, "invalid number: a digit expected in the exponent");
        for (; p < end && is_digit((unsigned char)*p); p++)
            if (exp < 1000000000000000LL) /* saturate: far past any line length */
                exp = exp * 10 + (*p - '0');
        if (eneg)
            exp = -exp;
    }
    if (real_overflows(is, ie, fs, fe, exp))
        return fail(ps, start, "real number overflow");
    *is_int = false;
    ps->p = p;
    return true;
}

/* true, false or null at ps->p: the word, not followed by another letter. */
static bool scan_literal(parser *ps, const char *word, size_t n)
{
    const char *p = ps->p;
    if ((size_t)(ps->end - p) < n || memcmp(p, word, n) != 0 ||
        (p + n < ps->end && is_alpha((unsigned char)p[n])))
        return fail(ps, p, "invalid token");
    ps->p = p + n;
    return true;
}

/* A string, number or literal at ps->p (not at the end). */
static bool skip_scalar(parser *ps)
{
    const char *s;
    size_t n;
    bool is_int;
    switch (*ps->p) {
    case '"':
        return scan_string(ps, 0, &s, &n);
    case 't':
        return scan_literal(ps, "true", 4);
    case 'f':
        return scan_literal(ps, "false", 5);
    case 'n':
        return scan_literal(ps, "null", 4);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return scan_number(ps, &is_int);
    default:
        return fail(ps, ps->p, "a value expected");
    }
}

/* An object key at ps->p, then ':'; ps->p ends at the value. */
static bool member_key(parser *ps)
{
    const char *s;
    size_t n;
    if (ps->p == ps->end || *ps->p != '"')
        return fail(ps, ps->p, "a string key or '}' expected");
    if (!scan_string(ps, STR_KEY, &s, &n))
        return false;
    ps->p = skip_ws(ps->p, ps->end);
    if (ps->p == ps->end || *ps->p != ':')
        return fail(ps, ps->p, "':' expected");
    ps->p = skip_ws(ps->p + 1, ps->end);
    return true;
}

/* Skip the value at ps->p, which sits `depth` values deep (the top level is
 * 1); ps->p ends just past it. Iterative: kind[d] is '{' or '[' for each
 * open container at depth d. */
static bool skip_value(parser *ps, unsigned depth)
{
    unsigned char kind[CLI_JSONL_MAX_DEPTH + 1];
    const unsigned base = depth;
    const char *end = ps->end;
    for (;;) {
        /* ps->p: the first byte of a value at `depth` */
        if (depth > CLI_JSONL_MAX_DEPTH)
            return fail(ps, ps->p, "nested more than %d deep", CLI_JSONL_MAX_DEPTH);
        if (ps->p == end)
            return fail(ps, end, "a value expected");
        unsigned char c = (unsigned char)*ps->p;
        bool done;
        if (c == '{' || c == '[') {
            kind[depth] = c;
            ps->p = skip_ws(ps->p + 1, end);
            done = ps->p < end && *ps->p == (c == '{' ? '}' : ']');
            if (done) {
                ps->p++;
            } else {
                if (c == '{' && !member_key(ps))
                    return false;
                depth++;
            }
        } else {
            if (!skip_scalar(ps))
                return false;
            done = true;
        }
        /* close the containers this value completes; stop at the next value */
        while (done) {
            if (depth == base)
                return true;
            depth--;
            unsigned char k = kind[depth];
            char close = k == '{' ? '}' : ']';
            ps->p = skip_ws(ps->p, end);
            if (ps->p < end && *ps->p == ',') {
                ps->p = skip_ws(ps->p + 1, end);
                if (k == '{' && !member_key(ps))
                    return false;
                depth++;
                done = false;
            } else if (ps->p < end && *ps->p == close) {
                ps->p++;
            } else {
                return fail(ps, ps->p, "',' or '%c' expected", close);
            }
        }
    }
}

/* The value of "id", "text" or "lang" (depth 2); `nul` for "lang": keep a
 * NUL-terminated copy in the scratch. */
static bool field_value(parser *ps, field *f, bool nul)
{
    if (ps->p == ps->end)
        return fail(ps, ps->end, "a value expected");
    const char *start = ps->p;
    char c = *start;
    if (c == '"') {
        const char *s;
        size_t n;
        if (!scan_string(ps, STR_KEEP, &s, &n))
            return false;
        if (nul) {
            /* An escaped value was decoded just below ps->out, at least one
             * byte shorter than its source: room for the NUL. A plain one
             * is copied: no longer than its source plus quotes. */
            if (!ps->decoded) {
                memcpy(ps->out, s, n);
                s = ps->out;
                ps->out += n;
            }
            *ps->out++ = '\0';
        }
        *f = (field){F_STRING, s, n};
        return true;
    }
    if (c == '-' || is_digit((unsigned char)c)) {
        bool is_int;
        if (!scan_number(ps, &is_int))
            return false;
        *f = (field){is_int ? F_INTEGER : F_OTHER, start, (size_t)(ps->p - start)};
        return true;
    }
    if (c == 'n') {
        if (!scan_literal(ps, "null", 4))
            return false;
        *f = (field){F_NULL, NULL, 0};
        return true;
    }
    if (!skip_value(ps, 2))
        return false;
    *f = (field){F_OTHER, NULL, 0};
    return true;
}

/*---- The line --------------------------------------------------------------*/

/* The top-level object; ps->p at its '{'. */
static bool parse_object(parser *ps, field *id, field *text, field *lang, field *raw[2],
                         unsigned counts[2])
{
    const char *end = ps->end;
    ps->p = skip_ws(ps->p + 1, end);
    if (ps->p < end && *ps->p == '}') {
        ps->p++;
        return true;
    }
    for (;;) {
        if (ps->p == end || *ps->p != '"')
            return fail(ps, ps->p, "a string key or '}' expected");
        /* decode an escaped key just to compare it, then give the room back */
        char *mark = ps->out;
        const char *k;
        size_t kn;
        if (!scan_string(ps, STR_KEY | STR_KEEP, &k, &kn))
            return false;
        field *f = NULL, *r = NULL;
        if (kn == 5 && !memcmp(k, "links", 5))
            r = raw[0];
        else if (kn == 12 && !memcmp(k, "image_hashes", 12))
            r = raw[1];
        else if (kn == 2 && !memcmp(k, "id", 2))
            f = id;
        else if (kn == 4 && !memcmp(k, "text", 4))
            f = text;
        else if (kn == 4 && !memcmp(k, "lang", 4))
            f = lang;
        ps->out = mark;
        counts[0]++;
        counts[1] += f != NULL;
        ps->p = skip_ws(ps->p, end);
        if (ps->p == end || *ps->p != ':')
            return fail(ps, ps->p, "':' expected");
        ps->p = skip_ws(ps->p + 1, end);
        const char *start = ps->p;
        if (!(f ? field_value(ps, f, f == lang) : skip_value(ps, 2)))
            return false;
        if (r) /* validated JSON, read by the caller only when it is there */
            *r = (field){F_OTHER, start, (size_t)(ps->p - start)};
        ps->p = skip_ws(ps->p, end);
        if (ps->p < end && *ps->p == ',') {
            ps->p = skip_ws(ps->p + 1, end);
        } else if (ps->p < end && *ps->p == '}') {
            ps->p++;
            return true;
        } else {
            return fail(ps, ps->p, "',' or '}' expected");
        }
    }
}

cli_jsonl_status cli_jsonl_parse(cli_jsonl *j, const char *line, size_t len, cli_jsonl_item *out,
                                 cli_jsonl_error *err)
{
    /* Decoded strings never outgrow their source (with its quotes), so one
     * line's worth of scratch is enough for all of them. */
    if (j->cap < len + 1) {
        size_t cap = j->cap * 2 > len + 1 ? j->cap * 2 : len + 1;
        if (cap < SCRATCH_MIN)
            cap = SCRATCH_MIN;
        char *b = realloc(j->buf, cap);
        if (!b)
            return refuse(err, CLI_JSONL_ENOMEM, "out of memory");
        j->buf = b;
        j->cap = cap;
    }
    parser ps = {.line = line, .p = line, .end = line + len, .out = j->buf, .err = err};
    field id = {0}, text = {0}, lang = {0}, links = {0}, hashes = {0};
    field *raw[2] = {&links, &hashes};
    unsigned counts[2] = {0, 0};
    ps.p = skip_ws(ps.p, ps.end);
    bool ok, array = ps.p < ps.end && *ps.p == '[';
    if (array)
        ok = skip_value(&ps, 1);
    else if (ps.p < ps.end && *ps.p == '{')
        ok = parse_object(&ps, &id, &text, &lang, raw, counts);
    else
        ok = ps.p == ps.end ? fail(&ps, line, "empty line") : fail(&ps, ps.p, "'{' expected");
    if (ok) {
        ps.p = skip_ws(ps.p, ps.end);
        if (ps.p != ps.end)
            ok = fail(&ps, ps.p, "nothing but whitespace may follow the object");
    }
    if (!ok) {
        if (err)
            err->column = column_of(line, ps.where);
        return CLI_JSONL_EJSON;
    }
    if (array)
        return refuse(err, CLI_JSONL_ENOTOBJECT, "expected a JSON object");
    if (id.type != F_STRING && id.type != F_INTEGER)
        return refuse(err, CLI_JSONL_EID, "'id' is missing or not a string or integer");
    if (text.type != F_STRING)
        return refuse(err, CLI_JSONL_ETEXT, "'text' is missing or not a string");
    if (lang.type != F_ABSENT && lang.type != F_NULL && lang.type != F_STRING)
        return refuse(err, CLI_JSONL_ELANG, "'lang' is not a string");
    *out = (cli_jsonl_item){
        .id = id.s,
        .id_len = id.n,
        .id_is_string = id.type == F_STRING,
        .text = text.s,
        .text_len = text.n,
        .lang = lang.type == F_STRING ? lang.s : NULL,
        .lang_len = lang.type == F_STRING ? lang.n : 0,
        .links = links.s,
        .links_len = links.n,
        .image_hashes = hashes.s,
        .image_hashes_len = hashes.n,
        .members = counts[0],
        .id_text_lang = counts[1],
    };
    if (id.type == F_INTEGER && id.n == 2 && !memcmp(id.s, "-0", 2)) {
        out->id = "0";
        out->id_len = 1;
    }
    return CLI_JSONL_OK;
}

void cli_jsonl_free(cli_jsonl *j)
{
    free(j->buf);
    *j = (cli_jsonl){0};
}
