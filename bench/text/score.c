/*
 * score.c - recall and false-positive rate of a tool's verdicts against
 * truth.tsv.
 *
 * Reads either `arbiter scan` output, one JSON object per post
 *   {"id": ..., "flagged": true|false, "action": "...", "matches": [...]}
 * or "id<TAB>0|1" lines (what bench_raw_hs --flags-out writes). Verdicts are
 * expected in input order; when an id is out of place they are matched by
 * id instead. Every post of the truth must have a verdict unless --prefix
 * says the tool ran on the first posts only.
 *
 * Usage: bench_score --truth truth.tsv [--tool NAME] [--prefix] VERDICTS
 * Prints the score and a "SCORE tool=..." line; exits 1 on malformed or
 * missing verdicts.
 */
#include "bench_util.h"

#include <stdlib.h>
#include <string.h>

/*---- id -> truth row, built only if the verdicts are out of order ----*/

typedef struct idmap {
    size_t *slot; /* row + 1; 0 = empty */
    size_t cap;
} idmap;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001B3ull;
    }
    return h;
}

static int idmap_build(idmap *m, const bu_truth *t)
{
    m->cap = 1;
    while (m->cap < t->n * 2 + 2)
        m->cap *= 2;
    m->slot = calloc(m->cap, sizeof *m->slot);
    if (!m->slot)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = (size_t)hash_bytes(t->rows[i].id, strlen(t->rows[i].id)) & (m->cap - 1);
        while (m->slot[k])
            k = (k + 1) & (m->cap - 1);
        m->slot[k] = i + 1;
    }
    return 0;
}

static long idmap_find(const idmap *m, const bu_truth *t, const char *id, size_t n)
{
    size_t k = (size_t)hash_bytes(id, n) & (m->cap - 1);
    while (m->slot[k]) {
        const char *r = t->rows[m->slot[k] - 1].id;
        if (strlen(r) == n && !memcmp(r, id, n))
            return (long)(m->slot[k] - 1);
        k = (k + 1) & (m->cap - 1);
    }
    return -1;
}

int main(int argc, char **argv)
{
    const char *truth_path = NULL, *tool = "arbiter", *in = NULL;
    int prefix = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--truth") && i + 1 < argc)
            truth_path = argv[++i];
        else if (!strcmp(argv[i], "--tool") && i + 1 < argc)
            tool = argv[++i];
        else if (!strcmp(argv[i], "--prefix"))
            prefix = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "usage: bench_score --truth truth.tsv [--tool NAME] [--prefix] FILE\n");
            return 2;
        } else
            in = argv[i];
    }
    if (!truth_path || !in) {
        fprintf(stderr, "usage: bench_score --truth truth.tsv [--tool NAME] [--prefix] FILE\n");
        return 2;
    }
    bu_truth t;
    if (bu_truth_load(truth_path, &t) != 0)
        return 1;
    char *buf;
    size_t len;
    if (bu_read_file(in, &buf, &len) != 0)
        return 1;
    unsigned char *flagged = calloc(t.n ? t.n : 1, 1), *seen = calloc(t.n ? t.n : 1, 1);
    if (!flagged || !seen)
        return 1;
    idmap m = {0};
    const char *p = buf, *line;
    size_t ll, k = 0, nverdicts = 0, lineno = 0, max_row = 0, dup = 0;
    while (bu_next_line(&p, buf + len, &line, &ll)) {
        lineno++;
        while (ll && (line[ll - 1] == '\r' || line[ll - 1] == ' '))
            ll--;
        if (ll == 0)
            continue;
        const char *id = NULL;
        size_t idlen = 0;
        int flag = -1;
        if (line[0] == '{') {
            const char *pos = line;
            bu_jval key, val;
            int r;
            while ((r = bu_json_member(&pos, line + ll, &key, &val)) == 1) {
                if (key.len == 2 && !memcmp(key.s, "id", 2)) {
                    id = val.s; /* a string id is compared without its quotes */
                    idlen = val.len;
                } else if (key.len == 7 && !memcmp(key.s, "flagged", 7)) {
                    if (val.len == 4 && !memcmp(val.s, "true", 4))
                        flag = 1;
                    else if (val.len == 5 && !memcmp(val.s, "false", 5))
                        flag = 0;
                }
            }
            if (r < 0) {
                fprintf(stderr, "bench_score: %s:%zu: malformed JSON\n", in, lineno);
                return 1;
            }
        } else {
            const char *tab = memchr(line, '\t', ll);
            if (tab && tab + 1 < line + ll) {
                id = line;
                idlen = (size_t)(tab - line);
                flag = tab[1] == '1';
            }
        }
        if (flag < 0) {
            fprintf(stderr, "bench_score: %s:%zu: no \"flagged\" verdict\n", in, lineno);
            return 1;
        }
        long row = (long)k;
        if (idlen && (k >= t.n || strlen(t.rows[k].id) != idlen ||
                      memcmp(t.rows[k].id, id, idlen))) {
            if (!m.slot && idmap_build(&m, &t) != 0)
                return 1;
            row = idmap_find(&m, &t, id, idlen);
            if (row < 0) {
                fprintf(stderr, "bench_score: %s:%zu: id '%.*s' is not in the truth\n", in,
                        lineno, (int)idlen, id);
                return 1;
            }
        }
        if ((size_t)row >= t.n) {
            fprintf(stderr, "bench_score: %s: more verdicts than posts\n", in);
            return 1;
        }
        dup += seen[row];
        seen[row] = 1;
        flagged[row] = (unsigned char)flag;
        if ((size_t)row + 1 > max_row)
            max_row = (size_t)row + 1;
        nverdicts++;
        k = (size_t)row + 1;
    }
    size_t scored = prefix ? max_row : t.n, missing = 0;
    for (size_t i = 0; i < scored; i++)
        missing += !seen[i];
    if (missing || dup) {
        fprintf(stderr, "bench_score: %s: %zu posts without a verdict, %zu verdicts twice\n", in,
                missing, dup);
        return 1;
    }
    bu_score s;
    bu_score_tally(&t, flagged, scored, &s);
    bu_score_print(stdout, tool, &t, &s);
    free(m.slot);
    free(flagged);
    free(seen);
    free(buf);
    bu_truth_free(&t);
    return 0;
}
