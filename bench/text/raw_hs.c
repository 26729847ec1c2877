/*
 * raw_hs.c - the ceiling of arbiter's text benchmark: vectorscan over the
 * raw, un-normalised bytes of each post with the same terms and regexes.
 *
 * The terms are caseless literals (no word boundaries), the regexes
 * HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SINGLEMATCH; all in
 * one block-mode database by default (literals escaped byte by byte, which
 * vectorscan still compiles as literals), or a literal database and a regex
 * database with --two-db. One hs_scan per post (two with --two-db),
 * single-threaded, reporting every match as arbiter does.
 *
 * Timing: the file is read and each post's "text" extracted (JSON escapes
 * decoded) first, then the scan loop runs once untimed and --reps times
 * timed; the median is reported with min and max. "total" is read +
 * extract + one median scan. MB is 10^6 bytes; "text MB/s" counts only the
 * text bytes scanned, "file MB/s" the whole posts.jsonl.
 *
 * Usage: bench_raw_hs --patterns raw_patterns.tsv --posts posts.jsonl
 *                     [--truth truth.tsv] [--reps N] [--two-db]
 *                     [--limit N] [--flags-out FILE]
 */
#include "bench_util.h"

#include <hs.h>

#include <stdlib.h>
#include <string.h>

typedef struct post_text {
    const char *s;
    size_t len;
} post_text;

typedef struct dbs {
    hs_database_t *db[2];
    int n;
    hs_scratch_t *scratch;
    double compile_s;
    size_t bytes;
} dbs;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags;
    (*(size_t *)ctx)++;
    return 0; /* report every match, as arbiter does */
}

/* A literal as a regex: every byte that is not an ASCII letter or digit as \xHH. */
static char *escape_literal(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n * 4 + 1), *q = o;
    if (!o)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            *q++ = (char)*p;
        else
            q += sprintf(q, "\\x%02x", *p);
    }
    *q = '\0';
    return o;
}

static int compile_dbs(const bu_patterns *pat, int two_db, dbs *d)
{
    size_t n = pat->nlit + pat->nre;
    const char **expr = calloc(n, sizeof *expr);
    char **owned = calloc(n, sizeof *owned);
    unsigned *flags = calloc(n, sizeof *flags), *ids = calloc(n, sizeof *ids);
    size_t *lens = calloc(n, sizeof *lens);
    hs_compile_error_t *ce = NULL;
    int rc = -1;
    if (!expr || !owned || !flags || !ids || !lens)
        goto out;
    double t0 = bu_now();
    memset(d, 0, sizeof *d);
    const unsigned re_flags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SINGLEMATCH;
    if (two_db) {
        for (size_t i = 0; i < pat->nlit; i++) {
            expr[i] = pat->lit[i];
            lens[i] = strlen(pat->lit[i]);
            flags[i] = HS_FLAG_CASELESS;
            ids[i] = (unsigned)i;
        }
        if (hs_compile_lit_multi(expr, flags, ids, lens, (unsigned)pat->nlit, HS_MODE_BLOCK, NULL,
                                 &d->db[0], &ce) != HS_SUCCESS) {
            fprintf(stderr, "bench_raw_hs: literal %d: %s\n", ce->expression, ce->message);
            goto out;
        }
        for (size_t i = 0; i < pat->nre; i++) {
            expr[i] = pat->re[i];
            flags[i] = re_flags;
            ids[i] = (unsigned)(pat->nlit + i);
        }
        if (hs_compile_multi(expr, flags, ids, (unsigned)pat->nre, HS_MODE_BLOCK, NULL, &d->db[1],
                             &ce) != HS_SUCCESS) {
            fprintf(stderr, "bench_raw_hs: regex %d: %s\n", ce->expression, ce->message);
            goto out;
        }
        d->n = 2;
    } else {
        for (size_t i = 0; i < pat->nlit; i++) {
            owned[i] = escape_literal(pat->lit[i]);
            if (!owned[i])
                goto out;
            expr[i] = owned[i];
            flags[i] = HS_FLAG_CASELESS;
            ids[i] = (unsigned)i;
        }
        for (size_t i = 0; i < pat->nre; i++) {
            expr[pat->nlit + i] = pat->re[i];
            flags[pat->nlit + i] = re_flags;
            ids[pat->nlit + i] = (unsigned)(pat->nlit + i);
        }
        if (hs_compile_multi(expr, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &d->db[0], &ce) !=
            HS_SUCCESS) {
            fprintf(stderr, "bench_raw_hs: pattern %d: %s\n", ce->expression, ce->message);
            goto out;
        }
        d->n = 1;
    }
    d->compile_s = bu_now() - t0;
    for (int i = 0; i < d->n; i++) {
        size_t sz = 0;
        hs_database_size(d->db[i], &sz);
        d->bytes += sz;
        if (hs_alloc_scratch(d->db[i], &d->scratch) != HS_SUCCESS) {
            fprintf(stderr, "bench_raw_hs: hs_alloc_scratch failed\n");
            goto out;
        }
    }
    rc = 0;
out:
    if (ce)
        hs_free_compile_error(ce);
    if (owned)
        for (size_t i = 0; i < n; i++)
            free(owned[i]);
    free(owned);
    free(expr);
    free(flags);
    free(ids);
    free(lens);
    return rc;
}

/* Find each line's "text" member; decode escapes in place (decoding never
 * grows a string), else point into the buffer. Also checks ids against the
 * truth when given. */
static long extract(char *buf, size_t len, size_t limit, post_text **out, size_t *n,
                    uint64_t *file_bytes, const bu_truth *truth)
{
    size_t cap = 1 << 16, k = 0;
    post_text *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    const char *p = buf, *line;
    size_t ll;
    *file_bytes = 0;
    while (k < limit && bu_next_line(&p, buf + len, &line, &ll)) {
        *file_bytes += ll + 1;
        if (ll == 0)
            continue;
        const char *pos = line;
        bu_jval key, val, text = {0}, id = {0};
        int r, have_text = 0, have_id = 0;
        while ((r = bu_json_member(&pos, line + ll, &key, &val)) == 1) {
            if (key.len == 4 && !memcmp(key.s, "text", 4) && val.is_string) {
                text = val;
                have_text = 1;
            } else if (key.len == 2 && !memcmp(key.s, "id", 2)) {
                id = val;
                have_id = 1;
            }
        }
        if (r < 0 || !have_text) {
            fprintf(stderr, "bench_raw_hs: post %zu: no \"text\" string or bad JSON\n", k + 1);
            free(v);
            return -1;
        }
        if (truth && have_id && k < truth->n &&
            (strlen(truth->rows[k].id) != id.len || memcmp(truth->rows[k].id, id.s, id.len))) {
            fprintf(stderr, "bench_raw_hs: post %zu: id differs from truth.tsv's %s\n", k + 1,
                    truth->rows[k].id);
            free(v);
            return -1;
        }
        if (k == cap) {
            cap *= 2;
            post_text *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
        }
        long dl = bu_json_decode(&text, (char *)text.s);
        if (dl < 0) {
            fprintf(stderr, "bench_raw_hs: post %zu: bad escape in \"text\"\n", k + 1);
            free(v);
            return -1;
        }
        v[k].s = text.s;
        v[k].len = (size_t)dl;
        k++;
    }
    *out = v;
    *n = k;
    return 0;
}

static double scan_all(const dbs *d, const post_text *v, size_t n, unsigned char *flagged,
                       size_t *matches)
{
    size_t total = 0;
    double t0 = bu_now();
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (int k = 0; k < d->n; k++)
            hs_scan(d->db[k], v[i].s, (unsigned)v[i].len, 0, d->scratch, on_match, &m);
        if (flagged)
            flagged[i] = m > 0;
        total += m;
    }
    double t = bu_now() - t0;
    *matches = total;
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_raw_hs --patterns raw_patterns.tsv --posts posts.jsonl\n"
               "                    [--truth truth.tsv] [--reps N] [--two-db] [--limit N]\n"
               "                    [--flags-out FILE]\n");
}

int main(int argc, char **argv)
{
    const char *pat_path = NULL, *posts_path = NULL, *truth_path = NULL, *flags_out = NULL;
    int reps = 5, two_db = 0;
    size_t limit = (size_t)-1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--two-db")) {
            two_db = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!val) {
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--patterns"))
            pat_path = val;
        else if (!strcmp(a, "--posts"))
            posts_path = val;
        else if (!strcmp(a, "--truth"))
            truth_path = val;
        else if (!strcmp(a, "--reps"))
            reps = atoi(val);
        else if (!strcmp(a, "--limit"))
            limit = (size_t)strtoull(val, NULL, 10);
        else if (!strcmp(a, "--flags-out"))
            flags_out = val;
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!pat_path || !posts_path || reps < 1 || reps > 101) {
        usage(stderr);
        return 2;
    }

    bu_patterns pat;
    if (bu_patterns_load(pat_path, &pat) != 0)
        return 1;
    bu_truth truth = {0};
    if (truth_path && bu_truth_load(truth_path, &truth) != 0)
        return 1;
    dbs d;
    if (compile_dbs(&pat, two_db, &d) != 0)
        return 1;
    printf("raw-vectorscan: %zu caseless literals + %zu regexes (UTF8|UCP|CASELESS|SINGLEMATCH), "
           "%s, compile %.2f s, %.2f MB of database\n",
           pat.nlit, pat.nre, two_db ? "2 databases (2 scans per post)" : "1 database",
           d.compile_s, (double)d.bytes / 1e6);

    double t0 = bu_now();
    char *buf;
    size_t len;
    if (bu_read_file(posts_path, &buf, &len) != 0)
        return 1;
    double t_read = bu_now() - t0;
    post_text *v;
    size_t n;
    uint64_t file_bytes;
    t0 = bu_now();
    if (extract(buf, len, limit, &v, &n, &file_bytes, truth_path ? &truth : NULL) != 0)
        return 1;
    double t_extract = bu_now() - t0;
    uint64_t text_bytes = 0;
    for (size_t i = 0; i < n; i++)
        text_bytes += v[i].len;
    if (truth_path && truth.n < n) {
        fprintf(stderr, "bench_raw_hs: truth.tsv has %zu rows for %zu posts\n", truth.n, n);
        return 1;
    }

    unsigned char *flagged = calloc(n ? n : 1, 1);
    if (!flagged)
        return 1;
    size_t matches = 0;
    scan_all(&d, v, n, NULL, &matches); /* warm-up */
    double *t = malloc((size_t)reps * sizeof *t);
    if (!t)
        return 1;
    for (int r = 0; r < reps; r++)
        t[r] = scan_all(&d, v, n, r == 0 ? flagged : NULL, &matches);
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double med = t[reps / 2], total = t_read + t_extract + med;
    printf("posts %zu: file %.1f MB, text %.1f MB (mean %.0f B/post); %zu matches per pass\n", n,
           (double)file_bytes / 1e6, (double)text_bytes / 1e6,
           n ? (double)text_bytes / (double)n : 0.0, matches);
    printf("scan loop, median of %d (min %.3f s, max %.3f s): %.3f s = %.0f posts/s, "
           "%.1f MB/s of text, %.1f MB/s of file\n",
           reps, t[0], t[reps - 1], med, (double)n / med, (double)text_bytes / 1e6 / med,
           (double)file_bytes / 1e6 / med);
    printf("with read (%.3f s) and JSON extraction (%.3f s): %.3f s = %.0f posts/s, "
           "%.1f MB/s of file\n",
           t_read, t_extract, total, (double)n / total, (double)file_bytes / 1e6 / total);
    printf("RESULT tool=raw-vectorscan posts=%zu file_bytes=%llu text_bytes=%llu scan_s=%.6f "
           "scan_min_s=%.6f scan_max_s=%.6f posts_per_s=%.1f text_mb_s=%.2f file_mb_s=%.2f "
           "total_s=%.6f total_posts_per_s=%.1f compile_s=%.3f reps=%d\n",
           n, (unsigned long long)file_bytes, (unsigned long long)text_bytes, med, t[0],
           t[reps - 1], (double)n / med, (double)text_bytes / 1e6 / med,
           (double)file_bytes / 1e6 / med, total, (double)n / total, d.compile_s, reps);
    if (flags_out) {
        FILE *f = fopen(flags_out, "w");
        if (!f) {
            fprintf(stderr, "bench_raw_hs: cannot write %s\n", flags_out);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s\t%d\n", truth_path ? truth.rows[i].id : "", flagged[i]);
        if (fclose(f) != 0)
            return 1;
    }
    if (truth_path) {
        bu_score s;
        bu_score_tally(&truth, flagged, n, &s);
        bu_score_print(stdout, "raw-vectorscan", &truth, &s);
    }
    for (int i = 0; i < d.n; i++)
        hs_free_database(d.db[i]);
    hs_free_scratch(d.scratch);
    free(t);
    free(flagged);
    free(v);
    free(buf);
    bu_truth_free(&truth);
    bu_patterns_free(&pat);
    return 0;
}
