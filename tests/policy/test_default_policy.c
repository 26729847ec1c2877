/* tests/policy/test_default_policy.c - the shipped starter policy parses,
 * has the standards and actions its README promises, and its LDNOOBW lists
 * carry their source and licence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/policy.h"
#include "lib/ctx_fixture.h"

#define POLICIES AR_SOURCE_DIR "/policies"

static const ar_policy_standard *find_standard(const ar_policy *p, const char *id)
{
    for (size_t i = 0; i < p->nstandards; i++)
        if (strcmp(p->standards[i].id, id) == 0)
            return &p->standards[i];
    fail_msg("no standard '%s'", id);
    return NULL;
}

static const ar_policy_rule *find_rule(const ar_policy_standard *s, const char *id)
{
    for (size_t i = 0; i < s->nrules; i++)
        if (strcmp(s->rules[i].id, id) == 0)
            return &s->rules[i];
    fail_msg("no rule '%s'", id);
    return NULL;
}

static bool has_term(const ar_policy_rule *r, const char *text)
{
    for (size_t i = 0; i < r->nterms; i++)
        if (strcmp(r->terms[i].text, text) == 0)
            return true;
    return false;
}

static void test_default_policy_parses_with_its_standards(void **state)
{
    ar_ctx *ctx = *state;
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_policy_parse_file(ctx, POLICIES "/default.yaml", &p, &d, &err);
    for (size_t i = 0; i < d.n; i++) {
        char buf[1024];
        ar_error_format(&d.v[i], buf, sizeof buf);
        print_message("%s\n", buf);
    }
    assert_int_equal(s, AR_OK);
    ar_diag_list_free(&d);

    assert_int_equal(p->nstandards, 3);
    assert_true(p->leet_default);
    const ar_policy_standard *spam = find_standard(p, "spam");
    const ar_policy_standard *inc = find_standard(p, "incitement");
    const ar_policy_standard *slurs = find_standard(p, "slurs");
    assert_int_equal(spam->action, AR_ACTION_REVIEW);
    assert_int_equal(inc->action, AR_ACTION_REVIEW);
    assert_int_equal(slurs->action, AR_ACTION_LABEL);

    /* Phrases the README names. */
    assert_true(has_term(find_rule(spam, "spam.en"), "free money"));
    assert_true(has_term(find_rule(spam, "spam.en"), "click here to claim"));
    assert_true(has_term(find_rule(spam, "spam.ur"), "ghar baithay paisay kamayen"));
    assert_true(has_term(find_rule(inc, "incitement.ur"), "wajib ul qatl"));
    assert_true(has_term(find_rule(inc, "incitement.ur"),
                         "\xD9\x88\xD8\xA7\xD8\xAC\xD8\xA8 \xD8\xA7\xD9\x84\xD9\x82\xD8\xAA\xD9\x84"));
    assert_int_equal(find_rule(inc, "incitement.kill-all-group")->kind, AR_RULE_REGEX);

    /* Word lists and the substring rule with its Scunthorpe allow-list. */
    const ar_policy_rule *en = find_rule(slurs, "slurs.en");
    assert_false(en->substring);
    assert_true(en->nterms > 300);
    const ar_policy_rule *emb = find_rule(slurs, "slurs.embedded");
    assert_true(emb->substring);
    assert_true(has_term(emb, "cunt"));
    bool scunthorpe = false;
    for (size_t i = 0; i < slurs->nallow; i++)
        scunthorpe |= strcmp(slurs->allow[i].text, "scunthorpe") == 0;
    assert_true(scunthorpe);

    /* Every regex stays within what the normalised stream can match. */
    size_t nregex = 0;
    for (size_t i = 0; i < p->nstandards; i++)
        for (size_t j = 0; j < p->standards[i].nrules; j++)
            nregex += p->standards[i].rules[j].kind == AR_RULE_REGEX;
    assert_true(nregex >= 1 && nregex <= 8);
    ar_policy_free(p);
}

static void test_ldnoobw_lists_name_source_and_licence(void **state)
{
    (void)state;
    static const char *const langs[] = {"en", "hi", "ar", "fa"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        char path[512], head[2048];
        snprintf(path, sizeof path, POLICIES "/lists/slurs-%s.txt", langs[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        size_t n = fread(head, 1, sizeof head - 1, fp);
        fclose(fp);
        head[n] = '\0';
        assert_non_null(strstr(head, "LDNOOBW"));
        assert_non_null(strstr(head, "naughty-words 1.2.0"));
        assert_non_null(strstr(head, "CC BY 4.0"));
    }
    FILE *fp = fopen(POLICIES "/lists/LICENSE-LDNOOBW.txt", "rb");
    assert_non_null(fp);
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_policy_parses_with_its_standards),
        cmocka_unit_test(test_ldnoobw_lists_name_source_and_licence),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
