/*
 * fuzz/fuzz_image_pdq.c - ar_image_pdq on arbitrary bytes: the format by
 * magic bytes, libjpeg-turbo, libpng or libwebp, the luminance sink and
 * the PDQ core.
 *
 * The first byte picks the mode (full-res or the CLI's 512x512) and
 * whether to take the dihedral variants; the rest is the image. Limits are
 * lowered (4 M pixels) so each input stays fast. Properties, beyond "no
 * crash, no leak, no longjmp out":
 *   - AR_OK: quality in 0..100; hashing again gives the same bits; variant
 *     0 of the dihedral call is the plain hash; the info names the format
 *     the magic bytes say and a size within the limits; the hex form
 *     parses back to the same hash;
 *   - an error: a message, a zeroed hash and quality 0, a status among
 *     AR_EINVAL, AR_ETOOBIG; ar_image_decode_only agrees on the status.
 */
#include "arbiter/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #x);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static ar_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ar_error err;
    if (!ctx && ar_ctx_new(NULL, &ctx, &err) != AR_OK)
        abort();
    if (size == 0)
        return 0;
    ar_image_opts o = {.mode = data[0] & 1 ? AR_PDQ_RESIZE_512 : AR_PDQ_FULL_RES,
                       .max_pixels = 4u * 1024 * 1024};
    bool dih = data[0] & 2;
    const uint8_t *img = data + 1;
    size_t len = size - 1;

    ar_pdq_hash h[AR_PDQ_DIHEDRAL], again;
    int q = -1, q2 = -1;
    ar_image_info info;
    ar_status st = dih ? ar_image_pdq_dihedral(ctx, img, len, &o, h, &q, &info, &err)
                       : ar_image_pdq(ctx, img, len, &o, h, &q, &info, &err);
    ar_image_info info2;
    ar_error err2;
    ar_status st2 = ar_image_decode_only(ctx, img, len, &o, &info2, &err2);
    CHECK(st2 == st);
    if (st != AR_OK) {
        static const ar_pdq_hash zero;
        CHECK(st == AR_EINVAL || st == AR_ETOOBIG);
        CHECK(err.message[0] != '\0');
        CHECK(q == 0);
        CHECK(!memcmp(&h[0], &zero, sizeof zero));
        return 0;
    }
    CHECK(q >= 0 && q <= 100);
    CHECK(info.format == ar_image_detect(img, len) && info.format != AR_IMAGE_UNKNOWN);
    CHECK(info.width >= 1 && info.height >= 1);
    CHECK((uint64_t)info.width * info.height <= o.max_pixels);
    CHECK(info2.width == info.width && info2.height == info.height);
    CHECK(ar_image_pdq(ctx, img, len, &o, &again, &q2, NULL, &err) == AR_OK);
    CHECK(q2 == q && !memcmp(&again, &h[0], sizeof again));
    char hex[AR_PDQ_HEX_LEN + 1];
    ar_pdq_to_hex(&h[0], hex);
    CHECK(ar_pdq_from_hex(hex, strlen(hex), &again, &err) == AR_OK);
    CHECK(!memcmp(&again, &h[0], sizeof again) && ar_pdq_distance(&again, &h[0]) == 0);
    return 0;
}
