/*
 * png.c - PNG through libpng, into the luminance sink.
 *
 * libpng reports errors by longjmp to the setjmp in decode(), which makes
 * every libpng call; nothing escapes it. Transforms as the references'
 * decoders see pixels: palettes expand to RGB, 1/2/4-bit grey to 8 bits,
 * alpha (and tRNS) is dropped, not composited; no gamma correction.
 * 16-bit samples reduce as ar__luma_16to8 says. Interlaced images need
 * every row at once (each pass fills some of each row); the size limits
 * were checked before that buffer is made.
 */
#include "image_int.h"

#include <png.h>
#include <stdio.h>

typedef struct pngsrc {
    const uint8_t *data;
    size_t len, pos;
    const ar_ctx *ctx;
    bool oom; /* an allocation failed: the error is AR_ENOMEM, not bad data */
    char msg[200];
} pngsrc;

static void on_read(png_structp p, png_bytep out, size_t n)
{
    pngsrc *s = png_get_io_ptr(p);
    if (n > s->len - s->pos)
        png_error(p, "data ends early");
    memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

static void on_error(png_structp p, png_const_charp msg)
{
    pngsrc *s = png_get_error_ptr(p);
    snprintf(s->msg, sizeof s->msg, "%s", msg);
    png_longjmp(p, 1);
}

static void on_warning(png_structp p, png_const_charp msg)
{
    (void)p; /* never stderr */
    (void)msg;
}

static png_voidp on_malloc(png_structp p, png_alloc_size_t n)
{
    pngsrc *s = png_get_mem_ptr(p);
    void *r = ar__malloc(s->ctx, n);
    if (!r)
        s->oom = true;
    return r;
}

static void on_free(png_structp p, png_voidp ptr)
{
    pngsrc *s = png_get_mem_ptr(p);
    ar__free(s->ctx, ptr);
}

/* Row y: 8-bit rows go as they are; 16-bit ones reduce to 8 into `tmp`. */
static void put_row(ar__luma *l, uint32_t y, const uint8_t *row, unsigned ch, int depth,
                    bool plain_grey, uint8_t *tmp)
{
    if (depth == 16) {
        size_t n = (size_t)l->src_w * ch;
        for (size_t i = 0; i < n; i++)
            tmp[i] = ar__luma_16to8(l, (uint16_t)(row[2 * i] << 8 | row[2 * i + 1]), plain_grey);
        row = tmp;
    }
    ar__luma_row(l, y, row, ch);
}

static ar_status decode(png_structp p, png_infop info, pngsrc *s, ar__luma *l,
                        const ar_image_opts *o, ar_error *err)
{
    uint8_t *volatile rows = NULL; /* one row, or all of them (interlaced) */
    uint8_t *volatile tmp = NULL;
    volatile ar_status st = AR_OK;
    if (setjmp(png_jmpbuf(p))) {
        if (st == AR_OK && s->oom)
            st = ar_error_set(err, AR_ENOMEM, NULL, "png: out of memory");
        else if (st == AR_OK)
            st = ar_error_set(err, AR_EINVAL, "image", "png: %s", s->msg);
        goto done;
    }
    /* libpng's own limits off (PNG allows 2^31-1): ours, checked below, give
     * the clear AR_ETOOBIG; nothing is allocated by size before that. */
    png_set_user_limits(p, 0x7fffffff, 0x7fffffff);
    png_read_info(p, info);
    uint32_t w = png_get_image_width(p, info), h = png_get_image_height(p, info);
    int type = png_get_color_type(p, info), depth = png_get_bit_depth(p, info);
    st = ar__luma_begin(l, o, w, h, err); /* before any pixel memory */
    if (st != AR_OK)
        goto done;
    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(p);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(p);
    png_set_strip_alpha(p); /* also the alpha a palette's tRNS expands to */
    int passes = png_set_interlace_handling(p);
    png_read_update_info(p, info);
    unsigned ch = png_get_channels(p, info);
    int odepth = png_get_bit_depth(p, info);
    size_t rowbytes = png_get_rowbytes(p, info);
    if ((ch != 1 && ch != 3) || (odepth != 8 && odepth != 16) ||
        rowbytes != (size_t)w * ch * (size_t)(odepth / 8)) {
        st = ar_error_set(err, AR_EINVAL, "image", "png: unexpected layout (%u channels, %d bits)",
                          ch, odepth);
        goto done;
    }
    size_t nrows = passes > 1 ? h : 1;
    rows = ar__malloc(l->ctx, nrows * rowbytes);
    tmp = ar__malloc(l->ctx, (size_t)w * ch);
    if (!rows || !tmp) {
        st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory decoding a %ux%u png", w, h);
        goto done;
    }
    bool plain_grey = type == PNG_COLOR_TYPE_GRAY;
    if (passes > 1) {
        for (int pass = 0; pass < passes; pass++)
            for (uint32_t y = 0; y < h; y++)
                png_read_row(p, rows + y * rowbytes, NULL);
        for (uint32_t y = 0; y < h; y++)
            put_row(l, y, rows + y * rowbytes, ch, odepth, plain_grey, tmp);
    } else {
        for (uint32_t y = 0; y < h; y++) {
            png_read_row(p, rows, NULL);
            put_row(l, y, rows, ch, odepth, plain_grey, tmp);
        }
    }
    png_read_end(p, NULL);
done:
    ar__free(l->ctx, rows);
    ar__free(l->ctx, tmp);
    return st;
}

ar_status ar__decode_png(ar__luma *l, const ar_image_opts *o, const uint8_t *data, size_t len,
                         ar_error *err)
{
    /* IHDR comes first (the PNG spec): its size is refused here before
     * libpng reads further, so a bomb needs no more than its header. */
    if (len >= 24 && !memcmp(data + 12, "IHDR", 4)) {
        uint32_t w = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 |
                     (uint32_t)data[18] << 8 | data[19];
        uint32_t h = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 |
                     (uint32_t)data[22] << 8 | data[23];
        ar_status st = w <= 0x7fffffff && h <= 0x7fffffff ? ar__luma_check(o, w, h, err) : AR_OK;
        if (st != AR_OK)
            return st;
    }
    pngsrc s = {.data = data, .len = len, .ctx = l->ctx};
    png_structp p = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning, &s,
                                             on_malloc, on_free);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info) {
        png_destroy_read_struct(p ? &p : NULL, NULL, NULL);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory starting libpng");
    }
    png_set_read_fn(p, &s, on_read);
    ar_status st = decode(p, info, &s, l, o, err);
    png_destroy_read_struct(&p, &info, NULL);
    return st;
}
