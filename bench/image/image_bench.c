/*
 * bench/image/image_bench.c - PDQ hashes/s beside the floor under them.
 *
 * For each image given, in one run: decoding alone to luminance
 * (ar_image_decode_only: libjpeg-turbo/libpng/libwebp plus the RGB -> luma
 * conversion, the floor no hasher goes below), then decode + hash in both
 * families (full-res, as pytx/HMA; 512x512, as the C++ CLI), then the
 * 8 dihedral variants. The hash-only cost is the difference; the core alone
 * is also timed on luminance already in memory (ar_pdq_hash_luma), which is
 * what Meta's benchmark-photo-hasher reports as "hashing" (PDQ.md 3.3:
 * 3.4 ms for the bridge at 512x512; 24 ms at full resolution).
 *
 * usage: bench_image [-t SECONDS_PER_MEASURE] IMAGE...
 */
#include "arbiter/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

enum { DECODE, FULL, CLI, DIH, NKIND };
static const char *const kind_name[NKIND] = {"decode", "full-res", "512", "8 variants"};

/* Seconds per call of one kind, repeated for about `secs`. */
static double measure(ar_ctx *ctx, int kind, const unsigned char *b, size_t len, double secs)
{
    ar_image_opts o = {.mode = kind == CLI ? AR_PDQ_RESIZE_512 : AR_PDQ_FULL_RES};
    ar_pdq_hash h[AR_PDQ_DIHEDRAL];
    int q;
    ar_error err;
    long n = 0;
    double t0 = now(), t;
    do {
        ar_status st = kind == DECODE ? ar_image_decode_only(ctx, b, len, &o, NULL, &err)
                       : kind == DIH  ? ar_image_pdq_dihedral(ctx, b, len, &o, h, &q, NULL, &err)
                                      : ar_image_pdq(ctx, b, len, &o, h, &q, NULL, &err);
        if (st != AR_OK) {
            fprintf(stderr, "bench_image: %s\n", err.message);
            exit(1);
        }
        n++;
        t = now();
    } while (t - t0 < secs || n < 3);
    return (t - t0) / (double)n;
}

/* The core alone on a w x h luminance array (no decode). */
static double measure_core(ar_ctx *ctx, uint32_t w, uint32_t h, double secs)
{
    float *a = malloc((size_t)w * h * sizeof *a);
    for (size_t i = 0; i < (size_t)w * h; i++)
        a[i] = (float)((i * 2654435761u >> 13) % 256);
    ar_pdq_hash hash;
    int q;
    ar_error err;
    long n = 0;
    double t0 = now(), t;
    do {
        if (ar_pdq_hash_luma(ctx, a, w, h, false, &hash, &q, &err) != AR_OK)
            exit(1);
        n++;
        t = now();
    } while (t - t0 < secs || n < 3);
    free(a);
    return (t - t0) / (double)n;
}

int main(int argc, char **argv)
{
    double secs = 0.3;
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "-t")) {
        secs = atof(argv[2]);
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: bench_image [-t SECONDS] IMAGE...\n");
        return 2;
    }
    ar_ctx *ctx;
    ar_error err;
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK)
        return 1;
    printf("%-34s %11s %9s %8s %8s %8s %9s %9s\n", "image", "size", "decode", "full-res",
           "512", "8 var.", "full/dec", "512/dec");
    printf("%-34s %11s %9s %8s %8s %8s %9s %9s\n", "", "", "ms", "ms", "ms", "ms", "ratio",
           "ratio");
    double tot[NKIND] = {0};
    int nimg = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        unsigned char *b = slurp(argv[i], &len);
        if (!b) {
            fprintf(stderr, "bench_image: cannot read %s\n", argv[i]);
            return 1;
        }
        ar_image_info info;
        if (ar_image_decode_only(ctx, b, len, NULL, &info, &err) != AR_OK) {
            fprintf(stderr, "bench_image: %s: %s\n", argv[i], err.message);
            return 1;
        }
        double t[NKIND];
        for (int k = 0; k < NKIND; k++) {
            t[k] = measure(ctx, k, b, len, secs);
            tot[k] += t[k];
        }
        const char *name = strrchr(argv[i], '/');
        char dim[24];
        snprintf(dim, sizeof dim, "%ux%u", info.width, info.height);
        printf("%-34.34s %11s %9.2f %8.2f %8.2f %8.2f %9.2f %9.2f\n", name ? name + 1 : argv[i],
               dim, t[DECODE] * 1e3, t[FULL] * 1e3, t[CLI] * 1e3, t[DIH] * 1e3,
               t[FULL] / t[DECODE], t[CLI] / t[DECODE]);
        nimg++;
        free(b);
    }
    printf("\nall %d images, one core: decode %.1f images/s; decode+hash full-res %.1f hashes/s "
           "(%.2fx the decode time), 512 %.1f hashes/s (%.2fx); 8 variants full-res %.1f/s\n",
           nimg, nimg / tot[DECODE], nimg / tot[FULL], tot[FULL] / tot[DECODE], nimg / tot[CLI],
           tot[CLI] / tot[DECODE], nimg / tot[DIH]);
    (void)kind_name;
    printf("\nthe core alone (luminance in memory, as Meta's benchmark-photo-hasher times "
           "\"hashing\"):\n");
    static const uint32_t sz[][2] = {{512, 512}, {1600, 1004}, {4032, 3024}};
    static const char *const ref[] = {"3.4 ms (pdq-photo-hasher, bridge after the 512 resize)",
                                      "~24 ms (upstream core, full-res driver)",
                                      "~540 ms (upstream core, full-res driver)"};
    for (size_t i = 0; i < 3; i++) {
        double t = measure_core(ctx, sz[i][0], sz[i][1], secs);
        printf("  %4ux%-4u  %8.2f ms  (%6.0f/s)   reference on the same machine kind: %s\n",
               sz[i][0], sz[i][1], t * 1e3, 1 / t, ref[i]);
    }
    ar_ctx_free(ctx);
    return 0;
}
