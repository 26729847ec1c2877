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
 * Speed without changing a bit (each running sum still sees the same
 * operations in the same order):
 *   - rows are filtered 8 at a time, one row per vector lane (box_rows8),
 *     so 8 dependent chains of adds fill the pipeline instead of one;
 *   - a column pass walks the rows once, updating every column's sum side
 *     by side (vectorised), instead of striding down one column at a time;
 *   - the four passes stream (H1 -> V1 -> H2 -> V2): each row goes through
 *     all of them while it is in cache, through rings of a few dozen rows,
 *     so the image is read once and no second image-sized buffer exists;
 *   - the last vertical pass runs only over the 64 columns decimation reads.
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

/* Eight rows at once: the block is transposed so each row becomes a lane,
 * the 8 running sums advance side by side (box_cols on 8 columns: the same
 * operations per row as box1d, in the same order), and transposed back.
 * One row's sum is a chain of dependent adds; 8 chains fill the pipeline.
 * `scratch` holds 16 cols + 8 floats. */
static void box_rows8(const float *const in[8], float *const out[8], size_t cols, size_t w,
                      float *scratch)
{
    float *ta = scratch, *tb = scratch + 8 * cols, *sum = scratch + 16 * cols;
    for (size_t c = 0; c < cols; c++)
        for (size_t k = 0; k < 8; k++)
            ta[c * 8 + k] = in[k][c];
    box_cols(ta, tb, cols, 8, 8, w, sum);
    for (size_t c = 0; c < cols; c++)
        for (size_t k = 0; k < 8; k++)
            out[k][c] = tb[c * 8 + k];
}

/* `n` (at most 8) rows: a block of 8, or one at a time for the rest. */
static void box_rows_n(const float *const in[8], float *const out[8], size_t n, size_t cols,
                       size_t w, float *scratch)
{
    if (n == 8) {
        box_rows8(in, out, cols, w, scratch);
        return;
    }
    for (size_t k = 0; k < n; k++)
        box1d(in[k], out[k], cols, 1, w);
}

/*---- Jarosz filter, streamed ----*/

/* box1d down every column, fed one row at a time: row k added (and row k-w
 * dropped) gives output row k-(h-1); finishing gives the last h-1. The
 * reference's phases, in its order, per column. The caller writes row k
 * into vbox_slot() before vbox_push(); the ring keeps the w rows a drop
 * still needs plus `ahead` rows written before they are pushed. */
typedef struct vbox {
    size_t n, w, h, cols, k, nring;
    float *ring, *sum;
    int cnt;
} vbox;

static float *vbox_init(vbox *v, size_t n, size_t w, size_t cols, size_t ahead, float *mem)
{
    *v = (vbox){.n = n, .w = w, .h = (w + 2) / 2, .cols = cols, .nring = w + 1 + ahead};
    v->ring = mem;
    v->sum = mem + v->nring * cols;
    for (size_t c = 0; c < cols; c++)
        v->sum[c] = 0.0f;
    return v->sum + cols;
}

static float *vbox_slot(const vbox *v, size_t k)
{
    return v->ring + (k % v->nring) * v->cols;
}

/* Push row v->k (already in its slot); returns the output row index written
 * to `out`, or -1 while the window fills. */
static long vbox_push(vbox *v, float *out)
{
    const float *a = vbox_slot(v, v->k);
    float *sum = v->sum;
    long o = -1;
    if (v->k < v->w) {
        v->cnt++;
        const float d = (float)v->cnt;
        for (size_t c = 0; c < v->cols; c++)
            sum[c] += a[c];
        if (v->k + 1 >= v->h) {
            for (size_t c = 0; c < v->cols; c++)
                out[c] = sum[c] / d;
            o = (long)(v->k - (v->h - 1));
        }
    } else {
        const float *b = vbox_slot(v, v->k - v->w), d = (float)v->cnt;
        for (size_t c = 0; c < v->cols; c++) {
            sum[c] += a[c];
            sum[c] -= b[c];
            out[c] = sum[c] / d;
        }
        o = (long)(v->k - (v->h - 1));
    }
    v->k++;
    return o;
}

/* After the n-th push: the t-th of the h-1 last outputs (t = 0 .. h-2). */
static long vbox_tail(vbox *v, size_t t, float *out)
{
    size_t li = v->n - v->w + t;
    const float *b = vbox_slot(v, li);
    v->cnt--;
    const float d = (float)v->cnt;
    for (size_t c = 0; c < v->cols; c++) {
        v->sum[c] -= b[c];
        out[c] = v->sum[c] / d;
    }
    return (long)(li + v->w - (v->h - 1));
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

size_t ar__pdq_scratch_floats(uint32_t w, uint32_t h)
{
    size_t wy = window_size(h);
    return (wy + 1 + 8 + 1) * (size_t)w /* ring of H1 rows, column sums */
           + 16 * (size_t)w           /* V1 outputs, H2 outputs: 8 rows each */
           + 16 * (size_t)w + 8       /* box_rows8 */
           + (wy + 2) * 64 + 64;      /* ring of the 64 columns, sums */
}

/* The state of one streamed hash: H1 -> V1 -> H2 -> V2 (64 columns). */
typedef struct stream {
    size_t w, wx;
    vbox v1, v2;
    float *b2, *b2h, *scratch;
    size_t nb2, b2first; /* rows waiting in b2, and the first one's index */
    size_t cols[64], rows[64];
    float (*a64)[64];
} stream;

/* V2 output row o: the 64x64 rows that decimate to it. */
static void v2_out(stream *s, long o, const float *row)
{
    for (int i = 0; i < 64; i++)
        if (s->rows[i] == (size_t)o)
            memcpy(s->a64[i], row, sizeof s->a64[i]);
}

/* The V1 rows waiting in b2: H2 on them, then each pushed into V2. */
static void flush_b2(stream *s)
{
    const float *in[8];
    float *out[8], v2row[64];
    for (size_t k = 0; k < s->nb2; k++) {
        in[k] = s->b2 + k * s->w;
        out[k] = s->b2h + k * s->w;
    }
    box_rows_n(in, out, s->nb2, s->w, s->wx, s->scratch);
    for (size_t k = 0; k < s->nb2; k++) {
        float *slot = vbox_slot(&s->v2, s->v2.k);
        for (int j = 0; j < 64; j++)
            slot[j] = out[k][s->cols[j]];
        long o = vbox_push(&s->v2, v2row);
        if (o >= 0)
            v2_out(s, o, v2row);
    }
    s->nb2 = 0;
}

/* A V1 output row lands in b2 (V1 emits rows in order). */
static float *b2_next(stream *s)
{
    if (s->nb2 == 8)
        flush_b2(s);
    return s->b2 + s->nb2 * s->w;
}

void ar__pdq_hash_buffers(const float *luma, float *scratch, uint32_t w, uint32_t h, bool dih,
                          ar_pdq_hash *out, int *quality)
{
    float a64[64][64], v2row[64];
    if (too_small(w, h, dih, out, quality))
        return;
    if (w == 64 && h == 64) {
        memcpy(a64, luma, sizeof a64);
        finish(a64, dih, out, quality);
        return;
    }
    stream s = {.w = w, .wx = window_size(w), .a64 = a64};
    size_t wy = window_size(h);
    float *m = vbox_init(&s.v1, h, wy, w, 8, scratch);
    s.b2 = m;
    s.b2h = m + 8 * (size_t)w;
    s.scratch = s.b2h + 8 * (size_t)w;
    vbox_init(&s.v2, h, wy, 64, 0, s.scratch + 16 * (size_t)w + 8);
    for (int j = 0; j < 64; j++) {
        s.cols[j] = decim_index(j, w);
        s.rows[j] = decim_index(j, h);
    }
    /* H1 eight luminance rows at a time, straight into V1's ring. */
    for (size_t r0 = 0; r0 < h; r0 += 8) {
        size_t nr = h - r0 < 8 ? h - r0 : 8;
        const float *in[8];
        float *slot[8];
        for (size_t k = 0; k < nr; k++) {
            in[k] = luma + (r0 + k) * w;
            slot[k] = vbox_slot(&s.v1, r0 + k);
        }
        box_rows_n(in, slot, nr, w, s.wx, s.scratch);
        for (size_t k = 0; k < nr; k++) {
            float *o = b2_next(&s);
            if (vbox_push(&s.v1, o) >= 0)
                s.nb2++;
        }
    }
    for (size_t t = 0; t + 1 < s.v1.h; t++) {
        vbox_tail(&s.v1, t, b2_next(&s));
        s.nb2++;
    }
    flush_b2(&s);
    for (size_t t = 0; t + 1 < s.v2.h; t++)
        v2_out(&s, vbox_tail(&s.v2, t, v2row), v2row);
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
    float *a = ar__calloc(ctx, ar__pdq_scratch_floats(width, height), sizeof *a);
    if (!a)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory for a %ux%u image", width, height);
    ar__pdq_hash_buffers(luma, a, width, height, dih, out, quality);
    ar__free(ctx, a);
    return AR_OK;
}
