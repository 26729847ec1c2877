/*
 * test_spans.c - spans of disguised matches map back to exactly the bytes of the
 * original input, through the real normaliser; the per-item cap.
 */
#include <stdio.h>

#include "match_test.h"

/*---- Disguises, through the real normaliser ------------------------------*/

static void test_match_leet_span_maps_to_original_bytes(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("free money", 1)};
    compile(f, p, 1);
    const char *text = "Get FR33 M0NEY now";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "FR33 M0NEY");
}

static void test_match_leet_symbols_span(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("shit", 1)};
    compile(f, p, 1);
    const char *text = "oh sh!t, $hit.";
    assert_int_equal(scan(f, text), 2);
    assert_span(f, 0, 1, text, "sh!t");
    assert_span(f, 1, 1, text, "$hit");
}

static void test_match_confusable_span_covers_multibyte_letter(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("bad", 1)};
    compile(f, p, 1);
    const char *text = "so b\xd0\xb0"
                       "d!"; /* Cyrillic а */
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text,
                "b\xd0\xb0"
                "d");
}

static void test_match_fullwidth_span(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("bad", 1)};
    compile(f, p, 1);
    const char *text = "so \xef\xbd\x82\xef\xbd\x81\xef\xbd\x84 ok"; /* ｂａｄ */
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "\xef\xbd\x82\xef\xbd\x81\xef\xbd\x84");
}

static void test_match_joined_separators_span(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("bad", 1)};
    compile(f, p, 1);
    const char *dots = "so b.a.d guy";
    assert_int_equal(scan(f, dots), 1);
    assert_span(f, 0, 1, dots, "b.a.d");
    const char *spaced = "so b a d guy";
    assert_int_equal(scan(f, spaced), 1);
    assert_span(f, 0, 1, spaced, "b a d");
    const char *zw = "so ba\xe2\x80\x8b"
                     "d guy"; /* zero-width space inside */
    assert_int_equal(scan(f, zw), 1);
    assert_span(f, 0, 1, zw,
                "ba\xe2\x80\x8b"
                "d");
}

static void test_match_arabic_variants_and_tatweel_span(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("واجب القتل", 1)};
    compile(f, p, 1);
    /* tatweel inside the first word, Urdu/Farsi yeh-less text around it */
    const char *text = "وہ واجـــب القتل ہے";
    assert_int_equal(scan(f, text), 1);
    assert_span(f, 0, 1, text, "واجـــب القتل");
}

static void test_match_nspan_points_into_stream(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("free money", 1)};
    compile(f, p, 1);
    assert_int_equal(scan(f, "FR33  M0NEY"), 1);
    const ar_match *m = &f->l.v[0];
    /* "free" squeezes to "fre": the stream holds "fre money". */
    assert_int_equal(m->nend - m->nstart, strlen("fre money"));
    assert_memory_equal(f->t.buf + m->nstart, "fre money", m->nend - m->nstart);
}

/*---- The per-item cap ---------------------------------------------------*/

static void test_match_cap_keeps_first_and_counts_dropped(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {TERM("spam", 1)};
    compile(f, p, 1);
    size_t n = AR_MATCH_MAX_PER_ITEM + 476;
    char *text = malloc(n * 5 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 5, "spam ", 5);
    text[n * 5] = '\0';
    assert_int_equal(scan(f, text), AR_MATCH_MAX_PER_ITEM);
    assert_int_equal(f->l.dropped, 476);
    for (size_t i = 0; i < f->l.n; i++) {
        assert_int_equal(f->l.v[i].start, i * 5);
        assert_int_equal(f->l.v[i].end, i * 5 + 4);
    }
    /* The next scan starts from nothing. */
    assert_int_equal(scan(f, "spam"), 1);
    assert_int_equal(f->l.dropped, 0);
    free(text);
}

static void test_match_many_ids_on_one_span_are_capped(void **state)
{
    fx *f = *state;
    size_t n = AR_MATCH_MAX_PER_ITEM + 10;
    ar_match_pattern *p = calloc(n, sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (ar_match_pattern){
            .expr = "spam", .len = 4, .kind = AR_MATCH_TERM, .id = (uint32_t)(n - i)};
    compile(f, p, n);
    assert_int_equal(scan(f, "spam"), AR_MATCH_MAX_PER_ITEM);
    assert_int_equal(f->l.dropped, 10);
    for (size_t i = 0; i < f->l.n; i++)
        assert_int_equal(f->l.v[i].id, i + 1); /* lowest ids first */
    free(p);
}

static void test_match_report_flood_is_bounded_and_counted(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {SUBSTR("ab", 1)};
    compile(f, p, 1);
    size_t n = 1100000; /* past the 1M reports a scan keeps */
    char *text = malloc(n * 3 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 3, "ab ", 3);
    text[n * 3] = '\0';
    assert_int_equal(scan(f, text), AR_MATCH_MAX_PER_ITEM);
    assert_int_equal(f->l.dropped, n - AR_MATCH_MAX_PER_ITEM);
    assert_int_equal(f->l.v[AR_MATCH_MAX_PER_ITEM - 1].start, (AR_MATCH_MAX_PER_ITEM - 1) * 3);
    free(text);
}

/*---- Scans agree with a slow reference -----------------------------------*/

static void test_match_spans_lie_inside_input_for_noisy_text(void **state)
{
    fx *f = *state;
    const ar_match_pattern p[] = {
        TERM("bad", 1),        SUBSTR("ass", 2),
        TERM("free money", 3), PAT(AR_MATCH_REGEX, "b\\w*d", 0, 4, 0),
        SUBSTR("傻逼", 5),     TERM("واجب", 6),
    };
    compile(f, p, 6);
    static const char *const bits[] = {
        "b4d ",     "Ba.A.d ", "ASSS ", "fr33 ", "m0ney ", "傻逼", "واجـب ", "\xe2\x80\x8b",
        "\xd0\xb0", "!!! ",    "\xff",  "  ",    "b a d ", "$",    "@",      "ｂａｄ ",
    };
    char text[512];
    unsigned seed = 12345;
    for (int round = 0; round < 2000; round++) {
        size_t len = 0;
        while (len < 400) {
            seed = seed * 1103515245u + 12345u;
            const char *b = bits[(seed >> 16) % (sizeof bits / sizeof bits[0])];
            size_t bl = strlen(b);
            memcpy(text + len, b, bl);
            len += bl;
        }
        text[len] = '\0';
        assert_int_equal(ar_text_normalize(f->norm, text, len, &f->t, NULL), AR_OK);
        assert_int_equal(ar_match_scan(f->db, f->s, &f->t, &f->l, NULL), AR_OK);
        for (size_t i = 0; i < f->l.n; i++) {
            const ar_match *m = &f->l.v[i];
            assert_true(m->start < m->end);
            assert_true(m->end <= len);
            assert_true(m->nstart < m->nend);
            assert_true(m->nend <= f->t.len);
            if (i) {
                const ar_match *q = &f->l.v[i - 1];
                assert_true(q->start < m->start || (q->start == m->start && q->id <= m->id));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_match_leet_span_maps_to_original_bytes),
        T(test_match_leet_symbols_span),
        T(test_match_confusable_span_covers_multibyte_letter),
        T(test_match_fullwidth_span),
        T(test_match_joined_separators_span),
        T(test_match_arabic_variants_and_tatweel_span),
        T(test_match_nspan_points_into_stream),
        T(test_match_cap_keeps_first_and_counts_dropped),
        T(test_match_many_ids_on_one_span_are_capped),
        T(test_match_report_flood_is_bounded_and_counted),
        T(test_match_spans_lie_inside_input_for_noisy_text),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
