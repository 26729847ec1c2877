/*
 * find.c - URLs written inside a text: where a link starts ("http://",
 * "https://", a bare "www.") and where it ends, so a blocked link in a post
 * is found without the platform extracting it.
 */
#include "url_int.h"

#include <strings.h>

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Bytes that end a URL in running text. */
static bool is_stop(unsigned char c)
{
    return c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`';
}

/* Length of the URL prefix at t[0..n) ("http://", "https://", "www."), or 0. */
static size_t prefix_at(const char *t, size_t n)
{
    unsigned char c = (unsigned char)(t[0] | 0x20); /* most words start elsewhere: no compare */
    if (n < 5 || (c != 'h' && c != 'w'))
        return 0;
    if (n >= 8 && !strncasecmp(t, "https://", 8))
        return 8;
    if (n >= 7 && !strncasecmp(t, "http://", 7))
        return 7;
    if (n >= 5 && !strncasecmp(t, "www.", 4) && is_alnum((unsigned char)t[4]))
        return 4;
    return 0;
}

/* Leave out trailing punctuation and a closing bracket with no opening one
 * in the URL: "(see http://x.example/a)." ends at "a". */
static size_t trim_end(const char *t, size_t start, size_t end)
{
    while (end > start) {
        char c = t[end - 1];
        if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?') {
            end--;
            continue;
        }
        char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
        if (!open)
            break;
        long depth = 0;
        for (size_t i = start; i < end; i++)
            depth += t[i] == open ? 1 : t[i] == c ? -1 : 0;
        if (depth >= 0)
            break;
        end--;
    }
    return end;
}

size_t ar_url_find(const char *text, size_t len, ar_url_span *out, size_t max)
{
    size_t n = 0;
    if (!text || len > UINT32_MAX)
        return 0;
    for (size_t i = 0; i < len && n < max; i++) {
        if (i > 0 && (is_alnum((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
                      text[i - 1] == '/' || text[i - 1] == '@' || text[i - 1] == '-'))
            continue; /* not the start of a word */
        size_t pre = prefix_at(text + i, len - i);
        if (!pre)
            continue;
        size_t end = i + pre;
        while (end < len && end - i < AR_URL_MAX_BYTES && !is_stop((unsigned char)text[end]))
            end++;
        end = trim_end(text, i, end);
        if (end <= i + pre)
            continue; /* "http://" alone */
        out[n++] = (ar_url_span){(uint32_t)i, (uint32_t)end};
        i = end - 1;
    }
    return n;
}
