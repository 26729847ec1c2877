/*
 * visibility_int.h - the visibility index inside: a paged hash table with
 * lock-free readers (table.c) and the item/country encoding on top of it
 * (visibility.c). For files in src/visibility/ only.
 *
 * Layout. Keys are 128-bit (two words, `hi` and `lo`). The table is an
 * extendible hash: a directory of 2^depth page pointers indexed by the top
 * `depth` bits of `hi`; each page holds `nslots` slots with linear probing
 * inside the page, starting at a home slot taken from the low 32 bits of
 * `hi`. A slot is three 64-bit atomic words: hi, lo, val. hi == 0 means
 * empty (hashes that come out 0 are stored as 1).
 *
 * Invariants:
 * (1) A slot's key, once written into a live page, never changes and never
 *     moves within that page; only its val does (one atomic store).
 * (2) A slot is published by storing val and lo first and hi last with
 *     release; readers load hi with acquire, so a reader that sees the key
 *     sees the payload that came with it.
 * (3) A page is never modified in place except by (1)/(2). Splitting or
 *     compacting a page copies its entries into fresh pages, points the
 *     directory at them, and only then retires the old page.
 * (4) `gen` is bumped (release) after every retirement, and a retired page
 *     is written again only after a release fence that follows that bump.
 *     Pages and directories are never returned to the allocator before
 *     ar_visibility_free, so a reader holding a stale pointer always reads
 *     mapped memory; if what it read was being rewritten, `gen` has moved
 *     by the time it checks, and it retries.
 * (5) A retired directory is never modified again; retired directories are
 *     kept (and counted) until ar_visibility_free. Their total is below the
 *     size of the current one.
 *
 * Retired pages go on a free list and are reused by the next split, so the
 * memory held is the live pages, at most a handful of spare pages, and the
 * directories.
 */
#ifndef AR_VISIBILITY_INT_H
#define AR_VISIBILITY_INT_H

#include "arbiter/visibility.h"
#include "common/common_int.h"

#include <stdatomic.h>

/*---- Payload encoding --------------------------------------------------*/

/* A country code as 10 bits: (first - 'A') * 26 + (second - 'A') + 1, so
 * 1..676; 0 means "none". */
#define AR_VIS_CC_BITS  10
#define AR_VIS_CC_MASK  ((1u << AR_VIS_CC_BITS) - 1)
#define AR_VIS_CC_COUNT 676

/* val bits 0-1: the kind. For an item's main slot: */
#define AR_VIS_K_VISIBLE 0u /* tombstone: key kept, nothing withheld */
#define AR_VIS_K_INLINE  1u /* restricted in up to 6 countries, listed in val */
#define AR_VIS_K_REMOVED 2u /* removed everywhere */
#define AR_VIS_K_LARGE   3u /* restricted in more than 6: see the pair slots */
/* For a pair slot (item, country) of a LARGE item: */
#define AR_VIS_P_VISIBLE 0u /* tombstone */
#define AR_VIS_P_RESTRICTED 1u

#define AR_VIS_KIND(val) ((unsigned)((val)&3u))

/* INLINE: codes at bits 2 + 10k, k = 0..5, ended by a 0 code. */
#define AR_VIS_INLINE_MAX 6
/* LARGE: count at bits 2-11, first country of the chain at bits 12-21, and
 * a sequence number at bits 22-63 that is new on every publication, so a
 * reader can tell the main slot changed under it. */
#define AR_VIS_LARGE_SEQ_SHIFT 22
/* Pair: kind, then the next country of the item's chain at bits 2-11 (the
 * writer walks the chain to find the old set; a reader walks it only for
 * ar_visibility_scope, and then checks that the main slot did not move). */

/*---- The table -----------------------------------------------------------*/

typedef struct ar_vis_slot {
    _Atomic uint64_t hi;
    _Atomic uint64_t lo;
    _Atomic uint64_t val;
} ar_vis_slot;

typedef struct ar_vis_page {
    /* Writer only; readers touch nothing but slots[]. */
    uint32_t used;  /* slots with a key, tombstones included */
    uint32_t depth; /* local depth: every key here starts with `prefix` */
    uint64_t prefix;
    struct ar_vis_page *next_free;
    uint64_t pad_;
    ar_vis_slot slots[]; /* nslots of them */
} ar_vis_page;

typedef struct ar_vis_dir {
    unsigned depth;                /* 2^depth entries */
    struct ar_vis_dir *retired;    /* writer only: older directories */
    _Atomic(ar_vis_page *) pages[]; /* by the top `depth` bits of hi */
} ar_vis_dir;

#define AR_VIS_DEPTH_MAX 32 /* 2^32 pages: far past any real memory */

typedef struct ar_vis_table {
    /* Read by every lookup. */
    _Atomic(ar_vis_dir *) dir;
    _Atomic uint64_t gen; /* bumped after each page retirement, see (4) */
    uint32_t nslots;      /* slots per page, fixed at creation */
    uint32_t max_used;    /* a page at this many used slots splits or compacts */
    /* Writer only. */
    ar_ctx *ctx;
    ar_vis_page *free_pages;
    size_t npages;   /* allocated, live or free */
    void **blocks;   /* every allocation holding pages */
    size_t nblocks, cap_blocks;
    _Atomic size_t memory_bytes; /* pages, directories, block list */
    size_t splits, compactions;  /* for the log */
} ar_vis_table;

/* Size the table for `slots_hint` keys (0: one small page). */
AR_INTERNAL ar_status ar__visibility_table_init(ar_vis_table *t, ar_ctx *ctx, size_t slots_hint,
                                                ar_error *err);
AR_INTERNAL void ar__visibility_table_free(ar_vis_table *t);

/* Writer side. find: the slot holding the key, or NULL. reserve: make room
 * for one more key in the key's page (may split or compact pages, so any
 * slot pointer held from before is stale). insert: the key must be absent
 * and reserved; returns its slot. */
AR_INTERNAL ar_vis_slot *ar__visibility_table_find(ar_vis_table *t, uint64_t hi, uint64_t lo);
AR_INTERNAL ar_status ar__visibility_table_reserve(ar_vis_table *t, uint64_t hi, ar_error *err);
AR_INTERNAL ar_vis_slot *ar__visibility_table_insert(ar_vis_table *t, uint64_t hi, uint64_t lo,
                                                     uint64_t val);

/* Reader side, lock-free. The caller brackets its reads with `gen` (see (4)). */

/* The page for a key under directory d: by the top d->depth bits of hi
 * ((hi >> 1) >> (63 - depth) is 0 when depth is 0). */
static inline const ar_vis_page *ar__visibility_dir_page(const ar_vis_dir *d, uint64_t hi)
{
    return atomic_load_explicit(&d->pages[(hi >> 1) >> (63 - d->depth)], memory_order_acquire);
}

/* The key's home slot in its page: from the low 32 bits of hi. */
static inline uint32_t ar__visibility_home(const ar_vis_table *t, uint64_t hi)
{
    return (uint32_t)(((uint64_t)(uint32_t)hi * t->nslots) >> 32);
}

/* Linear probing from the home slot to the key or an empty slot. */
static inline const ar_vis_slot *ar__visibility_page_probe(const ar_vis_table *t,
                                                           const ar_vis_page *p, uint64_t hi,
                                                           uint64_t lo)
{
    uint32_t n = t->nslots;
    uint32_t i = ar__visibility_home(t, hi);
    for (uint32_t k = 0; k < n; k++) {
        uint64_t h = atomic_load_explicit(&p->slots[i].hi, memory_order_acquire);
        if (h == hi && atomic_load_explicit(&p->slots[i].lo, memory_order_relaxed) == lo)
            return &p->slots[i];
        if (h == 0)
            return NULL;
        if (++i == n)
            i = 0;
    }
    return NULL; /* only a page being rewritten under a stale reader is full */
}

/* The slot holding the key in the table as of now, or NULL. */
static inline const ar_vis_slot *ar__visibility_table_lookup(const ar_vis_table *t, uint64_t hi,
                                                             uint64_t lo)
{
    const ar_vis_dir *d = atomic_load_explicit(&t->dir, memory_order_acquire);
    return ar__visibility_page_probe(t, ar__visibility_dir_page(d, hi), hi, lo);
}

#endif
