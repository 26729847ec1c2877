/*
 * check.c - one text in, one verdict out: normalise, scan, filter by
 * language, take the strongest action among the standards that fired.
 */
#include "check_int.h"

#include <strings.h>

struct ar_check_scratch {
    ar_ctx *ctx;
    ar_text_out text;
    ar_match_list matches;
    ar_match_scratch *ms;
    uint64_t ms_serial; /* the engine `ms` was allocated for */
    ar_verdict_match *vm;
    size_t vm_cap;
};

ar_status ar_check_scratch_new(ar_ctx *ctx, ar_check_scratch **out, ar_error *err)
{
    if (!ctx || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_scratch_new: NULL argument");
    *out = NULL;
    ar_check_scratch *s = ar__calloc(ctx, 1, sizeof *s);
    if (!s)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for check scratch");
    s->ctx = ctx;
    ar_text_out_init(&s->text, ctx);
    ar_match_list_init(&s->matches, ctx);
    *out = s;
    return AR_OK;
}

void ar_check_scratch_free(ar_check_scratch *s)
{
    if (!s)
        return;
    ar_text_out_free(&s->text);
    ar_match_list_free(&s->matches);
    ar_match_scratch_free(s->ms);
    ar__free(s->ctx, s->vm);
    ar__free(s->ctx, s);
}

/* A scratch follows whichever engine it is handed: after a reload the first
 * check on the new engine makes a new match scratch, and later ones reuse it. */
static ar_status scratch_follow(ar_check_scratch *s, const ar_engine *e, ar_error *err)
{
    if (s->ms && s->ms_serial == e->serial)
        return AR_OK;
    ar_match_scratch *ms = NULL;
    ar_status st = ar_match_scratch_new(e->db, &ms, err);
    if (st != AR_OK)
        return st;
    ar_match_scratch_free(s->ms);
    s->ms = ms;
    s->ms_serial = e->serial;
    return AR_OK;
}

/* "en" applies to "en" and "en-GB"; a rule with no languages applies to all;
 * an item with no language gets every rule. */
static bool rule_applies(const ar_policy_rule *r, const char *lang)
{
    if (!lang || !*lang || r->nlanguages == 0)
        return true;
    for (size_t i = 0; i < r->nlanguages; i++) {
        size_t n = strlen(r->languages[i]);
        if (!strncasecmp(lang, r->languages[i], n) && (lang[n] == '\0' || lang[n] == '-' ||
                                                       lang[n] == '_'))
            return true;
    }
    return false;
}

ar_status ar_check_text(ar_engine *e, ar_check_scratch *s, const char *text, size_t len,
                        const char *lang, ar_verdict *out, ar_error *err)
{
    if (!e || !s || (!text && len) || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_text: NULL argument");
    if (len > AR_TEXT_MAX_BYTES)
        return ar_error_set(err, AR_ETOOBIG, "text", "text is %zu bytes, over the limit of %u",
                            len, AR_TEXT_MAX_BYTES);
    ar_status st = scratch_follow(s, e, err);
    if (st == AR_OK)
        st = ar_text_normalize(e->norm, text ? text : "", len, &s->text, err);
    if (st == AR_OK)
        st = ar_match_scan(e->db, s->ms, &s->text, &s->matches, err);
    if (st == AR_OK)
        st = ar__grow(s->ctx, (void **)&s->vm, &s->vm_cap, s->matches.n, sizeof *s->vm,
                      AR_MATCH_MAX_PER_ITEM + 1, err);
    if (st != AR_OK)
        return st;

    ar_verdict v = {.text_flags = s->text.flags, .dropped = s->matches.dropped};
    size_t n = 0;
    for (size_t i = 0; i < s->matches.n; i++) {
        const ar_match *m = &s->matches.v[i];
        if (AR_NEVER(m->id >= e->nrules))
            return ar_error_set(err, AR_EINTERNAL, NULL, "match id %u out of range", m->id);
        const ar__rule_ref *ref = &e->rules[m->id];
        if (!rule_applies(ref->rule, lang))
            continue;
        s->vm[n++] = (ar_verdict_match){ref->standard->id, ref->rule->id, m->start, m->end};
        if (ref->standard->action > v.action)
            v.action = ref->standard->action;
    }
    v.matches = s->vm;
    v.nmatches = n;
    v.flagged = n > 0 || v.dropped > 0;
    *out = v;
    return AR_OK;
}
