/* tests/image/image_test.h - what the image tests share: cmocka, the copied
 * PDQ corpus (tests/image/corpus, from facebook/ThreatExchange; see its
 * README.md) and reading its files. */
#ifndef AR_IMAGE_TEST_H
#define AR_IMAGE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arbiter/image.h"
#include "image/image_int.h"
#include "lib/ctx_fixture.h"

#define CORPUS AR_SOURCE_DIR "/tests/image/corpus"

/* The whole file under the corpus (fails the test if it cannot be read). */
static inline unsigned char *corpus_read(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Hash a corpus file in `mode`; hex into out[65]. */
static inline int hash_file(ar_ctx *ctx, const char *rel, ar_pdq_mode mode, char *hex)
{
    size_t len;
    unsigned char *data = corpus_read(rel, &len);
    ar_image_opts o = {.mode = mode};
    ar_pdq_hash h;
    int q = -1;
    ar_error err = {0};
    ar_status st = ar_image_pdq(ctx, data, len, &o, &h, &q, NULL, &err);
    free(data);
    if (st != AR_OK)
        fail_msg("%s: %s", rel, err.message);
    ar_pdq_to_hex(&h, hex);
    return q;
}

static inline int hex_distance(const char *a, const char *b)
{
    ar_pdq_hash x, y;
    ar_error err;
    assert_int_equal(ar_pdq_from_hex(a, strlen(a), &x, &err), AR_OK);
    assert_int_equal(ar_pdq_from_hex(b, strlen(b), &y, &err), AR_OK);
    return ar_pdq_distance(&x, &y);
}

#endif
