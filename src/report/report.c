/*
 * report.c - the transparency report: a handful of grouped queries over
 * one snapshot of the store, folded into tables in C. Each query reads a
 * table once (requests, request items, decisions, notices, appeals), so the
 * report costs a small multiple of a single GROUP BY over the decisions.
 *
 * Percentiles are nearest-rank (the median of 1, 2, 3, 4 is 2): always a
 * time that was really observed.
 */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define C(n, k, b) {n, k, b}
static const rep_col cols_req_kind[] = {
    C("kind", REP_DIM, -1),         C("requests", REP_COUNT, -1),
    C("items", REP_COUNT, -1),      C("requests_with_action", REP_COUNT, -1),
    C("share_with_action", REP_SHARE, 1), C("accounts_disclosed", REP_COUNT, -1)};
static const rep_col cols_req_branch[] = {C("branch", REP_DIM, -1), C("requests", REP_COUNT, -1)};
static const rep_col cols_req_country[] = {C("country", REP_DIM, -1), C("requests", REP_COUNT, -1),
                                           C("items", REP_COUNT, -1)};
static const rep_col cols_req_outcome[] = {C("kind", REP_DIM, -1), C("outcome", REP_DIM, -1),
                                           C("reason", REP_DIM, -1), C("items", REP_COUNT, -1),
                                           C("share_of_kind", REP_SHARE, 3)};
static const rep_col cols_req_time[] = {
    C("kind", REP_DIM, -1),          C("decided", REP_COUNT, -1),
    C("median_seconds", REP_SECONDS, 1), C("p90_seconds", REP_SECONDS, 1),
    C("with_deadline", REP_COUNT, -1), C("deadlines_missed", REP_COUNT, -1)};
static const rep_col cols_act_country[] = {C("country", REP_DIM, -1),
                                           C("restrictions", REP_COUNT, -1)};
static const rep_col cols_act_action[] = {C("action", REP_DIM, -1), C("scope", REP_DIM, -1),
                                          C("decisions", REP_COUNT, -1)};
static const rep_col cols_act_ground[] = {C("ground_kind", REP_DIM, -1), C("ground", REP_DIM, -1),
                                          C("decisions", REP_COUNT, -1)};
static const rep_col cols_act_source[] = {C("source", REP_DIM, -1), C("decisions", REP_COUNT, -1),
                                          C("automated_detection", REP_COUNT, -1),
                                          C("automated_decision", REP_COUNT, -1)};
static const rep_col cols_act_month[] = {C("month", REP_DIM, -1), C("restricted", REP_COUNT, -1),
                                         C("removed", REP_COUNT, -1), C("other", REP_COUNT, -1)};
static const rep_col cols_automation[] = {
    C("scope", REP_DIM, -1),          C("decisions", REP_COUNT, -1),
    C("automated_detection", REP_COUNT, -1), C("share_automated_detection", REP_SHARE, 1),
    C("automated_decision", REP_COUNT, -1),  C("share_automated_decision", REP_SHARE, 1)};
static const rep_col cols_notices[] = {
    C("notifier_kind", REP_DIM, -1), C("received", REP_COUNT, -1), C("acted_on", REP_COUNT, -1),
    C("share_acted_on", REP_SHARE, 1), C("median_seconds_to_act", REP_SECONDS, 2)};
static const rep_col cols_appeals[] = {
    C("appellant_kind", REP_DIM, -1), C("received", REP_COUNT, -1), C("decided", REP_COUNT, -1),
    C("upheld", REP_COUNT, -1),       C("reversed", REP_COUNT, -1),
    C("share_reversed", REP_SHARE, 2), C("median_seconds_to_decide", REP_SECONDS, 2)};
#undef C

static const struct {
    const char *name, *title;
    const rep_col *cols;
    size_t ncols;
} table_defs[T_COUNT] = {
#define T(n, title, c) {n, title, c, AR_ARRAY_LEN(c)}
    T("legal_requests_by_kind", "Legal requests by kind", cols_req_kind),
    T("legal_requests_by_branch", "Legal requests by authority branch", cols_req_branch),
    T("legal_requests_by_country", "Legal requests by requesting country", cols_req_country),
    T("legal_request_items_by_outcome", "Items in legal requests, by outcome", cols_req_outcome),
    T("legal_request_timing", "Time from receipt to decision, and deadlines",
      cols_req_time),
    T("content_restrictions_by_country", "Country restrictions, by country", cols_act_country),
    T("content_actions_by_action", "Content actions by action and scope", cols_act_action),
    T("content_actions_by_ground", "Content actions by ground", cols_act_ground),
    T("content_actions_by_source", "Content actions by source", cols_act_source),
    T("content_actions_by_month", "Content actions per month", cols_act_month),
    T("automation", "Automated detection and decisions", cols_automation),
    T("notices", "Notices from users and trusted flaggers", cols_notices),
    T("appeals", "Appeals", cols_appeals),
#undef T
};

/*---- Tables --------------------------------------------------------------------*/

rep_cell *ar__rep_row(ar_report *r, rep_table *t, const char *const *keys)
{
    for (size_t i = 0; i < t->nrows; i++) {
        rep_cell *row = t->cells + i * t->ncols;
        size_t k = 0;
        while (k < t->ndims && !strcmp(row[k].s, keys[k]))
            k++;
        if (k == t->ndims)
            return row;
    }
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        rep_cell *c = ar__realloc(r->ctx, t->cells, cap * t->ncols * sizeof *c);
        if (!c)
            return NULL;
        t->cells = c;
        t->cap = cap;
    }
    rep_cell *row = t->cells + t->nrows * t->ncols;
    memset(row, 0, t->ncols * sizeof *row);
    for (size_t k = 0; k < t->ndims; k++)
        if (!(row[k].s = ar__strdup(r->ctx, keys[k]))) {
            for (size_t j = 0; j < k; j++)
                ar__free(r->ctx, row[j].s);
            return NULL;
        }
    for (size_t k = t->ndims; k < t->ncols; k++)
        row[k].has = t->cols[k].kind == REP_COUNT; /* counts start at 0 */
    t->nrows++;
    return row;
}

static ar_status oom(ar_error *err)
{
    return ar_error_set(err, AR_ENOMEM, "report", "out of memory computing the report");
}

/* Add `v` to column `col` of the row `keys` of table `ti`. */
static ar_status add(ar_report *r, int ti, const char *const *keys, size_t col, double v,
                     ar_error *err)
{
    rep_cell *row = ar__rep_row(r, &r->t[ti], keys);
    if (!row)
        return oom(err);
    row[col].v += v;
    row[col].has = true;
    return AR_OK;
}

static void set(rep_cell *row, size_t col, double v, bool has)
{
    row[col].v = v;
    row[col].has = has;
}

/* "all" first, then by dimension text: stable whatever order the backend
 * grouped in. */
static const rep_table *sort_table;
static int row_cmp(const void *a, const void *b)
{
    const rep_cell *x = a, *y = b;
    for (size_t k = 0; k < sort_table->ndims; k++) {
        bool ax = !strcmp(x[k].s, "all"), ay = !strcmp(y[k].s, "all");
        if (ax != ay)
            return ax ? -1 : 1;
        int c = strcmp(x[k].s, y[k].s);
        if (c)
            return c;
    }
    return 0;
}

static void sort_rows(rep_table *t)
{
    /* rows are ncols cells wide: sort an index, then permute */
    for (size_t i = 1; i < t->nrows; i++) /* insertion sort: tables are small */
        for (size_t j = i; j > 0; j--) {
            rep_cell *a = t->cells + (j - 1) * t->ncols, *b = t->cells + j * t->ncols;
            sort_table = t;
            if (row_cmp(a, b) <= 0)
                break;
            for (size_t k = 0; k < t->ncols; k++) {
                rep_cell tmp = a[k];
                a[k] = b[k];
                b[k] = tmp;
            }
        }
}

/*---- Percentiles ---------------------------------------------------------------------*/

typedef struct samples {
    int64_t *v;
    size_t n, cap;
} samples;

static ar_status sample_add(ar_report *r, samples *s, int64_t v, ar_error *err)
{
    if (s->n == s->cap) {
        void *p = s->v;
        ar_status st = ar__grow(r->ctx, &p, &s->cap, s->n + 1, sizeof *s->v, 100000000, err);
        if (st != AR_OK)
            return st;
        s->v = p;
    }
    s->v[s->n++] = v;
    return AR_OK;
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least p of the samples at or below it. */
static bool percentile(samples *s, double p, double *out)
{
    if (!s->n)
        return false;
    size_t rank = (size_t)ceil(p * (double)s->n);
    *out = (double)s->v[rank ? rank - 1 : 0];
    return true;
}

/*---- Legal requests ------------------------------------------------------------------*/

enum { KIND_MAX = 5 };
static const char *const req_kinds[] = {"content_restriction", "user_data", "preservation",
                                        "emergency", "all"};

typedef struct req_acc {
    ar_report *r;
    samples times[KIND_MAX];
} req_acc;

static int kind_index(const char *k)
{
    for (int i = 0; i < KIND_MAX - 1; i++)
        if (!strcmp(k, req_kinds[i]))
            return i;
    return -1;
}

/* kind, branch, country, received_at, decided_at, deadline_at, items, items acted on, accounts */
static ar_status take_request(void *ud, const ar_store_row *row, ar_error *err)
{
    req_acc *acc = ud;
    ar_report *r = acc->r;
    const char *kind = ar_row_text(row, 0, NULL);
    const char *branch = ar_row_text(row, 1, NULL), *country = ar_row_text(row, 2, NULL);
    int64_t received = ar_row_int(row, 3), items = ar_row_int(row, 6);
    bool decided = !ar_row_is_null(row, 4), has_deadline = !ar_row_is_null(row, 5);
    int64_t decided_at = ar_row_int(row, 4), deadline = ar_row_int(row, 5);
    int64_t as_of = r->opts.as_of ? r->opts.as_of : r->opts.period.end;
    bool missed = has_deadline && (decided ? decided_at : as_of) > deadline;
    int ki = kind_index(kind);
    ar_status st = AR_OK;
    for (int pass = 0; pass < 2 && st == AR_OK; pass++) {
        const char *k[] = {pass ? "all" : kind};
        st = add(r, T_REQ_KIND, k, 1, 1, err);
        if (st == AR_OK)
            st = add(r, T_REQ_KIND, k, 2, (double)items, err);
        if (st == AR_OK)
            st = add(r, T_REQ_KIND, k, 3, ar_row_int(row, 7) > 0, err);
        if (st == AR_OK)
            st = add(r, T_REQ_KIND, k, 5, (double)ar_row_int(row, 8), err);
        if (st == AR_OK)
            st = add(r, T_REQ_TIME, k, 1, decided, err);
        if (st == AR_OK)
            st = add(r, T_REQ_TIME, k, 4, has_deadline, err);
        if (st == AR_OK)
            st = add(r, T_REQ_TIME, k, 5, missed, err);
        int si = pass ? KIND_MAX - 1 : ki;
        if (st == AR_OK && decided && si >= 0)
            st = sample_add(r, &acc->times[si], decided_at - received, err);
    }
    if (st == AR_OK)
        st = add(r, T_REQ_BRANCH, (const char *[]){branch}, 1, 1, err);
    if (st == AR_OK)
        st = add(r, T_REQ_COUNTRY, (const char *[]){country}, 1, 1, err);
    if (st == AR_OK)
        st = add(r, T_REQ_COUNTRY, (const char *[]){country}, 2, (double)items, err);
    return st;
}

static ar_status take_outcome(void *ud, const ar_store_row *row, ar_error *err)
{
    const char *keys[] = {ar_row_text(row, 0, NULL), ar_row_text(row, 1, NULL),
                          ar_row_text(row, 2, NULL)};
    return add(ud, T_REQ_OUTCOME, keys, 3, (double)ar_row_int(row, 3), err);
}

#define REQ_FILTER                                                                                 \
    " lr.received_at >= ? AND lr.received_at < ? AND (? IS NULL OR lr.authority_country = ?)"

static ar_status compute_requests(ar_report *r, ar_store_txn *t, ar_error *err)
{
    const char *cc = r->country[0] ? r->country : NULL;
    ar_value p[] = {AR_VINT(r->opts.period.start), AR_VINT(r->opts.period.end), AR_VTEXT(cc),
                    AR_VTEXT(cc)};
    req_acc acc = {.r = r};
    ar_status st = ar_store_exec(
        t,
        "SELECT lr.kind, lr.authority_branch, lr.authority_country, lr.received_at,"
        " lr.decided_at, lr.deadline_at, count(ri.id),"
        " coalesce(sum(CASE WHEN ri.outcome IN ('restrict','remove','disclose','preserve')"
        " THEN 1 ELSE 0 END), 0), coalesce(sum(ri.accounts_disclosed), 0)"
        " FROM legal_requests lr LEFT JOIN legal_request_items ri ON ri.request_id = lr.id"
        " WHERE" REQ_FILTER
        " GROUP BY lr.id, lr.kind, lr.authority_branch, lr.authority_country, lr.received_at,"
        " lr.decided_at, lr.deadline_at",
        p, AR_ARRAY_LEN(p), take_request, &acc, NULL, err);
    for (int i = 0; i < KIND_MAX; i++) {
        rep_cell *row = NULL;
        if (st == AR_OK && acc.times[i].n) {
            double med = 0, p90 = 0;
            qsort(acc.times[i].v, acc.times[i].n, sizeof *acc.times[i].v, i64_cmp);
            percentile(&acc.times[i], 0.5, &med);
            percentile(&acc.times[i], 0.9, &p90);
            if (!(row = ar__rep_row(r, &r->t[T_REQ_TIME], &req_kinds[i])))
                st = oom(err);
            else {
                set(row, 2, med, true);
                set(row, 3, p90, true);
            }
        }
        ar__free(r->ctx, acc.times[i].v);
    }
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT lr.kind, coalesce(ri.outcome, 'pending'),"
                           " coalesce(ri.decline_reason, ''), count(*)"
                           " FROM legal_request_items ri JOIN legal_requests lr"
                           " ON lr.id = ri.request_id WHERE" REQ_FILTER
                           " GROUP BY lr.kind, coalesce(ri.outcome, 'pending'),"
                           " coalesce(ri.decline_reason, '')",
                           p, AR_ARRAY_LEN(p), take_outcome, r, NULL, err);
    rep_table *k = &r->t[T_REQ_KIND];
    for (size_t i = 0; st == AR_OK && i < k->nrows; i++) {
        rep_cell *row = k->cells + i * k->ncols;
        set(row, 4, row[1].v > 0 ? row[3].v / row[1].v : 0, row[1].v > 0);
    }
    /* per-item shares, Google's form since 2019 */
    rep_table *o = &r->t[T_REQ_OUTCOME];
    for (size_t i = 0; st == AR_OK && i < o->nrows; i++) {
        rep_cell *row = o->cells + i * o->ncols;
        double total = 0;
        for (size_t j = 0; j < o->nrows; j++)
            if (!strcmp(o->cells[j * o->ncols].s, row[0].s))
                total += o->cells[j * o->ncols + 3].v;
        set(row, 4, total > 0 ? row[3].v / total : 0, total > 0);
    }
    return st;
}

/*---- Notices and appeals -------------------------------------------------------------------*/

enum { NK_MAX = 4 };
static const char *const notifier_kinds[] = {"user", "trusted_flagger", "authority", "all"};

typedef struct timed_acc {
    ar_report *r;
    int table;
    samples s[NK_MAX];
} timed_acc;

static int notifier_index(const char *k)
{
    for (int i = 0; i < NK_MAX - 1; i++)
        if (!strcmp(k, notifier_kinds[i]))
            return i;
    return -1;
}

/* notifier_kind, notices received */
static ar_status take_notice_count(void *ud, const ar_store_row *row, ar_error *err)
{
    timed_acc *acc = ud;
    double n = (double)ar_row_int(row, 1);
    ar_status st = add(acc->r, T_NOTICES, (const char *[]){ar_row_text(row, 0, NULL)}, 1, n, err);
    return st == AR_OK ? add(acc->r, T_NOTICES, (const char *[]){"all"}, 1, n, err) : st;
}

/* appellant_kind, filed_at, decided_at, outcome */
static ar_status take_appeal(void *ud, const ar_store_row *row, ar_error *err)
{
    timed_acc *acc = ud;
    static const char *const kinds[] = {"affected_user", "notifier", "authority", "all"};
    const char *kind = ar_row_text(row, 0, NULL), *outcome = ar_row_text(row, 3, NULL);
    bool decided = !ar_row_is_null(row, 2);
    ar_status st = AR_OK;
    for (int pass = 0; pass < 2 && st == AR_OK; pass++) {
        const char *k[] = {pass ? "all" : kind};
        int si = NK_MAX - 1;
        for (int i = 0; !pass && i < NK_MAX - 1; i++)
            if (!strcmp(kind, kinds[i]))
                si = i;
        st = add(acc->r, T_APPEALS, k, 1, 1, err);
        if (st == AR_OK)
            st = add(acc->r, T_APPEALS, k, 2, decided, err);
        if (st == AR_OK)
            st = add(acc->r, T_APPEALS, k, 3, !strcmp(outcome, "upheld"), err);
        if (st == AR_OK)
            st = add(acc->r, T_APPEALS, k, 4, !strcmp(outcome, "reversed"), err);
        if (st == AR_OK && decided && (pass || si < NK_MAX - 1))
            st = sample_add(acc->r, &acc->s[si], ar_row_int(row, 2) - ar_row_int(row, 1), err);
    }
    return st;
}

/* Medians (and shares over column `base`) into each row of a timed table. */
static ar_status finish_timed(timed_acc *acc, const char *const *kinds, int share_col,
                              int count_col, int base_col, int median_col, ar_error *err)
{
    ar_status st = AR_OK;
    rep_table *t = &acc->r->t[acc->table];
    for (int i = 0; i < NK_MAX; i++) {
        if (st == AR_OK && acc->s[i].n) {
            rep_cell *row = ar__rep_row(acc->r, t, &kinds[i]);
            double med = 0;
            qsort(acc->s[i].v, acc->s[i].n, sizeof *acc->s[i].v, i64_cmp);
            if (!row)
                st = oom(err);
            else if (percentile(&acc->s[i], 0.5, &med))
                set(row, (size_t)median_col, med, true);
        }
        ar__free(acc->r->ctx, acc->s[i].v);
    }
    for (size_t i = 0; st == AR_OK && i < t->nrows; i++) {
        rep_cell *row = t->cells + i * t->ncols;
        double base = row[base_col].v;
        set(row, (size_t)share_col, base > 0 ? row[count_col].v / base : 0, base > 0);
    }
    return st;
}

/*---- Content actions and notices acted on: one pass over the decisions ----------*/

/* The decisions are read once, without a GROUP BY: a SQL GROUP BY over six
 * columns sorts every row, while a small hash of groups in C costs one probe
 * per row (bench/report). The same pass finds the notices acted on (a
 * decision on a notice's case), as walking the notices would need an index
 * on decisions.case_id, which the schema lacks. */

static const char *const action_names[] = {"label", "restrict", "remove", "suspend_account"};
static const char *const source_names[] = {"automated", "moderator", "legal_order", "notice",
                                           "appeal"};

static int name_index(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

typedef struct act_group {
    char *scope, *ground; /* NULL: an empty slot */
    uint64_t hash;
    int action, source, legal, month;
    int64_t n, det, dec;
} act_group;

typedef struct act_pass {
    ar_report *r;
    act_group *g;
    size_t cap, used;
    int64_t starts[120];
    size_t months;
    timed_acc *notices;
} act_pass;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

static ar_status group_grow(act_pass *a, ar_error *err)
{
    size_t cap = a->cap ? a->cap * 2 : 256;
    if (cap > ((size_t)1 << 22))
        return ar_error_set(err, AR_ETOOBIG, "report", "over 2M distinct action groups");
    act_group *g = ar__calloc(a->r->ctx, cap, sizeof *g);
    if (!g)
        return oom(err);
    for (size_t i = 0; i < a->cap; i++)
        if (a->g[i].scope) {
            size_t j = a->g[i].hash & (cap - 1);
            while (g[j].scope)
                j = (j + 1) & (cap - 1);
            g[j] = a->g[i];
        }
    ar__free(a->r->ctx, a->g);
    a->g = g;
    a->cap = cap;
    return AR_OK;
}

static bool in_country(const char *scope, const char *cc)
{
    if (!cc[0] || !strcmp(scope, "global"))
        return true;
    for (const char *c = scope; *c;) {
        const char *end = strchr(c, ',');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len == 2 && c[0] == cc[0] && c[1] == cc[1])
            return true;
        c = end ? end + 1 : c + len;
    }
    return false;
}

static ar_status count_action(act_pass *a, const ar_store_row *row, int64_t decided, ar_error *err)
{
    const char *scope = ar_row_text(row, 1, NULL), *ground = ar_row_text(row, 3, NULL);
    act_group k = {.action = name_index(ar_row_text(row, 0, NULL), action_names, 4),
                   .source = name_index(ar_row_text(row, 4, NULL), source_names, 5),
                   .legal = !strcmp(ar_row_text(row, 2, NULL), "legal")};
    if (k.action < 0 || k.source < 0)
        return ar_error_set(err, AR_ECORRUPT, "decisions", "a decision with an unknown action"
                            " or source");
    while ((size_t)k.month + 1 < a->months && decided >= a->starts[k.month + 1])
        k.month++;
    int ints[] = {k.action, k.source, k.legal, k.month};
    k.hash = fnv(fnv(fnv(0xcbf29ce484222325u, ints, sizeof ints), scope, strlen(scope) + 1),
                 ground, strlen(ground));
    if ((a->used + 1) * 2 > a->cap) {
        ar_status st = group_grow(a, err);
        if (st != AR_OK)
            return st;
    }
    size_t j = k.hash & (a->cap - 1);
    act_group *g;
    while ((g = &a->g[j])->scope &&
           (g->hash != k.hash || g->action != k.action || g->source != k.source ||
            g->legal != k.legal || g->month != k.month || strcmp(g->scope, scope) ||
            strcmp(g->ground, ground)))
        j = (j + 1) & (a->cap - 1);
    if (!g->scope) {
        k.scope = ar__strdup(a->r->ctx, scope);
        k.ground = ar__strdup(a->r->ctx, ground);
        if (!k.scope || !k.ground) {
            ar__free(a->r->ctx, k.scope);
            ar__free(a->r->ctx, k.ground);
            return oom(err);
        }
        *g = k;
        a->used++;
    }
    g->n++;
    g->det += ar_row_int(row, 5);
    g->dec += ar_row_int(row, 6);
    return AR_OK;
}

static ar_status notice_acted(timed_acc *acc, const char *kind, int64_t seconds, ar_error *err)
{
    ar_status st = AR_OK;
    for (int pass = 0; pass < 2 && st == AR_OK; pass++) {
        const char *k[] = {pass ? "all" : kind};
        int si = pass ? NK_MAX - 1 : notifier_index(kind);
        st = add(acc->r, T_NOTICES, k, 2, 1, err);
        if (st == AR_OK && si >= 0)
            st = sample_add(acc->r, &acc->s[si], seconds, err);
    }
    return st;
}

/* action, scope, ground_kind, ground, source, automated detection, automated
 * decision, decided_at, notifier_kind (NULL: not a notice's), received_at */
static ar_status take_decision(void *ud, const ar_store_row *row, ar_error *err)
{
    act_pass *a = ud;
    const ar_period *p = &a->r->opts.period;
    int64_t decided = ar_row_int(row, 7);
    ar_status st = AR_OK;
    if (!ar_row_is_null(row, 8)) {
        int64_t received = ar_row_int(row, 9);
        if (received >= p->start && received < p->end)
            st = notice_acted(a->notices, ar_row_text(row, 8, NULL), decided - received, err);
    }
    if (st == AR_OK && decided >= p->start && decided < p->end &&
        in_country(ar_row_text(row, 1, NULL), a->r->country))
        st = count_action(a, row, decided, err);
    return st;
}

/* One group of decisions into every table it belongs to. */
static ar_status fold_group(act_pass *a, const act_group *g, ar_error *err)
{
    ar_report *r = a->r;
    const char *action = action_names[g->action];
    bool global = !strcmp(g->scope, "global");
    double n = (double)g->n, det = (double)g->det, dec = (double)g->dec;
    const char *k_source[] = {source_names[g->source]};
    ar_status st = add(r, T_ACT_ACTION, (const char *[]){action, global ? "global" : "country"}, 2,
                       n, err);
    if (st == AR_OK)
        st = add(r, T_ACT_GROUND, (const char *[]){g->legal ? "legal" : "standard", g->ground}, 2,
                 n, err);
    if (st == AR_OK)
        st = add(r, T_ACT_SOURCE, k_source, 1, n, err);
    if (st == AR_OK)
        st = add(r, T_ACT_SOURCE, k_source, 2, det, err);
    if (st == AR_OK)
        st = add(r, T_ACT_SOURCE, k_source, 3, dec, err);
    const char *all[] = {"all"};
    if (st == AR_OK)
        st = add(r, T_AUTOMATION, all, 1, n, err);
    if (st == AR_OK)
        st = add(r, T_AUTOMATION, all, 2, det, err);
    if (st == AR_OK)
        st = add(r, T_AUTOMATION, all, 4, dec, err);
    if (st == AR_OK && (size_t)g->month < a->months) {
        char label[11];
        ar__day_format(a->starts[g->month], label);
        label[7] = '\0';
        size_t col = !strcmp(action, "restrict") ? 1 : !strcmp(action, "remove") ? 2 : 3;
        st = add(r, T_ACT_MONTH, (const char *[]){label}, col, n, err);
    }
    /* a restriction counts once in each country of its scope */
    for (const char *c = g->scope; st == AR_OK && !global && *c;) {
        const char *end = strchr(c, ',');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        char cc[8];
        snprintf(cc, sizeof cc, "%.*s", (int)(len < 7 ? len : 7), c);
        if (!r->country[0] || !strcmp(cc, r->country))
            st = add(r, T_ACT_COUNTRY, (const char *[]){cc}, 1, n, err);
        c = end ? end + 1 : c + len;
    }
    return st;
}

static ar_status compute_actions(ar_report *r, ar_store_txn *t, timed_acc *notices,
                                 ar_error *err)
{
    act_pass a = {.r = r, .notices = notices};
    a.months = ar_period_months(&r->opts.period, a.starts, 120);
    ar_status st = group_grow(&a, err);
    /* every decision of the period, and every decision on a notice's case
     * whatever its date: a notice of the period may be acted on after it */
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT d.action, d.scope, d.ground_kind, d.ground, d.source,"
                           " d.automated_detection, d.automated_decision, d.decided_at,"
                           " n.notifier_kind, n.received_at"
                           " FROM decisions d LEFT JOIN notices n ON n.case_id = d.case_id"
                           " WHERE d.action <> 'none' AND ((d.decided_at >= ?"
                           " AND d.decided_at < ?) OR d.case_id IS NOT NULL)",
                           (ar_value[]){AR_VINT(r->opts.period.start),
                                        AR_VINT(r->opts.period.end)},
                           2, take_decision, &a, NULL, err);
    for (size_t i = 0; i < a.cap; i++)
        if (a.g[i].scope) {
            if (st == AR_OK)
                st = fold_group(&a, &a.g[i], err);
            ar__free(r->ctx, a.g[i].scope);
            ar__free(r->ctx, a.g[i].ground);
        }
    ar__free(r->ctx, a.g);
    /* every month of the period has a point on the trend line */
    for (size_t i = 0; st == AR_OK && i < a.months; i++) {
        char label[11];
        ar__day_format(a.starts[i], label);
        label[7] = '\0';
        if (!ar__rep_row(r, &r->t[T_ACT_MONTH], (const char *[]){label}))
            st = oom(err);
    }
    rep_cell *row = st == AR_OK ? ar__rep_row(r, &r->t[T_AUTOMATION], (const char *[]){"all"})
                                : NULL;
    if (st == AR_OK && !row)
        st = oom(err);
    if (st == AR_OK) {
        set(row, 3, row[1].v > 0 ? row[2].v / row[1].v : 0, row[1].v > 0);
        set(row, 5, row[1].v > 0 ? row[4].v / row[1].v : 0, row[1].v > 0);
    }
    return st;
}

static ar_status compute_notices_appeals(ar_report *r, ar_store_txn *t, ar_error *err)
{
    static const char *const appellant_kinds[] = {"affected_user", "notifier", "authority", "all"};
    timed_acc n = {.r = r, .table = T_NOTICES}, a = {.r = r, .table = T_APPEALS};
    ar_value p[] = {AR_VINT(r->opts.period.start), AR_VINT(r->opts.period.end)};
    /* Notices carry no country: the store keeps no location of a notifier.
     * Those acted on are found in the pass over the decisions. */
    ar_status st = ar_store_exec(t,
                                 "SELECT n.notifier_kind, count(*) FROM notices n"
                                 " WHERE n.received_at >= ? AND n.received_at < ?"
                                 " GROUP BY n.notifier_kind",
                                 p, 2, take_notice_count, &n, NULL, err);
    if (st == AR_OK)
        st = compute_actions(r, t, &n, err);
    if (st == AR_OK)
        st = finish_timed(&n, notifier_kinds, 3, 2, 1, 4, err);
    else
        for (int i = 0; i < NK_MAX; i++)
            ar__free(r->ctx, n.s[i].v);
    char like[16];
    snprintf(like, sizeof like, "%%,%s,%%", r->country);
    const char *cc = r->country[0] ? r->country : NULL;
    ar_value q[] = {p[0], p[1], AR_VTEXT(cc), AR_VTEXT(like)};
    if (st == AR_OK)
        st = ar_store_exec(t,
                           "SELECT a.appellant_kind, a.filed_at, a.decided_at,"
                           " coalesce(a.outcome, '') FROM appeals a"
                           " JOIN decisions d ON d.id = a.decision_id"
                           " WHERE a.filed_at >= ? AND a.filed_at < ?"
                           " AND (? IS NULL OR d.scope = 'global'"
                           " OR (',' || d.scope || ',') LIKE ?)",
                           q, 4, take_appeal, &a, NULL, err);
    if (st == AR_OK)
        return finish_timed(&a, appellant_kinds, 5, 4, 2, 6, err);
    for (int i = 0; i < NK_MAX; i++)
        ar__free(r->ctx, a.s[i].v);
    return st;
}

/*---- The report ----------------------------------------------------------------------------*/

ar_status ar_report_compute(ar_ctx *ctx, ar_store *store, const ar_report_opts *opts,
                            ar_report **out, ar_error *err)
{
    if (!ctx || !store || !opts || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_report_compute: NULL argument");
    if (opts->period.end <= opts->period.start)
        return ar_error_set(err, AR_EINVAL, "period", "the period is empty");
    if (opts->suppress < 0 || opts->suppress > 1000)
        return ar_error_set(err, AR_EINVAL, "suppress", "the threshold must be 0..1000");
    const char *cc = opts->country;
    if (cc && (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z'))
        return ar_error_set(err, AR_EINVAL, "country",
                            "'%s' is not an ISO 3166-1 alpha-2 code such as \"PK\"", cc);
    ar_report *r = ar__calloc(ctx, 1, sizeof *r);
    if (!r)
        return oom(err);
    r->ctx = ctx;
    r->opts = *opts;
    r->opts.country = NULL;
    if (cc)
        memcpy(r->country, cc, 3);
    for (int i = 0; i < T_COUNT; i++) {
        rep_table *t = &r->t[i];
        t->name = table_defs[i].name;
        t->title = table_defs[i].title;
        t->cols = table_defs[i].cols;
        t->ncols = table_defs[i].ncols;
        while (t->ndims < t->ncols && t->cols[t->ndims].kind == REP_DIM)
            t->ndims++;
    }
    ar_store_txn *t = NULL;
    ar_status st = ar_store_read(store, &t, err);
    if (st == AR_OK)
        st = compute_requests(r, t, err);
    if (st == AR_OK) /* notices, content actions, appeals */
        st = compute_notices_appeals(r, t, err);
    ar_store_rollback(t);
    if (st != AR_OK) {
        ar_report_free(r);
        return st;
    }
    for (int i = 0; i < T_COUNT; i++)
        sort_rows(&r->t[i]);
    AR_LOG(ctx, AR_LOG_INFO, "report", "report_computed", AR_KV_STR("period", r->opts.period.label),
           AR_KV_INT("requests", r->t[T_REQ_KIND].nrows ? r->t[T_REQ_KIND].cells[1].v : 0));
    *out = r;
    return AR_OK;
}

void ar_report_free(ar_report *r)
{
    if (!r)
        return;
    for (int i = 0; i < T_COUNT; i++) {
        rep_table *t = &r->t[i];
        for (size_t j = 0; j < t->nrows; j++)
            for (size_t k = 0; k < t->ndims; k++)
                ar__free(r->ctx, t->cells[j * t->ncols + k].s);
        ar__free(r->ctx, t->cells);
    }
    ar__free(r->ctx, r);
}

ar_status ar_report_cell(const ar_report *r, const char *table, const char *keys,
                         const char *column, double *out, ar_error *err)
{
    if (!r || !table || !keys || !column || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_report_cell: NULL argument");
    for (int i = 0; i < T_COUNT; i++) {
        const rep_table *t = &r->t[i];
        if (strcmp(t->name, table) != 0)
            continue;
        size_t col = t->ndims;
        while (col < t->ncols && strcmp(t->cols[col].name, column) != 0)
            col++;
        if (col == t->ncols)
            return ar_error_set(err, AR_ENOTFOUND, column, "table %s has no column %s", table,
                                column);
        for (size_t j = 0; j < t->nrows; j++) {
            const rep_cell *row = t->cells + j * t->ncols;
            char joined[512];
            size_t off = 0;
            for (size_t k = 0; k < t->ndims && off < sizeof joined; k++)
                off += (size_t)snprintf(joined + off, sizeof joined - off, "%s%s", k ? "/" : "",
                                        row[k].s);
            if (strcmp(joined, keys) != 0)
                continue;
            if (!row[col].has)
                return ar_error_set(err, AR_ENOTFOUND, column, "%s has no value for %s", column,
                                    keys);
            *out = row[col].v;
            return AR_OK;
        }
        return ar_error_set(err, AR_ENOTFOUND, keys, "table %s has no row %s", table, keys);
    }
    return ar_error_set(err, AR_ENOTFOUND, table, "no table %s", table);
}
