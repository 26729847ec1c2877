/* tests/text/test_separators.c - stages 7 and 8 of text.h: squeezing with
 * run lengths, separators, the joiner rule ("b.a.d") and the chain rule
 * ("b a d"), on English, Roman Urdu and mixed-script text. */
#include "text_test.h"

static void test_squeeze_keeps_run_lengths(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "baaaad", " bad ");
    assert_int_equal(f->out.run[1], 1);
    assert_int_equal(f->out.run[2], 4);
    assert_int_equal(f->out.src_start[2], 1);
    assert_int_equal(f->out.src_end[2], 5);
    ASSERT_NORM(f, "asssss", " as ");
    assert_int_equal(run_at(&f->out, "s"), 5);
    ASSERT_NORM(f, "ass", " as ");
    assert_int_equal(run_at(&f->out, "s"), 2);
    ASSERT_NORM(f, "hello", " helo ");
    assert_int_equal(run_at(&f->out, "l"), 2);
    ASSERT_NORM(f, "BaAaD", " bad "); /* case folds first */
    assert_int_equal(run_at(&f->out, "a"), 3);
}

static void test_squeeze_leaves_digits(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "1000", " 1000 ");
    ASSERT_NORM(f, "a22b", " a22b ");
    ASSERT_NORM(f, "۱۰۰", " 100 ");
}

static void test_squeeze_does_not_cross_tokens(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "a a", " a a ");
    ASSERT_NORM(f, "aa aa", " a a ");
}

static void test_join_punctuation_between_letters(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "b.a.d", " bad ");
    ASSERT_NORM(f, "b_a_d", " bad ");
    ASSERT_NORM(f, "b-a-d", " bad ");
    ASSERT_NORM(f, "b*a*d", " bad ");
    ASSERT_NORM(f, "b'a`d", " bad ");
    ASSERT_NORM(f, "b~a~d", " bad ");
    ASSERT_NORM(f, "sh.it", " shit ");
    ASSERT_NORM(f, "don't", " dont ");
    ASSERT_NORM(f, "don\xE2\x80\x99t", " dont "); /* ’ */
    ASSERT_NORM(f,
                "b\xEF\xBC\x8E"
                "a",
                " ba ");              /* fullwidth full stop */
    ASSERT_NORM(f, "b.4.d", " bad "); /* a leet digit counts as a letter */
}

static void test_join_needs_letters_on_both_sides(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "bad.", " bad ");
    ASSERT_NORM(f, ".bad", " bad ");
    ASSERT_NORM(f, "bad. good", " bad god ");
    ASSERT_NORM(f, "b. a", " b a ");
    ASSERT_NORM(f, "3.14", " 3 14 ");
    ASSERT_NORM(f, "v1.5", " vi 5 ");
    ASSERT_NORM(f, "b..a", " b a "); /* one joiner, not a run */
    ASSERT_NORM(f, "b,a", " b a ");  /* comma is no joiner */
    ASSERT_NORM(f, "b/a", " b a ");
    ASSERT_NORM(f, "wait\xE2\x80\xA6what", " wait what "); /* … is an ellipsis */
}

static void test_join_chain_of_one_letter_tokens(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "b a d", " bad ");
    ASSERT_NORM(f, "f u c k you", " fuck you ");
    ASSERT_NORM(f, "b  a  d", " bad ");
    ASSERT_NORM(f, "b, a, d", " bad ");
    ASSERT_NORM(f, "k u t t a", " kuta ");
    assert_int_equal(run_at(&f->out, "t"), 2);
    ASSERT_NORM(f, "s u c k s", " sucks ");
}

static void test_join_chain_needs_three(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "I am a boy", " i am a boy ");
    ASSERT_NORM(f, "a b", " a b ");
    ASSERT_NORM(f, "me and u", " me and u ");
    ASSERT_NORM(f, "a b cd", " a b cd ");
}

static void test_join_chain_breaks_on_symbols(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "b \xF0\x9F\x98\x80 a d", " b a d "); /* an emoji between */
    ASSERT_NORM(f, "b = a = d", " b a d ");
    ASSERT_NORM(f, "b 4 d", " b 4 d "); /* a lone digit is no letter */
}

static void test_roman_urdu(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "kutta", " kuta ");
    assert_int_equal(run_at(&f->out, "t"), 2);
    ASSERT_NORM(f, "k.u.t.t.a", " kuta ");
    assert_int_equal(run_at(&f->out, "t"), 2);
    ASSERT_NORM(f, "kuttaaa", " kuta ");
    assert_int_equal(run_at(&f->out, "t"), 2);
    assert_int_equal(run_at(&f->out, "a"), 3);
    ASSERT_NORM(f, "KUTTA", " kuta ");
    ASSERT_NORM(f, "kutt4", " kuta ");
    ASSERT_NORM(f, "tum k.u.t.t.e ho", " tum kute ho ");
}

static void test_mixed_script_evasions(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "fr\xD0\xB5\xD0\xB5 m\xD0\xBEn\xD0\xB5y", " fre money ");
    ASSERT_NORM(f, "c\xD0\xB0sh", " cash ");
    ASSERT_NORM(f, "\xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85", " fre ");
    ASSERT_NORM(f, "\xF0\x9D\x90\x9F\xF0\x9D\x90\xAB\xF0\x9D\x90\x9E\xF0\x9D\x90\x9E", " fre ");
    /* all four are the same word */
    assert_same_norm(f, "fr\xD0\xB5\xD0\xB5", "free");
    ASSERT_NORM(f, "F.R.\xD0\x95.\xD0\x95", " fre "); /* dots and Cyrillic capitals */
    ASSERT_NORM(f, "\xD1\x81\xD0\xB0sh", " cash ");   /* Cyrillic с too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_squeeze_keeps_run_lengths, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_squeeze_leaves_digits, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_squeeze_does_not_cross_tokens, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_join_punctuation_between_letters, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_join_needs_letters_on_both_sides, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_join_chain_of_one_letter_tokens, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_join_chain_needs_three, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_join_chain_breaks_on_symbols, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_roman_urdu, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_mixed_script_evasions, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
