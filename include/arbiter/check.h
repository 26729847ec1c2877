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

typedef struct ar_verdict_match {
    const char *standard; /* standard id (borrowed from the engine) */
    const char *rule;     /* rule id (borrowed from the engine) */
    uint32_t start, end;  /* bytes of the original text [start, end) */
} ar_verdict_match;

typedef struct ar_verdict {
    bool flagged;
    ar_action action;            /* strongest action among the standards that fired */
    const ar_verdict_match *matches; /* borrowed from the scratch until its next check */
    size_t nmatches;
    size_t dropped;     /* matches past AR_MATCH_MAX_PER_ITEM, not listed */
    unsigned text_flags; /* AR_TEXT_REPAIRED */
} ar_verdict;

/* Check one text. `lang` may be NULL (every rule applies). AR_ETOOBIG past
 * AR_TEXT_MAX_BYTES. The verdict is written only on AR_OK. */
AR_API AR_NODISCARD ar_status ar_check_text(ar_engine *e, ar_check_scratch *s, const char *text,
                                            size_t len, const char *lang, ar_verdict *out,
                                            ar_error *err);

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
