/*
 * fuzz/fuzz_url_canonicalize.c - the url module on arbitrary bytes: the
 * input is canonicalised as a URL, searched for URLs as a text, and looked
 * up in a small URL set. Checks the properties url.h promises:
 *   - a canonical URL starts "http://" or "https://", holds a '/' after the
 *     host, and no byte <= 0x20, >= 0x7f or '#' (they are escaped);
 *   - canonicalising it again gives it back (a fixed point);
 *   - its expressions number 1..30, each at most AR_URL_EXPR_MAX bytes,
 *     none twice; the exact host+path is among them;
 *   - every span ar_url_find returns lies inside the input, in order,
 *     without overlap;
 *   - ar_url_expression_of of the input, when it succeeds, is itself a
 *     list entry that canonicalises to itself.
 */
#include "arbiter/url.h"

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
static ar_url_set *set;

static void setup(void)
{
    static const char *const entries[] = {"evil.example/", "a.b/c/", "1.2.3.4/", "x.test/q?r"};
    if (ar_ctx_new(NULL, &ctx, NULL) != AR_OK || ar_url_set_new(ctx, &set, NULL) != AR_OK)
        abort();
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        if (ar_url_set_add(set, entries[i], (uint32_t)i, NULL) != AR_OK)
            abort();
    ar_url_set_freeze(set);
}

static void check_canonical(const char *c)
{
    CHECK(!strncmp(c, "http://", 7) || !strncmp(c, "https://", 8));
    const char *host = strstr(c, "://") + 3;
    CHECK(strchr(host, '/') != NULL && strchr(host, '/') != host);
    for (const unsigned char *p = (const unsigned char *)c; *p; p++)
        CHECK(*p > 0x20 && *p < 0x7f && *p != '#');
    char again[AR_URL_CANON_MAX];
    CHECK(ar_url_canonicalize(c, strlen(c), again, sizeof again, NULL) == AR_OK ||
          strlen(c) > AR_URL_MAX_BYTES);
    if (strlen(c) <= AR_URL_MAX_BYTES)
        CHECK(strcmp(again, c) == 0);
    ar_url_exprs ex;
    size_t n = ar_url_expressions(c, &ex);
    CHECK(n <= AR_URL_MAX_EXPRS);
    for (size_t i = 0; i < n; i++) {
        CHECK(strlen(ex.v[i]) <= AR_URL_EXPR_MAX);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(ex.v[i], ex.v[j]) != 0);
    }
    if (strlen(host) <= AR_URL_EXPR_MAX)
        CHECK(n >= 1 && strcmp(ex.v[0], host) == 0);
    ar_url_hit hits[8];
    size_t nh = ar_url_set_lookup(set, c, hits, 8);
    for (size_t i = 0; i < nh; i++)
        CHECK(hits[i].list < 4 && hits[i].expr != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx)
        setup();
    const char *in = (const char *)data;
    char canon[AR_URL_CANON_MAX], expr[AR_URL_EXPR_MAX + 1];
    if (ar_url_canonicalize(in, size, canon, sizeof canon, NULL) == AR_OK)
        check_canonical(canon);
    else
        CHECK(canon[0] == '\0');
    if (ar_url_expression_of(in, size, expr, sizeof expr, NULL) == AR_OK) {
        char e2[AR_URL_EXPR_MAX + 1];
        CHECK(ar_url_expression_of(expr, strlen(expr), e2, sizeof e2, NULL) == AR_OK);
        CHECK(strcmp(expr, e2) == 0);
    }
    ar_url_span spans[AR_URL_MAX_IN_TEXT];
    size_t n = ar_url_find(in, size, spans, AR_URL_MAX_IN_TEXT);
    uint32_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(spans[i].start >= prev && spans[i].start < spans[i].end && spans[i].end <= size);
        CHECK(spans[i].end - spans[i].start <= AR_URL_MAX_BYTES);
        prev = spans[i].end;
    }
    return 0;
}
