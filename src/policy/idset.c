/*
 * idset.c - a small hash set of ids, so that rule ids can be checked for
 * uniqueness across a policy of up to AR_POLICY_MAX_RULES rules in linear
 * time, remembering where each id was first given.
 */
#include "policy_int.h"

void ar__idset_init(ar__idset *s, ar_ctx *ctx)
{
    s->ctx = ctx;
    s->v = NULL;
    s->n = s->cap = 0;
}

void ar__idset_free(ar__idset *s)
{
    ar__free(s->ctx, s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static size_t slot_of(const ar__idslot *v, size_t cap, const char *id)
{
    size_t mask = cap - 1;
    size_t i = (size_t)ar__policy_fnv1a(AR__FNV_OFFSET, id, strlen(id)) & mask;
    while (v[i].id && strcmp(v[i].id, id) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Double the table (or make the first one). Returns AR_OK or AR_ENOMEM. */
static ar_status rehash(ar__idset *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 64;
    ar__idslot *nv = ar__calloc(s->ctx, ncap, sizeof *nv);
    if (!nv)
        return AR_ENOMEM;
    for (size_t i = 0; i < s->cap; i++)
        if (s->v[i].id)
            nv[slot_of(nv, ncap, s->v[i].id)] = s->v[i];
    ar__free(s->ctx, s->v);
    s->v = nv;
    s->cap = ncap;
    return AR_OK;
}

/* Add `id` unless an equal one is there: then *dup points at it.
 * Returns AR_OK, or AR_ENOMEM (nothing added). */
ar_status ar__idset_add(ar__idset *s, const char *id, unsigned line, unsigned column,
                        const ar__idslot **dup)
{
    *dup = NULL;
    if ((s->n + 1) * 2 > s->cap && rehash(s) != AR_OK)
        return AR_ENOMEM;
    size_t i = slot_of(s->v, s->cap, id);
    if (s->v[i].id) {
        *dup = &s->v[i];
        return AR_OK;
    }
    s->v[i] = (ar__idslot){id, line, column};
    s->n++;
    return AR_OK;
}
