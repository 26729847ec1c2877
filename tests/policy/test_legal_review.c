/* tests/policy/test_legal_review.c - the policy's legal_review section:
 * four_eyes names request kinds; every mistake comes out at its line and
 * column, and a policy without the section needs no second reviewer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/policy.h"
#include "lib/ctx_fixture.h"

#define HEAD "version: 1\nstandards:\n  - id: spam\n    action: review\n    rules:\n" \
             "      - terms: [free money]\n"

static ar_ctx *ctx_of(void **state)
{
    return *state;
}

static void test_legal_review_four_eyes_names_request_kinds(void **state)
{
    const char *yaml = HEAD "legal_review:\n  four_eyes: [user_data, emergency]\n";
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_buffer(ctx_of(state), yaml, strlen(yaml), "p.yaml", NULL, &p,
                                            NULL, &err),
                     AR_OK);
    assert_int_equal(p->four_eyes, AR_POLICY_KIND_USER_DATA | AR_POLICY_KIND_EMERGENCY);
    ar_policy_free(p);
    /* absent, empty or null: nothing needs a second reviewer */
    const char *none[] = {HEAD, HEAD "legal_review:\n  four_eyes: []\n",
                          HEAD "legal_review:\n  four_eyes:\n", HEAD "legal_review:\n"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        assert_int_equal(ar_policy_parse_buffer(ctx_of(state), none[i], strlen(none[i]), "p.yaml",
                                                NULL, &p, NULL, &err),
                         AR_OK);
        assert_int_equal(p->four_eyes, 0);
        ar_policy_free(p);
    }
    assert_int_equal(ar_policy_request_kind_bit("preservation"), AR_POLICY_KIND_PRESERVATION);
    assert_int_equal(ar_policy_request_kind_bit("nope"), 0);
    assert_string_equal(ar_policy_request_kind_name(AR_POLICY_KIND_CONTENT_RESTRICTION),
                        "content_restriction");
    assert_null(ar_policy_request_kind_name(3));
}

static void test_legal_review_mistakes_are_reported_at_line_and_column(void **state)
{
    static const struct {
        const char *yaml;
        unsigned line, column;
        const char *message;
    } bad[] = {
        {HEAD "legal_review: [user_data]\n", 7, 15,
         "'legal_review' must be a mapping such as {four_eyes: [user_data]}, not a list"},
        {HEAD "legal_review:\n  four_eyes: user_data\n", 8, 14,
         "'four_eyes' must be a list of request kinds such as [user_data, emergency], not a "
         "string"},
        {HEAD "legal_review:\n  four_eyes: [user_data, emergncy]\n", 8, 26,
         "'emergncy' is not a request kind: use content_restriction, user_data, preservation or "
         "emergency (did you mean emergency?)"},
        {HEAD "legal_review:\n  four_eyes: [user_data, user_data]\n", 8, 26,
         "'four_eyes' lists user_data twice"},
        {HEAD "legal_review:\n  four_eyes: [[user_data]]\n", 8, 15,
         "'four_eyes' item 1 must be a request kind, not a list"},
        {HEAD "legal_review:\n  two_eyes: [user_data]\n", 8, 3, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ar_policy *p = NULL;
        ar_error err;
        ar_diag_list d;
        ar_diag_list_init(&d, ctx_of(state));
        ar_status st = ar_policy_parse_buffer(ctx_of(state), bad[i].yaml, strlen(bad[i].yaml),
                                              "p.yaml", NULL, &p, &d, &err);
        assert_int_equal(st, AR_EINVAL);
        assert_null(p);
        if (d.n != 1 || d.v[0].line != bad[i].line || d.v[0].column != bad[i].column ||
            (bad[i].message && strcmp(d.v[0].message, bad[i].message)))
            fail_msg("case %zu: %zu problems, first %u:%u: %s", i, d.n, d.n ? d.v[0].line : 0,
                     d.n ? d.v[0].column : 0, d.n ? d.v[0].message : "");
        if (!bad[i].message)
            assert_non_null(strstr(d.v[0].message, "four_eyes"));
        ar_diag_list_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_legal_review_four_eyes_names_request_kinds),
        cmocka_unit_test(test_legal_review_mistakes_are_reported_at_line_and_column),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
