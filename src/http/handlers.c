/*
 * handlers.c - what each route does: JSON in, JSON out, no policy logic.
 * Bodies are validated strictly (unknown fields, wrong types, invalid
 * UTF-8, sizes), and every refusal names the field.
 */
#include "http/handlers.h"
#include "cli/jsonl.h" /* the program's strict, allocation-light JSON reader */
#include "common/common_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/*---- Validation helpers ---------------------------------------------------*/

/* Parse the body as one JSON value. jansson rejects invalid UTF-8, NUL in
 * strings and duplicate keys (JSON_REJECT_DUPLICATES). */
json_t *ar_http_body_json(ar_http_req *req, ar_http_res *res)
{
    if (!req->body || req->body_len == 0) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "body",
                             "a JSON request body is required");
        return NULL;
    }
    json_error_t je;
    json_t *doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    char why[160];
    ar__json_error_reason(&je, why, sizeof why);
    if (!doc)
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "body",
                             "body is not valid JSON (line %d, column %d): %s", je.line,
                             je.column, why);
    return doc;
}

/* AR_EINVAL naming the first key of `obj` not in `allowed`. */
ar_status ar_http_only_keys(json_t *obj, const char *const *allowed, size_t n, const char *prefix,
                           ar_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = !strcmp(key, allowed[i]);
        if (!ok) {
            char field[AR_ERROR_FIELD_MAX];
            snprintf(field, sizeof field, "%s%.64s", prefix, key);
            return ar_error_set(err, AR_EINVAL, field, "unknown field '%.64s'", key);
        }
    }
    return AR_OK;
}

/* A string member: required or optional, 1..max bytes. */
ar_status ar_http_get_string(json_t *obj, const char *key, bool required, size_t max,
                            const char *prefix, const char **out, size_t *len, ar_error *err)
{
    char field[AR_ERROR_FIELD_MAX];
    snprintf(field, sizeof field, "%s%s", prefix, key);
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (len)
        *len = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return ar_error_set(err, AR_EINVAL, field, "'%s' is required", field);
        return AR_OK;
    }
    if (!json_is_string(v))
        return ar_error_set(err, AR_EINVAL, field, "'%s' must be a string", field);
    size_t n = json_string_length(v);
    if (n > max)
        return ar_error_set(err, AR_ETOOBIG, field, "'%s' is %zu bytes, over the limit of %zu",
                            field, n, max);
    if (n == 0 && max != AR_TEXT_MAX_BYTES)
        return ar_error_set(err, AR_EINVAL, field, "'%s' must not be empty", field);
    *out = json_string_value(v);
    if (len)
        *len = n;
    return AR_OK;
}

static bool lang_valid(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-'))
            return false;
    return true;
}

/*---- Health, OpenAPI, metrics --------------------------------------------*/

void ar_http_h_healthz(ar_http_req *req, ar_http_res *res)
{
    (void)req;
    ar_http_reply_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

void ar_http_h_readyz(ar_http_req *req, ar_http_res *res)
{
    ar_http_app *app = req->app;
    ar_engine *e = app && app->slot ? ar_engine_slot_acquire(app->slot) : NULL;
    bool ready = app && app->wf && e && atomic_load(&app->ready);
    ar_engine_release(e);
    if (!ready) {
        ar_http_reply_errorf(res, 503, AR_HTTP_CODE_NOT_READY, "",
                             "not ready: the engine or the store is not open yet");
        return;
    }
    ar_http_reply_json(res, 200, json_pack("{s:s}", "status", "ready"));
}

void ar_http_h_openapi(ar_http_req *req, ar_http_res *res)
{
    (void)req;
    size_t len = 0;
    char *doc = ar_http_openapi_json(&len);
    if (!doc) {
        ar_http_reply_errorf(res, 503, "out_of_memory", "", "out of memory");
        return;
    }
    ar_http_reply_text(res, 200, "application/json", doc, len);
}

/* The queues, read from the store at scrape time, appended to `text`. */
static char *append_queues(ar_http_app *app, char *text, size_t *len)
{
    ar_queue_stats q;
    if (!text || ar_workflow_queue_stats(app->wf, &q, NULL) != AR_OK)
        return text; /* the request metrics still answer */
    char extra[1024];
    int n = snprintf(
        extra, sizeof extra,
        "# HELP arbiter_cases_open Review cases open or in review, by kind.\n"
        "# TYPE arbiter_cases_open gauge\n"
        "arbiter_cases_open{kind=\"flag\"} %lld\narbiter_cases_open{kind=\"notice\"} %lld\n"
        "arbiter_cases_open{kind=\"appeal\"} %lld\n"
        "# HELP arbiter_cases_overdue Open review cases past their deadline.\n"
        "# TYPE arbiter_cases_overdue gauge\narbiter_cases_overdue %lld\n"
        "# HELP arbiter_legal_requests_open Legal requests not yet decided.\n"
        "# TYPE arbiter_legal_requests_open gauge\narbiter_legal_requests_open %lld\n"
        "# HELP arbiter_legal_requests_overdue Undecided legal requests past their deadline.\n"
        "# TYPE arbiter_legal_requests_overdue gauge\narbiter_legal_requests_overdue %lld\n"
        "# HELP arbiter_user_notices_withheld User notices withheld on a legal basis.\n"
        "# TYPE arbiter_user_notices_withheld gauge\narbiter_user_notices_withheld %lld\n",
        (long long)q.cases_open[0], (long long)q.cases_open[1], (long long)q.cases_open[2],
        (long long)q.cases_overdue, (long long)q.requests_open, (long long)q.requests_overdue,
        (long long)q.notices_withheld);
    char *more = n > 0 && (size_t)n < sizeof extra ? realloc(text, *len + (size_t)n + 1) : NULL;
    if (!more)
        return text;
    memcpy(more + *len, extra, (size_t)n + 1);
    *len += (size_t)n;
    return more;
}

void ar_http_h_metrics(ar_http_req *req, ar_http_res *res)
{
    size_t len = 0;
    char *text = append_queues(req->app, ar_http_metrics_render(&req->app->metrics, &len), &len);
    if (!text) {
        ar_http_reply_errorf(res, 503, "out_of_memory", "", "out of memory");
        return;
    }
    ar_http_reply_text(res, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

/*---- Check ------------------------------------------------------------------*/

/* With "record": true, keep the verdict as the policy says (a review case,
 * or an automated label or removal), durably, before answering; the item's
 * kind, url and opaque author reference may come along. */
static ar_status record_one(ar_http_app *app, ar_engine *e, json_t *item, const char *prefix,
                            const ar_verdict *v, int64_t *case_id, int64_t *decision_id,
                            ar_error *err)
{
    json_t *text = json_object_get(item, "text");
    ar_item_ref ref = {.text = json_string_value(text),
                       .text_len = json_string_length(text),
                       .lang = json_string_value(json_object_get(item, "lang"))}; /* checked */
    ar_status st = ar_http_get_string(item, "id", true, AR_HTTP_ITEM_ID_MAX, prefix,
                                      &ref.platform_id, NULL, err);
    if (st == AR_OK)
        st = ar_http_get_string(item, "kind", false, 16, prefix, &ref.kind, NULL, err);
    if (st == AR_OK)
        st = ar_http_get_string(item, "url", false, 2048, prefix, &ref.url, NULL, err);
    if (st == AR_OK)
        st = ar_http_get_string(item, "author_ref", false, 256, prefix, &ref.author_ref, NULL,
                                err);
    if (st == AR_OK)
        st = ar_workflow_record_verdict(app->wf, &ref, e, v, case_id, decision_id, err);
    return st;
}

/* What record_one kept, into a verdict's tree ("case", then "decision"). */
static void set_recorded(json_t *out, int64_t case_id, int64_t decision_id)
{
    if (case_id)
        json_object_set_new(out, "case", json_integer(case_id));
    if (decision_id)
        json_object_set_new(out, "decision", json_integer(decision_id));
}

/* An item's "links" and "image_hashes" into `in` (pointers into `item`,
 * hashes into `hashes`). Each is validated here; a link must also be an
 * http(s) URL, which the check itself tells. */
static ar_status parse_signals(json_t *item, const char *prefix, const char **links,
                               ar_pdq_hash *hashes, ar_check_input *in,
                               ar_error *err)
{
    char field[AR_ERROR_FIELD_MAX];
    json_t *l = json_object_get(item, "links"), *h = json_object_get(item, "image_hashes");
    snprintf(field, sizeof field, "%slinks", prefix);
    if (l && !json_is_array(l))
        return ar_error_set(err, AR_EINVAL, field, "'links' must be an array of URLs");
    if (json_array_size(l) > AR_CHECK_MAX_LINKS)
        return ar_error_set(err, AR_ETOOBIG, field, "%zu links, over the limit of %u",
                            json_array_size(l), AR_CHECK_MAX_LINKS);
    for (size_t i = 0; i < json_array_size(l); i++) {
        json_t *x = json_array_get(l, i);
        snprintf(field, sizeof field, "%slinks[%zu]", prefix, i);
        if (!json_is_string(x) || json_string_length(x) == 0)
            return ar_error_set(err, AR_EINVAL, field, "'%s' must be a URL string", field);
        if (json_string_length(x) > AR_URL_MAX_BYTES)
            return ar_error_set(err, AR_ETOOBIG, field, "'%s' is over %u bytes", field,
                                AR_URL_MAX_BYTES);
        links[i] = json_string_value(x);
    }
    snprintf(field, sizeof field, "%simage_hashes", prefix);
    if (h && !json_is_array(h))
        return ar_error_set(err, AR_EINVAL, field, "'image_hashes' must be an array of PDQ "
                                                   "hashes (64 hex digits)");
    if (json_array_size(h) > AR_CHECK_MAX_HASHES)
        return ar_error_set(err, AR_ETOOBIG, field, "%zu image hashes, over the limit of %u",
                            json_array_size(h), AR_CHECK_MAX_HASHES);
    for (size_t i = 0; i < json_array_size(h); i++) {
        json_t *x = json_array_get(h, i);
        snprintf(field, sizeof field, "%simage_hashes[%zu]", prefix, i);
        ar_status st = json_is_string(x) ? ar_pdq_from_hex(json_string_value(x),
                                                           json_string_length(x), &hashes[i], err)
                                         : ar_error_set(err, AR_EINVAL, NULL, "not a string");
        if (st != AR_OK)
            return ar_error_set(err, AR_EINVAL, field,
                                "'%s' must be a PDQ hash: 64 lowercase hex digits", field);
    }
    in->links = links;
    in->nlinks = json_array_size(l);
    in->hashes = hashes;
    in->nhashes = json_array_size(h);
    return AR_OK;
}

/* Base64 of one image -> its hashes. The decoded bytes live only in this
 * function (wiped and freed before it returns): never stored, never logged. */
static ar_status hash_image(ar_ctx *ctx, json_t *x, const char *field, ar_check_image *out,
                            ar_error *err)
{
    if (!json_is_string(x) || json_string_length(x) == 0)
        return ar_error_set(err, AR_EINVAL, field, "'%s' must be an image in base64", field);
    size_t b64 = json_string_length(x), len = 0;
    if (b64 / 4 * 3 > (size_t)AR_CHECK_IMAGE_MAX_BYTES + 3)
        return ar_error_set(err, AR_ETOOBIG, field, "'%s' is over %u bytes", field,
                            AR_CHECK_IMAGE_MAX_BYTES);
    size_t cap = b64 / 4 * 3 + 3;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return ar_error_set(err, AR_ENOMEM, field, "out of memory for '%s'", field);
    ar_status st = AR_OK;
    if (sodium_base642bin(buf, cap, json_string_value(x), b64, " \r\n", &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        st = ar_error_set(err, AR_EINVAL, field, "'%s' is not standard base64", field);
    else if (len > AR_CHECK_IMAGE_MAX_BYTES)
        st = ar_error_set(err, AR_ETOOBIG, field, "'%s' is %zu bytes, over the limit of %u",
                          field, len, AR_CHECK_IMAGE_MAX_BYTES);
    else if ((st = ar_check_image_hash(ctx, buf, len, out, err)) != AR_OK && err) {
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        snprintf(err->message, sizeof err->message, "'%.40s': %.200s", field, why);
        snprintf(err->field, sizeof err->field, "%s", field);
    }
    sodium_memzero(buf, cap);
    free(buf);
    return st;
}

/* An item's "images" (base64) into `images`, hashed. */
static ar_status parse_images(ar_ctx *ctx, json_t *item, const char *prefix,
                              ar_check_image *images, ar_check_input *in, ar_error *err)
{
    char field[AR_ERROR_FIELD_MAX];
    json_t *a = json_object_get(item, "images");
    snprintf(field, sizeof field, "%simages", prefix);
    if (a && !json_is_array(a))
        return ar_error_set(err, AR_EINVAL, field, "'images' must be an array of base64 images");
    if (json_array_size(a) > AR_CHECK_MAX_IMAGES)
        return ar_error_set(err, AR_ETOOBIG, field, "%zu images, over the limit of %u",
                            json_array_size(a), AR_CHECK_MAX_IMAGES);
    for (size_t i = 0; i < json_array_size(a); i++) {
        snprintf(field, sizeof field, "%simages[%zu]", prefix, i);
        ar_status st = hash_image(ctx, json_array_get(a, i), field, &images[i], err);
        if (st != AR_OK)
            return st;
    }
    in->images = images;
    in->nimages = json_array_size(a);
    return AR_OK;
}

/* Check one item (already validated by check_one) against engine and lists;
 * its images are hashed into `images` (AR_CHECK_MAX_IMAGES of them), or were
 * already (`hashed`: a batch's second pass). */
static ar_status run_check(ar_ctx *ctx, ar_engine *e, const ar_lists *lists, ar_check_scratch *s,
                           json_t *item, const char *prefix, ar_check_image *images, bool hashed,
                           ar_verdict *v, ar_error *err)
{
    const char *links[AR_CHECK_MAX_LINKS];
    ar_pdq_hash hashes[AR_CHECK_MAX_HASHES];
    json_t *text = json_object_get(item, "text");
    ar_check_input in = {.text = json_string_value(text), .len = json_string_length(text),
                         .lang = json_string_value(json_object_get(item, "lang"))};
    ar_status st = parse_signals(item, prefix, links, hashes, &in, err);
    if (st == AR_OK && hashed) {
        in.images = images;
        in.nimages = json_array_size(json_object_get(item, "images"));
    } else if (st == AR_OK) {
        st = parse_images(ctx, item, prefix, images, &in, err);
    }
    if (st != AR_OK)
        return st; /* the field is named already */
    if (st == AR_OK && (st = ar_check_item(e, lists, s, &in, v, err)) != AR_OK && err) {
        char field[AR_ERROR_FIELD_MAX]; /* "text", "links[2]" -> under the item's prefix */
        snprintf(field, sizeof field, "%.40s%.50s", prefix, err->field[0] ? err->field : "text");
        snprintf(err->field, sizeof err->field, "%s", field);
    }
    return st;
}

/* Validate one item {"id","text","lang","links","image_hashes",["record",
 * "kind","url","author_ref"]} and check it: its verdict in *v, its "id"
 * member (NULL if none) in *id. */
static ar_status check_item(ar_http_app *app, ar_engine *e, const ar_lists *lists,
                            ar_check_scratch *s, json_t *item, const char *prefix,
                            ar_check_image *images, ar_verdict *v, json_t **id_out,
                            ar_error *err)
{
    static const char *const keys[] = {"id",   "text", "lang",       "record",      "kind",
                                       "url",  "author_ref", "links", "image_hashes", "images"};
    char field[AR_ERROR_FIELD_MAX];
    snprintf(field, sizeof field, "%.80s", *prefix ? prefix : "body");
    if (!json_is_object(item))
        return ar_error_set(err, AR_EINVAL, field, "'%s' must be a JSON object", field);
    const char *text, *lang, *id;
    size_t len;
    json_t *record = json_object_get(item, "record");
    ar_status st = ar_http_only_keys(item, keys, AR_HTTP_LEN(keys), prefix, err);
    if (st == AR_OK && record && !json_is_boolean(record)) {
        snprintf(field, sizeof field, "%srecord", prefix);
        st = ar_error_set(err, AR_EINVAL, field, "'record' must be true or false");
    }
    if (st == AR_OK)
        st = ar_http_get_string(item, "id", json_is_true(record), AR_HTTP_ITEM_ID_MAX, prefix,
                                &id, NULL, err);
    bool signals = json_object_get(item, "links") || json_object_get(item, "image_hashes") ||
                   json_object_get(item, "images");
    if (st == AR_OK) /* text may be left out when links, image hashes or images come */
        st = ar_http_get_string(item, "text", !signals, AR_TEXT_MAX_BYTES, prefix, &text, &len,
                                err);
    if (st == AR_OK)
        st = ar_http_get_string(item, "lang", false, AR_HTTP_LANG_MAX, prefix, &lang, NULL, err);
    if (st == AR_OK && lang && !lang_valid(lang)) {
        snprintf(field, sizeof field, "%slang", prefix);
        st = ar_error_set(err, AR_EINVAL, field, "'lang' must be a BCP 47 tag such as \"en\"");
    }
    if (st != AR_OK)
        return st;
    /* run_check reads text, lang, links and hashes from the item again */
    if ((st = run_check(app->ctx, e, lists, s, item, prefix, images, false, v, err)) != AR_OK)
        return st;
    ar_http_metrics_verdict(&app->metrics, v);
    *id_out = id ? json_object_get(item, "id") : NULL;
    return AR_OK;
}

/* One item -> its verdict as a tree in *out (recorded first when `keep`
 * and the item asks). */
static ar_status check_one(ar_http_app *app, ar_engine *e, const ar_lists *lists,
                           ar_check_scratch *s, json_t *item, const char *prefix, bool keep,
                           ar_check_image *images, json_t **out, ar_error *err)
{
    ar_verdict v;
    json_t *id = NULL;
    ar_status st = check_item(app, e, lists, s, item, prefix, images, &v, &id, err);
    if (st != AR_OK)
        return st;
    *out = ar_http_verdict_json(id, &v, ar_engine_policy(e)->digest);
    if (!*out)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    json_t *imgs = json_object_get(item, "images");
    if (json_array_size(imgs))
        json_object_set_new(*out, "images", ar_http_images_json(images, json_array_size(imgs),
                                                                v.low_quality));
    int64_t case_id = 0, decision_id = 0;
    if (keep && json_is_true(json_object_get(item, "record")) &&
        (st = record_one(app, e, item, prefix, &v, &case_id, &decision_id, err)) != AR_OK) {
        json_decref(*out);
        *out = NULL;
        return st;
    }
    set_recorded(*out, case_id, decision_id);
    return AR_OK;
}

/* POST /v1/check's one item, answered by the writer (verdict.c) instead of
 * a tree: *body is the answer, malloc'd. Should the writer give up, the
 * tree is built and dumped as before, so the bytes are jansson's either way. */
static ar_status check_one_written(ar_http_app *app, ar_engine *e, const ar_lists *lists,
                                   ar_check_scratch *s, json_t *item, ar_check_image *images,
                                   char **body, size_t *len, ar_error *err)
{
    ar_verdict v;
    json_t *id = NULL;
    ar_status st = check_item(app, e, lists, s, item, "", images, &v, &id, err);
    int64_t case_id = 0, decision_id = 0;
    if (st == AR_OK && json_is_true(json_object_get(item, "record")))
        st = record_one(app, e, item, "", &v, &case_id, &decision_id, err);
    if (st != AR_OK)
        return st;
    ar_http_verdict_doc d = {.id = json_string_value(id),
                             .id_len = json_string_length(id),
                             .v = &v,
                             .policy = ar_engine_policy(e)->digest,
                             .images = images,
                             .nimages = json_array_size(json_object_get(item, "images")),
                             .case_id = case_id,
                             .decision_id = decision_id};
    if ((*body = ar_http_verdict_write(&d, len)))
        return AR_OK;
    json_t *out = ar_http_verdict_json(id, &v, d.policy);
    if (out && d.nimages)
        json_object_set_new(out, "images", ar_http_images_json(images, d.nimages,
                                                               v.low_quality));
    if (out)
        set_recorded(out, case_id, decision_id);
    *body = out ? json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(out);
    if (!*body)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    *len = strlen(*body);
    return AR_OK;
}

/* The batch's second pass: record item i (already checked) if it asks. */
static ar_status check_and_record(ar_http_app *app, ar_engine *e, const ar_lists *lists,
                                  ar_check_scratch *s, json_t *item, size_t i,
                                  ar_check_image *images, json_t *result, ar_error *err)
{
    if (!json_is_true(json_object_get(item, "record")))
        return AR_OK;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "items[%zu].", i);
    ar_verdict v;
    int64_t case_id = 0, decision_id = 0;
    ar_status st = run_check(app->ctx, e, lists, s, item, prefix, images, true, &v, err);
    if (st == AR_OK)
        st = record_one(app, e, item, prefix, &v, &case_id, &decision_id, err);
    if (st == AR_OK)
        set_recorded(result, case_id, decision_id);
    return st;
}

/* The common check body, {"id": "...", "text": "...", "lang": "..."} and
 * nothing else, read by the strict reader `arbiter scan` uses
 * (src/cli/jsonl.c) instead of jansson's parser, which was a third of a
 * check request's instructions (docs/PERFORMANCE.md). Only a body jansson
 * would read to exactly those strings goes this way: any other key, a
 * repeated key (jansson is told to refuse them), an integer id, a null
 * lang, a NUL byte (jansson refuses \u0000 here) or anything the reader
 * refuses is left to jansson, so every error and every other shape gets
 * the answer it always got. NULL: not this shape (or out of memory). */
bool ar_http_plain_check_body = true;

/* The plain shape: {"id": string, "text": string, "lang"?: string}, each
 * once, without NUL bytes. `j` must be freed by the caller either way. */
static bool plain_body_parse(const ar_http_req *req, cli_jsonl *j, cli_jsonl_item *it)
{
    return ar_http_plain_check_body && req->body &&
           cli_jsonl_parse(j, req->body, req->body_len, it, NULL) == CLI_JSONL_OK &&
           it->id_is_string && it->members == it->id_text_lang &&
           it->members == 2u + (it->lang != NULL) && !memchr(it->id, 0, it->id_len) &&
           !memchr(it->text, 0, it->text_len) && (!it->lang || strlen(it->lang) == it->lang_len);
}

json_t *ar_http_plain_check_body_read(const ar_http_req *req)
{
    cli_jsonl j = {0};
    cli_jsonl_item it;
    json_t *doc = NULL;
    if (plain_body_parse(req, &j, &it)) {
        doc = json_object();
        json_t *id = json_stringn_nocheck(it.id, it.id_len);
        json_t *text = json_stringn_nocheck(it.text, it.text_len);
        json_t *lang = it.lang ? json_stringn_nocheck(it.lang, it.lang_len) : NULL;
        if (!doc || json_object_set_new_nocheck(doc, "id", id) ||
            json_object_set_new_nocheck(doc, "text", text) ||
            (it.lang && json_object_set_new_nocheck(doc, "lang", lang))) {
            json_decref(doc);
            doc = NULL;
        }
    }
    cli_jsonl_free(&j);
    return doc;
}

/* The plain body checked and answered with no tree at all, when its fields
 * pass check_item's rules (id 1..256 bytes, text up to the limit, lang a
 * 1..35-byte tag) and the check succeeds; true if it answered. Anything
 * else is left to the tree (false), whose refusals name the field, so every
 * error reads as it always did. The bytes are jansson's: tests/http/
 * test_handlers.c and fuzz_http_body answer every body both ways. */
static bool check_plain(ar_http_req *req, ar_http_res *res)
{
    cli_jsonl j = {0};
    cli_jsonl_item it;
    bool answered = false;
    if (!plain_body_parse(req, &j, &it) || it.id_len == 0 || it.id_len > AR_HTTP_ITEM_ID_MAX ||
        it.text_len > AR_TEXT_MAX_BYTES ||
        (it.lang && (it.lang_len == 0 || it.lang_len > AR_HTTP_LANG_MAX || !lang_valid(it.lang)))) {
        cli_jsonl_free(&j);
        return false;
    }
    ar_http_app *app = req->app;
    ar_engine *e = ar_engine_slot_acquire(app->slot);
    ar_lists *lists = ar_lists_slot_acquire(app->lists);
    ar_check_scratch *s = ar_http_scratch_take(app);
    ar_check_input in = {.text = it.text, .len = it.text_len, .lang = it.lang};
    ar_verdict v;
    if (e && s && ar_check_item(e, lists, s, &in, &v, NULL) == AR_OK) {
        ar_http_verdict_doc d = {.id = it.id, .id_len = it.id_len, .v = &v,
                                 .policy = ar_engine_policy(e)->digest};
        size_t len = 0;
        char *body = ar_http_verdict_write(&d, &len);
        if (body) {
            ar_http_metrics_verdict(&app->metrics, &v);
            ar_http_reply_text(res, 200, "application/json", body, len);
            answered = true;
        }
    }
    ar_http_scratch_give(app, s);
    ar_lists_release(lists);
    ar_engine_release(e);
    cli_jsonl_free(&j);
    return answered;
}

void ar_http_h_check(ar_http_req *req, ar_http_res *res)
{
    if (check_plain(req, res))
        return;
    /* a plain body check_plain left (an error to name): still no tree for
     * the answer (verdict.c) */
    json_t *doc = ar_http_plain_check_body_read(req);
    bool plain = doc != NULL;
    if (!doc && !(doc = ar_http_body_json(req, res)))
        return;
    ar_http_app *app = req->app;
    ar_engine *e = ar_engine_slot_acquire(app->slot);
    ar_lists *lists = ar_lists_slot_acquire(app->lists);
    ar_check_scratch *s = ar_http_scratch_take(app);
    ar_error err = {0};
    json_t *out = NULL;
    char *body = NULL;
    size_t len = 0;
    ar_check_image images[AR_CHECK_MAX_IMAGES];
    ar_status st = !e || !s ? ar_error_set(&err, AR_ENOMEM, NULL, "no engine or scratch")
                   : plain  ? check_one_written(app, e, lists, s, doc, images, &body, &len, &err)
                            : check_one(app, e, lists, s, doc, "", true, images, &out, &err);
    ar_http_scratch_give(app, s);
    ar_lists_release(lists);
    ar_engine_release(e);
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else if (plain)
        ar_http_reply_text(res, 200, "application/json", body, len);
    else
        ar_http_reply_json(res, 200, out);
}

void ar_http_h_check_batch(ar_http_req *req, ar_http_res *res)
{
    json_t *doc = ar_http_body_json(req, res);
    if (!doc)
        return;
    ar_http_app *app = req->app;
    ar_error err = {0};
    static const char *const keys[] = {"items"};
    json_t *items = json_object_get(doc, "items"), *results = json_array();
    size_t max = app->cfg.batch_max;
    ar_status st = AR_OK;
    if (!json_is_object(doc))
        st = ar_error_set(&err, AR_EINVAL, "body", "body must be {\"items\":[...]}");
    else if ((st = ar_http_only_keys(doc, keys, 1, "", &err)) != AR_OK)
        ;
    else if (!json_is_array(items))
        st = ar_error_set(&err, AR_EINVAL, "items", "'items' must be an array");
    else if (json_array_size(items) == 0)
        st = ar_error_set(&err, AR_EINVAL, "items", "'items' must not be empty");
    else if (json_array_size(items) > max)
        st = ar_error_set(&err, AR_ETOOBIG, "items", "%zu items, over the limit of %zu",
                          json_array_size(items), max);
    else if (!results)
        st = ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK) {
        ar_engine *e = ar_engine_slot_acquire(app->slot);
        ar_lists *lists = ar_lists_slot_acquire(app->lists);
        ar_check_scratch *s = ar_http_scratch_take(app);
        /* each item's image hashes, kept for the recording pass (the bytes are not) */
        ar_check_image *images = calloc(json_array_size(items), sizeof *images *
                                                                    AR_CHECK_MAX_IMAGES);
        if (!e || !s || !images)
            st = ar_error_set(&err, AR_ENOMEM, NULL, "no engine, scratch or memory");
        for (size_t i = 0; st == AR_OK && i < json_array_size(items); i++) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "items[%zu].", i);
            json_t *one = NULL;
            st = check_one(app, e, lists, s, json_array_get(items, i), prefix, false,
                           &images[i * AR_CHECK_MAX_IMAGES], &one, &err);
            if (st == AR_OK)
                json_array_append_new(results, one);
            else if (!strcmp(err.field, prefix) || !err.field[0])
                snprintf(err.field, sizeof err.field, "items[%zu]", i);
        }
        /* Record only once every item is valid: a bad item stores nothing. */
        for (size_t i = 0; st == AR_OK && i < json_array_size(items); i++)
            st = check_and_record(app, e, lists, s, json_array_get(items, i), i,
                                  &images[i * AR_CHECK_MAX_IMAGES], json_array_get(results, i),
                                  &err);
        free(images);
        ar_http_scratch_give(app, s);
        ar_lists_release(lists);
        ar_engine_release(e);
    }
    json_decref(doc);
    if (st != AR_OK) {
        json_decref(results);
        ar_http_reply_error(res, &err);
        return;
    }
    ar_http_reply_json(res, 200, json_pack("{s:o}", "results", results));
}

/*---- Visibility ------------------------------------------------------------*/

static bool country_upper(const char *cc, char out[3])
{
    if (!cc || !ar_visibility_country_valid(cc))
        return false;
    out[0] = (char)(cc[0] & ~0x20);
    out[1] = (char)(cc[1] & ~0x20);
    out[2] = '\0';
    return true;
}

/* No country: the item's whole scope, for a platform that caches it per item. */
static void visibility_scope(ar_http_req *req, ar_http_res *res, const char *item)
{
    char codes[AR_VISIBILITY_MAX_COUNTRIES * 2];
    size_t n = 0;
    ar_visibility_state vs = ar_workflow_visibility_scope(req->app->wf, item, codes, &n);
    json_t *in = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(in, json_stringn(codes + 2 * i, 2));
    ar_http_reply_json(res, 200,
                       json_pack("{s:s,s:s,s:o}", "item", item, "state",
                                 ar_visibility_state_name(vs), "restricted_in", in));
}

void ar_http_h_visibility(ar_http_req *req, ar_http_res *res)
{
    const char *item = ar_http_param(req, "id"), *cc = ar_http_query(req, "country");
    char country[3];
    if (!cc) {
        visibility_scope(req, res, item);
        return;
    }
    if (!country_upper(cc, country)) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "country",
                             "'country' must be an ISO 3166-1 alpha-2 code such as PK");
        return;
    }
    ar_visibility_state vs = ar_workflow_visibility(req->app->wf, item, country);
    ar_http_reply_json(res, 200,
                       json_pack("{s:s,s:s,s:s}", "item", item, "country", country, "state",
                                 ar_visibility_state_name(vs)));
}

void ar_http_h_visibility_batch(ar_http_req *req, ar_http_res *res)
{
    json_t *doc = ar_http_body_json(req, res);
    if (!doc)
        return;
    ar_http_app *app = req->app;
    ar_error err = {0};
    static const char *const keys[] = {"country", "items"};
    static const char *const item_keys[] = {"item", "country"};
    json_t *items = json_object_get(doc, "items");
    char dflt[3] = "";
    ar_status st = AR_OK;
    size_t n = json_array_size(items);
    if (!json_is_object(doc))
        st = ar_error_set(&err, AR_EINVAL, "body",
                          "body must be {\"country\":\"PK\",\"items\":[{\"item\":..}]}");
    else if ((st = ar_http_only_keys(doc, keys, 2, "", &err)) != AR_OK)
        ;
    else if (json_object_get(doc, "country") &&
             !country_upper(json_string_value(json_object_get(doc, "country")), dflt))
        st = ar_error_set(&err, AR_EINVAL, "country",
                          "'country' must be an ISO 3166-1 alpha-2 code such as PK");
    else if (!json_is_array(items))
        st = ar_error_set(&err, AR_EINVAL, "items", "'items' must be an array");
    else if (n == 0)
        st = ar_error_set(&err, AR_EINVAL, "items", "'items' must not be empty");
    else if (n > app->cfg.batch_max)
        st = ar_error_set(&err, AR_ETOOBIG, "items", "%zu items, over the limit of %zu", n,
                          app->cfg.batch_max);
    const char **ids = NULL;
    size_t *lens = NULL;
    char *countries = NULL;
    ar_visibility_state *states = NULL;
    if (st == AR_OK) {
        ids = calloc(n, sizeof *ids);
        lens = calloc(n, sizeof *lens);
        countries = calloc(n, 2);
        states = calloc(n, sizeof *states);
        if (!ids || !lens || !countries || !states)
            st = ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; st == AR_OK && i < n; i++) {
        char prefix[32], field[AR_ERROR_FIELD_MAX], cc[3];
        snprintf(prefix, sizeof prefix, "items[%zu].", i);
        json_t *e = json_array_get(items, i);
        const char *c = NULL;
        if (!json_is_object(e)) {
            snprintf(field, sizeof field, "items[%zu]", i);
            st = ar_error_set(&err, AR_EINVAL, field, "'%s' must be an object", field);
        }
        if (st == AR_OK)
            st = ar_http_only_keys(e, item_keys, 2, prefix, &err);
        if (st == AR_OK)
            st = ar_http_get_string(e, "item", true, AR_HTTP_ITEM_ID_MAX, prefix, &ids[i], &lens[i], &err);
        if (st == AR_OK)
            st = ar_http_get_string(e, "country", false, 64, prefix, &c, NULL, &err);
        if (st == AR_OK && !(c ? country_upper(c, cc) : (dflt[0] && memcpy(cc, dflt, 3)))) {
            snprintf(field, sizeof field, "%scountry", prefix);
            st = ar_error_set(&err, AR_EINVAL, field,
                              c ? "'%s' must be an ISO 3166-1 alpha-2 code such as PK"
                                : "'%s' is required (or a top-level 'country')",
                              field);
        }
        if (st == AR_OK)
            memcpy(countries + 2 * i, cc, 2);
    }
    json_t *results = st == AR_OK ? json_array() : NULL;
    if (st == AR_OK && !results)
        st = ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK) {
        ar_workflow_visibility_many(app->wf, n, ids, lens, countries, states);
        for (size_t i = 0; i < n; i++) {
            char cc[3] = {countries[2 * i], countries[2 * i + 1], 0};
            json_array_append_new(results, json_pack("{s:s%,s:s,s:s}", "item", ids[i], lens[i],
                                                     "country", cc, "state",
                                                     ar_visibility_state_name(states[i])));
        }
    }
    free(ids);
    free(lens);
    free(countries);
    free(states);
    json_decref(doc);
    if (st != AR_OK) {
        json_decref(results);
        ar_http_reply_error(res, &err);
        return;
    }
    ar_http_reply_json(res, 200, json_pack("{s:o}", "results", results));
}

/*---- Policy ---------------------------------------------------------------*/

static json_t *policy_json(const ar_engine *e)
{
    const ar_policy *p = ar_engine_policy(e);
    json_t *std = json_array();
    for (size_t i = 0; std && i < p->nstandards; i++) {
        const ar_policy_standard *s = &p->standards[i];
        json_array_append_new(std, json_pack("{s:s,s:s,s:s,s:I}", "id", s->id, "title",
                                             s->title ? s->title : "", "action",
                                             ar_action_name(s->action), "rules",
                                             (json_int_t)s->nrules));
    }
    return json_pack("{s:s,s:s*,s:I,s:o}", "digest", p->digest, "name", p->name, "patterns",
                     (json_int_t)ar_engine_pattern_count(e), "standards", std);
}

void ar_http_h_policy_get(ar_http_req *req, ar_http_res *res)
{
    ar_engine *e = ar_engine_slot_acquire(req->app->slot);
    if (!e) {
        ar_http_reply_errorf(res, 503, AR_HTTP_CODE_NOT_READY, "", "no policy loaded");
        return;
    }
    json_t *doc = policy_json(e);
    ar_engine_release(e);
    ar_http_reply_json(res, 200, doc);
}

void ar_http_h_policy_put(ar_http_req *req, ar_http_res *res)
{
    if (!req->body || req->body_len == 0) {
        ar_http_reply_errorf(res, 400, ar_status_name(AR_EINVAL), "body",
                             "the body must be a policy (YAML)");
        return;
    }
    ar_diag_list diags;
    ar_diag_list_init(&diags, req->app->ctx);
    ar_error err = {0};
    char actor[AR_TOKEN_NAME_MAX + AR_LOGIN_MAX + 32];
    if (req->token.staff[0])
        snprintf(actor, sizeof actor, "admin:%s", req->token.staff);
    else
        snprintf(actor, sizeof actor, "token:%s#%lld", req->token.name, (long long)req->token.id);
    ar_status st = ar_http_policy_reload(req->app, actor, req->body, req->body_len, &diags, &err);
    if (st != AR_OK) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < diags.n; i++) {
            const ar_error *d = &diags.v[i];
            json_array_append_new(list, json_pack("{s:s,s:i,s:i,s:s,s:s}", "file", d->file, "line",
                                                  (int)d->line, "column", (int)d->column, "field",
                                                  d->field, "message", d->message));
        }
        if (list && diags.n == 0)
            json_array_append_new(list, json_pack("{s:s,s:i,s:i,s:s,s:s}", "file", err.file,
                                                  "line", (int)err.line, "column",
                                                  (int)err.column, "field", err.field, "message",
                                                  err.message));
        ar_diag_list_free(&diags);
        char msg[AR_ERROR_FILE_MAX + AR_ERROR_MESSAGE_MAX + 32];
        ar_error_format(&err, msg, sizeof msg);
        res->code = ar_status_name(st);
        ar_http_reply_json(res, ar_http_status_of(st),
                           json_pack("{s:{s:s,s:s,s:s,s:o}}", "error", "code", ar_status_name(st),
                                     "message", msg, "field", err.field, "diagnostics",
                                     list ? list : json_array()));
        return;
    }
    ar_diag_list_free(&diags);
    ar_http_h_policy_get(req, res);
}
