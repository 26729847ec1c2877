/* tests/policy/test_parse.c - good policies parse to the expected structs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/policy.h"
#include "lib/ctx_fixture.h"

#define DATA AR_TEST_DATA_DIR

/* Parse a fixture that must be good; print every problem if it is not. */
static ar_policy *parse_good(ar_ctx *ctx, const char *path)
{
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_policy_parse_file(ctx, path, &p, &d, &err);
    for (size_t i = 0; i < d.n; i++) {
        char buf[1024];
        ar_error_format(&d.v[i], buf, sizeof buf);
        print_message("%s\n", buf);
    }
    assert_int_equal(s, AR_OK);
    assert_int_equal(d.n, 0);
    assert_non_null(p);
    ar_diag_list_free(&d);
    return p;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void assert_pos(ar_policy_pos pos, const char *file_suffix, unsigned line, unsigned col)
{
    assert_non_null(pos.file);
    if (!ends_with(pos.file, file_suffix))
        fail_msg("position file %s does not end with %s", pos.file, file_suffix);
    assert_int_equal(pos.line, line);
    assert_int_equal(pos.column, col);
}

static void test_minimal_shape_from_header_parses(void **state)
{
    ar_policy *p = parse_good(*state, DATA "/good/minimal.yaml");
    assert_int_equal(p->version, 1);
    assert_true(ends_with(p->path, "good/minimal.yaml"));
    assert_null(p->name);
    assert_true(p->leet_default);
    assert_int_equal(p->nallow, 0);
    assert_int_equal(p->nstandards, 1);
    const ar_policy_standard *s = &p->standards[0];
    assert_string_equal(s->id, "profanity");
    assert_string_equal(s->title, "profanity"); /* no title: the id */
    assert_null(s->description);
    assert_int_equal(s->action, AR_ACTION_REVIEW);
    assert_pos(s->pos, "minimal.yaml", 3, 5);
    assert_int_equal(s->nrules, 3);

    /* - terms_file: en.txt */
    const ar_policy_rule *r = &s->rules[0];
    assert_string_equal(r->id, "profanity.1");
    assert_int_equal(r->kind, AR_RULE_TERMS);
    assert_false(r->substring);
    assert_int_equal(r->nlanguages, 0);
    assert_null(r->regex);
    assert_pos(r->pos, "minimal.yaml", 6, 9);
    assert_pos(r->expr_pos, "minimal.yaml", 6, 21);
    assert_int_equal(r->nterms, 3);
    assert_string_equal(r->terms[0].text, "alpha");
    assert_pos(r->terms[0].pos, "good/en.txt", 2, 1);
    assert_string_equal(r->terms[1].text, "beta gamma"); /* inner blanks kept, ends trimmed */
    assert_pos(r->terms[1].pos, "good/en.txt", 4, 3);
    assert_string_equal(r->terms[2].text, "delta"); /* trailing tab trimmed */
    assert_pos(r->terms[2].pos, "good/en.txt", 6, 1);

    /* - terms: [foo, "bar baz"] */
    r = &s->rules[1];
    assert_string_equal(r->id, "profanity.2");
    assert_int_equal(r->kind, AR_RULE_TERMS);
    assert_int_equal(r->nterms, 2);
    assert_string_equal(r->terms[0].text, "foo");
    assert_pos(r->terms[0].pos, "minimal.yaml", 7, 17);
    assert_string_equal(r->terms[1].text, "bar baz");
    assert_int_equal(r->terms[1].pos.line, 7);

    /* - regex: 'fr[e3]+\s*money' */
    r = &s->rules[2];
    assert_string_equal(r->id, "profanity.3");
    assert_int_equal(r->kind, AR_RULE_REGEX);
    assert_string_equal(r->regex, "fr[e3]+\\s*money");
    assert_int_equal(r->nterms, 0);
    assert_pos(r->expr_pos, "minimal.yaml", 8, 16); /* the opening quote */

    assert_int_equal(strlen(p->digest), 16);
    assert_int_equal(strspn(p->digest, "0123456789abcdef"), 16);
    ar_policy_free(p);
}

static void test_every_key_parses_to_its_field(void **state)
{
    ar_policy *p = parse_good(*state, DATA "/good/full.yaml");
    assert_string_equal(p->name, "Full example");

    /* leet: {"4": a, "@": at, "€": e} */
    assert_false(p->leet_default);
    assert_int_equal(p->nleet, 3);
    assert_string_equal(p->leet[0].from, "4");
    assert_string_equal(p->leet[0].to, "a");
    assert_string_equal(p->leet[1].from, "@");
    assert_string_equal(p->leet[1].to, "at");
    assert_string_equal(p->leet[2].from, "\xE2\x82\xAC");
    assert_string_equal(p->leet[2].to, "e");

    /* allow + allow_file, merged: inline words first */
    assert_int_equal(p->nallow, 3);
    assert_string_equal(p->allow[0].text, "scunthorpe");
    assert_string_equal(p->allow[1].text, "assassin");
    assert_pos(p->allow[1].pos, "good/lists/allow.txt", 1, 1);
    assert_string_equal(p->allow[2].text, "cockpit");

    assert_int_equal(p->nstandards, 2);
    const ar_policy_standard *s = &p->standards[0];
    assert_string_equal(s->title, "Profanity");
    assert_string_equal(s->description, "Words we review.");
    assert_int_equal(s->nallow, 3);
    assert_string_equal(s->allow[0].text, "classic");

    /* terms + terms_file in one rule: both, inline first */
    const ar_policy_rule *r = &s->rules[0];
    assert_string_equal(r->id, "profanity.custom");
    assert_string_equal(r->description, "custom words");
    assert_true(r->substring);
    assert_int_equal(r->nterms, 4);
    assert_string_equal(r->terms[0].text, "foo");
    assert_string_equal(r->terms[1].text, "bar baz");
    assert_string_equal(r->terms[2].text, "epsilon"); /* CRLF trimmed */
    assert_pos(r->terms[2].pos, "good/crlf.txt", 1, 1);
    assert_string_equal(r->terms[3].text, "zeta");
    assert_int_equal(r->nlanguages, 3);
    assert_string_equal(r->languages[0], "en");
    assert_string_equal(r->languages[1], "ur");
    assert_string_equal(r->languages[2], "ur-latn");
    assert_pos(r->expr_pos, "full.yaml", 14, 16); /* the terms node */

    r = &s->rules[1];
    assert_string_equal(r->id, "profanity.2"); /* counts every rule of the standard */
    assert_int_equal(r->kind, AR_RULE_REGEX);
    assert_false(r->substring);

    s = &p->standards[1];
    assert_string_equal(s->id, "spam.v2");
    assert_int_equal(s->action, AR_ACTION_LABEL);
    assert_string_equal(s->rules[0].id, "spam.v2.1");
    assert_string_equal(s->rules[0].terms[0].text, "padded"); /* "  padded  " trimmed */
    r = &s->rules[1];
    assert_int_equal(r->nterms, 2);
    assert_string_equal(r->terms[0].text, "\xD9\x88\xD8\xA7\xD8\xAC\xD8\xA8 "
                                          "\xD8\xA7\xD9\x84\xD9\x82\xD8\xAA\xD9\x84");
    assert_pos(r->terms[0].pos, "good/lists/ur.txt", 2, 1);
    /* Columns count code points: two blanks, then the term. */
    assert_pos(r->terms[1].pos, "good/lists/ur.txt", 3, 3);
    ar_policy_free(p);
}

static void test_leet_off_gives_empty_non_null_table(void **state)
{
    ar_policy *p = parse_good(*state, DATA "/good/leet_off.yaml");
    assert_false(p->leet_default);
    assert_int_equal(p->nleet, 0);
    /* Non-NULL, so ar_text_norm_new(ctx, p->leet, p->nleet) turns leet off. */
    assert_non_null(p->leet);
    ar_policy_free(p);
}

static void test_buffer_without_base_dir_parses_inline_terms(void **state)
{
    static const char yaml[] = "version: 1\n"
                               "standards:\n"
                               "  - {id: s, action: remove, rules: [{terms: [x, y]}]}\n";
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(
        ar_policy_parse_buffer(*state, yaml, strlen(yaml), "mem.yaml", NULL, &p, NULL, &err),
        AR_OK);
    assert_string_equal(p->path, "mem.yaml");
    assert_int_equal(p->standards[0].action, AR_ACTION_REMOVE);
    assert_int_equal(p->standards[0].rules[0].nterms, 2);
    assert_string_equal(p->standards[0].rules[0].terms[1].text, "y");
    assert_string_equal(p->standards[0].rules[0].terms[1].pos.file, "mem.yaml");
    ar_policy_free(p);
}

static void test_buffer_need_not_be_nul_terminated(void **state)
{
    static const char yaml[] = "version: 1\nstandards: [{id: s, action: label, rules: [{terms: "
                               "[abc]}]}]\nXXXX";
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_buffer(*state, yaml, strlen(yaml) - 4, NULL, NULL, &p, NULL,
                                            &err),
                     AR_OK);
    assert_string_equal(p->standards[0].rules[0].terms[0].text, "abc");
    ar_policy_free(p);
}

static void test_same_bytes_give_same_digest(void **state)
{
    static const char yaml[] = "version: 1\nstandards: [{id: s, action: label, rules: [{regex: "
                               "'a+b'}]}]\n";
    ar_policy *p1 = NULL, *p2 = NULL, *p3 = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_buffer(*state, yaml, strlen(yaml), "a", NULL, &p1, NULL, &err),
                     AR_OK);
    assert_int_equal(ar_policy_parse_buffer(*state, yaml, strlen(yaml), "b", NULL, &p2, NULL, &err),
                     AR_OK);
    assert_string_equal(p1->digest, p2->digest); /* the name is not hashed, the bytes are */
    char other[sizeof yaml];
    memcpy(other, yaml, sizeof yaml);
    other[strlen(other) - 1] = ' ';
    assert_int_equal(ar_policy_parse_buffer(*state, other, strlen(other), "a", NULL, &p3, NULL,
                                            &err),
                     AR_OK);
    assert_string_not_equal(p1->digest, p3->digest);
    ar_policy_free(p1);
    ar_policy_free(p2);
    ar_policy_free(p3);
}

static void test_free_null_is_a_no_op(void **state)
{
    (void)state;
    ar_policy_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_shape_from_header_parses),
        cmocka_unit_test(test_every_key_parses_to_its_field),
        cmocka_unit_test(test_leet_off_gives_empty_non_null_table),
        cmocka_unit_test(test_buffer_without_base_dir_parses_inline_terms),
        cmocka_unit_test(test_buffer_need_not_be_nul_terminated),
        cmocka_unit_test(test_same_bytes_give_same_digest),
        cmocka_unit_test(test_free_null_is_a_no_op),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
