/*
 * fuzz/fuzz_text_normalize.c - ar_text_normalize on arbitrary bytes.
 *
 * The first byte picks the leet table (default, off, or a custom one with
 * non-ASCII keys and multi-letter outputs); the rest is the item text.
 * Checks the properties text.h promises, not just "no crash":
 *   - the stream starts and ends with ' ', never has two spaces in a row,
 *     is NUL-terminated, lowercase ASCII and valid UTF-8;
 *   - every output byte maps into the input (src_start <= src_end <= len),
 *     src_start never decreases along the stream, runs are >= 1;
 *   - AR_TEXT_REPAIRED is set exactly when the input is not valid UTF-8;
 *   - the hot path agrees byte for byte (buf, src_start, src_end, run)
 *     with the general loop alone (ar__text_normalize_reference);
 *   - ar_text_span_to_source stays inside the input;
 *   - with leet off, normalising the output again never makes it longer
 *     (it is not a strict fixed point: "b 😀 a d" gives " b a d ", whose
 *     second pass joins the chain).
 */
#include "arbiter/text.h"
#include "text/text_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #x);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static ar_ctx *ctx;
static ar_text_norm *norms[3];
static ar_text_out out, again, ref;

static void setup(void)
{
    static const ar_text_leet custom[] = {
        {"4", "a"},         {"\xE2\x82\xAC", "e"}, {"8", "ate"}, {"%", "xx"}, {"\xEF\xBF\xBD", "q"},
        {"\xD0\xB6", "zh"}, {"@", "at"},           {"|", "l"},
    };
    ar_error err;
    if (ar_ctx_new(NULL, &ctx, &err) != AR_OK ||
        ar_text_norm_new(ctx, NULL, 0, &norms[0], &err) != AR_OK ||
        ar_text_norm_new(ctx, custom, 0, &norms[1], &err) != AR_OK ||
        ar_text_norm_new(ctx, custom, sizeof custom / sizeof custom[0], &norms[2], &err) != AR_OK)
        abort();
    ar_text_out_init(&out, ctx);
    ar_text_out_init(&again, ctx);
    ar_text_out_init(&ref, ctx);
}

static void check_out(const ar_text_out *o, size_t len)
{
    CHECK(o->len >= 1);
    CHECK(o->buf[0] == ' ' && o->buf[o->len - 1] == ' ');
    CHECK(o->buf[o->len] == '\0');
    for (size_t i = 0; i < o->len; i++) {
        CHECK(o->buf[i] != '\0');
        CHECK(!(o->buf[i] >= 'A' && o->buf[i] <= 'Z'));
        CHECK(o->src_start[i] <= o->src_end[i]);
        CHECK(o->src_end[i] <= len);
        CHECK(o->run[i] >= 1);
        if (i) {
            CHECK(!(o->buf[i] == ' ' && o->buf[i - 1] == ' '));
            CHECK(o->src_start[i - 1] <= o->src_start[i]);
        }
    }
    CHECK(ar_text_utf8_valid(o->buf, o->len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx) setup();
    if (size == 0) return 0;
    const ar_text_norm *norm = norms[data[0] % 3];
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    ar_error err;
    if (ar_text_normalize(norm, in, len, &out, &err) != AR_OK) abort(); /* never fails on content */
    check_out(&out, len);
    bool valid = ar_text_utf8_valid(in, len);
    CHECK(valid == !(out.flags & AR_TEXT_REPAIRED));

    if (ar__text_normalize_reference(norm, in, len, &ref, &err) != AR_OK) abort();
    CHECK(ref.len == out.len && ref.flags == out.flags);
    CHECK(memcmp(ref.buf, out.buf, out.len) == 0);
    CHECK(memcmp(ref.src_start, out.src_start, out.len * sizeof *out.src_start) == 0);
    CHECK(memcmp(ref.src_end, out.src_end, out.len * sizeof *out.src_end) == 0);
    CHECK(memcmp(ref.run, out.run, out.len * sizeof *out.run) == 0);

    for (size_t k = 0; k < 4 && out.len; k++) {
        size_t a = (size_t)data[k % size] % (out.len + 1), b = (size_t)data[(k + 1) % size];
        b = b % (out.len + 1);
        size_t s, e;
        ar_text_span_to_source(&out, a, b, &s, &e);
        CHECK(s <= e && e <= len);
    }

    /* Folds are stable (gen_fold checks), so a second pass can only squeeze
     * or join what the first left apart. */
    if (norm == norms[1]) {
        if (ar_text_normalize(norm, out.buf, out.len, &again, &err) != AR_OK) abort();
        check_out(&again, out.len);
        CHECK(again.len <= out.len);
    }
    return 0;
}
