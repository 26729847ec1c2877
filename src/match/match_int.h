/*
 * match_int.h - the compiled form of a match db and the per-thread scratch,
 * shared by compile.c, words.c and scan.c only.
 *
 * Every TERM and ALLOW pattern becomes a literal after normalisation:
 * " term " (whole word) or "term" (substring). Patterns that normalise to
 * the same literal share one literal index k: ents[k] is the first of them,
 * the others chain on from it (ents[nlits..]), so a report touches one
 * 24-byte entry in the common case. A report is (literal, end of the match
 * in the stream); the start is the end minus the literal's length.
 *
 * Two matchers produce those reports:
 *   - the word index (words.c): whole-word literals, each filed under one
 *     of its tokens in a hash table that the scan looks up once per token
 *     of the stream. On the text benchmark (10k terms + 200 regexes,
 *     260-byte normalised posts, each scanned right after it is
 *     normalised, as in the pipeline) vectorscan spent 0.72 us a post on
 *     its 2 MB database, 0.31 us when the same post was scanned again with
 *     the database in cache: the normaliser evicts it between posts. The
 *     literals' share (~0.5 us) costs ~0.2 us here, from 0.5 MB of table,
 *     and compiles in 1 ms instead of 0.2 s. The vectorscan variants tried
 *     (spaces stripped and checked in the callback, hs_compile_lit_multi,
 *     the host platform passed to the compiler, literals and regexes in
 *     separate databases) were all within 10% of it or slower;
 *   - one vectorscan database holding the other literals (vectorscan id k
 *     for literal k: substring terms, terms in scripts written without
 *     spaces, literals whose anchor bucket is full), escaped and compiled
 *     without SOM so they stay on vectorscan's literal path, and every
 *     REGEX pattern (ids nlits .. nlits+nres-1), UTF-8/UCP with leftmost
 *     SOM, wrapped as " (?:RE) " when whole-word. One database rather than
 *     one per kind: a second hs_scan per post costs more than SOM-less
 *     literals sharing a database with SOM regexes. hs is NULL when nothing
 *     is left for it.
 */
#ifndef AR_MATCH_INT_H
#define AR_MATCH_INT_H

#include "arbiter/match.h"
#include "common/common_int.h"

#include <hs.h>

#define AR_MATCH_NONE UINT32_MAX /* no entry / no run signature */
#define AR_MATCH_WORK_MAX                                                                          \
    (1u << 20) /* reports kept per scan and per kind; the rest are counted                         \
                */

/* One TERM or ALLOW pattern behind a literal. */
typedef struct ar__match_ent {
    uint32_t id;    /* ar_match_pattern.id */
    uint32_t group; /* ar_match_pattern.group */
    uint32_t next;  /* next entry on the same literal, or AR_MATCH_NONE */
    uint32_t sig;   /* offset of its run lengths in db->sigs, or AR_MATCH_NONE if all are 1 */
    uint32_t len;   /* bytes of the literal, bracketing spaces included */
    uint8_t word;   /* 1 if bracketed by spaces: the span drops one byte each side */
    uint8_t allow;  /* 1 for AR_MATCH_ALLOW */
} ar__match_ent;

/* One slot of the word index: a literal filed under its anchor token (words.c). */
typedef struct ar__match_wslot {
    uint64_t key;    /* hash of the anchor token */
    uint32_t lit;    /* AR_MATCH_NONE: empty */
    uint32_t anchor; /* byte offset of the anchor token in the literal */
} ar__match_wslot;

#define AR_MATCH_WORD_BUCKET 16 /* most literals filed under one anchor token */

/* The word index: open addressing, load factor at most 1/2. */
typedef struct ar__match_words {
    ar__match_wslot *slots; /* NULL if no literal is indexed */
    size_t slot_mask;
    uint64_t *filter; /* Bloom filter of the anchors; the word is hash >> filter_shift */
    unsigned filter_shift;
    char *pool;    /* the indexed literals' bytes, brackets stripped */
    uint32_t *off; /* [nlits + 1]: literal k is pool[off[k], off[k + 1]), empty if not indexed */
    size_t bytes;  /* memory held, for ar_match_db_size */
} ar__match_words;

/* Called per occurrence with the literal and the end of " literal " in the
 * stream; nonzero stops the scan. */
typedef int (*ar__match_words_fn)(uint32_t lit, uint32_t end, void *ud);

AR_INTERNAL bool ar__match_words_fits(const char *s, size_t len);
AR_INTERNAL ar_status ar__match_words_build(const ar_ctx *ctx, ar__match_words *w,
                                            const char *const *lits, const size_t *lens,
                                            bool *indexed, size_t nlits, ar_error *err);
AR_INTERNAL void ar__match_words_free(const ar_ctx *ctx, ar__match_words *w);
AR_INTERNAL int ar__match_words_scan(const ar__match_words *w, const char *text, size_t len,
                                     ar__match_words_fn fn, void *ud);

/* One regex (its vectorscan id is nlits + its index). */
typedef struct ar__match_re {
    uint32_t id;
    uint32_t group;
} ar__match_re;

struct ar_match_db {
    ar_ctx *ctx;
    hs_database_t *hs;     /* NULL if nothing needs vectorscan */
    ar__match_words words; /* the whole-word literals vectorscan does not hold */
    ar__match_ent *ents;   /* [nents]: ents[k] heads literal k (k < nlits) */
    uint16_t *sigs;        /* run-length signatures, one per byte of the unbracketed literal */
    ar__match_re *res;
    uint32_t nlits, nents, nres;
    size_t hs_bytes; /* hs_database_size */
};

/* A literal report: the literal and the end of the match in the stream. */
typedef struct ar__match_lraw {
    uint32_t lit;
    uint32_t end;
} ar__match_lraw;

/* A regex report or a candidate match: spans of the stream, spaces excluded. */
typedef struct ar__match_span {
    uint32_t id; /* regex index (raw reports) or pattern id (candidates) */
    uint32_t group;
    uint32_t start, end;
} ar__match_span;

struct ar_match_scratch {
    const ar_match_db *db;
    ar_ctx *ctx; /* db->ctx, kept so the scratch can be freed after the db */
    hs_scratch_t *hs;

    /* Per scan; grown with ar__grow up to AR_MATCH_WORK_MAX, kept between scans. */
    const char *buf; /* the stream being scanned (for the callback) */
    ar__match_lraw *lraw;
    size_t nlraw, lraw_cap;
    ar__match_span *rraw;
    size_t nrraw, rraw_cap;
    ar__match_span *cand;
    size_t ncand, cand_cap;
    ar__match_span *allow;
    size_t nallow, allow_cap;
    uint32_t *allow_maxend; /* [nallow]: max end over allow[0..i] */
    size_t allow_maxend_cap;
    ar_match *found;
    size_t nfound, found_cap;

    /* Per regex: index in rraw of its last report, valid when stamp matches. */
    uint32_t *re_last;
    uint32_t *re_stamp;
    uint32_t stamp;

    size_t overflow; /* reports past AR_MATCH_WORK_MAX, counted as dropped */
    ar_status fail;  /* AR_ENOMEM from a callback */
};

#endif
