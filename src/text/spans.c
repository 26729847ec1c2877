/*
 * spans.c - reading the offset map: a span of the normalised stream back to
 * the input bytes behind it (a match span to what the author wrote).
 */
#include "arbiter/text.h"

/* Map [nstart, nend) of out->buf to input bytes (text.h). */
void ar_text_span_to_source(const ar_text_out *out, size_t nstart, size_t nend, size_t *start,
                            size_t *end)
{
    size_t s = 0, e = 0;
    if (out && out->len && out->src_start) {
        if (nend > out->len) nend = out->len;
        if (nstart > nend) nstart = nend;
        size_t a = nstart, b = nend;
        while (a < b && out->buf[a] == ' ')
            a++;
        while (b > a && out->buf[b - 1] == ' ')
            b--;
        if (a == b) {
            /* Only spaces, or empty: the separator bytes themselves. */
            a = nstart;
            b = nend;
        }
        if (a < b) {
            s = out->src_start[a];
            for (size_t i = a; i < b; i++)
                if (out->src_end[i] > e) e = out->src_end[i];
        } else {
            s = e = a < out->len ? out->src_start[a] : out->src_end[out->len - 1];
        }
    }
    if (start) *start = s;
    if (end) *end = e;
}
