/*
 * multipart.h - a multipart/form-data body (RFC 7578, RFC 2046 section
 * 5.1.1), parsed in place from a body arbiterd already holds whole.
 *
 * Why not libmicrohttpd's MHD_PostProcessor: server.c reads every body
 * into an ar_http_req before dispatch (so handlers and tests never see a
 * connection), and the post processor streams from a connection's upload
 * callback. Parsing the held body is one pass over bytes the server has
 * already bounded by the body limit.
 *
 * Contract: parts are borrowed spans of the body (no copies: an uploaded
 * image is hashed from the request buffer and never stored or logged).
 * At most AR_MULTIPART_MAX_PARTS parts, each with a Content-Disposition of
 * form-data and a field name of at most AR_MULTIPART_NAME_MAX bytes;
 * headers of a part at most AR_MULTIPART_HEADERS_MAX bytes. Anything else
 * is AR_EINVAL (AR_ETOOBIG for the limits) naming what is wrong; *out is
 * cleared on failure. Part data may be empty. A preamble before the first
 * boundary and an epilogue after the last are ignored, as the RFC says.
 *
 * THREAD SAFETY: pure functions over caller-owned memory.
 */
#ifndef AR_HTTP_MULTIPART_H
#define AR_HTTP_MULTIPART_H

#include "arbiter/common.h"

#include <stdbool.h>
#include <stddef.h>

#define AR_MULTIPART_MAX_PARTS    8
#define AR_MULTIPART_NAME_MAX     64
#define AR_MULTIPART_HEADERS_MAX  4096
#define AR_MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */

typedef struct ar_multipart_part {
    char name[AR_MULTIPART_NAME_MAX + 1]; /* the form field's name */
    bool is_file;                         /* the part had a filename (never kept) */
    const char *data;                     /* borrowed from the body */
    size_t len;
} ar_multipart_part;

typedef struct ar_multipart {
    ar_multipart_part parts[AR_MULTIPART_MAX_PARTS];
    size_t n;
} ar_multipart;

/* The boundary of a Content-Type header "multipart/form-data; boundary=..."
 * (quoted or not) into boundary[AR_MULTIPART_BOUNDARY_MAX + 1]. AR_EINVAL
 * (field "content-type") if the header is missing, another type, or has no
 * valid boundary. */
ar_status ar_multipart_boundary(const char *content_type, char *boundary, ar_error *err);

/* Parse `len` bytes of body delimited by `boundary`. */
ar_status ar_multipart_parse(const char *body, size_t len, const char *boundary, ar_multipart *out,
                             ar_error *err);

/* The part named `name`, or NULL. */
const ar_multipart_part *ar_multipart_get(const ar_multipart *m, const char *name);

#endif
