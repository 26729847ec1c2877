/*
 * expr.c - the host-suffix / path-prefix expressions Safe Browsing looks a
 * URL up by: at most 5 hosts x 6 paths (arbiter/url.h gives the rules).
 */
#include "url_int.h"

/* Is the host four decimal parts (what canonicalisation makes of any IPv4)? */
static bool is_ipv4(const char *h, size_t n)
{
    size_t dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '.')
            dots++;
        else if (h[i] < '0' || h[i] > '9')
            return false;
    }
    return dots == 3;
}

typedef struct piece {
    const char *s;
    size_t n;
} piece;

/* Hosts: exact, then suffixes of the last five components down to two. */
static size_t host_list(const char *h, size_t n, piece out[5])
{
    size_t k = 0;
    out[k++] = (piece){h, n};
    if (is_ipv4(h, n))
        return k;
    size_t starts[256], ncomp = 0;
    starts[ncomp++] = 0;
    for (size_t i = 0; i < n && ncomp < 256; i++)
        if (h[i] == '.')
            starts[ncomp++] = i + 1;
    size_t first = ncomp > 5 ? ncomp - 5 : 1; /* component to start the longest suffix at */
    for (size_t c = first; c + 1 < ncomp && k < 5; c++)
        out[k++] = (piece){h + starts[c], n - starts[c]};
    return k;
}

/* Paths: exact with query, exact, then "/" and up to three more folders. */
static size_t path_list(const ar__url_parts *p, piece out[6])
{
    size_t k = 0;
    if (p->query)
        out[k++] = (piece){p->path, p->path_len + 1 + p->query_len};
    out[k++] = (piece){p->path, p->path_len};
    size_t prefixes = 0;
    for (size_t i = 0; i < p->path_len && prefixes < 4 && k < 6; i++) {
        if (p->path[i] != '/')
            continue;
        prefixes++;
        if (i + 1 != p->path_len) /* not the exact path again */
            out[k++] = (piece){p->path, i + 1};
    }
    return k;
}

static bool seen(const ar_url_exprs *out, const char *s, size_t n)
{
    for (size_t i = 0; i < out->n; i++)
        if (strlen(out->v[i]) == n && !memcmp(out->v[i], s, n))
            return true;
    return false;
}

size_t ar_url_expressions(const char *canon, ar_url_exprs *out)
{
    ar__url_parts p;
    out->n = 0;
    if (!canon || !ar__url_split(canon, &p))
        return 0;
    piece hosts[5], paths[6];
    size_t nh = host_list(p.host, p.host_len, hosts), np = path_list(&p, paths), used = 0;
    for (size_t i = 0; i < nh; i++) {
        for (size_t j = 0; j < np; j++) {
            size_t n = hosts[i].n + paths[j].n;
            if (n > AR_URL_EXPR_MAX || used + n + 1 > sizeof out->buf)
                continue;
            char *e = out->buf + used;
            memcpy(e, hosts[i].s, hosts[i].n);
            memcpy(e + hosts[i].n, paths[j].s, paths[j].n);
            e[n] = '\0';
            if (seen(out, e, n))
                continue;
            out->v[out->n++] = e;
            used += n + 1;
        }
    }
    return out->n;
}
