/*
 * url_int.h - what the files of src/url/ share. Not installed.
 */
#ifndef AR_URL_INT_H
#define AR_URL_INT_H

#include "arbiter/url.h"
#include "common/common_int.h"

/* The parts of a canonical URL "scheme://host/path?query" (pointers into it). */
typedef struct ar__url_parts {
    const char *host, *path, *query; /* query: after '?', NULL if none */
    size_t host_len, path_len, query_len;
} ar__url_parts;

/* Split a canonical URL; false if it is not one. */
AR_INTERNAL bool ar__url_split(const char *canon, ar__url_parts *p);

#endif
