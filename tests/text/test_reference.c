/* tests/text/test_reference.c - the hot path (whole runs of letters and the
 * step between words, without units) gives byte for byte what the general
 * loop alone gives, on mixed text and on random bytes. */
#include "text_test.h"

#include "text/text_int.h"

static void assert_same_as_reference(fixture *f, const ar_text_norm *norm, const char *s, size_t n)
{
    ar_text_out ref;
    ar_text_out_init(&ref, f->ctx);
    ar_error err;
    norm_with(norm, &f->out, s, n);
    assert_int_equal(ar__text_normalize_reference(norm, s, n, &ref, &err), AR_OK);
    assert_int_equal(ref.len, f->out.len);
    assert_int_equal(ref.flags, f->out.flags);
    assert_memory_equal(ref.buf, f->out.buf, ref.len + 1);
    assert_memory_equal(ref.src_start, f->out.src_start, ref.len * sizeof *ref.src_start);
    assert_memory_equal(ref.src_end, f->out.src_end, ref.len * sizeof *ref.src_end);
    assert_memory_equal(ref.run, f->out.run, ref.len * sizeof *ref.run);
    ar_text_out_free(&ref);
}

static const char *const samples[] = {
    "Check out this AMAZING offer!!! fr\xD0\xB5\xD0\xB5 m0ney b.a.d d3als @user $hit sh!t",
    "I am a boy. s u c k s, b a d; wait\xE2\x80\xA6what don\xE2\x80\x99t e.g. b. a x-ray",
    "\xD9\x88\xDB\x81 \xD8\xA8\xDB\x81\xD8\xAA k.u.t.t.a \xDB\x81\xDB\x92\xD8\x8C \xD9\x85\xD9\x80"
    "\xD9\x80\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7"
    "\xDB\x81\xD9\x85 \xDB\xB5\xD9\xA5 \xD8\xA8 \xDB\x81 \xD8\xAA\xD8\x9F \xDB\x94 ok",
    "caf\x65\xCC\x81 \xEF\xBD\x86\xEF\xBD\x92\xEF\xBD\x85\xEF\xBD\x85 \xC3\x9F\xC3\x9F \xE2\x84\xA2"
    " \xC2\xBD \xEF\xB7\xBA \xE6\x97\xA5\xE6\x9C\xAC \xE0\xB8\x94\xE0\xB9\x89 \xF0\x9F\x98\x80",
    "aaaa\xCC\x81\xCC\x81"
    "aa bb, b,b. b.b -b- 'b' `b` ~b~ |b| +b+ *b* _b_",
    "a\xFF"
    "b \xE0\x80 c\xED\xA0\x80"
    "d \xC3",
    "\xE2\x80\x8B"
    "a\xE2\x80\x8B"
    "b\xE2\x80\x8B \xE2\x80\x8B c",
    "x\xEF\xBC\x81y \xEF\xBC\x8C z\xEF\xBC\x8E"
    "w",
};

static void test_reference_agrees_on_mixed_text(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        assert_same_as_reference(f, f->norm, samples[i], strlen(samples[i]));
}

static void test_reference_agrees_with_other_leet_tables(void **state)
{
    fixture *f = *state;
    const ar_text_leet t[] = {{"x", "ks"}, {"\xD0\xB6", "zh"}, {"\xD8\x8C", "c"}, {"4", "a"}};
    ar_text_norm *custom = NULL, *off = NULL;
    ar_error err;
    assert_int_equal(ar_text_norm_new(f->ctx, t, 4, &custom, &err), AR_OK);
    assert_int_equal(ar_text_norm_new(f->ctx, t, 0, &off, &err), AR_OK);
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        assert_same_as_reference(f, custom, samples[i], strlen(samples[i]));
        assert_same_as_reference(f, off, samples[i], strlen(samples[i]));
    }
    assert_string_equal(norm_with(custom, &f->out, "xXx\xEF\xBD\x98", 6), " ksksksks ");
    ar_text_norm_free(custom);
    ar_text_norm_free(off);
}

static void test_reference_agrees_on_random_pieces(void **state)
{
    fixture *f = *state;
    static const char *const pieces[] = {
        "a",
        "b",
        "A",
        "e",
        "\xD0\xB5",
        "\xD8\xA8",
        "\xDB\x81",
        "\xD9\x8E",
        "\xD9\x80",
        "\xE2\x80\x8C",
        " ",
        "  ",
        ",",
        ".",
        "-",
        "'",
        "!",
        "@",
        "$",
        "4",
        "0",
        "7",
        "\xC2\xBD",
        "\xEF\xB7\xBA",
        "\xF0\x9F\x98\x80",
        "\xFF",
        "\xE0\x80",
        "\xCC\x81",
        "\xE6\x97\xA5",
        "\xEF\xBD\x86",
        "\xD8\x8C",
        "\xDB\x94",
        "\xE2\x80\xA6",
        "\xC3\x9F",
        "\n",
        "_",
        "|",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    char buf[256];
    unsigned seed = 7;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        while (n < sizeof buf - 8) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 20 == 0) break;
            const char *p = pieces[(seed >> 8) % np];
            memcpy(buf + n, p, strlen(p));
            n += strlen(p);
        }
        assert_same_as_reference(f, f->norm, buf, n);
    }
}

/* Pieces for the hot path's own steps: blocks of 16 letters and more,
 * repeats inside and across blocks, one space between words (ASCII and
 * two-byte), symbols that are no leet key, leet symbols before a separator
 * or a letter, mentions, tokens of digits alone. */
static const char *const hot_pieces[] = {
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "Mississippi",
    "bookkeeper",
    "x",
    "X",
    "word",
    " ",
    " ",
    " ",
    "  ",
    ", ",
    ". ",
    "!",
    "! ",
    "!!",
    "@",
    "@ ",
    "#",
    "%",
    "$",
    "|",
    "+",
    ".",
    "'",
    "4",
    "26",
    "2024 ",
    "7:20",
    "31%",
    "1.5",
    "\n",
    "\xD8\xA8\xD8\xA8\xD8\xA8",
    "\xDA\xA9\xDB\x92 ",
    "\xD8\xB3\xD9\x88\xDB\x8C\xD8\xA7",
    "\xD0\xB6",
    "\xD8\x8C",
    "\xD9\x80",
    "\xD9\x8E",
    "\xC3\xA9",
    "\xC4\xB3",
    "\xF0\x9F\x98\x80",
    "\xF0\x9F\x98\x80 ",
    "\xEF\xBC\x81",
    "\xEF\xB7\xBA",
    "\xE2\x80\x8B",
    "\xE2\x80\x99",
    "\xFF",
};

static void random_hot_text(unsigned *seed, char *buf, size_t cap, size_t *n)
{
    const size_t np = sizeof hot_pieces / sizeof hot_pieces[0];
    *n = 0;
    for (;;) {
        *seed = *seed * 1103515245u + 12345u;
        if ((*seed >> 16) % 40 == 0) break;
        const char *p = hot_pieces[(*seed >> 8) % np];
        size_t pl = strlen(p);
        if (*n + pl > cap) break;
        memcpy(buf + *n, p, pl);
        *n += pl;
    }
}

static void test_reference_agrees_on_hot_path_pieces(void **state)
{
    fixture *f = *state;
    /* "x" a leet key: the letters are no longer exactly A-Z and a-z. */
    const ar_text_leet t[] = {{"x", "ks"}, {"\xD0\xB6", "zh"}, {"@", "at"}, {"|", "l"}};
    ar_text_norm *custom = NULL, *ascii_only = NULL, *off = NULL;
    ar_error err;
    assert_int_equal(ar_text_norm_new(f->ctx, t, 4, &custom, &err), AR_OK);
    assert_int_equal(ar_text_norm_new(f->ctx, t + 2, 2, &ascii_only, &err), AR_OK);
    assert_int_equal(ar_text_norm_new(f->ctx, t, 0, &off, &err), AR_OK);
    const ar_text_norm *norms[] = {f->norm, custom, ascii_only, off};
    static char buf[4096];
    unsigned seed = 11;
    for (int round = 0; round < 2000; round++) {
        size_t n;
        random_hot_text(&seed, buf, sizeof buf, &n);
        for (size_t k = 0; k < sizeof norms / sizeof norms[0]; k++) {
            assert_same_as_reference(f, norms[k], buf, n);
            /* Every cut, near the end, where the hot path goes byte by byte. */
            for (size_t cut = 1; cut <= 17 && cut <= n; cut++)
                assert_same_as_reference(f, norms[k], buf, n - cut);
        }
    }
    ar_text_norm_free(custom);
    ar_text_norm_free(ascii_only);
    ar_text_norm_free(off);
}

/* One long text: the output buffer grows while the hot path runs. */
static void test_reference_agrees_on_long_text(void **state)
{
    fixture *f = *state;
    size_t cap = 200000, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    unsigned seed = 5;
    while (n < cap - 64) {
        size_t m;
        random_hot_text(&seed, buf + n, cap - n, &m);
        n += m;
    }
    assert_same_as_reference(f, f->norm, buf, n);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reference_agrees_on_mixed_text, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reference_agrees_with_other_leet_tables, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reference_agrees_on_random_pieces, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reference_agrees_on_hot_path_pieces, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reference_agrees_on_long_text, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
