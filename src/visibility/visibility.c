/*
 * visibility.c - (item, country) -> visible / restricted / removed on top of
 * the paged hash table in table.c.
 *
 * Keys. An item's key is SipHash-2-4 with 128-bit output (libsodium's
 * crypto_shorthash_siphashx24, computed by keyhash.h, which batches eight
 * at a time) of its id under a random per-index key; the table keeps 96 of
 * the 128 bits (hi and the low half of lo, see visibility_int.h).
 * Nobody outside the process knows the key, so nobody can choose ids that
 * collide or pile into one page. By accident, two of n keys share 96 bits
 * with probability about n^2 / 2^97: ~6e-14 for 10^8 keys. A collision
 * would make the two items share a state; we accept that.
 *
 * Entries. An item has one main slot keyed by its hash. Its val says
 * visible (a tombstone), removed, or restricted in up to 6 countries listed
 * in the val itself (10 bits a code): one slot and one atomic word answer
 * every country, and replacing the set is a single store that readers see
 * whole. An item restricted in more than 6 countries is LARGE: its main
 * slot holds a count, and each restricted country has a pair slot keyed by
 * the item's hash mixed with the code. Pair slots chain the item's
 * countries (each names the next), so the writer finds the old set in
 * O(countries) without a per-item list; readers go straight to the pair.
 *
 * Replacing a LARGE set (one writer):
 *   1. every new country's pair -> restricted (new ones inserted);
 *   2. the main slot -> its new val (a new sequence number if LARGE);
 *   3. every old country not in the new set -> its pair visible.
 * A reader of country c sees c's old or new state. A reader that read a
 * LARGE main val and then a pair re-reads the main val: if it changed (step
 * 2 ran in between, and step 3 may have hidden a country the old val
 * restricted), it starts again. Outside LARGE, every pair slot of the item
 * is a visible tombstone.
 */
#include "visibility_int.h"
#include "keyhash.h"

#include <sodium.h>
#include <stdio.h>

#define SEQ_MASK ((UINT64_C(1) << (64 - AR_VIS_LARGE_SEQ_SHIFT)) - 1)

struct ar_visibility {
    /* Read by every lookup. */
    ar_vis_hashkey key;
    ar_vis_hash8_fn *hash8; /* eight keys at a time, for batches */
    ar_vis_table t;
    /* Writer only, apart from the counters stats_get reads. */
    char pad_[64];
    ar_ctx *ctx;
    _Atomic size_t items;
    _Atomic size_t pairs;
    uint64_t seq; /* for LARGE main vals */
    /* Scratch for ar_visibility_set, here rather than on the caller's stack. */
    uint16_t newcc[AR_VIS_CC_COUNT];
    uint16_t oldcc[AR_VIS_CC_COUNT];
    uint64_t prev[AR_VIS_CC_COUNT];
};

/*---- Country codes -------------------------------------------------------*/

static unsigned letter(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (unsigned)(c - 'A') + 1;
    if (c >= 'a' && c <= 'z')
        return (unsigned)(c - 'a') + 1;
    return 0;
}

/* 1..676 for two letters in either case; 0 for anything else. */
static unsigned cc_encode(char a, char b)
{
    unsigned x = letter((unsigned char)a), y = letter((unsigned char)b);
    return x && y ? (x - 1) * 26 + y : 0;
}

/* A NUL-terminated string of exactly two letters. */
bool ar_visibility_country_valid(const char *cc)
{
    return cc && letter((unsigned char)cc[0]) && letter((unsigned char)cc[1]) && cc[2] == '\0';
}

const char *ar_visibility_state_name(ar_visibility_state s)
{
    switch (s) {
    case AR_VISIBLE:
        return "visible";
    case AR_RESTRICTED:
        return "restricted";
    case AR_REMOVED:
        return "removed";
    }
    return "unknown";
}

/*---- Keys ----------------------------------------------------------------*/

static void item_key(const ar_visibility *v, const char *id, size_t len, uint64_t *hi,
                     uint64_t *lo)
{
    ar__vis_siphash(&v->key, (const unsigned char *)id, len, hi, lo);
    if (*hi == 0) /* 0 marks an empty slot */
        *hi = 1;
}

/* The splitmix64 finaliser: a bijection, 0 only at 0. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

/* The pair slot's key: the item's key with every bit flipped by a function
 * of the code, so pairs land on unrelated pages and slots. */
static void pair_key(uint64_t hi, uint64_t lo, unsigned cc, uint64_t *phi, uint64_t *plo)
{
    uint64_t m = mix64((uint64_t)cc * UINT64_C(0x9e3779b97f4a7c15));
    *phi = hi ^ m;
    *plo = lo ^ mix64(m);
    if (*phi == 0)
        *phi = 1;
}

/*---- Lookup --------------------------------------------------------------*/

/* Is cc among the INLINE val's codes? All six 10-bit lanes at once: a lane
 * equal to cc is zero after the xor (empty lanes hold 0, never equal to a
 * code), and (x - ones) & ~x & highs is non-zero iff some lane is zero. */
static bool inline_has(uint64_t val, unsigned cc)
{
    const uint64_t ones = UINT64_C(0x0004010040100401); /* bit 0 of each lane */
    const uint64_t highs = ones << (AR_VIS_CC_BITS - 1);
    uint64_t x = ((val >> 2) & ((UINT64_C(1) << (AR_VIS_CC_BITS * AR_VIS_INLINE_MAX)) - 1)) ^
                 (ones * cc);
    return ((x - ones) & ~x & highs) != 0;
}

/* The state a main slot's val gives for country cc, when it is not LARGE. */
static ar_visibility_state val_state(uint64_t val, unsigned cc)
{
    switch (AR_VIS_KIND(val)) {
    case AR_VIS_K_REMOVED:
        return AR_REMOVED;
    case AR_VIS_K_INLINE:
        return cc && inline_has(val, cc) ? AR_RESTRICTED : AR_VISIBLE;
    default:
        return AR_VISIBLE;
    }
}

/* Readers never lock or allocate. They read `gen` first and last: if it
 * moved, a page they read may have been rewritten (visibility_int.h, (4)),
 * and they look again. */
static ar_visibility_state lookup(const ar_visibility *v, uint64_t hi, uint64_t lo, unsigned cc)
{
    const ar_vis_table *t = &v->t;
    for (;;) {
        uint64_t g = atomic_load_explicit(&t->gen, memory_order_acquire);
        ar_visibility_state st = AR_VISIBLE;
        const _Atomic uint64_t *s = ar__visibility_table_lookup(t, hi, lo);
        if (s) {
            uint64_t val = atomic_load_explicit(s, memory_order_acquire);
            if (AR_VIS_KIND(val) != AR_VIS_K_LARGE) {
                st = val_state(val, cc);
            } else if (cc) {
                uint64_t phi, plo;
                pair_key(hi, lo, cc, &phi, &plo);
                const _Atomic uint64_t *ps = ar__visibility_table_lookup(t, phi, plo);
                if (ps && AR_VIS_KIND(atomic_load_explicit(ps, memory_order_acquire)) ==
                              AR_VIS_P_RESTRICTED)
                    st = AR_RESTRICTED;
                if (atomic_load_explicit(s, memory_order_acquire) != val)
                    continue; /* the set changed under us */
            }
        }
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&t->gen, memory_order_relaxed) == g)
            return st;
    }
}

ar_visibility_state ar_visibility_get(const ar_visibility *v, const char *item_id, size_t item_len,
                                      const char country[2])
{
    if (!v || !item_id || item_len == 0)
        return AR_VISIBLE;
    unsigned cc = country ? cc_encode(country[0], country[1]) : 0;
    uint64_t hi, lo;
    item_key(v, item_id, item_len, &hi, &lo);
    return lookup(v, hi, lo, cc);
}

static size_t val_pairs(uint64_t val)
{
    switch (AR_VIS_KIND(val)) {
    case AR_VIS_K_REMOVED:
        return 1;
    case AR_VIS_K_INLINE: {
        size_t n = 0;
        while (n < AR_VIS_INLINE_MAX && ((val >> (2 + AR_VIS_CC_BITS * n)) & AR_VIS_CC_MASK))
            n++;
        return n;
    }
    case AR_VIS_K_LARGE:
        return (size_t)(val >> 2) & AR_VIS_CC_MASK;
    default:
        return 0;
    }
}

/*---- Scope ----------------------------------------------------------------*/

static void cc_decode(unsigned cc, char out[2])
{
    out[0] = (char)('A' + (cc - 1) / 26);
    out[1] = (char)('A' + (cc - 1) % 26);
}

/* A LARGE item's countries by walking its chain, as the writer does. A
 * chain rewritten under us shows as a main val that moved (every LARGE
 * publication has a new sequence number): false, and the caller retries. */
static bool walk_chain(const ar_vis_table *t, const _Atomic uint64_t *s, uint64_t val, uint64_t hi,
                       uint64_t lo, uint16_t *codes, size_t *n)
{
    size_t m = val_pairs(val);
    unsigned cc = (unsigned)(val >> 12) & AR_VIS_CC_MASK;
    *n = 0;
    for (size_t i = 0; i < m; i++) {
        if (cc == 0 || cc > AR_VIS_CC_COUNT)
            return false;
        uint64_t phi, plo;
        pair_key(hi, lo, cc, &phi, &plo);
        const _Atomic uint64_t *ps = ar__visibility_table_lookup(t, phi, plo);
        if (!ps)
            return false;
        uint64_t pv = atomic_load_explicit(ps, memory_order_acquire);
        if (AR_VIS_KIND(pv) != AR_VIS_P_RESTRICTED)
            return false;
        codes[(*n)++] = (uint16_t)cc;
        cc = (unsigned)(pv >> 2) & AR_VIS_CC_MASK;
    }
    return atomic_load_explicit(s, memory_order_acquire) == val;
}

static int cmp_code(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

ar_visibility_state ar_visibility_scope(const ar_visibility *v, const char *item_id,
                                        size_t item_len, char *countries, size_t *ncountries)
{
    *ncountries = 0;
    if (!v || !item_id || item_len == 0)
        return AR_VISIBLE;
    uint64_t hi, lo;
    item_key(v, item_id, item_len, &hi, &lo);
    const ar_vis_table *t = &v->t;
    uint16_t codes[AR_VIS_CC_COUNT];
    for (;;) {
        uint64_t g = atomic_load_explicit(&t->gen, memory_order_acquire);
        size_t n = 0;
        ar_visibility_state st = AR_VISIBLE;
        const _Atomic uint64_t *s = ar__visibility_table_lookup(t, hi, lo);
        uint64_t val = s ? atomic_load_explicit(s, memory_order_acquire) : 0;
        switch (AR_VIS_KIND(val)) {
        case AR_VIS_K_REMOVED:
            st = AR_REMOVED;
            break;
        case AR_VIS_K_INLINE:
            n = val_pairs(val);
            for (size_t i = 0; i < n; i++)
                codes[i] = (uint16_t)((val >> (2 + AR_VIS_CC_BITS * i)) & AR_VIS_CC_MASK);
            st = AR_RESTRICTED;
            break;
        case AR_VIS_K_LARGE:
            if (!walk_chain(t, s, val, hi, lo, codes, &n))
                continue;
            st = AR_RESTRICTED;
            break;
        default:
            break;
        }
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(&t->gen, memory_order_relaxed) != g)
            continue;
        qsort(codes, n, sizeof codes[0], cmp_code);
        for (size_t i = 0; i < n; i++)
            cc_decode(codes[i], countries + 2 * i);
        *ncountries = n;
        return st;
    }
}

/* A software pipeline over chunks of CHUNK lookups, in three stages one
 * chunk apart: (1) hash the chunk's ids, eight at a time in vector lanes
 * (keyhash.h), and prefetch their directory entries; (2) read the page
 * pointers and prefetch each home bucket's line; (3) probe. One
 * lookup at a time is one cache miss the CPU can hardly overlap with the
 * next; here up to two chunks of misses are in flight while the core
 * hashes the next chunk. `gen` is read once for the call: if a page was
 * retired meanwhile, the call redoes its lookups one at a time, each
 * checking for itself. */
#define CHUNK 16 /* lookups a stage: a multiple of AR_VIS_HASH_LANES */

typedef struct pending {
    uint64_t hi, lo; /* hi 0: no lookup (no id), the answer is visible */
    const ar_vis_page *page;
    unsigned cc;
} pending;

/* Stage 1 for the m (<= CHUNK) lookups from ids, lens, countries on. */
static void stage_hash(const ar_visibility *v, const ar_vis_dir *d, pending *q, size_t m,
                       const char *const *ids, const size_t *lens, const char *countries)
{
    for (size_t g = 0; g < m; g += AR_VIS_HASH_LANES) {
        const unsigned char *p[AR_VIS_HASH_LANES];
        size_t len[AR_VIS_HASH_LANES];
        uint64_t hi[AR_VIS_HASH_LANES], lo[AR_VIS_HASH_LANES];
        for (size_t i = 0; i < AR_VIS_HASH_LANES; i++) {
            size_t k = g + i;
            bool some = k < m && ids[k] && lens[k];
            p[i] = some ? (const unsigned char *)ids[k] : NULL;
            len[i] = some ? lens[k] : 0;
        }
        if (m - g >= 4) {
            v->hash8(&v->key, p, len, hi, lo);
        } else { /* a batch's last few: eight lanes would cost more than these */
            for (size_t i = 0; i < m - g; i++)
                ar__vis_siphash(&v->key, p[i], len[i], &hi[i], &lo[i]);
        }
        for (size_t i = 0; i < AR_VIS_HASH_LANES && g + i < m; i++) {
            pending *e = &q[g + i];
            const char *c = countries ? countries + 2 * (g + i) : NULL;
            e->cc = c ? cc_encode(c[0], c[1]) : 0;
            e->hi = len[i] == 0 ? 0 : hi[i] ? hi[i] : 1; /* as item_key */
            e->lo = lo[i];
            if (e->hi)
                __builtin_prefetch(&d->pages[(e->hi >> 1) >> (63 - d->depth)]);
        }
    }
}

/* Stage 2: the pages, and a prefetch of each home bucket: one line, all
 * the probe reads unless that bucket overflowed. */
static void stage_page(const ar_vis_table *t, const ar_vis_dir *d, pending *q, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        if (!q[i].hi)
            continue;
        q[i].page = ar__visibility_dir_page(d, q[i].hi);
        __builtin_prefetch(&q[i].page->buckets[ar__visibility_home(t, q[i].hi)]);
    }
}

/* Stage 3: the answers. */
static void stage_probe(const ar_visibility *v, const pending *q, size_t m,
                        ar_visibility_state *out)
{
    for (size_t i = 0; i < m; i++) {
        ar_visibility_state st = AR_VISIBLE;
        const _Atomic uint64_t *s =
            q[i].hi ? ar__visibility_page_probe(&v->t, q[i].page, q[i].hi, q[i].lo) : NULL;
        if (s) {
            uint64_t val = atomic_load_explicit(s, memory_order_acquire);
            if (AR_VIS_KIND(val) == AR_VIS_K_LARGE)
                st = q[i].cc ? lookup(v, q[i].hi, q[i].lo, q[i].cc) : AR_VISIBLE;
            else
                st = val_state(val, q[i].cc);
        }
        out[i] = st;
    }
}

void ar_visibility_get_many(const ar_visibility *v, size_t n, const char *const *ids,
                             const size_t *lens, const char *countries, ar_visibility_state *out)
{
    if (!out)
        return;
    if (!v || !ids || !lens) {
        for (size_t i = 0; i < n; i++)
            out[i] = AR_VISIBLE;
        return;
    }
    const ar_vis_table *t = &v->t;
    pending ring[3][CHUNK];
    uint64_t g = atomic_load_explicit(&t->gen, memory_order_acquire);
    const ar_vis_dir *d = atomic_load_explicit(&t->dir, memory_order_acquire);
    size_t chunks = n / CHUNK + (n % CHUNK != 0);
    for (size_t c = 0; c < chunks + 2; c++) {
        if (c < chunks) {
            size_t at = c * CHUNK;
            stage_hash(v, d, ring[c % 3], n - at < CHUNK ? n - at : CHUNK, ids + at, lens + at,
                       countries ? countries + 2 * at : NULL);
        }
        if (c >= 1 && c - 1 < chunks) {
            size_t at = (c - 1) * CHUNK;
            stage_page(t, d, ring[(c - 1) % 3], n - at < CHUNK ? n - at : CHUNK);
        }
        if (c >= 2) {
            size_t at = (c - 2) * CHUNK;
            stage_probe(v, ring[(c - 2) % 3], n - at < CHUNK ? n - at : CHUNK, out + at);
        }
    }
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&t->gen, memory_order_relaxed) != g)
        for (size_t i = 0; i < n; i++)
            out[i] = ar_visibility_get(v, ids[i], lens[i], countries ? countries + 2 * i : NULL);
}

/*---- Setup ---------------------------------------------------------------*/

ar_status ar_visibility_new(ar_ctx *ctx, size_t capacity_hint, ar_visibility **out, ar_error *err)
{
    if (out)
        *out = NULL;
    if (!ctx || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_visibility_new: NULL argument");
    if (sodium_init() < 0)
        return ar_error_set(err, AR_EBACKEND, NULL, "visibility: libsodium failed to initialise");
    ar_visibility *v = ar__calloc(ctx, 1, sizeof *v);
    if (!v)
        return ar_error_set(err, AR_ENOMEM, NULL, "visibility: out of memory for the index");
    v->ctx = ctx;
    /* Sized at one slot a pair, what items restricted in one country
     * each take; items with more countries (up to 6) take fewer. */
    ar_status s = ar__visibility_table_init(&v->t, ctx, capacity_hint, err);
    if (s != AR_OK) {
        ar__free(ctx, v);
        return s;
    }
    unsigned char key[16];
    randombytes_buf(key, sizeof key);
    v->key.k0 = ar__vis_load_le64(key);
    v->key.k1 = ar__vis_load_le64(key + 8);
    sodium_memzero(key, sizeof key);
    v->hash8 = ar__vis_hash8_best();
    atomic_init(&v->items, 0);
    atomic_init(&v->pairs, 0);
    AR_LOG(ctx, AR_LOG_DEBUG, "visibility", "index_created",
           AR_KV_INT("capacity_hint", capacity_hint), AR_KV_INT("pages", v->t.npages),
           AR_KV_INT("page_buckets", v->t.nbuckets));
    *out = v;
    return AR_OK;
}

void ar_visibility_free(ar_visibility *v)
{
    if (!v)
        return;
    ar_ctx *ctx = v->ctx;
    ar__visibility_table_free(&v->t);
    ar__free(ctx, v);
}

void ar__visibility_probe_stats(const ar_visibility *v, ar_vis_probe_stats *out)
{
    ar__visibility_table_probe_stats(&v->t, out);
}

void ar_visibility_stats_get(const ar_visibility *v, ar_visibility_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!v)
        return;
    out->items = atomic_load_explicit(&v->items, memory_order_relaxed);
    out->pairs = atomic_load_explicit(&v->pairs, memory_order_relaxed);
    out->memory_bytes =
        sizeof *v + atomic_load_explicit(&v->t.memory_bytes, memory_order_relaxed);
}

/*---- Update --------------------------------------------------------------*/

static ar_status bad_country(ar_error *err, size_t i, const char *c)
{
    char field[32];
    snprintf(field, sizeof field, "countries[%zu]", i);
    unsigned char a = (unsigned char)c[0], b = (unsigned char)c[1];
    if (a >= 0x20 && a < 0x7f && b >= 0x20 && b < 0x7f)
        return ar_error_set(err, AR_EINVAL, field,
                            "country code '%c%c' is not two ASCII letters (ISO 3166-1 alpha-2)",
                            a, b);
    return ar_error_set(err, AR_EINVAL, field,
                        "country code bytes 0x%02x 0x%02x are not two ASCII letters", a, b);
}

/* The old LARGE set into v->oldcc by walking its chain; its size. */
static ar_status old_chain(ar_visibility *v, uint64_t hi, uint64_t lo, uint64_t val, size_t *n,
                           ar_error *err)
{
    size_t m = val_pairs(val);
    unsigned cc = (unsigned)(val >> 12) & AR_VIS_CC_MASK;
    for (size_t i = 0; i < m; i++) {
        uint64_t phi, plo;
        pair_key(hi, lo, cc, &phi, &plo);
        _Atomic uint64_t *ps = ar__visibility_table_find(&v->t, phi, plo);
        if (AR_NEVER(!ps || cc == 0 || cc > AR_VIS_CC_COUNT))
            return ar_error_set(err, AR_EINTERNAL, NULL, "visibility: broken country chain");
        v->oldcc[i] = (uint16_t)cc;
        cc = (unsigned)(atomic_load_explicit(ps, memory_order_relaxed) >> 2) & AR_VIS_CC_MASK;
    }
    *n = m;
    return AR_OK;
}

/* Undo step 1 for the first n new countries (after a failed allocation). */
static void undo_pairs(ar_visibility *v, uint64_t hi, uint64_t lo, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t phi, plo;
        pair_key(hi, lo, v->newcc[i], &phi, &plo);
        _Atomic uint64_t *ps = ar__visibility_table_find(&v->t, phi, plo);
        if (AR_ALWAYS(ps))
            atomic_store_explicit(ps, v->prev[i], memory_order_release);
    }
}

/* Step 1: the new LARGE set's pairs restricted and chained. */
static ar_status set_pairs(ar_visibility *v, uint64_t hi, uint64_t lo, size_t k, ar_error *err)
{
    for (size_t j = 0; j < k; j++) {
        uint64_t phi, plo;
        pair_key(hi, lo, v->newcc[j], &phi, &plo);
        uint64_t pv = AR_VIS_P_RESTRICTED | (uint64_t)(j + 1 < k ? v->newcc[j + 1] : 0) << 2;
        _Atomic uint64_t *ps = ar__visibility_table_find(&v->t, phi, plo);
        if (ps) {
            v->prev[j] = atomic_load_explicit(ps, memory_order_relaxed);
            atomic_store_explicit(ps, pv, memory_order_release);
            continue;
        }
        ar_status s = ar__visibility_table_reserve(&v->t, phi, err);
        if (s != AR_OK) {
            undo_pairs(v, hi, lo, j);
            return s;
        }
        ar__visibility_table_insert(&v->t, phi, plo, pv);
        v->prev[j] = 0; /* absent and a visible tombstone read the same */
    }
    return AR_OK;
}

ar_status ar_visibility_set(ar_visibility *v, const char *item_id, size_t item_len, bool removed,
                            const char *countries, size_t ncountries, ar_error *err)
{
    if (!v)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_visibility_set: index is NULL");
    if (!item_id || item_len == 0)
        return ar_error_set(err, AR_EINVAL, "item_id", "item id is empty");
    if (ncountries && !countries)
        return ar_error_set(err, AR_EINVAL, "countries", "countries is NULL but ncountries is %zu",
                            ncountries);
    if (ncountries > SIZE_MAX / 2)
        return ar_error_set(err, AR_EINVAL, "countries", "ncountries %zu is impossible",
                            ncountries);

    /* Check every code before touching anything; drop repeats. */
    uint64_t seen[(AR_VIS_CC_COUNT + 64) / 64] = {0};
    size_t k = 0;
    for (size_t i = 0; i < ncountries; i++) {
        unsigned cc = cc_encode(countries[2 * i], countries[2 * i + 1]);
        if (!cc)
            return bad_country(err, i, countries + 2 * i);
        if (seen[cc / 64] & (UINT64_C(1) << (cc % 64)))
            continue;
        seen[cc / 64] |= UINT64_C(1) << (cc % 64);
        v->newcc[k++] = (uint16_t)cc;
    }
    unsigned kind = removed  ? AR_VIS_K_REMOVED
                    : k == 0 ? AR_VIS_K_VISIBLE
                    : k <= AR_VIS_INLINE_MAX ? AR_VIS_K_INLINE
                                             : AR_VIS_K_LARGE;

    uint64_t hi, lo;
    item_key(v, item_id, item_len, &hi, &lo);
    _Atomic uint64_t *s = ar__visibility_table_find(&v->t, hi, lo);
    uint64_t oldval = s ? atomic_load_explicit(s, memory_order_relaxed) : 0;
    if (oldval == 0 && kind == AR_VIS_K_VISIBLE)
        return AR_OK; /* visible stays visible */
    size_t m = 0;
    if (AR_VIS_KIND(oldval) == AR_VIS_K_LARGE) {
        ar_status st = old_chain(v, hi, lo, oldval, &m, err);
        if (st != AR_OK)
            return st;
    }

    uint64_t val = kind;
    if (kind == AR_VIS_K_INLINE) {
        for (size_t j = 0; j < k; j++)
            val |= (uint64_t)v->newcc[j] << (2 + AR_VIS_CC_BITS * j);
    } else if (kind == AR_VIS_K_LARGE) {
        ar_status st = set_pairs(v, hi, lo, k, err); /* step 1 */
        if (st != AR_OK)
            return st;
        v->seq = (v->seq + 1) & SEQ_MASK;
        val |= (uint64_t)k << 2 | (uint64_t)v->newcc[0] << 12 | v->seq << AR_VIS_LARGE_SEQ_SHIFT;
    }

    /* Step 2. Step 1 may have split pages: find the main slot again. */
    s = ar__visibility_table_find(&v->t, hi, lo);
    if (s) {
        atomic_store_explicit(s, val, memory_order_release);
    } else {
        ar_status st = ar__visibility_table_reserve(&v->t, hi, err);
        if (st != AR_OK) {
            if (kind == AR_VIS_K_LARGE)
                undo_pairs(v, hi, lo, k);
            return st;
        }
        ar__visibility_table_insert(&v->t, hi, lo, val);
    }

    /* Step 3: countries the old LARGE set had and the new one lacks. */
    for (size_t i = 0; i < m; i++) {
        unsigned cc = v->oldcc[i];
        if (kind == AR_VIS_K_LARGE && (seen[cc / 64] & (UINT64_C(1) << (cc % 64))))
            continue;
        uint64_t phi, plo;
        pair_key(hi, lo, cc, &phi, &plo);
        _Atomic uint64_t *ps = ar__visibility_table_find(&v->t, phi, plo);
        if (AR_ALWAYS(ps))
            atomic_store_explicit(ps, AR_VIS_P_VISIBLE, memory_order_release);
    }

    size_t items = atomic_load_explicit(&v->items, memory_order_relaxed);
    items = items + (kind != AR_VIS_K_VISIBLE) - (AR_VIS_KIND(oldval) != AR_VIS_K_VISIBLE);
    atomic_store_explicit(&v->items, items, memory_order_relaxed);
    size_t pairs = atomic_load_explicit(&v->pairs, memory_order_relaxed);
    atomic_store_explicit(&v->pairs, pairs + val_pairs(val) - val_pairs(oldval),
                          memory_order_relaxed);
    return AR_OK;
}
