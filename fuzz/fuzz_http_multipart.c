/*
 * fuzz/fuzz_http_multipart.c - arbiterd's multipart/form-data parser
 * (src/http/multipart.c) on arbitrary bytes. The input's first line is the
 * Content-Type header, the rest the body (copied to a buffer of its exact
 * size, so a read past the end is caught). Checks:
 *   - a boundary that parses is 1..70 characters and the header names it;
 *   - on AR_OK: 1..AR_MULTIPART_MAX_PARTS parts, each inside the body, in
 *     order, not overlapping, preceded by a delimiter line, and holding no
 *     delimiter; names are non-empty and NUL-terminated; ar_multipart_get
 *     finds the first part of each name;
 *   - on failure: nothing is handed out and the error names a field.
 */
#include "http/multipart.h"

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

static bool contains(const char *h, size_t hn, const char *n, size_t nn)
{
    for (size_t i = 0; nn <= hn && i + nn <= hn; i++)
        if (!memcmp(h + i, n, nn))
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size < 256 ? size : 256);
    if (!nl)
        return 0;
    size_t hl = (size_t)(nl - (const char *)data);
    char header[257];
    memcpy(header, data, hl);
    header[hl] = '\0';
    size_t blen = size - hl - 1;
    char *body = malloc(blen ? blen : 1);
    if (!body)
        return 0;
    memcpy(body, nl + 1, blen);

    char boundary[AR_MULTIPART_BOUNDARY_MAX + 1];
    ar_error err = {0};
    if (ar_multipart_boundary(header, boundary, &err) != AR_OK) {
        CHECK(boundary[0] == '\0');
        CHECK(err.field[0] != '\0');
        free(body);
        return 0;
    }
    size_t bl = strlen(boundary);
    CHECK(bl >= 1 && bl <= AR_MULTIPART_BOUNDARY_MAX);
    CHECK(strstr(header, boundary) != NULL || strchr(header, '\\') != NULL);

    ar_multipart m;
    ar_status st = ar_multipart_parse(body, blen, boundary, &m, &err);
    if (st != AR_OK) {
        CHECK(m.n == 0);
        CHECK(err.field[0] != '\0');
        free(body);
        return 0;
    }
    char delim[AR_MULTIPART_BOUNDARY_MAX + 5];
    size_t dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    CHECK(m.n >= 1 && m.n <= AR_MULTIPART_MAX_PARTS);
    const char *prev_end = body;
    for (size_t i = 0; i < m.n; i++) {
        const ar_multipart_part *p = &m.parts[i];
        CHECK(p->data >= prev_end && p->data + p->len <= body + blen);
        CHECK(p->name[0] != '\0' && strlen(p->name) <= AR_MULTIPART_NAME_MAX);
        CHECK(!contains(p->data, p->len, delim, dl));
        /* the data is followed by a delimiter */
        CHECK(p->data + p->len + dl <= body + blen && !memcmp(p->data + p->len, delim, dl));
        CHECK(contains(prev_end, (size_t)(p->data - prev_end), delim + 2, dl - 2));
        const ar_multipart_part *g = ar_multipart_get(&m, p->name);
        CHECK(g && g <= p && !strcmp(g->name, p->name));
        prev_end = p->data + p->len;
    }
    free(body);
    return 0;
}
