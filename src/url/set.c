/*
 * set.c - a set of (expression, list) pairs, sorted once and searched by
 * bisection: a lookup costs at most 30 binary searches, whatever the
 * number of lists. Built by one thread, then read by any number.
 */
#include "url_int.h"

#include <stdlib.h>

#define SET_MAX_ENTRIES 100000000u

typedef struct entry {
    char *expr;
    uint32_t list;
} entry;

struct ar_url_set {
    ar_ctx *ctx;
    entry *v;
    size_t n, cap;
    bool frozen;
};

ar_status ar_url_set_new(ar_ctx *ctx, ar_url_set **out, ar_error *err)
{
    if (!ctx || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_url_set_new: NULL argument");
    *out = ar__calloc(ctx, 1, sizeof **out);
    if (!*out)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for a URL set");
    (*out)->ctx = ctx;
    return AR_OK;
}

void ar_url_set_free(ar_url_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        ar__free(s->ctx, s->v[i].expr);
    ar__free(s->ctx, s->v);
    ar__free(s->ctx, s);
}

ar_status ar_url_set_add(ar_url_set *s, const char *expr, uint32_t list, ar_error *err)
{
    if (!s || !expr)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_url_set_add: NULL argument");
    if (s->frozen)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_url_set_add: the set is frozen");
    ar_status st = ar__grow(s->ctx, (void **)&s->v, &s->cap, s->n + 1, sizeof *s->v,
                            SET_MAX_ENTRIES, err);
    if (st != AR_OK)
        return st;
    char *copy = ar__strdup(s->ctx, expr);
    if (!copy)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for a URL set entry");
    s->v[s->n++] = (entry){copy, list};
    return AR_OK;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->expr, y->expr);
    return c ? c : (x->list > y->list) - (x->list < y->list);
}

void ar_url_set_freeze(ar_url_set *s)
{
    if (!s || s->frozen)
        return;
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, cmp_entry);
    s->frozen = true;
}

size_t ar_url_set_size(const ar_url_set *s)
{
    return s ? s->n : 0;
}

/* The first entry whose expression is >= e. */
static size_t lower_bound(const ar_url_set *s, const char *e)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->v[mid].expr, e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t ar_url_set_lookup(const ar_url_set *s, const char *canon, ar_url_hit *hits, size_t max)
{
    if (!s || !s->frozen || !s->n || !canon)
        return 0;
    ar_url_exprs ex;
    size_t n = 0;
    ar_url_expressions(canon, &ex);
    for (size_t i = 0; i < ex.n && n < max; i++)
        for (size_t j = lower_bound(s, ex.v[i]); j < s->n && n < max; j++) {
            if (strcmp(s->v[j].expr, ex.v[i]) != 0)
                break;
            hits[n++] = (ar_url_hit){s->v[j].list, s->v[j].expr};
        }
    return n;
}
