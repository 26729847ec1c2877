/* tests/text/test_leet.c - stage 6 of text.h: the default leet table, the
 * symbol rules, custom tables, leet off, and entry validation. */
#include "text_test.h"

static void test_leet_default_table_is_the_documented_one(void **state)
{
    (void)state;
    size_t n = 0;
    const ar_text_leet *l = ar_text_leet_default(&n);
    assert_int_equal(n, 13);
    const char *want = "0o1i3e4a5s7t8b9g@a$s!i|l+t";
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(l[i].from[0], want[2 * i]);
        assert_int_equal(l[i].to[0], want[2 * i + 1]);
    }
    assert_non_null(ar_text_leet_default(NULL));
}

static void test_leet_folds_digits_in_latin_tokens(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "h3ll0", " helo ");
    assert_int_equal(run_at(&f->out, "l"), 2);
    ASSERT_NORM(f, "sh00t", " shot ");
    assert_int_equal(run_at(&f->out, "o"), 2);
    ASSERT_NORM(f, "4ss", " as "); /* the Latin letter may come later */
    assert_int_equal(run_at(&f->out, "s"), 2);
    ASSERT_NORM(f, "m0n3y", " money ");
    ASSERT_NORM(f, "2day", " 2day "); /* 2 is not in the table */
}

static void test_leet_leaves_digits_outside_latin_tokens(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "1234 555", " 1234 555 ");
    ASSERT_NORM(f, "call 911 now", " cal 911 now ");
    ASSERT_NORM(f, "بہت5", " بهت5 ");
}

static void test_leet_symbols_fold_only_before_a_letter_or_digit(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "bad!", " bad ");
    ASSERT_NORM(f, "bad!!!", " bad ");
    ASSERT_NORM(f, "sh!t", " shit ");
    ASSERT_NORM(f, "$hit", " shit ");
    ASSERT_NORM(f, "$$$hit", " shit ");
    assert_int_equal(run_at(&f->out, "s"), 3);
    ASSERT_NORM(f, "a$5", " as "); /* followed by a digit */
    assert_int_equal(run_at(&f->out, "s"), 2);
    ASSERT_NORM(f, "wow! ok", " wow ok ");
    ASSERT_NORM(f, "12$34", " 12 34 "); /* no Latin letter: a separator */
}

static void test_leet_at_sign_is_never_first(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "@user", " user ");
    ASSERT_NORM(f, "@@user", " user ");
    ASSERT_NORM(f, "b@d", " bad ");
    ASSERT_NORM(f, "sc@m", " scam ");
    ASSERT_NORM(f, "@", " ");
}

static void test_leet_pipe_and_plus(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "|ol", " lol ");
    ASSERT_NORM(f, "+est", " test ");
    ASSERT_NORM(f, "c++", " c "); /* trailing symbols separate */
}

static void test_leet_applies_after_the_fold(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f,
                "b\xEF\xBC\x94"
                "d",
                " bad ");                             /* fullwidth ４ */
    ASSERT_NORM(f, "\xEF\xBC\x84hit", " shit ");      /* fullwidth ＄ */
    ASSERT_NORM(f, "h\xF0\x9D\x9F\x91llo", " helo "); /* 𝟑 mathematical bold 3 */
}

static void test_leet_custom_table(void **state)
{
    fixture *f = *state;
    const ar_text_leet table[] = {{"4", "a"}, {"\xE2\x82\xAC", "e"}, {"8", "ate"}, {"%", "x"}};
    ar_text_norm *n = NULL;
    ar_error err;
    assert_int_equal(ar_text_norm_new(f->ctx, table, 4, &n, &err), AR_OK);
    ar_text_out out;
    ar_text_out_init(&out, f->ctx);
    assert_string_equal(norm_with(n, &out, "b4d", 3), " bad ");
    assert_string_equal(norm_with(n, &out, "h3ll0", 5), " h3l0 "); /* 3 and 0 not in it */
    assert_int_equal(out.run[3], 2);
    assert_string_equal(norm_with(n, &out,
                                  "m\xE2\x82\xAC\xE2\x82\xAC"
                                  "t",
                                  8),
                        " met "); /* € */
    assert_int_equal(out.run[2], 2);
    assert_string_equal(norm_with(n, &out, "l8r", 3), " later ");
    assert_int_equal(out.src_start[2], 1); /* all of "ate" maps to the 8 */
    assert_int_equal(out.src_end[4], 2);
    assert_string_equal(norm_with(n, &out, "a%b", 3), " axb ");
    assert_string_equal(norm_with(n, &out, "sh!t", 4), " sh t "); /* ! not in it */
    ar_text_out_free(&out);
    ar_text_norm_free(n);
}

static void test_leet_off_with_empty_table(void **state)
{
    fixture *f = *state;
    ar_text_norm *n = NULL;
    ar_error err;
    const ar_text_leet none[1] = {{"4", "a"}};
    assert_int_equal(ar_text_norm_new(f->ctx, none, 0, &n, &err), AR_OK);
    ar_text_out out;
    ar_text_out_init(&out, f->ctx);
    assert_string_equal(norm_with(n, &out, "h3ll0 $hit b.a.d", 16), " h3l0 hit bad ");
    assert_string_equal(norm_with(n, &out, "b|a|d", 5), " bad "); /* | only joins */
    ar_text_out_free(&out);
    ar_text_norm_free(n);
}

static void expect_invalid(fixture *f, const ar_text_leet *t, size_t n, const char *field)
{
    ar_text_norm *norm = (ar_text_norm *)1;
    ar_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(ar_text_norm_new(f->ctx, t, n, &norm, &err), AR_EINVAL);
    assert_null(norm);
    assert_string_equal(err.field, field);
    assert_true(err.message[0] != '\0');
}

static void test_leet_rejects_invalid_entries(void **state)
{
    fixture *f = *state;
    const ar_text_leet two_cp[] = {{"4", "a"}, {"ab", "x"}};
    expect_invalid(f, two_cp, 2, "leet[1]");
    const ar_text_leet empty_from[] = {{"", "a"}};
    expect_invalid(f, empty_from, 1, "leet[0]");
    const ar_text_leet null_to[] = {{"4", NULL}};
    expect_invalid(f, null_to, 1, "leet[0]");
    const ar_text_leet empty_to[] = {{"4", ""}};
    expect_invalid(f, empty_to, 1, "leet[0]");
    const ar_text_leet long_to[] = {{"4", "abcdefghi"}};
    expect_invalid(f, long_to, 1, "leet[0]");
    const ar_text_leet upper_to[] = {{"0", "o"}, {"1", "o"}, {"4", "A"}};
    expect_invalid(f, upper_to, 3, "leet[2]");
    const ar_text_leet digit_to[] = {{"4", "a1"}};
    expect_invalid(f, digit_to, 1, "leet[0]");
    const ar_text_leet bad_utf8[] = {{"\xC3", "a"}};
    expect_invalid(f, bad_utf8, 1, "leet[0]");
    const ar_text_leet dropped[] = {{"\xE2\x80\x8B", "a"}}; /* ZWSP: never seen */
    expect_invalid(f, dropped, 1, "leet[0]");
    const ar_text_leet space[] = {{" ", "a"}};
    expect_invalid(f, space, 1, "leet[0]");
    const ar_text_leet dup[] = {{"4", "a"}, {"\xEF\xBC\x94", "h"}}; /* ４ folds to 4 */
    expect_invalid(f, dup, 2, "leet[1]");
    ar_text_leet *many = calloc(AR_TEXT_LEET_MAX + 1, sizeof *many);
    assert_non_null(many);
    expect_invalid(f, many, AR_TEXT_LEET_MAX + 1, "leet");
    free(many);
}

static void test_leet_accepts_a_full_table(void **state)
{
    fixture *f = *state;
    /* 256 distinct keys: CJK ideographs U+4E00.. */
    ar_text_leet *t = calloc(AR_TEXT_LEET_MAX, sizeof *t);
    char(*keys)[4] = calloc(AR_TEXT_LEET_MAX, 4);
    assert_non_null(t);
    assert_non_null(keys);
    for (unsigned i = 0; i < AR_TEXT_LEET_MAX; i++) {
        unsigned cp = 0x4E00 + i;
        keys[i][0] = (char)(0xE0 | (cp >> 12));
        keys[i][1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        keys[i][2] = (char)(0x80 | (cp & 0x3F));
        t[i] = (ar_text_leet){keys[i], "z"};
    }
    ar_text_norm *n = NULL;
    ar_error err;
    assert_int_equal(ar_text_norm_new(f->ctx, t, AR_TEXT_LEET_MAX, &n, &err), AR_OK);
    ar_text_out out;
    ar_text_out_init(&out, f->ctx);
    /* a non-ASCII letter key folds in a Latin token only */
    assert_string_equal(norm_with(n, &out,
                                  "a\xE4\xB8\x80"
                                  "b",
                                  5),
                        " azb ");
    assert_string_equal(norm_with(n, &out, "\xE4\xB8\x80", 3), " \xE4\xB8\x80 ");
    ar_text_out_free(&out);
    ar_text_norm_free(n);
    free(t);
    free(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leet_default_table_is_the_documented_one),
        cmocka_unit_test_setup_teardown(test_leet_folds_digits_in_latin_tokens, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_leaves_digits_outside_latin_tokens, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_symbols_fold_only_before_a_letter_or_digit,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_at_sign_is_never_first, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_pipe_and_plus, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_applies_after_the_fold, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_custom_table, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_off_with_empty_table, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_rejects_invalid_entries, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_leet_accepts_a_full_table, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
