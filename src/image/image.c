/*
 * image.c - the public entry points: bytes in, format by magic bytes, one
 * decoder, the luminance sink, the PDQ core; and the hash's text form and
 * distance.
 */
#include "image_int.h"

/*---- Formats ----*/

ar_image_format ar_image_detect(const void *bytes, size_t len)
{
    const uint8_t *b = bytes;
    if (!b)
        return AR_IMAGE_UNKNOWN;
    if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return AR_IMAGE_JPEG;
    if (len >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
        return AR_IMAGE_PNG;
    if (len >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
        return AR_IMAGE_WEBP;
    return AR_IMAGE_UNKNOWN;
}

const char *ar_image_format_name(ar_image_format f)
{
    switch (f) {
    case AR_IMAGE_JPEG: return "jpeg";
    case AR_IMAGE_PNG: return "png";
    case AR_IMAGE_WEBP: return "webp";
    default: return "unknown";
    }
}

const char *ar_pdq_dihedral_name(ar_pdq_dihedral d)
{
    static const char *const names[AR_PDQ_DIHEDRAL] = {
        "original", "rotate90", "rotate180", "rotate270",
        "flipx",    "flipy",    "flipplus1", "flipminus1",
    };
    return (unsigned)d < AR_PDQ_DIHEDRAL ? names[d] : "unknown";
}

/*---- Decode and hash ----*/

static ar_image_opts with_defaults(const ar_image_opts *o)
{
    ar_image_opts r = o ? *o : (ar_image_opts){0};
    if (!r.max_bytes)
        r.max_bytes = AR_IMAGE_MAX_BYTES;
    if (!r.max_side)
        r.max_side = AR_IMAGE_MAX_SIDE;
    if (!r.max_pixels)
        r.max_pixels = AR_IMAGE_MAX_PIXELS;
    return r;
}

/* Check the input, pick the decoder, fill the sink. On failure the sink
 * holds nothing. */
static ar_status decode(ar__luma *l, const ar_image_opts *o, const void *bytes, size_t len,
                        ar_image_info *info, ar_error *err)
{
    if (o->mode != AR_PDQ_FULL_RES && o->mode != AR_PDQ_RESIZE_512)
        return ar_error_set(err, AR_EINVAL, "mode", "unknown PDQ mode %d", (int)o->mode);
    if (!bytes || len == 0)
        return ar_error_set(err, AR_EINVAL, "image", "image is empty");
    if (len > o->max_bytes)
        return ar_error_set(err, AR_ETOOBIG, "image", "image is %zu bytes: over the limit of %zu",
                            len, o->max_bytes);
    ar_image_format f = ar_image_detect(bytes, len);
    ar_status st;
    switch (f) {
    case AR_IMAGE_JPEG: st = ar__decode_jpeg(l, o, bytes, len, err); break;
    case AR_IMAGE_PNG: st = ar__decode_png(l, o, bytes, len, err); break;
    case AR_IMAGE_WEBP: st = ar__decode_webp(l, o, bytes, len, err); break;
    default:
        return ar_error_set(err, AR_EINVAL, "image",
                            "not a JPEG, PNG or WebP image (unknown magic bytes)");
    }
    if (st != AR_OK) {
        ar__luma_free(l);
        return st;
    }
    if (info)
        *info = (ar_image_info){.format = f, .width = l->src_w, .height = l->src_h};
    return AR_OK;
}

static ar_status image_pdq(ar_ctx *ctx, const void *bytes, size_t len, const ar_image_opts *opts,
                           bool dih, ar_pdq_hash *out, int *quality, ar_image_info *info,
                           ar_error *err)
{
    size_t nout = dih ? AR_PDQ_DIHEDRAL : 1;
    if (out)
        memset(out, 0, sizeof *out * nout);
    if (quality)
        *quality = 0;
    if (!ctx || !out || !quality)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_image_pdq: NULL argument");
    ar_image_opts o = with_defaults(opts);
    ar__luma l = {.ctx = ctx, .mode = o.mode};
    ar_status st = decode(&l, &o, bytes, len, info, err);
    if (st != AR_OK)
        return st;
    size_t n = (size_t)l.w * l.h;
    ar__pdq_hash_buffers(l.px, l.px + n, l.w, l.h, dih, out, quality);
    ar__luma_free(&l);
    return AR_OK;
}

ar_status ar_image_pdq(ar_ctx *ctx, const void *bytes, size_t len, const ar_image_opts *opts,
                       ar_pdq_hash *out, int *quality, ar_image_info *info, ar_error *err)
{
    return image_pdq(ctx, bytes, len, opts, false, out, quality, info, err);
}

ar_status ar_image_pdq_dihedral(ar_ctx *ctx, const void *bytes, size_t len,
                                const ar_image_opts *opts, ar_pdq_hash out[AR_PDQ_DIHEDRAL],
                                int *quality, ar_image_info *info, ar_error *err)
{
    return image_pdq(ctx, bytes, len, opts, true, out, quality, info, err);
}

ar_status ar_image_decode_only(ar_ctx *ctx, const void *bytes, size_t len,
                               const ar_image_opts *opts, ar_image_info *info, ar_error *err)
{
    if (!ctx)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_image_decode_only: NULL context");
    ar_image_opts o = with_defaults(opts);
    ar__luma l = {.ctx = ctx, .mode = o.mode, .decode_only = true};
    ar_status st = decode(&l, &o, bytes, len, info, err);
    if (st == AR_OK)
        ar__luma_free(&l);
    return st;
}

/*---- The hash as text; distance ----*/

void ar_pdq_to_hex(const ar_pdq_hash *h, char hex[AR_PDQ_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < AR_PDQ_HASH_BYTES; i++) {
        hex[2 * i] = digits[h->b[i] >> 4];
        hex[2 * i + 1] = digits[h->b[i] & 15];
    }
    hex[AR_PDQ_HEX_LEN] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

ar_status ar_pdq_from_hex(const char *hex, size_t len, ar_pdq_hash *out, ar_error *err)
{
    if (!out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_pdq_from_hex: NULL output");
    memset(out, 0, sizeof *out);
    if (!hex || len != AR_PDQ_HEX_LEN)
        return ar_error_set(err, AR_EINVAL, "pdq",
                            "a PDQ hash is %d hex digits, this one has %zu characters",
                            AR_PDQ_HEX_LEN, hex ? len : 0);
    ar_pdq_hash h;
    for (size_t i = 0; i < AR_PDQ_HEX_LEN; i++) {
        int v = hexval(hex[i]);
        if (v < 0) {
            bool upper = (hex[i] >= 'A' && hex[i] <= 'F');
            return ar_error_set(err, AR_EINVAL, "pdq",
                                upper ? "character %zu of the PDQ hash is an uppercase hex digit: "
                                        "hashes are lowercase"
                                      : "character %zu of the PDQ hash is not a hex digit",
                                i + 1);
        }
        if (i % 2 == 0)
            h.b[i / 2] = (uint8_t)(v << 4);
        else
            h.b[i / 2] |= (uint8_t)v;
    }
    *out = h;
    return AR_OK;
}

int ar_pdq_distance(const ar_pdq_hash *a, const ar_pdq_hash *b)
{
    int d = 0;
    for (int i = 0; i < AR_PDQ_HASH_BYTES; i += 8) {
        uint64_t x, y;
        memcpy(&x, a->b + i, 8);
        memcpy(&y, b->b + i, 8);
        d += __builtin_popcountll(x ^ y);
    }
    return d;
}
