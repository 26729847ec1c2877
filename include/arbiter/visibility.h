/*
 * arbiter/visibility.h - the serving path's answer to "may this item be
 * shown in this country?": an in-memory index (item, country) -> visible,
 * restricted or removed.
 *
 * The index is derived from decisions only: rebuilt from the store at start
 * (ar_visibility_set for every item's current decision) and updated on every
 * new decision. An item removed globally is removed everywhere; an item
 * restricted in some countries is restricted there and visible elsewhere;
 * anything else is visible.
 *
 * Items are keyed by the platform's item id (an opaque string). Internally
 * the key is 96 bits of a 128-bit keyed hash (SipHash-2-4 x2 with a
 * per-index random key) of that id, so a crafted id cannot aim collisions
 * and an accidental one is not a practical concern (documented in the
 * implementation).
 *
 * Lookups are O(1), take no lock and never allocate. Memory is at most 40
 * bytes per (item, country) pair held, measured by the benchmark.
 *
 * THREAD SAFETY: any number of threads may call ar_visibility_get() at any
 * time, including during updates. Updates (ar_visibility_set) must come
 * from one thread at a time (the decision writer), which the caller
 * serialises.
 */
#ifndef ARBITER_VISIBILITY_H
#define ARBITER_VISIBILITY_H

#include "arbiter/common.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ar_visibility_state {
    AR_VISIBLE = 0,
    AR_RESTRICTED, /* withheld in this country (local law) */
    AR_REMOVED,    /* removed everywhere (community standards) */
} ar_visibility_state;

AR_API const char *ar_visibility_state_name(ar_visibility_state s); /* "visible" ... */

typedef struct ar_visibility ar_visibility;

/* capacity_hint: expected (item, country) pairs (0: small). */
AR_API AR_NODISCARD ar_status ar_visibility_new(ar_ctx *ctx, size_t capacity_hint,
                                                ar_visibility **out, ar_error *err);
AR_API void ar_visibility_free(ar_visibility *v);

/* Country codes are ISO 3166-1 alpha-2, two ASCII letters, either case
 * ("PK", "pk"); anything else is AR_EINVAL. */
AR_API bool ar_visibility_country_valid(const char *cc);

/* The item's state in `country`. An unknown item is AR_VISIBLE. */
AR_API ar_visibility_state ar_visibility_get(const ar_visibility *v, const char *item_id,
                                             size_t item_len, const char country[2]);

/* Every country the item is withheld in, for a platform that caches an
 * item's scope or a page that shows it. Returns AR_REMOVED (removed
 * everywhere; *ncountries 0), AR_RESTRICTED (restricted in the
 * *ncountries codes written to `countries`, two letters each, back to
 * back, in alphabetical order) or AR_VISIBLE (*ncountries 0). `countries`
 * must hold AR_VISIBILITY_MAX_COUNTRIES * 2 bytes. Lock-free like
 * ar_visibility_get: a concurrent update is seen wholly or not at all. */
#define AR_VISIBILITY_MAX_COUNTRIES 676
AR_API ar_visibility_state ar_visibility_scope(const ar_visibility *v, const char *item_id,
                                               size_t item_len, char *countries,
                                               size_t *ncountries);

/* Many lookups at once: out[i] = ar_visibility_get(v, ids[i], lens[i],
 * countries + 2 * i) (countries NULL: no country). Faster per lookup than
 * one at a time, because the batch's memory reads overlap (a feed page, the
 * visibility:batch route). */
AR_API void ar_visibility_get_many(const ar_visibility *v, size_t n, const char *const *ids,
                                   const size_t *lens, const char *countries,
                                   ar_visibility_state *out);

/* Replace the item's current state with its newest decision:
 *   removed = true                      -> removed everywhere
 *   ncountries > 0                      -> restricted in exactly those countries
 *   removed = false, ncountries = 0     -> visible everywhere
 * `countries` holds ncountries two-letter codes back to back ("PKIN"). */
AR_API AR_NODISCARD ar_status ar_visibility_set(ar_visibility *v, const char *item_id,
                                                size_t item_len, bool removed,
                                                const char *countries, size_t ncountries,
                                                ar_error *err);

typedef struct ar_visibility_stats {
    size_t items;        /* items with any state other than visible */
    size_t pairs;        /* (item, country) pairs held; a global removal counts 1 */
    size_t memory_bytes; /* everything the index holds */
} ar_visibility_stats;

AR_API void ar_visibility_stats_get(const ar_visibility *v, ar_visibility_stats *out);

#ifdef __cplusplus
}
#endif
#endif
