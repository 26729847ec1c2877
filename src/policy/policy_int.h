/*
 * policy_int.h - what the files of src/policy/ share: the string arena a
 * policy owns, the small YAML tree built from libfyaml's events, the parse
 * state that collects diagnostics, and the term-file reader.
 *
 * Not installed; hidden in the shared library.
 *
 * Ownership: every string and array an ar_policy points at lives in the
 * arena of its policy_impl, so ar_policy_free() frees a handful of chunks
 * whatever the size of the policy. The YAML tree lives in a second arena
 * that is dropped when parsing ends.
 */
#ifndef AR_POLICY_INT_H
#define AR_POLICY_INT_H

#include "arbiter/policy.h"
#include "common/common_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*---- Arena --------------------------------------------------------------*/

typedef struct ar__arena_chunk ar__arena_chunk;

typedef struct ar__arena {
    ar_ctx *ctx;
    ar__arena_chunk *head; /* the chunk being filled; older chunks follow */
} ar__arena;

AR_INTERNAL void ar__arena_init(ar__arena *a, ar_ctx *ctx);
AR_INTERNAL void ar__arena_free(ar__arena *a);
/* Aligned for any type; NULL when out of memory. size 0 gives a valid pointer. */
AR_INTERNAL void *ar__arena_alloc(ar__arena *a, size_t size);
AR_INTERNAL void *ar__arena_calloc(ar__arena *a, size_t n, size_t size);
AR_INTERNAL char *ar__arena_strndup(ar__arena *a, const char *s, size_t n);

/*---- The policy behind the public struct -----------------------------------*/

typedef struct ar__policy_impl {
    ar_policy pub; /* first: ar_policy_free() casts back */
    ar__arena arena;
} ar__policy_impl;

/*---- UTF-8 and hashing --------------------------------------------------*/

/* Length of the valid UTF-8 sequence at s[0..n) (1..4), or 0 if it is not
 * one (overlong, surrogate, past U+10FFFF, truncated). *cp gets the code point. */
AR_INTERNAL size_t ar__policy_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

#define AR__FNV_OFFSET 0xcbf29ce484222325ull
#define AR__FNV_PRIME  0x100000001b3ull

AR_INTERNAL uint64_t ar__policy_fnv1a(uint64_t h, const void *data, size_t len);

/* Bytes of s to print so that at most `max` show and no UTF-8 sequence is
 * cut: a policy's strings go into messages as "%.*s", CLIP(s, 64). */
AR_INTERNAL int ar__policy_clip(const char *s, int max);
#define CLIP(s, max) ar__policy_clip((s), (max)), (s)

/*---- YAML tree ----------------------------------------------------------*/

typedef enum ar__ynode_kind {
    AR__YN_SCALAR = 0,
    AR__YN_SEQ,
    AR__YN_MAP,
    AR__YN_BAD, /* an alias: already reported, checks skip it silently */
} ar__ynode_kind;

typedef struct ar__ynode {
    ar__ynode_kind kind;
    bool plain;            /* scalar: plain style, so "", "~" and "null" are null */
    unsigned line, column; /* 1-based */
    const char *str;       /* scalar: NUL-terminated text (may hold no NUL inside) */
    size_t len;
    size_t n;                  /* children: sequence items, or 2 per mapping pair */
    struct ar__ynode *child;   /* first child; a mapping alternates key, value */
    struct ar__ynode *last;    /* last child */
    struct ar__ynode *next;    /* next sibling */
    struct ar__ynode *parent;  /* while building */
} ar__ynode;

/*---- Parse state --------------------------------------------------------*/

#define AR__POLICY_MAX_DIAGS 100 /* stop recording after this many problems */

typedef struct ar__pstate {
    ar_ctx *ctx;
    ar__policy_impl *impl; /* the policy being filled */
    ar__arena tree;        /* the YAML tree: freed when parsing ends */
    ar_diag_list diags;    /* every problem, sorted before it is handed out */
    bool fatal;            /* out of memory: stop everything */
    bool capped;           /* AR__POLICY_MAX_DIAGS reached */
    const char *file;      /* the policy file's name (in the policy arena) */
    const char *base_dir;  /* NULL: terms_file and allow_file are refused */
    uint64_t digest;
    size_t nterms;         /* terms and allow words so far, for AR_POLICY_MAX_TERMS */
    bool terms_capped;
    const char **files;    /* files in the order they were opened; [0] is the policy */
    size_t nfiles, capfiles;
    char field[AR_ERROR_FIELD_MAX]; /* "standards[2].rules[0]" while checking it */
} ar__pstate;

/* Record a problem (unless capped). Sets st->fatal when the list cannot grow. */
AR_INTERNAL void ar__policy_report(ar__pstate *st, ar_status s, const char *file, unsigned line,
                                   unsigned column, const char *fmt, ...) AR_PRINTF(6, 7);
/* Out of memory: record it once and stop. */
AR_INTERNAL void ar__policy_oom(ar__pstate *st);
/* Sort st->diags by (file opened first, line, column), keeping the order of equals. */
AR_INTERNAL void ar__policy_sort_diags(ar__pstate *st);
/* Remember a file name for sorting; returns the arena copy (NULL: out of memory). */
AR_INTERNAL const char *ar__policy_add_file(ar__pstate *st, const char *name);

/* Build the tree of `len` bytes of YAML. Problems go to st; returns the root
 * mapping/sequence/scalar or NULL (nothing usable: the reason is reported). */
AR_INTERNAL ar__ynode *ar__policy_yaml_load(ar__pstate *st, const char *data, size_t len);

/*---- Id sets --------------------------------------------------------------*/

/* Where an id was first given, to point at it when it comes again. */
typedef struct ar__idslot {
    const char *id; /* NULL: empty slot */
    unsigned line, column;
} ar__idslot;

/* A hash set of ids (rule ids are unique across up to AR_POLICY_MAX_RULES). */
typedef struct ar__idset {
    ar_ctx *ctx;
    ar__idslot *v;
    size_t n, cap; /* cap: 0 or a power of two */
} ar__idset;

AR_INTERNAL void ar__idset_init(ar__idset *s, ar_ctx *ctx);
AR_INTERNAL void ar__idset_free(ar__idset *s);
/* Add `id` (kept by pointer: it must outlive the set). *dup gets the slot of
 * an equal id already there (and nothing is added), or NULL.
 * Returns AR_OK or AR_ENOMEM. */
AR_INTERNAL ar_status ar__idset_add(ar__idset *s, const char *id, unsigned line, unsigned column,
                                    const ar__idslot **dup);

/*---- Term files ---------------------------------------------------------*/

/* A growable list of terms, used while a rule's terms are gathered. */
typedef struct ar__termvec {
    ar_policy_term *v;
    size_t n, cap;
} ar__termvec;

AR_INTERNAL void ar__termvec_free(ar_ctx *ctx, ar__termvec *tv);

/* Check one term (trimmed text[0..len)), copy it into the policy and append
 * it to tv. Problems are reported at (file, line, column), moved along the
 * term when `verbatim` (the text is the file's bytes, not a YAML string with
 * quotes and escapes); `what` names the list in messages ("term", "allow
 * word"). Returns false if it was refused (reported) or on out of memory. */
AR_INTERNAL bool ar__policy_add_term(ar__pstate *st, ar__termvec *tv, const char *text,
                                     size_t len, const char *file, unsigned line, unsigned column,
                                     bool verbatim, const char *what);

/* Read the file `rel` (from the node `at`) under st->base_dir, add each of its
 * terms to tv. Problems in the path or the file are reported. Returns the
 * number of terms added. */
AR_INTERNAL size_t ar__policy_read_terms_file(ar__pstate *st, ar__termvec *tv,
                                              const ar__ynode *at, const char *key,
                                              const char *what);

/* Read a whole file of at most AR_POLICY_MAX_FILE_BYTES into ctx memory
 * (NUL-terminated). Status as in ar_policy_parse_file; err names the path. */
AR_INTERNAL ar_status ar__policy_read_file(ar_ctx *ctx, const char *path, char **out, size_t *len,
                                           ar_error *err);


/*---- DSA Transparency Database values (dsa.c) -----------------------------*/

/* The 16 STATEMENT_CATEGORY_* and 69 KEYWORD_* values of LEGAL.md 1.3; the
 * SoR exporter and validator use the same arrays. */
#define AR__DSA_NCATEGORIES 16
#define AR__DSA_NKEYWORDS   69
AR_INTERNAL extern const char *const ar__dsa_categories[AR__DSA_NCATEGORIES];
AR_INTERNAL extern const char *const ar__dsa_keywords[AR__DSA_NKEYWORDS];
AR_INTERNAL bool ar__dsa_known(const char *const *v, size_t n, const char *s);
/* The value `s` was most likely meant to be (the prefix left out, the case
 * wrong, or up to 3 typos), or NULL. */
AR_INTERNAL const char *ar__dsa_nearest(const char *const *v, size_t n, const char *prefix,
                                        const char *s);

/*---- The legal_review section (legal_review.c) ------------------------------*/

/* Check the value of the top-level `legal_review` key into p->four_eyes. */
AR_INTERNAL void ar__policy_check_legal_review(ar__pstate *st, ar_policy *p, const ar__ynode *v);

/*---- Checking YAML nodes (yaml_check.c), shared with src/jurisdiction/ ----*/

/* Append to the field path ("standards[2]" + ".rules[0]"); returns the old
 * length for ar__yaml_field_pop(). A path too long for ar_error.field is cut. */
AR_INTERNAL size_t ar__yaml_field_push(ar__pstate *st, const char *fmt, ...) AR_PRINTF(2, 3);
AR_INTERNAL void ar__yaml_field_pop(ar__pstate *st, size_t old);
AR_INTERNAL bool ar__yaml_is_null(const ar__ynode *n);
/* What a node is, for "must be a list, not <this>". */
AR_INTERNAL const char *ar__yaml_kind_name(const ar__ynode *n);
AR_INTERNAL void ar__yaml_report_at(ar__pstate *st, const ar__ynode *n, const char *fmt, ...)
    AR_PRINTF(3, 4);
/* The text of a scalar that must be a string: NULL (reported, unless the
 * node is an alias already reported) when it is empty, a list or a mapping. */
AR_INTERNAL const char *ar__yaml_get_string(ar__pstate *st, const ar__ynode *n, const char *key);
AR_INTERNAL size_t ar__yaml_edit_distance(const char *a, const char *b);
/* Sort a mapping's values into vals[] by the key names[]: every unknown key
 * (with a "did you mean", or `known` listing the choices), duplicate key and
 * non-mapping is reported. false if `map` is no mapping. */
AR_INTERNAL bool ar__yaml_sort_keys(ar__pstate *st, const ar__ynode *map, const char *what,
                                    const char *const *names, size_t nnames, const char *known,
                                    const ar__ynode **keys, const ar__ynode **vals);

/* Read a YAML file whole; a failure is reported at the file, in err and diags. */
AR_INTERNAL ar_status ar__yaml_read_file(ar_ctx *ctx, const char *path, char **data, size_t *len,
                                         ar_diag_list *diags, ar_error *err);

#endif
