/*
 * arbiter/url.h - URLs as Google Safe Browsing / Web Risk see them:
 * canonicalisation, the host-suffix / path-prefix lookup expressions, URLs
 * found inside a text, and a set of expressions to look URLs up in.
 *
 * Canonicalisation (ar_url_canonicalize), in order:
 *   - tab, CR and LF are removed; leading and trailing spaces trimmed;
 *   - the fragment (from the first '#') is dropped;
 *   - the scheme is lowercased; none given means http; only http and
 *     https are URLs here (anything else is AR_EINVAL);
 *   - user information ("user@") and the port are dropped (a port must be
 *     1..65535 digits); Safe Browsing's own table drops even :1234, and a
 *     lookup expression never carries one;
 *   - host and path+query are percent-unescaped until nothing changes;
 *   - host: leading and trailing dots stripped, runs of dots collapsed,
 *     lowercased; an IPv4 address in any legal form (decimal, octal, hex,
 *     fewer than four parts: "3279880203", "0x7f.1") becomes four decimal
 *     parts; a host of valid non-ASCII UTF-8 becomes punycode through ICU
 *     (uidna_nameToASCII_UTF8, UTS #46);
 *   - path: "." and ".." segments resolved, "//" collapsed; empty is "/";
 *     the query is kept as written (after unescaping);
 *   - bytes <= 0x20, >= 0x7f, '#' and '%' are escaped as %XX (uppercase).
 *
 * Expressions (ar_url_expressions): for "http://a.b.c/1/2.html?x=1" the
 * hosts are the exact host and up to four suffixes made from its last five
 * components, dropping leading ones (never the top-level domain alone; an
 * IP address only as itself); the paths are the exact path with query, the
 * exact path, and up to four prefixes from "/" adding one directory each.
 * At most 5 x 6 = 30, each "host/path", without scheme or port.
 *
 * A list entry (ar_url_expression_of) is such an expression: "evil.example/"
 * blocks the host and every subdomain and path under it,
 * "example.com/bad/path" that path (and, written with a trailing '/', the
 * folder under it); a full URL "https://Evil.Example/x?y#z" canonicalises to
 * its expression "evil.example/x?y".
 *
 * THREAD SAFETY: every function but the ar_url_set builders is reentrant.
 * An ar_url_set is built by one thread (ar_url_set_add, then
 * ar_url_set_freeze) and then read by any number (ar_url_set_lookup).
 */
#ifndef ARBITER_URL_H
#define ARBITER_URL_H

#include "arbiter/common.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_URL_MAX_BYTES   2048u /* a URL given to canonicalise (a link, an entry) */
#define AR_URL_CANON_MAX   (3u * AR_URL_MAX_BYTES + 16u) /* its canonical form, with NUL */
#define AR_URL_EXPR_MAX    256u  /* bytes of a list entry's expression */
#define AR_URL_MAX_EXPRS   30u   /* 5 hosts x 6 paths */
#define AR_URL_MAX_IN_TEXT 64u   /* URLs taken from one text; more are ignored */

/* The canonical URL ("http://host/path?query") of url[0..len), NUL-terminated
 * in out[size] (size >= AR_URL_CANON_MAX is always enough). AR_EINVAL names
 * what is wrong (scheme, host, port); AR_ETOOBIG past AR_URL_MAX_BYTES. */
AR_API AR_NODISCARD ar_status ar_url_canonicalize(const char *url, size_t len, char *out,
                                                  size_t size, ar_error *err);

/* The lookup expressions of a canonical URL (from ar_url_canonicalize), most
 * specific first and without repeats, into out->v (NUL-terminated strings in
 * out->buf). An expression over AR_URL_EXPR_MAX bytes is left out: no list
 * entry can hold one. Returns how many (0 if `canon` is not canonical). */
typedef struct ar_url_exprs {
    char buf[AR_URL_MAX_EXPRS * (AR_URL_EXPR_MAX + 1)];
    const char *v[AR_URL_MAX_EXPRS];
    size_t n;
} ar_url_exprs;
AR_API size_t ar_url_expressions(const char *canon, ar_url_exprs *out);

/* A list entry -> its expression (host/path[?query]) in out[size]. The entry
 * is an expression or a URL; AR_EINVAL as for ar_url_canonicalize, and
 * AR_ETOOBIG when the expression is over AR_URL_EXPR_MAX bytes. */
AR_API AR_NODISCARD ar_status ar_url_expression_of(const char *entry, size_t len, char *out,
                                                   size_t size, ar_error *err);

/* URLs written inside a text: "http://", "https://" (any case) and bare
 * "www." at the start of a word. A URL runs to whitespace, a control byte
 * or one of <>"'`, trailing punctuation (.,;:!?) and an unbalanced closing
 * bracket are left out, and it is cut at AR_URL_MAX_BYTES. */
typedef struct ar_url_span {
    uint32_t start, end; /* bytes of the text [start, end) */
} ar_url_span;
/* Up to `max` spans, in order, into out; returns how many. */
AR_API size_t ar_url_find(const char *text, size_t len, ar_url_span *out, size_t max);

/*---- URL sets --------------------------------------------------------------*/

typedef struct ar_url_set ar_url_set;

typedef struct ar_url_hit {
    uint32_t list;    /* the tag given to ar_url_set_add */
    const char *expr; /* the expression that matched (borrowed from the set) */
} ar_url_hit;

AR_API AR_NODISCARD ar_status ar_url_set_new(ar_ctx *ctx, ar_url_set **out, ar_error *err);
AR_API void ar_url_set_free(ar_url_set *s);
/* Add an expression (as ar_url_expression_of makes them) tagged `list`. */
AR_API AR_NODISCARD ar_status ar_url_set_add(ar_url_set *s, const char *expr, uint32_t list,
                                             ar_error *err);
/* Sort: no adds after this; lookups before it find nothing. */
AR_API void ar_url_set_freeze(ar_url_set *s);
AR_API size_t ar_url_set_size(const ar_url_set *s);
/* Every (list, expression) any expression of the canonical URL `canon`
 * matches, up to `max`, into hits; returns how many. */
AR_API size_t ar_url_set_lookup(const ar_url_set *s, const char *canon, ar_url_hit *hits,
                                size_t max);

#ifdef __cplusplus
}
#endif
#endif
