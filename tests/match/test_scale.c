/*
 * test_scale.c - a policy-sized db (10,000 terms, 200 regexes, a few allow
 * words) over synthetic ~286-byte posts: planted terms are found with exact
 * spans, and the scan rate is printed (AR_MATCH_SCALE_POSTS sets the number
 * of posts; default 4,000).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "arbiter/match.h"

#include "match_test.h"

/*---- Synthetic words and posts ------------------------------------------*/

#define NVOCAB   30000
#define NTERMS   10000
#define NREGEX   200
#define WORD_MAX 16
#define POST_MAX 512
#define NPATS    (NTERMS + NREGEX + 2)

typedef struct gen {
    uint64_t seed;
    char (*vocab)[WORD_MAX];
    double *cdf; /* Zipf over the vocabulary */
} gen;

static uint32_t rnd(gen *g)
{
    g->seed = g->seed * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(g->seed >> 33);
}

/* Pseudo-words from consonant-vowel syllables, no letter doubled, all
 * distinct (a numeric-free suffix letter breaks ties). */
static void make_vocab(gen *g)
{
    static const char cons[] = "bcdfghjklmnprstvwz";
    static const char vow[] = "aeiou";
    g->vocab = calloc(NVOCAB, WORD_MAX);
    g->cdf = calloc(NVOCAB, sizeof *g->cdf);
    assert_non_null(g->vocab);
    assert_non_null(g->cdf);
    for (size_t i = 0; i < NVOCAB; i++) {
        char *w = g->vocab[i];
        size_t syl = 2 + rnd(g) % 3, n = 0;
        for (size_t k = 0; k < syl; k++) {
            w[n++] = cons[rnd(g) % (sizeof cons - 1)];
            w[n++] = vow[rnd(g) % (sizeof vow - 1)];
        }
        /* index-derived tail keeps words distinct */
        size_t x = i;
        do {
            w[n++] = cons[x % (sizeof cons - 1)];
            x /= sizeof cons - 1;
            if (x) w[n++] = vow[x % (sizeof vow - 1)];
            x /= sizeof vow - 1;
        } while (x);
        w[n] = '\0';
    }
    double sum = 0;
    for (size_t i = 0; i < NVOCAB; i++)
        sum += 1.0 / (double)(i + 1);
    double acc = 0;
    for (size_t i = 0; i < NVOCAB; i++) {
        acc += 1.0 / (double)(i + 1) / sum;
        g->cdf[i] = acc;
    }
}

static const char *zipf_word(gen *g)
{
    double u = (double)rnd(g) / 2147483648.0;
    size_t lo = 0, hi = NVOCAB - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return g->vocab[lo];
}

/* A post of 140..420 bytes: Zipf words, some capitals and punctuation. */
static size_t make_post(gen *g, char *out, size_t cap)
{
    size_t target = 140 + rnd(g) % 281, n = 0;
    while (n < target && n + WORD_MAX + 2 < cap) {
        const char *w = zipf_word(g);
        size_t l = strlen(w);
        memcpy(out + n, w, l);
        if (rnd(g) % 10 == 0) out[n] = (char)(out[n] - 'a' + 'A');
        n += l;
        uint32_t r = rnd(g) % 20;
        out[n++] = r == 0 ? ',' : r == 1 ? '.' : ' ';
        if (r < 2) out[n++] = ' ';
    }
    out[n] = '\0';
    return n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*---- The test -----------------------------------------------------------*/

typedef struct corpus {
    char (*posts)[POST_MAX];
    size_t *lens;
    size_t *planted; /* term index planted at the end of each post */
    size_t n, bytes;
} corpus;

/* 10,000 terms (every 3rd vocabulary word, a tenth of them substring
 * rules, in 7 groups), 200 regexes of five kinds and two allow words. With
 * `rare`, every word gets a suffix the posts never hold, so the db is as
 * big but almost nothing matches (as with a real block list). */
static void make_patterns(gen *g, bool rare, ar_match_pattern *p, char (*words)[WORD_MAX + 4],
                          char (*res)[128])
{
    for (size_t i = 0; i < NTERMS; i++) {
        snprintf(words[i], WORD_MAX + 4, "%s%s", g->vocab[i * 3 % NVOCAB], rare ? "qx" : "");
        p[i] = (ar_match_pattern){.expr = words[i],
                                  .len = strlen(words[i]),
                                  .kind = AR_MATCH_TERM,
                                  .flags = i % 10 == 9 ? AR_MATCH_SUBSTRING : 0,
                                  .id = (uint32_t)i,
                                  .group = (uint32_t)(i % 7)};
    }
    const char *sfx = rare ? "qx" : "";
    for (size_t i = 0; i < NREGEX; i++) {
        const char *a = g->vocab[rnd(g) % NVOCAB], *b = g->vocab[rnd(g) % NVOCAB],
                   *c = g->vocab[rnd(g) % NVOCAB];
        switch (i % 10) {
        case 0:
        case 1:
        case 2:
        case 3: /* alternation with inflections */
            snprintf(res[i], 128, "(?:%s%s|%s%s|%s%s)(?:s|es|ed|ing)?", a, sfx, b, sfx, c, sfx);
            break;
        case 4:
        case 5: /* proximity: up to four tokens between */
            snprintf(res[i], 128, "%s%s(?: [^ ]+){0,4} %s", a, sfx, b);
            break;
        case 6:
        case 7: /* prefix: any ending */
            snprintf(res[i], 128, "%s%s[^ ]*", a, sfx);
            break;
        case 8: /* numbered handles */
            snprintf(res[i], 128, "%s\\d{2,4}", a);
            break;
        default: /* Unicode word class */
            snprintf(res[i], 128, "\\w+ %s%s", a, sfx);
            break;
        }
        p[NTERMS + i] = (ar_match_pattern){.expr = res[i],
                                           .len = strlen(res[i]),
                                           .kind = AR_MATCH_REGEX,
                                           .id = (uint32_t)(NTERMS + i)};
    }
    p[NPATS - 2] = (ar_match_pattern){.expr = g->vocab[1],
                                      .len = strlen(g->vocab[1]),
                                      .kind = AR_MATCH_ALLOW,
                                      .group = AR_MATCH_GROUP_ALL};
    p[NPATS - 1] = (ar_match_pattern){
        .expr = g->vocab[2], .len = strlen(g->vocab[2]), .kind = AR_MATCH_ALLOW, .group = 3};
}

/* Posts of Zipf words, each ending in one planted term word. */
static void make_corpus(gen *g, corpus *c, size_t n)
{
    c->n = n;
    c->bytes = 0;
    c->posts = calloc(n, POST_MAX);
    c->lens = calloc(n, sizeof *c->lens);
    c->planted = calloc(n, sizeof *c->planted);
    assert_non_null(c->posts);
    assert_non_null(c->lens);
    assert_non_null(c->planted);
    for (size_t i = 0; i < n; i++) {
        char *post = c->posts[i];
        size_t len = make_post(g, post, POST_MAX - WORD_MAX - 2);
        c->planted[i] = rnd(g) % NTERMS;
        const char *w = g->vocab[c->planted[i] * 3 % NVOCAB];
        size_t wl = strlen(w);
        post[len++] = ' ';
        memcpy(post + len, w, wl);
        len += wl;
        post[len] = '\0';
        c->lens[i] = len;
        c->bytes += len;
    }
}

/* Compile, count matches (and planted terms found with their exact span),
 * then time normalisation and scan per post. */
static void measure(fx *f, const ar_match_pattern *p, const corpus *c, const char *label,
                    size_t *planted_found, double *matches_per_post)
{
    double t0 = now();
    compile(f, p, NPATS);
    double tc = now() - t0;
    size_t matches = 0;
    *planted_found = 0;
    for (size_t i = 0; i < c->n; i++) {
        assert_int_equal(ar_text_normalize(f->norm, c->posts[i], c->lens[i], &f->t, NULL), AR_OK);
        assert_int_equal(ar_match_scan(f->db, f->s, &f->t, &f->l, NULL), AR_OK);
        matches += f->l.n;
        size_t wl = p[c->planted[i]].len, at = c->lens[i] - wl;
        for (size_t k = 0; k < f->l.n; k++)
            if (f->l.v[k].id == c->planted[i] && f->l.v[k].start == at &&
                f->l.v[k].end == at + wl) {
                (*planted_found)++;
                break;
            }
    }
    /* Each scan is timed alone (clock overhead taken off), right after its
     * post was normalised: the stream is in cache, as on the publish path.
     * The best of 7 rounds, since other work shares the machine. */
    double best_norm = 1e9, best_scan = 1e9, clock_cost = 1e9;
    for (size_t r = 0; r < 7; r++) {
        double norm_sum = 0, scan_sum = 0, clock_sum = 0;
        for (size_t i = 0; i < c->n; i++) {
            double t1 = now();
            assert_int_equal(ar_text_normalize(f->norm, c->posts[i], c->lens[i], &f->t, NULL),
                             AR_OK);
            double t2 = now();
            assert_int_equal(ar_match_scan(f->db, f->s, &f->t, &f->l, NULL), AR_OK);
            double t3 = now();
            double t4 = now();
            norm_sum += t2 - t1;
            scan_sum += t3 - t2;
            clock_sum += t4 - t3;
        }
        if (norm_sum < best_norm) best_norm = norm_sum;
        if (scan_sum < best_scan) best_scan = scan_sum;
        if (clock_sum < clock_cost) clock_cost = clock_sum;
    }
    double per_norm = (best_norm - clock_cost) / (double)c->n;
    double per_scan = (best_scan - clock_cost) / (double)c->n;
    *matches_per_post = (double)matches / (double)c->n;
    printf("match scale (%s): %d terms + %d regexes, compile %.3f s, db %zu bytes; %zu posts "
           "of %.0f B avg, %.2f matches/post; normalise %.2f us, scan %.2f us = %.0f scans/s\n",
           label, NTERMS, NREGEX, tc, ar_match_db_size(f->db), c->n,
           (double)c->bytes / (double)c->n, *matches_per_post, per_norm * 1e6, per_scan * 1e6,
           1.0 / per_scan);
}

static void test_match_scale_10k_terms_200_regexes(void **state)
{
    fx *f = *state;
    gen g = {.seed = 42};
    make_vocab(&g);
    ar_match_pattern *p = calloc(NPATS, sizeof *p);
    char(*words)[WORD_MAX + 4] = calloc(NTERMS, WORD_MAX + 4);
    char(*res)[128] = calloc(NREGEX, 128);
    assert_non_null(p);
    assert_non_null(words);
    assert_non_null(res);
    const char *env = getenv("AR_MATCH_SCALE_POSTS");
    size_t nposts = env ? strtoul(env, NULL, 10) : 4000;
    corpus c;
    make_corpus(&g, &c, nposts < 100 ? 100 : nposts);

    /* Terms drawn from the posts' own vocabulary: a dozen matches a post. */
    size_t found;
    double mpp;
    make_patterns(&g, false, p, words, res);
    measure(f, p, &c, "terms from the posts' words", &found, &mpp);
    /* A planted word can be eaten by an allow word or a longer regex only
     * in rare cases; nearly all must be found with their exact span. */
    assert_true(found * 100 >= c.n * 97);
    assert_true(mpp > 5);

    /* The same shapes, almost never matching. */
    make_patterns(&g, true, p, words, res);
    measure(f, p, &c, "rare terms", &found, &mpp);
    assert_int_equal(found, 0);
    assert_true(mpp < 1);

    free(c.posts);
    free(c.lens);
    free(c.planted);
    free(res);
    free(words);
    free(p);
    free(g.vocab);
    free(g.cdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_match_scale_10k_terms_200_regexes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
