/*
 * table.c - the visibility index's hash table: pages of 64-byte buckets of
 * three slots under a directory (extendible hashing), one writer, lock-free
 * readers. The layout and its invariants are in visibility_int.h.
 *
 * Why pages and not one flat array: a flat open-addressing table grows by
 * building a bigger copy and swapping a pointer, and the old copy can be
 * freed only once no reader is inside it. Knowing that costs every lookup
 * an atomic read-modify-write (a full fence on x86, which stops the CPU
 * overlapping one lookup's cache miss with the next) or a reader
 * registration the API does not have. Keeping old copies instead doubles
 * the memory. Here growth splits one page at a time: the directory gains
 * entries, the split page is retired and reused by the next split, and
 * readers that raced with the reuse notice through `gen` and retry. Memory
 * stays close to what the live pages hold.
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "visibility_int.h"

#include <sys/mman.h>

#define BUCKETS_MIN  192  /* per page: a small index still costs one 12 KiB page */
#define BUCKETS_MAX  384  /* per page: bigger pages, smaller directory (8 B a page) */
#define SIZING_LOAD  65   /* percent: a capacity hint sizes pages this full (64 / 3 / 0.65 = 32.8 B a hinted key) */
#define MAX_LOAD_NUM 3    /* a page splits at 3/4 full: overflow stays rare */
#define MAX_LOAD_DEN 4
#define HINT_MAX     ((size_t)1 << 40)
#define LINE         64   /* bucket alignment */

/*---- Allocation ----------------------------------------------------------*/

static size_t page_bytes(const ar_vis_table *t)
{
    return sizeof(ar_vis_page) + (size_t)t->nbuckets * sizeof(ar_vis_bucket);
}

static size_t dir_bytes(unsigned depth)
{
    return sizeof(ar_vis_dir) + ((size_t)1 << depth) * sizeof(ar_vis_page *);
}

static void count_bytes(ar_vis_table *t, size_t n)
{
    atomic_fetch_add_explicit(&t->memory_bytes, n, memory_order_relaxed);
}

/* Remember an allocation holding pages, to free it in table_free. */
static ar_status keep_block(ar_vis_table *t, void *block, ar_error *err)
{
    size_t before = t->cap_blocks;
    ar_status s = ar__grow(t->ctx, (void **)&t->blocks, &t->cap_blocks, t->nblocks + 1,
                           sizeof *t->blocks, SIZE_MAX / sizeof *t->blocks, err);
    if (s != AR_OK)
        return s;
    count_bytes(t, (t->cap_blocks - before) * sizeof *t->blocks);
    t->blocks[t->nblocks++] = block;
    return AR_OK;
}

/* `bytes` at a 64-byte boundary. The context's allocator promises less, so
 * ask for LINE - 1 more and start at the first boundary inside; the block
 * as allocated goes in t->blocks (to free) and counts whole. NULL if out of
 * memory, with nothing held. */
static void *alloc_lines(ar_vis_table *t, size_t bytes, ar_error *err)
{
    if (bytes > SIZE_MAX - LINE) {
        ar_error_set(err, AR_ENOMEM, NULL, "visibility: %zu bytes is too many", bytes);
        return NULL;
    }
    void *block = ar__malloc(t->ctx, bytes + LINE - 1);
    if (!block) {
        ar_error_set(err, AR_ENOMEM, NULL, "visibility: out of memory for %zu bytes of pages",
                     bytes);
        return NULL;
    }
    if (keep_block(t, block, err) != AR_OK) {
        ar__free(t->ctx, block);
        return NULL;
    }
    count_bytes(t, bytes + LINE - 1);
    uintptr_t at = ((uintptr_t)block + LINE - 1) & ~(uintptr_t)(LINE - 1);
    return (char *)block + (at - (uintptr_t)block);
}

static void page_init_fresh(ar_vis_page *p, unsigned depth, uint64_t prefix, size_t bytes)
{
    /* Not reachable by any reader yet: plain writes are fine. */
    memset(p, 0, bytes);
    p->depth = depth;
    p->prefix = prefix;
}

/* A page for `prefix` at `depth`, empty: a retired one if any, else new. */
static ar_status page_get(ar_vis_table *t, unsigned depth, uint64_t prefix, ar_vis_page **out,
                          ar_error *err)
{
    ar_vis_page *p = t->free_pages;
    if (p) {
        t->free_pages = p->next_free;
        /* A stale reader may still be reading this page: order these writes
         * after the `gen` bump that retired it, so the reader sees `gen`
         * moved if it sees any of them (invariant 4). */
        atomic_thread_fence(memory_order_release);
        for (uint32_t i = 0; i < t->nbuckets; i++) {
            ar_vis_bucket *b = &p->buckets[i];
            for (unsigned j = 0; j < AR_VIS_BUCKET_SLOTS; j++)
                atomic_store_explicit(&b->hi[j], 0, memory_order_relaxed);
            atomic_store_explicit(&b->over, 0, memory_order_relaxed);
        }
        p->used = 0;
        p->depth = depth;
        p->prefix = prefix;
        p->next_free = NULL;
        *out = p;
        return AR_OK;
    }
    size_t bytes = page_bytes(t);
    p = alloc_lines(t, bytes, err);
    if (!p)
        return AR_ENOMEM;
    t->npages++;
    page_init_fresh(p, depth, prefix, bytes);
    *out = p;
    return AR_OK;
}

/* Back on the free list without having been published. */
static void page_unget(ar_vis_table *t, ar_vis_page *p)
{
    p->next_free = t->free_pages;
    t->free_pages = p;
}

/*---- Setup ---------------------------------------------------------------*/

/* Ask for transparent huge pages over a big slab. A lookup is one random
 * read into hundreds of MB; with 4 KiB pages most of them also miss the
 * TLB, and under a hypervisor a TLB miss walks two page tables. Advice
 * only: failure changes nothing. */
static void advise_huge_pages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(huge - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

ar_status ar__visibility_table_init(ar_vis_table *t, ar_ctx *ctx, size_t slots_hint, ar_error *err)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    if (slots_hint > HINT_MAX)
        return ar_error_set(err, AR_ETOOBIG, "capacity_hint",
                            "capacity hint %zu over the limit of %zu pairs", slots_hint, HINT_MAX);
    /* Pages of BUCKETS_MIN..BUCKETS_MAX buckets, as many as a power of two,
     * sized so the hinted number of keys fills them to SIZING_LOAD percent:
     * the hint is then met without a single split. */
    size_t slots = slots_hint / SIZING_LOAD * 100 + slots_hint % SIZING_LOAD * 100 / SIZING_LOAD + 1;
    size_t need = (slots + AR_VIS_BUCKET_SLOTS - 1) / AR_VIS_BUCKET_SLOTS;
    unsigned depth = 0;
    while (((size_t)BUCKETS_MAX << depth) < need)
        depth++;
    size_t per = (need + ((size_t)1 << depth) - 1) >> depth;
    t->nbuckets = (uint32_t)(per < BUCKETS_MIN ? BUCKETS_MIN : per);
    t->max_used = t->nbuckets * AR_VIS_BUCKET_SLOTS / MAX_LOAD_DEN * MAX_LOAD_NUM;

    size_t npages = (size_t)1 << depth;
    size_t pb = page_bytes(t);
    ar_vis_dir *d = ar__malloc(ctx, dir_bytes(depth));
    char *slab = d && npages <= (SIZE_MAX - LINE) / pb ? alloc_lines(t, npages * pb, err) : NULL;
    if (!slab) {
        ar__free(ctx, d); /* alloc_lines kept nothing */
        ar__free(ctx, t->blocks);
        t->blocks = NULL;
        return ar_error_set(err, AR_ENOMEM, NULL,
                            "visibility: out of memory for %zu pages of %zu bytes", npages, pb);
    }
    d->depth = depth;
    d->retired = NULL;
    advise_huge_pages(slab, npages * pb);
    for (size_t i = 0; i < npages; i++) {
        ar_vis_page *p = (ar_vis_page *)(slab + i * pb);
        page_init_fresh(p, depth, i, pb);
        atomic_init(&d->pages[i], p);
    }
    t->npages = npages;
    count_bytes(t, dir_bytes(depth));
    atomic_init(&t->gen, 0);
    atomic_store_explicit(&t->dir, d, memory_order_release);
    return AR_OK;
}

void ar__visibility_table_free(ar_vis_table *t)
{
    ar_vis_dir *d = atomic_load_explicit(&t->dir, memory_order_relaxed);
    while (d) {
        ar_vis_dir *older = d->retired;
        ar__free(t->ctx, d);
        d = older;
    }
    for (size_t i = 0; i < t->nblocks; i++)
        ar__free(t->ctx, t->blocks[i]);
    ar__free(t->ctx, t->blocks);
    memset(t, 0, sizeof *t);
}

/*---- Writer --------------------------------------------------------------*/

static ar_vis_dir *wdir(const ar_vis_table *t)
{
    return atomic_load_explicit(&t->dir, memory_order_relaxed); /* only the writer stores it */
}

static ar_vis_page *wpage(const ar_vis_table *t, uint64_t hi)
{
    return (ar_vis_page *)ar__visibility_dir_page(wdir(t), hi);
}

/* Put a key that is absent into a page with room, publishing it (invariant
 * 2): the first free slot from its home bucket on, the home bucket flagged
 * first if that is past it. */
static _Atomic uint64_t *page_put(ar_vis_table *t, ar_vis_page *p, uint64_t hi, uint64_t lo,
                                  uint64_t val)
{
    uint32_t n = t->nbuckets;
    uint32_t home = ar__visibility_home(t, hi), i = home;
    AR_ASSERT(p->used < n * AR_VIS_BUCKET_SLOTS);
    for (;;) {
        ar_vis_bucket *b = &p->buckets[i];
        for (unsigned j = 0; j < AR_VIS_BUCKET_SLOTS; j++) {
            if (atomic_load_explicit(&b->hi[j], memory_order_relaxed) != 0)
                continue;
            if (i != home)
                atomic_store_explicit(&p->buckets[home].over, 1, memory_order_relaxed);
            atomic_store_explicit(&b->val[j], val, memory_order_relaxed);
            atomic_store_explicit(&b->lo[j], (uint32_t)lo, memory_order_relaxed);
            atomic_store_explicit(&b->hi[j], hi, memory_order_release);
            p->used++;
            return &b->val[j];
        }
        if (++i == n)
            i = 0;
    }
}

/* A directory twice the size, each old entry twice; published, the old one
 * kept (invariant 5). */
static ar_status dir_double(ar_vis_table *t, ar_error *err)
{
    ar_vis_dir *old = wdir(t);
    if (old->depth >= AR_VIS_DEPTH_MAX)
        return ar_error_set(err, AR_ETOOBIG, NULL,
                            "visibility: directory at its limit of 2^%u pages",
                            (unsigned)AR_VIS_DEPTH_MAX);
    unsigned depth = old->depth + 1;
    ar_vis_dir *d = ar__malloc(t->ctx, dir_bytes(depth));
    if (!d)
        return ar_error_set(err, AR_ENOMEM, NULL,
                            "visibility: out of memory for a directory of 2^%u", depth);
    d->depth = depth;
    d->retired = old;
    size_t n = (size_t)1 << depth;
    for (size_t i = 0; i < n; i++)
        atomic_init(&d->pages[i],
                    atomic_load_explicit(&old->pages[i >> 1], memory_order_relaxed));
    count_bytes(t, dir_bytes(depth));
    atomic_store_explicit(&t->dir, d, memory_order_release);
    AR_LOG(t->ctx, AR_LOG_INFO, "visibility", "directory_grown", AR_KV_INT("depth", depth),
           AR_KV_INT("pages", t->npages), AR_KV_INT("splits", t->splits),
           AR_KV_INT("compactions", t->compactions));
    return AR_OK;
}

/* Replace a full page: by two pages one bit deeper if most of it is live
 * (a split), or by one page without its tombstones (a compaction). On
 * failure every key reads as before (the directory may have doubled). */
static ar_status page_rebuild(ar_vis_table *t, ar_vis_page *old, ar_error *err)
{
    uint32_t n = t->nbuckets, live = 0;
    for (uint32_t i = 0; i < n; i++)
        for (unsigned j = 0; j < AR_VIS_BUCKET_SLOTS; j++)
            live += atomic_load_explicit(&old->buckets[i].hi[j], memory_order_relaxed) != 0 &&
                    AR_VIS_KIND(atomic_load_explicit(&old->buckets[i].val[j],
                                                     memory_order_relaxed)) != 0;
    bool split = live > t->max_used / 2;
    if (split && old->depth == wdir(t)->depth) {
        ar_status ds = dir_double(t, err);
        if (ds != AR_OK)
            return ds;
    }
    unsigned depth = split ? old->depth + 1 : old->depth;
    ar_vis_page *a = NULL, *b = NULL;
    ar_status s = page_get(t, depth, split ? old->prefix << 1 : old->prefix, &a, err);
    if (s != AR_OK)
        return s;
    if (split) {
        s = page_get(t, depth, (old->prefix << 1) | 1, &b, err);
        if (s != AR_OK) {
            page_unget(t, a);
            return s;
        }
    }
    /* Copy the live entries; tombstones are dropped (absent reads as visible). */
    for (uint32_t i = 0; i < n; i++) {
        const ar_vis_bucket *ob = &old->buckets[i];
        for (unsigned j = 0; j < AR_VIS_BUCKET_SLOTS; j++) {
            uint64_t hi = atomic_load_explicit(&ob->hi[j], memory_order_relaxed);
            uint64_t val = atomic_load_explicit(&ob->val[j], memory_order_relaxed);
            if (hi == 0 || AR_VIS_KIND(val) == 0)
                continue;
            bool upper = split && ((hi >> (63 - old->depth)) & 1);
            page_put(t, upper ? b : a, hi, atomic_load_explicit(&ob->lo[j], memory_order_relaxed),
                     val);
        }
    }
    /* Point the directory entries that named the old page at the new ones. */
    ar_vis_dir *d = wdir(t);
    size_t span = (size_t)1 << (d->depth - old->depth);
    size_t first = (size_t)old->prefix << (d->depth - old->depth);
    for (size_t i = 0; i < span; i++)
        atomic_store_explicit(&d->pages[first + i], (split && i >= span / 2) ? b : a,
                              memory_order_release);
    /* Retire the old page, then tell readers (invariant 4). */
    page_unget(t, old);
    atomic_store_explicit(&t->gen, atomic_load_explicit(&t->gen, memory_order_relaxed) + 1,
                          memory_order_release);
    if (split)
        t->splits++;
    else
        t->compactions++;
    return AR_OK;
}

_Atomic uint64_t *ar__visibility_table_find(ar_vis_table *t, uint64_t hi, uint64_t lo)
{
    return (_Atomic uint64_t *)ar__visibility_table_lookup(t, hi, lo);
}

ar_status ar__visibility_table_reserve(ar_vis_table *t, uint64_t hi, ar_error *err)
{
    for (;;) {
        ar_vis_page *p = wpage(t, hi);
        if (p->used < t->max_used)
            return AR_OK;
        ar_status s = page_rebuild(t, p, err);
        if (s != AR_OK)
            return s;
    }
}

_Atomic uint64_t *ar__visibility_table_insert(ar_vis_table *t, uint64_t hi, uint64_t lo,
                                              uint64_t val)
{
    return page_put(t, wpage(t, hi), hi, lo, val);
}

/*---- Statistics ------------------------------------------------------------*/

void ar__visibility_table_probe_stats(const ar_vis_table *t, ar_vis_probe_stats *out)
{
    memset(out, 0, sizeof *out);
    const ar_vis_dir *d = wdir(t);
    const ar_vis_page *prev = NULL;
    uint32_t n = t->nbuckets;
    for (size_t e = 0; e < (size_t)1 << d->depth; e++) {
        const ar_vis_page *p = atomic_load_explicit(&d->pages[e], memory_order_relaxed);
        if (p == prev) /* a page's directory entries are adjacent */
            continue;
        prev = p;
        out->buckets += n;
        for (uint32_t i = 0; i < n; i++) {
            const ar_vis_bucket *b = &p->buckets[i];
            out->flagged += atomic_load_explicit(&b->over, memory_order_relaxed) != 0;
            for (unsigned j = 0; j < AR_VIS_BUCKET_SLOTS; j++) {
                uint64_t hi = atomic_load_explicit(&b->hi[j], memory_order_relaxed);
                if (hi == 0)
                    continue;
                out->keys++;
                out->displaced += ar__visibility_home(t, hi) != i;
            }
        }
    }
}
