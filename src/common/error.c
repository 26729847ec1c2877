/*
 * error.c - the one error convention: status names and ar_error filling.
 */
#include "common_int.h"

#include <stdio.h>

static const char *const status_names[] = {
    [AR_OK] = "ok",
    [AR_EINVAL] = "invalid_argument",
    [AR_ENOTFOUND] = "not_found",
    [AR_ECONFLICT] = "conflict",
    [AR_EDENIED] = "permission_denied",
    [AR_ETOOBIG] = "too_big",
    [AR_ENOMEM] = "out_of_memory",
    [AR_EIO] = "io_error",
    [AR_EBACKEND] = "backend_error",
    [AR_ECORRUPT] = "corrupt",
    [AR_EINTERNAL] = "internal",
};

const char *ar_status_name(ar_status s)
{
    if ((unsigned)s >= AR_ARRAY_LEN(status_names) || !status_names[s])
        return "unknown";
    return status_names[s];
}

void ar_error_clear(ar_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void copy_bounded(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static ar_status vset(ar_error *err, ar_status s, const char *file, unsigned line, unsigned column,
                      const char *field, const char *fmt, va_list ap)
{
    if (!err)
        return s;
    err->status = s;
    err->line = line;
    err->column = column;
    copy_bounded(err->file, sizeof err->file, file);
    copy_bounded(err->field, sizeof err->field, field);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return s;
}

ar_status ar_error_set(ar_error *err, ar_status s, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, s, NULL, 0, 0, field, fmt, ap);
    va_end(ap);
    return s;
}

ar_status ar_error_set_at(ar_error *err, ar_status s, const char *file, unsigned line,
                          unsigned column, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(err, s, file, line, column, field, fmt, ap);
    va_end(ap);
    return s;
}

void ar_error_format(const ar_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    if (!err) {
        buf[0] = '\0';
        return;
    }
    int n = 0;
    if (err->file[0] && err->line && err->column)
        n = snprintf(buf, size, "%s:%u:%u: ", err->file, err->line, err->column);
    else if (err->file[0] && err->line)
        n = snprintf(buf, size, "%s:%u: ", err->file, err->line);
    else if (err->file[0])
        n = snprintf(buf, size, "%s: ", err->file);
    if (n < 0 || (size_t)n >= size)
        return;
    snprintf(buf + n, size - (size_t)n, "%s", err->message[0] ? err->message : ar_status_name(err->status));
}
