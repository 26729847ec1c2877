/*
 * pdq.c - the PDQ hash of a float luminance array, bit for bit as Meta's
 * reference (pdq/cpp/hashing/pdqhashing.cpp, downscaling.cpp, torben.cpp;
 * ../shared/PDQ.md section 1 describes every step).
 *
 * Bit-exactness rests on doing the same float32 operations in the same
 * order: one running float sum per box filter (add the incoming sample,
 * then subtract the outgoing one, divide by the count as a float), DCT dot
 * products accumulated left to right in one float, the DCT matrix rounded
 * from double. This file is built with -ffp-contract=off (module.cmake):
 * a fused multiply-add would change the last bits.
 *
 * Speed without changing a bit: the reference filters each column of the
 * image on its own, striding through memory; here a column pass walks the
 * rows once and updates every column's running sum side by side (the same
 * operations per column, in the same order), which the compiler vectorises.
 * The last vertical pass runs only over the 64 columns decimation reads.
 * ar__pdq_hash_reference keeps the reference's loop order; the tests and
 * the fuzzer hold the two equal.
 */
#include "image_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*---- The DCT matrix ----*/

#define AR_PI 3.14159265358979323846 /* M_PI, which strict C17 lacks */

static float dct_matrix[16][64];
static pthread_once_t dct_once = PTHREAD_ONCE_INIT;

/* D[i][k] = sqrt(2/64) cos(pi/128 (i+1)(2k+1)): the scale factor rounded to
 * float first, the product in double, stored as float (as upstream). */
static void dct_init(void)
{
    const float scale = (float)sqrt(2.0 / 64.0);
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < 64; k++)
            dct_matrix[i][k] = (float)(scale * cos((AR_PI / 2 / 64.0) * (i + 1) * (2 * k + 1)));
}

/*---- Jarosz filter: box passes ----*/

/* ceil(old / (2 new)): half a 1/64 block, since two box passes make a tent. */
static uint32_t window_size(uint32_t old_dim)
{
    return (old_dim + 2 * 64 - 1) / (2 * 64);
}

/* The reference's 1-D box filter of window w over n samples `stride` apart:
 * out[o] is the mean of in[max(0, o-(w-h)) .. min(n-1, o+h-1)], h = (w+2)/2. */
static void box1d(const float *in, float *out, size_t n, size_t stride, size_t w)
{
    size_t h = (w + 2) / 2, ri = 0, li = 0, oi = 0;
    float sum = 0.0f;
    int cnt = 0;
    for (size_t i = 0; i + 1 < h; i++, ri += stride) {
        sum += in[ri];
        cnt++;
    }
    for (size_t i = 0; i < w - h + 1; i++, ri += stride, oi += stride) {
        sum += in[ri];
        cnt++;
        out[oi] = sum / (float)cnt;
    }
    for (size_t i = 0; i < n - w; i++, ri += stride, li += stride, oi += stride) {
        sum += in[ri];
        sum -= in[li];
        out[oi] = sum / (float)cnt;
    }
    for (size_t i = 0; i + 1 < h; i++, li += stride, oi += stride) {
        sum -= in[li];
        cnt--;
        out[oi] = sum / (float)cnt;
    }
}

static void box_rows(const float *in, float *out, size_t rows, size_t cols, size_t w)
{
    for (size_t r = 0; r < rows; r++)
        box1d(in + r * cols, out + r * cols, cols, 1, w);
}

/* Every column at once, a row at a time: column c sees exactly box1d's
 * operations on column c. `cols` of the `stride`-wide rows, from column 0;
 * `sum` is scratch for `cols` floats. */
static inline __attribute__((always_inline)) void
box_cols(const float *in, float *out, size_t rows, size_t cols, size_t stride, size_t w, float *sum)
{
    size_t h = (w + 2) / 2, ri = 0, li = 0, oi = 0;
    int cnt = 0;
    for (size_t c = 0; c < cols; c++)
        sum[c] = 0.0f;
    for (size_t i = 0; i + 1 < h; i++, ri++) {
        const float *a = in + ri * stride;
        for (size_t c = 0; c < cols; c++)
            sum[c] += a[c];
        cnt++;
    }
    for (size_t i = 0; i < w - h + 1; i++, ri++, oi++) {
        const float *a = in + ri * stride;
        float *o = out + oi * stride;
        cnt++;
        const float d = (float)cnt;
        for (size_t c = 0; c < cols; c++) {
            sum[c] += a[c];
            o[c] = sum[c] / d;
        }
    }
    const float d = (float)cnt;
    for (size_t i = 0; i < rows - w; i++, ri++, li++, oi++) {
        const float *a = in + ri * stride, *b = in + li * stride;
        float *o = out + oi * stride;
        for (size_t c = 0; c < cols; c++) {
            sum[c] += a[c];
            sum[c] -= b[c];
            o[c] = sum[c] / d;
        }
    }
    for (size_t i = 0; i + 1 < h; i++, li++, oi++) {
        const float *b = in + li * stride;
        float *o = out + oi * stride;
        cnt--;
        const float e = (float)cnt;
        for (size_t c = 0; c < cols; c++) {
            sum[c] -= b[c];
            o[c] = sum[c] / e;
        }
    }
}

/* Rows 8 at a time: the block is transposed so each row becomes a lane, the
 * 8 running sums advance side by side (box_cols on 8 columns: the same
 * operations per row as box1d, in the same order), and transposed back.
 * One row's sum is a chain of dependent adds; 8 chains fill the pipeline.
 * `scratch` holds 16 cols + 8 floats. */
static void box_rows_fast(const float *in, float *out, size_t rows, size_t cols, size_t w,
                          float *scratch)
{
    float *ta = scratch, *tb = scratch + 8 * cols, *sum = scratch + 16 * cols;
    size_t r0 = 0;
    for (; r0 + 8 <= rows; r0 += 8) {
        const float *src = in + r0 * cols;
        for (size_t c = 0; c < cols; c++)
            for (size_t k = 0; k < 8; k++)
                ta[c * 8 + k] = src[k * cols + c];
        box_cols(ta, tb, cols, 8, 8, w, sum);
        float *dst = out + r0 * cols;
        for (size_t c = 0; c < cols; c++)
            for (size_t k = 0; k < 8; k++)
                dst[k * cols + c] = tb[c * 8 + k];
    }
    for (; r0 < rows; r0++)
        box1d(in + r0 * cols, out + r0 * cols, cols, 1, w);
}

/* Cell (i, j) of the 64x64 takes sample (floor((i+.5) R/64), floor((j+.5) C/64)). */
static size_t decim_index(int i, uint32_t dim)
{
    return (size_t)(((i + 0.5) * dim) / 64);
}

/*---- Quality, DCT, median, bits ----*/

/* Sum of |int(100 (u-v) / 255)| over neighbour pairs, / 90, capped at 100. */
static int quality_metric(float a[64][64])
{
    int sum = 0;
    for (int i = 0; i < 63; i++)
        for (int j = 0; j < 64; j++) {
            int d = (int)(((a[i][j] - a[i + 1][j]) * 100) / 255);
            sum += abs(d);
        }
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 63; j++) {
            int d = (int)(((a[i][j] - a[i][j + 1]) * 100) / 255);
            sum += abs(d);
        }
    int q = sum / 90;
    return q > 100 ? 100 : q;
}

/* B = D A D^T, each dot product one float summed in index order. */
static void dct64_to_16(float a[64][64], float b[16][16])
{
    float t[16][64];
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 64; j++) {
            float s = 0.0f;
            for (int k = 0; k < 64; k++)
                s += dct_matrix[i][k] * a[k][j];
            t[i][j] = s;
        }
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            float s = 0.0f;
            for (int k = 0; k < 64; k++)
                s += t[i][k] * dct_matrix[j][k];
            b[i][j] = s;
        }
}

/* The 128th smallest of 256 (Torben's median for even n: the lower one). */
static float lower_median(const float v[256])
{
    float a[256];
    memcpy(a, v, sizeof a);
    size_t lo = 0, hi = 255, k = 127;
    while (lo < hi) { /* quickselect, Hoare partition */
        float p = a[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                float t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return a[k];
}

/* Bit 16i+j is B[i][j] > median; it lives in byte 31 - k/8, bit k%8. */
static void to_bits(float b[16][16], ar_pdq_hash *out)
{
    float m = lower_median(&b[0][0]);
    memset(out->b, 0, sizeof out->b);
    for (int k = 0; k < 256; k++)
        if (b[k / 16][k % 16] > m)
            out->b[31 - k / 8] |= (uint8_t)(1u << (k % 8));
}

/* PDQ.md 1.3: each variant is sign flips (by parity) and maybe a transpose.
 * sign bits: 1 = by j odd, 2 = by i odd, 4 = by i+j even; transpose. */
static void dihedral(float a[16][16], ar_pdq_hash out[AR_PDQ_DIHEDRAL])
{
    static const struct {
        bool transpose;
        int keep; /* 0 all, 1 j odd, 2 i odd, 3 i+j even */
    } v[AR_PDQ_DIHEDRAL] = {
        {false, 0}, {true, 1}, {false, 3}, {true, 2}, {false, 2}, {false, 1}, {true, 0}, {true, 3},
    };
    for (int n = 0; n < AR_PDQ_DIHEDRAL; n++) {
        float b[16][16];
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++) {
                bool keep = v[n].keep == 0   ? true
                            : v[n].keep == 1 ? (j & 1)
                            : v[n].keep == 2 ? (i & 1)
                                             : !((i + j) & 1);
                float x = keep ? a[i][j] : -a[i][j];
                if (v[n].transpose)
                    b[j][i] = x;
                else
                    b[i][j] = x;
            }
        to_bits(b, &out[n]);
    }
}

static void finish(float a64[64][64], bool dih, ar_pdq_hash *out, int *quality)
{
    float b[16][16];
    pthread_once(&dct_once, dct_init);
    dct64_to_16(a64, b);
    *quality = quality_metric(a64);
    if (dih)
        dihedral(b, out);
    else
        to_bits(b, out);
}

static bool too_small(uint32_t w, uint32_t h, bool dih, ar_pdq_hash *out, int *quality)
{
    if (w >= AR__PDQ_MIN_DIM && h >= AR__PDQ_MIN_DIM)
        return false;
    memset(out, 0, sizeof *out * (dih ? AR_PDQ_DIHEDRAL : 1));
    *quality = 0;
    return true;
}

/*---- Entry points ----*/

void ar__pdq_hash_reference(float *luma, float *tmp, uint32_t w, uint32_t h, bool dih,
                            ar_pdq_hash *out, int *quality)
{
    float a64[64][64];
    if (too_small(w, h, dih, out, quality))
        return;
    if (w == 64 && h == 64) {
        memcpy(a64, luma, sizeof a64);
    } else {
        size_t wx = window_size(w), wy = window_size(h);
        for (int pass = 0; pass < 2; pass++) {
            box_rows(luma, tmp, h, w, wx);
            for (size_t c = 0; c < w; c++)
                box1d(tmp + c, luma + c, h, w, wy);
        }
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++)
                a64[i][j] = luma[decim_index(i, h) * w + decim_index(j, w)];
    }
    finish(a64, dih, out, quality);
}

void ar__pdq_hash_buffers(float *luma, float *tmp, float *sums, uint32_t w, uint32_t h, bool dih,
                          ar_pdq_hash *out, int *quality)
{
    float a64[64][64];
    if (too_small(w, h, dih, out, quality))
        return;
    if (w == 64 && h == 64) {
        memcpy(a64, luma, sizeof a64);
        finish(a64, dih, out, quality);
        return;
    }
    size_t wx = window_size(w), wy = window_size(h);
    box_rows_fast(luma, tmp, h, w, wx, sums);
    box_cols(tmp, luma, h, w, w, wy, sums);
    box_rows_fast(luma, tmp, h, w, wx, sums);
    /* The last vertical pass: only the 64 columns decimation reads, gathered
     * into a 64-wide array (luma is free now, and holds two of them when the
     * image is at least 128 wide). */
    size_t cols[64];
    for (int j = 0; j < 64; j++)
        cols[j] = decim_index(j, w);
    if (w < 128) {
        box_cols(tmp, luma, h, w, w, wy, sums);
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++)
                a64[i][j] = luma[decim_index(i, h) * w + cols[j]];
    } else {
        float *g = luma, *go = luma + (size_t)h * 64;
        for (size_t r = 0; r < h; r++)
            for (int j = 0; j < 64; j++)
                g[r * 64 + (size_t)j] = tmp[r * w + cols[j]];
        box_cols(g, go, h, 64, 64, wy, sums);
        for (int i = 0; i < 64; i++)
            memcpy(a64[i], go + decim_index(i, h) * 64, sizeof a64[i]);
    }
    finish(a64, dih, out, quality);
}

ar_status ar_pdq_hash_luma(ar_ctx *ctx, const float *luma, uint32_t width, uint32_t height,
                           bool dih, ar_pdq_hash *out, int *quality, ar_error *err)
{
    size_t nout = dih ? AR_PDQ_DIHEDRAL : 1;
    if (out)
        memset(out, 0, sizeof *out * nout);
    if (quality)
        *quality = 0;
    if (!ctx || !out || !quality || (!luma && width && height))
        return ar_error_set(err, AR_EINVAL, NULL, "ar_pdq_hash_luma: NULL argument");
    if (width > AR_IMAGE_MAX_SIDE || height > AR_IMAGE_MAX_SIDE ||
        (uint64_t)width * height > AR_IMAGE_MAX_PIXELS)
        return ar_error_set(err, AR_ETOOBIG, "luma", "%ux%u luminance is over %u px a side or %u px",
                            width, height, AR_IMAGE_MAX_SIDE, AR_IMAGE_MAX_PIXELS);
    size_t n = (size_t)width * height;
    for (size_t i = 0; i < n; i++) /* the quality metric converts to int: keep it defined */
        if (!(luma[i] >= -65536.0f && luma[i] <= 65536.0f))
            return ar_error_set(err, AR_EINVAL, "luma", "sample %zu is not a number in -65536..65536", i);
    if (too_small(width, height, dih, out, quality))
        return AR_OK;
    float *a = ar__calloc(ctx, 2 * n + AR__PDQ_SCRATCH(width), sizeof *a);
    if (!a)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for a %ux%u image", width, height);
    memcpy(a, luma, n * sizeof *a);
    ar__pdq_hash_buffers(a, a + n, a + 2 * n, width, height, dih, out, quality);
    ar__free(ctx, a);
    return AR_OK;
}
