/*
 * test_allow.c - allow-lists: a match inside an allow match of its group
 * (or of AR_MATCH_GROUP_ALL) is dropped; nothing else is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arbiter/match.h"

/*---- Fixture ------------------------------------------------------------*/

typedef struct fx {
    ar_ctx *ctx;
    ar_text_norm *norm;
    ar_match_db *db;
    ar_match_scratch *s;
    ar_text_out t;
    ar_match_list l;
    ar_error err;
} fx;

#define PAT(k, e, fl, i, g)                                                                        \
    {                                                                                              \
        .expr = (e), .len = sizeof(e) - 1, .kind = (k), .flags = (fl), .id = (i), .group = (g)     \
    }
#define TERM(e, i)   PAT(AR_MATCH_TERM, e, 0, i, 0)
#define SUBSTR(e, i) PAT(AR_MATCH_TERM, e, AR_MATCH_SUBSTRING, i, 0)
#define ALLOW(e, g)  PAT(AR_MATCH_ALLOW, e, 0, 999, g)

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, NULL), AR_OK);
    assert_int_equal(ar_text_norm_new(f->ctx, NULL, 0, &f->norm, NULL), AR_OK);
    ar_text_out_init(&f->t, f->ctx);
    ar_match_list_init(&f->l, f->ctx);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ar_match_list_free(&f->l);
    ar_text_out_free(&f->t);
    ar_match_scratch_free(f->s);
    ar_match_db_free(f->db);
    ar_text_norm_free(f->norm);
    ar_ctx_free(f->ctx);
    free(f);
    return 0;
}

static void compile(fx *f, const ar_match_pattern *p, size_t n)
{
    ar_match_scratch_free(f->s);
    ar_match_db_free(f->db);
    f->s = NULL;
    f->db = NULL;
    ar_status st = ar_match_db_compile(f->ctx, f->norm, p, n, &f->db, &f->err);
    if (st != AR_OK) print_error("compile: %s: %s\n", f->err.field, f->err.message);
    assert_int_equal(st, AR_OK);
    assert_int_equal(ar_match_scratch_new(f->db, &f->s, &f->err), AR_OK);
}

static size_t scan(fx *f, const char *text)
{
    assert_int_equal(ar_text_normalize(f->norm, text, strlen(text), &f->t, &f->err), AR_OK);
    assert_int_equal(ar_match_scan(f->db, f->s, &f->t, &f->l, &f->err), AR_OK);
    return f->l.n;
}

/* Match k has `id` and covers the first occurrence of `sub` in `text`. */
static void assert_span(const fx *f, size_t k, uint32_t id, const char *text, const char *sub)
{
    const char *p = strstr(text, sub);
    assert_non_null(p);
    assert_true(k < f->l.n);
    assert_int_equal(f->l.v[k].id, id);
    assert_int_equal(f->l.v[k].start, (uint32_t)(p - text));
    assert_int_equal(f->l.v[k].end, (uint32_t)(p - text + strlen(sub)));
    /* The normalised span holds no bracketing spaces. */
    assert_true(f->l.v[k].nstart < f->l.v[k].nend);
    assert_int_not_equal(f->t.buf[f->l.v[k].nstart], ' ');
    assert_int_not_equal(f->t.buf[f->l.v[k].nend - 1], ' ');
}

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
