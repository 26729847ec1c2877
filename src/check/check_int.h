/*
 * check_int.h - the engine snapshot's layout, shared by the files of src/check/.
 */
#ifndef AR_CHECK_INT_H
#define AR_CHECK_INT_H

#include "arbiter/check.h"
#include "arbiter/match.h"
#include "common/common_int.h"

#include <limits.h>
#include <stdatomic.h>

typedef struct ar__rule_ref {
    const ar_policy_rule *rule;
    const ar_policy_standard *standard;
    uint32_t standard_index;
} ar__rule_ref;

struct ar_engine {
    ar_ctx *ctx;
    atomic_int refs;
    uint64_t serial; /* tells scratches which engine their match scratch was made for */
    ar_policy *policy;
    ar_text_norm *norm;
    ar_match_db *db;
    ar__rule_ref *rules; /* indexed by match id */
    size_t nrules, rules_cap;
    ar__rule_ref *list_rules; /* url_list and bank rules, in policy order */
    size_t nlist_rules, list_rules_cap;
    size_t npatterns;
};

#endif
