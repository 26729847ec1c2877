/* tests/text/test_utf8.c - stage 1 of text.h: ar_text_utf8_valid, and the
 * repair of invalid UTF-8 (one U+FFFD per maximal invalid subpart). */
#include "text_test.h"

#define VALID(s) ar_text_utf8_valid((s), sizeof(s) - 1)

static void test_utf8_valid_accepts_well_formed_text(void **state)
{
    (void)state;
    assert_true(ar_text_utf8_valid(NULL, 0));
    assert_false(ar_text_utf8_valid(NULL, 1));
    assert_true(VALID(""));
    assert_true(VALID("plain ascii, long enough to take the eight-byte path"));
    assert_true(VALID("caf\xC3\xA9 \xD8\xA8\xDB\x81\xD8\xAA \xE6\x97\xA5 \xF0\x9F\x98\x80"));
    assert_true(VALID("\xC2\x80"));             /* U+0080 */
    assert_true(VALID("\xDF\xBF"));             /* U+07FF */
    assert_true(VALID("\xE0\xA0\x80"));         /* U+0800 */
    assert_true(VALID("\xED\x9F\xBF"));         /* U+D7FF */
    assert_true(VALID("\xEE\x80\x80"));         /* U+E000 */
    assert_true(VALID("\xEF\xBF\xBF"));         /* U+FFFF */
    assert_true(VALID("\xF0\x90\x80\x80"));     /* U+10000 */
    assert_true(VALID("\xF4\x8F\xBF\xBF"));     /* U+10FFFF */
    assert_true(ar_text_utf8_valid("a\0b", 3)); /* NUL is a character */
}

static void test_utf8_valid_rejects_overlongs_surrogates_and_beyond(void **state)
{
    (void)state;
    assert_false(VALID("\xC0\xAF")); /* overlong '/' */
    assert_false(VALID("\xC1\xBF"));
    assert_false(VALID("\xE0\x80\xAF")); /* overlong, 3 bytes */
    assert_false(VALID("\xE0\x9F\xBF"));
    assert_false(VALID("\xF0\x80\x80\xAF")); /* overlong, 4 bytes */
    assert_false(VALID("\xF0\x8F\xBF\xBF"));
    assert_false(VALID("\xED\xA0\x80"));     /* U+D800 */
    assert_false(VALID("\xED\xBF\xBF"));     /* U+DFFF */
    assert_false(VALID("\xF4\x90\x80\x80")); /* U+110000 */
    assert_false(VALID("\xF5\x80\x80\x80"));
    assert_false(VALID("\xFF"));
    assert_false(VALID("\x80"));         /* stray continuation */
    assert_false(VALID("abcdefgh\xC3")); /* truncated after the fast path */
    assert_false(VALID("\xE2\x82"));
    assert_false(VALID("\xF0\x9F\x98"));
    assert_false(VALID("\xC3\x28"));
}

/* A leet table that makes U+FFFD visible: each replacement becomes "x". */
static ar_text_norm *fffd_norm(fixture *f)
{
    static const ar_text_leet t[] = {{"\xEF\xBF\xBD", "x"}};
    ar_text_norm *n = NULL;
    ar_error err;
    assert_int_equal(ar_text_norm_new(f->ctx, t, 1, &n, &err), AR_OK);
    return n;
}

/* Number of U+FFFD the repair put between "a" and "b" in s. */
static unsigned fffd_count(fixture *f, ar_text_norm *n, const char *s, size_t len)
{
    assert_string_equal(norm_with(n, &f->out, s, len), " axb ");
    return f->out.run[2];
}

static void test_utf8_repair_replaces_each_maximal_subpart(void **state)
{
    fixture *f = *state;
    ar_text_norm *n = fffd_norm(f);
    assert_int_equal(fffd_count(f, n,
                                "a\xFF"
                                "b",
                                3),
                     1);
    assert_int_equal(f->out.flags, AR_TEXT_REPAIRED);
    assert_int_equal(fffd_count(f, n,
                                "a\xFF\xFE"
                                "b",
                                4),
                     2);
    assert_int_equal(fffd_count(f, n,
                                "a\x80\x80\x80"
                                "b",
                                5),
                     3); /* lone continuations */
    assert_int_equal(fffd_count(f, n,
                                "a\xE2\x82"
                                "b",
                                4),
                     1); /* truncated: one */
    assert_int_equal(fffd_count(f, n,
                                "a\xF0\x9F\x98"
                                "b",
                                5),
                     1);
    assert_int_equal(fffd_count(f, n,
                                "a\xE0\x80\x80"
                                "b",
                                5),
                     3); /* overlong: each byte */
    assert_int_equal(fffd_count(f, n,
                                "a\xED\xA0\x80"
                                "b",
                                5),
                     3); /* surrogate: each byte */
    assert_int_equal(fffd_count(f, n,
                                "a\xF4\x90\x80\x80"
                                "b",
                                6),
                     4); /* > U+10FFFF */
    assert_int_equal(fffd_count(f, n,
                                "a\xC0\xAF"
                                "b",
                                4),
                     2);
    assert_int_equal(fffd_count(f, n,
                                "a\xEF\xBF\xBD"
                                "b",
                                5),
                     1); /* a real U+FFFD */
    assert_int_equal(f->out.flags, 0);
    ar_text_norm_free(n);
}

static void test_utf8_repair_sets_the_flag_only_when_needed(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "caf\xC3\xA9", " cafe ");
    assert_int_equal(f->out.flags, 0);
    ASSERT_NORM(f, "caf\xC3", " caf ");
    assert_int_equal(f->out.flags, AR_TEXT_REPAIRED);
    ASSERT_NORM(f, "\xEF\xBF\xBD", " "); /* U+FFFD itself is valid */
    assert_int_equal(f->out.flags, 0);
}

static void test_utf8_repair_separates_words(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "bad\xFFword", " bad word ");
    ASSERT_NORM(f,
                "\xC3\x28"
                "ok",
                " ok "); /* the ( after a bad lead byte survives */
    ASSERT_NORM(f, "\xFF\xFF\xFF", " ");
    assert_int_equal(f->out.src_end[0], 3);
    /* invalid bytes inside a one-letter chain break it, as symbols do */
    ASSERT_NORM(f, "b \xFF a d", " b a d ");
}

static void test_utf8_output_is_always_valid(void **state)
{
    fixture *f = *state;
    unsigned char buf[64];
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (unsigned char)(seed >> 16);
        }
        norm_with(f->norm, &f->out, (const char *)buf, sizeof buf); /* checks validity */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid_accepts_well_formed_text),
        cmocka_unit_test(test_utf8_valid_rejects_overlongs_surrogates_and_beyond),
        cmocka_unit_test_setup_teardown(test_utf8_repair_replaces_each_maximal_subpart,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_utf8_repair_sets_the_flag_only_when_needed,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_utf8_repair_separates_words, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_utf8_output_is_always_valid, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
