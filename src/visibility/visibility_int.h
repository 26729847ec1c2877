/*
 * visibility_int.h - the visibility index inside: a paged hash table with
 * lock-free readers (table.c) and the item/country encoding on top of it
 * (visibility.c). For files in src/visibility/ only.
 *
 * Layout. A key is 96 bits: a 64-bit word `hi` and a 32-bit word `lo` (the
 * low half of the 128-bit SipHash output's second word; the caller may pass
 * all 64 bits, the table keeps and compares the low 32). The table is an
 * extendible hash: a directory of 2^depth page pointers indexed by the top
 * `depth` bits of `hi`. A page is a 64-byte header and `nbuckets` buckets;
 * a bucket is one 64-byte cache line, 64-byte aligned, holding three slots
 * (hi[3], val[3], lo[3]) and an overflow flag. A key's home bucket comes
 * from the low 32 bits of hi; it goes in the first bucket from there, in
 * order and wrapping at the page end, that has a free slot. hi == 0 means a
 * free slot (hashes that come out 0 are stored as 1).
 *
 * Why one line: a lookup is one random read into memory far bigger than the
 * caches, and a core keeps only ~10-12 line fills in flight; 24-byte slots
 * at any offset needed two lines a lookup (the home slot's and the next),
 * which halved what a batch could overlap. Now a lookup reads its home
 * bucket's line, and a second only when the home bucket overflowed.
 *
 * Why 96 bits are enough: keys come from SipHash under a secret random key
 * per index, so nobody outside the process can choose ids whose keys
 * collide, and by accident two of n keys share 96 bits with probability
 * about n^2 / 2^97: ~6e-14 for 10^8 keys (items and pair slots together),
 * far below any hardware error rate. A collision would make two items (or
 * an item and a pair) share a state; we accept that.
 *
 * Overflow flag. Set by the writer on a key's home bucket when that bucket
 * was full and the key went to a later one, before the key is published;
 * never cleared while the page is live. A lookup that misses in its home
 * bucket stops there when the flag is clear (most misses: one line), else
 * goes on bucket by bucket to the key or to a bucket with a free slot.
 *
 * Invariants:
 * (1) A slot's key, once written into a live page, never changes and never
 *     moves within that page; only its val does (one atomic store). An
 *     overflow flag, once set in a live page, stays set.
 * (2) A slot is published by storing val and lo first and hi last with
 *     release; readers load hi with acquire, so a reader that sees the key
 *     sees the payload that came with it. The home bucket's overflow flag
 *     is stored before that hi, so a reader that has seen the key (or
 *     anything published after it) also sees the flag.
 * (3) A page is never modified in place except by (1)/(2). Splitting or
 *     compacting a page copies its entries into fresh pages, points the
 *     directory at them, and only then retires the old page.
 * (4) `gen` is bumped (release) after every retirement, and a retired page
 *     is written again only after a release fence that follows that bump.
 *     Pages and directories are never returned to the allocator before
 *     ar_visibility_free, so a reader holding a stale pointer always reads
 *     mapped memory; if what it read was being rewritten, `gen` has moved
 *     by the time it checks, and it retries. (A probe of a page being
 *     rewritten is bounded by the page's bucket count.)
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
#include <stdbool.h>
#include <stddef.h>

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

#define AR_VIS_BUCKET_SLOTS 3

/* One cache line: three slots and the overflow flag. */
typedef struct ar_vis_bucket {
    _Alignas(64) _Atomic uint64_t hi[AR_VIS_BUCKET_SLOTS];
    _Atomic uint64_t val[AR_VIS_BUCKET_SLOTS];
    _Atomic uint32_t lo[AR_VIS_BUCKET_SLOTS];
    _Atomic uint32_t over; /* 1: a key homed here is in a later bucket */
} ar_vis_bucket;

_Static_assert(sizeof(ar_vis_bucket) == 64, "a bucket is one cache line");

typedef struct ar_vis_page {
    /* Writer only; readers touch nothing but buckets[]. */
    uint32_t used;  /* slots with a key, tombstones included */
    uint32_t depth; /* local depth: every key here starts with `prefix` */
    uint64_t prefix;
    struct ar_vis_page *next_free;
    ar_vis_bucket buckets[]; /* nbuckets of them, from offset 64 */
} ar_vis_page;

_Static_assert(offsetof(ar_vis_page, buckets) == 64, "the page header is one line");

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
    uint32_t nbuckets;    /* buckets per page, fixed at creation */
    uint32_t max_used;    /* a page at this many used slots splits or compacts */
    /* Writer only. */
    ar_ctx *ctx;
    ar_vis_page *free_pages;
    size_t npages;   /* allocated, live or free */
    void **blocks;   /* every allocation holding pages, as the allocator gave it */
    size_t nblocks, cap_blocks;
    _Atomic size_t memory_bytes; /* pages (with alignment slack), directories, block list */
    size_t splits, compactions;  /* for the log */
} ar_vis_table;

/* Size the table for `slots_hint` keys (0: one small page). */
AR_INTERNAL ar_status ar__visibility_table_init(ar_vis_table *t, ar_ctx *ctx, size_t slots_hint,
                                                ar_error *err);
AR_INTERNAL void ar__visibility_table_free(ar_vis_table *t);

/* Writer side. Slots are handed out as their val word: the only part of a
 * slot anyone changes after publication. find: the key's val, or NULL.
 * reserve: make room for one more key in the key's page (may split or
 * compact pages, so any val pointer held from before is stale). insert: the
 * key must be absent and reserved; returns its val. */
AR_INTERNAL _Atomic uint64_t *ar__visibility_table_find(ar_vis_table *t, uint64_t hi, uint64_t lo);
AR_INTERNAL ar_status ar__visibility_table_reserve(ar_vis_table *t, uint64_t hi, ar_error *err);
AR_INTERNAL _Atomic uint64_t *ar__visibility_table_insert(ar_vis_table *t, uint64_t hi,
                                                          uint64_t lo, uint64_t val);

/* How far keys sit from home, over the live pages (writer side: not while
 * the table changes). For the benchmark and tests. */
typedef struct ar_vis_probe_stats {
    size_t keys;      /* slots with a key, tombstones included */
    size_t displaced; /* of them, not in their home bucket: a hit reads 2+ lines */
    size_t buckets;
    size_t flagged;   /* overflow flag set: a miss homed there reads 2+ lines */
} ar_vis_probe_stats;
AR_INTERNAL void ar__visibility_table_probe_stats(const ar_vis_table *t, ar_vis_probe_stats *out);
/* The same for an index (visibility.c). */
AR_INTERNAL void ar__visibility_probe_stats(const ar_visibility *v, ar_vis_probe_stats *out);

/* Reader side, lock-free. The caller brackets its reads with `gen` (see (4)). */

/* The page for a key under directory d: by the top d->depth bits of hi
 * ((hi >> 1) >> (63 - depth) is 0 when depth is 0). */
static inline const ar_vis_page *ar__visibility_dir_page(const ar_vis_dir *d, uint64_t hi)
{
    return atomic_load_explicit(&d->pages[(hi >> 1) >> (63 - d->depth)], memory_order_acquire);
}

/* The key's home bucket in its page: from the low 32 bits of hi. */
static inline uint32_t ar__visibility_home(const ar_vis_table *t, uint64_t hi)
{
    return (uint32_t)(((uint64_t)(uint32_t)hi * t->nbuckets) >> 32);
}

/* The key's val in bucket b, or NULL; *has_free: b has a free slot. The
 * three hi words are compared at once; lo is read only where hi matched
 * (almost never for a miss). */
static inline const _Atomic uint64_t *ar__visibility_bucket_find(const ar_vis_bucket *b,
                                                                 uint64_t hi, uint32_t lo,
                                                                 bool *has_free)
{
    uint64_t h0 = atomic_load_explicit(&b->hi[0], memory_order_acquire);
    uint64_t h1 = atomic_load_explicit(&b->hi[1], memory_order_acquire);
    uint64_t h2 = atomic_load_explicit(&b->hi[2], memory_order_acquire);
    unsigned m = (unsigned)(h0 == hi) | (unsigned)(h1 == hi) << 1 | (unsigned)(h2 == hi) << 2;
    *has_free = (h0 == 0) | (h1 == 0) | (h2 == 0);
    while (m) {
        unsigned i = (unsigned)__builtin_ctz(m);
        if (atomic_load_explicit(&b->lo[i], memory_order_relaxed) == lo)
            return &b->val[i];
        m &= m - 1;
    }
    return NULL;
}

/* Past an overflowed home bucket: bucket by bucket, wrapping, to the key or
 * a bucket with a free slot (the key would be there or before). */
static inline const _Atomic uint64_t *ar__visibility_probe_on(const ar_vis_table *t,
                                                              const ar_vis_page *p, uint32_t i,
                                                              uint64_t hi, uint32_t lo)
{
    uint32_t n = t->nbuckets;
    for (uint32_t k = 1; k < n; k++) {
        if (++i == n)
            i = 0;
        bool has_free;
        const _Atomic uint64_t *v = ar__visibility_bucket_find(&p->buckets[i], hi, lo, &has_free);
        if (v || has_free)
            return v;
    }
    return NULL; /* only a page being rewritten under a stale reader is full */
}

/* The key's val in page p, or NULL: its home bucket, and later ones only
 * if that bucket overflowed. */
static inline const _Atomic uint64_t *ar__visibility_page_probe(const ar_vis_table *t,
                                                                const ar_vis_page *p, uint64_t hi,
                                                                uint64_t lo)
{
    uint32_t i = ar__visibility_home(t, hi);
    const ar_vis_bucket *b = &p->buckets[i];
    bool has_free;
    const _Atomic uint64_t *v = ar__visibility_bucket_find(b, hi, (uint32_t)lo, &has_free);
    if (v || !atomic_load_explicit(&b->over, memory_order_relaxed))
        return v;
    return ar__visibility_probe_on(t, p, i, hi, (uint32_t)lo);
}

/* The key's val in the table as of now, or NULL. */
static inline const _Atomic uint64_t *ar__visibility_table_lookup(const ar_vis_table *t,
                                                                  uint64_t hi, uint64_t lo)
{
    const ar_vis_dir *d = atomic_load_explicit(&t->dir, memory_order_acquire);
    return ar__visibility_page_probe(t, ar__visibility_dir_page(d, hi), hi, lo);
}

#endif
