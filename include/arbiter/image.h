/*
 * arbiter/image.h - image decoding and the PDQ perceptual hash.
 *
 * An image arrives as bytes (never a file name): its format is told by its
 * magic bytes (JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, WebP RIFF....WEBP),
 * it is decoded (libjpeg-turbo, libpng, libwebp) straight into the float
 * luminance PDQ works on, and hashed: 256 bits and a quality score 0..100,
 * bit for bit as Meta's reference (facebook/ThreatExchange pdq/cpp):
 *   luma Y = 0.299 R + 0.587 G + 0.114 B (float32), two passes of a Jarosz
 *   (box, then box again) filter per axis, decimation to 64x64, the 16x16
 *   low frequencies of a DCT (DC dropped), each bit "above the median".
 * Images under 5 px on a side hash to all zeros with quality 0, as upstream.
 *
 * Two preprocessing families exist upstream and give hashes 2-10 bits apart
 * on images over 512 px; pick one per deployment and keep it:
 *   AR_PDQ_FULL_RES (default): no pre-resize, as python-threatexchange, HMA
 *     (Pillow decode), the Java reference and the Rust crate. The hashes that
 *     exchanges and HMA banks hold.
 *   AR_PDQ_RESIZE_512: as the C++ CLI pdq-photo-hasher: an image over 512 px
 *     on either side is first resized to exactly 512x512 by nearest
 *     neighbour (CImg's); grey images stay one channel; 16-bit PNG samples
 *     keep their 16-bit scale (ImageMagick's PNM). Faster on big images.
 * Decoding follows the references' decoders: alpha is dropped, never
 * composited; palettes and 1/2/4-bit grey are expanded; 16-bit grey is
 * clipped to 255 in FULL_RES (what Pillow's convert("RGB") does) and 16-bit
 * colour keeps its high byte; CMYK JPEGs (Adobe, inverted) become RGB as
 * (255-C)(255-K)/255. EXIF orientation is NOT applied: the reference CLI
 * and Pillow-based hashers ignore it, and a bank hash of a rotated copy is
 * matched through the 8 dihedral variants instead.
 *
 * Refused with a clear ar_error, before any pixel buffer is allocated: an
 * unknown format (AR_EINVAL, "image"), input over opts.max_bytes, a side over
 * opts.max_side or more than opts.max_pixels pixels (AR_ETOOBIG: the
 * decompression-bomb guard reads the header first), and anything a decoder
 * rejects (truncated or corrupt data: AR_EINVAL naming the decoder's reason).
 * Decoder errors never escape as a longjmp. A JPEG whose data ends early is
 * an error (libjpeg would pad it grey); libjpeg's other warnings (corrupt
 * entropy data, extraneous bytes before a marker, common in camera files)
 * are tolerated as ImageMagick and Pillow tolerate them, so such a file
 * hashes as the references hash it.
 *
 * The hash: 32 bytes, byte 0 the most significant byte of the 64-digit
 * lowercase hex form (word order w[15]..w[0], as the reference prints it and
 * HMA validates it with ^[0-9a-f]{64}$). Bit k (0..255) is DCT coefficient
 * (row k/16, column k%16) and lives in byte 31 - k/8, bit k%8.
 *
 * THREAD SAFETY: every function here is reentrant; any number of threads may
 * hash at once with one shared ar_ctx. Nothing is cached between calls.
 */
#ifndef ARBITER_IMAGE_H
#define ARBITER_IMAGE_H

#include "arbiter/common.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AR_PDQ_HASH_BYTES 32
#define AR_PDQ_HEX_LEN    64 /* digits, without the NUL */
#define AR_PDQ_DIHEDRAL   8  /* variants: original, rotations, mirrors */

/* The repo's recommended starting points (pdq/README.md, pytx pdq_utils.py,
 * signal.py): a match at distance <= 31; discard hashes with quality < 50. */
#define AR_PDQ_MATCH_DISTANCE 31
#define AR_PDQ_MIN_QUALITY    50

#define AR_IMAGE_MAX_BYTES  (64u * 1024u * 1024u) /* default input ceiling */
#define AR_IMAGE_MAX_SIDE   30000u                /* default: width or height */
#define AR_IMAGE_MAX_PIXELS 50000000u             /* default: width x height (4 bytes each) */

typedef struct ar_pdq_hash {
    uint8_t b[AR_PDQ_HASH_BYTES];
} ar_pdq_hash;

typedef enum ar_pdq_mode {
    AR_PDQ_FULL_RES = 0, /* python-threatexchange / HMA (default) */
    AR_PDQ_RESIZE_512,   /* the C++ CLI pdq-photo-hasher */
} ar_pdq_mode;

typedef enum ar_image_format {
    AR_IMAGE_UNKNOWN = 0,
    AR_IMAGE_JPEG,
    AR_IMAGE_PNG,
    AR_IMAGE_WEBP,
} ar_image_format;

/* The dihedral variants, in the reference's order (pdq-photo-hasher --pdqdih). */
typedef enum ar_pdq_dihedral {
    AR_PDQ_ORIGINAL = 0,
    AR_PDQ_ROTATE90,    /* counter-clockwise */
    AR_PDQ_ROTATE180,
    AR_PDQ_ROTATE270,
    AR_PDQ_FLIPX,       /* top <-> bottom */
    AR_PDQ_FLIPY,       /* left <-> right */
    AR_PDQ_FLIPPLUS1,   /* transpose (main diagonal) */
    AR_PDQ_FLIPMINUS1,  /* anti-diagonal */
} ar_pdq_dihedral;

/* Limits and mode. Zeroed fields take the defaults above. */
typedef struct ar_image_opts {
    ar_pdq_mode mode;
    size_t max_bytes;
    uint32_t max_side;
    uint64_t max_pixels;
} ar_image_opts;

/* What a hash came from (out-parameter, optional). */
typedef struct ar_image_info {
    ar_image_format format;
    uint32_t width, height; /* as decoded, before any resize */
} ar_image_info;

/*---- Hashing images ------------------------------------------------------*/

/* Decode `len` bytes of an image and hash it. `opts` and `info` may be NULL.
 * On AR_OK *out and *quality (0..100) are set; otherwise *out is zeroed and
 * *quality is 0. */
AR_API AR_NODISCARD ar_status ar_image_pdq(ar_ctx *ctx, const void *bytes, size_t len,
                                           const ar_image_opts *opts, ar_pdq_hash *out,
                                           int *quality, ar_image_info *info, ar_error *err);

/* As ar_image_pdq, the 8 dihedral variants at once (indexed by
 * ar_pdq_dihedral; out[0] is what ar_image_pdq gives). They come from the
 * one DCT (sign flips and a transpose), each thresholded at its own median:
 * no image is rotated, so all 8 cost about what one does. */
AR_API AR_NODISCARD ar_status ar_image_pdq_dihedral(ar_ctx *ctx, const void *bytes, size_t len,
                                                    const ar_image_opts *opts,
                                                    ar_pdq_hash out[AR_PDQ_DIHEDRAL],
                                                    int *quality, ar_image_info *info,
                                                    ar_error *err);

/* Hash a luminance array already decoded (rows of `width` floats, 0..255 for
 * 8-bit sources; left unchanged): the reference's pdqHash256FromFloatLuma.
 * No pre-resize. Samples must be finite and within -65536..65536 (AR_EINVAL
 * names the first that is not); sizes within the default limits.
 * `out` takes 1 hash, or AR_PDQ_DIHEDRAL when `dihedral` is true. */
AR_API AR_NODISCARD ar_status ar_pdq_hash_luma(ar_ctx *ctx, const float *luma, uint32_t width,
                                               uint32_t height, bool dihedral, ar_pdq_hash *out,
                                               int *quality, ar_error *err);

/* Only decode (to the luminance PDQ uses) and throw the pixels away: the
 * floor under ar_image_pdq, for benchmarks. */
AR_API AR_NODISCARD ar_status ar_image_decode_only(ar_ctx *ctx, const void *bytes, size_t len,
                                                   const ar_image_opts *opts, ar_image_info *info,
                                                   ar_error *err);

/* The format by magic bytes; AR_IMAGE_UNKNOWN if none matches. */
AR_API ar_image_format ar_image_detect(const void *bytes, size_t len);
AR_API const char *ar_image_format_name(ar_image_format f); /* "jpeg", "png", "webp", "unknown" */
AR_API const char *ar_pdq_dihedral_name(ar_pdq_dihedral d); /* "original", "rotate90", ... */

/*---- Hash values ---------------------------------------------------------*/

/* 64 lowercase hex digits and a NUL into hex[65]. */
AR_API void ar_pdq_to_hex(const ar_pdq_hash *h, char hex[AR_PDQ_HEX_LEN + 1]);

/* Exactly 64 hex digits (lowercase, as HMA demands; `len` is the string's
 * length). AR_EINVAL names the first bad character or the wrong length. */
AR_API AR_NODISCARD ar_status ar_pdq_from_hex(const char *hex, size_t len, ar_pdq_hash *out,
                                              ar_error *err);

/* Hamming distance, 0..256. */
AR_API int ar_pdq_distance(const ar_pdq_hash *a, const ar_pdq_hash *b);

#ifdef __cplusplus
}
#endif
#endif
