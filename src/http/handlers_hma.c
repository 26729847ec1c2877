/*
 * handlers_hma.c - the subset of Meta's HMA 2.0 ("Open Media Match") API a
 * platform already running HMA needs to switch to arbiterd by changing the
 * base URL: hashing (/h), matching (/m), banks and their content (/c) and
 * /status, with the request and response shapes of HMA's blueprints (see
 * docs/ARCHITECTURE.md, "HMA compatibility", for what differs and why).
 *
 * HMA's banks are arbiter's pdq signal lists. HMA names banks in
 * CAPS_AND_UNDERSCORE, arbiter lists in [a-z0-9_.-]: a bank name maps to
 * the lowercase list name and back (a bijection on HMA's alphabet); a pdq
 * list whose name has '.' or '-' has no HMA name and is not visible here.
 * A bank's content id is the entry's row id in the store.
 *
 * Rollout controls: HMA's enabled_ratio (a per-bank coinflip) and a
 * content's disable_until_ts are not supported. A bank is always fully
 * enabled (matching_enabled_ratio 1.0): a request asking for anything else
 * is refused with 400 naming the field, never silently accepted. Whether a
 * match acts is the policy's business (its bank rules), not the bank's.
 *
 * Matching reads the lists snapshot (the one checks read); changes go
 * through the stored lists under the app's reload lock and refresh the
 * snapshot before answering, so the next lookup sees them. Uploaded images
 * are hashed from the request buffer: only the hash is stored, the bytes
 * are neither kept nor logged. arbiter never fetches remote content, so
 * HMA's ?url= forms are refused with 400.
 */
#include "http/handlers.h"
#include "http/multipart.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HMA_THRESHOLD 31u /* HMA's PDQ match distance (pytx PDQIndex) */
#define HMA_HITS_MAX  1000u /* matches in one answer */
#define HMA_NOTE_MAX  255u /* HMA's bank_content.note */

/*---- Names -------------------------------------------------------------------*/

/* ^[A-Z0-9_]{1,64}$ */
static bool hma_name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > AR_LIST_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* A list's HMA name into out[AR_LIST_NAME_MAX + 1]; false if it has none
 * ('.' or '-' in it). */
static bool hma_name_of(const char *list, char *out)
{
    size_t i = 0;
    for (; list[i] && i < AR_LIST_NAME_MAX; i++) {
        char c = list[i];
        if (c == '.' || c == '-')
            return false;
        out[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    out[i] = '\0';
    return true;
}

static void list_name_of(const char *hma, char *out)
{
    size_t i = 0;
    for (; hma[i] && i < AR_LIST_NAME_MAX; i++)
        out[i] = (char)(hma[i] >= 'A' && hma[i] <= 'Z' ? hma[i] - 'A' + 'a' : hma[i]);
    out[i] = '\0';
}

static ar_status name_check(const char *s, const char *field, ar_error *err)
{
    if (!hma_name_valid(s))
        return ar_error_set(err, AR_EINVAL, field,
                            "a bank name is 1 to %u characters of A-Z, 0-9 and '_'",
                            AR_LIST_NAME_MAX);
    return AR_OK;
}

/* The bank of the path's {name}, as its list name, if it exists: else the
 * error (400 for a bad name, 404 for none). */
static ar_status path_bank(ar_http_req *req, char *list, ar_error *err)
{
    const char *hma = ar_http_param(req, "name");
    ar_status st = name_check(hma, "name", err);
    if (st != AR_OK)
        return st;
    list_name_of(hma, list);
    ar_lists *l = ar_lists_slot_acquire(req->app->lists);
    long i = ar_lists_find(l, list);
    bool ok = i >= 0 && ar_lists_kind(l, (uint32_t)i) == AR_LIST_PDQ;
    ar_lists_release(l);
    return ok ? AR_OK : ar_error_set(err, AR_ENOTFOUND, "name", "bank '%s' not found", hma);
}

static json_t *bank_json(const char *hma)
{
    return json_pack("{s:s,s:f}", "name", hma, "matching_enabled_ratio", 1.0);
}

/*---- Query and body values ------------------------------------------------------*/

/* "true"/"false" (any case), "1"/"0"; absent: false. */
static ar_status query_bool(const ar_http_req *req, const char *key, bool *out, ar_error *err)
{
    const char *v = ar_http_query(req, key);
    *out = false;
    if (!v)
        return AR_OK;
    if (!strcasecmp(v, "true") || !strcmp(v, "1"))
        *out = true;
    else if (strcasecmp(v, "false") && strcmp(v, "0"))
        return ar_error_set(err, AR_EINVAL, key, "'%s' must be true or false", key);
    return AR_OK;
}

static ar_status no_url(const ar_http_req *req, ar_error *err)
{
    if (ar_http_query(req, "url"))
        return ar_error_set(err, AR_EINVAL, "url",
                            "arbiter never fetches remote content: send the hash (signal=) or "
                            "upload the file as multipart/form-data instead of url=");
    return AR_OK;
}

static ar_status signal_type_check(const char *v, bool required, const char *field,
                                   ar_error *err)
{
    if (!v && !required)
        return AR_OK;
    if (!v)
        return ar_error_set(err, AR_EINVAL, field, "'%s' is required (pdq)", field);
    if (strcmp(v, "pdq") != 0)
        return ar_error_set(err, AR_EINVAL, field,
                            "signal type '%.40s' is not supported: arbiter matches pdq only", v);
    return AR_OK;
}

/* A PDQ hash, 64 hex digits in either case, into *h and hex (lowercase). */
static ar_status signal_of(const char *s, size_t len, const char *field, ar_pdq_hash *h,
                           char *hex, ar_error *err)
{
    char norm[AR_URL_EXPR_MAX + 1];
    ar_status st = s ? ar_list_value_normalize(AR_LIST_PDQ, s, len, norm, sizeof norm, err)
                     : ar_error_set(err, AR_EINVAL, field, "'%s' (a PDQ hash) is required",
                                    field);
    if (st == AR_OK)
        st = ar_pdq_from_hex(norm, strlen(norm), h, err);
    if (st != AR_OK && err)
        snprintf(err->field, sizeof err->field, "%s", field);
    if (st == AR_OK)
        memcpy(hex, norm, AR_PDQ_HEX_LEN + 1);
    return st;
}

/* ?banks=A,B: each a valid name; filter[] gets the list names. */
typedef struct bank_filter {
    char names[16][AR_LIST_NAME_MAX + 1];
    size_t n;
    bool on;
} bank_filter;

static ar_status banks_query(const ar_http_req *req, bank_filter *f, ar_error *err)
{
    const char *v = ar_http_query(req, "banks");
    memset(f, 0, sizeof *f);
    if (!v || !*v)
        return AR_OK;
    f->on = true;
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",");
        char hma[AR_LIST_NAME_MAX + 2];
        if (n == 0 || n > AR_LIST_NAME_MAX || f->n == AR_HTTP_LEN(f->names))
            return ar_error_set(err, AR_EINVAL, "banks",
                                "banks is a comma-separated list of up to %zu bank names",
                                AR_HTTP_LEN(f->names));
        memcpy(hma, p, n);
        hma[n] = '\0';
        ar_status st = name_check(hma, "banks", err);
        if (st != AR_OK)
            return st;
        list_name_of(hma, f->names[f->n++]);
        p += n + (p[n] == ',');
    }
    return AR_OK;
}

static bool filter_has(const bank_filter *f, const char *list)
{
    if (!f->on)
        return true;
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->names[i], list))
            return true;
    return false;
}

/*---- Matching --------------------------------------------------------------------*/

/* {"BANK":[{"bank_content_id","distance":"d"}]} (by_bank) or the flat
 * raw_lookup list: ids, or {"bank_content_id","distance"} objects. */
static json_t *match(ar_http_app *app, const ar_pdq_hash *h, const bank_filter *f, bool by_bank,
                     bool distances)
{
    ar_hash_hit *hits = calloc(HMA_HITS_MAX, sizeof *hits);
    json_t *out = by_bank ? json_object() : json_array();
    ar_lists *l = ar_lists_slot_acquire(app->lists);
    size_t used = 0;
    for (uint32_t i = 0; hits && out && i < ar_lists_count(l) && used < HMA_HITS_MAX; i++) {
        const char *name = ar_lists_name(l, i);
        char hma[AR_LIST_NAME_MAX + 1];
        if (ar_lists_kind(l, i) != AR_LIST_PDQ || !hma_name_of(name, hma) || !filter_has(f, name))
            continue;
        size_t n = ar_lists_hash_within(l, i, h, HMA_THRESHOLD, hits, HMA_HITS_MAX - used);
        if (n > HMA_HITS_MAX - used)
            n = HMA_HITS_MAX - used;
        json_t *arr = by_bank ? json_array() : out;
        for (size_t k = 0; k < n; k++) {
            char d[8];
            snprintf(d, sizeof d, "%u", hits[k].distance);
            json_array_append_new(arr, !by_bank && !distances
                                           ? json_integer(hits[k].id)
                                           : json_pack("{s:I,s:s}", "bank_content_id",
                                                       (json_int_t)hits[k].id, "distance", d));
        }
        if (by_bank && n)
            json_object_set_new(out, hma, arr);
        else if (by_bank)
            json_decref(arr);
        used += n;
    }
    ar_lists_release(l);
    free(hits);
    if (!hits) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static void reply_or_error(ar_http_res *res, ar_status st, const ar_error *err, unsigned status,
                           json_t *doc)
{
    if (st != AR_OK) {
        json_decref(doc);
        ar_http_reply_error(res, err);
    } else if (!doc) {
        ar_http_reply_errorf(res, 503, "out_of_memory", "", "out of memory");
    } else {
        ar_http_reply_json(res, status, doc);
    }
}

/*---- Uploads -----------------------------------------------------------------------*/

/* The one file of a multipart body, whose field name is the content type
 * (photo). Other parts must be named in `fields` (text, not files); their
 * spans go to vals[]. */
static ar_status upload(const ar_http_req *req, ar_multipart *m, const char *const *fields,
                        size_t nfields, const ar_multipart_part **photo, ar_error *err)
{
    char boundary[AR_MULTIPART_BOUNDARY_MAX + 1];
    ar_status st = ar_multipart_boundary(req->content_type, boundary, err);
    if (st == AR_OK)
        st = ar_multipart_parse(req->body, req->body_len, boundary, m, err);
    *photo = NULL;
    for (size_t i = 0; st == AR_OK && i < m->n; i++) {
        const ar_multipart_part *p = &m->parts[i];
        if (p->is_file && *photo)
            st = ar_error_set(err, AR_EINVAL, "body", "upload exactly one file, not several");
        else if (p->is_file && !strcmp(p->name, "photo"))
            *photo = p;
        else if (p->is_file)
            st = ar_error_set(err, AR_EINVAL, "body",
                              "the file's field name is its content type, and arbiter hashes "
                              "photo only (not '%s')",
                              p->name);
        else if (!strcmp(p->name, "photo"))
            st = ar_error_set(err, AR_EINVAL, "photo",
                              "photo must be a file upload (a part with a filename)");
        else {
            bool known = false;
            for (size_t k = 0; k < nfields; k++)
                known |= !strcmp(p->name, fields[k]);
            if (!known)
                st = ar_error_set(err, AR_EINVAL, "body", "unexpected form field '%s'",
                                  p->name);
        }
    }
    if (st == AR_OK && !*photo)
        st = ar_error_set(err, AR_EINVAL, "photo",
                          "no file: upload one with field name photo (photo=@image.jpg)");
    if (st == AR_OK && (*photo)->len == 0)
        st = ar_error_set(err, AR_EINVAL, "photo", "the uploaded file is empty");
    return st;
}

static ar_status hash_photo(ar_http_app *app, const ar_multipart_part *p, ar_pdq_hash *h,
                            char *hex, ar_error *err)
{
    int quality = 0;
    ar_status st = ar_image_pdq(app->ctx, p->data, p->len, NULL, h, &quality, NULL, err);
    if (st != AR_OK && err) /* the image's fault: the field is the upload */
        snprintf(err->field, sizeof err->field, "photo");
    if (st == AR_OK)
        ar_pdq_to_hex(h, hex);
    return st;
}

/*---- /status, /h, /m ---------------------------------------------------------------*/

void ar_http_h_hma_status(ar_http_req *req, ar_http_res *res)
{
    ar_lists *l = ar_lists_slot_acquire(req->app->lists);
    char size[24], built[24];
    snprintf(size, sizeof size, "%zu", ar_lists_total(l, AR_LIST_PDQ));
    snprintf(built, sizeof built, "%lld", (long long)ar_lists_built_at(l));
    ar_lists_release(l);
    char *body = strdup("I-AM-ALIVE\n"); /* HMA's body, byte for byte */
    if (!body) {
        ar_http_reply_errorf(res, 503, "out_of_memory", "", "out of memory");
        return;
    }
    ar_http_reply_text(res, 200, "text/plain", body, strlen(body));
    ar_http_res_header(res, "X-Arbiter-Index-Size", size);
    ar_http_res_header(res, "X-Arbiter-Index-Built", built);
}

void ar_http_h_hma_hash(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    ar_multipart *m = malloc(sizeof *m);
    const ar_multipart_part *photo = NULL;
    ar_pdq_hash h;
    char hex[AR_PDQ_HEX_LEN + 1];
    const char *types = ar_http_query(req, "types");
    ar_status st = m ? no_url(req, &err) : ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK && types && strcmp(types, "pdq") != 0)
        st = ar_error_set(&err, AR_EINVAL, "types", "arbiter computes pdq only");
    if (st == AR_OK)
        st = upload(req, m, NULL, 0, &photo, &err);
    if (st == AR_OK)
        st = hash_photo(req->app, photo, &h, hex, &err);
    free(m);
    reply_or_error(res, st, &err, 200, st == AR_OK ? json_pack("{s:s}", "pdq", hex) : NULL);
}

void ar_http_h_hma_raw_lookup(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    ar_pdq_hash h;
    char hex[AR_PDQ_HEX_LEN + 1];
    bank_filter f;
    bool distances = false;
    const char *sig = ar_http_query(req, "signal");
    ar_status st = signal_type_check(ar_http_query(req, "signal_type"), true, "signal_type", &err);
    if (st == AR_OK)
        st = signal_of(sig, sig ? strlen(sig) : 0, "signal", &h, hex, &err);
    if (st == AR_OK)
        st = banks_query(req, &f, &err);
    if (st == AR_OK)
        st = query_bool(req, "include_distance", &distances, &err);
    json_t *m = st == AR_OK ? match(req->app, &h, &f, false, distances) : NULL;
    reply_or_error(res, st, &err, 200, m ? json_pack("{s:o}", "matches", m) : NULL);
}

/* The lookup options both forms share: banks, seed, bypass_coinflip. */
static ar_status lookup_options(const ar_http_req *req, bank_filter *f, ar_error *err)
{
    bool bypass;
    ar_status st = no_url(req, err);
    if (st == AR_OK)
        st = banks_query(req, f, err);
    if (st == AR_OK) /* accepted for HMA's clients: every bank is fully enabled */
        st = query_bool(req, "bypass_coinflip", &bypass, err);
    return st;
}

void ar_http_h_hma_lookup_get(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    ar_pdq_hash h;
    char hex[AR_PDQ_HEX_LEN + 1];
    bank_filter f;
    const char *sig = ar_http_query(req, "signal");
    ar_status st = lookup_options(req, &f, &err);
    if (st == AR_OK)
        st = signal_type_check(ar_http_query(req, "signal_type"), true, "signal_type", &err);
    if (st == AR_OK)
        st = signal_of(sig, sig ? strlen(sig) : 0, "signal", &h, hex, &err);
    reply_or_error(res, st, &err, 200, st == AR_OK ? match(req->app, &h, &f, true, true) : NULL);
}

void ar_http_h_hma_lookup_post(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    ar_pdq_hash h;
    char hex[AR_PDQ_HEX_LEN + 1];
    bank_filter f;
    ar_multipart *m = malloc(sizeof *m);
    const ar_multipart_part *photo = NULL;
    ar_status st = m ? lookup_options(req, &f, &err)
                     : ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK)
        st = upload(req, m, NULL, 0, &photo, &err);
    if (st == AR_OK)
        st = hash_photo(req->app, photo, &h, hex, &err);
    free(m);
    json_t *by_bank = st == AR_OK ? match(req->app, &h, &f, true, true) : NULL;
    reply_or_error(res, st, &err, 200, by_bank ? json_pack("{s:o}", "pdq", by_bank) : NULL);
}

void ar_http_h_hma_compare(ar_http_req *req, ar_http_res *res)
{
    json_t *doc = ar_http_body_json(req, res);
    if (!doc)
        return;
    ar_error err = {0};
    json_t *pair = json_object_get(doc, "pdq");
    ar_pdq_hash a, b;
    char hex[AR_PDQ_HEX_LEN + 1];
    ar_status st = AR_OK;
    if (!json_is_object(doc) || json_object_size(doc) != 1 || !json_is_array(pair) ||
        json_array_size(pair) != 2)
        st = ar_error_set(&err, AR_EINVAL, json_is_object(doc) && json_object_size(doc) == 1 &&
                                                   !pair ? "body" : "pdq",
                          json_is_object(doc) && json_object_size(doc) == 1 && !pair
                              ? "arbiter compares pdq only: the body is {\"pdq\":[h1,h2]}"
                              : "the body is {\"pdq\":[h1,h2]}: two PDQ hashes");
    for (size_t i = 0; st == AR_OK && i < 2; i++) {
        json_t *x = json_array_get(pair, i);
        char field[8];
        snprintf(field, sizeof field, "pdq[%zu]", i);
        st = json_is_string(x) ? signal_of(json_string_value(x), json_string_length(x), field,
                                           i ? &b : &a, hex, &err)
                               : ar_error_set(&err, AR_EINVAL, field, "%s must be a string",
                                              field);
    }
    json_decref(doc);
    unsigned d = st == AR_OK ? (unsigned)ar_pdq_distance(&a, &b) : 0;
    reply_or_error(res, st, &err, 200,
                   st == AR_OK ? json_pack("{s:[b,{s:i}]}", "pdq", d <= HMA_THRESHOLD,
                                           "distance", (int)d)
                               : NULL);
}

void ar_http_h_hma_index_status(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    ar_status st =
        signal_type_check(ar_http_query(req, "signal_type"), false, "signal_type", &err);
    json_t *doc = NULL;
    if (st == AR_OK) {
        ar_lists *l = ar_lists_slot_acquire(req->app->lists);
        size_t n = 0;
        char hma[AR_LIST_NAME_MAX + 1];
        for (uint32_t i = 0; i < ar_lists_count(l); i++)
            if (ar_lists_kind(l, i) == AR_LIST_PDQ && hma_name_of(ar_lists_name(l, i), hma))
                n += ar_lists_entries(l, i);
        doc = json_pack("{s:{s:b,s:I,s:I}}", "pdq", "present", l != NULL, "built_to",
                        (json_int_t)ar_lists_built_at(l), "size", (json_int_t)n);
        ar_lists_release(l);
    }
    reply_or_error(res, st, &err, 200, doc);
}

/*---- /c: banks ---------------------------------------------------------------------*/

void ar_http_h_hma_banks_list(ar_http_req *req, ar_http_res *res)
{
    json_t *a = json_array();
    ar_lists *l = ar_lists_slot_acquire(req->app->lists);
    for (uint32_t i = 0; a && i < ar_lists_count(l); i++) {
        char hma[AR_LIST_NAME_MAX + 1];
        if (ar_lists_kind(l, i) == AR_LIST_PDQ && hma_name_of(ar_lists_name(l, i), hma))
            json_array_append_new(a, bank_json(hma));
    }
    ar_lists_release(l);
    reply_or_error(res, AR_OK, NULL, 200, a);
}

/* enabled_ratio / matching_enabled_ratio / enabled: only "fully enabled". */
static ar_status ratio_check(json_t *doc, ar_error *err)
{
    static const char *const ratios[] = {"enabled_ratio", "matching_enabled_ratio"};
    for (size_t i = 0; i < AR_HTTP_LEN(ratios); i++) {
        json_t *r = json_object_get(doc, ratios[i]);
        if (r && (!json_is_number(r) || json_number_value(r) != 1.0))
            return ar_error_set(err, AR_EINVAL, ratios[i],
                                "arbiter banks are always fully enabled: %s must be 1.0 (turn "
                                "a bank's matches off in the policy instead)",
                                ratios[i]);
    }
    json_t *e = json_object_get(doc, "enabled");
    if (e && !json_is_true(e))
        return ar_error_set(err, AR_EINVAL, "enabled",
                            "arbiter banks are always enabled: enabled must be true (turn a "
                            "bank's matches off in the policy instead)");
    return AR_OK;
}

void ar_http_h_hma_bank_create(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"name", "enabled_ratio", "matching_enabled_ratio",
                                       "enabled"};
    const char *actor = ar_http_actor(req, res);
    json_t *doc = actor ? ar_http_body_json(req, res) : NULL;
    if (!doc)
        return;
    ar_error err = {0};
    const char *name = NULL;
    char list[AR_LIST_NAME_MAX + 1];
    ar_status st = json_is_object(doc)
                       ? ar_http_only_keys(doc, keys, AR_HTTP_LEN(keys), "", &err)
                       : ar_error_set(&err, AR_EINVAL, "body", "body must be {\"name\":\"BANK\"}");
    if (st == AR_OK)
        st = ar_http_get_string(doc, "name", true, AR_LIST_NAME_MAX, "", &name, NULL, &err);
    if (st == AR_OK)
        st = name_check(name, "name", &err);
    if (st == AR_OK)
        st = ratio_check(doc, &err);
    if (st == AR_OK) {
        list_name_of(name, list);
        pthread_mutex_lock(&req->app->reload_lock);
        st = ar_list_create(req->app->wf, actor, AR_LIST_PDQ, list, NULL, &err);
        if (st == AR_OK)
            st = ar_http_lists_refresh(req->app, &err);
        pthread_mutex_unlock(&req->app->reload_lock);
    }
    reply_or_error(res, st, &err, 201, st == AR_OK ? bank_json(name) : NULL);
    json_decref(doc);
}

void ar_http_h_hma_bank_get(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1];
    ar_status st = path_bank(req, list, &err);
    reply_or_error(res, st, &err, 200,
                   st == AR_OK ? bank_json(ar_http_param(req, "name")) : NULL);
}

/* PUT: HMA's renames and ratios; arbiter has neither, so only a request
 * that changes nothing succeeds (and answers the bank, as HMA does). */
void ar_http_h_hma_bank_update(ar_http_req *req, ar_http_res *res)
{
    static const char *const keys[] = {"name", "enabled_ratio", "matching_enabled_ratio",
                                       "enabled"};
    json_t *doc = ar_http_body_json(req, res);
    if (!doc)
        return;
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1];
    const char *hma = ar_http_param(req, "name");
    json_t *rename = json_object_get(doc, "name");
    ar_status st = path_bank(req, list, &err);
    if (st == AR_OK)
        st = json_is_object(doc) ? ar_http_only_keys(doc, keys, AR_HTTP_LEN(keys), "", &err)
                                 : ar_error_set(&err, AR_EINVAL, "body", "body must be an object");
    if (st == AR_OK && rename && (!json_is_string(rename) ||
                                  strcmp(json_string_value(rename), hma) != 0))
        st = ar_error_set(&err, AR_EINVAL, "name",
                          "banks cannot be renamed in arbiter: create a bank and add the "
                          "content to it");
    if (st == AR_OK)
        st = ratio_check(doc, &err);
    json_decref(doc);
    reply_or_error(res, st, &err, 200, st == AR_OK ? bank_json(hma) : NULL);
}

void ar_http_h_hma_bank_delete(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1];
    ar_status st = path_bank(req, list, &err);
    if (st == AR_OK) {
        pthread_mutex_lock(&req->app->reload_lock);
        ar_engine *e = ar_engine_slot_acquire(req->app->slot);
        if (ar_engine_uses_list(e, list))
            st = ar_error_set(&err, AR_ECONFLICT, "name",
                              "the policy in force has a rule naming bank '%s' (list '%s'): "
                              "change the policy first",
                              ar_http_param(req, "name"), list);
        else
            st = ar_list_delete(req->app->wf, actor, AR_LIST_PDQ, list, &err);
        if (st == AR_OK)
            st = ar_http_lists_refresh(req->app, &err);
        ar_engine_release(e);
        pthread_mutex_unlock(&req->app->reload_lock);
    }
    reply_or_error(res, st, &err, 200, st == AR_OK ? json_pack("{s:s}", "message", "Done") : NULL);
}

/*---- /c: content ------------------------------------------------------------------*/

/* Store one hash on the bank; the answer is HMA's {"id","signals":{"pdq"}}. */
static void add_content(ar_http_req *req, ar_http_res *res, const char *actor, const char *list,
                        const char *hex, const char *note)
{
    ar_error err = {0};
    int64_t id = 0;
    bool added = false;
    pthread_mutex_lock(&req->app->reload_lock);
    ar_status st = ar_list_add_one(req->app->wf, actor, AR_LIST_PDQ, list, hex, strlen(hex),
                                   note, &id, &added, &err);
    if (st == AR_OK && added)
        st = ar_http_lists_refresh(req->app, &err);
    pthread_mutex_unlock(&req->app->reload_lock);
    reply_or_error(res, st, &err, 200,
                   st == AR_OK ? json_pack("{s:I,s:{s:s}}", "id", (json_int_t)id, "signals",
                                           "pdq", hex)
                               : NULL);
}

void ar_http_h_hma_bank_signal(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    json_t *doc = actor ? ar_http_body_json(req, res) : NULL;
    if (!doc)
        return;
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1], hex[AR_PDQ_HEX_LEN + 1];
    ar_pdq_hash h;
    json_t *v = json_object_get(doc, "pdq");
    ar_status st = path_bank(req, list, &err);
    if (st == AR_OK && (!json_is_object(doc) || json_object_size(doc) == 0))
        st = ar_error_set(&err, AR_EINVAL, "body", "no signals given: the body is {\"pdq\":hash}");
    else if (st == AR_OK && (!v || json_object_size(doc) != 1))
        st = ar_error_set(&err, AR_EINVAL, "body",
                          "arbiter banks hold pdq signals only: the body is {\"pdq\":hash}");
    if (st == AR_OK)
        st = json_is_string(v)
                 ? signal_of(json_string_value(v), json_string_length(v), "pdq", &h, hex, &err)
                 : ar_error_set(&err, AR_EINVAL, "pdq", "pdq must be a string of 64 hex digits");
    json_decref(doc);
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        add_content(req, res, actor, list, hex, NULL);
}

/* The form's note (HMA: at most 255 bytes) into note[HMA_NOTE_MAX + 1]. */
static ar_status note_of(const ar_multipart_part *p, char *note, ar_error *err)
{
    if (p->len > HMA_NOTE_MAX)
        return ar_error_set(err, AR_ETOOBIG, "note", "a note is at most %u bytes", HMA_NOTE_MAX);
    if (memchr(p->data, '\0', p->len))
        return ar_error_set(err, AR_EINVAL, "note", "a note is text: no NUL bytes");
    ar_status st = ar_list_note_check(p->data, p->len, err);
    if (st == AR_OK) {
        memcpy(note, p->data, p->len);
        note[p->len] = '\0';
    }
    return st;
}

void ar_http_h_hma_bank_content_add(ar_http_req *req, ar_http_res *res)
{
    static const char *const fields[] = {"note"};
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1], hex[AR_PDQ_HEX_LEN + 1], note[HMA_NOTE_MAX + 1] = "";
    ar_pdq_hash h;
    ar_multipart *m = malloc(sizeof *m);
    const ar_multipart_part *photo = NULL, *np = NULL;
    ar_status st = m ? path_bank(req, list, &err)
                     : ar_error_set(&err, AR_ENOMEM, NULL, "out of memory");
    if (st == AR_OK)
        st = no_url(req, &err);
    if (st == AR_OK && (ar_http_query(req, "metadata") || ar_http_query(req, "disable_until_ts")))
        st = ar_error_set(&err, AR_EINVAL,
                          ar_http_query(req, "metadata") ? "metadata" : "disable_until_ts",
                          "arbiter stores a bank's hashes with a note only: metadata and "
                          "disable_until_ts are not supported");
    if (st == AR_OK)
        st = upload(req, m, fields, AR_HTTP_LEN(fields), &photo, &err);
    if (st == AR_OK && (np = ar_multipart_get(m, "note")) != NULL)
        st = note_of(np, note, &err);
    if (st == AR_OK)
        st = hash_photo(req->app, photo, &h, hex, &err);
    free(m); /* the image bytes stay in the request buffer: only the hash goes on */
    if (st != AR_OK)
        ar_http_reply_error(res, &err);
    else
        add_content(req, res, actor, list, hex, note[0] ? note : NULL);
}

/* GET: HMA's {"id","bank","enabled","original_media_uri"}, with "signals"
 * when ?signal_type=pdq asks for them (arbiter keeps no media URI: null). */
void ar_http_h_hma_bank_content_get(ar_http_req *req, ar_http_res *res)
{
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1], value[AR_URL_EXPR_MAX + 1];
    const char *type = ar_http_query(req, "signal_type");
    ar_status st = path_bank(req, list, &err);
    if (st == AR_OK)
        st = signal_type_check(type, false, "signal_type", &err);
    if (st != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    int64_t id = ar_http_param_id(req, res, "id");
    if (!id)
        return;
    st = ar_list_entry_get(req->app->wf, AR_LIST_PDQ, list, id, value, sizeof value, &err);
    json_t *doc = st == AR_OK ? json_pack("{s:I,s:s,s:b,s:n}", "id", (json_int_t)id, "bank",
                                          ar_http_param(req, "name"), "enabled", 1,
                                          "original_media_uri")
                              : NULL;
    if (doc && type)
        json_object_set_new(doc, "signals", json_pack("{s:s}", "pdq", value));
    if (st == AR_ENOTFOUND && !strcmp(err.field, "id"))
        snprintf(err.message, sizeof err.message, "content '%lld' not found", (long long)id);
    reply_or_error(res, st, &err, 200, doc);
}

void ar_http_h_hma_bank_content_delete(ar_http_req *req, ar_http_res *res)
{
    const char *actor = ar_http_actor(req, res);
    if (!actor)
        return;
    ar_error err = {0};
    char list[AR_LIST_NAME_MAX + 1];
    ar_status st = path_bank(req, list, &err);
    if (st != AR_OK) {
        ar_http_reply_error(res, &err);
        return;
    }
    int64_t id = ar_http_param_id(req, res, "id");
    if (!id)
        return;
    pthread_mutex_lock(&req->app->reload_lock);
    st = ar_list_remove_id(req->app->wf, actor, AR_LIST_PDQ, list, id, &err);
    bool removed = st == AR_OK;
    if (st == AR_OK)
        st = ar_http_lists_refresh(req->app, &err);
    pthread_mutex_unlock(&req->app->reload_lock);
    if (!removed && err.status == AR_ENOTFOUND && !strcmp(err.field, "id"))
        st = AR_OK; /* as HMA: not on the bank is {"deleted":0} */
    reply_or_error(res, st, &err, 200,
                   st == AR_OK ? json_pack("{s:i}", "deleted", removed ? 1 : 0) : NULL);
}
