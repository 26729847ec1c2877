/* tests/image/test_pdq_dihedral.c - the 8 dihedral variants, computed from
 * one DCT: bridge-1's variants against the reference CLI's --pdqdih output
 * (exact), and against the hashes of the 8 physically transformed JPEGs
 * (bridge-2..8: ImageMagick -rotate, -flip, -flop, -transpose,
 * -transverse), which re-encoding moves by a few bits: PDQ.md 1.3 measured
 * 0-18 with the reference, and every other pairing is over 100 apart. */
#include "image_test.h"

static const char *const files[AR_PDQ_DIHEDRAL] = {
    "data/reg-test-input/dih/bridge-1-original.jpg", "data/reg-test-input/dih/bridge-2-rotate-90.jpg",
    "data/reg-test-input/dih/bridge-3-rotate-180.jpg", "data/reg-test-input/dih/bridge-4-rotate-270.jpg",
    "data/reg-test-input/dih/bridge-5-flipx.jpg",     "data/reg-test-input/dih/bridge-6-flipy.jpg",
    "data/reg-test-input/dih/bridge-7-flip-plus-1.jpg", "data/reg-test-input/dih/bridge-8-flip-minus-1.jpg",
};

static void variants(ar_ctx *ctx, const char *rel, ar_pdq_mode mode, ar_pdq_hash v[8], int *q)
{
    size_t len;
    unsigned char *data = corpus_read(rel, &len);
    ar_image_opts o = {.mode = mode};
    ar_error err;
    assert_int_equal(ar_image_pdq_dihedral(ctx, data, len, &o, v, q, NULL, &err), AR_OK);
    free(data);
}

/* expected/measured-cpp-cli-dihedral-bridge-1.csv: variant,hash,quality,path. */
static void test_variants_equal_reference_cli(void **state)
{
    ar_pdq_hash v[AR_PDQ_DIHEDRAL];
    int q;
    variants(*state, files[0], AR_PDQ_RESIZE_512, v, &q);
    assert_int_equal(q, 100);
    size_t len;
    char *csv = (char *)corpus_read("expected/measured-cpp-cli-dihedral-bridge-1.csv", &len);
    char *save = NULL, *line = strtok_r(csv, "\n", &save);
    int seen = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char name[32], hex[80];
        assert_int_equal(sscanf(line, "%31[^,],%79[^,],", name, hex), 2);
        int i = 0;
        while (i < AR_PDQ_DIHEDRAL && strcmp(ar_pdq_dihedral_name((ar_pdq_dihedral)i), name))
            i++;
        assert_true(i < AR_PDQ_DIHEDRAL);
        char got[AR_PDQ_HEX_LEN + 1];
        ar_pdq_to_hex(&v[i], got);
        assert_string_equal(got, hex);
        seen |= 1 << i;
    }
    free(csv);
    assert_int_equal(seen, 0xff);
}

static void check_against_transformed(ar_ctx *ctx, ar_pdq_mode mode)
{
    ar_pdq_hash v[AR_PDQ_DIHEDRAL], one;
    int q, q1;
    variants(ctx, files[0], mode, v, &q);
    for (int i = 0; i < AR_PDQ_DIHEDRAL; i++) {
        size_t len;
        unsigned char *data = corpus_read(files[i], &len);
        ar_image_opts o = {.mode = mode};
        ar_error err;
        assert_int_equal(ar_image_pdq(ctx, data, len, &o, &one, &q1, NULL, &err), AR_OK);
        free(data);
        assert_int_equal(q1, q);
        int d = ar_pdq_distance(&v[i], &one);
        if (d > 18)
            fail_msg("%s: %d bits from variant %s", files[i], d,
                     ar_pdq_dihedral_name((ar_pdq_dihedral)i));
        for (int j = 0; j < AR_PDQ_DIHEDRAL; j++)
            if (j != i)
                assert_true(ar_pdq_distance(&v[j], &one) > 100);
    }
    /* Variant 0 is the plain hash. */
    size_t len;
    unsigned char *data = corpus_read(files[0], &len);
    ar_image_opts o = {.mode = mode};
    ar_error err;
    assert_int_equal(ar_image_pdq(ctx, data, len, &o, &one, &q1, NULL, &err), AR_OK);
    free(data);
    assert_memory_equal(&one, &v[0], sizeof one);
}

static void test_variants_match_transformed_files_full_res(void **state)
{
    check_against_transformed(*state, AR_PDQ_FULL_RES);
}

static void test_variants_match_transformed_files_resize512(void **state)
{
    check_against_transformed(*state, AR_PDQ_RESIZE_512);
}

/* On a luminance array whose every transform is exact (a square, hashed
 * with no filtering: 64x64), each variant equals the hash of the array
 * physically transformed. */
static void test_variants_equal_hash_of_transformed_luma(void **state)
{
    float a[64][64], t[64][64];
    srand(7);
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 64; j++)
            a[i][j] = (float)(rand() % 256);
    ar_pdq_hash v[AR_PDQ_DIHEDRAL], h;
    int q, q1;
    ar_error err;
    assert_int_equal(ar_pdq_hash_luma(*state, &a[0][0], 64, 64, true, v, &q, &err), AR_OK);
    for (int n = 0; n < AR_PDQ_DIHEDRAL; n++) {
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++) {
                int si = i, sj = j; /* t[i][j] = a[si][sj] */
                switch (n) {
                case AR_PDQ_ORIGINAL: break;
                case AR_PDQ_ROTATE90: si = j, sj = 63 - i; break; /* counter-clockwise */
                case AR_PDQ_ROTATE180: si = 63 - i, sj = 63 - j; break;
                case AR_PDQ_ROTATE270: si = 63 - j, sj = i; break;
                case AR_PDQ_FLIPX: si = 63 - i; break;
                case AR_PDQ_FLIPY: sj = 63 - j; break;
                case AR_PDQ_FLIPPLUS1: si = j, sj = i; break;
                case AR_PDQ_FLIPMINUS1: si = 63 - j, sj = 63 - i; break;
                }
                t[i][j] = a[si][sj];
            }
        assert_int_equal(ar_pdq_hash_luma(*state, &t[0][0], 64, 64, false, &h, &q1, &err), AR_OK);
        /* Exact up to float rounding in the DCT sums (the sign flips are exact,
         * the summation order is not): a few bits at most. */
        int d = ar_pdq_distance(&h, &v[n]);
        if (d > 4)
            fail_msg("variant %s: %d bits from the transformed array's hash",
                     ar_pdq_dihedral_name((ar_pdq_dihedral)n), d);
        assert_int_equal(q1, q);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variants_equal_reference_cli),
        cmocka_unit_test(test_variants_match_transformed_files_full_res),
        cmocka_unit_test(test_variants_match_transformed_files_resize512),
        cmocka_unit_test(test_variants_equal_hash_of_transformed_luma),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
