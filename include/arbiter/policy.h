/*
 * arbiter/policy.h - the policy file: community standards, their rules,
 * allow-lists and the leet table, as plain structs.
 *
 * Parsing is apart from behaviour: this module turns YAML (libfyaml) into
 * the structs below and reports every problem it finds with its file, line
 * and column; arbiter/check.h compiles the structs into an engine. The file
 * format is documented in policies/README.md:
 *
 *   version: 1
 *   leet: default            # default | off | {"4": a, "@": a}
 *   allow: [scunthorpe]      # protects words from every standard's rules
 *   standards:
 *     - id: profanity        # [a-z0-9_.-]{1,64}, unique
 *       title: Profanity
 *       action: review       # label | review | remove
 *       allow: [classic]     # protects words from this standard's rules
 *       allow_file: allow.txt
 *       dsa_category: STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH  # optional
 *       dsa_keywords: [KEYWORD_HATE_SPEECH]   # optional, needs dsa_category
 *       rules:
 *         - terms_file: en.txt          # one term per line, '#' comments
 *         - terms: [foo, "bar baz"]
 *           id: profanity.custom        # default "<standard>.<n>"
 *           match: substring            # word (default) | substring
 *           languages: [en, ur]         # only items in these languages
 *           description: ...
 *         - regex: 'fr[e3]+\s*money'
 *         - url_list: phishing-links   # a link in the item (in `links` or
 *                                      # written in the text) is on this list
 *         - bank: known-images         # an image hash is near one in this bank
 *           distance: 31               # PDQ Hamming threshold 0..64, default 31
 *   legal_review:            # optional
 *     four_eyes: [user_data, emergency]
 *
 * legal_review.four_eyes names the legal request kinds (content_restriction,
 * user_data, preservation, emergency) whose per-item decisions need a second
 * legal reviewer: one proposes, a different one signs off (workflow.h).
 *
 * url_list and bank name lists kept in the store (arbiter/lists.h), not
 * files: the policy parses without them. ar_engine_check_lists() refuses an
 * engine whose rules name a list the store lacks (or one of the other
 * kind), so a policy swap or a daemon start with such a policy fails with
 * the rule's file:line:column; a list deleted later leaves its rules
 * matching nothing (the daemon refuses to delete a list the policy in
 * force names).
 *
 * terms_file and allow_file are relative to the policy file's folder; an
 * absolute path or one with a ".." part is refused.
 *
 * THREAD SAFETY: a parsed ar_policy is immutable and may be read by any
 * number of threads.
 */
#ifndef ARBITER_POLICY_H
#define ARBITER_POLICY_H

#include "arbiter/common.h"
#include "arbiter/text.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_POLICY_MAX_FILE_BYTES (64u * 1024u * 1024u) /* policy, terms and allow files */
#define AR_POLICY_MAX_TERM_BYTES 256u
#define AR_POLICY_MAX_TERMS      1000000u
#define AR_POLICY_MAX_STANDARDS  1000u
#define AR_POLICY_MAX_RULES      100000u
#define AR_POLICY_MAX_ID_BYTES   64u
#define AR_POLICY_MAX_DISTANCE     64u /* a bank rule's PDQ Hamming threshold */
#define AR_POLICY_DEFAULT_DISTANCE 31u /* as Meta's HMA */

typedef enum ar_action {
    AR_ACTION_NONE = 0,
    AR_ACTION_LABEL,
    AR_ACTION_REVIEW,
    AR_ACTION_REMOVE,
} ar_action; /* ordered: a verdict takes the strongest action that fired */

AR_API const char *ar_action_name(ar_action a); /* "none", "label", "review", "remove" */
AR_API AR_NODISCARD ar_status ar_action_parse(const char *s, ar_action *out, ar_error *err);

typedef struct ar_policy_pos {
    const char *file; /* owned by the policy */
    unsigned line, column;
} ar_policy_pos;

typedef struct ar_policy_term {
    char *text; /* as written, UTF-8, trimmed */
    ar_policy_pos pos;
} ar_policy_term;

typedef enum ar_rule_kind {
    AR_RULE_TERMS = 0,
    AR_RULE_REGEX,
    AR_RULE_URL_LIST, /* a link in the item is on the stored url list `list` */
    AR_RULE_BANK,     /* an image hash is within `distance` of a hash in bank `list` */
} ar_rule_kind;

typedef struct ar_policy_rule {
    char *id;
    char *description; /* NULL if none */
    ar_rule_kind kind;
    ar_policy_term *terms; /* AR_RULE_TERMS: from terms and terms_file */
    size_t nterms;
    char *regex; /* AR_RULE_REGEX */
    char *list;  /* AR_RULE_URL_LIST, AR_RULE_BANK: the stored list's name */
    unsigned distance; /* AR_RULE_BANK: PDQ Hamming threshold, 0..64 (default 31) */
    bool substring;
    char **languages; /* lowercase BCP 47 primary tags ("en", "ur"); none: every item */
    size_t nlanguages;
    ar_policy_pos pos;      /* the rule's mapping */
    ar_policy_pos expr_pos; /* its regex (or terms) node */
} ar_policy_rule;

typedef struct ar_policy_standard {
    char *id;
    char *title;
    char *description; /* NULL if none */
    ar_action action;
    ar_policy_rule *rules;
    size_t nrules;
    ar_policy_term *allow;
    size_t nallow;
    /* For statements of reasons (LEGAL.md 1.3): a STATEMENT_CATEGORY_* value
     * and KEYWORD_* values, or NULL / none when the policy does not say. */
    const char *dsa_category;
    const char **dsa_keywords;
    size_t ndsa_keywords;
    ar_policy_pos pos;
} ar_policy_standard;

typedef struct ar_policy {
    int version;
    char *path; /* the file, or the name given to ar_policy_parse_buffer */
    char *name; /* NULL if none */
    ar_policy_standard *standards;
    size_t nstandards;
    ar_policy_term *allow; /* global allow-list */
    size_t nallow;
    bool leet_default; /* true: ar_text_leet_default(); false: the table below */
    ar_text_leet *leet;
    size_t nleet;
    /* legal_review.four_eyes: the request kinds whose per-item decisions
     * need a second legal reviewer, one bit per kind (AR_POLICY_KIND_*);
     * 0 when the section is absent. */
    unsigned four_eyes;
    char digest[17]; /* 64-bit FNV-1a of the policy file and every file it read, hex */
    ar_ctx *ctx;     /* internal */
} ar_policy;

/* Every problem found, in file order: err.file, err.line, err.column, err.message. */
typedef struct ar_diag_list {
    ar_error *v;
    size_t n, cap;
    ar_ctx *ctx; /* internal */
} ar_diag_list;

AR_API void ar_diag_list_init(ar_diag_list *d, ar_ctx *ctx);
AR_API void ar_diag_list_free(ar_diag_list *d);
/* Append a copy of *e (used by lint to add compile errors). */
AR_API AR_NODISCARD ar_status ar_diag_list_add(ar_diag_list *d, const ar_error *e);

/* Parse a policy file. On any problem: AR_EINVAL (or AR_ENOTFOUND, AR_EIO,
 * AR_ETOOBIG), *err holds the first problem and `diags` (if not NULL)
 * receives all of them. *out is set only on AR_OK. */
AR_API AR_NODISCARD ar_status ar_policy_parse_file(ar_ctx *ctx, const char *path, ar_policy **out,
                                                   ar_diag_list *diags, ar_error *err);

/* As above from memory. `name` is used in messages; `base_dir` is where
 * terms_file and allow_file are read from (NULL: such keys are refused). */
AR_API AR_NODISCARD ar_status ar_policy_parse_buffer(ar_ctx *ctx, const char *data, size_t len,
                                                     const char *name, const char *base_dir,
                                                     ar_policy **out, ar_diag_list *diags,
                                                     ar_error *err);

AR_API void ar_policy_free(ar_policy *p);

/* Legal request kinds, as bits of ar_policy.four_eyes. */
#define AR_POLICY_KIND_CONTENT_RESTRICTION 0x1u
#define AR_POLICY_KIND_USER_DATA           0x2u
#define AR_POLICY_KIND_PRESERVATION        0x4u
#define AR_POLICY_KIND_EMERGENCY           0x8u
#define AR_POLICY_KIND_ALL                 0xFu
/* The bit of a request kind ("user_data"), or 0 if it is none; the name of
 * one bit, or NULL. */
AR_API unsigned ar_policy_request_kind_bit(const char *kind);
AR_API const char *ar_policy_request_kind_name(unsigned bit);

/* The standard with this id, or NULL (also for a NULL policy or id). */
AR_API const ar_policy_standard *ar_policy_standard_find(const ar_policy *p, const char *id);

#ifdef __cplusplus
}
#endif
#endif
