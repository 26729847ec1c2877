/*
 * test_terms.c - term literals: whole words against the space-bracketed
 * stream, substrings, scripts without spaces, errors at compile time.
 */

#include "match_test.h"

/*---- Whole words and substrings -----------------------------------------*/

static void test_match_whole_word_skips_substring(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("cat", 1)};
    compile(f, p, 1);
    const char *text = "concatenate the cats, then the cat.";
    assert_int_equal(scan(f, text), 1);
    assert_int_equal(f->l.v[0].id, 1);
    assert_int_equal(f->l.v[0].start, strlen(text) - 4);
    assert_int_equal(f->l.v[0].end, strlen(text) - 1); /* the dot is not part of the word */
}

static void test_match_whole_word_at_stream_edges(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("cat", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "cat"), 1);
    assert_span(f, 0, 1, "cat", "cat");
    assert_int_equal(scan(f, "Cat!"), 1);
    assert_int_equal(scan(f, "cats"), 0);
    assert_int_equal(scan(f, ""), 0);
}

static void test_match_substring_flag_matches_inside_words(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("cat", 7)};
    compile(f, p, 1);
    const char *text = "concatenate cat";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 7, text, "cat");
    assert_int_equal(f->l.v[1].start, 12);
    assert_int_equal(f->l.v[1].end, 15);
}

static void test_match_multi_word_term_spans_both_words(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("Free  Money", 3)};
    compile(f, p, 1);
    const char *text = "Get FREE   money now";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 3, text, "FREE   money");
    assert_int_equal(scan(f, "free moneys"), 0);
    assert_int_equal(scan(f, "free and money"), 0);
}

static void test_match_case_folded_on_both_sides(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("SpAm", 1)};
    compile(f, p, 1);
    const char *text = "no SPAM here";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "SPAM");
}

/*---- Scripts ------------------------------------------------------------*/

static void test_match_arabic_phrase_inside_urdu_sentence(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("واجب القتل", 9)};
    compile(f, p, 1);
    const char *text = "یہ شخص واجب القتل ہے، سب کو بتاؤ";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 9, text, "واجب القتل");
}

static void test_match_arabic_phrase_not_inside_longer_word(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("واجب القتل", 9)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "یہ شخص بواجب القتل ہے"), 0);  /* prefix on the first word */
    assert_int_equal(scan(f, "یہ شخص واجب القتلوں ہے"), 0); /* suffix on the last word */
}

static void test_match_caseless_scripts_whole_word(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("שלום", 1), TERM("नमस्ते", 2)};
    compile(f, p, 2);
    const char *he = "אמרתי שלום לכולם";
    assert_int_equal(scan(f, he), 1);
    assert_span(f, 0, 1, he, "שלום");
    assert_int_equal(scan(f, "אמרתי ושלום לכולם"), 0);
    /* Devanagari vowel signs are combining marks the normaliser drops, so
     * only the start of the span is exact here. */
    const char *hi = "सबको नमस्ते दोस्तों";
    assert_int_equal(scan(f, hi), 1);
    assert_int_equal(f->l.v[0].id, 2);
    assert_int_equal(f->l.v[0].start, strstr(hi, "नमस्ते") - hi);
    assert_int_equal(scan(f, "सबकोनमस्ते"), 0);
}

static void test_match_cjk_term_is_substring(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("傻逼", 4)};
    compile(f, p, 1);
    const char *text = "你是傻逼吗";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 4, text, "傻逼");
}

static void test_match_thai_term_is_substring(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("ควาย", 5)};
    compile(f, p, 1);
    const char *text = "แกมันควายจริงๆ";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 5, text, "ควาย");
}

static void test_match_kana_term_is_substring(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("バカ", 6)};
    compile(f, p, 1);
    const char *text = "おまえはバカだ";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 6, text, "バカ");
}

/*---- Ids, order, duplicates ---------------------------------------------*/

static void test_match_same_literal_reports_each_id(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 2), TERM("SPAM", 1), TERM("spam", 2)};
    compile(f, p, 3);
    const char *text = "spam";
    assert_int_equal(scan(f, text), 2); /* ids 1 and 2; the second id 2 is the same (id, span) */
    assert_span(f, 0, 1, text, "spam");
    assert_span(f, 1, 2, text, "spam");
}

static void test_match_sorted_by_start_then_id(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("egg", 5), TERM("ham", 9), TERM("ham and egg", 1)};
    compile(f, p, 3);
    const char *text = "ham and egg";
    assert_int_equal(scan(f, text), 3);
    assert_int_equal(f->l.v[0].id, 1);
    assert_int_equal(f->l.v[0].start, 0);
    assert_int_equal(f->l.v[0].end, 11);
    assert_span(f, 1, 9, text, "ham");
    assert_span(f, 2, 5, text, "egg");
}

static void test_match_list_is_cleared_each_scan(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "spam spam"), 2);
    assert_int_equal(scan(f, "ham"), 0);
    assert_int_equal(f->l.dropped, 0);
}

static void test_match_db_reports_size(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1), PAT(AR_MATCH_REGEX, "sp[a-z]m", 0, 2, 0)};
    compile(f, p, 2);
    assert_true(ar_match_db_size(f->db) > 0);
    assert_int_equal(ar_match_db_size(NULL), 0);
}

static void test_match_empty_db_scans_to_nothing(void **state)
{
    fx *f = *state;
    compile(f, NULL, 0);
    assert_int_equal(scan(f, "anything at all"), 0);
    assert_int_equal(ar_match_db_size(f->db), 0);
}

/*---- Errors -------------------------------------------------------------*/

static void test_match_empty_term_is_einval_naming_pattern(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("fine", 1), TERM("...", 2)};
    ar_match_db *db = (ar_match_db *)1;
    ar_error err = {0};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 2, &db, &err), AR_EINVAL);
    assert_null(db);
    assert_string_equal(err.field, "patterns[1]");
    assert_true(err.message[0] != '\0');

    const ar_match_pattern q[] = {TERM("", 1)};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, q, 1, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[0]");
    const ar_match_pattern r[] = {TERM(" \t ", 1)};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, r, 1, &db, &err), AR_EINVAL);
}

static void test_match_unknown_kind_or_flags_is_einval(void **state)
{
    fx *f = *state;
    ar_match_pattern p[] = {TERM("fine", 1), TERM("also", 2)};
    p[1].kind = (ar_match_kind)42;
    ar_match_db *db = NULL;
    ar_error err = {0};
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 2, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[1]");
    p[1].kind = AR_MATCH_TERM;
    p[0].flags = 0x80;
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 2, &db, &err), AR_EINVAL);
    assert_string_equal(err.field, "patterns[0]");
    p[0].flags = 0;
    p[0].expr = NULL;
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 2, &db, &err), AR_EINVAL);
    assert_null(db);
}

static void test_match_null_arguments_are_safe(void **state)
{
    fx *f = *state;
    ar_error err = {0};
    ar_match_db *db = NULL;
    ar_match_scratch *s = NULL;
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, NULL, 0, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_match_db_compile(f->ctx, NULL, NULL, 0, &db, &err), AR_EINVAL);
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, NULL, 3, &db, NULL), AR_EINVAL);
    assert_int_equal(ar_match_scratch_new(NULL, &s, &err), AR_EINVAL);
    assert_null(s);
    ar_match_db_free(NULL);
    ar_match_scratch_free(NULL);
    ar_match_list_free(NULL);
    ar_match_list_init(NULL, f->ctx);

    const ar_match_pattern p[] = {TERM("spam", 1)};
    compile(f, p, 1);
    assert_int_equal(ar_text_normalize(f->norm, "spam", 4, &f->t, NULL), AR_OK);
    assert_int_equal(ar_match_scan(NULL, f->s, &f->t, &f->l, &err), AR_EINVAL);
    assert_int_equal(ar_match_scan(f->db, NULL, &f->t, &f->l, &err), AR_EINVAL);
    assert_int_equal(ar_match_scan(f->db, f->s, NULL, &f->l, &err), AR_EINVAL);
    assert_int_equal(ar_match_scan(f->db, f->s, &f->t, NULL, &err), AR_EINVAL);
    assert_int_equal(f->l.n, 0);
}

static void test_match_scratch_of_other_db_is_einval(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1)};
    compile(f, p, 1);
    ar_match_db *other = NULL;
    assert_int_equal(ar_match_db_compile(f->ctx, f->norm, p, 1, &other, NULL), AR_OK);
    assert_int_equal(ar_text_normalize(f->norm, "spam", 4, &f->t, NULL), AR_OK);
    ar_error err = {0};
    assert_int_equal(ar_match_scan(other, f->s, &f->t, &f->l, &err), AR_EINVAL);
    assert_string_equal(err.field, "scratch");
    ar_match_db_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_match_whole_word_skips_substring),
        T(test_match_whole_word_at_stream_edges),
        T(test_match_substring_flag_matches_inside_words),
        T(test_match_multi_word_term_spans_both_words),
        T(test_match_case_folded_on_both_sides),
        T(test_match_arabic_phrase_inside_urdu_sentence),
        T(test_match_arabic_phrase_not_inside_longer_word),
        T(test_match_caseless_scripts_whole_word),
        T(test_match_cjk_term_is_substring),
        T(test_match_thai_term_is_substring),
        T(test_match_kana_term_is_substring),
        T(test_match_same_literal_reports_each_id),
        T(test_match_sorted_by_start_then_id),
        T(test_match_list_is_cleared_each_scan),
        T(test_match_db_reports_size),
        T(test_match_empty_db_scans_to_nothing),
        T(test_match_empty_term_is_einval_naming_pattern),
        T(test_match_unknown_kind_or_flags_is_einval),
        T(test_match_null_arguments_are_safe),
        T(test_match_scratch_of_other_db_is_einval),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
