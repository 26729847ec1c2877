/*
 * arena.c - the chunked arena that owns every string and array of a parsed
 * policy, so that freeing a policy of a million terms is a few free() calls.
 */
#include "policy_int.h"

#include <stdalign.h>

#define ARENA_CHUNK_BYTES (64u * 1024u) /* a chunk's data; bigger requests get their own */
#define ARENA_ALIGN       alignof(max_align_t)

struct ar__arena_chunk {
    ar__arena_chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

void ar__arena_init(ar__arena *a, ar_ctx *ctx)
{
    a->ctx = ctx;
    a->head = NULL;
}

void ar__arena_free(ar__arena *a)
{
    ar__arena_chunk *c = a->head;
    while (c) {
        ar__arena_chunk *next = c->next;
        ar__free(a->ctx, c);
        c = next;
    }
    a->head = NULL;
}

/* Allocate `size` bytes aligned for any type.
 * Returns NULL when out of memory or when size is absurd. */
void *ar__arena_alloc(ar__arena *a, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size)
        return NULL;
    ar__arena_chunk *c = a->head;
    if (c && c->cap - c->used >= need) {
        void *p = c->data + c->used;
        c->used += need;
        return p;
    }
    size_t cap = need > ARENA_CHUNK_BYTES ? need : ARENA_CHUNK_BYTES;
    if (cap > SIZE_MAX - sizeof *c)
        return NULL;
    c = ar__malloc(a->ctx, sizeof *c + cap);
    if (!c)
        return NULL;
    c->cap = cap;
    c->used = need;
    if (need > ARENA_CHUNK_BYTES && a->head) {
        /* A big block: keep filling the current chunk after it. */
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = a->head;
        a->head = c;
    }
    return c->data;
}

/* n * size zeroed bytes; NULL on overflow or out of memory. */
void *ar__arena_calloc(ar__arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = ar__arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

/* A NUL-terminated copy of s[0..n); NULL when out of memory. */
char *ar__arena_strndup(ar__arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *d = ar__arena_alloc(a, n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}
