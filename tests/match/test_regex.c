/*
 * test_regex.c - regexes over the normalised stream: whole-word wrapping,
 * substring regexes, merging of overlapping reports, compile errors.
 */

#include "match_test.h"

/*---- Whole words and substrings -----------------------------------------*/

static void test_match_regex_whole_word_skips_inner_match(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("b[a-z]d", 1)};
    compile(f, p, 1);
    const char *text = "bad bed abide";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 1, text, "bad");
    assert_span(f, 1, 1, text, "bed");
}

static void test_match_regex_substring_matches_inside_words(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBRE("b[a-z]d", 1)};
    compile(f, p, 1);
    const char *text = "abide";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "bid");
}

static void test_match_regex_alternation_whole_word(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("(?:kil|hurt)(?:s|ed|ing)?", 4)};
    compile(f, p, 1);
    const char *text = "he was hurting and skilled";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 4, text, "hurting");
}

static void test_match_regex_runs_over_normalised_stream(void **state)
{
    fx *f = *state;
    /* Separators between tokens are one space, letters folded. */
    const ar_match_pattern p[] = {RE("kil you", 2)};
    compile(f, p, 1);
    const char *text = "I will KILL,   you";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 2, text, "KILL,   you");
}

static void test_match_regex_with_capitals_matches_lowercase_stream(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("Spam", 2), RE("[A-Z]ug", 3), RE("\\S+ ham", 4)};
    compile(f, p, 3);
    const char *text = "SPAM BUG green HAM";
    assert_int_equal(scan(f, text), 3);
    assert_span(f, 0, 2, text, "SPAM");
    assert_span(f, 1, 3, text, "BUG");
    assert_span(f, 2, 4, text, "green HAM");
}

static void test_match_regex_whole_word_with_unicode_classes(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("\\w+ القتل", 3)};
    compile(f, p, 1);
    const char *text = "یہ شخص واجب القتل ہے";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 3, text, "واجب القتل");
}

/*---- Merging ------------------------------------------------------------*/

static void test_match_regex_repeated_reports_merge_into_one_span(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("spam(?: spam)*", 1)};
    compile(f, p, 1);
    const char *text = "spam spam spam!";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "spam spam spam");
}

static void test_match_regex_overlapping_substring_reports_merge(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBRE("ana", 1)};
    compile(f, p, 1);
    const char *text = "banana";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "anana");
}

static void test_match_regex_adjacent_reports_merge(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBRE("ab", 1)};
    compile(f, p, 1);
    const char *text = "xababx";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "abab");
}

static void test_match_regex_separate_words_stay_separate(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("spam", 1)};
    compile(f, p, 1);
    const char *text = "spam and spam";
    assert_int_equal(scan(f, text), 2);
    assert_int_equal(f->l.v[0].start, 0);
    assert_int_equal(f->l.v[0].end, 4);
    assert_int_equal(f->l.v[1].start, 9);
    assert_int_equal(f->l.v[1].end, 13);
}

static void test_match_regex_reports_leftmost_start(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("buy(?: [a-z]+){0,3} drugs", 6)};
    compile(f, p, 1);
    const char *text = "please buy some cheap drugs";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 6, text, "buy some cheap drugs");
}

static void test_match_regex_and_term_same_id_same_span_once(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("spam", 5), TERM("spam", 5), RE("sp.m", 6)};
    compile(f, p, 3);
    const char *text = "spam";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 5, text, "spam");
    assert_span(f, 1, 6, text, "spam");
}

static void test_match_regex_and_terms_in_one_db(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("egg", 1), RE("h[a-z]m", 2), SUBSTR("gg", 3)};
    compile(f, p, 3);
    const char *text = "ham and egg";
    assert_int_equal(scan(f, text), 3);
    assert_span(f, 0, 2, text, "ham");
    assert_span(f, 1, 1, text, "egg");
    assert_span(f, 2, 3, text, "gg");
}

/*---- Word classes over the stream -----------------------------------------*/

static void test_match_regex_word_class_in_bounded_repeat_compiles(void **state)
{
    fx *f = *state;
    /* In UTF-8/UCP mode with SOM this is "Pattern is too large" unless \w
     * is taken as a token character of the stream. */
    const ar_match_pattern p[] = {RE("buy(?: \\w+){0,3} drugs", 6), RE("\\w+ mal", 7)};
    compile(f, p, 2);
    const char *text = "please buy some cheap drugs, yalla mal";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 6, text, "buy some cheap drugs");
    assert_span(f, 1, 7, text, "yalla mal");
    assert_true(ar_match_db_size(f->db) < 200000);
}

static void test_match_regex_word_class_spans_whole_indic_token(void **state)
{
    fx *f = *state;
    /* "ा" and "ी" are spacing marks (Mc) the stream keeps; vectorscan's
     * Unicode \w does not count them as word characters, a token does. */
    const ar_match_pattern p[] = {RE("\\w+ जी", 1)};
    compile(f, p, 1);
    const char *text = "राम जी";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "राम जी");
}

static void test_match_regex_space_classes_match_separators(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("ab\\sxy", 1), RE("ab\\Wxy", 2), RE("a\\S+y", 3)};
    compile(f, p, 3);
    const char *text = "ab, xy";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 1, text, "ab, xy");
    assert_span(f, 1, 2, text, "ab, xy");
    const char *word = "abxy";
    assert_int_equal(scan(f, word), 1);
    assert_span(f, 0, 3, word, "abxy");
}

static void test_match_regex_word_class_inside_brackets_kept(void **state)
{
    fx *f = *state;
    /* A leading ']' is a member of the class, so \w is still inside it. */
    const ar_match_pattern p[] = {SUBRE("x[]\\w]", 1), SUBRE("q[^\\W]", 2)};
    compile(f, p, 2);
    const char *text = "xab qcd";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 1, text, "xa");
    assert_span(f, 1, 2, text, "qc");
}

static void test_match_regex_extended_mode_still_compiles(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("(?x) b \\w d (?# bad, bed, bid )", 1)};
    compile(f, p, 1);
    const char *text = "a bid";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "bid");
}

static void test_match_regex_trailing_comment_in_extended_mode_is_einval(void **state)
{
    fx *f = *state;
    /* A '#' comment runs to the end of the line, so it would swallow the
     * whole-word wrapper: vectorscan's error names the pattern. */
    const ar_match_pattern p[] = {RE("ok", 1), RE("(?x) b \\w d  # bad, bed, bid", 2)};
    ar_match_db *db = NULL;
    ar_error err = {0};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 2, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[1]");
    assert_null(db);
}

/*---- Errors -------------------------------------------------------------*/

static void test_match_bad_regex_is_einval_naming_pattern(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("fine", 1), RE("ok+", 2), RE("(unclosed", 3)};
    ar_match_db *db = NULL;
    ar_error err = {0};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 3, &db, &err), AR_EINVAL);
    assert_null(db);
    assert_string_equal(err.field, "patterns[2]");
    assert_true(err.message[0] != '\0');

    const ar_match_pattern q[] = {SUBRE("x", 1), SUBRE("(a)\\1", 2)};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, q, 2, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[1]");
}

static void test_match_bad_substring_regex_is_einval_naming_pattern(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBRE("ok", 1), SUBRE("[z-a]", 2)};
    ar_match_db *db = NULL;
    ar_error err = {0};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 2, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[1]");
}

static void test_match_regex_cannot_escape_whole_word_wrapper(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {RE("a)|(?:b", 1)};
    ar_match_db *db = NULL;
    ar_error err = {0};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 1, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[0]");
    assert_null(db);
}

static void test_match_empty_or_nul_regex_is_einval(void **state)
{
    fx *f = *state;
    ar_match_db *db = NULL;
    ar_error err = {0};
    const ar_match_pattern p[] = {RE("", 1)};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 1, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[0]");
    const ar_match_pattern q[] = {RE("a\0b", 1)};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, q, 1, &db, &err), AR_EINVAL);
    const ar_match_pattern r[] = {SUBRE("a*", 1)}; /* matches the empty string */
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, r, 1, &db, &err), AR_EINVAL);
    assert_null(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_match_regex_whole_word_skips_inner_match),
        T(test_match_regex_substring_matches_inside_words),
        T(test_match_regex_alternation_whole_word),
        T(test_match_regex_runs_over_normalised_stream),
        T(test_match_regex_with_capitals_matches_lowercase_stream),
        T(test_match_regex_whole_word_with_unicode_classes),
        T(test_match_regex_repeated_reports_merge_into_one_span),
        T(test_match_regex_overlapping_substring_reports_merge),
        T(test_match_regex_adjacent_reports_merge),
        T(test_match_regex_separate_words_stay_separate),
        T(test_match_regex_reports_leftmost_start),
        T(test_match_regex_and_term_same_id_same_span_once),
        T(test_match_regex_and_terms_in_one_db),
        T(test_match_regex_word_class_in_bounded_repeat_compiles),
        T(test_match_regex_word_class_spans_whole_indic_token),
        T(test_match_regex_space_classes_match_separators),
        T(test_match_regex_word_class_inside_brackets_kept),
        T(test_match_regex_extended_mode_still_compiles),
        T(test_match_regex_trailing_comment_in_extended_mode_is_einval),
        T(test_match_bad_regex_is_einval_naming_pattern),
        T(test_match_bad_substring_regex_is_einval_naming_pattern),
        T(test_match_regex_cannot_escape_whole_word_wrapper),
        T(test_match_empty_or_nul_regex_is_einval),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
