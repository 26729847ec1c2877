/* tests/policy/test_errors.c - every kind of mistake in a policy comes out
 * as file:line:column: message, all of them, in file order. */
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

typedef struct want {
    const char *file; /* suffix of err.file */
    unsigned line, column;
    const char *message;
} want;

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Compare the problems found with the list wanted, printing both on a mismatch. */
static void check_diags(const ar_diag_list *d, const ar_error *err, ar_status got,
                        ar_status status, const want *w, size_t n)
{
    bool ok = got == status && d->n == n;
    for (size_t i = 0; ok && i < n; i++) {
        const ar_error *e = &d->v[i];
        ok = ends_with(e->file, w[i].file) && e->line == w[i].line &&
             e->column == w[i].column && strcmp(e->message, w[i].message) == 0;
    }
    if (!ok) {
        print_message("status %s (want %s); got %zu problems:\n", ar_status_name(got),
                      ar_status_name(status), d->n);
        for (size_t i = 0; i < d->n; i++)
            print_message("  %s:%u:%u: %s\n", d->v[i].file, d->v[i].line, d->v[i].column,
                          d->v[i].message);
        print_message("wanted %zu:\n", n);
        for (size_t i = 0; i < n; i++)
            print_message("  ...%s:%u:%u: %s\n", w[i].file, w[i].line, w[i].column,
                          w[i].message);
        fail();
    }
    /* err holds the first problem. */
    assert_int_equal(err->status, d->v[0].status);
    assert_int_equal(err->line, d->v[0].line);
    assert_string_equal(err->message, d->v[0].message);
}

/* Parse the fixture data/bad/<name> and compare its problems with w[0..n). */
static void expect_file(ar_ctx *ctx, const char *name, ar_status status, const want *w, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bad/%s", DATA, name);
    ar_policy *p = (ar_policy *)&p; /* must be cleared */
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_policy_parse_file(ctx, path, &p, &d, &err);
    assert_null(p);
    check_diags(&d, &err, s, status, w, n);
    ar_diag_list_free(&d);
}

/* As expect_file for YAML in memory named "inline.yaml", no base folder. */
static void expect_buffer(ar_ctx *ctx, const char *yaml, ar_status status, const want *w,
                          size_t n)
{
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_policy_parse_buffer(ctx, yaml, strlen(yaml), "inline.yaml", NULL, &p, &d,
                                         &err);
    assert_null(p);
    check_diags(&d, &err, s, status, w, n);
    ar_diag_list_free(&d);
}

#define EXPECT_FILE(ctx, name, status, ...)                                                        \
    do {                                                                                           \
        const want w_[] = {__VA_ARGS__};                                                           \
        expect_file((ctx), (name), (status), w_, sizeof w_ / sizeof w_[0]);                        \
    } while (0)

#define EXPECT_BUFFER(ctx, yaml, ...)                                                              \
    do {                                                                                           \
        const want w_[] = {__VA_ARGS__};                                                           \
        expect_buffer((ctx), (yaml), AR_EINVAL, w_, sizeof w_ / sizeof w_[0]);                     \
    } while (0)

/*---- YAML ---------------------------------------------------------------------*/

static void test_yaml_syntax_error_has_position(void **state)
{
    EXPECT_FILE(*state, "syntax.yaml", AR_EINVAL,
                {"syntax.yaml", 2, 13,
                 "YAML syntax error: invalid nested block mapping on the same line"});
    EXPECT_FILE(*state, "unclosed.yaml", AR_EINVAL,
                {"unclosed.yaml", 6, 23,
                 "YAML syntax error: double-quoted scalar without closing quote"});
}

static void test_invalid_utf8_in_policy_reported_per_line(void **state)
{
    EXPECT_BUFFER(*state, "version: 1\nname: \"a\xff\"\nx: \xc3\x28 and \xff\n",
                  {"inline.yaml", 2, 9, "invalid UTF-8 (byte 0xff): a policy file must be UTF-8"},
                  {"inline.yaml", 3, 4, "invalid UTF-8 (byte 0xc3): a policy file must be UTF-8"});
}

static void test_nul_and_control_characters_refused_before_yaml(void **state)
{
    /* libfyaml 0.7.12 crashes on this one when it sees the NUL. */
    static const char yaml[] = "? d:\t\0";
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, *state);
    assert_int_equal(ar_policy_parse_buffer(*state, yaml, sizeof yaml - 1, "nul.yaml", NULL, &p,
                                            &d, &err),
                     AR_EINVAL);
    assert_int_equal(d.n, 1);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 6);
    assert_string_equal(err.message, "control character U+0000 is not allowed in a YAML file");
    ar_diag_list_free(&d);
    EXPECT_BUFFER(*state, "version: 1\nname: \"bell\x07\"\n",
                  {"inline.yaml", 2, 12,
                   "control character U+0007 is not allowed in a YAML file"});
}

static void test_second_document_and_alias_refused(void **state)
{
    EXPECT_BUFFER(*state, "version: 1\n---\nversion: 1\n",
                  {"inline.yaml", 1, 1, "the policy has no 'standards'"},
                  {"inline.yaml", 2, 1,
                   "a policy file holds one YAML document: remove this '---' and what follows, "
                   "or merge it into the first"});
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards:\n  - id: &i a\n    action: label\n    rules: [{terms: "
                  "[*i]}]\n",
                  {"inline.yaml", 5, 22,
                   "YAML aliases ('*name') are not supported in a policy: write the value out"});
}

static void test_empty_and_non_mapping_policies_refused(void **state)
{
    EXPECT_BUFFER(*state, "",
                  {"inline.yaml", 1, 1,
                   "the policy is empty: it needs at least 'version: 1' and 'standards'"});
    EXPECT_BUFFER(*state, "# only a comment\n",
                  {"inline.yaml", 1, 1,
                   "the policy is empty: it needs at least 'version: 1' and 'standards'"});
    EXPECT_BUFFER(*state, "- a\n- b\n",
                  {"inline.yaml", 1, 1,
                   "a policy must be a mapping with 'version: 1' and 'standards', not a list"});
}

/*---- Keys and types ----------------------------------------------------------------*/

static void test_unknown_key_named_with_suggestion(void **state)
{
    EXPECT_FILE(*state, "unknown_key.yaml", AR_EINVAL,
                {"unknown_key.yaml", 3, 5, "standard 'spam' has no 'rules'"},
                {"unknown_key.yaml", 5, 5,
                 "unknown key 'rulez' in standard (did you mean 'rules'?)"});
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards: [{id: a, action: label, rules: [{terms: [x], "
                  "colour: red}]}]\n",
                  {"inline.yaml", 2, 57, "unknown key 'colour' in rule"});
}

static void test_wrong_types_named(void **state)
{
    EXPECT_FILE(*state, "wrong_type.yaml", AR_EINVAL,
                {"wrong_type.yaml", 6, 16, "'terms' must be a list of strings, not a mapping"},
                {"wrong_type.yaml", 7, 21, "'terms' must be a list of strings: item 2 is a list"},
                {"wrong_type.yaml", 8, 16, "'terms' must be a list of strings: write [single]"});
    EXPECT_BUFFER(*state,
                  "version: 1\nname: [a]\nstandards:\n  - id: a\n    title:\n    action: "
                  "label\n    rules: {terms: [x]}\n  - just a string\n",
                  {"inline.yaml", 2, 7, "'name' must be a string, not a list"},
                  {"inline.yaml", 5, 5, "'title' must be a string, not empty"},
                  {"inline.yaml", 7, 12, "'rules' must be a list of rules, not a mapping"},
                  {"inline.yaml", 8, 5,
                   "a standard must be a mapping of keys to values, not a string"});
}

static void test_duplicate_key_refused(void **state)
{
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards:\n  - id: a\n    action: label\n    action: remove\n"
                  "    rules: [{terms: [x]}]\n",
                  {"inline.yaml", 5, 5, "duplicate key 'action' in standard (first at line 4)"});
}

static void test_version_must_be_one(void **state)
{
    EXPECT_BUFFER(*state, "standards: [{id: a, action: label, rules: [{terms: [x]}]}]\n",
                  {"inline.yaml", 1, 1,
                   "the policy has no 'version': start it with 'version: 1'"});
    EXPECT_BUFFER(*state,
                  "version: 2\nstandards: [{id: a, action: label, rules: [{terms: [x]}]}]\n",
                  {"inline.yaml", 1, 10,
                   "version 2 is not supported: this arbiter reads version 1"});
    EXPECT_BUFFER(*state,
                  "version: \"one\"\nstandards: [{id: a, action: label, rules: [{terms: [x]}]}]\n",
                  {"inline.yaml", 1, 10, "'version' must be the number 1"});
}

/*---- Ids -------------------------------------------------------------------*/

static void test_missing_standard_id_reported(void **state)
{
    EXPECT_FILE(*state, "missing_id.yaml", AR_EINVAL,
                {"missing_id.yaml", 3, 5, "standard has no 'id'"});
}

static void test_duplicate_standard_and_rule_ids_reported(void **state)
{
    EXPECT_FILE(*state, "duplicate_id.yaml", AR_EINVAL,
                {"duplicate_id.yaml", 8, 9, "duplicate standard id 'spam' (first at line 3)"},
                {"duplicate_id.yaml", 12, 13,
                 "duplicate rule id 'shared' (first at line 7): rule ids are unique across the "
                 "policy"});
}

static void test_default_rule_id_clash_reported(void **state)
{
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards:\n  - id: s\n    action: label\n    rules:\n"
                  "      - terms: [x]\n        id: s.2\n      - terms: [y]\n",
                  {"inline.yaml", 8, 9,
                   "this rule's default id 's.2' is already used (line 7): give it an 'id'"});
}

static void test_bad_ids_refused(void **state)
{
    EXPECT_BUFFER(
        *state,
        "version: 1\nstandards:\n  - id: Spam\n    action: label\n    rules:\n"
        "      - {terms: [x], id: 'a b'}\n"
        "  - id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
        "    action: label\n    rules: [{terms: [x]}]\n",
        {"inline.yaml", 3, 9,
         "standard id 'Spam' must be 1 to 64 characters of a-z, 0-9, '_', '.' and '-'"},
        {"inline.yaml", 6, 26,
         "rule id 'a b' must be 1 to 64 characters of a-z, 0-9, '_', '.' and '-'"},
        {"inline.yaml", 7, 9,
         "standard id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' must be "
         "1 to 64 characters of a-z, 0-9, '_', '.' and '-'"});
}

/*---- Values ------------------------------------------------------------------*/

static void test_bad_action_named(void **state)
{
    EXPECT_FILE(*state, "bad_action.yaml", AR_EINVAL,
                {"bad_action.yaml", 4, 13, "unknown action 'delete': use label, review or remove"});
    EXPECT_BUFFER(*state, "version: 1\nstandards:\n  - id: a\n    rules: [{terms: [x]}]\n",
                  {"inline.yaml", 3, 5,
                   "standard 'a' has no 'action': give label, review or remove"});
}

static void test_bad_leet_entries_each_reported(void **state)
{
    EXPECT_FILE(*state, "bad_leet.yaml", AR_EINVAL,
                {"bad_leet.yaml", 4, 3, "a 'leet' key must be exactly one character, not 'ab'"},
                {"bad_leet.yaml", 5, 8,
                 "the 'leet' value for '5' must be 1 to 8 lowercase letters a-z, not 'S5'"},
                {"bad_leet.yaml", 6, 3,
                 "'leet' cannot map the letter 'a': only digits, symbols and non-Latin "
                 "lookalikes stand for letters"});
    EXPECT_BUFFER(*state,
                  "version: 1\nleet: sometimes\nstandards: [{id: a, action: label, rules: "
                  "[{terms: [x]}]}]\n",
                  {"inline.yaml", 2, 7,
                   "'leet' must be default, off or a mapping such as {\"4\": a, \"@\": a}"});
    EXPECT_BUFFER(*state,
                  "version: 1\nleet: {\"4\": a, \"4\": e, \"1\": abcdefghi}\nstandards: [{id: a, "
                  "action: label, rules: [{terms: [x]}]}]\n",
                  {"inline.yaml", 2, 16, "'leet' maps '4' twice"},
                  {"inline.yaml", 2, 29,
                   "the 'leet' value for '1' must be 1 to 8 lowercase letters a-z, not "
                   "'abcdefghi'"});
}

static void test_match_languages_and_regex_checked(void **state)
{
    EXPECT_FILE(*state, "many.yaml", AR_EINVAL,
                {"many.yaml", 1, 10, "version 2 is not supported: this arbiter reads version 1"},
                {"many.yaml", 2, 1, "unknown key 'nmae' in policy (did you mean 'name'?)"},
                {"many.yaml", 4, 9,
                 "standard id 'Bad Id' must be 1 to 64 characters of a-z, 0-9, '_', '.' and "
                 "'-'"},
                {"many.yaml", 5, 13, "unknown action 'nuke': use label, review or remove"},
                {"many.yaml", 8, 16, "'match' must be word or substring, not 'fuzzy'"},
                {"many.yaml", 9, 21,
                 "'EN' is not a language code: use a lowercase BCP 47 tag such as 'en', 'ur' or "
                 "'ur-latn'"},
                {"many.yaml", 10, 16,
                 "regex has a doubled letter 'ee' that can never match: runs of one letter are "
                 "squeezed to one before matching, so write 'e' (or 'e+')"},
                {"many.yaml", 11, 9, "rule has no 'terms', 'terms_file', 'regex', 'url_list' or 'bank'"},
                {"many.yaml", 14, 12, "'rules' is empty: a standard needs at least one rule"});
}

static void test_regex_with_terms_refused(void **state)
{
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards:\n  - id: a\n    action: label\n    rules:\n"
                  "      - terms: [x]\n        regex: 'y+'\n",
                  {"inline.yaml", 7, 9,
                   "a rule has 'regex' or 'terms'/'terms_file', not both: split it into two "
                   "rules"});
}

static void test_regex_doubled_letter_only_outside_classes_and_escapes(void **state)
{
    /* None of these hold a literal doubled letter. */
    static const char ok[] = "version: 1\nstandards:\n  - id: a\n    action: label\n    rules:\n"
                             "      - regex: '[ll]x'\n"
                             "      - regex: 'a{2}b'\n"
                             "      - regex: 'l+'\n"
                             "      - regex: 'oo?k'\n"
                             "      - regex: '(?i)bad'\n"
                             "      - regex: '\\x{61}a'\n";
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_buffer(*state, ok, strlen(ok), "ok.yaml", NULL, &p, NULL,
                                            &err),
                     AR_OK);
    assert_int_equal(p->standards[0].nrules, 6);
    ar_policy_free(p);
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards:\n  - id: a\n    action: label\n    rules:\n"
                  "      - regex: '(ki)ll\\s+al'\n",
                  {"inline.yaml", 6, 16,
                   "regex has a doubled letter 'll' that can never match: runs of one letter are "
                   "squeezed to one before matching, so write 'l' (or 'l+')"});
}

/*---- Terms -------------------------------------------------------------------*/

static void test_empty_terms_reported(void **state)
{
    EXPECT_FILE(*state, "empty_terms.yaml", AR_EINVAL,
                {"empty_terms.yaml", 6, 16,
                 "'terms' is empty: give at least one term or leave the key out"},
                {"empty_terms.yaml", 7, 17, "empty term"},
                {"empty_terms.yaml", 8, 21,
                 "terms_file 'only_comments.txt' holds no term: every line is blank or a '#' "
                 "comment"});
}

static void test_long_term_and_control_character_refused(void **state)
{
    char yaml[1024];
    char term[AR_POLICY_MAX_TERM_BYTES + 2];
    memset(term, 'x', sizeof term - 1);
    term[sizeof term - 1] = '\0';
    snprintf(yaml, sizeof yaml,
             "version: 1\nstandards:\n  - id: a\n    action: label\n    rules:\n"
             "      - terms: [%s, \"tab\\there\"]\n",
             term);
    EXPECT_BUFFER(*state, yaml,
                  {"inline.yaml", 6, 17, "term of 257 bytes is over the limit of 256"},
                  {"inline.yaml", 6, 276, "control character U+0009 in term"});
    /* Exactly the limit is fine. */
    term[AR_POLICY_MAX_TERM_BYTES] = '\0';
    snprintf(yaml, sizeof yaml,
             "version: 1\nstandards: [{id: a, action: label, rules: [{terms: [%s]}]}]\n", term);
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_buffer(*state, yaml, strlen(yaml), NULL, NULL, &p, NULL, &err),
                     AR_OK);
    ar_policy_free(p);
}

static void test_missing_terms_file_names_path(void **state)
{
    EXPECT_FILE(*state, "missing_terms_file.yaml", AR_ENOTFOUND,
                {"missing_terms_file.yaml", 6, 21,
                 "terms_file 'lists/nope.txt' not found (no file " DATA "/bad/lists/nope.txt)"});
}

static void test_dotdot_and_absolute_paths_refused(void **state)
{
    EXPECT_FILE(*state, "dotdot.yaml", AR_EINVAL,
                {"dotdot.yaml", 6, 21,
                 "terms_file 'lists/../../good/en.txt' has a '..' part: term files must lie "
                 "inside the policy's folder"},
                {"dotdot.yaml", 7, 21,
                 "terms_file '/etc/passwd' is absolute: give a path relative to the policy's "
                 "folder"});
}

static void test_terms_file_refused_without_base_dir(void **state)
{
    EXPECT_BUFFER(*state,
                  "version: 1\nstandards: [{id: a, action: label, rules: [{terms_file: "
                  "en.txt}]}]\n",
                  {"inline.yaml", 2, 57,
                   "'terms_file' cannot be read: this policy was given without a folder to read "
                   "files from"});
}

static void test_invalid_utf8_in_terms_file_at_its_line_and_column(void **state)
{
    EXPECT_FILE(*state, "bad_utf8_terms.yaml", AR_EINVAL,
                {"bad/bad_utf8.txt", 3, 5,
                 "invalid UTF-8 (byte 0xff) in term: save the file as UTF-8"},
                {"bad/bad_utf8.txt", 5, 1,
                 "invalid UTF-8 (byte 0xc3) in term: save the file as UTF-8"});
}

/*---- Files and limits ----------------------------------------------------------*/

static void test_missing_policy_file_is_not_found(void **state)
{
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, *state);
    assert_int_equal(ar_policy_parse_file(*state, DATA "/bad/no_such.yaml", &p, &d, &err),
                     AR_ENOTFOUND);
    assert_null(p);
    assert_string_equal(err.message, "file '" DATA "/bad/no_such.yaml' not found");
    assert_true(ends_with(err.file, "no_such.yaml"));
    assert_int_equal(d.n, 1);
    ar_diag_list_free(&d);

    /* A folder is not a policy file. */
    assert_int_equal(ar_policy_parse_file(*state, DATA "/bad", &p, NULL, &err), AR_EIO);
    assert_string_equal(err.message, "'" DATA "/bad' is not a regular file");
}

static void test_buffer_over_limit_is_too_big(void **state)
{
    ar_policy *p = NULL;
    ar_error err;
    static const char one[] = "x";
    assert_int_equal(ar_policy_parse_buffer(*state, one, (size_t)AR_POLICY_MAX_FILE_BYTES + 1, "big",
                                            NULL, &p, NULL, &err),
                     AR_ETOOBIG);
    assert_null(p);
}

static void test_null_arguments_refused(void **state)
{
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_buffer(NULL, "", 0, NULL, NULL, &p, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_policy_parse_buffer(*state, NULL, 3, NULL, NULL, &p, NULL, &err),
                     AR_EINVAL);
    assert_int_equal(ar_policy_parse_file(*state, NULL, &p, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_policy_parse_file(*state, "x", NULL, NULL, NULL), AR_EINVAL);
}

static void test_problems_are_capped_with_a_last_note(void **state)
{
    /* 150 bad rules: the list stops at 100 problems, the last says so. */
    char yaml[16384];
    size_t n = (size_t)snprintf(yaml, sizeof yaml,
                                "version: 1\nstandards:\n  - id: a\n    action: label\n    rules:\n");
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "      - match: word\n");
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, *state);
    assert_int_equal(ar_policy_parse_buffer(*state, yaml, n, "many", NULL, &p, &d, &err),
                     AR_EINVAL);
    assert_int_equal(d.n, 100);
    assert_int_equal(d.v[0].line, 6);
    assert_int_equal(d.v[98].line, 104);
    assert_string_equal(d.v[99].message, "too many problems: stopped after 99");
    ar_diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_syntax_error_has_position),
        cmocka_unit_test(test_invalid_utf8_in_policy_reported_per_line),
        cmocka_unit_test(test_nul_and_control_characters_refused_before_yaml),
        cmocka_unit_test(test_second_document_and_alias_refused),
        cmocka_unit_test(test_empty_and_non_mapping_policies_refused),
        cmocka_unit_test(test_unknown_key_named_with_suggestion),
        cmocka_unit_test(test_wrong_types_named),
        cmocka_unit_test(test_duplicate_key_refused),
        cmocka_unit_test(test_version_must_be_one),
        cmocka_unit_test(test_missing_standard_id_reported),
        cmocka_unit_test(test_duplicate_standard_and_rule_ids_reported),
        cmocka_unit_test(test_default_rule_id_clash_reported),
        cmocka_unit_test(test_bad_ids_refused),
        cmocka_unit_test(test_bad_action_named),
        cmocka_unit_test(test_bad_leet_entries_each_reported),
        cmocka_unit_test(test_match_languages_and_regex_checked),
        cmocka_unit_test(test_regex_with_terms_refused),
        cmocka_unit_test(test_regex_doubled_letter_only_outside_classes_and_escapes),
        cmocka_unit_test(test_empty_terms_reported),
        cmocka_unit_test(test_long_term_and_control_character_refused),
        cmocka_unit_test(test_missing_terms_file_names_path),
        cmocka_unit_test(test_dotdot_and_absolute_paths_refused),
        cmocka_unit_test(test_terms_file_refused_without_base_dir),
        cmocka_unit_test(test_invalid_utf8_in_terms_file_at_its_line_and_column),
        cmocka_unit_test(test_missing_policy_file_is_not_found),
        cmocka_unit_test(test_buffer_over_limit_is_too_big),
        cmocka_unit_test(test_null_arguments_refused),
        cmocka_unit_test(test_problems_are_capped_with_a_last_note),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
