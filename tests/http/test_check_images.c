/* tests/http/test_check_images.c - POST /v1/check and check:batch with
 * image bytes (base64) called without a socket: a rotated or mirrored copy
 * matches its bank entry and names the variant, the verdict gives each
 * image's hash and quality, a low-quality image is said to be skipped and
 * never matches, a recorded case keeps the image index, bank, entry,
 * distance and variant, and every bad image (not base64, not an image,
 * corrupt, too many, a decompression bomb) is a 4xx naming images[i]. */
#include "http_test.h"

#include <sodium.h>

#define ADMIN  AR_TOKEN_ROLE_ADMIN
#define MOD    AR_TOKEN_ROLE_MODERATOR
#define CLIENT AR_TOKEN_ROLE_CLIENT
#define DIH    AR_SOURCE_DIR "/tests/image/corpus/data/reg-test-input/dih/"
#define DATA   AR_SOURCE_DIR "/tests/image/data/"

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

static char *b64(const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    assert_non_null(s);
    sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

static char *b64_file(const char *path)
{
    size_t n;
    unsigned char *p = slurp(path, &n);
    char *s = b64(p, n);
    free(p);
    return s;
}

/* {"images":["<b64 of path>"] ...extra} */
static char *body_with_image(const char *path, const char *extra)
{
    char *s = b64_file(path);
    size_t cap = strlen(s) + strlen(extra) + 64;
    char *body = malloc(cap);
    assert_non_null(body);
    snprintf(body, cap, "{\"images\":[\"%s\"]%s}", s, extra);
    free(s);
    return body;
}

static void expect_error(ht *f, const char *path, const char *body, unsigned status,
                         const char *field)
{
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, path, NULL, NULL, CLIENT, body, &res);
    ht_assert_error(&res, status, status == 413 ? "too_big" : "invalid_argument", field);
    ar_http_res_free(&res);
}

/* A bank "known" holding `hex`, and a policy whose csam standard removes on it. */
static ht *with_bank(const char *hex, unsigned distance)
{
    ht *f = ht_new(NULL);
    char body[256];
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/banks", ADMIN, "{\"name\":\"known\"}", 201));
    snprintf(body, sizeof body, "[\"%s\"]", hex);
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/banks/known/entries", ADMIN, body, 200));
    char yaml[256];
    snprintf(yaml, sizeof yaml,
             "version: 1\nstandards:\n  - id: csam\n    action: review\n    rules:\n"
             "      - id: known-image\n        bank: known\n        distance: %u\n",
             distance);
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/policy", ADMIN, yaml, 200));
    return f;
}

/* arbiter hash of bridge-5-flipx.jpg (the file, mirrored top to bottom) */
#define FLIPX_HEX "f8f80f31e0f417b20e37f5cd028f980fb36ed02a9662c1e233e64c634e9c64dd"
#define ORIG_HEX  "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"

static void test_mirrored_copy_matches_and_names_the_variant(void **state)
{
    (void)state;
    ht *f = with_bank(FLIPX_HEX, 31);
    char *body = body_with_image(DIH "bridge-1-original.jpg", ",\"text\":\"hello\"");
    json_t *v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT, body, 200);
    assert_true(json_is_true(json_object_get(v, "flagged")));
    json_t *m = json_array_get(json_object_get(v, "matches"), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "image")), 0);
    assert_string_equal(json_string_value(json_object_get(m, "list")), "known");
    assert_string_equal(json_string_value(json_object_get(m, "entry")), FLIPX_HEX);
    assert_string_equal(json_string_value(json_object_get(m, "variant")), "flipx");
    assert_true(json_integer_value(json_object_get(m, "distance")) <= 31);
    assert_null(json_object_get(m, "start")); /* not a span of the text */
    json_t *img = json_array_get(json_object_get(v, "images"), 0);
    assert_string_equal(json_string_value(json_object_get(img, "pdq")), ORIG_HEX);
    assert_int_equal(json_integer_value(json_object_get(img, "quality")), 100);
    assert_null(json_object_get(img, "skipped"));
    json_decref(v);
    free(body);
    /* the bank's own image matches as itself, at distance 0 */
    body = body_with_image(DIH "bridge-5-flipx.jpg", "");
    v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT, body, 200);
    m = json_array_get(json_object_get(v, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "variant")), "original");
    assert_int_equal(json_integer_value(json_object_get(m, "distance")), 0);
    json_decref(v);
    free(body);
    /* an unrelated image does not match */
    body = body_with_image(DATA "rgb-130x70.jpg", "");
    v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT, body, 200);
    assert_false(json_is_true(json_object_get(v, "flagged")));
    assert_int_equal(json_array_size(json_object_get(v, "images")), 1);
    json_decref(v);
    free(body);
    ht_free(f);
}

static void test_low_quality_image_is_skipped_not_matched(void **state)
{
    (void)state;
    /* grey16-interlaced.png hashes with quality 17: its own hash is banked */
    ht *f = with_bank("fffef0fcff873f03e0fce0f83f033f03e0f8e0783f033e00e078e0003f01f800", 31);
    char *body = body_with_image(DATA "grey16-interlaced.png", "");
    json_t *v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT, body, 200);
    assert_false(json_is_true(json_object_get(v, "flagged")));
    json_t *img = json_array_get(json_object_get(v, "images"), 0);
    assert_int_equal(json_integer_value(json_object_get(img, "quality")), 17);
    assert_string_equal(json_string_value(json_object_get(img, "skipped")), "low_quality");
    json_decref(v);
    free(body);
    /* the same hash given as image_hashes is the caller's to judge: matched */
    v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT,
                  "{\"image_hashes\":[\"fffef0fcff873f03e0fce0f83f033f03e0f8e0783f033e00e078e0003f"
                  "01f800\"]}",
                  200);
    assert_true(json_is_true(json_object_get(v, "flagged")));
    json_decref(v);
    ht_free(f);
}

static void test_recorded_case_keeps_image_match(void **state)
{
    (void)state;
    ht *f = with_bank(FLIPX_HEX, 31);
    char *img = b64_file(DIH "bridge-1-original.jpg");
    size_t cap = strlen(img) + 256;
    char *body = malloc(cap);
    snprintf(body, cap,
             "{\"items\":[{\"text\":\"fine\"},{\"id\":\"post-9\",\"record\":true,\"text\":\"x\","
             "\"images\":[\"%s\"]}]}",
             img);
    json_t *r = ht_call_json(f, AR_HTTP_POST, "/v1/check:batch", CLIENT, body, 200);
    json_t *second = json_array_get(json_object_get(r, "results"), 1);
    json_int_t case_id = json_integer_value(json_object_get(second, "case"));
    assert_true(case_id > 0);
    json_decref(r);
    char path[64];
    snprintf(path, sizeof path, "/v1/cases/%lld", (long long)case_id);
    json_t *c = ht_call_json(f, AR_HTTP_GET, path, MOD, NULL, 200);
    json_t *d = json_array_get(json_object_get(c, "detail"), 0);
    assert_string_equal(json_string_value(json_object_get(d, "rule")), "known-image");
    assert_int_equal(json_integer_value(json_object_get(d, "image")), 0);
    assert_string_equal(json_string_value(json_object_get(d, "list")), "known");
    assert_string_equal(json_string_value(json_object_get(d, "entry")), FLIPX_HEX);
    assert_string_equal(json_string_value(json_object_get(d, "variant")), "flipx");
    assert_true(json_is_integer(json_object_get(d, "distance")));
    /* the case holds hashes, never the bytes */
    char *dump = json_dumps(c, 0);
    assert_null(strstr(dump, img));
    assert_null(strstr(dump, "/9j/")); /* the base64 of a JPEG's first bytes */
    free(dump);
    json_decref(c);
    free(body);
    free(img);
    ht_free(f);
}

static unsigned char *png_claiming(uint32_t w, uint32_t h, size_t *len)
{
    static unsigned char p[33];
    memcpy(p, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
    for (int i = 0; i < 4; i++) {
        p[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        p[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
    memcpy(p + 24, "\x08\x02\x00\x00\x00", 5);
    uint32_t c = 0xffffffffu;
    for (size_t i = 12; i < 29; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    c ^= 0xffffffffu;
    for (int i = 0; i < 4; i++)
        p[29 + i] = (unsigned char)(c >> (24 - 8 * i));
    *len = 33;
    return p;
}

static void test_bad_images_name_the_field(void **state)
{
    (void)state;
    ht *f = with_bank(FLIPX_HEX, 31);
    char body[512];
    expect_error(f, "/v1/check", "{\"images\":\"abc\"}", 400, "images");
    expect_error(f, "/v1/check", "{\"images\":[1]}", 400, "images[0]");
    expect_error(f, "/v1/check", "{\"images\":[\"\"]}", 400, "images[0]");
    expect_error(f, "/v1/check", "{\"images\":[\"not base64!\"]}", 400, "images[0]");
    expect_error(f, "/v1/check", "{\"images\":[\"aGVsbG8sIHdvcmxk\"]}", 400, "images[0]");
    /* a JPEG cut short */
    size_t n;
    unsigned char *jpg = slurp(DATA "rgb-130x70.jpg", &n);
    char *cut = b64(jpg, n / 2);
    char *big = malloc(strlen(cut) + 64);
    sprintf(big, "{\"images\":[\"%s\"]}", cut);
    expect_error(f, "/v1/check", big, 400, "images[0]");
    free(big);
    free(cut);
    free(jpg);
    /* a header claiming 65000 x 65000: refused before decoding */
    unsigned char *bomb = png_claiming(65000, 65000, &n);
    char *bb = b64(bomb, n);
    snprintf(body, sizeof body, "{\"text\":\"a\",\"images\":[\"%s\"]}", bb);
    expect_error(f, "/v1/check", body, 413, "images[0]");
    snprintf(body, sizeof body, "{\"items\":[{\"text\":\"a\"},{\"images\":[\"%s\",\"%s\"]}]}", "", bb);
    expect_error(f, "/v1/check:batch", body, 400, "items[1].images[0]");
    snprintf(body, sizeof body, "{\"items\":[{\"text\":\"a\"},{\"images\":[\"%s\"]}]}", bb);
    expect_error(f, "/v1/check:batch", body, 413, "items[1].images[0]");
    free(bb);
    expect_error(f, "/v1/check", "{\"images\":[\"YQ==\",\"YQ==\",\"YQ==\",\"YQ==\",\"YQ==\"]}", 413,
                 "images");
    /* over AR_CHECK_IMAGE_MAX_BYTES once decoded */
    size_t huge = AR_CHECK_IMAGE_MAX_BYTES + 3;
    unsigned char *zeros = calloc(1, huge);
    char *zb = b64(zeros, huge);
    char *zbody = malloc(strlen(zb) + 32);
    sprintf(zbody, "{\"images\":[\"%s\"]}", zb);
    expect_error(f, "/v1/check", zbody, 413, "images[0]");
    free(zbody);
    free(zb);
    free(zeros);
    ht_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mirrored_copy_matches_and_names_the_variant),
        cmocka_unit_test(test_low_quality_image_is_skipped_not_matched),
        cmocka_unit_test(test_recorded_case_keeps_image_match),
        cmocka_unit_test(test_bad_images_name_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
