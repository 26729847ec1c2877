/*
 * notice_json.c - a notice (a user's or trusted flagger's report, DSA
 * Art. 16) as JSON, validated field by field:
 *
 *   {"item": {"id": "post-1", "url": "https://...", "kind": "post",
 *             "text": "the reported text, kept sealed for reviewers"},
 *    "notifier_kind": "user", "notifier_ref": "opaque",
 *    "category": "hate" | "illegal:<law>", "explanation": "...",
 *    "location": "https://...", "good_faith": true}
 *
 * Unknown keys are refused, as in a legal request file: whatever a
 * reporting form sends beyond these (a name, an e-mail) must not ride along
 * into the store. The values are checked again by ar_notice_add.
 */
#include "workflow_int.h"

struct ar_notice {
    json_t *root; /* owns every string in `in` */
    ar_notice_in in;
};

static ar_status parse_item(json_t *root, ar_item_ref *item, ar_error *err)
{
    static const char *const keys[] = {"id", "url", "kind", "author_ref", "text", "lang"};
    json_t *it = json_object_get(root, "item");
    if (!json_is_object(it))
        return ar_error_set(err, AR_EINVAL, "item", "'item' must be an object {\"id\": ...}");
    ar_status st = ar__json_only_keys(it, "item", keys, AR_ARRAY_LEN(keys), err);
    if (st == AR_OK)
        st = ar__json_get_string(it, "id", "item.id", 256, true, &item->platform_id, err);
    if (st == AR_OK)
        st = ar__json_get_string(it, "url", "item.url", 2048, false, &item->url, err);
    if (st == AR_OK)
        st = ar__json_get_string(it, "kind", "item.kind", 16, false, &item->kind, err);
    if (st == AR_OK)
        st = ar__json_get_string(it, "author_ref", "item.author_ref", 256, false,
                                 &item->author_ref, err);
    if (st == AR_OK)
        st = ar__json_get_string(it, "text", "item.text", AR_EVIDENCE_MAX_BYTES, false,
                                 &item->text, err);
    if (st == AR_OK) /* the item's language (BCP 47), checked where the item is kept */
        st = ar__json_get_string(it, "lang", "item.lang", 35, false, &item->lang, err);
    item->text_len = item->text ? json_string_length(json_object_get(it, "text")) : 0;
    return st;
}

static ar_status parse_fields(json_t *root, ar_notice_in *n, ar_error *err)
{
    static const char *const keys[] = {"item",        "notifier_kind", "notifier_ref", "category",
                                       "explanation", "location",      "good_faith"};
    ar_status st = ar__json_only_keys(root, "the notice", keys, AR_ARRAY_LEN(keys), err);
    if (st == AR_OK)
        st = parse_item(root, &n->item, err);
    if (st == AR_OK)
        st = ar__json_get_string(root, "notifier_kind", "notifier_kind", 32, true,
                                 &n->notifier_kind, err);
    if (st == AR_OK)
        st = ar__json_get_string(root, "notifier_ref", "notifier_ref", 256, false,
                                 &n->notifier_ref, err);
    if (st == AR_OK)
        st = ar__json_get_string(root, "category", "category", 128, true, &n->category, err);
    if (st == AR_OK)
        st = ar__json_get_string(root, "explanation", "explanation", AR_STATEMENT_MAX_BYTES,
                                 true, &n->explanation, err);
    if (st == AR_OK)
        st = ar__json_get_string(root, "location", "location", 2048, true, &n->location, err);
    json_t *gf = json_object_get(root, "good_faith");
    if (st == AR_OK && !json_is_boolean(gf))
        st = ar_error_set(err, AR_EINVAL, "good_faith",
                          "'good_faith' must be true or false (the notifier's statement)");
    n->good_faith = json_is_true(gf);
    return st;
}

ar_status ar_notice_parse(ar_ctx *ctx, const char *json, size_t len, ar_notice **out,
                          ar_error *err)
{
    (void)ctx;
    if (!json || !out)
        return ar_error_set(err, AR_EINVAL, NULL, "ar_notice_parse: NULL argument");
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    char why[160];
    ar__json_error_reason(&je, why, sizeof why);
    if (!root)
        return ar_error_set(err, AR_EINVAL, "body", "not valid JSON (line %d, column %d): %s",
                            je.line, je.column, why);
    if (!json_is_object(root)) {
        json_decref(root);
        return ar_error_set(err, AR_EINVAL, "body", "a notice must be a JSON object");
    }
    ar_notice *n = calloc(1, sizeof *n);
    if (!n) {
        json_decref(root);
        return ar_error_set(err, AR_ENOMEM, NULL, "out of memory parsing a notice");
    }
    n->root = root;
    ar_status st = parse_fields(root, &n->in, err);
    if (st != AR_OK) {
        ar_notice_free(n);
        return st;
    }
    *out = n;
    return AR_OK;
}

const ar_notice_in *ar_notice_fields(const ar_notice *n)
{
    return n ? &n->in : NULL;
}

void ar_notice_free(ar_notice *n)
{
    if (!n)
        return;
    json_decref(n->root);
    free(n);
}
