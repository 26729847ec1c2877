/*
 * static.c - the console's files (console/ in the source tree, installed
 * under share/arbiter/console) served at /console/, with / redirecting
 * there. Dispatch sends here every GET or HEAD that no API route matches.
 *
 * Only what is plainly a file of the console is served:
 *   - the path under /console/ is segments of [A-Za-z0-9._-], none empty
 *     and none starting with '.', so no "..", no hidden files, no escapes
 *     ('%' is refused rather than decoded);
 *   - each segment is opened with O_NOFOLLOW below a descriptor of the
 *     console directory: a symlink anywhere inside it is refused, so
 *     nothing outside the directory can be reached;
 *   - the file must be regular and at most STATIC_FILE_MAX bytes, and its
 *     extension one of a fixed few, which fix the Content-Type.
 * Every answer carries a strict Content-Security-Policy (this origin only,
 * no inline script or style, no framing) and X-Frame-Options: DENY; the
 * server adds X-Content-Type-Options: nosniff and Cache-Control: no-store
 * to every response (a staff console is not kept in shared caches).
 */
#include "http/handlers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATIC_FILE_MAX  (4u << 20) /* bytes */
#define STATIC_PATH_MAX  256        /* bytes of the path under /console/ */
#define STATIC_DEPTH_MAX 8          /* directories below the console's */
#define CONSOLE_PREFIX   "/console/"

static const char csp[] = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static const struct {
    const char *ext, *type;
} content_types[] = {
    {".html", "text/html; charset=utf-8"},     {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},                 {".png", "image/png"},
    {".ico", "image/x-icon"},                  {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof content_types / sizeof content_types[0]; i++)
        if (!strcmp(dot, content_types[i].ext))
            return content_types[i].type;
    return NULL;
}

static void security_headers(ar_http_res *res)
{
    ar_http_res_header(res, "Content-Security-Policy", csp);
    ar_http_res_header(res, "X-Frame-Options", "DENY");
    ar_http_res_header(res, "Referrer-Policy", "no-referrer");
}

static void not_found(ar_http_res *res, const char *why)
{
    ar_http_reply_errorf(res, 404, AR_HTTP_CODE_NO_ROUTE, "path", "%s", why);
    security_headers(res);
}

static void redirect(ar_http_res *res, const char *to)
{
    ar_http_reply_text(res, 302, "text/plain; charset=utf-8", NULL, 0);
    security_headers(res);
    ar_http_res_header(res, "Location", to);
}

/* Is `rel` (the path below /console/) segments of [A-Za-z0-9._-], none
 * empty, none starting with '.', at most STATIC_DEPTH_MAX + 1 deep? */
static bool safe_relative_path(const char *rel)
{
    size_t n = strlen(rel), depth = 0;
    if (n == 0 || n > STATIC_PATH_MAX)
        return false;
    for (const char *seg = rel; *seg;) {
        size_t len = strspn(seg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                 "0123456789._-");
        if (len == 0 || seg[0] == '.' || (seg[len] && seg[len] != '/'))
            return false;
        if (++depth > STATIC_DEPTH_MAX + 1)
            return false;
        seg += len;
        if (*seg == '/' && !*++seg)
            return false; /* a trailing '/' below the top: no directory listings */
    }
    return true;
}

/* Open rel below dir, refusing a symlink at every step. -1 with errno. */
static int open_below(const char *dir, const char *rel)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char seg[STATIC_PATH_MAX + 1];
    while (fd >= 0) {
        size_t len = strcspn(rel, "/");
        memcpy(seg, rel, len);
        seg[len] = '\0';
        bool last = rel[len] == '\0';
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
        int next = openat(fd, seg, flags);
        close(fd);
        if (last || next < 0)
            return next;
        fd = next;
        rel += len + 1;
    }
    return -1;
}

/* The whole of a regular file of at most STATIC_FILE_MAX bytes, malloc'd. */
static char *read_regular(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (unsigned long long)st.st_size > STATIC_FILE_MAX)
        return NULL;
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = malloc(size ? size : 1);
    while (buf && got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) { /* shrank while we read: not worth serving half */
            free(buf);
            return NULL;
        }
        got += (size_t)r;
    }
    *len = got;
    return buf;
}

void ar_http_static(ar_http_req *req, ar_http_res *res)
{
    const char *path = req->path ? req->path : "";
    if (!strcmp(path, "/") || !strcmp(path, "/console")) {
        redirect(res, CONSOLE_PREFIX);
        return;
    }
    const char *dir = req->app ? req->app->cfg.console_dir : NULL;
    if (strncmp(path, CONSOLE_PREFIX, sizeof CONSOLE_PREFIX - 1) != 0) {
        not_found(res, "no such route");
        return;
    }
    if (!dir || !*dir) {
        not_found(res, "this server has no console (set console_dir)");
        return;
    }
    const char *rel = path + sizeof CONSOLE_PREFIX - 1;
    if (!*rel)
        rel = "index.html";
    const char *type = content_type_of(rel);
    if (!safe_relative_path(rel) || !type) {
        not_found(res, "no such file in the console");
        return;
    }
    int fd = open_below(dir, rel);
    size_t len = 0;
    char *body = fd >= 0 ? read_regular(fd, &len) : NULL;
    if (fd >= 0)
        close(fd);
    if (!body) {
        not_found(res, "no such file in the console");
        return;
    }
    ar_http_reply_text(res, 200, type, body, len);
    security_headers(res);
}
