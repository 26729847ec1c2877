/* tests/image/test_image_errors.c - bad input gets a clear ar_error, never
 * a crash: empty, unknown formats, truncated and corrupt files of each
 * format, headers that claim huge sizes (refused before any pixel buffer:
 * an allocator here records the largest request), the caller's limits, and
 * out of memory at every allocation. */
#include "image_test.h"

#include "fail_alloc.h"

#define BRIDGE "data/reg-test-input/dih/bridge-1-original.jpg"

static ar_status try_hash(ar_ctx *ctx, const void *data, size_t len, const ar_image_opts *o,
                          ar_error *err)
{
    ar_pdq_hash h;
    memset(&h, 0x5a, sizeof h);
    int q = 77;
    ar_status st = ar_image_pdq(ctx, data, len, o, &h, &q, NULL, err);
    if (st != AR_OK) { /* nothing half-made escapes */
        ar_pdq_hash zero;
        memset(&zero, 0, sizeof zero);
        assert_memory_equal(&h, &zero, sizeof h);
        assert_int_equal(q, 0);
        assert_true(err->message[0] != '\0');
    }
    return st;
}

static void test_empty_and_unknown_input(void **state)
{
    ar_error err;
    assert_int_equal(try_hash(*state, NULL, 0, NULL, &err), AR_EINVAL);
    assert_string_equal(err.message, "image is empty");
    assert_int_equal(try_hash(*state, "", 0, NULL, &err), AR_EINVAL);
    static const char *const junk[] = {"GIF89a\x01\x00\x01\x00", "BM\x36\x00\x00\x00",
                                       "hello, world", "\xFF\xD8", "\x89PNG\r\n\x1a",
                                       "RIFF\x10\x00\x00\x00WEBX"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        assert_int_equal(try_hash(*state, junk[i], strlen(junk[i]), NULL, &err), AR_EINVAL);
        assert_non_null(strstr(err.message, "not a JPEG, PNG or WebP"));
        assert_string_equal(err.field, "image");
    }
    ar_pdq_hash h;
    int q;
    assert_int_equal(ar_image_pdq(NULL, "x", 1, NULL, &h, &q, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_image_pdq(*state, "x", 1, NULL, NULL, &q, NULL, &err), AR_EINVAL);
    ar_image_opts bad = {.mode = (ar_pdq_mode)9};
    assert_int_equal(try_hash(*state, "x", 1, &bad, &err), AR_EINVAL);
    assert_string_equal(err.field, "mode");
}

/* Every file cut short at many lengths: an error naming the decoder, never
 * a hash of what was there. */
static void truncate_each(ar_ctx *ctx, const char *rel, const char *prefix)
{
    size_t len;
    unsigned char *data = corpus_read(rel, &len);
    size_t cuts[] = {1, 3, 8, 12, 16, 30, 64, 200, 1000, len / 4, len / 2, len - len / 10};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        ar_error err;
        ar_status st = try_hash(ctx, data, cuts[i], NULL, &err);
        if (st != AR_EINVAL)
            fail_msg("%s cut at %zu of %zu: status %d (%s)", rel, cuts[i], len, st, err.message);
        if (cuts[i] >= 16 && strncmp(err.message, prefix, strlen(prefix)) != 0)
            fail_msg("%s cut at %zu: \"%s\" does not start with %s", rel, cuts[i], err.message,
                     prefix);
    }
    free(data);
}

static void test_truncated_files(void **state)
{
    truncate_each(*state, BRIDGE, "jpeg: ");
    truncate_each(*state, "data/misc-images/c.png", "png: ");
    truncate_each(*state, "data/misc-images/modes/F.webp", "webp: ");
    truncate_each(*state, "data/misc-images/modes/PA.webp", "webp: ");
}

/* Bytes overwritten inside each file: an error or a hash, never a crash
 * (ASan runs this too). Headers broken outright must be errors. */
static void test_corrupt_files(void **state)
{
    static const char *const files[] = {BRIDGE, "data/misc-images/c.png",
                                        "data/misc-images/modes/F.webp",
                                        "data/reg-test-input/labelme-subset/q0122.jpg"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        unsigned char *data = corpus_read(files[f], &len);
        unsigned char *copy = malloc(len);
        srand(5);
        for (int k = 0; k < 40; k++) {
            memcpy(copy, data, len);
            size_t at = 12 + (size_t)rand() % (len - 12), n = 1 + (size_t)rand() % 64;
            for (size_t i = at; i < at + n && i < len; i++)
                copy[i] = (unsigned char)rand();
            ar_error err;
            ar_status st = try_hash(*state, copy, len, NULL, &err);
            assert_true(st == AR_OK || st == AR_EINVAL);
        }
        memcpy(copy, data, len);
        memset(copy + 4, 0xEE, 40 < len - 4 ? 40 : len - 4); /* the header itself */
        ar_error err;
        assert_int_equal(try_hash(*state, copy, len, NULL, &err), AR_EINVAL);
        free(copy);
        free(data);
    }
}

/*---- Decompression bombs ----*/

typedef struct tracking {
    size_t largest;
} tracking;

static void *t_malloc(void *ud, size_t n)
{
    tracking *t = ud;
    if (n > t->largest)
        t->largest = n;
    return malloc(n);
}

static void *t_realloc(void *ud, void *p, size_t n)
{
    tracking *t = ud;
    if (n > t->largest)
        t->largest = n;
    return realloc(p, n);
}

static void t_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* Hash with a context that records the largest allocation. */
static ar_status hash_tracked(const void *data, size_t len, const ar_image_opts *o, size_t *largest,
                              ar_error *err)
{
    tracking t = {0};
    ar_alloc a = {t_malloc, t_realloc, t_free, &t};
    ar_ctx_opts co = {.alloc = &a};
    ar_ctx *ctx = NULL;
    assert_int_equal(ar_ctx_new(&co, &ctx, err), AR_OK);
    ar_status st = try_hash(ctx, data, len, o, err);
    ar_ctx_free(ctx);
    *largest = t.largest;
    return st;
}

static void put16be(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32be(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A real JPEG whose frame header claims w x h. */
static unsigned char *jpeg_claiming(unsigned w, unsigned h, size_t *len)
{
    unsigned char *data = corpus_read(BRIDGE, len);
    for (size_t i = 2; i + 9 < *len; i++)
        if (data[i] == 0xFF && (data[i + 1] == 0xC0 || data[i + 1] == 0xC2)) {
            put16be(data + i + 5, h);
            put16be(data + i + 7, w);
            return data;
        }
    fail_msg("no SOF marker in %s", BRIDGE);
    return NULL;
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

/* A PNG signature and an IHDR (valid CRC) claiming w x h RGB, nothing more. */
static size_t png_claiming(unsigned char out[33], uint32_t w, uint32_t h)
{
    memcpy(out, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
    put32be(out + 16, w);
    put32be(out + 20, h);
    memcpy(out + 24, "\x08\x02\x00\x00\x00", 5);
    put32be(out + 29, crc32_png(out + 12, 17));
    return 33;
}

static void test_huge_headers_are_refused_before_allocating(void **state)
{
    (void)state;
    size_t len, largest;
    ar_error err;
    unsigned char *j = jpeg_claiming(65000, 65000, &len);
    assert_int_equal(hash_tracked(j, len, NULL, &largest, &err), AR_ETOOBIG);
    assert_non_null(strstr(err.message, "65000x65000"));
    assert_string_equal(err.field, "image");
    assert_true(largest < 64 * 1024);
    free(j);
    j = jpeg_claiming(20000, 20000, &len); /* each side fine, 400 M pixels not */
    assert_int_equal(hash_tracked(j, len, NULL, &largest, &err), AR_ETOOBIG);
    assert_non_null(strstr(err.message, "pixels"));
    assert_true(largest < 64 * 1024);
    free(j);

    unsigned char p[33];
    size_t n = png_claiming(p, 100000, 100000);
    assert_int_equal(hash_tracked(p, n, NULL, &largest, &err), AR_ETOOBIG);
    assert_non_null(strstr(err.message, "100000x100000"));
    assert_true(largest < 64 * 1024);
    n = png_claiming(p, 0x7fffffff, 1);
    assert_int_equal(hash_tracked(p, n, NULL, &largest, &err), AR_ETOOBIG);
    n = png_claiming(p, 0x80000000u, 1); /* over PNG's own maximum */
    assert_int_equal(hash_tracked(p, n, NULL, &largest, &err), AR_EINVAL);
    assert_non_null(strstr(err.message, "png: "));

    /* A WebP canvas (VP8X) of 16384 x 16384. */
    unsigned char w[30] = "RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00";
    w[24] = w[25] = 0xff, w[26] = 0x3f; /* width - 1 = 16383 */
    w[27] = w[28] = 0xff, w[29] = 0x3f;
    ar_status st = hash_tracked(w, sizeof w, NULL, &largest, &err);
    assert_true(st == AR_ETOOBIG || st == AR_EINVAL);
    assert_true(largest < 64 * 1024);
}

static void test_caller_limits(void **state)
{
    size_t len;
    unsigned char *data = corpus_read(BRIDGE, &len);
    ar_error err;
    ar_image_opts o = {.max_bytes = 1000};
    assert_int_equal(try_hash(*state, data, len, &o, &err), AR_ETOOBIG);
    assert_non_null(strstr(err.message, "bytes"));
    o = (ar_image_opts){.max_side = 1599};
    assert_int_equal(try_hash(*state, data, len, &o, &err), AR_ETOOBIG);
    assert_non_null(strstr(err.message, "1600x1004"));
    o = (ar_image_opts){.max_pixels = 1600 * 1004 - 1};
    assert_int_equal(try_hash(*state, data, len, &o, &err), AR_ETOOBIG);
    o = (ar_image_opts){.max_pixels = 1600 * 1004, .max_side = 1600, .max_bytes = len};
    assert_int_equal(try_hash(*state, data, len, &o, &err), AR_OK);
    free(data);
}

/*---- Out of memory ----*/

/* Fail allocation n = 1, 2, ... until a run needs no more: each failure is
 * AR_ENOMEM, nothing leaks, and the last run hashes as without failures. */
static void fail_each_allocation(const char *rel, ar_pdq_mode mode)
{
    size_t len;
    unsigned char *data = corpus_read(rel, &len);
    failing f = {0, 0};
    ar_alloc alloc = {f_malloc, f_realloc, f_free, &f};
    ar_ctx_opts co = {.alloc = &alloc};
    ar_ctx *ctx = NULL;
    ar_error err;
    assert_int_equal(ar_ctx_new(&co, &ctx, &err), AR_OK);
    ar_image_opts o = {.mode = mode};
    ar_pdq_hash want, got;
    int qw, qg;
    assert_int_equal(ar_image_pdq(ctx, data, len, &o, &want, &qw, NULL, &err), AR_OK);
    long base = f.live, runs = 0;
    for (long n = 1;; n++) {
        f.countdown = n;
        ar_status st = ar_image_pdq(ctx, data, len, &o, &got, &qg, NULL, &err);
        bool reached = f.countdown == 0;
        f.countdown = 0;
        assert_int_equal(f.live, base);
        runs++;
        if (!reached) {
            assert_int_equal(st, AR_OK);
            assert_memory_equal(&got, &want, sizeof got);
            break;
        }
        /* libpng drops an ancillary chunk it has no memory for, with a
         * warning: then the hash is the same. */
        if (st == AR_OK)
            assert_memory_equal(&got, &want, sizeof got);
        else if (st != AR_ENOMEM)
            fail_msg("%s: allocation %ld failed, status %d (%s)", rel, n, st, err.message);
    }
    assert_true(runs > 1);
    ar_ctx_free(ctx);
    free(data);
    assert_int_equal(f.live, 0);
}

static void test_out_of_memory_at_every_allocation(void **state)
{
    (void)state;
    fail_each_allocation("data/reg-test-input/labelme-subset/q0122.jpg", AR_PDQ_FULL_RES);
    fail_each_allocation("data/misc-images/modes/CMYK.jpg", AR_PDQ_RESIZE_512);
    fail_each_allocation("pytx-resources/LA.png", AR_PDQ_FULL_RES);
    fail_each_allocation("data/misc-images/modes/P.png", AR_PDQ_RESIZE_512);
    fail_each_allocation("data/misc-images/modes/PA.webp", AR_PDQ_FULL_RES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_unknown_input),
        cmocka_unit_test(test_truncated_files),
        cmocka_unit_test(test_corrupt_files),
        cmocka_unit_test(test_huge_headers_are_refused_before_allocating),
        cmocka_unit_test(test_caller_limits),
        cmocka_unit_test(test_out_of_memory_at_every_allocation),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
