/*
 * match_int.h - the compiled form of a match db and the per-thread scratch,
 * shared by compile.c and scan.c only.
 *
 * A db is one vectorscan database holding two kinds of expression:
 *   - literals (vectorscan ids 0 .. nlits-1): every TERM and ALLOW pattern
 *     after normalisation, as " term " (whole word) or "term" (substring),
 *     escaped and compiled without SOM so they stay on vectorscan's literal
 *     path; the start of a match is its end minus the literal's length.
 *     Patterns that normalise to the same literal share one id k: ents[k]
 *     is the first of them, the others chain on from it (ents[nlits..]), so
 *     a report touches one 24-byte entry in the common case.
 *   - regexes (ids nlits .. nlits+nres-1): every REGEX pattern, UTF-8/UCP
 *     with leftmost SOM, wrapped as " (?:RE) " when whole-word.
 * One database rather than one per kind: a second hs_scan per post costs
 * more than SOM-less literals sharing a database with SOM regexes (10k
 * terms + 200 regexes on 286-byte posts: 0.43 vs 0.48 us a post, same
 * compile time and size).
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

/* One regex (its vectorscan id is its index). */
typedef struct ar__match_re {
    uint32_t id;
    uint32_t group;
} ar__match_re;

struct ar_match_db {
    ar_ctx *ctx;
    hs_database_t *hs;   /* NULL if there are no patterns */
    ar__match_ent *ents; /* [nents]: ents[k] heads literal k (k < nlits) */
    uint16_t *sigs;      /* run-length signatures, one per byte of the unbracketed literal */
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
