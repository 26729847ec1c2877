/*
 * canon.c - URL canonicalisation as Google Safe Browsing specifies it (the
 * steps are listed in arbiter/url.h). Every buffer here is on the stack and
 * bounded by AR_URL_MAX_BYTES: nothing allocates, so a check of a link
 * costs no malloc and cannot fail for memory.
 */
#include "url_int.h"

#include "arbiter/text.h"

#include <stdio.h>
#include <strings.h>
#include <unicode/uidna.h>

#define HOST_MAX    1024u /* a host after unescaping and punycode; DNS allows 253 */
#define HOST_ESCAPE ":/?@[]\\" /* would split the authority differently if left bare */

/* A byte string under construction with a hard ceiling. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool over;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->over || n > b->cap - b->n) {
        b->over = true;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void putc1(sbuf *b, char c)
{
    put(b, &c, 1);
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One pass of %XX decoding in place; returns the new length. */
static size_t unescape_once(char *s, size_t n, bool *changed)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n && (h = hexval((unsigned char)s[i + 1])) >= 0 &&
            (l = hexval((unsigned char)s[i + 2])) >= 0) {
            s[o++] = (char)(h * 16 + l);
            i += 2;
            *changed = true;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

/* Until nothing changes: "%2525" -> "%25" -> "%". Each pass shortens the
 * string, so this ends within n/2 passes. */
static size_t unescape_all(char *s, size_t n)
{
    bool changed = true;
    while (changed) {
        changed = false;
        n = unescape_once(s, n, &changed);
    }
    return n;
}

/* Escape what Safe Browsing escapes, plus the bytes in `extra` that would
 * change how the URL splits when read again (':' '/' '?' '@' in a host,
 * '?' in a path), so a canonical URL canonicalises to itself. */
static void escape_into(sbuf *b, const char *s, size_t n, const char *extra)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '#' || c == '%' || (c && strchr(extra, c))) {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            put(b, e, 3);
        } else {
            putc1(b, (char)c);
        }
    }
}

/*---- Host -------------------------------------------------------------------*/

/* One part of an IPv4 address in C notation: 0x.. hex, 0.. octal, else
 * decimal. false if it is none of them or above `max`. */
static bool ip_part(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    unsigned base = 10;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    } else if (n >= 2 && s[0] == '0') {
        base = 8;
        s++;
        n--;
    }
    if (n == 0 && base != 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hexval((unsigned char)s[i]);
        if (d < 0 || (unsigned)d >= base)
            return false;
        v = v * base + (unsigned)d;
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* "3279880203", "0xc3.0x7f.11", "195.127.0.11" -> "195.127.0.11" in out[16]. */
static bool ipv4_normalize(const char *h, size_t n, char out[16])
{
    size_t start[4], len[4], parts = 0, i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && h[j] != '.')
            j++;
        if (parts == 4)
            return false;
        start[parts] = i;
        len[parts++] = j - i;
        i = j + 1;
    }
    uint64_t v = 0, part;
    for (size_t k = 0; k < parts; k++) {
        bool last = k + 1 == parts;
        uint64_t max = last ? (1ull << (8 * (5 - parts))) - 1 : 255;
        if (!ip_part(h + start[k], len[k], max, &part))
            return false;
        v = last ? (v << (8 * (5 - parts))) | part : (v << 8) | part;
    }
    snprintf(out, 16, "%u.%u.%u.%u", (unsigned)(v >> 24) & 255, (unsigned)(v >> 16) & 255,
             (unsigned)(v >> 8) & 255, (unsigned)v & 255);
    return true;
}

static bool utf8_valid_nonascii(const char *s, size_t n)
{
    bool high = false;
    for (size_t i = 0; i < n; i++)
        high |= (unsigned char)s[i] >= 0x80;
    return high && ar_text_utf8_valid(s, n);
}

/* Strip dots at the ends, collapse runs, lowercase ASCII. */
static size_t host_dots_case(char *h, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == '.' && (o == 0 || h[o - 1] == '.'))
            continue;
        h[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    while (o && h[o - 1] == '.')
        o--;
    return o;
}

/* A non-ASCII host to punycode (UTS #46, nontransitional as browsers do,
 * STD3 rules: letters, digits and '-' only, so no '%' left over from the
 * unescaping can meet ASCII hex digits once the non-ASCII letters are
 * gone). false (and the host is escaped byte by byte instead) when ICU
 * refuses it. */
static bool host_idn(const char *h, size_t n, char *out, size_t size, size_t *outlen)
{
    UErrorCode ec = U_ZERO_ERROR;
    UIDNA *idna = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_USE_STD3_RULES, &ec);
    if (U_FAILURE(ec))
        return false;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t got = uidna_nameToASCII_UTF8(idna, h, (int32_t)n, out, (int32_t)size - 1, &info, &ec);
    uidna_close(idna);
    if (U_FAILURE(ec) || info.errors != 0 || got <= 0 || (size_t)got >= size)
        return false;
    out[got] = '\0';
    *outlen = (size_t)got;
    return true;
}

static ar_status host_canon(char *h, size_t n, sbuf *out, ar_error *err)
{
    n = unescape_all(h, n);
    n = host_dots_case(h, n);
    if (n == 0)
        return ar_error_set(err, AR_EINVAL, "host", "the URL has no host");
    char ip[16], idn[HOST_MAX];
    size_t idn_len = 0;
    if (ipv4_normalize(h, n, ip)) {
        put(out, ip, strlen(ip));
    } else if (utf8_valid_nonascii(h, n) && host_idn(h, n, idn, sizeof idn, &idn_len)) {
        idn_len = host_dots_case(idn, idn_len);
        escape_into(out, idn, idn_len, HOST_ESCAPE);
    } else {
        escape_into(out, h, n, HOST_ESCAPE);
    }
    return AR_OK;
}

/*---- Path -------------------------------------------------------------------*/

/* Resolve "." and "..", collapse "//"; keeps a trailing '/' (and adds one
 * after a final "." or ".."). */
static void path_canon(const char *p, size_t n, sbuf *out)
{
    uint16_t segs[AR_URL_MAX_BYTES / 2 + 2][2];
    size_t nseg = 0, i = 0;
    bool dir = true; /* does the result end in a folder? */
    while (i < n) {
        while (i < n && p[i] == '/')
            i++;
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        size_t len = j - i;
        if (len == 0) {
            dir = true;
        } else if (len == 1 && p[i] == '.') {
            dir = true;
        } else if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
            if (nseg)
                nseg--;
            dir = true;
        } else {
            segs[nseg][0] = (uint16_t)i;
            segs[nseg++][1] = (uint16_t)len;
            dir = j < n; /* a '/' follows */
        }
        i = j;
    }
    for (size_t k = 0; k < nseg; k++) {
        putc1(out, '/');
        escape_into(out, p + segs[k][0], segs[k][1], "?");
    }
    if (nseg == 0 || dir)
        putc1(out, '/');
}

/*---- The URL -----------------------------------------------------------------*/

/* The scheme, if the URL starts with one followed by "://": its length. */
static size_t scheme_len(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
        return 0;
    while (i < n && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
                     (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    return i + 3 <= n && !memcmp(s + i, "://", 3) ? i : 0;
}

static ar_status port_check(const char *p, size_t n, ar_error *err)
{
    unsigned v = 0;
    if (n > 5)
        return ar_error_set(err, AR_EINVAL, "port", "the URL's port is not a number 1-65535");
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return ar_error_set(err, AR_EINVAL, "port", "the URL's port is not a number 1-65535");
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if (n && (v == 0 || v > 65535))
        return ar_error_set(err, AR_EINVAL, "port", "the URL's port is not a number 1-65535");
    return AR_OK;
}

/* Split the authority: drop "user@", check and drop the port; the host's
 * bytes are copied to h (unescaped later). */
static ar_status authority(const char *a, size_t n, char *h, size_t *hn, ar_error *err)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) {
        n -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    if (n && a[0] == '[')
        return ar_error_set(err, AR_EINVAL, "host", "IPv6 addresses are not supported in URLs");
    size_t colon = n;
    for (size_t i = 0; i < n; i++)
        if (a[i] == ':')
            colon = i;
    if (colon < n) {
        ar_status st = port_check(a + colon + 1, n - colon - 1, err);
        if (st != AR_OK)
            return st;
    }
    memcpy(h, a, colon);
    *hn = colon;
    return AR_OK;
}

ar_status ar_url_canonicalize(const char *url, size_t len, char *out, size_t size, ar_error *err)
{
    if ((!url && len) || !out || size == 0)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_url_canonicalize: NULL argument");
    out[0] = '\0';
    if (len > AR_URL_MAX_BYTES)
        return ar_error_set(err, AR_ETOOBIG, "url", "a URL is %zu bytes, over the limit of %u",
                            len, AR_URL_MAX_BYTES);
    char s[AR_URL_MAX_BYTES + 1], host[AR_URL_MAX_BYTES + 1], rest[AR_URL_MAX_BYTES + 1];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) /* tab, CR and LF vanish anywhere */
        if (url[i] != '\t' && url[i] != '\r' && url[i] != '\n')
            s[n++] = url[i];
    size_t b = 0;
    while (b < n && (unsigned char)s[b] <= 0x20)
        b++;
    while (n > b && (unsigned char)s[n - 1] <= 0x20)
        n--;
    const char *u = s + b;
    n -= b;
    const char *hash = memchr(u, '#', n);
    if (hash)
        n = (size_t)(hash - u);
    if (n == 0)
        return ar_error_set(err, AR_EINVAL, "url", "the URL is empty");

    sbuf o = {out, 0, size - 1, false};
    size_t sl = scheme_len(u, n);
    if (sl == 4 && !strncasecmp(u, "http", 4))
        put(&o, "http://", 7);
    else if (sl == 5 && !strncasecmp(u, "https", 5))
        put(&o, "https://", 8);
    else if (sl)
        return ar_error_set(err, AR_EINVAL, "url", "only http and https URLs can be checked");
    if (sl) {
        u += sl + 3;
        n -= sl + 3;
    } else {
        put(&o, "http://", 7); /* "www.example.com/x" */
    }
    size_t alen = 0;
    while (alen < n && u[alen] != '/' && u[alen] != '?')
        alen++;
    size_t hn = 0;
    ar_status st = authority(u, alen, host, &hn, err);
    if (st == AR_OK)
        st = host_canon(host, hn, &o, err);
    if (st != AR_OK) {
        out[0] = '\0';
        return st;
    }
    /* path and query: split before unescaping, so an escaped '?' stays in the path */
    const char *pq = u + alen;
    size_t pqn = n - alen, plen = 0;
    while (plen < pqn && pq[plen] != '?')
        plen++;
    memcpy(rest, pq, plen);
    path_canon(rest, unescape_all(rest, plen), &o);
    if (plen < pqn) {
        size_t qn = pqn - plen - 1;
        memcpy(rest, pq + plen + 1, qn);
        putc1(&o, '?');
        escape_into(&o, rest, unescape_all(rest, qn), "");
    }
    if (o.over) {
        out[0] = '\0';
        return ar_error_set(err, AR_ETOOBIG, "url", "the canonical URL is over %zu bytes",
                            size - 1);
    }
    out[o.n] = '\0';
    return AR_OK;
}

bool ar__url_split(const char *canon, ar__url_parts *p)
{
    const char *s = strstr(canon, "://");
    if (!s)
        return false;
    p->host = s + 3;
    const char *slash = strchr(p->host, '/');
    if (!slash || slash == p->host)
        return false;
    p->host_len = (size_t)(slash - p->host);
    p->path = slash;
    const char *q = strchr(slash, '?');
    p->path_len = q ? (size_t)(q - slash) : strlen(slash);
    p->query = q ? q + 1 : NULL;
    p->query_len = q ? strlen(q + 1) : 0;
    return true;
}

ar_status ar_url_expression_of(const char *entry, size_t len, char *out, size_t size,
                               ar_error *err)
{
    char canon[AR_URL_CANON_MAX];
    ar_status st = ar_url_canonicalize(entry, len, canon, sizeof canon, err);
    if (st != AR_OK)
        return st;
    const char *e = strstr(canon, "://") + 3;
    size_t n = strlen(e);
    if (n > AR_URL_EXPR_MAX || n >= size)
        return ar_error_set(err, AR_ETOOBIG, "value",
                            "the expression is %zu bytes, over the limit of %u", n,
                            AR_URL_EXPR_MAX);
    memcpy(out, e, n + 1);
    return AR_OK;
}
