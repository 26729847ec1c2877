/*
 * test_allow.c - allow-lists: a match inside an allow match of its group
 * (or of AR_MATCH_GROUP_ALL) is dropped; nothing else is.
 */

#include "match_test.h"

/*---- The classic cases -------------------------------------------------*/

static void test_match_allow_scunthorpe_protects_substring_rule(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("cunt", 1), ALLOW("scunthorpe", 0)};
    compile(f, p, 2);
    assert_int_equal(scan(f, "I live in Scunthorpe."), 0);
    const char *text = "Scunthorpe, you cunt";
    assert_int_equal(scan(f, text), 1);
    assert_int_equal(f->l.v[0].id, 1);
    assert_int_equal(f->l.v[0].start, strlen(text) - 4);
    assert_int_equal(f->l.v[0].end, strlen(text));
}

static void test_match_without_allow_substring_rule_flags_scunthorpe(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("cunt", 1)};
    compile(f, p, 1);
    const char *text = "I live in Scunthorpe.";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "cunt");
}

static void test_match_allow_classic_protects_ass(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("ass", 1), ALLOW("classic", 0), ALLOW("assassin", 0)};
    compile(f, p, 3);
    assert_int_equal(scan(f, "a classic assassin"), 0);
    const char *text = "a classic ass";
    assert_int_equal(scan(f, text), 1);
    assert_int_equal(f->l.v[0].start, strlen(text) - 3);
    assert_int_equal(f->l.v[0].end, strlen(text));
    /* "class" is not on the list: still flagged. */
    assert_int_equal(scan(f, "first class"), 1);
}

static void test_match_allow_is_never_reported(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {ALLOW("scunthorpe", 0)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "Scunthorpe"), 0);
}

/*---- Scope --------------------------------------------------------------*/

static void test_match_allow_in_other_group_does_not_protect(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {
        PAT(AR_MATCH_TERM, "cunt", AR_MATCH_SUBSTRING, 1, 1),
        PAT(AR_MATCH_TERM, "cunt", AR_MATCH_SUBSTRING, 2, 2),
        ALLOW("scunthorpe", 1),
    };
    compile(f, p, 3);
    assert_int_equal(scan(f, "Scunthorpe"), 1);
    assert_int_equal(f->l.v[0].id, 2);
}

static void test_match_allow_group_all_protects_every_group(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {
        PAT(AR_MATCH_TERM, "cunt", AR_MATCH_SUBSTRING, 1, 1),
        PAT(AR_MATCH_TERM, "cunt", AR_MATCH_SUBSTRING, 2, 2),
        PAT(AR_MATCH_REGEX, "c[u]nt", AR_MATCH_SUBSTRING, 3, 3),
        ALLOW("scunthorpe", AR_MATCH_GROUP_ALL),
    };
    compile(f, p, 4);
    assert_int_equal(scan(f, "Scunthorpe"), 0);
}

static void test_match_allow_protects_regex_matches(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {
        PAT(AR_MATCH_REGEX, "c[aeiou]nt", AR_MATCH_SUBSTRING, 3, 7),
        ALLOW("scunthorpe", 7),
    };
    compile(f, p, 2);
    assert_int_equal(scan(f, "Scunthorpe"), 0);
    assert_int_equal(scan(f, "Scunthorpe cant"), 1);
}

/*---- Containment --------------------------------------------------------*/

static void test_match_allow_whole_word_needs_the_whole_word(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("cunt", 1), ALLOW("scunthorpe", 0)};
    compile(f, p, 2);
    assert_int_equal(scan(f, "Scunthorpes"), 1);
}

static void test_match_allow_substring_protects_inside_words(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("cunt", 1),
                                  PAT(AR_MATCH_ALLOW, "scunthorpe", AR_MATCH_SUBSTRING, 0, 0)};
    compile(f, p, 2);
    assert_int_equal(scan(f, "Scunthorpes"), 0);
}

static void test_match_allow_does_not_drop_match_reaching_outside_it(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("scunthorpe united", 1), ALLOW("scunthorpe", 0)};
    compile(f, p, 2);
    const char *text = "go Scunthorpe United";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "Scunthorpe United");
}

static void test_match_allow_only_protects_its_own_occurrence(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("ass", 1), ALLOW("classic", 0)};
    compile(f, p, 2);
    const char *text = "bass classic brass";
    assert_int_equal(scan(f, text), 2);
    assert_int_equal(f->l.v[0].start, 1);
    assert_int_equal(f->l.v[1].start, strlen(text) - 3);
}

static void test_match_allow_with_doubled_letters_checks_runs(void **state)
{
    fx *f = *state;
    /* "clasic" is not "classic": the allow word's run lengths apply too. */
    const ar_match_pattern p[] = {SUBSTR("as", 1), ALLOW("classic", 0)};
    compile(f, p, 2);
    assert_int_equal(scan(f, "classic"), 0);
    assert_int_equal(scan(f, "clasic"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_match_allow_scunthorpe_protects_substring_rule),
        T(test_match_without_allow_substring_rule_flags_scunthorpe),
        T(test_match_allow_classic_protects_ass),
        T(test_match_allow_is_never_reported),
        T(test_match_allow_in_other_group_does_not_protect),
        T(test_match_allow_group_all_protects_every_group),
        T(test_match_allow_protects_regex_matches),
        T(test_match_allow_whole_word_needs_the_whole_word),
        T(test_match_allow_substring_protects_inside_words),
        T(test_match_allow_does_not_drop_match_reaching_outside_it),
        T(test_match_allow_only_protects_its_own_occurrence),
        T(test_match_allow_with_doubled_letters_checks_runs),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
