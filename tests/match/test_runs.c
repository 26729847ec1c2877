/*
 * test_runs.c - run lengths: a term's doubled letters are demanded of the text,
 * stretched letters in the text are not held against a term.
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

/*---- Fixture ------------------------------------------------------------*/

typedef struct fx {
    ar_ctx *ctx;
    ar_text_norm *norm;
    ar_match_db *db;
    ar_match_scratch *s;
    ar_text_out t;
    ar_match_list l;
    ar_error err;
} fx;

#define PAT(k, e, fl, i, g)                                                                        \
    {                                                                                              \
        .expr = (e), .len = sizeof(e) - 1, .kind = (k), .flags = (fl), .id = (i), .group = (g)     \
    }
#define TERM(e, i)   PAT(AR_MATCH_TERM, e, 0, i, 0)
#define SUBSTR(e, i) PAT(AR_MATCH_TERM, e, AR_MATCH_SUBSTRING, i, 0)

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, NULL), AR_OK);
    assert_int_equal(ar_text_norm_new(f->ctx, NULL, 0, &f->norm, NULL), AR_OK);
    ar_text_out_init(&f->t, f->ctx);
    ar_match_list_init(&f->l, f->ctx);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ar_match_list_free(&f->l);
    ar_text_out_free(&f->t);
    ar_match_scratch_free(f->s);
    ar_match_db_free(f->db);
    ar_text_norm_free(f->norm);
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void compile(fx *f, const ar_match_pattern *p, size_t n)
{
    ar_match_scratch_free(f->s);
    ar_match_db_free(f->db);
    f->s = NULL;
    f->db = NULL;
    ar_status st = ar_match_db_compile(f->ctx, f->norm, p, n, &f->db, &f->err);
    if (st != AR_OK) print_error("compile: %s: %s\n", f->err.field, f->err.message);
    assert_int_equal(st, AR_OK);
    assert_int_equal(ar_match_scratch_new(f->db, &f->s, &f->err), AR_OK);
}

static size_t scan(fx *f, const char *text)
{
    assert_int_equal(ar_text_normalize(f->norm, text, strlen(text), &f->t, &f->err), AR_OK);
    assert_int_equal(ar_match_scan(f->db, f->s, &f->t, &f->l, &f->err), AR_OK);
    return f->l.n;
}

/* Match k has `id` and covers the first occurrence of `sub` in `text`. */
static void assert_span(const fx *f, size_t k, uint32_t id, const char *text, const char *sub)
{
    const char *p = strstr(text, sub);
    assert_non_null(p);
    assert_true(k < f->l.n);
    assert_int_equal(f->l.v[k].id, id);
    assert_int_equal(f->l.v[k].start, (uint32_t)(p - text));
    assert_int_equal(f->l.v[k].end, (uint32_t)(p - text + strlen(sub)));
    /* The normalised span holds no bracketing spaces. */
    assert_true(f->l.v[k].nstart < f->l.v[k].nend);
    assert_int_not_equal(f->t.buf[f->l.v[k].nstart], ' ');
    assert_int_not_equal(f->t.buf[f->l.v[k].nend - 1], ' ');
}

/*---- Run lengths --------------------------------------------------------*/

static void test_match_term_ass_needs_double_s(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("ass", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "you as"), 0);
    const char *text = "you ass";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "ass");
}

static void test_match_term_ass_matches_stretched_text(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("ass", 1)};
    compile(f, p, 1);
    const char *text = "you asssss!";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "asssss");
}

static void test_match_term_as_matches_ass_text(void **state)
{
    fx *f = *state;
    /* Squeezing works both ways: a term without doubled letters does not
     * care how stretched the text is. */
    const ar_match_pattern p[] = {TERM("as", 1), TERM("ass", 2)};
    compile(f, p, 2);
    const char *text = "ass";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 1, text, "ass");
    assert_span(f, 1, 2, text, "ass");
    assert_int_equal(scan(f, "as"), 1);
    assert_int_equal(f->l.v[0].id, 1);
}

static void test_match_term_bad_matches_stretched_vowel(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("bad", 3)};
    compile(f, p, 1);
    const char *text = "so baaaad";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 3, text, "baaaad");
}

static void test_match_term_free_needs_double_e(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("free", 4)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "fre"), 0);
    assert_int_equal(scan(f, "free"), 1);
    assert_int_equal(scan(f, "FRRREEEEE"), 1);
    assert_int_equal(scan(f, "ffrree"), 1);
}

static void test_match_substring_term_checks_runs_inside_words(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("ass", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "bass"), 1);
    assert_int_equal(scan(f, "bas"), 0);
    assert_int_equal(scan(f, "basss"), 1);
}

static void test_match_runs_checked_on_every_doubled_letter(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("bookkeeper", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "bookkeeper"), 1);
    assert_int_equal(scan(f, "bokkeeper"), 0);
    assert_int_equal(scan(f, "bookeeper"), 0);
    assert_int_equal(scan(f, "bookkeper"), 0);
    assert_int_equal(scan(f, "boookkkeeeper"), 1);
}

static void test_match_runs_in_multi_word_term(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("free money", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "fre money"), 0);
    assert_int_equal(scan(f, "freee  money"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_match_term_ass_needs_double_s),
        T(test_match_term_ass_matches_stretched_text),
        T(test_match_term_as_matches_ass_text),
        T(test_match_term_bad_matches_stretched_vowel),
        T(test_match_term_free_needs_double_e),
        T(test_match_substring_term_checks_runs_inside_words),
        T(test_match_runs_checked_on_every_doubled_letter),
        T(test_match_runs_in_multi_word_term),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
