/* tests/check/test_check.c - policy -> engine -> verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "arbiter/arbiter.h"

#define DATA AR_TEST_DATA_DIR

typedef struct fixture {
    ar_ctx *ctx;
    ar_engine *engine;
    ar_check_scratch *scratch;
} fixture;

static int setup(void **state)
{
    static fixture f;
    ar_error err = {0};
    if (ar_ctx_new(NULL, &f.ctx, &err) != AR_OK)
        return -1;
    if (ar_engine_load_file(f.ctx, DATA "/policy.yaml", &f.engine, &err) != AR_OK) {
        fprintf(stderr, "load: %s:%u:%u: %s\n", err.file, err.line, err.column, err.message);
        return -1;
    }
    if (ar_check_scratch_new(f.ctx, &f.scratch, &err) != AR_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar_check_scratch_free(f->scratch);
    ar_engine_release(f->engine);
    ar_ctx_free(f->ctx);
    return 0;
}

static ar_verdict check(fixture *f, const char *text, const char *lang)
{
    ar_verdict v;
    ar_error err = {0};
    assert_int_equal(ar_check_text(f->engine, f->scratch, text, strlen(text), lang, &v, &err),
                     AR_OK);
    return v;
}

static void test_check_clean_text_is_not_flagged(void **state)
{
    ar_verdict v = check(*state, "A quiet walk by the river.", "en");
    assert_false(v.flagged);
    assert_int_equal(v.action, AR_ACTION_NONE);
    assert_int_equal(v.nmatches, 0);
}

static void test_check_reports_standard_rule_and_original_span(void **state)
{
    const char *text = "Win FR33   M0NEY now";
    ar_verdict v = check(*state, text, NULL);
    assert_true(v.flagged);
    assert_int_equal(v.action, AR_ACTION_REVIEW);
    assert_int_equal(v.nmatches, 1);
    assert_string_equal(v.matches[0].standard, "spam");
    assert_string_equal(v.matches[0].rule, "spam.1");
    assert_int_equal(v.matches[0].start, 4);
    assert_int_equal(v.matches[0].end, 16); /* "FR33   M0NEY" */
}

static void test_check_takes_strongest_action(void **state)
{
    ar_verdict v = check(*state, "free money, and kill all of them", NULL);
    assert_int_equal(v.action, AR_ACTION_REMOVE);
    assert_int_equal(v.nmatches, 2);
}

static void test_check_regex_rule_fires_with_its_id(void **state)
{
    ar_verdict v = check(*state, "GUARANT33D RETURNS!!", NULL);
    assert_int_equal(v.nmatches, 1);
    assert_string_equal(v.matches[0].rule, "spam.returns");
}

static void test_check_arabic_script_term_in_urdu_sentence(void **state)
{
    const char *text = "یہ شخص واجــــب القتل ہے";
    ar_verdict v = check(*state, text, "ur");
    assert_int_equal(v.nmatches, 1);
    assert_string_equal(v.matches[0].rule, "incitement.kill");
    /* the span covers the stretched original, tatweel and all */
    assert_memory_equal(text + v.matches[0].start, "واجــــب القتل",
                        strlen("واجــــب القتل"));
    assert_int_equal(v.matches[0].end - v.matches[0].start, strlen("واجــــب القتل"));
}

static void test_check_language_limited_rule(void **state)
{
    assert_int_equal(check(*state, "ye banda wajib ul qatl hai", "roman-ur").nmatches, 1);
    assert_int_equal(check(*state, "ye banda wajib ul qatl hai", "en").nmatches, 0);
    /* an item without a language gets every rule */
    assert_int_equal(check(*state, "ye banda wajib ul qatl hai", NULL).nmatches, 1);
}

static void test_check_allow_lists_protect_words(void **state)
{
    assert_int_equal(check(*state, "a classic trip to Scunthorpe", "en").nmatches, 0);
    ar_verdict v = check(*state, "what an ass", "en");
    assert_int_equal(v.nmatches, 1);
    assert_int_equal(v.action, AR_ACTION_LABEL);
}

static void test_check_rejects_oversized_text(void **state)
{
    fixture *f = *state;
    static char big[AR_TEXT_MAX_BYTES + 2];
    memset(big, 'a', sizeof big - 1);
    ar_verdict v;
    ar_error err = {0};
    assert_int_equal(ar_check_text(f->engine, f->scratch, big, sizeof big - 1, NULL, &v, &err),
                     AR_ETOOBIG);
    assert_string_equal(err.field, "text");
}

static void test_check_invalid_utf8_is_repaired_and_flagged(void **state)
{
    ar_verdict v = check(*state, "free \xff money \xc3", NULL);
    assert_true(v.text_flags & AR_TEXT_REPAIRED);
}

static void test_compile_error_points_at_the_rule(void **state)
{
    fixture *f = *state;
    ar_engine *e = NULL;
    ar_error err = {0};
    assert_int_equal(ar_engine_load_file(f->ctx, DATA "/bad_regex.yaml", &e, &err), AR_EINVAL);
    assert_null(e);
    assert_non_null(strstr(err.file, "bad_regex.yaml"));
    assert_int_equal(err.line, 8);
    assert_true(err.column > 0);
    assert_non_null(strstr(err.message, "spam.2"));
}

/*---- one snapshot, many threads; a swap in the middle -----------------------*/

typedef struct runner {
    ar_engine_slot *slot;
    ar_ctx *ctx;
    int failures;
} runner;

static void *check_loop(void *p)
{
    runner *r = p;
    ar_check_scratch *s = NULL;
    ar_error err;
    if (ar_check_scratch_new(r->ctx, &s, &err) != AR_OK)
        return (void *)1;
    for (int i = 0; i < 2000; i++) {
        ar_engine *e = ar_engine_slot_acquire(r->slot);
        ar_verdict v;
        const char *t = "click here to claim free money";
        if (ar_check_text(e, s, t, strlen(t), "en", &v, &err) != AR_OK || v.nmatches != 2)
            r->failures++;
        ar_engine_release(e);
    }
    ar_check_scratch_free(s);
    return NULL;
}

static void test_checks_run_concurrently_across_a_swap(void **state)
{
    fixture *f = *state;
    ar_engine_slot *slot = NULL;
    ar_error err;
    assert_int_equal(ar_engine_slot_new(f->ctx, ar_engine_retain(f->engine), &slot, &err), AR_OK);
    runner r[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (runner){slot, f->ctx, 0};
        assert_int_equal(pthread_create(&t[i], NULL, check_loop, &r[i]), 0);
    }
    for (int k = 0; k < 5; k++) {
        ar_engine *e = NULL;
        assert_int_equal(ar_engine_load_file(f->ctx, DATA "/policy.yaml", &e, &err), AR_OK);
        ar_engine_slot_swap(slot, e);
    }
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        assert_null(rc);
        assert_int_equal(r[i].failures, 0);
    }
    ar_engine_slot_free(slot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_clean_text_is_not_flagged),
        cmocka_unit_test(test_check_reports_standard_rule_and_original_span),
        cmocka_unit_test(test_check_takes_strongest_action),
        cmocka_unit_test(test_check_regex_rule_fires_with_its_id),
        cmocka_unit_test(test_check_arabic_script_term_in_urdu_sentence),
        cmocka_unit_test(test_check_language_limited_rule),
        cmocka_unit_test(test_check_allow_lists_protect_words),
        cmocka_unit_test(test_check_rejects_oversized_text),
        cmocka_unit_test(test_check_invalid_utf8_is_repaired_and_flagged),
        cmocka_unit_test(test_compile_error_points_at_the_rule),
        cmocka_unit_test(test_checks_run_concurrently_across_a_swap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
