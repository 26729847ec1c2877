/*
 * log.c - structured logging: one event, typed fields, one JSON object.
 */
#include "common_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

static const char *const level_names[] = {"error", "warn", "info", "debug"};

const char *ar_log_level_name(ar_log_level level)
{
    return (unsigned)level < AR_ARRAY_LEN(level_names) ? level_names[level] : "debug";
}

void ar__log(const ar_ctx *ctx, ar_log_level level, const char *module, const char *event,
             const ar_log_kv *kv, size_t nkv)
{
    if (ctx && ctx->log && level <= ctx->log_level)
        ctx->log(ctx->log_ud, level, module, event, kv, nkv);
}

/* A bounded writer that keeps counting past the end, like snprintf. */
typedef struct jw {
    char *buf;
    size_t size, len;
} jw;

static void jw_putc(jw *w, char c)
{
    if (w->len + 1 < w->size)
        w->buf[w->len] = c;
    w->len++;
}

static void jw_puts(jw *w, const char *s)
{
    while (*s)
        jw_putc(w, *s++);
}

static void jw_string(jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    jw_putc(w, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': jw_puts(w, "\\\""); break;
        case '\\': jw_puts(w, "\\\\"); break;
        case '\n': jw_puts(w, "\\n"); break;
        case '\r': jw_puts(w, "\\r"); break;
        case '\t': jw_puts(w, "\\t"); break;
        default:
            if (*p < 0x20) {
                jw_puts(w, "\\u00");
                jw_putc(w, hex[*p >> 4]);
                jw_putc(w, hex[*p & 15]);
            } else {
                jw_putc(w, (char)*p);
            }
        }
    }
    jw_putc(w, '"');
}

size_t ar_log_format_json(char *buf, size_t size, ar_log_level level, const char *module,
                          const char *event, const ar_log_kv *kv, size_t nkv)
{
    jw w = {buf, size, 0};
    char num[64];
    jw_puts(&w, "{\"level\":");
    jw_string(&w, ar_log_level_name(level));
    jw_puts(&w, ",\"module\":");
    jw_string(&w, module);
    jw_puts(&w, ",\"event\":");
    jw_string(&w, event);
    for (size_t i = 0; i < nkv; i++) {
        jw_putc(&w, ',');
        jw_string(&w, kv[i].key);
        jw_putc(&w, ':');
        switch (kv[i].type) {
        case AR_LOG_STR: jw_string(&w, kv[i].v.s); break;
        case AR_LOG_INT:
            snprintf(num, sizeof num, "%" PRId64, kv[i].v.i);
            jw_puts(&w, num);
            break;
        case AR_LOG_DBL:
            if (isfinite(kv[i].v.d))
                snprintf(num, sizeof num, "%.6g", kv[i].v.d);
            else
                snprintf(num, sizeof num, "null");
            jw_puts(&w, num);
            break;
        }
    }
    jw_putc(&w, '}');
    if (size)
        buf[w.len < size ? w.len : size - 1] = '\0';
    return w.len;
}
