/*
 * util.c - what the subcommands share: the JSON-lines logger, error
 * reports, option parsing, and the verdict's JSON form.
 */
#include "cli.h"
#include <errno.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void log_stderr(void *ud, ar_log_level level, const char *module, const char *event,
                       const ar_log_kv *kv, size_t nkv)
{
    (void)ud;
    char line[2048];
    ar_log_format_json(line, sizeof line, level, module, event, kv, nkv);
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "%s\n", line);
    pthread_mutex_unlock(&log_lock);
}

ar_ctx *cli_ctx_new(bool verbose)
{
    ar_ctx_opts opts = {.log = log_stderr, .log_level = verbose ? AR_LOG_DEBUG : AR_LOG_WARN};
    ar_ctx *ctx = NULL;
    ar_error err;
    if (ar_ctx_new(&opts, &ctx, &err) != AR_OK) {
        cli_report("arbiter", &err);
        return NULL;
    }
    return ctx;
}

void cli_report(const char *cmd, const ar_error *err)
{
    char msg[AR_ERROR_FILE_MAX + AR_ERROR_MESSAGE_MAX + 64];
    ar_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", cmd, msg);
}

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "arbiter: option %s needs a value\n", name);
        exit(CLI_EXIT_USAGE);
    }
    return argv[++*i];
}

/*---- JSON output into a growable buffer ------------------------------------*/

void cli_buf_reserve(cli_buf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fprintf(stderr, "arbiter: out of memory\n");
        exit(CLI_EXIT_FAIL);
    }
    b->data = p;
    b->cap = cap;
}

void cli_buf_put(cli_buf *b, const char *s, size_t n)
{
    cli_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cli_buf_puts(cli_buf *b, const char *s)
{
    cli_buf_put(b, s, strlen(s));
}

void cli_buf_printf(cli_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        cli_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void cli_buf_free(cli_buf *b)
{
    free(b->data);
    *b = (cli_buf){0};
}

void cli_buf_json_string(cli_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    cli_buf_reserve(b, len + 2);
    b->data[b->len++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            cli_buf_reserve(b, 2);
            b->data[b->len++] = (char)c;
            continue;
        }
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
        }
        cli_buf_puts(b, esc);
    }
    cli_buf_reserve(b, 1);
    b->data[b->len++] = '"';
    b->data[b->len] = '\0';
}

void cli_buf_verdict(cli_buf *b, const char *id_json, size_t id_len, const ar_verdict *v)
{
    cli_buf_putc(b, '{');
    if (id_json) {
        cli_buf_puts(b, "\"id\":");
        cli_buf_put(b, id_json, id_len);
        cli_buf_putc(b, ',');
    }
    cli_buf_puts(b, v->flagged ? "\"flagged\":true,\"action\":\"" : "\"flagged\":false,\"action\":\"");
    cli_buf_puts(b, ar_action_name(v->action));
    cli_buf_puts(b, "\",\"matches\":[");
    for (size_t i = 0; i < v->nmatches; i++) {
        const ar_verdict_match *m = &v->matches[i];
        if (i)
            cli_buf_putc(b, ',');
        cli_buf_puts(b, "{\"standard\":");
        cli_buf_json_string(b, m->standard, strlen(m->standard));
        cli_buf_puts(b, ",\"rule\":");
        cli_buf_json_string(b, m->rule, strlen(m->rule));
        if (m->source == AR_VERDICT_TEXT || m->source == AR_VERDICT_TEXT_URL)
            cli_buf_printf(b, ",\"start\":%u,\"end\":%u", m->start, m->end);
        else
            cli_buf_printf(b, ",\"%s\":%u",
                           m->source == AR_VERDICT_LINK         ? "link"
                           : m->source == AR_VERDICT_IMAGE_HASH ? "image_hash"
                                                                : "image",
                           m->index);
        if (m->list) { /* a url_list or bank rule: which list, which entry */
            cli_buf_puts(b, ",\"list\":");
            cli_buf_json_string(b, m->list, strlen(m->list));
            cli_buf_puts(b, ",\"entry\":");
            cli_buf_json_string(b, m->entry, strlen(m->entry));
        }
        if (m->source == AR_VERDICT_IMAGE_HASH || m->source == AR_VERDICT_IMAGE)
            cli_buf_printf(b, ",\"distance\":%u", m->distance);
        if (m->source == AR_VERDICT_IMAGE)
            cli_buf_printf(b, ",\"variant\":\"%s\"", ar_pdq_dihedral_name(m->variant));
        cli_buf_putc(b, '}');
    }
    cli_buf_putc(b, ']');
    if (v->dropped)
        cli_buf_printf(b, ",\"matches_dropped\":%zu", v->dropped);
    if (v->text_flags & AR_TEXT_REPAIRED)
        cli_buf_puts(b, ",\"repaired_utf8\":true");
    cli_buf_putc(b, '}');
}

unsigned char *cli_read_file(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        snprintf(why, whylen, "%s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n >= max)
            break;
        if (n == cap) {
            unsigned char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    bool bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf || bad) {
        snprintf(why, whylen, "%s", buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The lists of DIR's store (a rule naming a list it lacks is refused by
 * name), or none without --dir: then url_list and bank rules match nothing,
 * as in `arbiter scan`. */
ar_status cli_load_lists(ar_ctx *ctx, const char *dir, ar_lists **out, ar_error *err)
{
    if (!dir) {
        ar_status st = ar_lists_new(ctx, out, err);
        if (st == AR_OK)
            ar_lists_freeze(*out);
        return st;
    }
    ar_workflow *w = NULL;
    ar_workflow_opts wo = {.dir = dir};
    ar_status st = ar_workflow_open(ctx, &wo, &w, err);
    if (st == AR_OK)
        st = ar_lists_load(w, out, err);
    ar_workflow_close(w);
    return st;
}
