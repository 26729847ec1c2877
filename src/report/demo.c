/*
 * demo.c - a seeded, known history for demonstrations, tests and
 * benchmarks of the report, written through the real workflow API with an
 * injected clock (never by inserting rows behind the workflow's back, so
 * every rule, audit event and notice is the real one).
 *
 * The history, in the second half of the year:
 *   - opts.data_requests user-data requests from the main country, of which
 *     exactly opts.data_produced disclose data (the rest are declined);
 *   - content-restriction requests from the main country until exactly
 *     opts.restricted_items items are restricted there (others removed
 *     under a standard or declined);
 *   - a few content requests from DE and FR (EU: statements of reasons);
 *   - opts.notices notices, decided by a moderator: remove, label or none;
 *   - opts.appeals appeals against those removals, one in four reversed.
 * Requests are spread evenly over July to November, each decided 1 to 20
 * days after receipt, so everything lies inside the half-year.
 */
#include "report_int.h"

#include "arbiter/workflow.h"

#include <stdio.h>

typedef struct demo {
    ar_workflow *w;
    uint64_t rng;
    int64_t now, start, span;
    const ar_demo_opts *o;
    ar_demo_summary *s;
    int64_t done, total, next_item;
    ar_ctx *ctx;
} demo;

static int64_t demo_clock(void *ud)
{
    return ((demo *)ud)->now;
}

static uint64_t next(demo *d) /* splitmix64 */
{
    uint64_t z = (d->rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t below(demo *d, int64_t n)
{
    return n > 0 ? (int64_t)(next(d) % (uint64_t)n) : 0;
}

static void tick(demo *d)
{
    d->done++;
    if (d->o->progress && (d->done % 50 == 0 || d->done == d->total))
        d->o->progress(d->o->progress_ud, d->done, d->total);
}

/* The i-th of n moments spread over July to November, with jitter. */
static int64_t moment(demo *d, int64_t i, int64_t n)
{
    return d->start + d->span * i / (n ? n : 1) + below(d, 3600);
}

static ar_status add_request(demo *d, const char *country, const char *authority,
                             const char *branch, const char *instrument, const char *provision,
                             const char *kind, int64_t at, int nitems, const char *item_kind,
                             char ids[][32], int64_t *rid, ar_error *err)
{
    char when[21], json[4096];
    ar_time_format(at, when);
    int off = snprintf(json, sizeof json,
                       "{\"authority\":{\"name\":\"%s\",\"country\":\"%s\",\"branch\":\"%s\"},"
                       "\"legal_basis\":{\"instrument\":\"%s\",\"provision\":\"%s\"},"
                       "\"kind\":\"%s\",\"received_at\":\"%s\",\"items\":[",
                       authority, country, branch, instrument, provision, kind, when);
    for (int i = 0; i < nitems; i++) {
        snprintf(ids[i], 32, "%s-%lld", item_kind, (long long)++d->next_item);
        off += snprintf(json + off, sizeof json - (size_t)off,
                        "%s{\"id\":\"%s\",\"kind\":\"%s\",\"url\":\"https://demo.example/%s\"}",
                        i ? "," : "", ids[i], !strcmp(item_kind, "acct") ? "account" : "post",
                        ids[i]);
    }
    snprintf(json + off, sizeof json - (size_t)off, "]}");
    ar_legal_request *r = NULL;
    ar_status st = ar_legal_request_parse(d->ctx, json, strlen(json), &r, err);
    d->now = at + 60;
    if (st == AR_OK)
        st = ar_request_add(d->w, "legal1", r, rid, err);
    ar_legal_request_free(r);
    tick(d);
    return st;
}

static ar_status decide(demo *d, int64_t rid, const char *item, const char *outcome,
                        const char *reason, ar_error *err)
{
    ar_item_outcome o = {.item = item, .outcome = outcome, .reason = reason};
    if (!strcmp(outcome, "remove"))
        o.standard = "hate_speech";
    if (!strcmp(outcome, "disclose")) {
        o.data_categories = "basic_subscriber";
        o.accounts = 1;
    }
    int64_t did = 0;
    ar_status st = ar_request_decide(d->w, "legal1", rid, &o, &did, err);
    d->s->decisions += did != 0;
    tick(d);
    return st;
}

static const char *const decline_reasons[] = {"no_legal_basis", "overbroad", "not_identifiable"};

static ar_status data_requests(demo *d, const char *cc, ar_error *err)
{
    int64_t n = d->o->data_requests, need = d->o->data_produced;
    ar_status st = AR_OK;
    for (int64_t i = 0; st == AR_OK && i < n; i++) {
        char ids[1][32];
        int64_t rid = 0, at = moment(d, i, n);
        bool produce = below(d, n - i) < need; /* selection sampling: exactly `need` */
        st = add_request(d, cc, "Cyber Crime Unit", i % 5 ? "police" : "court", "IT Rules 2021",
                         "r.3(1)(j)", "user_data", at, 1, "acct", ids, &rid, err);
        d->now = at + 86400 + below(d, 19 * 86400);
        if (st == AR_OK)
            st = decide(d, rid, ids[0], produce ? "disclose" : "decline",
                        produce ? NULL : decline_reasons[i % 3], err);
        need -= produce;
        d->s->data_requests++;
        d->s->data_produced += produce;
    }
    return st;
}

/* Content requests from `cc` until `quota` items are restricted there. */
static ar_status content_requests(demo *d, const char *cc, const char *authority,
                                  const char *instrument, int64_t quota, int64_t expected_requests,
                                  bool eea, ar_error *err)
{
    ar_status st = AR_OK;
    for (int64_t i = 0; st == AR_OK && quota > 0; i++) {
        char ids[5][32];
        int nitems = 1 + (int)below(d, 5);
        int64_t rid = 0, at = moment(d, i % expected_requests, expected_requests);
        st = add_request(d, cc, authority, i % 3 ? "ministry_executive" : "court", instrument,
                         "r.3(1)(d)", "content_restriction", at, nitems, "post", ids, &rid, err);
        d->now = at + 3600 + below(d, 20 * 86400);
        for (int k = 0; st == AR_OK && k < nitems; k++) {
            int64_t roll = below(d, 100);
            const char *outcome = quota > 0 && roll < 80 ? "restrict"
                                  : roll < 90            ? "remove"
                                                         : "decline";
            st = decide(d, rid, ids[k], outcome, !strcmp(outcome, "decline") ? "overbroad" : NULL,
                        err);
            quota -= !strcmp(outcome, "restrict");
            if (eea)
                d->s->eea_restricted += !strcmp(outcome, "restrict");
            else {
                d->s->items_restricted += !strcmp(outcome, "restrict");
                d->s->items_removed += !strcmp(outcome, "remove");
                d->s->items_declined += !strcmp(outcome, "decline");
            }
        }
        if (eea)
            d->s->eea_requests++;
        else
            d->s->content_requests++;
    }
    return st;
}

static ar_status notices_and_appeals(demo *d, ar_error *err)
{
    static const char *const standards[] = {"harassment", "spam", "hate_speech"};
    int64_t n = d->o->notices, *removals = ar__calloc(d->ctx, (size_t)(n ? n : 1),
                                                         sizeof *removals);
    int64_t nremovals = 0;
    if (!removals)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    ar_status st = AR_OK;
    for (int64_t i = 0; st == AR_OK && i < n; i++) {
        char id[32], url[64];
        snprintf(id, sizeof id, "post-n%lld", (long long)i);
        snprintf(url, sizeof url, "https://demo.example/%s", id);
        bool trusted = i % 4 == 0;
        ar_notice_in in = {.item = {.platform_id = id, .url = url},
                           .notifier_kind = trusted ? "trusted_flagger" : "user",
                           .category = standards[i % 3],
                           .explanation = "The post breaks the community standards.",
                           .location = url,
                           .good_faith = true};
        int64_t cid = 0, did = 0, at = moment(d, i, n);
        d->now = at;
        st = ar_notice_add(d->w, &in, &cid, err);
        tick(d);
        int64_t roll = below(d, 100);
        const char *action = roll < 55 ? "remove" : roll < 70 ? "label" : "none";
        ar_case_decision cd = {.action = action, .standard = standards[i % 3]};
        d->now = at + 600 + below(d, 3 * 86400);
        if (st == AR_OK)
            st = ar_case_decide(d->w, "mod1", cid, &cd, &did, err);
        tick(d);
        d->s->notices++;
        d->s->notices_acted += strcmp(action, "none") != 0;
        d->s->decisions++;
        if (!strcmp(action, "remove"))
            removals[nremovals++] = did;
    }
    int64_t appeals = d->o->appeals < nremovals ? d->o->appeals : nremovals;
    for (int64_t i = 0; st == AR_OK && i < appeals; i++) {
        int64_t cid = 0, did = 0;
        d->now = d->start + d->span + 86400 + i * 3600; /* in December */
        st = ar_appeal_add(d->w, removals[i], "affected_user", "The post was satire.", &cid, err);
        tick(d);
        bool reverse = i % 4 == 0;
        d->now += 86400 + below(d, 5 * 86400);
        if (st == AR_OK)
            st = ar_appeal_decide(d->w, "mod2", cid, reverse ? "reversed" : "upheld",
                                  reverse ? "On review the post is satire and breaks no standard."
                                          : "The removal stands.",
                                  &did, err);
        tick(d);
        d->s->appeals++;
        d->s->appeals_reversed += reverse;
        d->s->decisions += did != 0;
    }
    ar__free(d->ctx, removals);
    return st;
}

static ar_status check_opts(const ar_demo_opts *o, ar_error *err)
{
    if (o->year < 2000 || o->year > 2099)
        return ar_error_set(err, AR_EINVAL, "year", "the year must be 2000..2099");
    if (o->data_requests < 0 || o->data_requests > 1000000 || o->data_produced < 0 ||
        o->data_produced > o->data_requests)
        return ar_error_set(err, AR_EINVAL, "data_produced",
                            "data requests must be 0..1000000 and produced at most that many");
    if (o->restricted_items < 0 || o->restricted_items > 1000000 || o->notices < 0 ||
        o->notices > 1000000 || o->appeals < 0)
        return ar_error_set(err, AR_EINVAL, "restricted", "counts must be 0..1000000");
    const char *cc = o->country;
    if (cc && (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z'))
        return ar_error_set(err, AR_EINVAL, "country", "'%s' is not an ISO 3166-1 alpha-2 code",
                            cc);
    return AR_OK;
}

static ar_status seed_staff(ar_workflow *w, ar_error *err)
{
    ar_status st = ar_staff_add(w, NULL, "admin", AR_ROLE_ADMIN, NULL, NULL, err);
    if (st == AR_OK)
        st = ar_staff_add(w, "admin", "legal1", AR_ROLE_LEGAL, NULL, NULL, err);
    if (st == AR_OK)
        st = ar_staff_add(w, "admin", "mod1", AR_ROLE_MODERATOR, NULL, NULL, err);
    if (st == AR_OK)
        st = ar_staff_add(w, "admin", "mod2", AR_ROLE_MODERATOR, NULL, NULL, err);
    return st;
}

ar_status ar_demo_seed(ar_ctx *ctx, const char *dir, const ar_demo_opts *o,
                       ar_demo_summary *summary, ar_error *err)
{
    if (!ctx || !dir || !o || !summary)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_demo_seed: NULL argument");
    ar_status st = check_opts(o, err);
    if (st != AR_OK)
        return st;
    ar_demo_summary s = {0};
    demo d = {.rng = o->seed, .o = o, .s = &s, .ctx = ctx};
    d.start = ar__days_from_civil(o->year, 7, 1) * 86400;
    d.span = ar__days_from_civil(o->year, 12, 1) * 86400 - d.start;
    d.now = d.start;
    /* an estimate for the progress bar: two steps per request or notice */
    d.total = 2 * (o->data_requests + o->restricted_items / 2 + 24 + o->notices + o->appeals) + 4;
    const char *cc = o->country ? o->country : "IN";
    if ((st = ar_workflow_init(ctx, dir, o->jurisdictions, err)) != AR_OK)
        return st;
    ar_workflow_opts wo = {.dir = dir, .clock = demo_clock, .clock_ud = &d};
    if ((st = ar_workflow_open(ctx, &wo, &d.w, err)) != AR_OK)
        return st;
    st = seed_staff(d.w, err);
    if (st == AR_OK)
        st = data_requests(&d, cc, err);
    if (st == AR_OK)
        st = content_requests(&d, cc, "Ministry of Electronics and IT", "IT Rules 2021",
                              o->restricted_items, o->restricted_items / 3 + 1, false, err);
    if (st == AR_OK && strcmp(cc, "DE") != 0)
        st = content_requests(&d, "DE", "Landeskriminalamt", "StGB", 12, 6, true, err);
    if (st == AR_OK && strcmp(cc, "FR") != 0)
        st = content_requests(&d, "FR", "Pharos", "LCEN", 6, 4, true, err);
    if (st == AR_OK)
        st = notices_and_appeals(&d, err);
    ar_workflow_close(d.w);
    if (st == AR_OK)
        *summary = s;
    return st;
}
