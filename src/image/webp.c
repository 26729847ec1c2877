/*
 * webp.c - WebP through libwebp, into the luminance sink.
 *
 * libwebp returns status codes (no longjmp). Alpha is dropped, as Pillow's
 * convert("RGB") does; the RGB is libwebp's default (fancy upsampling), as
 * Pillow and ImageMagick decode it. Animated files are refused: which frame
 * to hash is a policy question, and libwebp's simple API decodes none.
 */
#include "image_int.h"

#include <webp/decode.h>

static const char *vp8_status(VP8StatusCode c)
{
    switch (c) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "data ends early";
    default: return "decoding failed";
    }
}

ar_status ar__decode_webp(ar__luma *l, const ar_image_opts *o, const uint8_t *data, size_t len,
                          ar_error *err)
{
    WebPDecoderConfig cfg;
    if (!WebPInitDecoderConfig(&cfg))
        return ar_error_set(err, AR_EBACKEND, NULL, "webp: libwebp version mismatch");
    VP8StatusCode c = WebPGetFeatures(data, len, &cfg.input);
    if (c != VP8_STATUS_OK)
        return ar_error_set(err, AR_EINVAL, "image", "webp: %s", vp8_status(c));
    if (cfg.input.has_animation)
        return ar_error_set(err, AR_EINVAL, "image", "webp: animated images are not supported");
    if (cfg.input.width <= 0 || cfg.input.height <= 0)
        return ar_error_set(err, AR_EINVAL, "image", "webp: no pixels");
    uint32_t w = (uint32_t)cfg.input.width, h = (uint32_t)cfg.input.height;
    ar_status st = ar__luma_begin(l, o, w, h, err); /* before any pixel memory */
    if (st != AR_OK)
        return st;
    size_t stride = (size_t)w * 3, size = stride * h;
    uint8_t *rgb = ar__malloc(l->ctx, size);
    if (!rgb)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory decoding a %ux%u webp", w, h);
    cfg.output.colorspace = MODE_RGB;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = rgb;
    cfg.output.u.RGBA.stride = (int)stride;
    cfg.output.u.RGBA.size = size;
    c = WebPDecode(data, len, &cfg);
    if (c != VP8_STATUS_OK) {
        st = ar_error_set(err, AR_EINVAL, "image", "webp: %s", vp8_status(c));
    } else {
        for (uint32_t y = 0; y < h; y++)
            ar__luma_row(l, y, rgb + y * stride, 3);
    }
    WebPFreeDecBuffer(&cfg.output);
    ar__free(l->ctx, rgb);
    return st;
}
