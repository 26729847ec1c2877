/*
 * arbiter/check.h - item -> verdict: the compiled engine and the check.
 *
 * A policy compiles to an immutable, refcounted engine snapshot: one
 * normaliser, one match database holding every rule of every standard, and
 * the tables that turn a match back into (standard, rule). A check
 * normalises the text once, scans it once, drops matches of rules whose
 * languages exclude the item's, and proposes the strongest action among the
 * standards that fired (remove > review > label).
 *
 * Rules that name a stored list (url_list, bank) are looked up in an
 * ar_lists snapshot given to ar_check_item(): every link given and every
 * URL written in the text is canonicalised and its Safe Browsing
 * expressions looked up; every image hash is compared with the bank's
 * hashes by a linear popcount scan. With no such rules the text is not
 * even searched for URLs.
 *
 * Images come as bytes hashed by ar_check_image_hash() (PDQ, FULL_RES, the
 * family HMA and exchanges hold) into all 8 dihedral variants, and every
 * variant is compared with the bank: a mirrored or rotated copy is the
 * cheapest evasion there is, the variants cost about one hash, and they add
 * no false positives worth the name: two unrelated hashes lie within 31 of
 * 256 bits with odds under 1e-30, times 8; the real false-positive source,
 * flat and near-uniform images (whose variants are alike anyway), is cut by
 * the quality floor. A match names the variant that came nearest (the
 * original on a tie). An image whose quality is under AR_PDQ_MIN_QUALITY is
 * not matched at all (HMA discards such hashes) and the verdict says so
 * (ar_verdict.low_quality) rather than passing it silently. Image bytes are
 * never kept: only the hashes leave ar_check_image_hash().
 *
 * Reload builds a new engine and swaps it into an ar_engine_slot; a check in
 * flight keeps the engine it acquired until it releases it.
 *
 * THREAD SAFETY: an ar_engine may be used by any number of threads. An
 * ar_check_scratch belongs to one thread at a time. ar_engine_slot_acquire()
 * and ar_engine_slot_swap() may be called from any thread.
 */
#ifndef ARBITER_CHECK_H
#define ARBITER_CHECK_H

#include "arbiter/common.h"
#include "arbiter/image.h"
#include "arbiter/lists.h"
#include "arbiter/policy.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ar_engine ar_engine;

/* Compile `policy`; the engine takes ownership of it (on failure too).
 * A bad regex or term: AR_EINVAL with err->file/line/column of the rule. */
AR_API AR_NODISCARD ar_status ar_engine_compile(ar_ctx *ctx, ar_policy *policy, ar_engine **out,
                                                ar_error *err);
/* Parse and compile a policy file in one call (parse errors as in policy.h). */
AR_API AR_NODISCARD ar_status ar_engine_load_file(ar_ctx *ctx, const char *path, ar_engine **out,
                                                  ar_error *err);
AR_API ar_engine *ar_engine_retain(ar_engine *e);
AR_API void ar_engine_release(ar_engine *e); /* frees on the last release; NULL is a no-op */
AR_API const ar_policy *ar_engine_policy(const ar_engine *e);
AR_API size_t ar_engine_pattern_count(const ar_engine *e);
/* The normaliser items go through (for tools that show the normalised text). */
AR_API const ar_text_norm *ar_engine_normalizer(const ar_engine *e);

/* Per-thread working memory for checks; follows the engine it is used with. */
typedef struct ar_check_scratch ar_check_scratch;
AR_API AR_NODISCARD ar_status ar_check_scratch_new(ar_ctx *ctx, ar_check_scratch **out,
                                                   ar_error *err);
AR_API void ar_check_scratch_free(ar_check_scratch *s);

/* Engine + lists: AR_EINVAL at the rule's file:line:column when a url_list
 * or bank rule names a list `lists` lacks or one of the other kind (lists
 * may be NULL: no lists at all). A daemon checks this before it swaps in a
 * new engine. */
AR_API AR_NODISCARD ar_status ar_engine_check_lists(const ar_engine *e, const ar_lists *lists,
                                                    ar_error *err);
/* Does a url_list or bank rule of the engine name the list `name`? */
AR_API bool ar_engine_uses_list(const ar_engine *e, const char *name);

#define AR_CHECK_MAX_LINKS  100u /* links given with one item */
#define AR_CHECK_MAX_HASHES 16u  /* image hashes given with one item */
#define AR_CHECK_MAX_IMAGES 4u   /* images (bytes) given with one item; <= 32 */
#define AR_CHECK_IMAGE_MAX_BYTES (8u * 1024u * 1024u) /* one image, as decoded from base64 */

/* An image of an item, hashed: its 8 dihedral PDQ variants (indexed by
 * ar_pdq_dihedral) and its quality 0..100. */
typedef struct ar_check_image {
    ar_pdq_hash variants[AR_PDQ_DIHEDRAL];
    int quality;
} ar_check_image;

/* Decode and hash one image for a check (FULL_RES, the default size and
 * pixel limits, at most AR_CHECK_IMAGE_MAX_BYTES). Errors as ar_image_pdq:
 * AR_EINVAL for an unknown format or a corrupt file, AR_ETOOBIG past a
 * limit (a decompression bomb is refused from its header). The bytes are
 * only read. On failure *out is zeroed. */
AR_API AR_NODISCARD ar_status ar_check_image_hash(ar_ctx *ctx, const void *bytes, size_t len,
                                                  ar_check_image *out, ar_error *err);

/* Where a match was found. */
typedef enum ar_verdict_source {
    AR_VERDICT_TEXT = 0,     /* a term or regex: start/end in the text */
    AR_VERDICT_TEXT_URL,     /* a URL written in the text: start/end, list, entry */
    AR_VERDICT_LINK,         /* links[index]: list, entry */
    AR_VERDICT_IMAGE_HASH,   /* hashes[index]: list, entry, distance */
    AR_VERDICT_IMAGE,        /* images[index]: list, entry, distance, variant */
} ar_verdict_source;

typedef struct ar_verdict_match {
    const char *standard; /* standard id (borrowed from the engine) */
    const char *rule;     /* rule id (borrowed from the engine) */
    uint32_t start, end;  /* bytes of the original text [start, end) */
    ar_verdict_source source;
    uint32_t index;       /* AR_VERDICT_LINK, AR_VERDICT_IMAGE_HASH: which one */
    const char *list;     /* list rules: the list (borrowed from the lists snapshot) */
    const char *entry;    /* list rules: the entry that matched (borrowed likewise) */
    unsigned distance;    /* AR_VERDICT_IMAGE_HASH, AR_VERDICT_IMAGE: Hamming distance */
    ar_pdq_dihedral variant; /* AR_VERDICT_IMAGE: the variant that came nearest */
    const char *url;      /* AR_VERDICT_LINK: the link as given (borrowed from the input) */
} ar_verdict_match;

typedef struct ar_verdict {
    bool flagged;
    ar_action action;            /* strongest action among the standards that fired */
    const ar_verdict_match *matches; /* borrowed from the scratch until its next check */
    size_t nmatches;
    size_t dropped;     /* matches past AR_MATCH_MAX_PER_ITEM, not listed */
    unsigned text_flags; /* AR_TEXT_REPAIRED */
    uint32_t low_quality; /* bit i: images[i] has quality < AR_PDQ_MIN_QUALITY, not matched */
} ar_verdict;

/* Check one text. `lang` may be NULL (every rule applies). AR_ETOOBIG past
 * AR_TEXT_MAX_BYTES. The verdict is written only on AR_OK. */
AR_API AR_NODISCARD ar_status ar_check_text(ar_engine *e, ar_check_scratch *s, const char *text,
                                            size_t len, const char *lang, ar_verdict *out,
                                            ar_error *err);

/* One item: its text and, optionally, links and image hashes. */
typedef struct ar_check_input {
    const char *text;
    size_t len;
    const char *lang;         /* may be NULL */
    const char *const *links; /* nlinks URLs (NUL-terminated), at most AR_CHECK_MAX_LINKS */
    size_t nlinks;
    const ar_pdq_hash *hashes; /* nhashes PDQ hashes, at most AR_CHECK_MAX_HASHES */
    size_t nhashes;
    const ar_check_image *images; /* nimages hashed images, at most AR_CHECK_MAX_IMAGES */
    size_t nimages;
} ar_check_input;

/* Check an item against the engine's text rules and, in `lists` (may be
 * NULL: list rules match nothing), its url_list and bank rules. A link that
 * is no http(s) URL is AR_EINVAL naming "links[i]"; a URL in the text that
 * does not canonicalise is skipped. Strings of list matches are borrowed
 * from `lists`: hold it as long as the verdict. */
AR_API AR_NODISCARD ar_status ar_check_item(ar_engine *e, const ar_lists *lists,
                                            ar_check_scratch *s, const ar_check_input *in,
                                            ar_verdict *out, ar_error *err);

/* The current engine, swapped atomically on reload. */
typedef struct ar_engine_slot ar_engine_slot;
AR_API AR_NODISCARD ar_status ar_engine_slot_new(ar_ctx *ctx, ar_engine *initial,
                                                 ar_engine_slot **out, ar_error *err);
AR_API void ar_engine_slot_free(ar_engine_slot *slot);
/* A retained reference to the current engine: release it when done. */
AR_API ar_engine *ar_engine_slot_acquire(ar_engine_slot *slot);
/* Install `e` (the slot takes the caller's reference) and drop the slot's
 * reference to the old one; checks holding it finish on it. */
AR_API void ar_engine_slot_swap(ar_engine_slot *slot, ar_engine *e);

#ifdef __cplusplus
}
#endif
#endif
