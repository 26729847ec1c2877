/*
 * fail_alloc.h - an allocator for ar_ctx_opts that fails the n-th
 * allocation and counts blocks still live, for the tests that fail each
 * allocation in turn (tests/<module>/test_alloc.c).
 */
#ifndef AR_TEST_FAIL_ALLOC_H
#define AR_TEST_FAIL_ALLOC_H

#include <stdlib.h>

typedef struct failing {
    long countdown; /* the allocation that fails: 1 is the next one; <= 0 never */
    long live;      /* blocks not yet freed */
} failing;

static inline void *f_malloc(void *ud, size_t size)
{
    failing *f = ud;
    if (f->countdown > 0 && --f->countdown == 0)
        return NULL;
    void *p = malloc(size);
    if (p)
        f->live++;
    return p;
}

static inline void *f_realloc(void *ud, void *ptr, size_t size)
{
    failing *f = ud;
    if (f->countdown > 0 && --f->countdown == 0)
        return NULL;
    void *p = realloc(ptr, size);
    if (p && !ptr)
        f->live++;
    return p;
}

static inline void f_free(void *ud, void *ptr)
{
    failing *f = ud;
    if (ptr)
        f->live--;
    free(ptr);
}

#endif
