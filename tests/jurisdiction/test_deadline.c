/* tests/jurisdiction/test_deadline.c - which rule applies and when a request
 * is due, on the made-up rules of data/good/rules.yaml (one feature each). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "jur_test.h"

#define RULES AR_TEST_DATA_DIR "/good/rules.yaml"

static int setup(void **state)
{
    ar_ctx *ctx;
    if (ctx_setup((void **)&ctx) != 0)
        return -1;
    ar_jurisdictions *j = jur_load_ok(ctx, RULES);
    void **pair = malloc(2 * sizeof *pair);
    if (!pair)
        return -1;
    pair[0] = ctx;
    pair[1] = j;
    *state = pair;
    return 0;
}

static int teardown(void **state)
{
    void **pair = *state;
    ar_jurisdictions_free(pair[1]);
    ar_ctx_free(pair[0]);
    free(pair);
    return 0;
}

static const ar_jurisdictions *J(void **state)
{
    return ((void **)*state)[1];
}

static const int64_t T = 1771581600; /* 2026-02-20T10:00:00Z, a Friday */

static void test_utc_helper_agrees_with_known_time(void **state)
{
    (void)state;
    assert_int_equal(utc(2026, 2, 20, 10, 0, 0), T);
    assert_int_equal(utc(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(utc(2024, 3, 1, 0, 0, 0), 1709251200);
}

/*---- Default and named instruments ------------------------------------------------*/

static void test_default_instrument_applies_when_no_name_matches(void **state)
{
    EXPECT_DUE(J(state), "GB", "Some Other Act 1990", "content_restriction", false, T,
               48 * HOUR, "GB default: 48 hours (secondary)", "secondary");
}

static void test_default_instrument_applies_without_instrument(void **state)
{
    EXPECT_DUE(J(state), "GB", NULL, "content_restriction", false, T, 48 * HOUR,
               "GB default: 48 hours (secondary)", "secondary");
    EXPECT_DUE(J(state), "GB", "", "content_restriction", false, T, 48 * HOUR,
               "GB default: 48 hours (secondary)", "secondary");
}

static void test_instrument_matches_as_case_insensitive_substring(void **state)
{
    EXPECT_DUE(J(state), "GB", "the ONLINE safety act 2023, s.10", "content_restriction", false,
               T, 24 * HOUR, "GB Online Safety Act s.10: 24 hours (verified)", "verified");
    EXPECT_DUE(J(state), "GB", "Online Safety Act", "content_restriction", false, T, 24 * HOUR,
               "GB Online Safety Act s.10: 24 hours (verified)", "verified");
    /* Part of the name is not the name: the default applies. */
    EXPECT_DUE(J(state), "GB", "Online Safety", "content_restriction", false, T, 48 * HOUR,
               "GB default: 48 hours (secondary)", "secondary");
}

static void test_longer_instrument_is_more_specific(void **state)
{
    EXPECT_DUE(J(state), "GB", "Online Safety Act s.10(3)(b)", "content_restriction", false, T,
               12 * HOUR, "GB Online Safety Act s.10(3) s.10(3): 12 hours (verified)", "verified");
}

static void test_country_is_matched_case_insensitively(void **state)
{
    EXPECT_DUE(J(state), "gb", NULL, "content_restriction", false, T, 48 * HOUR,
               "GB default: 48 hours (secondary)", "secondary");
}

static void test_equally_specific_rules_give_the_earlier_deadline(void **state)
{
    EXPECT_DUE(J(state), "NL", "Wet A en Wet B", "content_restriction", false, T, 5 * HOUR,
               "NL Wet B art. 2: 5 hours (secondary)", "secondary");
    EXPECT_DUE(J(state), "NL", "Wet B en Wet A", "content_restriction", false, T, 5 * HOUR,
               "NL Wet B art. 2: 5 hours (secondary)", "secondary");
    EXPECT_DUE(J(state), "NL", "Wet A", "content_restriction", false, T, 10 * HOUR,
               "NL Wet A art. 1: 10 hours (secondary)", "secondary");
}

/*---- Countries ----------------------------------------------------------------------*/

static void test_eu_rule_applies_to_member_states(void **state)
{
    EXPECT_DUE(J(state), "FR", "Code pénal", "content_restriction", false, T, 72 * HOUR,
               "EU group default: 72 hours (secondary)", "secondary");
    EXPECT_DUE(J(state), "EU", NULL, "content_restriction", false, T, 72 * HOUR,
               "EU group default: 72 hours (secondary)", "secondary");
}

static void test_national_rule_beats_eu_rule(void **state)
{
    EXPECT_DUE(J(state), "DE", "StGB", "content_restriction", false, T, 10 * HOUR,
               "DE national default: 10 hours (secondary)", "secondary");
}

static void test_eu_rule_does_not_apply_outside_the_union(void **state)
{
    ar_error e = jur_expect_fail(J(state), "CH", NULL, "content_restriction", false, T,
                                 AR_ENOTFOUND);
    assert_string_equal(e.message, "no rule for CH content_restriction requests received on "
                                   "2026-02-20");
}

/*---- Clocks -------------------------------------------------------------------------*/

static void test_emergency_variant_when_asked_and_present(void **state)
{
    EXPECT_DUE(J(state), "JP", "Provider Act", "content_restriction", true, T, 6 * HOUR,
               "JP Provider Act Art. 5: emergency 6 hours (verified)", "verified");
    EXPECT_DUE(J(state), "JP", "Provider Act", "content_restriction", false, T, 7 * DAY,
               "JP Provider Act Art. 5: 7 calendar days (verified)", "verified");
}

static void test_emergency_without_variant_gives_normal_clock(void **state)
{
    EXPECT_DUE(J(state), "GB", NULL, "content_restriction", true, T, 48 * HOUR,
               "GB default: 48 hours (secondary)", "secondary");
}

static void test_rule_with_only_emergency_clock(void **state)
{
    EXPECT_DUE(J(state), "PT", NULL, "emergency", true, T, 1 * HOUR,
               "PT urgent only: emergency 1 hour (unverified)", "unverified");
    ar_error e = jur_expect_fail(J(state), "PT", NULL, "emergency", false, T, AR_ENOTFOUND);
    assert_string_equal(e.field, "rules[11].clock");
    assert_string_equal(e.message, "PT urgent only sets no fixed time outside emergencies "
                                   "(unverified): use the order's own deadline");
}

static void test_business_days_skip_the_weekend(void **state)
{
    const ar_jurisdictions *j = J(state);
    const char *text = "JP default: 3 business days (unverified)";
    /* Friday 10:00 + 3 -> Wednesday 10:00. */
    EXPECT_DUE(j, "JP", NULL, "user_data", false, T, utc(2026, 2, 25, 10, 0, 0) - T, text,
               "unverified");
    /* Saturday and Sunday count from the Friday before: also Wednesday. */
    int64_t sat = utc(2026, 2, 21, 10, 0, 0), sun = utc(2026, 2, 22, 23, 0, 0);
    EXPECT_DUE(j, "JP", NULL, "user_data", false, sat, utc(2026, 2, 25, 10, 0, 0) - sat, text,
               "unverified");
    EXPECT_DUE(j, "JP", NULL, "preservation", false, sun, utc(2026, 2, 25, 23, 0, 0) - sun, text,
               "unverified");
    /* Wednesday + 3 -> Monday. */
    int64_t wed = utc(2026, 2, 25, 8, 30, 0);
    EXPECT_DUE(j, "JP", NULL, "user_data", false, wed, utc(2026, 3, 2, 8, 30, 0) - wed, text,
               "unverified");
    /* Monday + 3 -> Thursday: no weekend in between. */
    int64_t mon = utc(2026, 3, 2, 23, 0, 0);
    EXPECT_DUE(j, "JP", NULL, "user_data", false, mon, 3 * DAY, text, "unverified");
}

static void test_rule_without_clock_gives_not_found_at_its_clock(void **state)
{
    ar_error e = jur_expect_fail(J(state), "ES", "Ley 34/2002", "content_restriction", false, T,
                                 AR_ENOTFOUND);
    assert_string_equal(e.field, "rules[8].clock");
    assert_non_null(strstr(e.file, "good/rules.yaml"));
    assert_int_equal(e.line, 83);  /* clock: none */
    assert_int_equal(e.column, 12);
    assert_string_equal(e.message, "ES without undue delay sets no fixed time (verified): use "
                                   "the order's own deadline");
}

/*---- In force -----------------------------------------------------------------------*/

static void test_rule_applies_only_while_in_force(void **state)
{
    const ar_jurisdictions *j = J(state);
    jur_expect_fail(j, "CA", NULL, "content_restriction", false, utc(2024, 12, 31, 23, 59, 59),
                    AR_ENOTFOUND);
    EXPECT_DUE(j, "CA", NULL, "content_restriction", false, utc(2025, 1, 1, 0, 0, 0), 5 * HOUR,
               "CA half year: 5 hours (unverified)", "unverified");
    EXPECT_DUE(j, "CA", NULL, "content_restriction", false, utc(2025, 6, 30, 23, 59, 59),
               5 * HOUR, "CA half year: 5 hours (unverified)", "unverified");
    /* effective_to is exclusive. */
    jur_expect_fail(j, "CA", NULL, "content_restriction", false, utc(2025, 7, 1, 0, 0, 0),
                    AR_ENOTFOUND);
}

/*---- No rule, bad arguments ------------------------------------------------------------*/

static void test_no_rule_gives_not_found(void **state)
{
    const ar_jurisdictions *j = J(state);
    ar_error e = jur_expect_fail(j, "GB", "Online Safety Act", "user_data", false, T,
                                 AR_ENOTFOUND);
    assert_string_equal(e.message, "no rule for GB 'Online Safety Act' user_data requests "
                                   "received on 2026-02-20");
    jur_expect_fail(j, "US", NULL, "content_restriction", false, T, AR_ENOTFOUND);
}

static void test_bad_arguments_are_refused(void **state)
{
    const ar_jurisdictions *j = J(state);
    ar_error e = jur_expect_fail(j, "GB", NULL, "takedown", false, T, AR_EINVAL);
    assert_string_equal(e.field, "kind");
    e = jur_expect_fail(j, "GBR", NULL, "user_data", false, T, AR_EINVAL);
    assert_string_equal(e.field, "country");
    jur_expect_fail(j, "G1", NULL, "user_data", false, T, AR_EINVAL);
    jur_expect_fail(j, "", NULL, "user_data", false, T, AR_EINVAL);
    jur_expect_fail(NULL, "GB", NULL, "user_data", false, T, AR_EINVAL);
    jur_expect_fail(j, NULL, NULL, "user_data", false, T, AR_EINVAL);
    jur_expect_fail(j, "GB", NULL, NULL, false, T, AR_EINVAL);
    assert_int_equal(ar_jurisdictions_deadline(j, "GB", NULL, "user_data", false, T, NULL, NULL),
                     AR_EINVAL);
}

static void test_due_time_past_int64_is_refused(void **state)
{
    ar_error e = jur_expect_fail(J(state), "GB", NULL, "content_restriction", false,
                                 INT64_MAX - HOUR, AR_EINVAL);
    assert_string_equal(e.field, "received_at");
}

static void test_times_before_1970_work(void **state)
{
    /* 1969-12-31T23:00Z is a Wednesday: + 3 business days is Monday. */
    int64_t t = -HOUR;
    EXPECT_DUE(J(state), "JP", NULL, "user_data", false, t, 5 * DAY,
               "JP default: 3 business days (unverified)", "unverified");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utc_helper_agrees_with_known_time),
        cmocka_unit_test(test_default_instrument_applies_when_no_name_matches),
        cmocka_unit_test(test_default_instrument_applies_without_instrument),
        cmocka_unit_test(test_instrument_matches_as_case_insensitive_substring),
        cmocka_unit_test(test_longer_instrument_is_more_specific),
        cmocka_unit_test(test_country_is_matched_case_insensitively),
        cmocka_unit_test(test_equally_specific_rules_give_the_earlier_deadline),
        cmocka_unit_test(test_eu_rule_applies_to_member_states),
        cmocka_unit_test(test_national_rule_beats_eu_rule),
        cmocka_unit_test(test_eu_rule_does_not_apply_outside_the_union),
        cmocka_unit_test(test_emergency_variant_when_asked_and_present),
        cmocka_unit_test(test_emergency_without_variant_gives_normal_clock),
        cmocka_unit_test(test_rule_with_only_emergency_clock),
        cmocka_unit_test(test_business_days_skip_the_weekend),
        cmocka_unit_test(test_rule_without_clock_gives_not_found_at_its_clock),
        cmocka_unit_test(test_rule_applies_only_while_in_force),
        cmocka_unit_test(test_no_rule_gives_not_found),
        cmocka_unit_test(test_bad_arguments_are_refused),
        cmocka_unit_test(test_due_time_past_int64_is_refused),
        cmocka_unit_test(test_times_before_1970_work),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
