/*
 * test_runs.c - run lengths: a term's doubled letters are demanded of the text,
 * stretched letters in the text are not held against a term.
 */
#include <stdio.h>

#include "match_test.h"

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
