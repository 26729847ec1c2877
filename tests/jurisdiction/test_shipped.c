/* tests/jurisdiction/test_shipped.c - policies/jurisdictions.yaml, as
 * shipped: it loads without a problem and gives the deadlines LEGAL.md
 * section 6 describes. If a rule is corrected after counsel's review, the
 * expectations here change with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "jur_test.h"

#define SHIPPED AR_SOURCE_DIR "/policies/jurisdictions.yaml"

static int setup(void **state)
{
    ar_ctx *ctx;
    if (ctx_setup((void **)&ctx) != 0)
        return -1;
    void **pair = malloc(2 * sizeof *pair);
    if (!pair)
        return -1;
    pair[0] = ctx;
    pair[1] = jur_load_ok(ctx, SHIPPED);
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

/* How Indian orders tend to cite the rules; contains "IT Rules 2021". */
#define IT_RULES "Information Technology (Intermediary Guidelines and Digital Media Ethics Code) " \
                 "Rules (IT Rules 2021), r.3(1)(d)"

static void test_shipped_file_loads_cleanly(void **state)
{
    ar_ctx *ctx = ((void **)*state)[0];
    ar_jurisdictions *j = jur_load_ok(ctx, SHIPPED);
    assert_non_null(j);
    ar_jurisdictions_free(j);
}

static void test_india_takedown_is_36_hours_before_2026_02_20(void **state)
{
    int64_t t = utc(2026, 2, 19, 23, 59, 59);
    EXPECT_DUE(J(state), "IN", IT_RULES, "content_restriction", false, t, 36 * HOUR,
               "IN IT Rules 2021 r.3(1)(d): 36 hours (secondary)", "secondary");
    t = utc(2023, 5, 4, 12, 0, 0);
    EXPECT_DUE(J(state), "IN", "IT Rules 2021", "content_restriction", false, t, 36 * HOUR,
               "IN IT Rules 2021 r.3(1)(d): 36 hours (secondary)", "secondary");
}

static void test_india_takedown_is_3_hours_from_2026_02_20(void **state)
{
    int64_t t = utc(2026, 2, 20, 0, 0, 0);
    EXPECT_DUE(J(state), "IN", IT_RULES, "content_restriction", false, t, 3 * HOUR,
               "IN IT Rules 2021 r.3(1)(d) as amended by G.S.R. 120(E): 3 hours (secondary)",
               "secondary");
}

static void test_india_emergency_variant_is_ncii_clock(void **state)
{
    EXPECT_DUE(J(state), "IN", "it rules 2021", "content_restriction", true,
               utc(2026, 3, 1, 9, 0, 0), 2 * HOUR,
               "IN IT Rules 2021 r.3(1)(d) as amended by G.S.R. 120(E): emergency 2 hours "
               "(secondary)",
               "secondary");
    EXPECT_DUE(J(state), "IN", "it rules 2021", "content_restriction", true,
               utc(2025, 3, 1, 9, 0, 0), 24 * HOUR,
               "IN IT Rules 2021 r.3(1)(d): emergency 24 hours (secondary)", "secondary");
}

static void test_india_information_request_is_72_hours(void **state)
{
    EXPECT_DUE(J(state), "IN", "IT Rules 2021 r.3(1)(j)", "user_data", false,
               utc(2026, 3, 1, 9, 0, 0), 72 * HOUR, "IN IT Rules 2021 r.3(1)(j): 72 hours (secondary)",
               "secondary");
}

static void test_india_rules_not_in_force_before_2021(void **state)
{
    jur_expect_fail(J(state), "IN", IT_RULES, "content_restriction", false,
                    utc(2021, 2, 24, 12, 0, 0), AR_ENOTFOUND);
}

static void test_pakistan_2021_rules_are_48_hours_and_unverified(void **state)
{
    int64_t t = utc(2024, 1, 10, 6, 0, 0);
    EXPECT_DUE(J(state), "PK", "PECA 2016 s.37", "content_restriction", false, t, 48 * HOUR,
               "PK PECA s.37(2); Removal and Blocking of Unlawful Online Content Rules 2021: 48 "
               "hours (unverified)",
               "unverified");
    EXPECT_DUE(J(state), "PK", "PECA 2016 s.37", "content_restriction", true, t, 12 * HOUR,
               "PK PECA s.37(2); Removal and Blocking of Unlawful Online Content Rules 2021: "
               "emergency 12 hours (unverified)",
               "unverified");
}

static void test_pakistan_2020_rules_end_when_2021_rules_begin(void **state)
{
    EXPECT_DUE(J(state), "PK", "PECA", "content_restriction", true, utc(2021, 10, 12, 12, 0, 0),
               6 * HOUR,
               "PK PECA s.37; Citizens Protection (Against Online Harm) Rules 2020: emergency 6 "
               "hours (unverified)",
               "unverified");
    EXPECT_DUE(J(state), "PK", "PECA", "content_restriction", true, utc(2021, 10, 13, 0, 0, 0),
               12 * HOUR,
               "PK PECA s.37(2); Removal and Blocking of Unlawful Online Content Rules 2021: "
               "emergency 12 hours (unverified)",
               "unverified");
}

static void test_turkey_court_decision_is_24_hours(void **state)
{
    EXPECT_DUE(J(state), "TR", "Law No. 5651", "content_restriction", false,
               utc(2025, 8, 1, 0, 0, 0), 24 * HOUR,
               "TR 5651 Additional Art. 4 (Law 7253): 24 hours (secondary)", "secondary");
}

static void test_netzdg_is_history_after_2024_05_14(void **state)
{
    EXPECT_DUE(J(state), "DE", "NetzDG", "content_restriction", false, utc(2020, 3, 2, 8, 0, 0),
               7 * DAY, "DE NetzDG §3(2) no. 2 and no. 3: 7 calendar days (secondary)",
               "secondary");
    EXPECT_DUE(J(state), "DE", "NetzDG", "content_restriction", true, utc(2020, 3, 2, 8, 0, 0),
               24 * HOUR, "DE NetzDG §3(2) no. 2 and no. 3: emergency 24 hours (secondary)",
               "secondary");
    /* From 14 May 2024 the DSA's default applies: no fixed time. */
    ar_error e = jur_expect_fail(J(state), "DE", "NetzDG", "content_restriction", false,
                                 utc(2024, 6, 1, 0, 0, 0), AR_ENOTFOUND);
    assert_string_equal(e.field, "rules[8].clock");
}

static void test_dsa_orders_have_no_fixed_time(void **state)
{
    ar_error e = jur_expect_fail(J(state), "FR", "Code pénal art. 421-2-5", "content_restriction",
                                 false, utc(2025, 1, 15, 0, 0, 0), AR_ENOTFOUND);
    assert_string_equal(e.field, "rules[8].clock");
    assert_non_null(strstr(e.file, "policies/jurisdictions.yaml"));
    assert_true(e.line > 0 && e.column > 0);
    assert_string_equal(e.message, "EU DSA Art. 9 (Regulation (EU) 2022/2065) sets no fixed time "
                                   "(verified): use the order's own deadline");
    e = jur_expect_fail(J(state), "IE", NULL, "user_data", false, utc(2025, 1, 15, 0, 0, 0),
                        AR_ENOTFOUND);
    assert_string_equal(e.field, "rules[9].clock");
    /* Before the DSA applied, nothing. */
    e = jur_expect_fail(J(state), "FR", NULL, "content_restriction", false,
                        utc(2024, 2, 16, 12, 0, 0), AR_ENOTFOUND);
    assert_string_equal(e.field, "");
}

static void test_brazil_tse_orders_are_2_hours_then_1_near_elections(void **state)
{
    int64_t t = utc(2024, 9, 1, 15, 0, 0);
    EXPECT_DUE(J(state), "BR", "Resolução TSE nº 23.714/2022", "content_restriction", false, t,
               2 * HOUR, "BR 23.714 TSE Res. 23.714/2022 Art. 2 §§1-2: 2 hours (verified)",
               "verified");
    EXPECT_DUE(J(state), "BR", "Resolução TSE nº 23.714/2022", "content_restriction", true, t,
               1 * HOUR, "BR 23.714 TSE Res. 23.714/2022 Art. 2 §§1-2: emergency 1 hour (verified)",
               "verified");
    /* Citing the Marco Civil as well: equally specific, the earlier deadline wins. */
    EXPECT_DUE(J(state), "BR", "Lei 12.965/2014 e Res. 23.714", "content_restriction", false, t,
               2 * HOUR, "BR 23.714 TSE Res. 23.714/2022 Art. 2 §§1-2: 2 hours (verified)",
               "verified");
}

static void test_brazil_court_orders_set_their_own_time(void **state)
{
    ar_error e = jur_expect_fail(J(state), "BR", "Lei 12.965/2014 (Marco Civil)", "user_data",
                                 false, utc(2025, 1, 15, 0, 0, 0), AR_ENOTFOUND);
    assert_string_equal(e.field, "rules[11].clock");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_file_loads_cleanly),
        cmocka_unit_test(test_india_takedown_is_36_hours_before_2026_02_20),
        cmocka_unit_test(test_india_takedown_is_3_hours_from_2026_02_20),
        cmocka_unit_test(test_india_emergency_variant_is_ncii_clock),
        cmocka_unit_test(test_india_information_request_is_72_hours),
        cmocka_unit_test(test_india_rules_not_in_force_before_2021),
        cmocka_unit_test(test_pakistan_2021_rules_are_48_hours_and_unverified),
        cmocka_unit_test(test_pakistan_2020_rules_end_when_2021_rules_begin),
        cmocka_unit_test(test_turkey_court_decision_is_24_hours),
        cmocka_unit_test(test_netzdg_is_history_after_2024_05_14),
        cmocka_unit_test(test_dsa_orders_have_no_fixed_time),
        cmocka_unit_test(test_brazil_tse_orders_are_2_hours_then_1_near_elections),
        cmocka_unit_test(test_brazil_court_orders_set_their_own_time),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
