/*
 * jpeg.c - JPEG through libjpeg-turbo's libjpeg API, row by row into the
 * luminance sink.
 *
 * libjpeg reports errors by calling error_exit, which must not return; it
 * longjmps back into decode(), the only function that calls setjmp, and
 * never further: every libjpeg call is inside it. Decoding settings are the
 * library defaults the references' decoders use (ImageMagick and Pillow:
 * ISLOW IDCT, fancy upsampling), so the RGB is theirs.
 *
 * Refused: a header over the size limits (before any pixel memory), data
 * that ends early (libjpeg would pad it grey and warn; a hash of half a
 * picture is worse than no hash), progressive files with more than
 * MAX_SCANS scans (a CPU bomb: each scan re-decodes the whole image).
 */
#include "image_int.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */

#include <jpeglib.h>
#include <jerror.h>

#define MAX_SCANS 256 /* real encoders write at most a few dozen */

typedef struct jerr {
    struct jpeg_error_mgr pub;
    struct jpeg_progress_mgr progress;
    jmp_buf jmp;
    char msg[JMSG_LENGTH_MAX];
} jerr;

static void on_error(j_common_ptr c)
{
    jerr *e = (jerr *)c->err;
    (*c->err->format_message)(c, e->msg);
    longjmp(e->jmp, 1);
}

/* Warnings are ignored (as ImageMagick and Pillow do: "extraneous bytes
 * before marker" is common in camera files), except the end of the data. */
static void on_message(j_common_ptr c, int level)
{
    if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF)
        on_error(c);
}

static void on_output(j_common_ptr c)
{
    (void)c; /* never stderr */
}

static void on_progress(j_common_ptr c)
{
    j_decompress_ptr d = (j_decompress_ptr)c;
    if (d->input_scan_number > MAX_SCANS) {
        jerr *e = (jerr *)c->err;
        snprintf(e->msg, sizeof e->msg, "more than %d progressive scans", MAX_SCANS);
        longjmp(e->jmp, 2);
    }
}

/* Pillow's CMYK -> RGB (Convert.c cmyk2rgb) on true CMYK: R = (255-K) - C(255-K)/255
 * rounded its way. Adobe files store CMYK inverted (Pillow's "CMYK;I"). */
static void cmyk_to_rgb(const uint8_t *in, uint8_t *out, size_t n, bool inverted)
{
    for (size_t x = 0; x < n; x++) {
        int k = inverted ? 255 - in[4 * x + 3] : in[4 * x + 3], nk = 255 - k;
        for (int i = 0; i < 3; i++) {
            int c = inverted ? 255 - in[4 * x + i] : in[4 * x + i];
            int t = c * nk + 128;
            int v = nk - (((t >> 8) + t) >> 8);
            out[3 * x + (size_t)i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

/* Everything libjpeg touches, under one setjmp. Locals changed after setjmp
 * and read after a longjmp are volatile. */
static ar_status decode(struct jpeg_decompress_struct *d, jerr *e, ar__luma *l,
                        const ar_image_opts *o, const uint8_t *data, size_t len, ar_error *err)
{
    uint8_t *volatile row = NULL;
    uint8_t *volatile rgb = NULL;
    volatile ar_status st = AR_OK;
    if (setjmp(e->jmp)) {
        if (st == AR_OK)
            st = ar_error_set(err, AR_EINVAL, "image", "jpeg: %s", e->msg);
        goto done;
    }
    jpeg_create_decompress(d);
    d->progress = &e->progress;
    /* A ceiling on libjpeg's own memory (progressive coefficient buffers):
     * past it libjpeg fails cleanly, there is no backing store. */
    d->mem->max_memory_to_use = (long)(o->max_pixels > (uint64_t)(LONG_MAX / 8) ? LONG_MAX
                                                                                : o->max_pixels * 8);
    jpeg_mem_src(d, data, (unsigned long)len);
    jpeg_read_header(d, TRUE);
    bool cmyk = d->jpeg_color_space == JCS_CMYK || d->jpeg_color_space == JCS_YCCK;
    d->out_color_space = cmyk ? JCS_CMYK : d->jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE
                                                                                 : JCS_RGB;
    st = ar__luma_begin(l, o, d->image_width, d->image_height, err); /* before any pixel memory */
    if (st != AR_OK)
        goto done;
    jpeg_start_decompress(d);
    size_t stride = (size_t)d->output_width * (size_t)d->output_components;
    row = ar__malloc(l->ctx, stride);
    if (cmyk)
        rgb = ar__malloc(l->ctx, (size_t)d->output_width * 3);
    if (!row || (cmyk && !rgb)) {
        st = ar_error_set(err, AR_ENOMEM, NULL, "out of memory decoding a jpeg");
        goto done;
    }
    while (d->output_scanline < d->output_height) {
        JSAMPROW r = row;
        uint32_t y = d->output_scanline;
        if (jpeg_read_scanlines(d, &r, 1) != 1) { /* only with a suspending source */
            st = ar_error_set(err, AR_EINVAL, "image", "jpeg: data ends at row %u", y);
            goto done;
        }
        if (cmyk) {
            cmyk_to_rgb(row, rgb, d->output_width, d->saw_Adobe_marker);
            ar__luma_row(l, y, rgb, 3);
        } else {
            ar__luma_row(l, y, row, (unsigned)d->output_components);
        }
    }
    jpeg_finish_decompress(d);
done:
    ar__free(l->ctx, row);
    ar__free(l->ctx, rgb);
    return st;
}

ar_status ar__decode_jpeg(ar__luma *l, const ar_image_opts *o, const uint8_t *data, size_t len,
                          ar_error *err)
{
    struct jpeg_decompress_struct d;
    jerr e;
    memset(&d, 0, sizeof d);
    memset(&e, 0, sizeof e);
    d.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = on_error;
    e.pub.emit_message = on_message;
    e.pub.output_message = on_output;
    e.progress.progress_monitor = on_progress;
    ar_status st = decode(&d, &e, l, o, data, len, err);
    jpeg_destroy_decompress(&d);
    return st;
}
