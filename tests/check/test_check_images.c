/* tests/check/test_check_images.c - images in ar_check_item: each of the
 * reference's 8 dihedral copies of one photo matches a bank holding that
 * copy's hash through the variant of the same name; the nearest variant is
 * reported; a low-quality image is flagged in low_quality and never
 * matched; ar_check_image_hash refuses what is not an image, too big or
 * NULL with its output zeroed; too many images are AR_ETOOBIG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/arbiter.h"

#define DIH AR_SOURCE_DIR "/tests/image/corpus/data/reg-test-input/dih/"

static const char *const copies[AR_PDQ_DIHEDRAL] = {
    "bridge-1-original.jpg", "bridge-2-rotate-90.jpg", "bridge-3-rotate-180.jpg",
    "bridge-4-rotate-270.jpg", "bridge-5-flipx.jpg", "bridge-6-flipy.jpg",
    "bridge-7-flip-plus-1.jpg", "bridge-8-flip-minus-1.jpg"};

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    unsigned char *buf = malloc(1u << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1u << 20, fp);
    fclose(fp);
    return buf;
}

static void hash_file(ar_ctx *ctx, const char *path, ar_check_image *img)
{
    size_t n;
    unsigned char *p = slurp(path, &n);
    ar_error err;
    if (ar_check_image_hash(ctx, p, n, img, &err) != AR_OK)
        fail_msg("%s: %s", path, err.message);
    free(p);
}

/* An engine with one bank rule on "known" and a lists snapshot whose bank
 * "known" holds `hex`. */
static void engine_with_bank(ar_ctx *ctx, const char *hex, ar_engine **e, ar_lists **l)
{
    static const char yaml[] = "version: 1\nstandards:\n  - id: csam\n    action: remove\n"
                               "    rules:\n      - id: known-image\n        bank: known\n";
    ar_error err;
    ar_policy *p = NULL;
    if (ar_policy_parse_buffer(ctx, yaml, sizeof yaml - 1, "t.yaml", NULL, &p, NULL, &err) !=
        AR_OK)
        fail_msg("policy: %s", err.message);
    assert_int_equal(ar_engine_compile(ctx, p, e, &err), AR_OK);
    uint32_t idx;
    assert_int_equal(ar_lists_new(ctx, l, &err), AR_OK);
    assert_int_equal(ar_lists_add(*l, "known", AR_LIST_PDQ, &idx, &err), AR_OK);
    assert_int_equal(ar_lists_add_entry(*l, idx, hex, &err), AR_OK);
    ar_lists_freeze(*l);
    assert_int_equal(ar_engine_check_lists(*e, *l, &err), AR_OK);
}

static void test_each_dihedral_copy_matches_through_its_variant(void **state)
{
    (void)state;
    ar_ctx *ctx;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    ar_check_image orig;
    hash_file(ctx, DIH "bridge-1-original.jpg", &orig);
    assert_int_equal(orig.quality, 100);
    ar_check_scratch *s;
    assert_int_equal(ar_check_scratch_new(ctx, &s, &err), AR_OK);
    for (int d = 0; d < AR_PDQ_DIHEDRAL; d++) {
        char path[512], hex[AR_PDQ_HEX_LEN + 1];
        snprintf(path, sizeof path, "%s%s", DIH, copies[d]);
        ar_check_image copy;
        hash_file(ctx, path, &copy);
        ar_pdq_to_hex(&copy.variants[AR_PDQ_ORIGINAL], hex);
        ar_engine *e;
        ar_lists *l;
        engine_with_bank(ctx, hex, &e, &l);
        ar_check_input in = {.images = &orig, .nimages = 1};
        ar_verdict v;
        assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_OK);
        assert_true(v.flagged);
        assert_int_equal(v.nmatches, 1);
        assert_int_equal(v.matches[0].source, AR_VERDICT_IMAGE);
        assert_int_equal(v.matches[0].index, 0);
        assert_int_equal(v.matches[0].variant, d);
        assert_string_equal(v.matches[0].list, "known");
        assert_string_equal(v.matches[0].entry, hex);
        assert_int_equal(v.matches[0].distance,
                         ar_pdq_distance(&orig.variants[d], &copy.variants[AR_PDQ_ORIGINAL]));
        assert_true(v.matches[0].distance <= AR_PDQ_MATCH_DISTANCE);
        assert_int_equal(v.low_quality, 0);
        /* the same hash given as an image hash is matched as given only */
        in = (ar_check_input){.hashes = &orig.variants[AR_PDQ_ORIGINAL], .nhashes = 1};
        assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_OK);
        assert_int_equal(v.flagged, d == AR_PDQ_ORIGINAL);
        ar_lists_release(l);
        ar_engine_release(e);
    }
    ar_check_scratch_free(s);
    ar_ctx_free(ctx);
}

static void test_low_quality_image_is_noted_and_not_matched(void **state)
{
    (void)state;
    ar_ctx *ctx;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    ar_check_image imgs[2];
    hash_file(ctx, DIH "bridge-1-original.jpg", &imgs[0]);
    hash_file(ctx, AR_SOURCE_DIR "/tests/image/data/grey16-interlaced.png", &imgs[1]);
    assert_true(imgs[1].quality < AR_PDQ_MIN_QUALITY);
    char hex[AR_PDQ_HEX_LEN + 1];
    ar_pdq_to_hex(&imgs[1].variants[AR_PDQ_ORIGINAL], hex);
    ar_engine *e;
    ar_lists *l;
    engine_with_bank(ctx, hex, &e, &l);
    ar_check_scratch *s;
    assert_int_equal(ar_check_scratch_new(ctx, &s, &err), AR_OK);
    ar_check_input in = {.images = imgs, .nimages = 2};
    ar_verdict v;
    assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_OK);
    assert_false(v.flagged);
    assert_int_equal(v.low_quality, 1u << 1);
    /* said without lists too */
    assert_int_equal(ar_check_item(e, NULL, s, &in, &v, &err), AR_OK);
    assert_int_equal(v.low_quality, 1u << 1);
    ar_check_image five[AR_CHECK_MAX_IMAGES + 1];
    memset(five, 0, sizeof five);
    in = (ar_check_input){.images = five, .nimages = AR_CHECK_MAX_IMAGES + 1};
    assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_ETOOBIG);
    assert_string_equal(err.field, "images");
    in = (ar_check_input){.images = NULL, .nimages = 1};
    assert_int_equal(ar_check_item(e, l, s, &in, &v, &err), AR_EINVAL);
    ar_check_scratch_free(s);
    ar_lists_release(l);
    ar_engine_release(e);
    ar_ctx_free(ctx);
}

static void test_image_hash_refuses_bad_input_with_output_zeroed(void **state)
{
    (void)state;
    ar_ctx *ctx;
    ar_error err;
    assert_int_equal(ar_ctx_new(NULL, &ctx, &err), AR_OK);
    ar_check_image img, zero;
    memset(&zero, 0, sizeof zero);
    memset(&img, 0x5a, sizeof img);
    assert_int_equal(ar_check_image_hash(ctx, "hello, world", 12, &img, &err), AR_EINVAL);
    assert_memory_equal(&img, &zero, sizeof img);
    memset(&img, 0x5a, sizeof img);
    assert_int_equal(ar_check_image_hash(ctx, NULL, 5, &img, &err), AR_EINVAL);
    assert_memory_equal(&img, &zero, sizeof img);
    assert_int_equal(ar_check_image_hash(ctx, "x", 1, NULL, &err), AR_EINVAL);
    size_t n;
    unsigned char *p = slurp(DIH "bridge-1-original.jpg", &n);
    memset(&img, 0x5a, sizeof img);
    assert_int_equal(ar_check_image_hash(ctx, p, n / 2, &img, &err), AR_EINVAL); /* cut short */
    assert_memory_equal(&img, &zero, sizeof img);
    unsigned char *big = calloc(1, AR_CHECK_IMAGE_MAX_BYTES + 1);
    memcpy(big, p, n);
    assert_int_equal(ar_check_image_hash(ctx, big, AR_CHECK_IMAGE_MAX_BYTES + 1, &img, &err),
                     AR_ETOOBIG);
    free(big);
    free(p);
    ar_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_dihedral_copy_matches_through_its_variant),
        cmocka_unit_test(test_low_quality_image_is_noted_and_not_matched),
        cmocka_unit_test(test_image_hash_refuses_bad_input_with_output_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
