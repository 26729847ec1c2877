/*
 * verdict.c - the answer to one check, two ways: as a jansson tree (every
 * path that read its body with jansson, and the batch) and written straight
 * into a buffer (POST /v1/check when its body came through the plain
 * reader), with no tree and no json_dumps.
 *
 * Contract: for the same parts, ar_http_verdict_write() gives the very bytes
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) gives for the tree that
 * ar_http_verdict_json(), "images", "case" and "decision" make (the order
 * check_one and record_one in handlers.c set them in): same keys in the
 * same order, integers as "%lld", strings escaped as jansson 2.14's
 * dump_string does without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH: '"' and
 * '\' and control characters below 0x20 escaped (\b \f \n \r \t, the rest
 * \u00XX in capitals), '/', DEL, non-ASCII UTF-8 and U+2028/U+2029 left as
 * they are. Where jansson would do something else (a string that is not
 * valid UTF-8: jansson's json_string refuses it and the key or the match
 * goes missing; a NULL standard or rule), the writer gives up (NULL) and the
 * caller asks jansson, so the answer is still jansson's. tests/http/
 * test_handlers.c and fuzz_http_body compare both ways byte for byte.
 *
 * Why: building and dumping the tree was 12.8k instructions of a check
 * request's ~76k (docs/PERFORMANCE.md, HTTP).
 */
#include "http/handlers.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/*---- The jansson tree -------------------------------------------------------*/

/* A match: a span of the text; a link's index; an image hash's index and
 * distance; list matches name the list and the entry. */
static json_t *match_json(const ar_verdict_match *x)
{
    json_t *o = json_pack("{s:s,s:s}", "standard", x->standard, "rule", x->rule);
    if (!o)
        return NULL;
    if (x->source == AR_VERDICT_TEXT || x->source == AR_VERDICT_TEXT_URL) {
        json_object_set_new(o, "start", json_integer((json_int_t)x->start));
        json_object_set_new(o, "end", json_integer((json_int_t)x->end));
    }
    if (x->source == AR_VERDICT_LINK)
        json_object_set_new(o, "link", json_integer((json_int_t)x->index));
    if (x->source == AR_VERDICT_IMAGE_HASH)
        json_object_set_new(o, "image_hash", json_integer((json_int_t)x->index));
    if (x->source == AR_VERDICT_IMAGE) {
        json_object_set_new(o, "image", json_integer((json_int_t)x->index));
        json_object_set_new(o, "variant", json_string(ar_pdq_dihedral_name(x->variant)));
    }
    if (x->list) {
        json_object_set_new(o, "list", json_string(x->list));
        json_object_set_new(o, "entry", json_string(x->entry));
    }
    if (x->source == AR_VERDICT_IMAGE_HASH || x->source == AR_VERDICT_IMAGE)
        json_object_set_new(o, "distance", json_integer((json_int_t)x->distance));
    return o;
}

json_t *ar_http_images_json(const ar_check_image *img, size_t n, uint32_t low_quality)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        char hex[AR_PDQ_HEX_LEN + 1];
        ar_pdq_to_hex(&img[i].variants[AR_PDQ_ORIGINAL], hex);
        json_t *o = json_pack("{s:s,s:i}", "pdq", hex, "quality", img[i].quality);
        if (o && (low_quality & (1u << i)))
            json_object_set_new(o, "skipped", json_string("low_quality"));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *ar_http_verdict_json(json_t *id, const ar_verdict *v, const char *policy)
{
    json_t *o = json_object(), *m = json_array();
    if (!o || !m) {
        json_decref(o);
        json_decref(m);
        return NULL;
    }
    if (id)
        json_object_set(o, "id", id);
    json_object_set_new(o, "flagged", json_boolean(v->flagged));
    json_object_set_new(o, "action", json_string(ar_action_name(v->action)));
    for (size_t i = 0; i < v->nmatches; i++)
        json_array_append_new(m, match_json(&v->matches[i]));
    json_object_set_new(o, "matches", m);
    if (v->dropped)
        json_object_set_new(o, "matches_dropped", json_integer((json_int_t)v->dropped));
    if (v->text_flags & AR_TEXT_REPAIRED)
        json_object_set_new(o, "repaired_utf8", json_true());
    json_object_set_new(o, "policy", json_string(policy));
    return o;
}

/*---- The writer -------------------------------------------------------------*/

/* A growing buffer; `bad` once anything failed (out of memory, or a string
 * jansson would not have written the same way). */
typedef struct wbuf {
    char *p;
    size_t len, cap;
    bool bad;
} wbuf;

static bool reserve(wbuf *w, size_t n)
{
    if (w->bad)
        return false;
    if (w->len + n <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : 512;
    while (cap < w->len + n)
        cap *= 2;
    char *p = realloc(w->p, cap);
    if (!p) {
        w->bad = true;
        return false;
    }
    w->p = p;
    w->cap = cap;
    return true;
}

static void put(wbuf *w, const char *s, size_t n)
{
    if (reserve(w, n)) {
        memcpy(w->p + w->len, s, n);
        w->len += n;
    }
}

#define PUT_LIT(w, lit) put((w), (lit), sizeof(lit) - 1)

/* "%lld", as jansson writes a json_int_t. */
static void put_int(wbuf *w, int64_t x)
{
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    uint64_t u = x < 0 ? 0u - (uint64_t)x : (uint64_t)x;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0)
        *--q = '-';
    put(w, q, (size_t)(e - q));
}

/* A JSON string as jansson's dump_string writes it (see the top). Bytes
 * that need no escape go out in runs; the UTF-8 check is ar_text's, which
 * has jansson's rules (no overlongs, surrogates, or past U+10FFFF). */
static void put_str(wbuf *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s || !ar_text_utf8_valid(s, n)) {
        w->bad = true; /* jansson's json_string would have refused it */
        return;
    }
    if (!reserve(w, n * 6 + 2)) /* every byte escaped, at worst */
        return;
    char *o = w->p + w->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    *o++ = '"';
    w->len = (size_t)(o - w->p);
}

static void put_cstr(wbuf *w, const char *s)
{
    if (!s)
        w->bad = true;
    else
        put_str(w, s, strlen(s));
}

static void put_match(wbuf *w, const ar_verdict_match *x)
{
    PUT_LIT(w, "{\"standard\":");
    put_cstr(w, x->standard);
    PUT_LIT(w, ",\"rule\":");
    put_cstr(w, x->rule);
    if (x->source == AR_VERDICT_TEXT || x->source == AR_VERDICT_TEXT_URL) {
        PUT_LIT(w, ",\"start\":");
        put_int(w, x->start);
        PUT_LIT(w, ",\"end\":");
        put_int(w, x->end);
    }
    if (x->source == AR_VERDICT_LINK) {
        PUT_LIT(w, ",\"link\":");
        put_int(w, x->index);
    }
    if (x->source == AR_VERDICT_IMAGE_HASH) {
        PUT_LIT(w, ",\"image_hash\":");
        put_int(w, x->index);
    }
    if (x->source == AR_VERDICT_IMAGE) {
        PUT_LIT(w, ",\"image\":");
        put_int(w, x->index);
        PUT_LIT(w, ",\"variant\":");
        put_cstr(w, ar_pdq_dihedral_name(x->variant));
    }
    if (x->list) {
        PUT_LIT(w, ",\"list\":");
        put_cstr(w, x->list);
        PUT_LIT(w, ",\"entry\":");
        put_cstr(w, x->entry);
    }
    if (x->source == AR_VERDICT_IMAGE_HASH || x->source == AR_VERDICT_IMAGE) {
        PUT_LIT(w, ",\"distance\":");
        put_int(w, x->distance);
    }
    PUT_LIT(w, "}");
}

static void put_images(wbuf *w, const ar_check_image *img, size_t n, uint32_t low_quality)
{
    PUT_LIT(w, ",\"images\":[");
    for (size_t i = 0; i < n; i++) {
        char hex[AR_PDQ_HEX_LEN + 1];
        ar_pdq_to_hex(&img[i].variants[AR_PDQ_ORIGINAL], hex);
        if (i)
            PUT_LIT(w, ",");
        PUT_LIT(w, "{\"pdq\":");
        put_str(w, hex, AR_PDQ_HEX_LEN);
        PUT_LIT(w, ",\"quality\":");
        put_int(w, img[i].quality);
        if (low_quality & (1u << i))
            PUT_LIT(w, ",\"skipped\":\"low_quality\"");
        PUT_LIT(w, "}");
    }
    PUT_LIT(w, "]");
}

char *ar_http_verdict_write(const ar_http_verdict_doc *d, size_t *len)
{
    const ar_verdict *v = d->v;
    wbuf w = {0};
    PUT_LIT(&w, "{");
    if (d->id) {
        PUT_LIT(&w, "\"id\":");
        put_str(&w, d->id, d->id_len);
        PUT_LIT(&w, ",");
    }
    if (v->flagged)
        PUT_LIT(&w, "\"flagged\":true,\"action\":");
    else
        PUT_LIT(&w, "\"flagged\":false,\"action\":");
    put_cstr(&w, ar_action_name(v->action));
    PUT_LIT(&w, ",\"matches\":[");
    for (size_t i = 0; i < v->nmatches; i++) {
        if (i)
            PUT_LIT(&w, ",");
        put_match(&w, &v->matches[i]);
    }
    PUT_LIT(&w, "]");
    if (v->dropped) {
        PUT_LIT(&w, ",\"matches_dropped\":");
        put_int(&w, (int64_t)v->dropped);
    }
    if (v->text_flags & AR_TEXT_REPAIRED)
        PUT_LIT(&w, ",\"repaired_utf8\":true");
    PUT_LIT(&w, ",\"policy\":");
    put_cstr(&w, d->policy);
    if (d->nimages)
        put_images(&w, d->images, d->nimages, v->low_quality);
    if (d->case_id) {
        PUT_LIT(&w, ",\"case\":");
        put_int(&w, d->case_id);
    }
    if (d->decision_id) {
        PUT_LIT(&w, ",\"decision\":");
        put_int(&w, d->decision_id);
    }
    PUT_LIT(&w, "}");
    if (!reserve(&w, 1)) { /* a NUL after the body, as json_dumps leaves */
        free(w.p);
        return NULL;
    }
    w.p[w.len] = '\0';
    *len = w.len;
    return w.p;
}
