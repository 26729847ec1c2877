/* tests/policy/test_terms_file.c - term files: what a line holds, where each
 * term comes from, and the digest over every file read. Writes its own
 * files in a fresh folder under $TMPDIR (never in the source tree). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arbiter/policy.h"

typedef struct fixture {
    ar_ctx *ctx;
    char dir[256];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    ar_error err;
    if (!f || ar_ctx_new(NULL, &f->ctx, &err) != AR_OK)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/arbiter-policy-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static void path_in(const fixture *f, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", f->dir, name);
}

static void write_file(const fixture *f, const char *name, const char *data, size_t len)
{
    char path[512];
    path_in(f, name, path, sizeof path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void write_str(const fixture *f, const char *name, const char *s)
{
    write_file(f, name, s, strlen(s));
}

static int teardown(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {"policy.yaml", "terms.txt", "sub/deep.txt", "sub",
                                        "allow.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        path_in(f, names[i], path, sizeof path);
        if (unlink(path) != 0)
            rmdir(path);
    }
    rmdir(f->dir);
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

static ar_policy *parse_policy(const fixture *f)
{
    char path[512];
    path_in(f, "policy.yaml", path, sizeof path);
    ar_policy *p = NULL;
    ar_error err;
    ar_status s = ar_policy_parse_file(f->ctx, path, &p, NULL, &err);
    if (s != AR_OK)
        fail_msg("%s:%u:%u: %s", err.file, err.line, err.column, err.message);
    return p;
}

static const char policy_yaml[] = "version: 1\n"
                                  "standards:\n"
                                  "  - id: s\n"
                                  "    action: review\n"
                                  "    allow_file: allow.txt\n"
                                  "    rules:\n"
                                  "      - terms_file: terms.txt\n"
                                  "      - terms_file: sub/deep.txt\n";

static void write_policy(const fixture *f)
{
    char path[512];
    path_in(f, "sub", path, sizeof path);
    mkdir(path, 0700);
    write_str(f, "policy.yaml", policy_yaml);
    write_str(f, "allow.txt", "scunthorpe\n");
    write_str(f, "sub/deep.txt", "deep term");
}

static void test_lines_trimmed_comments_and_blanks_skipped(void **state)
{
    fixture *f = *state;
    write_policy(f);
    /* BOM, a comment, an indented comment, blanks, CRLF, tabs, no final newline. */
    write_str(f, "terms.txt", "\xEF\xBB\xBF# header\r\n"
                              "first\r\n"
                              "\r\n"
                              "   # indented comment\n"
                              "\t second term \t\r\n"
                              "#not a term\n"
                              "last");
    ar_policy *p = parse_policy(f);
    const ar_policy_rule *r = &p->standards[0].rules[0];
    assert_int_equal(r->nterms, 3);
    assert_string_equal(r->terms[0].text, "first");
    assert_int_equal(r->terms[0].pos.line, 2);
    assert_int_equal(r->terms[0].pos.column, 1);
    assert_string_equal(r->terms[1].text, "second term");
    assert_int_equal(r->terms[1].pos.line, 5);
    assert_int_equal(r->terms[1].pos.column, 3);
    assert_string_equal(r->terms[2].text, "last");
    assert_int_equal(r->terms[2].pos.line, 7);
    char want[512];
    path_in(f, "terms.txt", want, sizeof want);
    assert_string_equal(r->terms[0].pos.file, want);

    /* A file in a subfolder, and the allow-list file. */
    r = &p->standards[0].rules[1];
    assert_int_equal(r->nterms, 1);
    assert_string_equal(r->terms[0].text, "deep term");
    path_in(f, "sub/deep.txt", want, sizeof want);
    assert_string_equal(r->terms[0].pos.file, want);
    assert_int_equal(p->standards[0].nallow, 1);
    assert_string_equal(p->standards[0].allow[0].text, "scunthorpe");
    ar_policy_free(p);
}

static void test_digest_changes_when_a_term_file_changes(void **state)
{
    fixture *f = *state;
    write_policy(f);
    write_str(f, "terms.txt", "alpha\nbeta\n");
    ar_policy *p1 = parse_policy(f);
    ar_policy *p2 = parse_policy(f);
    assert_string_equal(p1->digest, p2->digest); /* same files, same digest */

    write_str(f, "terms.txt", "alpha\nbetb\n");
    ar_policy *p3 = parse_policy(f);
    assert_string_not_equal(p1->digest, p3->digest);

    /* A comment is part of the file too. */
    write_str(f, "terms.txt", "alpha\nbeta\n# note\n");
    ar_policy *p4 = parse_policy(f);
    assert_string_not_equal(p1->digest, p4->digest);

    /* So is the allow file. */
    write_str(f, "terms.txt", "alpha\nbeta\n");
    write_str(f, "allow.txt", "scunthorpe\nclassic\n");
    ar_policy *p5 = parse_policy(f);
    assert_string_not_equal(p1->digest, p5->digest);

    /* Moving a line from one file to the next changes it as well, though
     * the bytes read, end to end, are the same. */
    write_str(f, "allow.txt", "scunthorpe\n");
    write_str(f, "terms.txt", "alpha\n");
    write_str(f, "sub/deep.txt", "beta\ndeep term");
    ar_policy *p6 = parse_policy(f);
    assert_string_not_equal(p1->digest, p6->digest);
    ar_policy_free(p6);

    ar_policy_free(p1);
    ar_policy_free(p2);
    ar_policy_free(p3);
    ar_policy_free(p4);
    ar_policy_free(p5);
}

static void test_folder_named_as_terms_file_is_io_error(void **state)
{
    fixture *f = *state;
    write_policy(f);
    write_str(f, "terms.txt", "x\n");
    write_str(f, "policy.yaml", "version: 1\nstandards: [{id: s, action: label, rules: "
                                "[{terms_file: sub}]}]\n");
    char path[512];
    path_in(f, "policy.yaml", path, sizeof path);
    ar_policy *p = NULL;
    ar_error err;
    assert_int_equal(ar_policy_parse_file(f->ctx, path, &p, NULL, &err), AR_EIO);
    char want[700];
    snprintf(want, sizeof want, "terms_file 'sub': '%s/sub' is not a regular file", f->dir);
    assert_string_equal(err.message, want);
    assert_int_equal(err.line, 2);
}

static void test_term_file_errors_keep_going_and_positions_in_code_points(void **state)
{
    fixture *f = *state;
    write_policy(f);
    char line2[AR_POLICY_MAX_TERM_BYTES + 8];
    memset(line2, 'y', AR_POLICY_MAX_TERM_BYTES + 1);
    line2[AR_POLICY_MAX_TERM_BYTES + 1] = '\0';
    char data[1024];
    /* "é" is one column though two bytes; a NUL is a control character. */
    int n = snprintf(data, sizeof data, "ok\n%s\n\xC3\xA9\xC3\xA9 bad\x01 x\nfine\n", line2);
    write_file(f, "terms.txt", data, (size_t)n);
    char path[512];
    path_in(f, "policy.yaml", path, sizeof path);
    ar_policy *p = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, f->ctx);
    assert_int_equal(ar_policy_parse_file(f->ctx, path, &p, &d, &err), AR_EINVAL);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.v[0].line, 2);
    assert_int_equal(d.v[0].column, 1);
    assert_string_equal(d.v[0].message, "term of 257 bytes is over the limit of 256");
    assert_int_equal(d.v[1].line, 3);
    assert_int_equal(d.v[1].column, 7);
    assert_string_equal(d.v[1].message, "control character U+0001 in term");
    ar_diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lines_trimmed_comments_and_blanks_skipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_digest_changes_when_a_term_file_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_folder_named_as_terms_file_is_io_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_term_file_errors_keep_going_and_positions_in_code_points, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
