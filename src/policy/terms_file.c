/*
 * terms_file.c - terms and allow words: checking one term, and reading the
 * term files a policy names (terms_file, allow_file).
 *
 * A term file is UTF-8 text, one term per line. Blank lines and lines whose
 * first non-blank character is '#' are skipped; leading and trailing blanks
 * (space, tab, CR) are trimmed; a UTF-8 byte order mark at the start is
 * skipped. Each term keeps its own file:line:column. Paths are relative to
 * the policy's folder; an absolute path or a ".." part is refused so that a
 * policy cannot read files outside its folder by name (symbolic links are
 * the operator's business).
 */
#include "policy_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_MAX_BYTES 4096u /* base_dir + "/" + relative path */

void ar__termvec_free(ar_ctx *ctx, ar__termvec *tv)
{
    ar__free(ctx, tv->v);
    tv->v = NULL;
    tv->n = tv->cap = 0;
}

/*---- One term -------------------------------------------------------------*/

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Check text[0..len) (already trimmed) as a term: non-empty, at most
 * AR_POLICY_MAX_TERM_BYTES, valid UTF-8 without control characters; then
 * copy it into the policy and append it to tv.
 * Returns true if it was added; false if refused (reported) or on OOM. */
bool ar__policy_add_term(ar__pstate *st, ar__termvec *tv, const char *text, size_t len,
                         const char *file, unsigned line, unsigned column, bool verbatim,
                         const char *what)
{
    if (st->fatal)
        return false;
    if (len == 0) {
        ar__policy_report(st, AR_EINVAL, file, line, column, "empty %s", what);
        return false;
    }
    if (len > AR_POLICY_MAX_TERM_BYTES) {
        ar__policy_report(st, AR_EINVAL, file, line, column, "%s of %zu bytes is over the limit of %u",
                          what, len, AR_POLICY_MAX_TERM_BYTES);
        return false;
    }
    const unsigned char *s = (const unsigned char *)text;
    unsigned col = column;
    for (size_t i = 0; i < len; col += verbatim ? 1 : 0) {
        uint32_t cp;
        size_t n = ar__policy_utf8_next(s + i, len - i, &cp);
        if (n == 0) {
            ar__policy_report(st, AR_EINVAL, file, line, col,
                              "invalid UTF-8 (byte 0x%02x) in %s: save the file as UTF-8", s[i],
                              what);
            return false;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            ar__policy_report(st, AR_EINVAL, file, line, col,
                              "control character U+%04X in %s", (unsigned)cp, what);
            return false;
        }
        i += n;
    }
    if (st->nterms >= AR_POLICY_MAX_TERMS) {
        if (!st->terms_capped)
            ar__policy_report(st, AR_ETOOBIG, file, line, column,
                              "too many terms: a policy holds at most %u terms and allow words",
                              AR_POLICY_MAX_TERMS);
        st->terms_capped = true;
        return false;
    }
    void *v = tv->v;
    if (ar__grow(st->ctx, &v, &tv->cap, tv->n + 1, sizeof *tv->v, AR_POLICY_MAX_TERMS, NULL) !=
        AR_OK) {
        ar__policy_oom(st);
        return false;
    }
    tv->v = v;
    char *copy = ar__arena_strndup(&st->impl->arena, text, len);
    if (!copy) {
        ar__policy_oom(st);
        return false;
    }
    tv->v[tv->n++] = (ar_policy_term){copy, {file, line, column}};
    st->nterms++;
    return true;
}

/*---- Reading files --------------------------------------------------------*/

/* Read all of `path` into a NUL-terminated buffer from ctx.
 * Returns AR_OK (*out, *len set), AR_ENOTFOUND (no such file), AR_ETOOBIG
 * (over AR_POLICY_MAX_FILE_BYTES), AR_EIO (any other failure, with the
 * system's reason) or AR_ENOMEM. err->message names the path. */
ar_status ar__policy_read_file(ar_ctx *ctx, const char *path, char **out, size_t *len,
                               ar_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return ar_error_set(err, AR_ENOTFOUND, NULL, "file '%s' not found", path);
        return ar_error_set(err, AR_EIO, NULL, "cannot open '%s': %s", path, strerror(e));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return ar_error_set(err, AR_EIO, NULL, "cannot read '%s': %s", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return ar_error_set(err, AR_EIO, NULL, "'%s' is not a regular file", path);
    }
    if (sb.st_size < 0 || (uintmax_t)sb.st_size > AR_POLICY_MAX_FILE_BYTES) {
        close(fd);
        return ar_error_set(err, AR_ETOOBIG, NULL, "'%s' is over the limit of %u bytes", path,
                            AR_POLICY_MAX_FILE_BYTES);
    }
    size_t size = (size_t)sb.st_size;
    char *buf = ar__malloc(ctx, size + 1);
    if (!buf) {
        close(fd);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory reading '%s'", path);
    }
    /* The file may change under us: read what is there, up to the limit. */
    size_t got = 0;
    for (;;) {
        if (got == size) {
            char probe;
            ssize_t r = read(fd, &probe, 1);
            if (r == 0)
                break;
            if (r > 0) {
                ar__free(ctx, buf);
                close(fd);
                return ar_error_set(err, AR_EIO, NULL, "'%s' changed while it was read", path);
            }
        } else {
            ssize_t r = read(fd, buf + got, size - got);
            if (r > 0) {
                got += (size_t)r;
                continue;
            }
            if (r == 0) {
                size = got;
                break;
            }
        }
        if (errno == EINTR)
            continue;
        int e = errno;
        ar__free(ctx, buf);
        close(fd);
        return ar_error_set(err, AR_EIO, NULL, "cannot read '%s': %s", path, strerror(e));
    }
    close(fd);
    buf[size] = '\0';
    *out = buf;
    *len = size;
    return AR_OK;
}

/* Check a relative path from a policy. Returns NULL if it is fine, or why not. */
static const char *path_problem(const char *rel, size_t len)
{
    if (len == 0)
        return "is empty";
    if (rel[0] == '/')
        return "is absolute: give a path relative to the policy's folder";
    if (len >= PATH_MAX_BYTES)
        return "is too long";
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && rel[j] != '/')
            j++;
        if (j - i == 2 && rel[i] == '.' && rel[i + 1] == '.')
            return "has a '..' part: term files must lie inside the policy's folder";
        i = j + 1;
    }
    if (rel[len - 1] == '/')
        return "names a folder, not a file";
    return NULL;
}

/* Add every term of buf[0..len), a file named `file`, to tv.
 * Returns the number added. */
static size_t parse_terms(ar__pstate *st, ar__termvec *tv, const char *buf, size_t len,
                          const char *file, const char *what)
{
    size_t added = 0, i = 0;
    unsigned line = 1;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* a byte order mark; columns still start at 1 after it */
    while (i < len && !st->fatal) {
        const char *eol = memchr(buf + i, '\n', len - i);
        size_t end = eol ? (size_t)(eol - buf) : len;
        size_t a = i, b = end;
        while (a < b && is_blank(buf[a]))
            a++;
        while (b > a && is_blank(buf[b - 1]))
            b--;
        if (a < b && buf[a] != '#') {
            /* Column in code points: count the bytes that start one. */
            unsigned col = 1;
            for (size_t k = i; k < a; k++)
                if (((unsigned char)buf[k] & 0xC0) != 0x80)
                    col++;
            if (ar__policy_add_term(st, tv, buf + a, b - a, file, line, col, true, what))
                added++;
        }
        i = end + 1;
        line++;
    }
    return added;
}

/* Read the file named by the scalar node `at` (the value of `key`) and add
 * its terms to tv. Every problem is reported at the node for the path, or
 * inside the file for its terms. Returns the number of terms added. */
size_t ar__policy_read_terms_file(ar__pstate *st, ar__termvec *tv, const ar__ynode *at,
                                  const char *key, const char *what)
{
    if (st->fatal)
        return 0;
    if (!st->base_dir) {
        ar__policy_report(st, AR_EINVAL, st->file, at->line, at->column,
                          "'%s' cannot be read: this policy was given without a folder to read "
                          "files from",
                          key);
        return 0;
    }
    const char *why = path_problem(at->str, at->len);
    if (why) {
        ar__policy_report(st, AR_EINVAL, st->file, at->line, at->column, "%s '%.*s' %s", key,
                          CLIP(at->str, 128), why);
        return 0;
    }
    char full[PATH_MAX_BYTES + 1];
    int w;
    size_t blen = strlen(st->base_dir);
    if (strcmp(st->base_dir, ".") == 0 || blen == 0)
        w = snprintf(full, sizeof full, "%s", at->str);
    else if (st->base_dir[blen - 1] == '/')
        w = snprintf(full, sizeof full, "%s%s", st->base_dir, at->str);
    else
        w = snprintf(full, sizeof full, "%s/%s", st->base_dir, at->str);
    if (w < 0 || (size_t)w >= sizeof full) {
        ar__policy_report(st, AR_EINVAL, st->file, at->line, at->column,
                          "%s '%.*s': the full path is too long", key,
                          CLIP(at->str, 128));
        return 0;
    }

    char *buf = NULL;
    size_t len = 0;
    ar_error e;
    ar_error_clear(&e);
    ar_status s = ar__policy_read_file(st->ctx, full, &buf, &len, &e);
    if (s == AR_ENOMEM) {
        ar__policy_oom(st);
        return 0;
    }
    if (s == AR_ENOTFOUND) {
        ar__policy_report(st, s, st->file, at->line, at->column, "%s '%.*s' not found (no file %s)",
                          key, CLIP(at->str, 128), full);
        return 0;
    }
    if (s != AR_OK) {
        ar__policy_report(st, s, st->file, at->line, at->column, "%s '%.*s': %s", key,
                          CLIP(at->str, 128), e.message);
        return 0;
    }
    const char *file = ar__policy_add_file(st, full);
    if (!file) {
        ar__free(st->ctx, buf);
        ar__policy_oom(st);
        return 0;
    }
    /* The digest covers every file read: its length (8 bytes, little
     * endian) then its bytes, so moving a line between files changes it. */
    unsigned char lenbuf[8];
    for (unsigned k = 0; k < 8; k++)
        lenbuf[k] = (unsigned char)((uint64_t)len >> (8 * k));
    st->digest = ar__policy_fnv1a(st->digest, lenbuf, sizeof lenbuf);
    st->digest = ar__policy_fnv1a(st->digest, buf, len);

    size_t added = parse_terms(st, tv, buf, len, file, what);
    ar__free(st->ctx, buf);
    return added;
}
