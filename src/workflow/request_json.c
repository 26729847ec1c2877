/*
 * request_json.c - a legal request file, validated field by field.
 *
 *   {"authority": {"name": "...", "country": "PK", "branch": "regulator"},
 *    "legal_basis": {"instrument": "...", "provision": "..."},
 *    "kind": "content_restriction", "received_at": "2026-11-20T10:00:00Z",
 *    "items": [{"id": "post-123", "url": "https://example.social/p/123"}],
 *    "external_ref": "...", "emergency": false, "document_hash": "sha256:<64 hex>"}
 *
 * Unknown keys are refused: a request file is evidence, and a field we
 * would silently drop (a phone number, say) must not ride along.
 */
#include "workflow_int.h"

#include <ctype.h>

static const char *const branches[] = {"court",          "prosecutor", "police",
                                       "regulator",      "ministry_executive", "legislature",
                                       "military",       "intelligence", "electoral_body",
                                       "other"};
static const char *const kinds[] = {"content_restriction", "user_data", "preservation",
                                    "emergency"};

bool ar__in_set(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, set[i]))
            return true;
    return false;
}

/* Refuse keys outside `allowed`; the error names the first one. */
ar_status ar__json_only_keys(json_t *obj, const char *where, const char *const *allowed, size_t n,
                           ar_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        (void)v;
        if (!ar__in_set(key, allowed, n))
            return ar_error_set(err, AR_EINVAL, key, "unknown field '%s' in %s", key, where);
    }
    return AR_OK;
}

ar_status ar__json_get_string(json_t *obj, const char *key, const char *field, size_t max,
                            bool required, const char **out, ar_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? ar_error_set(err, AR_EINVAL, field, "'%s' is required", field) : AR_OK;
    if (!json_is_string(v))
        return ar_error_set(err, AR_EINVAL, field, "'%s' must be a string", field);
    size_t n = json_string_length(v);
    if (n == 0 && required)
        return ar_error_set(err, AR_EINVAL, field, "'%s' must not be empty", field);
    if (n > max)
        return ar_error_set(err, AR_ETOOBIG, field, "'%s' is %zu bytes, over the limit of %zu",
                            field, n, max);
    if (memchr(json_string_value(v), '\0', n))
        return ar_error_set(err, AR_EINVAL, field, "'%s' contains a NUL character", field);
    *out = json_string_value(v);
    return AR_OK;
}

static json_t *get_object(json_t *root, const char *key, ar_error *err, ar_status *st)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_object(v))
        *st = ar_error_set(err, AR_EINVAL, key, "'%s' must be an object", key);
    return v;
}

static ar_status parse_authority(ar_legal_request *r, ar_error *err)
{
    static const char *const keys[] = {"name", "country", "branch"};
    ar_status st = AR_OK;
    json_t *a = get_object(r->root, "authority", err, &st);
    const char *country = NULL;
    if (st == AR_OK)
        st = ar__json_only_keys(a, "authority", keys, AR_ARRAY_LEN(keys), err);
    if (st == AR_OK)
        st = ar__json_get_string(a, "name", "authority.name", 200, true, &r->authority_name, err);
    if (st == AR_OK)
        st = ar__json_get_string(a, "country", "authority.country", 2, true, &country, err);
    if (st == AR_OK && (strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
                        !isupper((unsigned char)country[1])))
        st = ar_error_set(err, AR_EINVAL, "authority.country",
                          "'authority.country' must be an ISO 3166-1 alpha-2 code such as \"PK\"");
    if (st == AR_OK)
        memcpy(r->country, country, 3);
    if (st == AR_OK)
        st = ar__json_get_string(a, "branch", "authority.branch", 32, true, &r->authority_branch, err);
    if (st == AR_OK && !ar__in_set(r->authority_branch, branches, AR_ARRAY_LEN(branches)))
        st = ar_error_set(err, AR_EINVAL, "authority.branch",
                          "'authority.branch' must be one of court, prosecutor, police, regulator,"
                          " ministry_executive, legislature, military, intelligence,"
                          " electoral_body, other");
    return st;
}

static ar_status parse_basis(ar_legal_request *r, ar_error *err)
{
    static const char *const keys[] = {"instrument", "provision"};
    ar_status st = AR_OK;
    json_t *b = get_object(r->root, "legal_basis", err, &st);
    if (st == AR_OK)
        st = ar__json_only_keys(b, "legal_basis", keys, AR_ARRAY_LEN(keys), err);
    if (st == AR_OK)
        st = ar__json_get_string(b, "instrument", "legal_basis.instrument", 200, true, &r->instrument, err);
    if (st == AR_OK)
        st = ar__json_get_string(b, "provision", "legal_basis.provision", 200, true, &r->provision, err);
    return st;
}

static ar_status parse_items(ar_legal_request *r, ar_error *err)
{
    static const char *const keys[] = {"id", "url", "kind"};
    json_t *items = json_object_get(r->root, "items");
    if (!json_is_array(items) || json_array_size(items) == 0)
        return ar_error_set(err, AR_EINVAL, "items", "'items' must be a non-empty array");
    size_t n = json_array_size(items);
    if (n > AR_REQUEST_MAX_ITEMS)
        return ar_error_set(err, AR_ETOOBIG, "items", "%zu items, over the limit of %u", n,
                            AR_REQUEST_MAX_ITEMS);
    r->items = ar__calloc(r->ctx, n, sizeof *r->items);
    if (!r->items)
        return ar_error_set(err, AR_ENOMEM, "items", "out of memory");
    for (size_t i = 0; i < n; i++) {
        char field[48];
        json_t *it = json_array_get(items, i);
        ar_item_ref *ref = &r->items[i];
        ar_status st = AR_OK;
        snprintf(field, sizeof field, "items[%zu]", i);
        if (!json_is_object(it))
            return ar_error_set(err, AR_EINVAL, field, "'%s' must be an object", field);
        if ((st = ar__json_only_keys(it, field, keys, AR_ARRAY_LEN(keys), err)) != AR_OK)
            return st;
        snprintf(field, sizeof field, "items[%zu].id", i);
        if ((st = ar__json_get_string(it, "id", field, 256, true, &ref->platform_id, err)) != AR_OK)
            return st;
        snprintf(field, sizeof field, "items[%zu].url", i);
        if ((st = ar__json_get_string(it, "url", field, 2048, false, &ref->url, err)) != AR_OK)
            return st;
        snprintf(field, sizeof field, "items[%zu].kind", i);
        if ((st = ar__json_get_string(it, "kind", field, 16, false, &ref->kind, err)) != AR_OK)
            return st;
        snprintf(field, sizeof field, "items[%zu].id", i);
        for (size_t j = 0; j < i; j++) /* quadratic, but bounded by AR_REQUEST_MAX_ITEMS */
            if (!strcmp(r->items[j].platform_id, ref->platform_id))
                return ar_error_set(err, AR_EINVAL, field, "item '%s' is named twice",
                                    ref->platform_id);
    }
    r->nitems = n;
    return AR_OK;
}

static ar_status parse_rest(ar_legal_request *r, ar_error *err)
{
    const char *when = NULL;
    ar_status st = ar__json_get_string(r->root, "kind", "kind", 32, true, &r->kind, err);
    if (st == AR_OK && !ar__in_set(r->kind, kinds, AR_ARRAY_LEN(kinds)))
        st = ar_error_set(err, AR_EINVAL, "kind",
                          "'kind' must be content_restriction, user_data, preservation or"
                          " emergency");
    if (st == AR_OK)
        st = ar__json_get_string(r->root, "received_at", "received_at", 64, true, &when, err);
    if (st == AR_OK)
        st = ar_time_parse(when, "received_at", &r->received_at, err);
    if (st == AR_OK)
        st = ar__json_get_string(r->root, "external_ref", "external_ref", 200, false, &r->external_ref, err);
    if (st == AR_OK)
        st = ar__json_get_string(r->root, "document_hash", "document_hash", 80, false, &r->document_hash,
                        err);
    if (st == AR_OK && r->document_hash) {
        const char *h = r->document_hash;
        bool ok = !strncmp(h, "sha256:", 7) && strlen(h) == 71;
        for (size_t i = 7; ok && h[i]; i++)
            ok = isxdigit((unsigned char)h[i]) && !isupper((unsigned char)h[i]);
        if (!ok)
            st = ar_error_set(err, AR_EINVAL, "document_hash",
                              "'document_hash' must be \"sha256:\" and 64 lowercase hex digits");
    }
    json_t *e = json_object_get(r->root, "emergency");
    if (st == AR_OK && e && !json_is_boolean(e))
        st = ar_error_set(err, AR_EINVAL, "emergency", "'emergency' must be true or false");
    r->emergency = json_is_true(e) || (r->kind && !strcmp(r->kind, "emergency"));
    return st;
}

ar_status ar_legal_request_parse(ar_ctx *ctx, const char *json, size_t len,
                                 ar_legal_request **out, ar_error *err)
{
    static const char *const keys[] = {"authority",   "legal_basis",  "kind",
                                       "received_at", "items",        "external_ref",
                                       "emergency",   "document_hash"};
    if (!ctx || !json || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_legal_request_parse: NULL argument");
    *out = NULL;
    if (len > 16u * 1024 * 1024)
        return ar_error_set(err, AR_ETOOBIG, NULL, "request file is over 16 MiB");
    ar_legal_request *r = ar__calloc(ctx, 1, sizeof *r);
    if (!r)
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory");
    r->ctx = ctx;
    json_error_t jerr;
    r->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    ar_status st = AR_OK;
    char why[160];
    ar__json_error_reason(&jerr, why, sizeof why);
    if (!r->root)
        st = ar_error_set_at(err, AR_EINVAL, NULL, (unsigned)jerr.line > 0 ? (unsigned)jerr.line : 0,
                             jerr.column > 0 ? (unsigned)jerr.column : 0, NULL, "invalid JSON: %s",
                             why);
    else if (!json_is_object(r->root))
        st = ar_error_set(err, AR_EINVAL, NULL, "a request must be a JSON object");
    if (st == AR_OK)
        st = ar__json_only_keys(r->root, "the request", keys, AR_ARRAY_LEN(keys), err);
    if (st == AR_OK)
        st = parse_authority(r, err);
    if (st == AR_OK)
        st = parse_basis(r, err);
    if (st == AR_OK)
        st = parse_rest(r, err);
    if (st == AR_OK)
        st = parse_items(r, err);
    if (st != AR_OK) {
        ar_legal_request_free(r);
        return st;
    }
    *out = r;
    return AR_OK;
}

void ar_legal_request_free(ar_legal_request *r)
{
    if (!r)
        return;
    json_decref(r->root);
    ar__free(r->ctx, r->items);
    ar__free(r->ctx, r);
}
