/*
 * multipart.c - multipart/form-data, parsed in place (contract in
 * multipart.h). One forward pass: find the first delimiter line, then for
 * each part its header block and the next delimiter; every span is checked
 * against the body's end before it is read.
 */
#define _GNU_SOURCE /* memmem: the delimiter search */
#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool bchar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("'()+_,-./:=? ", c) != NULL);
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A parameter value at *pp (quoted-string or token) into out[size]; moves *pp past it.
 * false if malformed or too long. */
static bool param_value(const char **pp, const char *end, char *out, size_t size)
{
    const char *p = *pp;
    size_t n = 0;
    if (p < end && *p == '"') {
        for (p++;; p++) {
            if (p >= end)
                return false; /* unterminated */
            if (*p == '"')
                break;
            if (*p == '\\' && p + 1 < end)
                p++;
            if ((unsigned char)*p < 0x20 || *p == 0x7f || n + 1 >= size)
                return false;
            out[n++] = *p;
        }
        p++;
    } else {
        for (; p < end && *p != ';' && *p != ' ' && *p != '\t'; p++) {
            if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"' || n + 1 >= size)
                return false;
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    *pp = p;
    return true;
}

ar_status ar_multipart_boundary(const char *ct, char *boundary, ar_error *err)
{
    static const char type[] = "multipart/form-data";
    boundary[0] = '\0';
    if (!ct)
        return ar_error_set(err, AR_EINVAL, "content-type",
                            "a multipart/form-data body is required (no Content-Type header)");
    const char *p = skip_ws(ct), *end = ct + strlen(ct);
    if (strncasecmp(p, type, sizeof type - 1) != 0 ||
        (p[sizeof type - 1] && p[sizeof type - 1] != ';' && p[sizeof type - 1] != ' '))
        return ar_error_set(err, AR_EINVAL, "content-type",
                            "the body must be multipart/form-data with the file in one part");
    p += sizeof type - 1;
    while (*(p = skip_ws(p)) == ';') {
        p = skip_ws(p + 1);
        const char *eq = strchr(p, '=');
        if (!eq)
            break;
        bool is_boundary = (size_t)(eq - p) == 8 && !strncasecmp(p, "boundary", 8);
        char v[AR_MULTIPART_BOUNDARY_MAX + 2];
        p = eq + 1;
        if (!param_value(&p, end, v, sizeof v)) {
            if (is_boundary)
                return ar_error_set(err, AR_EINVAL, "content-type",
                                    "the multipart boundary is malformed or over %d characters",
                                    AR_MULTIPART_BOUNDARY_MAX);
            return ar_error_set(err, AR_EINVAL, "content-type",
                                "a Content-Type parameter is malformed");
        }
        if (!is_boundary)
            continue;
        size_t n = strlen(v);
        bool ok = n >= 1 && n <= AR_MULTIPART_BOUNDARY_MAX && v[n - 1] != ' ';
        for (size_t i = 0; ok && i < n; i++)
            ok = bchar(v[i]);
        if (!ok)
            return ar_error_set(err, AR_EINVAL, "content-type",
                                "the multipart boundary must be 1 to %d characters of RFC 2046's "
                                "set",
                                AR_MULTIPART_BOUNDARY_MAX);
        memcpy(boundary, v, n + 1);
        return AR_OK;
    }
    return ar_error_set(err, AR_EINVAL, "content-type",
                        "the multipart/form-data Content-Type has no boundary parameter");
}

/* One header line of a part; fills `part` from Content-Disposition. */
static ar_status part_header(const char *line, size_t n, ar_multipart_part *part, bool *seen_cd,
                             ar_error *err)
{
    const char *colon = memchr(line, ':', n);
    if (!colon || colon == line)
        return ar_error_set(err, AR_EINVAL, "body", "a part's header line has no name");
    for (const char *c = line; c < colon; c++)
        if (*c <= ' ' || *c >= 0x7f)
            return ar_error_set(err, AR_EINVAL, "body",
                                "a part's header name is not a token (folded header lines are "
                                "not accepted)");
    static const char cd[] = "content-disposition";
    if ((size_t)(colon - line) != sizeof cd - 1 || strncasecmp(line, cd, sizeof cd - 1) != 0)
        return AR_OK; /* Content-Type and the rest: not needed */
    if (*seen_cd)
        return ar_error_set(err, AR_EINVAL, "body", "a part has two Content-Disposition headers");
    *seen_cd = true;
    const char *p = skip_ws(colon + 1), *end = line + n;
    if ((size_t)(end - p) < 9 || strncasecmp(p, "form-data", 9) != 0)
        return ar_error_set(err, AR_EINVAL, "body", "a part's Content-Disposition is not form-data");
    p += 9;
    bool named = false;
    while (p < end) {
        p = skip_ws(p);
        if (p >= end)
            break;
        if (*p != ';')
            return ar_error_set(err, AR_EINVAL, "body", "a Content-Disposition is malformed");
        p = skip_ws(p + 1);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq)
            return ar_error_set(err, AR_EINVAL, "body",
                                "a Content-Disposition parameter has no value");
        size_t kn = (size_t)(eq - p);
        bool is_name = kn == 4 && !strncasecmp(p, "name", 4);
        bool is_file = (kn == 8 && !strncasecmp(p, "filename", 8)) ||
                       (kn == 9 && !strncasecmp(p, "filename*", 9));
        char v[1024]; /* a filename is read past, never kept */
        p = eq + 1;
        if (!param_value(&p, end, v, is_name ? AR_MULTIPART_NAME_MAX + 1 : sizeof v))
            return ar_error_set(err, AR_EINVAL, "body",
                                is_name ? "a part's field name is malformed or over 64 bytes"
                                        : "a Content-Disposition parameter is malformed");
        if (is_name) {
            if (named || !v[0])
                return ar_error_set(err, AR_EINVAL, "body",
                                    named ? "a part names its field twice"
                                          : "a part's field name is empty");
            memcpy(part->name, v, strlen(v) + 1);
            named = true;
        }
        part->is_file |= is_file;
    }
    if (!named)
        return ar_error_set(err, AR_EINVAL, "body", "a part's Content-Disposition has no name");
    return AR_OK;
}

/* The header block [h, h + n): every line, and a Content-Disposition. */
static ar_status part_headers(const char *h, size_t n, ar_multipart_part *part, ar_error *err)
{
    bool seen_cd = false;
    for (const char *p = h, *end = h + n; p < end;) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        size_t ln = eol ? (size_t)(eol - p) : (size_t)(end - p);
        ar_status st = part_header(p, ln, part, &seen_cd, err);
        if (st != AR_OK)
            return st;
        p += ln + (eol ? 2 : 0);
    }
    if (!seen_cd)
        return ar_error_set(err, AR_EINVAL, "body", "a part has no Content-Disposition header");
    return AR_OK;
}

static ar_status parse(const char *body, size_t len, const char *boundary, ar_multipart *out,
                       ar_error *err)
{
    char delim[AR_MULTIPART_BOUNDARY_MAX + 5]; /* CRLF "--" boundary */
    size_t bl = strlen(boundary);
    if (bl == 0 || bl > AR_MULTIPART_BOUNDARY_MAX)
        return ar_error_set(err, AR_EINVAL, "content-type", "bad multipart boundary");
    size_t dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    /* the first delimiter: at the very start, or after a preamble's CRLF */
    size_t pos;
    if (len >= dl - 2 && !memcmp(body, delim + 2, dl - 2)) {
        pos = dl - 2;
    } else {
        const char *f = memmem(body, len, delim, dl);
        if (!f)
            return ar_error_set(err, AR_EINVAL, "body",
                                "the body has no line with the multipart boundary");
        pos = (size_t)(f - body) + dl;
    }
    for (;;) { /* pos: just past a delimiter */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            break; /* the close delimiter; the epilogue is ignored */
        while (pos < len && (body[pos] == ' ' || body[pos] == '\t'))
            pos++;
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
            return ar_error_set(err, AR_EINVAL, "body",
                                "a multipart boundary line is not followed by CRLF (or the body "
                                "ends without the closing boundary)");
        pos += 2;
        if (out->n == AR_MULTIPART_MAX_PARTS)
            return ar_error_set(err, AR_ETOOBIG, "body", "over %d parts in the multipart body",
                                AR_MULTIPART_MAX_PARTS);
        ar_multipart_part *part = &out->parts[out->n];
        size_t hlen, dstart;
        if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
            hlen = 0; /* no headers at all: refused below */
            dstart = pos + 2;
        } else {
            size_t window = len - pos;
            if (window > AR_MULTIPART_HEADERS_MAX + 4)
                window = AR_MULTIPART_HEADERS_MAX + 4;
            const char *e = memmem(body + pos, window, "\r\n\r\n", 4);
            if (!e)
                return window > AR_MULTIPART_HEADERS_MAX
                           ? ar_error_set(err, AR_ETOOBIG, "body",
                                          "a part's headers are over %d bytes",
                                          AR_MULTIPART_HEADERS_MAX)
                           : ar_error_set(err, AR_EINVAL, "body",
                                          "a part's headers do not end (no blank line)");
            hlen = (size_t)(e - (body + pos));
            dstart = pos + hlen + 4;
        }
        ar_status st = part_headers(body + pos, hlen, part, err);
        if (st != AR_OK)
            return st;
        const char *next = memmem(body + dstart, len - dstart, delim, dl);
        if (!next)
            return ar_error_set(err, AR_EINVAL, "body",
                                "the multipart body ends before the closing boundary");
        part->data = body + dstart;
        part->len = (size_t)(next - (body + dstart));
        out->n++;
        pos = (size_t)(next - body) + dl;
    }
    if (out->n == 0)
        return ar_error_set(err, AR_EINVAL, "body", "the multipart body has no parts");
    return AR_OK;
}

ar_status ar_multipart_parse(const char *body, size_t len, const char *boundary, ar_multipart *out,
                             ar_error *err)
{
    memset(out, 0, sizeof *out);
    if (!body || !boundary)
        return ar_error_set(err, AR_EINVAL, "body", "a multipart/form-data body is required");
    ar_status st = parse(body, len, boundary, out, err);
    if (st != AR_OK)
        memset(out, 0, sizeof *out);
    return st;
}

const ar_multipart_part *ar_multipart_get(const ar_multipart *m, const char *name)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (!strcmp(m->parts[i].name, name))
            return &m->parts[i];
    return NULL;
}
