/*
 * words.c - whole-word terms without vectorscan: a hash table of tokens,
 * looked up once per token of the stream.
 *
 * The stream is " tok tok tok ": a token is the bytes between two spaces,
 * and a whole-word literal " a b c " is a run of whole tokens. So each
 * literal is filed under one of its tokens, its anchor; the scan hashes
 * each token of the stream and asks which literals are anchored there, and
 * confirms each against the bytes around the token: the literal's bytes
 * with a space before and a space after, which is exactly " a b c "
 * occurring in the stream, as vectorscan would find it.
 *   - The anchor is the token with the fewest literals already filed under
 *     it, then the longest: phrases of an invented word and a common one
 *     ("flousksor my") are filed under the invented word, so common words
 *     rarely reach the table. (Keyed on their last token, half the
 *     benchmark's tokens went to the table; keyed on every run of 1..k
 *     tokens ending at a token, each token cost k lookups.)
 *   - A Bloom filter (two bits in one 64-bit word, 16 bits an anchor) keyed
 *     by a one-multiply hash of the token's first 8 bytes and its length
 *     turns most tokens away before the full hash is taken.
 *   - At most AR_MATCH_WORD_BUCKET literals share an anchor; the rest go to
 *     vectorscan, so a token costs at most that many confirmations
 *     whatever the policy. Collisions of the 64-bit hash cost a memcmp.
 * Reports are (literal, end), end just past the trailing space, as
 * vectorscan gives for " a b c "; they come in anchor order, not end order
 * (the scan sorts what it keeps).
 */
#include "match_int.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define FILTER_BITS_PER_KEY 16
#define FILTER_BITS_MIN     128        /* two words: a shift by 64 would be undefined */
#define FILTER_BITS_MAX     (1u << 24) /* 2 MiB */

/*---- Hashing --------------------------------------------------------------*/

#define K1 0x9E3779B97F4A7C15ull
#define K2 0xC2B2AE3D27D4EB4Full
#define K3 0x165667B19E3779F9ull

/* Eight bytes, the first in the low byte whatever the host's byte order. */
static inline uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* n < 8 bytes, zero-padded, without reading past them. */
static inline uint64_t load_part(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The first n bytes of a 16-byte chunk, as masks of its two words: a
 * table, so the hash of a short token takes no branch on its length. */
static const uint64_t chunk_mask[17][2] = {
    {0, 0},
    {0xffull, 0},
    {0xffffull, 0},
    {0xffffffull, 0},
    {0xffffffffull, 0},
    {0xffffffffffull, 0},
    {0xffffffffffffull, 0},
    {0xffffffffffffffull, 0},
    {~0ull, 0},
    {~0ull, 0xffull},
    {~0ull, 0xffffull},
    {~0ull, 0xffffffull},
    {~0ull, 0xffffffffull},
    {~0ull, 0xffffffffffull},
    {~0ull, 0xffffffffffffull},
    {~0ull, 0xffffffffffffffull},
    {~0ull, ~0ull},
};

/* One 16-byte chunk (two words) into the running hash. */
static inline uint64_t chunk(uint64_t acc, uint64_t w0, uint64_t w1)
{
    return ((acc << 23) | (acc >> 41)) ^ (w0 * K1) ^ (w1 * K2);
}

static inline uint64_t finish(uint64_t acc)
{
    acc ^= acc >> 32;
    acc *= K3;
    return acc ^ (acc >> 29);
}

/* A token's hash: its bytes in 16-byte chunks, zero-padded (at least one
 * chunk), folded into its length. The same function serves compile and scan
 * (token_hash is its fast path for tokens up to 16 bytes). */
static uint64_t token_hash_any(const unsigned char *p, size_t n)
{
    uint64_t acc = (uint64_t)n * K3;
    size_t i = 0;
    do {
        uint64_t w[2] = {0, 0};
        for (size_t j = 0; j < 2; j++) {
            size_t off = i + 8 * j, r = off >= n ? 0 : n - off;
            w[j] = r >= 8 ? load64(p + off) : load_part(p + off, r);
        }
        acc = chunk(acc, w[0], w[1]);
        i += 16;
    } while (i < n);
    return finish(acc);
}

/* Hash of the token buf[s, e), buf holding `len` bytes. */
static inline uint64_t token_hash(const unsigned char *buf, size_t s, size_t e, size_t len)
{
    size_t n = e - s;
    if (n > 16 || s + 16 > len) return token_hash_any(buf + s, n);
    uint64_t w0 = load64(buf + s) & chunk_mask[n][0];
    uint64_t w1 = load64(buf + s + 8) & chunk_mask[n][1];
    return finish(chunk((uint64_t)n * K3, w0, w1));
}

/* The filter's hash of a token: its first 8 bytes (zero-padded) and its
 * length, one multiply. The full hash is only needed when the filter lets
 * the token through (a few percent of tokens). */
static inline uint64_t quick_hash(uint64_t w0, size_t n)
{
    uint64_t h = (w0 + (uint64_t)n * K3) * K1;
    return h ^ (h >> 29);
}

/* quick_hash of the token buf[s, s + n), buf holding `len` bytes. */
static inline uint64_t token_quick(const unsigned char *buf, size_t s, size_t n, size_t len)
{
    if (s + 8 <= len) return quick_hash(load64(buf + s) & chunk_mask[n < 8 ? n : 8][0], n);
    return quick_hash(load_part(buf + s, n < 8 ? n : 8), n);
}

/* Bit i set when p[i] is an ASCII space, for i < min(n, 64). */
static inline uint64_t space_mask(const unsigned char *p, size_t n)
{
    unsigned char tail[64];
    if (n < 64) {
        memset(tail, 0, sizeof tail); /* NUL is not a space */
        memcpy(tail, p, n);
        p = tail;
    }
    uint64_t m = 0;
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(' ');
    for (unsigned k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        m |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)) << (16 * k);
    }
#else
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    for (unsigned k = 0; k < 8; k++) {
        uint64_t x = load64(p + 8 * k) ^ 0x2020202020202020ull;     /* a space becomes 0 */
        uint64_t z = ~(((x & low7) + low7) | x | low7);             /* 0x80 in each zero byte */
        m |= (((z >> 7) * 0x0102040810204080ull) >> 56) << (8 * k); /* one bit a byte */
    }
#endif
    return m;
}

/* The filter word and the two bits of `key`. */
static inline size_t filter_word(const ar__match_words *w, uint64_t key)
{
    return (size_t)(key >> w->filter_shift);
}

static inline uint64_t filter_bits(uint64_t key)
{
    return (1ull << (key & 63)) | (1ull << ((key >> 6) & 63));
}

/*---- Build ----------------------------------------------------------------*/

/* true if the whole-word literal s[0, len) (brackets stripped) can go in the
 * index: non-empty, no space at either end, no two spaces in a row. */
bool ar__match_words_fits(const char *s, size_t len)
{
    if (len == 0 || len >= UINT32_MAX || s[0] == ' ' || s[len - 1] == ' ') return false;
    for (size_t i = 1; i < len; i++)
        if (s[i] == ' ' && s[i - 1] == ' ') return false;
    return true;
}

/* Literals filed under `key` so far. */
static size_t bucket_size(const ar__match_words *w, uint64_t key)
{
    size_t n = 0;
    for (size_t i = key & w->slot_mask; w->slots[i].lit != AR_MATCH_NONE;
         i = (i + 1) & w->slot_mask)
        n += w->slots[i].key == key;
    return n;
}

/* File literal `lit` (bytes s[0, len), ar__match_words_fits) under its
 * anchor. Returns false, filing nothing, when every token's bucket is full. */
static bool add_literal(ar__match_words *w, uint32_t lit, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t best_key = 0;
    size_t best_n = SIZE_MAX, best_len = 0, best_off = 0;
    for (size_t a = 0, i = 0; i <= len; i++) {
        if (i < len && u[i] != ' ') continue;
        uint64_t key = token_hash_any(u + a, i - a);
        size_t n = bucket_size(w, key);
        if (n < best_n || (n == best_n && i - a > best_len)) {
            best_key = key;
            best_n = n;
            best_len = i - a;
            best_off = a;
        }
        a = i + 1;
    }
    if (best_n >= AR_MATCH_WORD_BUCKET) return false;
    uint64_t q = token_quick(u, best_off, best_len, len);
    w->filter[filter_word(w, q)] |= filter_bits(q);
    size_t i = best_key & w->slot_mask;
    while (w->slots[i].lit != AR_MATCH_NONE)
        i = (i + 1) & w->slot_mask;
    w->slots[i] = (ar__match_wslot){.key = best_key, .lit = lit, .anchor = (uint32_t)best_off};
    return true;
}

void ar__match_words_free(const ar_ctx *ctx, ar__match_words *w)
{
    ar__free(ctx, w->slots);
    ar__free(ctx, w->filter);
    ar__free(ctx, w->pool);
    ar__free(ctx, w->off);
    memset(w, 0, sizeof *w);
}

/* Build `w` over the literals lits[k] (lens[k] bytes, brackets stripped) for
 * which indexed[k] is true; each passed ar__match_words_fits. nlits is the
 * db's literal count. indexed[k] is cleared for a literal left out (its
 * anchor's bucket full): vectorscan must take it. Returns AR_OK, AR_ENOMEM
 * or AR_ETOOBIG (4 GiB of literal bytes); on failure `w` is empty. */
ar_status ar__match_words_build(const ar_ctx *ctx, ar__match_words *w, const char *const *lits,
                                const size_t *lens, bool *indexed, size_t nlits, ar_error *err)
{
    memset(w, 0, sizeof *w);
    size_t nind = 0, bytes = 0;
    for (size_t k = 0; k < nlits; k++) {
        if (!indexed[k]) continue;
        nind++;
        bytes += lens[k];
    }
    if (nind == 0) return AR_OK;
    if (bytes >= UINT32_MAX || nlits >= UINT32_MAX)
        return ar_error_set(err, AR_ETOOBIG, "patterns", "over 4 GiB of terms");

    size_t nslots = 16, nbits = FILTER_BITS_MIN;
    while (nslots < 2 * nind)
        nslots *= 2;
    while (nbits < FILTER_BITS_PER_KEY * nind && nbits < FILTER_BITS_MAX)
        nbits *= 2;
    unsigned shift = 64 + 6; /* 64-bit words: the top log2(nbits / 64) bits pick one */
    for (size_t b = nbits; b > 1; b >>= 1)
        shift--;

    w->slots = ar__malloc(ctx, nslots * sizeof *w->slots);
    w->filter = ar__calloc(ctx, nbits / 64, sizeof *w->filter);
    w->pool = ar__malloc(ctx, bytes);
    w->off = ar__calloc(ctx, nlits + 1, sizeof *w->off);
    if (!w->slots || !w->filter || !w->pool || !w->off) {
        ar__match_words_free(ctx, w);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory indexing %zu terms", nind);
    }
    for (size_t i = 0; i < nslots; i++)
        w->slots[i] = (ar__match_wslot){.lit = AR_MATCH_NONE};
    w->slot_mask = nslots - 1;
    w->filter_shift = shift;

    uint32_t at = 0;
    for (size_t k = 0; k < nlits; k++) {
        w->off[k] = at;
        if (!indexed[k]) continue;
        if (!add_literal(w, (uint32_t)k, lits[k], lens[k])) {
            indexed[k] = false;
            continue;
        }
        memcpy(w->pool + at, lits[k], lens[k]);
        at += (uint32_t)lens[k];
    }
    w->off[nlits] = at;
    w->bytes = nslots * sizeof *w->slots + nbits / 8 + at + (nlits + 1) * sizeof *w->off;
    return AR_OK;
}

/*---- Scan -----------------------------------------------------------------*/

/* Report the literals anchored at the token buf[s, e) (hash `key`) that
 * occur there, bracketed by spaces. Returns nonzero when fn asks to stop. */
static int probe(const ar__match_words *w, uint64_t key, const unsigned char *buf, size_t len,
                 size_t s, ar__match_words_fn fn, void *ud)
{
    for (size_t i = key & w->slot_mask;; i = (i + 1) & w->slot_mask) {
        const ar__match_wslot *sl = &w->slots[i];
        if (sl->lit == AR_MATCH_NONE) return 0;
        if (sl->key != key || sl->anchor >= s) continue;
        size_t a = s - sl->anchor; /* where the literal would start */
        size_t n = w->off[sl->lit + 1] - w->off[sl->lit];
        if (n >= len - a || buf[a - 1] != ' ' || buf[a + n] != ' ' ||
            memcmp(buf + a, w->pool + w->off[sl->lit], n) != 0)
            continue;
        if (fn(sl->lit, (uint32_t)(a + n + 1), ud)) return 1;
    }
}

/* Scan text[0, len) for the indexed literals, calling fn(literal, end) for
 * each occurrence. Returns nonzero if fn stopped the scan. Spaces are found
 * 64 bytes at a time, so the branches taken follow the tokens, not the
 * bytes. Bytes before the first space and after the last are no token: no
 * bracketed literal can be anchored there. */
int ar__match_words_scan(const ar__match_words *w, const char *text, size_t len,
                         ar__match_words_fn fn, void *ud)
{
    if (!w->slots) return 0;
    const unsigned char *buf = (const unsigned char *)text;
    const uint64_t *filter = w->filter;
    size_t prev = SIZE_MAX; /* the last space seen */
    for (size_t base = 0; base < len; base += 64) {
        uint64_t sp = space_mask(buf + base, len - base);
        while (sp) {
            size_t e = base + (size_t)__builtin_ctzll(sp);
            sp &= sp - 1;
            if (prev != SIZE_MAX) {
                size_t s = prev + 1;
                uint64_t q = token_quick(buf, s, e - s, len);
                uint64_t bits = filter_bits(q);
                if ((filter[filter_word(w, q)] & bits) == bits &&
                    probe(w, token_hash(buf, s, e, len), buf, len, s, fn, ud))
                    return 1;
            }
            prev = e;
        }
    }
    return 0;
}
