/* tests/policy/test_action_diag.c - action names both ways, and the
 * diagnostics list lint appends to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arbiter/policy.h"

static void test_action_names_are_stable_and_ordered(void **state)
{
    (void)state;
    assert_string_equal(ar_action_name(AR_ACTION_NONE), "none");
    assert_string_equal(ar_action_name(AR_ACTION_LABEL), "label");
    assert_string_equal(ar_action_name(AR_ACTION_REVIEW), "review");
    assert_string_equal(ar_action_name(AR_ACTION_REMOVE), "remove");
    assert_string_equal(ar_action_name((ar_action)42), "unknown");
    assert_true(AR_ACTION_LABEL < AR_ACTION_REVIEW && AR_ACTION_REVIEW < AR_ACTION_REMOVE);
}

static void test_action_parse_accepts_the_three_actions_only(void **state)
{
    (void)state;
    ar_action a = AR_ACTION_NONE;
    ar_error err;
    assert_int_equal(ar_action_parse("remove", &a, &err), AR_OK);
    assert_int_equal(a, AR_ACTION_REMOVE);
    assert_int_equal(ar_action_parse("label", &a, &err), AR_OK);
    assert_int_equal(a, AR_ACTION_LABEL);
    assert_int_equal(ar_action_parse("none", &a, &err), AR_EINVAL); /* a standard must act */
    assert_int_equal(ar_action_parse("Remove", &a, &err), AR_EINVAL);
    assert_string_equal(err.message, "unknown action 'Remove': use label, review or remove");
    assert_int_equal(a, AR_ACTION_LABEL); /* untouched on failure */
    assert_int_equal(ar_action_parse(NULL, &a, NULL), AR_EINVAL);
}

static void test_diag_list_appends_copies(void **state)
{
    (void)state;
    ar_ctx *ctx = NULL;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    ar_diag_list d;
    ar_diag_list_init(&d, ctx);
    for (unsigned i = 1; i <= 40; i++) {
        ar_error_set_at(&err, AR_EINVAL, "p.yaml", i, 2, NULL, "problem %u", i);
        assert_int_equal(ar_diag_list_add(&d, &err), AR_OK);
    }
    assert_int_equal(d.n, 40);
    assert_int_equal(d.v[39].line, 40);
    assert_string_equal(d.v[0].message, "problem 1");
    assert_int_equal(ar_diag_list_add(&d, NULL), AR_EINVAL);
    ar_diag_list_free(&d);
    assert_int_equal(d.n, 0);
    ar_diag_list_free(&d); /* twice is fine */
    ar_diag_list_free(NULL);
    ar_ctx_free(ctx);
}

static void test_parse_appends_to_a_list_that_has_entries(void **state)
{
    (void)state;
    ar_ctx *ctx = NULL;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    ar_diag_list d;
    ar_diag_list_init(&d, ctx);
    ar_error_set(&err, AR_EINVAL, NULL, "earlier");
    assert_int_equal(ar_diag_list_add(&d, &err), AR_OK);
    ar_policy *p = NULL;
    static const char yaml[] = "version: 1\nstandards: []\n";
    assert_int_equal(ar_policy_parse_buffer(ctx, yaml, strlen(yaml), "x.yaml", NULL, &p, &d, &err),
                     AR_EINVAL);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.v[0].message, "earlier");
    assert_string_equal(d.v[1].message,
                        "'standards' is empty: a policy needs at least one standard");
    assert_string_equal(d.v[1].file, "x.yaml");
    assert_int_equal(d.v[1].line, 2);
    assert_int_equal(d.v[1].column, 12);
    ar_diag_list_free(&d);
    ar_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_action_names_are_stable_and_ordered),
        cmocka_unit_test(test_action_parse_accepts_the_three_actions_only),
        cmocka_unit_test(test_diag_list_appends_copies),
        cmocka_unit_test(test_parse_appends_to_a_list_that_has_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
