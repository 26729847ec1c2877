/* tests/policy/test_dsa.c - a standard's dsa_category and dsa_keywords:
 * the values of the DSA Transparency Database are kept (the library's own
 * copy), every wrong value is refused at its line and column with a
 * suggestion where one is near, and the shipped policy declares a category
 * for every standard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/policy.h"

static int setup(void **state)
{
    ar_ctx *ctx = NULL;
    if (ar_ctx_new(NULL, &ctx, NULL) != AR_OK)
        return -1;
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    ar_ctx_free(*state);
    return 0;
}

/* A policy of one standard whose extra keys are `extra` (lines indented 4). */
static ar_status parse(ar_ctx *ctx, const char *extra, ar_policy **p, ar_diag_list *d)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "version: 1\n"
             "standards:\n"
             "  - id: hate\n"
             "    action: remove\n"
             "%s"
             "    rules:\n"
             "      - terms: [vermin]\n",
             extra);
    ar_diag_list_init(d, ctx);
    return ar_policy_parse_buffer(ctx, yaml, strlen(yaml), "p.yaml", NULL, p, d, NULL);
}

static void test_declared_values_are_kept(void **state)
{
    ar_policy *p = NULL;
    ar_diag_list d;
    assert_int_equal(parse(*state,
                           "    dsa_category: STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH\n"
                           "    dsa_keywords: [KEYWORD_HATE_SPEECH, KEYWORD_DISCRIMINATION]\n",
                           &p, &d),
                     AR_OK);
    const ar_policy_standard *s = ar_policy_standard_find(p, "hate");
    assert_non_null(s);
    assert_string_equal(s->dsa_category, "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH");
    assert_int_equal(s->ndsa_keywords, 2);
    assert_string_equal(s->dsa_keywords[0], "KEYWORD_HATE_SPEECH");
    assert_string_equal(s->dsa_keywords[1], "KEYWORD_DISCRIMINATION");
    assert_null(ar_policy_standard_find(p, "gone"));
    assert_null(ar_policy_standard_find(NULL, "hate"));
    ar_policy_free(p);
    ar_diag_list_free(&d);

    /* both keys are optional */
    assert_int_equal(parse(*state, "", &p, &d), AR_OK);
    assert_null(p->standards[0].dsa_category);
    assert_int_equal(p->standards[0].ndsa_keywords, 0);
    ar_policy_free(p);
    ar_diag_list_free(&d);
}

typedef struct bad {
    const char *extra;
    unsigned line, column;
    const char *message;
} bad;

static void test_bad_values_are_refused(void **state)
{
    static const bad cases[] = {
        {"    dsa_category: STATEMENT_CATEGORY_SCAMS_AND_FRAUDS\n", 5, 19,
         "'dsa_category': 'STATEMENT_CATEGORY_SCAMS_AND_FRAUDS' is not one of the 16 "
         "STATEMENT_CATEGORY_* values of the DSA Transparency Database: did you mean "
         "STATEMENT_CATEGORY_SCAMS_AND_FRAUD?"},
        {"    dsa_category: scams_and_fraud\n", 5, 19,
         "'dsa_category': 'scams_and_fraud' is not one of the 16 STATEMENT_CATEGORY_* values "
         "of the DSA Transparency Database: did you mean STATEMENT_CATEGORY_SCAMS_AND_FRAUD?"},
        {"    dsa_category: STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT\n", 5, 19,
         "'dsa_category': 'STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT' is not one of "
         "the 16 STATEMENT_CATEGORY_* values of the DSA Transparency Database (see LEGAL.md "
         "section 1.3)"},
        {"    dsa_category: STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE\n", 5, 19,
         "'dsa_category': STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE is for notices that name no "
         "type of content; a standard says what it covers (STATEMENT_CATEGORY_OTHER_VIOLATION_TC "
         "if no other category fits)"},
        {"    dsa_category: [STATEMENT_CATEGORY_VIOLENCE]\n", 5, 19,
         "'dsa_category' must be a string, not a list"},
        {"    dsa_category: STATEMENT_CATEGORY_VIOLENCE\n    dsa_keywords: KEYWORD_STALKING\n",
         6, 19,
         "'dsa_keywords' must be a non-empty list of KEYWORD_* values such as "
         "[KEYWORD_HATE_SPEECH], not a string"},
        {"    dsa_category: STATEMENT_CATEGORY_VIOLENCE\n    dsa_keywords: []\n", 6, 19,
         "'dsa_keywords' must be a non-empty list of KEYWORD_* values such as "
         "[KEYWORD_HATE_SPEECH], not an empty list"},
        {"    dsa_category: STATEMENT_CATEGORY_VIOLENCE\n"
         "    dsa_keywords: [KEYWORD_STALKING, KEYWORD_STALKNG]\n",
         6, 38,
         "'dsa_keywords': 'KEYWORD_STALKNG' is not one of the 69 KEYWORD_* values of the DSA "
         "Transparency Database: did you mean KEYWORD_STALKING?"},
        {"    dsa_category: STATEMENT_CATEGORY_VIOLENCE\n"
         "    dsa_keywords: [KEYWORD_STALKING, KEYWORD_STALKING]\n",
         6, 38, "'dsa_keywords' lists KEYWORD_STALKING twice"},
        {"    dsa_keywords: [KEYWORD_STALKING]\n", 5, 5,
         "'dsa_keywords' refine a 'dsa_category': give the standard its dsa_category too"},
        {"    dsa_categroy: STATEMENT_CATEGORY_VIOLENCE\n", 5, 5, NULL}, /* unknown key */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ar_policy *p = (ar_policy *)&p;
        ar_diag_list d;
        ar_status st = parse(*state, cases[i].extra, &p, &d);
        if (st != AR_EINVAL || d.n != 1 || d.v[0].line != cases[i].line ||
            d.v[0].column != cases[i].column ||
            (cases[i].message && strcmp(d.v[0].message, cases[i].message))) {
            print_message("case %zu: %s; %zu problems\n", i, ar_status_name(st), d.n);
            for (size_t k = 0; k < d.n; k++)
                print_message("  %u:%u: %s\n", d.v[k].line, d.v[k].column, d.v[k].message);
            fail();
        }
        assert_null(p);
        ar_diag_list_free(&d);
    }
}

/* The shipped policy maps every standard to a category, so a statement of
 * reasons under it never carries a guessed one. */
static void test_default_policy_declares_every_category(void **state)
{
    ar_policy *p = NULL;
    ar_error err;
    if (ar_policy_parse_file(*state, AR_SOURCE_DIR "/policies/default.yaml", &p, NULL, &err) !=
        AR_OK)
        fail_msg("%s:%u: %s", err.file, err.line, err.message);
    assert_true(p->nstandards > 0);
    for (size_t i = 0; i < p->nstandards; i++) {
        if (!p->standards[i].dsa_category)
            fail_msg("standard '%s' has no dsa_category", p->standards[i].id);
    }
    ar_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_declared_values_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_policy_declares_every_category, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
