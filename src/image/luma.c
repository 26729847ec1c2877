/*
 * luma.c - the sink decoders write rows into: the size checks that refuse
 * decompression bombs before any pixel buffer exists, the reference's
 * RGB -> luminance in float, and pdq-photo-hasher's 512x512 resize.
 */
#include "image_int.h"

/* One buffer: the luminance and the hash's scratch (a few dozen rows), so
 * hashing allocates nothing more. */
ar_status ar__luma_check(const ar_image_opts *o, uint32_t w, uint32_t h, ar_error *err)
{
    if (w == 0 || h == 0)
        return ar_error_set(err, AR_EINVAL, "image", "image is %ux%u: no pixels", w, h);
    if (w > o->max_side || h > o->max_side)
        return ar_error_set(err, AR_ETOOBIG, "image", "image is %ux%u: over the limit of %u px a side",
                            w, h, o->max_side);
    if ((uint64_t)w * h > o->max_pixels)
        return ar_error_set(err, AR_ETOOBIG, "image",
                            "image is %ux%u: over the limit of %llu pixels", w, h,
                            (unsigned long long)o->max_pixels);
    return AR_OK;
}

ar_status ar__luma_begin(ar__luma *l, const ar_image_opts *o, uint32_t w, uint32_t h,
                         ar_error *err)
{
    ar_status st = ar__luma_check(o, w, h, err);
    if (st != AR_OK)
        return st;
    l->src_w = w;
    l->src_h = h;
    l->w = w;
    l->h = h;
    l->next_row = 0;
    if (l->mode == AR_PDQ_RESIZE_512 && (w > AR__PDQ_CLI_DIM || h > AR__PDQ_CLI_DIM)) {
        l->w = l->h = AR__PDQ_CLI_DIM;
        l->col_src = ar__calloc(l->ctx, AR__PDQ_CLI_DIM, sizeof *l->col_src);
        if (!l->col_src)
            return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for the resize map");
        /* CImg's nearest neighbour: column x reads floor(x W / 512), in double. */
        for (uint32_t x = 0; x < AR__PDQ_CLI_DIM; x++)
            l->col_src[x] = (uint32_t)(((double)x * w) / AR__PDQ_CLI_DIM);
    }
    size_t rows = l->decode_only ? 1 : l->h;
    size_t n = rows * l->w, extra = l->decode_only ? 0 : ar__pdq_scratch_floats(l->w, l->h);
    if (n > SIZE_MAX / sizeof(float) - extra)
        return ar_error_set(err, AR_ETOOBIG, "image", "image is %ux%u: too big to address", w, h);
    l->px = ar__malloc(l->ctx, (n + extra) * sizeof(float));
    if (!l->px)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for a %ux%u image", w, h);
    return AR_OK;
}

void ar__luma_free(ar__luma *l)
{
    ar__free(l->ctx, l->px);
    ar__free(l->ctx, l->col_src);
    l->px = NULL;
    l->col_src = NULL;
}

uint8_t ar__luma_16to8(const ar__luma *l, uint16_t v, bool plain_grey)
{
    if (l->mode == AR_PDQ_RESIZE_512)
        return (uint8_t)(v & 0xff);
    if (plain_grey)
        return v > 255 ? 255 : (uint8_t)v;
    return (uint8_t)(v >> 8);
}

/* The reference's fillFloatLumaFromRGB: float coefficients, float sums in
 * this order. Full-res hashers replicate grey to RGB first (pytx), the CLI
 * copies grey as it is (fillFloatLumaFromGrey). */
static void convert(const ar__luma *l, float *out, const uint8_t *row, unsigned ch,
                    const uint32_t *cols, uint32_t n)
{
    const float kr = 0.299f, kg = 0.587f, kb = 0.114f;
    if (ch == 1 && l->mode == AR_PDQ_RESIZE_512) {
        for (uint32_t x = 0; x < n; x++)
            out[x] = (float)row[cols ? cols[x] : x];
    } else if (ch == 1) {
        for (uint32_t x = 0; x < n; x++) {
            float v = (float)row[cols ? cols[x] : x];
            out[x] = kr * v + kg * v + kb * v;
        }
    } else if (!cols) {
        for (uint32_t x = 0; x < n; x++) {
            const uint8_t *p = row + 3 * (size_t)x;
            out[x] = kr * (float)p[0] + kg * (float)p[1] + kb * (float)p[2];
        }
    } else {
        for (uint32_t x = 0; x < n; x++) {
            const uint8_t *p = row + 3 * (size_t)cols[x];
            out[x] = kr * (float)p[0] + kg * (float)p[1] + kb * (float)p[2];
        }
    }
}

void ar__luma_row(ar__luma *l, uint32_t y, const uint8_t *row, unsigned channels)
{
    if (!l->col_src) {
        convert(l, l->px + (l->decode_only ? 0 : (size_t)y * l->w), row, channels, NULL, l->w);
        return;
    }
    /* Output row r reads source row floor(r H / 512): every r that maps to y. */
    while (l->next_row < l->h &&
           (uint32_t)(((double)l->next_row * l->src_h) / AR__PDQ_CLI_DIM) == y) {
        size_t r = l->decode_only ? 0 : l->next_row;
        convert(l, l->px + r * l->w, row, channels, l->col_src, l->w);
        l->next_row++;
    }
}
