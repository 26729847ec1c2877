/*
 * norm_check.c - the benchmark's data against arbiter's real normaliser,
 * without the matcher: which plants survive normalisation as whole words,
 * and which clean posts would normalise into a term.
 *
 * For a planted post, the plant (the term, or the regex instance, in its
 * plain form) is normalised alone and looked for, space-bracketed, in the
 * normalised post. For a clean post, every run of one to four tokens of the
 * normalised post is looked up among the normalised terms. This is the
 * recall and false-positive rate an exact whole-word matcher over the
 * normalised stream would get (it ignores run lengths of doubled letters),
 * so it tells a normaliser miss from a matcher miss.
 *
 * It also times ar_text_normalize alone over the posts' text (one call per
 * post, single-threaded): the share of arbiter's time the normaliser takes.
 *
 * Usage: bench_norm_check DATA_DIR [--show N]   (N failing examples per kind)
 */
#define _GNU_SOURCE /* memmem */
#include "bench_util.h"

#include "arbiter/arbiter.h"

#include <stdlib.h>
#include <string.h>

/*---- A set of normalised strings ----*/

typedef struct strset {
    char **v;
    size_t cap, n;
} strset;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001B3ull;
    }
    return h;
}

static int set_add(strset *s, const char *str, size_t n)
{
    if (s->n * 2 >= s->cap) {
        strset ns = {calloc(s->cap ? s->cap * 2 : 1 << 15, sizeof(char *)),
                     s->cap ? s->cap * 2 : 1 << 15, 0};
        if (!ns.v)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i])
                set_add(&ns, s->v[i], strlen(s->v[i]));
        free(s->v);
        *s = ns;
    }
    size_t k = (size_t)hash_bytes(str, n) & (s->cap - 1);
    while (s->v[k]) {
        if (strlen(s->v[k]) == n && !memcmp(s->v[k], str, n))
            return 0;
        k = (k + 1) & (s->cap - 1);
    }
    s->v[k] = malloc(n + 1);
    if (!s->v[k])
        return -1;
    memcpy(s->v[k], str, n);
    s->v[k][n] = '\0';
    s->n++;
    return 0;
}

static int set_has(const strset *s, const char *str, size_t n)
{
    size_t k = (size_t)hash_bytes(str, n) & (s->cap - 1);
    while (s->v[k]) {
        if (strlen(s->v[k]) == n && !memcmp(s->v[k], str, n))
            return 1;
        k = (k + 1) & (s->cap - 1);
    }
    return 0;
}

/* The normalised form without its bracketing spaces. */
static int norm_trim(const ar_text_norm *nm, ar_text_out *o, const char *s, size_t n,
                     const char **out, size_t *outlen)
{
    ar_error err = {0};
    if (ar_text_normalize(nm, s, n, o, &err) != AR_OK) {
        fprintf(stderr, "bench_norm_check: normalise: %s\n", err.message);
        return -1;
    }
    const char *b = o->buf, *e = o->buf + o->len;
    while (b < e && *b == ' ')
        b++;
    while (e > b && e[-1] == ' ')
        e--;
    *out = b;
    *outlen = (size_t)(e - b);
    return 0;
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_norm_check DATA_DIR [--show N]\n");
        return 2;
    }
    const char *dir = argv[1];
    int show = argc > 3 && !strcmp(argv[2], "--show") ? atoi(argv[3]) : 3;
    ar_ctx *ctx;
    ar_text_norm *nm;
    ar_error err = {0};
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK ||
        ar_text_norm_new(ctx, NULL, 0, &nm, &err) != AR_OK) {
        fprintf(stderr, "bench_norm_check: %s\n", err.message);
        return 1;
    }
    ar_text_out o, o2;
    ar_text_out_init(&o, ctx);
    ar_text_out_init(&o2, ctx);

    /* Normalised terms. */
    char *tp = path_in(dir, "terms.txt"), *buf;
    size_t len;
    if (!tp || bu_read_file(tp, &buf, &len) != 0)
        return 1;
    strset terms = {0};
    const char *p = buf, *line, *nt;
    size_t ll, ntl;
    while (bu_next_line(&p, buf + len, &line, &ll)) {
        if (!ll || line[0] == '#')
            continue;
        if (norm_trim(nm, &o, line, ll, &nt, &ntl) != 0 || set_add(&terms, nt, ntl) != 0)
            return 1;
    }
    free(buf);

    /* Truth: the plain plant of each post (column 4). */
    char *trp = path_in(dir, "truth.tsv"), *tbuf;
    size_t tlen;
    if (!trp || bu_read_file(trp, &tbuf, &tlen) != 0)
        return 1;
    const char *tpos = tbuf, *tline;
    size_t tll;
    bu_next_line(&tpos, tbuf + tlen, &tline, &tll); /* header */

    char *pp = path_in(dir, "posts.jsonl"), *pbuf;
    size_t plen;
    if (!pp || bu_read_file(pp, &pbuf, &plen) != 0)
        return 1;
    p = pbuf;
    double norm_s = 0;
    size_t text_bytes = 0;
    size_t n = 0, plant_n[2] = {0, 0}, plant_miss[2] = {0, 0}, clean_n = 0, clean_fp = 0;
    char dname[64][32];
    size_t dn = 0, dcount[64] = {0}, dmiss[64] = {0};
    char *text = malloc(1 << 20), *want = malloc(1 << 16);
    if (!text || !want)
        return 1;
    while (bu_next_line(&p, pbuf + plen, &line, &ll)) {
        if (!bu_next_line(&tpos, tbuf + tlen, &tline, &tll)) {
            fprintf(stderr, "bench_norm_check: truth.tsv is shorter than posts.jsonl\n");
            return 1;
        }
        n++;
        const char *pos = line;
        bu_jval key, val, tv = {0};
        while (bu_json_member(&pos, line + ll, &key, &val) == 1)
            if (key.len == 4 && !memcmp(key.s, "text", 4))
                tv = val;
        long tl = bu_json_decode(&tv, text);
        if (tl < 0)
            return 1;
        /* id planted disguised term kind disguise lang */
        const char *f[7];
        size_t fl[7], nf = 0;
        const char *c = tline, *e = tline + tll;
        while (nf < 7) {
            const char *tab = memchr(c, '\t', (size_t)(e - c));
            f[nf] = c;
            fl[nf] = (size_t)((tab ? tab : e) - c);
            nf++;
            if (!tab)
                break;
            c = tab + 1;
        }
        if (nf < 6)
            return 1;
        const char *norm;
        size_t nl;
        double t0 = bu_now();
        if (norm_trim(nm, &o, text, (size_t)tl, &norm, &nl) != 0)
            return 1;
        norm_s += bu_now() - t0;
        text_bytes += (size_t)tl;
        if (f[1][0] == '1') {
            int disg = f[2][0] == '1';
            const char *np;
            size_t npl;
            if (norm_trim(nm, &o2, f[3], fl[3], &np, &npl) != 0)
                return 1;
            /* " plant " inside " post " */
            want[0] = ' ';
            memcpy(want + 1, np, npl);
            want[npl + 1] = ' ';
            int found = memmem(o.buf, o.len, want, npl + 2) != NULL;
            plant_n[disg]++;
            plant_miss[disg] += !found;
            size_t d;
            for (d = 0; d < dn; d++)
                if (strlen(dname[d]) == fl[5] && !memcmp(dname[d], f[5], fl[5]))
                    break;
            if (d == dn && dn < 64) {
                snprintf(dname[dn], sizeof dname[dn], "%.*s", (int)fl[5], f[5]);
                dn++;
            }
            dcount[d]++;
            dmiss[d] += !found;
            if (!found && (int)dmiss[d] <= show)
                printf("MISS %.*s [%.*s] plant '%.*s' -> '%.*s' not in: %.*s\n", (int)fl[0], f[0],
                       (int)fl[5], f[5], (int)fl[3], f[3], (int)npl, np, (int)nl, norm);
        } else {
            clean_n++;
            /* Every run of 1-4 tokens. */
            const char *tok[128];
            size_t nt2 = 0;
            for (size_t i = 0; i < nl && nt2 < 127; i++)
                if (i == 0 || norm[i - 1] == ' ')
                    tok[nt2++] = norm + i;
            tok[nt2] = norm + nl + 1;
            int hit = 0;
            for (size_t i = 0; i < nt2 && !hit; i++)
                for (size_t k = 1; k <= 4 && i + k <= nt2 && !hit; k++) {
                    size_t span = (size_t)(tok[i + k] - tok[i]) - 1;
                    if (set_has(&terms, tok[i], span)) {
                        hit = 1;
                        if ((int)clean_fp < show)
                            printf("FP %.*s: '%.*s' in: %.*s\n", (int)fl[0], f[0], (int)span,
                                   tok[i], (int)nl, norm);
                    }
                }
            clean_fp += hit;
        }
    }
    printf("normaliser check over %zu posts (%zu normalised terms):\n", n, terms.n);
    printf("  plain plants found     %zu/%zu (%.3f %%)\n", plant_n[0] - plant_miss[0], plant_n[0],
           bu_pct(plant_n[0] - plant_miss[0], plant_n[0]));
    printf("  disguised plants found %zu/%zu (%.3f %%)\n", plant_n[1] - plant_miss[1], plant_n[1],
           bu_pct(plant_n[1] - plant_miss[1], plant_n[1]));
    printf("  clean posts holding a normalised term %zu/%zu (%.3f %%)\n", clean_fp, clean_n,
           bu_pct(clean_fp, clean_n));
    printf("  ar_text_normalize alone: %.3f s for %.1f MB of text = %.1f MB/s, %.0f posts/s\n",
           norm_s, (double)text_bytes / 1e6, (double)text_bytes / 1e6 / norm_s,
           (double)n / norm_s);
    printf("  by disguise:");
    for (size_t d = 0; d < dn; d++)
        printf(" %s %.1f%% (%zu/%zu);", dname[d], bu_pct(dcount[d] - dmiss[d], dcount[d]),
               dcount[d] - dmiss[d], dcount[d]);
    printf("\n");
    ar_text_out_free(&o);
    ar_text_out_free(&o2);
    ar_text_norm_free(nm);
    ar_ctx_free(ctx);
    return 0;
}
