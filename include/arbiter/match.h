/*
 * arbiter/match.h - every term and regex of a policy in vectorscan
 * databases, scanned over the normalised stream of arbiter/text.h.
 *
 * Terms are normalised at compile time with the same ar_text_norm the items
 * go through, so a term written "Free  Money" matches "FR33 M0NEY". A term
 * is whole-word by default: compiled as " term " against the space-bracketed
 * stream, which works the same for Latin, Arabic-script and caseless text.
 * A term from a script written without spaces (Han, Thai, ...) is always a
 * substring rule. Repeated letters are squeezed on both sides; a term's own
 * doubled letters ("ass", "free") are then demanded of the text through the
 * run lengths kept by the normaliser, so "as" never matches "ass" and
 * "asssss" still does.
 *
 * Regexes (vectorscan syntax) run over the same normalised stream: lowercase,
 * folded, one space between tokens, repeated letters squeezed. A whole-word
 * regex must start and end at token bounds.
 *
 * Allow patterns are terms that protect a word: a match that lies inside an
 * allow match of the same group (or of AR_MATCH_GROUP_ALL) is dropped, so a
 * substring rule "cunt" does not flag "Scunthorpe" once "scunthorpe" is on
 * the allow-list.
 *
 * THREAD SAFETY: an ar_match_db is immutable once compiled and may be
 * scanned by any number of threads, each with its own ar_match_scratch.
 */
#ifndef ARBITER_MATCH_H
#define ARBITER_MATCH_H

#include "arbiter/common.h"
#include "arbiter/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AR_MATCH_MAX_PATTERNS 1000000u
#define AR_MATCH_MAX_PER_ITEM 1024u      /* matches kept per scan; the rest are counted */
#define AR_MATCH_GROUP_ALL    UINT32_MAX /* an allow pattern in this group protects every group */

typedef enum ar_match_kind {
    AR_MATCH_TERM = 0, /* literal text, normalised at compile time */
    AR_MATCH_REGEX,    /* vectorscan regex over the normalised stream */
    AR_MATCH_ALLOW,    /* literal text that protects matches inside it */
} ar_match_kind;

/* ar_match_pattern.flags */
#define AR_MATCH_SUBSTRING 0x1u /* match inside words too (default: whole words) */

typedef struct ar_match_pattern {
    const char *expr; /* UTF-8 term, allow word or regex source */
    size_t len;
    ar_match_kind kind;
    unsigned flags;
    uint32_t id;    /* the caller's id, returned in matches (e.g. a rule index) */
    uint32_t group; /* allow-list scope (e.g. a standard index) */
} ar_match_pattern;

typedef struct ar_match_db ar_match_db;

/* Compile. On a bad pattern: AR_EINVAL with err->field "patterns[i]" (i its
 * index in `pats`) and a message from vectorscan or the normaliser; also for
 * a term that normalises to nothing ("..."). `norm` must outlive the db. */
AR_API AR_NODISCARD ar_status ar_match_db_compile(ar_ctx *ctx, const ar_text_norm *norm,
                                                  const ar_match_pattern *pats, size_t n,
                                                  ar_match_db **out, ar_error *err);
AR_API void ar_match_db_free(ar_match_db *db);
AR_API size_t ar_match_db_size(const ar_match_db *db); /* bytes of compiled databases */

typedef struct ar_match_scratch ar_match_scratch;

/* One per thread, for scans of `db` only. */
AR_API AR_NODISCARD ar_status ar_match_scratch_new(const ar_match_db *db,
                                                   ar_match_scratch **out, ar_error *err);
AR_API void ar_match_scratch_free(ar_match_scratch *s);

typedef struct ar_match {
    uint32_t id;           /* ar_match_pattern.id */
    uint32_t start, end;   /* bytes of the original input [start, end) */
    uint32_t nstart, nend; /* bytes of the normalised stream [nstart, nend), spaces excluded */
} ar_match;

typedef struct ar_match_list {
    ar_match *v;
    size_t n, cap;
    size_t dropped; /* matches past AR_MATCH_MAX_PER_ITEM */
    ar_ctx *ctx;    /* internal */
} ar_match_list;

AR_API void ar_match_list_init(ar_match_list *l, ar_ctx *ctx);
AR_API void ar_match_list_free(ar_match_list *l);

/* Scan one normalised item. `out` is cleared first, then holds the matches
 * that survive allow-lists and run-length checks, sorted by (start, id), one
 * per (id, span); overlapping matches of one regex are merged. */
AR_API AR_NODISCARD ar_status ar_match_scan(const ar_match_db *db, ar_match_scratch *s,
                                            const ar_text_out *text, ar_match_list *out,
                                            ar_error *err);

#ifdef __cplusplus
}
#endif
#endif
