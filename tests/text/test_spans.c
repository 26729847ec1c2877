/* tests/text/test_spans.c - the offset map: every output byte points into
 * the input, in order, and a match on the normalised stream maps back to
 * exactly the bytes that were disguised. */
#include "text_test.h"

/* Map the first " word " in out back to the input. */
static void span_of(const ar_text_out *out, const char *word, size_t *s, size_t *e)
{
    const char *p = strstr(out->buf, word);
    assert_non_null(p);
    size_t a = (size_t)(p - out->buf);
    ar_text_span_to_source(out, a, a + strlen(word), s, e);
}

static void assert_maps_to(fixture *f, const char *in, const char *word, const char *disguised)
{
    norm_str(f, in);
    size_t s, e;
    span_of(&f->out, word, &s, &e);
    const char *d = strstr(in, disguised);
    assert_non_null(d);
    assert_int_equal(s, (size_t)(d - in));
    assert_int_equal(e, (size_t)(d - in) + strlen(disguised));
}

static void test_spans_map_disguised_words_exactly(void **state)
{
    fixture *f = *state;
    assert_maps_to(f, "this is so b.a.d really", " bad ", "b.a.d");
    assert_maps_to(f, "this is so baaaaad really", " bad ", "baaaaad");
    assert_maps_to(f, "you are a $h!t person", " shit ", "$h!t");
    assert_maps_to(f, "get fr\xD0\xB5\xD0\xB5 stuff", " fre ", "fr\xD0\xB5\xD0\xB5");
    assert_maps_to(f, "tum k u t t e ho", " kute ", "k u t t e");
    assert_maps_to(f, "bad!", " bad ", "bad");
    assert_maps_to(f, "\xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85!!", " fre ",
                   "\xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85");
    assert_maps_to(f,
                   "caf"
                   "e\xCC\x81"
                   " ok",
                   " cafe ", "cafe\xCC\x81");
}

static void test_spans_map_disguised_words_in_urdu_english_text(void **state)
{
    fixture *f = *state;
    /* "وہ بہت k.u.t.t.a ہے، سچ میں" and a stretched, harakat-laden Urdu word */
    const char *in = "\xD9\x88\xDB\x81 \xD8\xA8\xDB\x81\xD8\xAA k.u.t.t.a "
                     "\xDB\x81\xDB\x92\xD8\x8C \xD8\xB3\xDA\x86 \xD9\x85\xDB\x8C\xDA\xBA";
    assert_maps_to(f, in, " kuta ", "k.u.t.t.a");
    /* بـــہُت: tatweel and a damma inside; the match is بهت */
    const char *in2 = "yeh \xD8\xA8\xD9\x80\xD9\x80\xD9\x80\xDB\x81\xD9\x8F\xD8\xAA bura hai";
    assert_maps_to(f, in2, " \xD8\xA8\xD9\x87\xD8\xAA ",
                   "\xD8\xA8\xD9\x80\xD9\x80\xD9\x80\xDB\x81\xD9\x8F\xD8\xAA");
    /* ZWNJ inside the word stays inside the span */
    const char *in3 = "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xDB\x81\xD9\x85 ok";
    assert_maps_to(f, in3, " \xD9\x85\xD9\x8A\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85 ",
                   "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xDB\x81\xD9\x85");
}

static void test_spans_of_spaces_cover_separators(void **state)
{
    fixture *f = *state;
    ASSERT_NORM(f, "  ab , cd!", " ab cd ");
    /* leading space: the two spaces; middle: " , "; trailing: "!" */
    assert_int_equal(f->out.src_start[0], 0);
    assert_int_equal(f->out.src_end[0], 2);
    assert_int_equal(f->out.src_start[3], 4);
    assert_int_equal(f->out.src_end[3], 7);
    assert_int_equal(f->out.src_start[6], 9);
    assert_int_equal(f->out.src_end[6], 10);
    ASSERT_NORM(f, "ab", " ab "); /* synthetic spaces: empty spans */
    assert_int_equal(f->out.src_start[0], 0);
    assert_int_equal(f->out.src_end[0], 0);
    assert_int_equal(f->out.src_start[3], 2);
    assert_int_equal(f->out.src_end[3], 2);
}

static void test_spans_to_source_skips_edge_spaces_and_clamps(void **state)
{
    fixture *f = *state;
    norm_str(f, "hello big world");
    size_t s = 99, e = 99;
    ar_text_span_to_source(&f->out, 0, f->out.len, &s, &e); /* whole stream */
    assert_int_equal(s, 0);
    assert_int_equal(e, 15);
    ar_text_span_to_source(&f->out, 5, 10, &s, &e); /* " big " */
    assert_int_equal(s, 6);
    assert_int_equal(e, 9);
    ar_text_span_to_source(&f->out, 6, 8, &s, &e); /* "bi" */
    assert_int_equal(s, 6);
    assert_int_equal(e, 8);
    ar_text_span_to_source(&f->out, 3, 1000, &s, &e); /* clamped */
    assert_int_equal(e, 15);
    ar_text_span_to_source(&f->out, 7, 7, &s, &e); /* empty */
    assert_int_equal(s, e);
    ar_text_span_to_source(&f->out, 9, 2, &s, &e); /* reversed */
    assert_int_equal(s, e);
    ar_text_span_to_source(&f->out, 1000, 2000, &s, &e);
    assert_true(s <= 15 && e <= 15 && s <= e);
    ar_text_out empty;
    ar_text_out_init(&empty, f->ctx);
    ar_text_span_to_source(&empty, 0, 5, &s, &e); /* nothing normalised yet */
    assert_int_equal(s, 0);
    assert_int_equal(e, 0);
    ar_text_span_to_source(&f->out, 0, 3, NULL, NULL);
}

static void test_spans_are_monotonic_and_in_bounds_on_varied_text(void **state)
{
    fixture *f = *state;
    static const char *const inputs[] = {
        "Check out this AMAZING offer!!! fr\xD0\xB5\xD0\xB5 m0ney b.a.d d3als",
        ("\xD8\xA2\xD9\xBE \xDA\xA9\xDB\x8C\xD8\xB3\xDB\x92 \xDB\x81\xDB\x8C\xDA\xBA\xD8\x9F "
         "\xD9\x85\xDB\x8C\xDA\xBA \xD9\xB9\xDA\xBE\xDB\x8C\xDA\xA9 "
         "\xDB\x81\xD9\x88\xDA\xBA\xDB\x94"),
        "\xC2\xBD \xE2\x84\x83 \xEF\xB7\xBA x \xEF\xB7\xBA", /* MULTI folds */
        "a \xC2\xBD b \xC2\xBD c",
        "@@@ $$$ !!! ||| +++ ... ___ a.b.c 1.2.3 a1.b2",
        "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 x y z \xE2\x80\x8B\xE2\x80\x8B",
        "\xCC\x81\xCC\x81 a\xCC\x81\xCC\x81 \xD9\x8E",
        "s u c k s s s",
        "a \xC3\x9F c",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        norm_str(f, inputs[i]); /* checks the invariants */
        size_t s, e;
        ar_text_span_to_source(&f->out, 0, f->out.len, &s, &e);
        assert_true(s <= e && e <= strlen(inputs[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spans_map_disguised_words_exactly, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_spans_map_disguised_words_in_urdu_english_text,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_spans_of_spaces_cover_separators, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_spans_to_source_skips_edge_spaces_and_clamps,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_spans_are_monotonic_and_in_bounds_on_varied_text,
                                        fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
