/*
 * engine.c - a policy compiled into one immutable, refcounted snapshot.
 *
 * Every term and regex of every standard goes into one match database, so
 * an item is normalised once and scanned once whatever the policy's size.
 * A match's id is the index of its rule in `rules`; its group is the index
 * of the rule's standard, which scopes the standard's allow-list.
 */
#include "check_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_uint_fast64_t engine_serial = 1;

/* Where each pattern came from, to turn a compile error into file:line:col. */
typedef struct pattern_src {
    ar_policy_pos pos;
    const char *rule_id; /* NULL for allow-lists */
} pattern_src;

typedef struct pattern_set {
    ar_match_pattern *v;
    pattern_src *src;
    size_t n, cap, src_cap;
} pattern_set;

static ar_status add_pattern(ar_ctx *ctx, pattern_set *ps, ar_match_pattern p, pattern_src s,
                             ar_error *err)
{
    ar_status st = ar__grow(ctx, (void **)&ps->v, &ps->cap, ps->n + 1, sizeof *ps->v,
                            AR_MATCH_MAX_PATTERNS, err);
    if (st == AR_OK)
        st = ar__grow(ctx, (void **)&ps->src, &ps->src_cap, ps->n + 1, sizeof *ps->src,
                      AR_MATCH_MAX_PATTERNS, err);
    if (st != AR_OK)
        return st;
    ps->v[ps->n] = p;
    ps->src[ps->n] = s;
    ps->n++;
    return AR_OK;
}

static ar_status add_allow(ar_ctx *ctx, pattern_set *ps, const ar_policy_term *t, size_t n,
                           uint32_t group, ar_error *err)
{
    for (size_t i = 0; i < n; i++) {
        ar_match_pattern p = {t[i].text, strlen(t[i].text), AR_MATCH_ALLOW, 0, UINT32_MAX, group};
        ar_status st = add_pattern(ctx, ps, p, (pattern_src){t[i].pos, NULL}, err);
        if (st != AR_OK)
            return st;
    }
    return AR_OK;
}

static ar_status add_rule(ar_ctx *ctx, pattern_set *ps, const ar_policy_rule *r, uint32_t id,
                          uint32_t group, ar_error *err)
{
    unsigned flags = r->substring ? AR_MATCH_SUBSTRING : 0;
    if (r->kind == AR_RULE_REGEX) {
        ar_match_pattern p = {r->regex, strlen(r->regex), AR_MATCH_REGEX, flags, id, group};
        return add_pattern(ctx, ps, p, (pattern_src){r->expr_pos, r->id}, err);
    }
    for (size_t i = 0; i < r->nterms; i++) {
        const ar_policy_term *t = &r->terms[i];
        ar_match_pattern p = {t->text, strlen(t->text), AR_MATCH_TERM, flags, id, group};
        ar_status st = add_pattern(ctx, ps, p, (pattern_src){t->pos, r->id}, err);
        if (st != AR_OK)
            return st;
    }
    return AR_OK;
}

/* The match module names a bad pattern as "patterns[i]": point at its line. */
static ar_status locate_compile_error(const pattern_set *ps, ar_error *err)
{
    if (!err)
        return AR_EINVAL;
    char *end = NULL;
    const char *lb = strchr(err->field, '[');
    unsigned long i = lb ? strtoul(lb + 1, &end, 10) : ULONG_MAX;
    if (i >= ps->n)
        return err->status;
    const pattern_src *s = &ps->src[i];
    char msg[AR_ERROR_MESSAGE_MAX];
    snprintf(msg, sizeof msg, "%s", err->message);
    if (s->rule_id)
        return ar_error_set_at(err, err->status, s->pos.file, s->pos.line, s->pos.column, NULL,
                               "rule '%s': %s", s->rule_id, msg);
    return ar_error_set_at(err, err->status, s->pos.file, s->pos.line, s->pos.column, NULL,
                           "allow-list: %s", msg);
}

static ar_status collect_patterns(ar_engine *e, pattern_set *ps, ar_error *err)
{
    const ar_policy *p = e->policy;
    ar_status st = add_allow(e->ctx, ps, p->allow, p->nallow, AR_MATCH_GROUP_ALL, err);
    for (size_t s = 0; st == AR_OK && s < p->nstandards; s++) {
        const ar_policy_standard *std = &p->standards[s];
        st = add_allow(e->ctx, ps, std->allow, std->nallow, (uint32_t)s, err);
        for (size_t r = 0; st == AR_OK && r < std->nrules; r++) {
            const ar_policy_rule *rule = &std->rules[r];
            if (rule->kind == AR_RULE_URL_LIST || rule->kind == AR_RULE_BANK) {
                /* looked up in the lists snapshot, not the match database */
                st = ar__grow(e->ctx, (void **)&e->list_rules, &e->list_rules_cap,
                              e->nlist_rules + 1, sizeof *e->list_rules, AR_POLICY_MAX_RULES, err);
                if (st == AR_OK)
                    e->list_rules[e->nlist_rules++] = (ar__rule_ref){rule, std, (uint32_t)s};
                continue;
            }
            st = ar__grow(e->ctx, (void **)&e->rules, &e->rules_cap, e->nrules + 1,
                          sizeof *e->rules, AR_POLICY_MAX_RULES, err);
            if (st != AR_OK)
                break;
            e->rules[e->nrules] = (ar__rule_ref){&std->rules[r], std, (uint32_t)s};
            st = add_rule(e->ctx, ps, &std->rules[r], (uint32_t)e->nrules, (uint32_t)s, err);
            e->nrules++;
        }
    }
    return st;
}

ar_status ar_engine_compile(ar_ctx *ctx, ar_policy *policy, ar_engine **out, ar_error *err)
{
    if (!ctx || !policy || !out) {
        ar_policy_free(policy);
        return ar_error_set(err, AR_EINVAL, NULL, "ar_engine_compile: NULL argument");
    }
    *out = NULL;
    ar_engine *e = ar__calloc(ctx, 1, sizeof *e);
    if (!e) {
        ar_policy_free(policy);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory compiling the policy");
    }
    e->ctx = ctx;
    e->policy = policy;
    atomic_init(&e->refs, 1);
    e->serial = atomic_fetch_add(&engine_serial, 1);

    const ar_text_leet *leet = policy->leet_default ? NULL : policy->leet;
    ar_status st = ar_text_norm_new(ctx, leet, policy->leet_default ? 0 : policy->nleet, &e->norm,
                                    err);
    if (st != AR_OK && err) {
        char msg[AR_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err->message);
        st = ar_error_set_at(err, st, policy->path, 0, 0, "leet", "leet table: %s", msg);
    }
    pattern_set ps = {0};
    if (st == AR_OK)
        st = collect_patterns(e, &ps, err);
    if (st == AR_OK) {
        st = ar_match_db_compile(ctx, e->norm, ps.v, ps.n, &e->db, err);
        if (st != AR_OK)
            st = locate_compile_error(&ps, err);
    }
    e->npatterns = ps.n;
    ar__free(ctx, ps.v);
    ar__free(ctx, ps.src);
    if (st != AR_OK) {
        ar_engine_release(e);
        return st;
    }
    AR_LOG(ctx, AR_LOG_INFO, "check", "engine_compiled", AR_KV_STR("policy", policy->path),
           AR_KV_STR("digest", policy->digest), AR_KV_INT("patterns", e->npatterns),
           AR_KV_INT("db_bytes", ar_match_db_size(e->db)));
    *out = e;
    return AR_OK;
}

ar_status ar_engine_load_file(ar_ctx *ctx, const char *path, ar_engine **out, ar_error *err)
{
    ar_policy *p = NULL;
    if (out)
        *out = NULL;
    ar_status st = ar_policy_parse_file(ctx, path, &p, NULL, err);
    if (st != AR_OK)
        return st;
    return ar_engine_compile(ctx, p, out, err);
}

ar_engine *ar_engine_retain(ar_engine *e)
{
    if (e)
        atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
    return e;
}

void ar_engine_release(ar_engine *e)
{
    if (!e || atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    ar_match_db_free(e->db);
    ar_text_norm_free(e->norm);
    ar_policy_free(e->policy);
    ar__free(e->ctx, e->rules);
    ar__free(e->ctx, e->list_rules);
    ar__free(e->ctx, e);
}

const ar_policy *ar_engine_policy(const ar_engine *e)
{
    return e ? e->policy : NULL;
}

size_t ar_engine_pattern_count(const ar_engine *e)
{
    return e ? e->npatterns : 0;
}

const ar_text_norm *ar_engine_normalizer(const ar_engine *e)
{
    return e ? e->norm : NULL;
}

ar_status ar_engine_check_lists(const ar_engine *e, const ar_lists *lists, ar_error *err)
{
    if (!e)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_engine_check_lists: NULL engine");
    for (size_t i = 0; i < e->nlist_rules; i++) {
        const ar_policy_rule *r = e->list_rules[i].rule;
        ar_list_kind want = r->kind == AR_RULE_BANK ? AR_LIST_PDQ : AR_LIST_URL;
        const char *key = r->kind == AR_RULE_BANK ? "bank" : "url_list";
        long idx = ar_lists_find(lists, r->list);
        if (idx < 0)
            return ar_error_set_at(err, AR_EINVAL, r->expr_pos.file, r->expr_pos.line,
                                   r->expr_pos.column, key,
                                   "rule '%s': %s '%s' is not in the store: create it first "
                                   "(arbiter %s create %s)",
                                   r->id, key, r->list,
                                   want == AR_LIST_PDQ ? "bank" : "url-list", r->list);
        if (ar_lists_kind(lists, (uint32_t)idx) != want)
            return ar_error_set_at(err, AR_EINVAL, r->expr_pos.file, r->expr_pos.line,
                                   r->expr_pos.column, key,
                                   "rule '%s': list '%s' is a %s list, not a %s one", r->id,
                                   r->list, ar_list_kind_name(ar_lists_kind(lists, (uint32_t)idx)),
                                   ar_list_kind_name(want));
    }
    return AR_OK;
}

bool ar_engine_uses_list(const ar_engine *e, const char *name)
{
    for (size_t i = 0; e && name && i < e->nlist_rules; i++)
        if (!strcmp(e->list_rules[i].rule->list, name))
            return true;
    return false;
}
