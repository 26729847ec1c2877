/*
 * image_int.h - inside src/image/ only: the PDQ core on float luminance,
 * the luminance sink the decoders write rows into, and the decoders.
 */
#ifndef AR_IMAGE_INT_H
#define AR_IMAGE_INT_H

#include "arbiter/image.h"
#include "common/common_int.h"

#define AR__PDQ_MIN_DIM 5    /* smaller: all-zero hash, quality 0 (upstream) */
#define AR__PDQ_CLI_DIM 512u /* pdq-photo-hasher's DOWNSAMPLE_DIMS */

/*---- PDQ core (pdq.c) ----*/

/* Floats of scratch ar__pdq_hash_buffers needs for a w x h image: a few
 * dozen rows, never the image again (the filter passes are streamed). */
AR_INTERNAL size_t ar__pdq_scratch_floats(uint32_t w, uint32_t h);

/* Hash `luma` (h rows of w floats, left as they are) using `scratch` of
 * ar__pdq_scratch_floats(w, h). Fills out[0], or out[0..7] when
 * `dihedral`. Never fails. */
AR_INTERNAL void ar__pdq_hash_buffers(const float *luma, float *scratch, uint32_t w, uint32_t h,
                                      bool dihedral, ar_pdq_hash *out, int *quality);

/* The reference's arithmetic in the reference's loop order (column passes
 * stride through memory): what the fast path must equal bit for bit. */
AR_INTERNAL void ar__pdq_hash_reference(float *luma, float *tmp, uint32_t w, uint32_t h,
                                        bool dihedral, ar_pdq_hash *out, int *quality);

/*---- The luminance sink (luma.c) ----*/

typedef struct ar__luma {
    const ar_ctx *ctx;
    ar_pdq_mode mode;
    uint32_t src_w, src_h; /* as decoded */
    uint32_t w, h;         /* of px: 512x512 after the CLI's resize */
    float *px;             /* h rows of w */
    uint32_t *col_src;     /* [w]: source column of each column (resize); NULL if none */
    uint32_t next_row;     /* next output row to fill (resize) */
    bool decode_only;      /* benchmarks: check and convert, keep nothing */
} ar__luma;

/* The size against the limits: AR_ETOOBIG names it, AR_EINVAL if empty. */
AR_INTERNAL ar_status ar__luma_check(const ar_image_opts *o, uint32_t w, uint32_t h, ar_error *err);
/* Check the size, then allocate. */
AR_INTERNAL ar_status ar__luma_begin(ar__luma *l, const ar_image_opts *o, uint32_t w, uint32_t h,
                                     ar_error *err);
/* Row y (rows in increasing order) of 1 (grey) or 3 (RGB) 8-bit samples a
 * pixel. 16-bit sources reduce first, as ar__luma_16to8 says. */
AR_INTERNAL void ar__luma_row(ar__luma *l, uint32_t y, const uint8_t *row, unsigned channels);
/* A 16-bit sample (big-endian in PNG) to the 8 bits the reference family
 * sees: RESIZE_512 keeps the low byte (CImg<uint8_t> casting ImageMagick's
 * 16-bit PNM); FULL_RES clips grey without alpha to 255 (Pillow's I;16 ->
 * RGB) and keeps the high byte of everything else (Pillow's ";16B" modes). */
AR_INTERNAL uint8_t ar__luma_16to8(const ar__luma *l, uint16_t v, bool plain_grey);
AR_INTERNAL void ar__luma_free(ar__luma *l);

/*---- Decoders (jpeg.c, png.c, webp.c) ----*/

AR_INTERNAL ar_status ar__decode_jpeg(ar__luma *l, const ar_image_opts *o, const uint8_t *data,
                                      size_t len, ar_error *err);
AR_INTERNAL ar_status ar__decode_png(ar__luma *l, const ar_image_opts *o, const uint8_t *data,
                                     size_t len, ar_error *err);
AR_INTERNAL ar_status ar__decode_webp(ar__luma *l, const ar_image_opts *o, const uint8_t *data,
                                      size_t len, ar_error *err);

#endif
