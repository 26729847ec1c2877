/*
 * scan.c - scan one normalised item against a match db.
 *
 * The order of work, per scan:
 *   1. the word index (words.c), then one hs_scan for what is left; both
 *      only record reports (a literal report is 8 bytes; regex reports are
 *      merged with the regex's previous report on the fly when they
 *      overlap). The word index reports first, so past AR_MATCH_WORK_MAX
 *      literal reports the whole-word ones are the ones kept;
 *   2. literal reports become spans (start = end - length, brackets
 *      dropped) and are checked against each pattern's run lengths;
 *   3. a regex's reports are merged into one span per overlapping or
 *      adjacent group;
 *   4. matches inside an allow match of their group (or of
 *      AR_MATCH_GROUP_ALL) are dropped;
 *   5. spans go back to input bytes; sort by (start, id), one per (id, span),
 *      at most AR_MATCH_MAX_PER_ITEM kept.
 * Every buffer lives in the scratch and is reused, so a warm scan does not
 * allocate. Each buffer stops at AR_MATCH_WORK_MAX entries: past that,
 * reports are counted in `dropped` without being kept (a 4 MiB item of
 * "ab ab ab ..." against a substring rule "ab" would otherwise need
 * ~60 MB of scratch; capped, at most ~45 MB).
 */
#include "match_int.h"

/*---- Lists --------------------------------------------------------------*/

void ar_match_list_init(ar_match_list *l, ar_ctx *ctx)
{
    if (!l) return;
    memset(l, 0, sizeof *l);
    l->ctx = ctx;
}

/* Free the matches; the list stays usable (empty, same ctx). */
void ar_match_list_free(ar_match_list *l)
{
    if (!l) return;
    if (l->ctx) ar__free(l->ctx, l->v);
    ar_ctx *ctx = l->ctx;
    memset(l, 0, sizeof *l);
    l->ctx = ctx;
}

/*---- Scratch ------------------------------------------------------------*/

void ar_match_scratch_free(ar_match_scratch *s)
{
    if (!s) return;
    const ar_ctx *ctx = s->ctx;
    hs_free_scratch(s->hs);
    ar__free(ctx, s->lraw);
    ar__free(ctx, s->rraw);
    ar__free(ctx, s->cand);
    ar__free(ctx, s->allow);
    ar__free(ctx, s->allow_maxend);
    ar__free(ctx, s->found);
    ar__free(ctx, s->re_last);
    ar__free(ctx, s->re_stamp);
    ar__free(ctx, s);
}

static ar_status hs_alloc_error(ar_error *err, hs_error_t e)
{
    if (e == HS_NOMEM)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory allocating vectorscan scratch");
    return ar_error_set(err, AR_EBACKEND, NULL, "vectorscan: hs_alloc_scratch failed (%d)", e);
}

/* Make a scratch for scans of `db`. Returns AR_OK, AR_EINVAL (NULL db or
 * out), AR_ENOMEM, or AR_EBACKEND if vectorscan refuses the database. */
ar_status ar_match_scratch_new(const ar_match_db *db, ar_match_scratch **out, ar_error *err)
{
    if (!out) return ar_error_set(err, AR_EINVAL, "out", "ar_match_scratch_new: out is NULL");
    *out = NULL;
    if (!db) return ar_error_set(err, AR_EINVAL, "db", "ar_match_scratch_new: db is NULL");
    const ar_ctx *ctx = db->ctx;
    ar_match_scratch *s = ar__calloc(ctx, 1, sizeof *s);
    if (!s) return ar_error_set(err, AR_ENOMEM, NULL, "out of memory allocating match scratch");
    s->db = db;
    s->ctx = db->ctx;
    hs_error_t e;
    ar_status st;
    if (db->hs && (e = hs_alloc_scratch(db->hs, &s->hs)) != HS_SUCCESS) {
        st = hs_alloc_error(err, e);
        goto fail;
    }
    if (db->nres) {
        s->re_last = ar__calloc(ctx, db->nres, sizeof *s->re_last);
        s->re_stamp = ar__calloc(ctx, db->nres, sizeof *s->re_stamp);
        if (!s->re_last || !s->re_stamp) {
            st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory allocating match scratch");
            goto fail;
        }
    }
    /* Room for a typical post up front, so the first scan does not allocate. */
    if ((st = ar__grow(ctx, (void **)&s->lraw, &s->lraw_cap, 64, sizeof *s->lraw, AR_MATCH_WORK_MAX,
                       err)) != AR_OK ||
        (st = ar__grow(ctx, (void **)&s->cand, &s->cand_cap, 64, sizeof *s->cand, AR_MATCH_WORK_MAX,
                       err)) != AR_OK ||
        (st = ar__grow(ctx, (void **)&s->found, &s->found_cap, 64, sizeof *s->found,
                       AR_MATCH_WORK_MAX, err)) != AR_OK)
        goto fail;
    if (db->nres && (st = ar__grow(ctx, (void **)&s->rraw, &s->rraw_cap, 16, sizeof *s->rraw,
                                   AR_MATCH_WORK_MAX, err)) != AR_OK)
        goto fail;
    *out = s;
    return AR_OK;
fail:
    ar_match_scratch_free(s);
    return st;
}

/* Make room for one more element of `v` (n used of *cap). Returns 0 when
 * there is room, 1 past AR_MATCH_WORK_MAX (the report is to be counted, not
 * kept), -1 out of memory (recorded in s->fail). */
static int reserve(ar_match_scratch *s, void **v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return 0;
    ar_status st = ar__grow(s->ctx, v, cap, n + 1, elem, AR_MATCH_WORK_MAX, NULL);
    if (st == AR_OK) return 0;
    if (st == AR_ETOOBIG) {
        s->overflow++;
        return 1;
    }
    s->fail = st;
    return -1;
}

/*---- Callbacks ----------------------------------------------------------*/

/* A literal report, from either matcher. Returns nonzero to stop the scan
 * (out of memory). */
static int on_literal(uint32_t lit, uint32_t end, void *ud)
{
    ar_match_scratch *s = ud;
    int r = reserve(s, (void **)&s->lraw, &s->lraw_cap, s->nlraw, sizeof *s->lraw);
    if (r) return r < 0;
    s->lraw[s->nlraw++] = (ar__match_lraw){.lit = lit, .end = end};
    return 0;
}

/* One report: a literal (id < nlits) is recorded as it is; a regex report
 * loses its edge spaces and is merged with the regex's previous report when
 * they overlap or touch (reports come in end order, so most merges happen
 * here). Returns nonzero to stop the scan (out of memory). */
static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ud)
{
    (void)flags;
    ar_match_scratch *s = ud;
    const ar_match_db *db = s->db;
    if (id < db->nlits) return on_literal(id, (uint32_t)to, s);
    id -= db->nlits;
    if (AR_NEVER(id >= db->nres)) return 0;
    uint32_t a = (uint32_t)from, z = (uint32_t)to;
    while (a < z && s->buf[a] == ' ')
        a++;
    while (z > a && s->buf[z - 1] == ' ')
        z--;
    if (a == z) return 0;
    if (s->re_stamp[id] == s->stamp) {
        ar__match_span *p = &s->rraw[s->re_last[id]];
        if (a <= p->end && z >= p->start) {
            if (a < p->start) p->start = a;
            if (z > p->end) p->end = z;
            return 0;
        }
    }
    int r = reserve(s, (void **)&s->rraw, &s->rraw_cap, s->nrraw, sizeof *s->rraw);
    if (r) return r < 0;
    s->re_last[id] = (uint32_t)s->nrraw;
    s->re_stamp[id] = s->stamp;
    s->rraw[s->nrraw++] = (ar__match_span){.id = id, .start = a, .end = z};
    return 0;
}

/*---- Post-processing ----------------------------------------------------*/

static int cmp_span(const void *x, const void *y)
{
    const ar__match_span *a = x, *b = y;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return (a->end > b->end) - (a->end < b->end);
}

static int cmp_start(const void *x, const void *y)
{
    const ar__match_span *a = x, *b = y;
    return (a->start > b->start) - (a->start < b->start);
}

static int cmp_match(const void *x, const void *y)
{
    const ar_match *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    if (a->nstart != b->nstart) return a->nstart < b->nstart ? -1 : 1;
    return (a->nend > b->nend) - (a->nend < b->nend);
}

typedef int (*cmp_fn)(const void *, const void *);

#define SORT_ITEM_MAX 32 /* bytes of the largest element sort_items() handles */

static void swap_items(char *a, char *b, size_t size)
{
    char t[SORT_ITEM_MAX];
    memcpy(t, a, size);
    memcpy(a, b, size);
    memcpy(b, t, size);
}

static void sift_down(char *v, size_t root, size_t end, size_t size, cmp_fn cmp)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= end) return;
        if (child + 1 < end && cmp(v + child * size, v + (child + 1) * size) < 0) child++;
        if (cmp(v + root * size, v + child * size) >= 0) return;
        swap_items(v + root * size, v + child * size, size);
        root = child;
    }
}

/* Sort n elements without allocating (glibc's qsort may malloc a merge
 * buffer, and a warm scan must not allocate): insertion sort for the short,
 * nearly sorted arrays of a typical post (reports arrive in end order),
 * heapsort past that. */
static void sort_items(void *base, size_t n, size_t size, cmp_fn cmp)
{
    char *v = base;
    if (n < 2 || AR_NEVER(size > SORT_ITEM_MAX)) return;
    if (n <= 64) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && cmp(v + (j - 1) * size, v + j * size) > 0; j--)
                swap_items(v + (j - 1) * size, v + j * size, size);
        return;
    }
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_items(v, v + end * size, size);
        sift_down(v, 0, end, size, cmp);
    }
}

/* Push a candidate or an allow span. Returns -1 on out of memory. */
static int push_span(ar_match_scratch *s, bool allow, uint32_t id, uint32_t group, uint32_t a,
                     uint32_t z)
{
    ar__match_span **v = allow ? &s->allow : &s->cand;
    size_t *n = allow ? &s->nallow : &s->ncand;
    size_t *cap = allow ? &s->allow_cap : &s->cand_cap;
    int r = reserve(s, (void **)v, cap, *n, sizeof **v);
    if (r) return r < 0 ? -1 : 0;
    (*v)[(*n)++] = (ar__match_span){.id = id, .group = group, .start = a, .end = z};
    return 0;
}

/* true if the text's letter runs over [a, a+n) are at least the term's. */
static bool runs_ok(const uint16_t *text_run, const uint16_t *sig, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (text_run[k] < sig[k]) return false;
    return true;
}

/* Literal reports -> candidates and allow spans. */
static int expand_literals(ar_match_scratch *s, const ar_text_out *text)
{
    const ar_match_db *db = s->db;
    for (size_t i = 0; i < s->nlraw; i++) {
        const ar__match_ent *ent = &db->ents[s->lraw[i].lit];
        uint32_t z = s->lraw[i].end;
        if (AR_NEVER(z < ent->len || z > text->len)) continue;
        uint32_t a = z - ent->len + ent->word;
        z -= ent->word;
        for (;;) {
            if (ent->sig == AR_MATCH_NONE || runs_ok(text->run + a, db->sigs + ent->sig, z - a))
                if (push_span(s, ent->allow, ent->id, ent->group, a, z) < 0) return -1;
            if (ent->next == AR_MATCH_NONE) break;
            ent = &db->ents[ent->next];
        }
    }
    return 0;
}

/* A regex's reports -> one candidate per overlapping or adjacent group. */
static int merge_regexes(ar_match_scratch *s)
{
    const ar_match_db *db = s->db;
    sort_items(s->rraw, s->nrraw, sizeof *s->rraw, cmp_span);
    for (size_t i = 0; i < s->nrraw;) {
        ar__match_span m = s->rraw[i++];
        while (i < s->nrraw && s->rraw[i].id == m.id && s->rraw[i].start <= m.end) {
            if (s->rraw[i].end > m.end) m.end = s->rraw[i].end;
            i++;
        }
        const ar__match_re *re = &db->res[m.id];
        if (push_span(s, false, re->id, re->group, m.start, m.end) < 0) return -1;
    }
    return 0;
}

/* true if candidate c lies inside an allow span of its group or of
 * AR_MATCH_GROUP_ALL. allow[] is sorted by start; maxend[i] is the largest
 * end among allow[0..i]. */
static bool allowed(const ar_match_scratch *s, const ar__match_span *c)
{
    size_t lo = 0, hi = s->nallow; /* first allow with start > c->start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->allow[mid].start <= c->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t j = lo; j-- > 0;) {
        if (s->allow_maxend[j] < c->end) break;
        const ar__match_span *w = &s->allow[j];
        if (w->end >= c->end && (w->group == c->group || w->group == AR_MATCH_GROUP_ALL))
            return true;
    }
    return false;
}

static ar_status scan_error(ar_error *err, hs_error_t e)
{
    if (e == HS_SCRATCH_IN_USE)
        return ar_error_set(err, AR_EINVAL, "scratch", "match scratch used by two threads at once");
    return ar_error_set(err, AR_EBACKEND, NULL, "vectorscan: hs_scan failed (%d)", e);
}

/*---- Scan ---------------------------------------------------------------*/

/* Scan `text` (from ar_text_normalize) against `db` into `out`. Returns
 * AR_OK; AR_EINVAL for NULL arguments, a scratch made for another db or a
 * text without its offset map; AR_ETOOBIG for a text over
 * AR_TEXT_MAX_BYTES; AR_ENOMEM; AR_EBACKEND if vectorscan fails. On failure
 * `out` is empty. */
ar_status ar_match_scan(const ar_match_db *db, ar_match_scratch *s, const ar_text_out *text,
                        ar_match_list *out, ar_error *err)
{
    if (!out) return ar_error_set(err, AR_EINVAL, "out", "ar_match_scan: out is NULL");
    out->n = 0;
    out->dropped = 0;
    const char *missing = !db ? "db" : !s ? "scratch" : !text ? "text" : NULL;
    if (missing) return ar_error_set(err, AR_EINVAL, missing, "ar_match_scan: %s is NULL", missing);
    if (s->db != db)
        return ar_error_set(err, AR_EINVAL, "scratch", "scratch was made for another match db");
    if (text->len > AR_TEXT_MAX_BYTES)
        return ar_error_set(err, AR_ETOOBIG, "text", "normalised text over %u bytes",
                            AR_TEXT_MAX_BYTES);
    if (text->len == 0) return AR_OK;
    if (!text->buf || !text->src_start || !text->src_end || !text->run)
        return ar_error_set(err, AR_EINVAL, "text", "text lacks its buffer or offset map");
    if (!out->ctx) out->ctx = db->ctx;

    s->nlraw = s->nrraw = s->ncand = s->nallow = s->nfound = 0;
    s->overflow = 0;
    s->fail = AR_OK;
    s->buf = text->buf;
    if (++s->stamp == 0) {
        if (db->nres) memset(s->re_stamp, 0, db->nres * sizeof *s->re_stamp);
        s->stamp = 1;
    }

    if (ar__match_words_scan(&db->words, text->buf, text->len, on_literal, s) && s->fail)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory scanning an item");
    if (db->hs) {
        hs_error_t e = hs_scan(db->hs, text->buf, (unsigned)text->len, 0, s->hs, on_match, s);
        if (e != HS_SUCCESS && !(e == HS_SCAN_TERMINATED && s->fail)) return scan_error(err, e);
    }
    if (s->fail || expand_literals(s, text) < 0 || merge_regexes(s) < 0)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory scanning an item");
    if (s->ncand == 0) {
        out->dropped = s->overflow;
        return AR_OK;
    }

    if (s->nallow) {
        sort_items(s->allow, s->nallow, sizeof *s->allow, cmp_start);
        if (ar__grow(db->ctx, (void **)&s->allow_maxend, &s->allow_maxend_cap, s->nallow,
                     sizeof *s->allow_maxend, AR_MATCH_WORK_MAX, err) != AR_OK)
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory scanning an item");
        uint32_t m = 0;
        for (size_t j = 0; j < s->nallow; j++) {
            if (s->allow[j].end > m) m = s->allow[j].end;
            s->allow_maxend[j] = m;
        }
    }

    /* Survivors, in input bytes. */
    if (ar__grow(db->ctx, (void **)&s->found, &s->found_cap, s->ncand, sizeof *s->found,
                 AR_MATCH_WORK_MAX, err) != AR_OK)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory scanning an item");
    for (size_t i = 0; i < s->ncand; i++) {
        const ar__match_span *c = &s->cand[i];
        if (s->nallow && allowed(s, c)) continue;
        size_t a, z;
        ar_text_span_to_source(text, c->start, c->end, &a, &z);
        s->found[s->nfound++] = (ar_match){.id = c->id,
                                           .start = (uint32_t)a,
                                           .end = (uint32_t)z,
                                           .nstart = c->start,
                                           .nend = c->end};
    }
    sort_items(s->found, s->nfound, sizeof *s->found, cmp_match);

    /* One per (id, span); duplicates are adjacent after the sort. */
    size_t k = 0;
    for (size_t i = 0; i < s->nfound; i++) {
        const ar_match *m = &s->found[i];
        if (k && s->found[k - 1].id == m->id && s->found[k - 1].start == m->start &&
            s->found[k - 1].end == m->end)
            continue;
        s->found[k++] = *m;
    }
    size_t keep = k < AR_MATCH_MAX_PER_ITEM ? k : AR_MATCH_MAX_PER_ITEM;
    if (ar__grow(out->ctx, (void **)&out->v, &out->cap, keep, sizeof *out->v, AR_MATCH_MAX_PER_ITEM,
                 err) != AR_OK)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory scanning an item");
    if (keep) memcpy(out->v, s->found, keep * sizeof *out->v);
    out->n = keep;
    out->dropped = k - keep + s->overflow;
    return AR_OK;
}
