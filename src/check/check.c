/*
 * check.c - one text in, one verdict out: normalise, scan, filter by
 * language, take the strongest action among the standards that fired.
 */
#include "check_int.h"

#include <stdio.h>
#include <string.h>
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

/* Append a match, or count it dropped past AR_MATCH_MAX_PER_ITEM. */
static ar_status push(ar_check_scratch *s, ar_verdict *v, size_t *n, ar_verdict_match m,
                      ar_action action, ar_error *err)
{
    if (*n >= AR_MATCH_MAX_PER_ITEM) {
        v->dropped++;
        if (action > v->action)
            v->action = action;
        return AR_OK;
    }
    ar_status st = ar__grow(s->ctx, (void **)&s->vm, &s->vm_cap, *n + 1, sizeof *s->vm,
                            AR_MATCH_MAX_PER_ITEM + 1, err);
    if (st != AR_OK)
        return st;
    s->vm[(*n)++] = m;
    if (action > v->action)
        v->action = action;
    return AR_OK;
}

/* One URL against every url_list rule: at most one match per rule (the
 * most specific expression), `m` carrying where the URL was found. */
static ar_status url_rules(const ar_engine *e, const ar_lists *lists, ar_check_scratch *s,
                           const char *canon, ar_verdict_match m, ar_verdict *v, size_t *n,
                           ar_error *err)
{
    ar_url_hit hits[64];
    size_t nh = ar_lists_url_lookup(lists, canon, hits, AR_ARRAY_LEN(hits));
    for (size_t r = 0; r < e->nlist_rules && nh; r++) {
        const ar__rule_ref *ref = &e->list_rules[r];
        if (ref->rule->kind != AR_RULE_URL_LIST)
            continue;
        long idx = ar_lists_find(lists, ref->rule->list);
        for (size_t h = 0; idx >= 0 && h < nh; h++) {
            if (hits[h].list != (uint32_t)idx)
                continue;
            m.standard = ref->standard->id;
            m.rule = ref->rule->id;
            m.list = ar_lists_name(lists, (uint32_t)idx);
            m.entry = hits[h].expr;
            ar_status st = push(s, v, n, m, ref->standard->action, err);
            if (st != AR_OK)
                return st;
            break;
        }
    }
    return AR_OK;
}

static ar_status link_matches(const ar_engine *e, const ar_lists *lists, ar_check_scratch *s,
                              const ar_check_input *in, ar_verdict *v, size_t *n, ar_error *err)
{
    char canon[AR_URL_CANON_MAX];
    ar_url_span spans[AR_URL_MAX_IN_TEXT];
    size_t nspans = ar_url_find(in->text, in->len, spans, AR_ARRAY_LEN(spans));
    ar_status st = AR_OK;
    for (size_t i = 0; st == AR_OK && i < nspans; i++) {
        if (ar_url_canonicalize(in->text + spans[i].start, spans[i].end - spans[i].start, canon,
                                sizeof canon, NULL) != AR_OK)
            continue; /* text that only looks like a URL */
        ar_verdict_match m = {.start = spans[i].start, .end = spans[i].end,
                              .source = AR_VERDICT_TEXT_URL};
        st = url_rules(e, lists, s, canon, m, v, n, err);
    }
    for (size_t i = 0; st == AR_OK && i < in->nlinks; i++) {
        st = ar_url_canonicalize(in->links[i], strlen(in->links[i]), canon, sizeof canon, err);
        if (st != AR_OK && err)
            snprintf(err->field, sizeof err->field, "links[%zu]", i);
        if (st == AR_OK)
            st = url_rules(e, lists, s, canon,
                           (ar_verdict_match){.source = AR_VERDICT_LINK, .index = (uint32_t)i,
                                              .url = in->links[i]},
                           v, n, err);
    }
    return st;
}

static ar_status hash_matches(const ar_engine *e, const ar_lists *lists, ar_check_scratch *s,
                              const ar_check_input *in, ar_verdict *v, size_t *n, ar_error *err)
{
    for (size_t i = 0; i < in->nhashes; i++)
        for (size_t r = 0; r < e->nlist_rules; r++) {
            const ar__rule_ref *ref = &e->list_rules[r];
            long idx = ref->rule->kind == AR_RULE_BANK ? ar_lists_find(lists, ref->rule->list)
                                                       : -1;
            ar_hash_hit hit;
            if (idx < 0 || !ar_lists_hash_nearest(lists, (uint32_t)idx, &in->hashes[i],
                                                  ref->rule->distance, &hit))
                continue;
            ar_verdict_match m = {.standard = ref->standard->id, .rule = ref->rule->id,
                                  .source = AR_VERDICT_IMAGE_HASH, .index = (uint32_t)i,
                                  .list = ar_lists_name(lists, (uint32_t)idx),
                                  .entry = hit.entry, .distance = hit.distance};
            ar_status st = push(s, v, n, m, ref->standard->action, err);
            if (st != AR_OK)
                return st;
        }
    return AR_OK;
}

/* The nearest of image `img`'s 8 variants to bank `idx` within `max`
 * (ties: the lower variant, so the original wins). */
static bool image_nearest(const ar_lists *lists, uint32_t idx, const ar_check_image *img,
                          unsigned max, ar_hash_hit *hit, ar_pdq_dihedral *variant)
{
    bool found = false;
    for (int d = 0; d < AR_PDQ_DIHEDRAL; d++) {
        ar_hash_hit h;
        if (!ar_lists_hash_nearest(lists, idx, &img->variants[d], max, &h))
            continue;
        if (!found || h.distance < hit->distance) {
            *hit = h;
            *variant = (ar_pdq_dihedral)d;
            found = true;
        }
        if (h.distance == 0)
            break;
    }
    return found;
}

/* Images under the quality floor are noted in v->low_quality, not matched. */
static ar_status image_matches(const ar_engine *e, const ar_lists *lists, ar_check_scratch *s,
                               const ar_check_input *in, ar_verdict *v, size_t *n, ar_error *err)
{
    for (size_t i = 0; i < in->nimages; i++) {
        if (in->images[i].quality < AR_PDQ_MIN_QUALITY)
            continue;
        for (size_t r = 0; r < e->nlist_rules; r++) {
            const ar__rule_ref *ref = &e->list_rules[r];
            long idx = ref->rule->kind == AR_RULE_BANK ? ar_lists_find(lists, ref->rule->list)
                                                       : -1;
            ar_hash_hit hit;
            ar_pdq_dihedral variant = AR_PDQ_ORIGINAL;
            if (idx < 0 || !image_nearest(lists, (uint32_t)idx, &in->images[i],
                                          ref->rule->distance, &hit, &variant))
                continue;
            ar_verdict_match m = {.standard = ref->standard->id, .rule = ref->rule->id,
                                  .source = AR_VERDICT_IMAGE, .index = (uint32_t)i,
                                  .list = ar_lists_name(lists, (uint32_t)idx),
                                  .entry = hit.entry, .distance = hit.distance,
                                  .variant = variant};
            ar_status st = push(s, v, n, m, ref->standard->action, err);
            if (st != AR_OK)
                return st;
        }
    }
    return AR_OK;
}

static ar_status check_input_valid(const ar_check_input *in, ar_error *err)
{
    if ((!in->text && in->len) || (in->nlinks && !in->links) || (in->nhashes && !in->hashes) ||
        (in->nimages && !in->images))
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_item: NULL argument");
    if (in->len > AR_TEXT_MAX_BYTES)
        return ar_error_set(err, AR_ETOOBIG, "text", "text is %zu bytes, over the limit of %u",
                            in->len, AR_TEXT_MAX_BYTES);
    if (in->nlinks > AR_CHECK_MAX_LINKS)
        return ar_error_set(err, AR_ETOOBIG, "links", "%zu links, over the limit of %u",
                            in->nlinks, AR_CHECK_MAX_LINKS);
    if (in->nhashes > AR_CHECK_MAX_HASHES)
        return ar_error_set(err, AR_ETOOBIG, "image_hashes",
                            "%zu image hashes, over the limit of %u", in->nhashes,
                            AR_CHECK_MAX_HASHES);
    if (in->nimages > AR_CHECK_MAX_IMAGES)
        return ar_error_set(err, AR_ETOOBIG, "images", "%zu images, over the limit of %u",
                            in->nimages, AR_CHECK_MAX_IMAGES);
    for (size_t i = 0; i < in->nlinks; i++)
        if (!in->links[i])
            return ar_error_set(err, AR_EINVAL, "links", "links[%zu] is NULL", i);
    return AR_OK;
}

ar_status ar_check_item(ar_engine *e, const ar_lists *lists, ar_check_scratch *s,
                        const ar_check_input *in, ar_verdict *out, ar_error *err)
{
    if (!e || !s || !in || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_item: NULL argument");
    ar_status st = check_input_valid(in, err);
    const char *text = in->text ? in->text : "";
    if (st == AR_OK)
        st = scratch_follow(s, e, err);
    if (st == AR_OK)
        st = ar_text_normalize(e->norm, text, in->len, &s->text, err);
    if (st == AR_OK)
        st = ar_match_scan(e->db, s->ms, &s->text, &s->matches, err);
    if (st == AR_OK)
        st = ar__grow(s->ctx, (void **)&s->vm, &s->vm_cap, s->matches.n, sizeof *s->vm,
                      AR_MATCH_MAX_PER_ITEM + 1, err);
    if (st != AR_OK)
        return st;

    ar_verdict v = {.text_flags = s->text.flags, .dropped = s->matches.dropped};
    for (size_t i = 0; i < in->nimages; i++) /* said even when no bank rule would look */
        if (in->images[i].quality < AR_PDQ_MIN_QUALITY)
            v.low_quality |= 1u << i;
    size_t n = 0;
    for (size_t i = 0; i < s->matches.n; i++) {
        const ar_match *m = &s->matches.v[i];
        if (AR_NEVER(m->id >= e->nrules))
            return ar_error_set(err, AR_EINTERNAL, NULL, "match id %u out of range", m->id);
        const ar__rule_ref *ref = &e->rules[m->id];
        if (!rule_applies(ref->rule, in->lang))
            continue;
        s->vm[n++] = (ar_verdict_match){.standard = ref->standard->id, .rule = ref->rule->id,
                                        .start = m->start, .end = m->end};
        if (ref->standard->action > v.action)
            v.action = ref->standard->action;
    }
    if (e->nlist_rules && lists) {
        st = link_matches(e, lists, s, in, &v, &n, err);
        if (st == AR_OK)
            st = hash_matches(e, lists, s, in, &v, &n, err);
        if (st == AR_OK)
            st = image_matches(e, lists, s, in, &v, &n, err);
        if (st != AR_OK)
            return st;
    } else {
        /* links must be URLs even when no rule looks them up */
        char canon[AR_URL_CANON_MAX];
        for (size_t i = 0; i < in->nlinks; i++)
            if ((st = ar_url_canonicalize(in->links[i], strlen(in->links[i]), canon,
                                          sizeof canon, err)) != AR_OK) {
                if (err)
                    snprintf(err->field, sizeof err->field, "links[%zu]", i);
                return st;
            }
    }
    v.matches = s->vm;
    v.nmatches = n;
    v.flagged = n > 0 || v.dropped > 0;
    *out = v;
    return AR_OK;
}

ar_status ar_check_text(ar_engine *e, ar_check_scratch *s, const char *text, size_t len,
                        const char *lang, ar_verdict *out, ar_error *err)
{
    if (!e || !s || (!text && len) || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_text: NULL argument");
    ar_check_input in = {.text = text, .len = len, .lang = lang};
    return ar_check_item(e, NULL, s, &in, out, err);
}

ar_status ar_check_image_hash(ar_ctx *ctx, const void *bytes, size_t len, ar_check_image *out,
                              ar_error *err)
{
    if (!out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_image_hash: NULL argument");
    memset(out, 0, sizeof *out);
    if (!ctx || (!bytes && len))
        return ar_error_set(err, AR_EINVAL, NULL, "ar_check_image_hash: NULL argument");
    ar_image_opts opts = {.mode = AR_PDQ_FULL_RES, .max_bytes = AR_CHECK_IMAGE_MAX_BYTES};
    ar_status st = ar_image_pdq_dihedral(ctx, bytes, len, &opts, out->variants, &out->quality,
                                         NULL, err);
    if (st != AR_OK)
        memset(out, 0, sizeof *out);
    return st;
}
