/*
 * test_words.c - whole-word terms through the word index (src/match/words.c):
 * exactly where " term " occurs in the stream, for tokens of every length at
 * every place in the stream, phrases, terms sharing tokens past the index's
 * per-token limit, and hand-made streams (no brackets, double spaces)
 * checked against a brute-force search for " term ".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arbiter/match.h"

#include "match_test.h"

/* Match k has `id` and covers input bytes [start, start + len). */
static void assert_match(const fx *f, size_t k, uint32_t id, size_t start, size_t len)
{
    assert_true(k < f->l.n);
    assert_int_equal(f->l.v[k].id, id);
    assert_int_equal(f->l.v[k].start, start);
    assert_int_equal(f->l.v[k].end, start + len);
}

/*---- Tokens of every length, everywhere ---------------------------------*/

/* The token hash reads 8 and 16 bytes at a time and takes a slower path
 * for tokens longer than 16 bytes or near the end of the stream; spaces are
 * found 64 bytes at a time. So: tokens of 1..40 bytes, after 0..70 filler
 * words and before 0..3, each found exactly once and nothing else. */
static void test_match_words_every_length_at_every_place(void **state)
{
    fx *f = *state;
    enum { NLEN = 40 };
    static const char letters[] =
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmn"; /* no letter twice in a row */
    char terms[NLEN][NLEN + 1];
    ar_match_pattern p[NLEN];
    for (size_t n = 1; n <= NLEN; n++) {
        memcpy(terms[n - 1], letters, n);
        terms[n - 1][n] = '\0';
        p[n - 1] = (ar_match_pattern){
            .expr = terms[n - 1], .len = n, .kind = AR_MATCH_TERM, .id = (uint32_t)n};
    }
    compile(f, p, NLEN);

    static const size_t before[] = {0, 1, 2, 5, 13, 21, 22, 70};
    static const size_t after[] = {0, 1, 3};
    char text[512];
    for (size_t n = 1; n <= NLEN; n++)
        for (size_t b = 0; b < sizeof before / sizeof before[0]; b++)
            for (size_t a = 0; a < sizeof after / sizeof after[0]; a++) {
                size_t o = 0;
                for (size_t i = 0; i < before[b]; i++)
                    o += (size_t)snprintf(text + o, sizeof text - o, "xy ");
                size_t at = o;
                o += (size_t)snprintf(text + o, sizeof text - o, "%s", terms[n - 1]);
                for (size_t i = 0; i < after[a]; i++)
                    o += (size_t)snprintf(text + o, sizeof text - o, " zq");
                if (scan(f, text) != 1)
                    print_error("len %zu, %zu words before, %zu after: %zu matches\n", n, before[b],
                                after[a], f->l.n);
                assert_int_equal(f->l.n, 1);
                assert_match(f, 0, (uint32_t)n, at, n);
            }
}

/* Non-ASCII tokens go through the same hashing: Urdu words of 2-byte
 * letters, 4 to 26 bytes, at the end of the stream. */
static void test_match_words_urdu_tokens_of_many_lengths(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("کب", 1), TERM("صحت", 2), TERM("انگریزی", 3),
                                  TERM("حالات", 4), TERM("استادوںسےملاقات", 5)};
    compile(f, p, 5);
    const char *text = "یہ کب صحت کے حالات انگریزی استادوںسےملاقات";
    assert_int_equal(scan(f, text), 5);
    const char *expect[] = {"کب", "صحت", "حالات", "انگریزی", "استادوںسےملاقات"};
    const uint32_t ids[] = {1, 2, 4, 3, 5};
    for (size_t k = 0; k < 5; k++)
        assert_match(f, k, ids[k], (size_t)(strstr(text, expect[k]) - text), strlen(expect[k]));
    assert_int_equal(scan(f, "کبھی صحتمند حالاتی"), 0); /* inside longer words */
}

/*---- Whole words --------------------------------------------------------*/

static void test_match_words_literal_inside_longer_word_is_no_match(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1), TERM("free money", 2)};
    compile(f, p, 2);
    assert_int_equal(scan(f, "spammer antispam spams xspamx freemoney free moneys unfree money"),
                     0);
}

static void test_match_words_at_very_start_and_end(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1), TERM("ham egg", 2)};
    compile(f, p, 2);
    const char *text = "spam and ham egg";
    assert_int_equal(scan(f, text), 2);
    assert_match(f, 0, 1, 0, 4);
    assert_match(f, 1, 2, 9, 7);
    assert_int_equal(scan(f, "spam"), 1);
    assert_int_equal(scan(f, "ham egg"), 1);
    assert_int_equal(scan(f, "ham"), 0);
}

static void test_match_words_adjacent_terms_share_a_space(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1), TERM("ham", 2), TERM("ham spam", 3)};
    compile(f, p, 3);
    const char *text = "spam ham spam";
    assert_int_equal(scan(f, text), 4);
    assert_match(f, 0, 1, 0, 4); /* spam */
    assert_match(f, 1, 2, 5, 3); /* ham */
    assert_match(f, 2, 3, 5, 8); /* ham spam */
    assert_match(f, 3, 1, 9, 4); /* spam */
}

static void test_match_words_overlapping_phrases_each_reported(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("ham egg", 1), TERM("egg ham", 2)};
    compile(f, p, 2);
    const char *text = "ham egg ham egg";
    assert_int_equal(scan(f, text), 3);
    assert_match(f, 0, 1, 0, 7);
    assert_match(f, 1, 2, 4, 7);
    assert_match(f, 2, 1, 8, 7);
}

static void test_match_words_long_phrase(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {
        TERM("one two three four five six seven eight nine ten eleven twelve", 1), TERM("six", 2)};
    compile(f, p, 2);
    const char *text = "zero one two three four five six seven eight nine ten eleven twelve";
    assert_int_equal(scan(f, text), 2);
    assert_match(f, 0, 1, 5, strlen(text) - 5);
    assert_int_equal(scan(f, "one two three four five six seven eight nine ten eleven"), 1);
}

/* Every literal here is made of one token, so all share it as anchor: past
 * the index's limit per token the rest go to vectorscan, and every one of
 * them still matches everywhere. */
static void test_match_words_many_terms_on_one_token(void **state)
{
    fx *f = *state;
    enum { NT = 30, NW = 40 };
    static char terms[NT][3 * NT];
    ar_match_pattern p[NT];
    for (size_t k = 0; k < NT; k++) {
        size_t o = 0;
        for (size_t i = 0; i <= k; i++)
            o += (size_t)snprintf(terms[k] + o, sizeof terms[k] - o, i ? " ab" : "ab");
        p[k] = (ar_match_pattern){
            .expr = terms[k], .len = o, .kind = AR_MATCH_TERM, .id = (uint32_t)(k + 1)};
    }
    compile(f, p, NT);
    char text[3 * NW + 1];
    for (size_t i = 0; i < NW; i++)
        memcpy(text + 3 * i, "ab ", 3);
    text[3 * NW - 1] = '\0';
    size_t want = 0, per[NT + 1] = {0};
    for (size_t k = 1; k <= NT; k++)
        want += NW - k + 1;
    assert_int_equal(scan(f, text), want);
    assert_int_equal(f->l.dropped, 0);
    for (size_t i = 0; i < f->l.n; i++) {
        const ar_match *m = &f->l.v[i];
        assert_true(m->id >= 1 && m->id <= NT);
        assert_int_equal(m->end - m->start, 3 * m->id - 1);
        assert_int_equal(m->start % 3, 0);
        per[m->id]++;
    }
    for (size_t k = 1; k <= NT; k++)
        assert_int_equal(per[k], NW - k + 1);
}

static void test_match_words_db_size_counts_the_index(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1), TERM("free money", 2)};
    compile(f, p, 2);
    assert_true(ar_match_db_size(f->db) > 0);
}

/*---- Hand-made streams against a brute-force search -----------------------*/

/* A stream as the normaliser would hand it over, but of any shape: identity
 * offset map, no letter runs. */
typedef struct raw_text {
    ar_text_out t;
    uint32_t src_start[512], src_end[512];
    uint16_t run[512];
    char buf[513];
} raw_text;

static void raw_set(raw_text *r, const char *s)
{
    size_t n = strlen(s);
    assert_true(n < sizeof r->buf);
    memcpy(r->buf, s, n + 1);
    for (size_t i = 0; i < n; i++) {
        r->src_start[i] = (uint32_t)i;
        r->src_end[i] = (uint32_t)i + 1;
        r->run[i] = 1;
    }
    r->t = (ar_text_out){
        .buf = r->buf, .len = n, .src_start = r->src_start, .src_end = r->src_end, .run = r->run};
}

static void test_match_words_need_spaces_on_both_sides(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("cat", 1), TERM("cat dog", 2)};
    compile(f, p, 2);
    raw_text *r = calloc(1, sizeof *r);
    assert_non_null(r);
    raw_set(r, "cat dog"); /* no brackets: neither is bracketed by spaces */
    assert_int_equal(ar_match_scan(f->db, f->s, &r->t, &f->l, NULL), AR_OK);
    assert_int_equal(f->l.n, 0);
    raw_set(r, " cat  dog "); /* two spaces: not the phrase */
    assert_int_equal(ar_match_scan(f->db, f->s, &r->t, &f->l, NULL), AR_OK);
    assert_int_equal(f->l.n, 1);
    assert_int_equal(f->l.v[0].id, 1);
    assert_int_equal(f->l.v[0].nstart, 1);
    assert_int_equal(f->l.v[0].nend, 4);
    raw_set(r, " cat dog");
    assert_int_equal(ar_match_scan(f->db, f->s, &r->t, &f->l, NULL), AR_OK);
    assert_int_equal(f->l.n, 1);
    assert_int_equal(f->l.v[0].id, 1);
    free(r);
}

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

typedef struct want {
    uint32_t id, start, end;
} want;

static int cmp_want(const void *x, const void *y)
{
    const want *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    return (a->end > b->end) - (a->end < b->end);
}

/* Random terms over a few tokens (so they share anchors, and some overflow
 * to vectorscan) against random streams over the same tokens with single
 * and double spaces, with and without brackets: the matches are exactly the
 * occurrences of " literal ", the literal being the term as normalised. */
static void test_match_words_agree_with_brute_force(void **state)
{
    fx *f = *state;
    static const char *const toks[] = {"ab", "ba", "abc", "cab", "b", "ca", "bcd"};
    enum { NTOK = sizeof toks / sizeof toks[0], NTERM = 60, NTEXT = 300 };
    static char terms[NTERM][64], lits[NTERM][64];
    size_t litlen[NTERM];
    ar_match_pattern p[NTERM];
    raw_text *r = calloc(1, sizeof *r);
    assert_non_null(r);
    for (unsigned seed = 1; seed <= 20; seed++) {
        rng_state = seed;
        size_t np = 0;
        while (np < NTERM) {
            size_t o = 0, ntok = 1 + rnd(4);
            for (size_t i = 0; i < ntok; i++)
                o += (size_t)snprintf(terms[np] + o, sizeof terms[np] - o, "%s%s", i ? " " : "",
                                      toks[rnd(NTOK)]);
            /* The literal is what the normaliser makes of the term; skip the
             * ones with letter runs (the stream here has none). */
            assert_int_equal(ar_text_normalize(f->norm, terms[np], o, &f->t, NULL), AR_OK);
            int runs = 0;
            for (size_t i = 0; i < f->t.len; i++)
                runs |= f->t.run[i] > 1;
            if (runs) continue;
            assert_true(f->t.len >= 3 && f->t.len - 2 < sizeof lits[np]);
            litlen[np] = f->t.len - 2;
            memcpy(lits[np], f->t.buf + 1, litlen[np]);
            p[np] = (ar_match_pattern){
                .expr = terms[np], .len = o, .kind = AR_MATCH_TERM, .id = (uint32_t)np};
            np++;
        }
        compile(f, p, NTERM);
        for (unsigned k = 0; k < NTEXT; k++) {
            char s[400];
            size_t o = 0, ntok = rnd(40);
            if (rnd(4)) s[o++] = ' ';
            for (size_t i = 0; i < ntok; i++) {
                o += (size_t)snprintf(s + o, sizeof s - o, "%s", toks[rnd(NTOK)]);
                if (i + 1 < ntok || rnd(2)) s[o++] = ' ';
                if (rnd(12) == 0) s[o++] = ' ';
            }
            s[o] = '\0';
            raw_set(r, s);
            want w[2048];
            size_t nw = 0;
            for (size_t t = 0; t < NTERM; t++)
                for (size_t a = 0; a + litlen[t] + 2 <= o; a++)
                    if (s[a] == ' ' && s[a + litlen[t] + 1] == ' ' &&
                        memcmp(s + a + 1, lits[t], litlen[t]) == 0) {
                        assert_true(nw < sizeof w / sizeof w[0]);
                        w[nw++] =
                            (want){(uint32_t)t, (uint32_t)a + 1, (uint32_t)(a + 1 + litlen[t])};
                    }
            qsort(w, nw, sizeof w[0], cmp_want);
            /* Terms that normalise alike share a literal: keep one per (id, span). */
            assert_int_equal(ar_match_scan(f->db, f->s, &r->t, &f->l, &f->err), AR_OK);
            if (f->l.n != nw)
                print_error("seed %u, text %u [%s]: %zu matches, want %zu\n", seed, k, s, f->l.n,
                            nw);
            assert_int_equal(f->l.n, nw);
            for (size_t i = 0; i < nw; i++) {
                assert_int_equal(f->l.v[i].id, w[i].id);
                assert_int_equal(f->l.v[i].nstart, w[i].start);
                assert_int_equal(f->l.v[i].nend, w[i].end);
                assert_int_equal(f->l.v[i].start, w[i].start);
                assert_int_equal(f->l.v[i].end, w[i].end);
            }
        }
    }
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_match_words_every_length_at_every_place),
        T(test_match_words_urdu_tokens_of_many_lengths),
        T(test_match_words_literal_inside_longer_word_is_no_match),
        T(test_match_words_at_very_start_and_end),
        T(test_match_words_adjacent_terms_share_a_space),
        T(test_match_words_overlapping_phrases_each_reported),
        T(test_match_words_long_phrase),
        T(test_match_words_many_terms_on_one_token),
        T(test_match_words_db_size_counts_the_index),
        T(test_match_words_need_spaces_on_both_sides),
        T(test_match_words_agree_with_brute_force),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
