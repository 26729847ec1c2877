/* tests/image/test_pdq_core.c - the PDQ core on luminance arrays: the fast
 * path equals the reference loop order bit for bit at every size class,
 * the small-image rules, input validation, and the hash's text form and
 * distance. */
#include "image_test.h"

/* Pseudo-random luminance with some structure (gradients plus noise), so
 * the hash is not degenerate. */
static void fill(float *a, uint32_t w, uint32_t h, unsigned seed)
{
    srand(seed);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            a[(size_t)y * w + x] =
                (float)((x * 255 / (w ? w : 1) + y * 97 % 131 + (unsigned)(rand() % 64)) % 256);
}

static void compare_paths(uint32_t w, uint32_t h, unsigned seed)
{
    size_t n = (size_t)w * h;
    float *src = malloc(n * sizeof *src), *a = malloc(ar__pdq_scratch_floats(w, h) * sizeof *a),
          *b = malloc(2 * n * sizeof *b);
    assert_true(src && a && b);
    fill(src, w, h, seed);
    for (int dih = 0; dih < 2; dih++) {
        ar_pdq_hash fast[AR_PDQ_DIHEDRAL], ref[AR_PDQ_DIHEDRAL];
        int qf = -1, qr = -2;
        memcpy(b, src, n * sizeof *b);
        ar__pdq_hash_buffers(src, a, w, h, dih, fast, &qf);
        ar__pdq_hash_reference(b, b + n, w, h, dih, ref, &qr);
        if (memcmp(fast, ref, sizeof fast[0] * (dih ? AR_PDQ_DIHEDRAL : 1)) != 0)
            fail_msg("%ux%u (seed %u, dihedral %d): fast path differs from the reference", w, h,
                     seed, dih);
        assert_int_equal(qf, qr);
    }
    free(src);
    free(a);
    free(b);
}

/* Sizes around every branch: under 5 (zero hash), under 64 (up-sampling),
 * exactly 64x64 (no filter), under 128 (window 1; the last pass is not
 * gathered), 128 (gathered), odd and even windows, tall and wide. */
static void test_fast_path_equals_reference(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {
        {5, 5},     {5, 300},  {300, 5},   {34, 42},   {63, 64},   {64, 64},   {64, 65},
        {127, 127}, {128, 80}, {129, 129}, {255, 256}, {256, 257}, {383, 200}, {512, 512},
        {640, 480}, {700, 90}, {90, 700},  {1031, 517},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        compare_paths(sizes[i][0], sizes[i][1], (unsigned)i + 1);
}

/* Under 5 px on a side: all zeros, quality 0 (MIN_HASHABLE_DIM upstream). */
static void test_tiny_images_hash_to_zero(void **state)
{
    float a[4 * 100];
    fill(a, 4, 100, 3);
    ar_pdq_hash h[AR_PDQ_DIHEDRAL], zero;
    memset(&zero, 0, sizeof zero);
    int q = -1;
    ar_error err;
    assert_int_equal(ar_pdq_hash_luma(*state, a, 4, 100, true, h, &q, &err), AR_OK);
    assert_int_equal(q, 0);
    for (int i = 0; i < AR_PDQ_DIHEDRAL; i++)
        assert_memory_equal(&h[i], &zero, sizeof zero);
    assert_int_equal(ar_pdq_hash_luma(*state, a, 100, 4, false, h, &q, &err), AR_OK);
    assert_memory_equal(&h[0], &zero, sizeof zero);
    fill(a, 5, 5, 3);
    assert_int_equal(ar_pdq_hash_luma(*state, a, 5, 5, false, h, &q, &err), AR_OK);
    assert_memory_not_equal(&h[0], &zero, sizeof zero);
}

/* A flat image has quality 0; a busy one 100. */
static void test_quality_extremes(void **state)
{
    static float flat[100 * 100], busy[100 * 100];
    for (int i = 0; i < 100 * 100; i++) {
        flat[i] = 128.0f;
        busy[i] = (float)(((i / 100) / 2 + (i % 100) / 2) % 2 * 255);
    }
    ar_pdq_hash h;
    int q = -1;
    ar_error err;
    assert_int_equal(ar_pdq_hash_luma(*state, flat, 100, 100, false, &h, &q, &err), AR_OK);
    assert_int_equal(q, 0);
    assert_int_equal(ar_pdq_hash_luma(*state, busy, 100, 100, false, &h, &q, &err), AR_OK);
    assert_int_equal(q, 100);
}

/* With distinct coefficients exactly half the bits are set (norm 128). */
static void test_half_the_bits_are_set(void **state)
{
    float *a = malloc(300 * 200 * sizeof *a);
    fill(a, 300, 200, 11);
    ar_pdq_hash h;
    int q;
    ar_error err;
    assert_int_equal(ar_pdq_hash_luma(*state, a, 300, 200, false, &h, &q, &err), AR_OK);
    ar_pdq_hash zero;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(ar_pdq_distance(&h, &zero), 128);
    free(a);
}

static void test_luma_input_is_validated(void **state)
{
    float a[10 * 10] = {0};
    ar_pdq_hash h;
    int q;
    ar_error err;
    a[37] = 1.0f / 0.0f;
    assert_int_equal(ar_pdq_hash_luma(*state, a, 10, 10, false, &h, &q, &err), AR_EINVAL);
    assert_non_null(strstr(err.message, "sample 37"));
    a[37] = 0.0f / 0.0f;
    assert_int_equal(ar_pdq_hash_luma(*state, a, 10, 10, false, &h, &q, &err), AR_EINVAL);
    assert_int_equal(ar_pdq_hash_luma(*state, NULL, 10, 10, false, &h, &q, &err), AR_EINVAL);
    assert_int_equal(ar_pdq_hash_luma(*state, a, 40000, 10, false, &h, &q, &err), AR_ETOOBIG);
    assert_int_equal(ar_pdq_hash_luma(NULL, a, 10, 10, false, &h, &q, &err), AR_EINVAL);
}

/*---- Hex and distance ----*/

static void test_hex_round_trip_and_bit_order(void **state)
{
    (void)state;
    const char *s = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    ar_pdq_hash h;
    ar_error err;
    assert_int_equal(ar_pdq_from_hex(s, strlen(s), &h, &err), AR_OK);
    assert_int_equal(h.b[0], 0xf8);
    assert_int_equal(h.b[31], 0x22);
    char back[AR_PDQ_HEX_LEN + 1];
    ar_pdq_to_hex(&h, back);
    assert_string_equal(back, s);
    /* Bit 0 (DCT row 0, column 0) is the low bit of the last digit. */
    const char *one = "0000000000000000000000000000000000000000000000000000000000000001";
    assert_int_equal(ar_pdq_from_hex(one, 64, &h, &err), AR_OK);
    assert_int_equal(h.b[31], 1);
}

static void test_hex_rejects_bad_input(void **state)
{
    (void)state;
    const char *good = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    char buf[80];
    ar_pdq_hash h;
    ar_error err;
    memset(&h, 0xab, sizeof h);
    assert_int_equal(ar_pdq_from_hex(good, 63, &h, &err), AR_EINVAL);
    assert_non_null(strstr(err.message, "63"));
    assert_string_equal(err.field, "pdq");
    ar_pdq_hash zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&h, &zero, sizeof h); /* cleared on failure */
    assert_int_equal(ar_pdq_from_hex("", 0, &h, &err), AR_EINVAL);
    assert_int_equal(ar_pdq_from_hex(NULL, 64, &h, &err), AR_EINVAL);
    snprintf(buf, sizeof buf, "%s0", good);
    assert_int_equal(ar_pdq_from_hex(buf, 65, &h, &err), AR_EINVAL);
    snprintf(buf, sizeof buf, "%s", good);
    buf[10] = 'F';
    assert_int_equal(ar_pdq_from_hex(buf, 64, &h, &err), AR_EINVAL);
    assert_non_null(strstr(err.message, "character 11"));
    assert_non_null(strstr(err.message, "lowercase"));
    buf[10] = 'g';
    assert_int_equal(ar_pdq_from_hex(buf, 64, &h, &err), AR_EINVAL);
    buf[10] = '\0';
    assert_int_equal(ar_pdq_from_hex(buf, 64, &h, &err), AR_EINVAL);
    buf[10] = ' ';
    assert_int_equal(ar_pdq_from_hex(buf, 64, &h, &err), AR_EINVAL);
}

static void test_distance_is_popcount_of_xor(void **state)
{
    (void)state;
    ar_pdq_hash a, b;
    ar_error err;
    const char *x = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    const char *y = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
    assert_int_equal(ar_pdq_from_hex(x, 64, &a, &err), AR_OK);
    assert_int_equal(ar_pdq_from_hex(y, 64, &b, &err), AR_OK);
    assert_int_equal(ar_pdq_distance(&a, &b), 6); /* PDQ.md: the two families on bridge-1 */
    assert_int_equal(ar_pdq_distance(&a, &a), 0);
    memset(&a, 0, sizeof a);
    memset(&b, 0xff, sizeof b);
    assert_int_equal(ar_pdq_distance(&a, &b), 256);
    b.b[17] = 0xfe;
    assert_int_equal(ar_pdq_distance(&a, &b), 255);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_path_equals_reference),
        cmocka_unit_test(test_tiny_images_hash_to_zero),
        cmocka_unit_test(test_quality_extremes),
        cmocka_unit_test(test_half_the_bits_are_set),
        cmocka_unit_test(test_luma_input_is_validated),
        cmocka_unit_test(test_hex_round_trip_and_bit_order),
        cmocka_unit_test(test_hex_rejects_bad_input),
        cmocka_unit_test(test_distance_is_popcount_of_xor),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
