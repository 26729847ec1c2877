/*
 * json_error.c - why jansson refused a document, in words safe to show:
 * jansson's message quotes the input near the fault ("... near 'xyz'"),
 * which may be item text and may be cut inside a UTF-8 character. Error
 * messages never carry item text, and must stay valid UTF-8 to be sent as
 * JSON, so only the reason is kept, as printable ASCII.
 */
#include "common_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

void ar__json_error_reason(const struct json_error_t *je, char *out, size_t size)
{
    if (!size)
        return;
    const char *text = je ? je->text : "";
    const char *near = strstr(text, " near ");
    size_t n = near ? (size_t)(near - text) : strlen(text);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[o] = '\0';
}
