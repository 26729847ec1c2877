/* tests/text/test_normalize.c - the output format and stages 2-5 of
 * text.h: ignorables, NFKC + case folding, marks, confusables; limits,
 * bad arguments, allocation. Arabic script has its own file. */
#include "text_test.h"

static void test_normalize_empty_input_gives_one_space(void **state)
{
    fixture *f = *state;
    assert_string_equal(norm_with(f->norm, &f->out, NULL, 0), " ");
    assert_int_equal(f->out.len, 1);
    assert_int_equal(f->out.src_start[0], 0);
    assert_int_equal(f->out.src_end[0], 0);
    ASSERT_NORM(f, "", " ");
    ASSERT_NORM(f, "   \t\n ", " ");
    assert_int_equal(f->out.src_end[0], 6); /* the space stands for all of it */
    ASSERT_NORM(f, "!?;,", " ");
}

static void test_normalize_brackets_tokens_with_single_spaces(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "hello world", " helo world ");
    ASSERT_NORM(f, "  hello \t\n  world  ", " helo world ");
    ASSERT_NORM(f, "(hello), [world]!", " helo world ");
    ASSERT_NORM(f, "x", " x ");
}

static void test_normalize_lowercases(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "HeLLo WORLD", " helo world ");
    assert_same_norm(
        f, "\xCE\xA3\xCE\x8A\xCE\xA3\xCE\xA5\xCE\xA6\xCE\x9F\xCE\xA3",
        "\xCF\x83\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82"); /* ΣΊΣΥΦΟΣ σίσυφος */
}

static void test_normalize_drops_default_ignorables_inside_words(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f,
                "b\xE2\x80\x8B"
                "ad",
                " bad "); /* ZWSP */
    ASSERT_NORM(f,
                "b\xC2\xAD"
                "ad",
                " bad "); /* soft hyphen */
    ASSERT_NORM(f,
                "\xEF\xBB\xBF"
                "bad",
                " bad "); /* BOM */
    ASSERT_NORM(f,
                "b\xE2\x80\x8D"
                "a\xE2\x80\x8C"
                "d",
                " bad "); /* ZWJ, ZWNJ */
    ASSERT_NORM(f,
                "b\xE2\x80\xAE"
                "ad\xE2\x80\xAC",
                " bad "); /* bidi override, pop */
    ASSERT_NORM(f,
                "ba\xEF\xB8\x8F"
                "d",
                " bad "); /* variation selector 16 */
    ASSERT_NORM(f, "\xE2\x80\x8B", " ");
}

static void test_normalize_applies_nfkc(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "\xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85", " fre "); /* ｆｒｅｅ */
    assert_int_equal(run_at(&f->out, "e"), 2);
    ASSERT_NORM(f, "\xF0\x9D\x90\x9F\xF0\x9D\x90\xAB\xF0\x9D\x90\x9E\xF0\x9D\x90\x9E",
                " fre ");                       /* 𝐟𝐫𝐞𝐞 */
    ASSERT_NORM(f, "\xEF\xAC\x81ne", " fine "); /* ﬁ ligature */
    ASSERT_NORM(f, "\xE2\x93\x95\xE2\x93\xA1\xE2\x93\x94\xE2\x93\x94", " fre "); /* ⓕⓡⓔⓔ */
    ASSERT_NORM(f,
                "STRA\xC3\x9F"
                "E",
                " strase "); /* ß -> ss, squeezed */
    assert_int_equal(run_at(&f->out, "s"), 1);
    assert_int_equal(run_at(&f->out, "se"), 2);
    ASSERT_NORM(f, "\xE2\x84\xA2", " tm "); /* ™ */
    ASSERT_NORM(f,
                "a\xC2\xA0"
                "b"
                "\xE3\x80\x80"
                "cd",
                " a b cd "); /* NBSP, ideographic space */
}

static void test_normalize_strips_accents(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "caf\xC3\xA9", " cafe ");                /* precomposed é */
    ASSERT_NORM(f, "cafe\xCC\x81", " cafe ");               /* e + combining acute */
    assert_int_equal(f->out.src_end[4], 6);                 /* the mark belongs to the e */
    ASSERT_NORM(f, "\xC3\x85NGSTR\xC3\x96M", " angstrom "); /* ÅNGSTRÖM */
    ASSERT_NORM(f, "na\xC3\xAFve se\xC3\xB1or", " naive senor ");
}

static void test_normalize_folds_cyrillic_lookalikes(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "fr\xD0\xB5\xD0\xB5", " fre "); /* Cyrillic е */
    assert_int_equal(run_at(&f->out, "e"), 2);
    ASSERT_NORM(f, "c\xD0\xB0sh", " cash ");                          /* Cyrillic а */
    ASSERT_NORM(f, "\xD0\xA0\xD0\x90Y\xD0\xA0\xD0\x90L", " paypal "); /* РАYРАL */
}

static void test_normalize_folds_greek_lookalikes(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "\xCE\xBF\xCE\xBD", " ov ");   /* Greek omicron, nu */
    assert_same_norm(f, "hell\xCE\xBF", "hello"); /* Greek omicron */
    ASSERT_NORM(f, "sc\xCE\xB1m", " scam ");      /* Greek alpha */
}

static void test_normalize_keeps_letters_without_lookalikes(void **state)
{
    fixture *f = *state;
    /* ш, д have no Latin lookalike: the word stays Cyrillic where it must. */
    ASSERT_NORM(f, "\xD1\x88\xD0\xB4", " \xD1\x88\xD0\xB4 ");
}

static void test_normalize_keeps_nospace_scripts(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
                " \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E "); /* 日本語 */
    /* Not squeezed, not made Latin: "哈哈哈" stays. */
    ASSERT_NORM(f, "\xE5\x93\x88\xE5\x93\x88\xE5\x93\x88",
                " \xE5\x93\x88\xE5\x93\x88\xE5\x93\x88 ");
    /* Thai keeps its vowel marks. */
    ASSERT_NORM(f, "\xE0\xB8\x94\xE0\xB9\x89", " \xE0\xB8\x94\xE0\xB9\x89 ");
}

static void test_normalize_treats_symbols_and_emoji_as_separators(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "hello\xF0\x9F\x98\x80world", " helo world ");
    ASSERT_NORM(f, "a=b", " a b ");
    ASSERT_NORM(f, "\xC2\xBD", " 1 2 "); /* ½ is 1⁄2, and the fraction slash separates */
}

static void test_normalize_keeps_plain_digits(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "call 2222 now", " cal 2222 now "); /* digits are never squeezed */
    ASSERT_NORM(f, "3.14", " 3 14 ");
}

static void test_normalize_rejects_over_max_bytes(void **state)
{
    fixture *f = *state;
    size_t n = (size_t)AR_TEXT_MAX_BYTES + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    ar_error err;
    ASSERT_NORM(f, "abc", " abc ");
    assert_int_equal(ar_text_normalize(f->norm, big, n, &f->out, &err), AR_ETOOBIG);
    assert_int_equal(err.status, AR_ETOOBIG);
    assert_int_equal(f->out.len, 0); /* no half result */
    assert_string_equal(f->out.buf, "");
    /* At the limit it works: one letter, squeezed. */
    assert_int_equal(ar_text_normalize(f->norm, big, n - 1, &f->out, &err), AR_OK);
    assert_string_equal(f->out.buf, " a ");
    assert_int_equal(f->out.run[1], 65535); /* capped */
    assert_int_equal(f->out.src_end[1], n - 1);
    free(big);
}

static void test_normalize_rejects_null_arguments(void **state)
{
    fixture *f = *state;
    ar_error err;
    assert_int_equal(ar_text_normalize(NULL, "a", 1, &f->out, &err), AR_EINVAL);
    assert_int_equal(ar_text_normalize(f->norm, "a", 1, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_text_normalize(f->norm, NULL, 1, &f->out, &err), AR_EINVAL);
    assert_int_equal(ar_text_norm_new(f->ctx, NULL, 0, NULL, &err), AR_EINVAL);
    ar_text_norm *n = (ar_text_norm *)1;
    assert_int_equal(ar_text_norm_new(NULL, NULL, 0, &n, &err), AR_EINVAL);
    assert_null(n);
    ar_text_norm_free(NULL);
    ar_text_out_free(NULL);
}

static void test_normalize_reuses_out_without_allocating(void **state)
{
    fixture *f = *state;
    const char *post = "Check out this AMAZING offer!!! fr\xD0\xB5\xD0\xB5 m0ney, "
                       "b.a.d d3als, visit now \xF0\x9F\x98\x80 and tell your friends";
    norm_str(f, post);
    size_t before = f->count.allocs;
    for (int i = 0; i < 100; i++)
        norm_str(f, post);
    assert_int_equal(f->count.allocs, before);
}

static void test_normalize_fails_cleanly_when_allocation_fails(void **state)
{
    fixture *f = *state;
    ar_text_out out;
    ar_text_out_init(&out, f->ctx);
    ar_error err;
    /* Fail each allocation in turn until a run gets through. */
    for (long n = 0;; n++) {
        f->count.fail_after = n;
        ar_status rc = ar_text_normalize(f->norm, "hello world", 11, &out, &err);
        f->count.fail_after = -1;
        if (rc == AR_OK) break;
        assert_int_equal(rc, AR_ENOMEM);
        assert_int_equal(out.len, 0);
        assert_true(n < 10);
    }
    assert_string_equal(out.buf, " helo world ");
    ar_text_out_free(&out);

    for (long n = 0;; n++) {
        ar_text_norm *norm = NULL;
        f->count.fail_after = n;
        ar_status rc = ar_text_norm_new(f->ctx, NULL, 0, &norm, &err);
        f->count.fail_after = -1;
        if (rc == AR_OK) {
            ar_text_norm_free(norm);
            break;
        }
        assert_int_equal(rc, AR_ENOMEM);
        assert_null(norm);
        assert_true(n < 10);
    }
}

static void test_normalize_grows_for_long_and_expanding_input(void **state)
{
    fixture *f = *state;
    /* U+FDFA is 3 bytes in, 33 out: one in every 8 words makes the buffers
     * grow mid-pass while the whole stays under the 4x limit. */
    size_t reps = 5000, n = 0;
    char *s = malloc(reps * 8);
    assert_non_null(s);
    for (size_t i = 0; i < reps; i++) {
        const char *w = i % 8 == 0 ? "\xEF\xB7\xBA " : "words ";
        memcpy(s + n, w, strlen(w));
        n += strlen(w);
    }
    norm_with(f->norm, &f->out, s, n);
    assert_true(f->out.len > n);
    free(s);
}

static void test_normalize_refuses_runaway_expansion(void **state)
{
    fixture *f = *state;
    /* a text made only of U+FDFA would grow 11x: refused, not allocated */
    size_t reps = 5000, n = reps * 4;
    char *s = malloc(n);
    assert_non_null(s);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + 4 * i, "\xEF\xB7\xBA ", 4);
    ar_error err;
    assert_int_equal(ar_text_normalize(f->norm, s, n, &f->out, &err), AR_ETOOBIG);
    assert_string_equal(err.field, "text");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_normalize_empty_input_gives_one_space, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_brackets_tokens_with_single_spaces,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_lowercases, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_drops_default_ignorables_inside_words,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_applies_nfkc, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_strips_accents, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_folds_cyrillic_lookalikes, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_folds_greek_lookalikes, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_keeps_letters_without_lookalikes,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_keeps_nospace_scripts, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_treats_symbols_and_emoji_as_separators,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_keeps_plain_digits, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_rejects_over_max_bytes, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_rejects_null_arguments, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_reuses_out_without_allocating, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_fails_cleanly_when_allocation_fails,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_refuses_runaway_expansion, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_normalize_grows_for_long_and_expanding_input,
                                        fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
