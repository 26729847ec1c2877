/*
 * items.c - the things decisions are about, known by the platform's own id.
 * An item has an opaque author reference at most: never who the author is.
 */
#include "workflow_int.h"

static const char *const item_kinds[] = {"post", "comment", "image", "link", "account", "other"};

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, set[i]))
            return true;
    return false;
}

static ar_status url_check(const char *url, ar_error *err)
{
    ar_status st = ar__text_check(url, "url", 2048, false, err);
    if (st != AR_OK || !url || !*url)
        return st;
    if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return ar_error_set(err, AR_EINVAL, "url", "url must start with http:// or https://");
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return ar_error_set(err, AR_EINVAL, "url", "url contains a space or control character");
    return AR_OK;
}

/* The lowercase primary subtag of a BCP 47 tag ("ur-PK" -> "ur") in
 * out[9]: 2 to 8 ASCII letters, then nothing or '-' and more subtags. */
static ar_status lang_primary(const char *tag, char out[9], ar_error *err)
{
    size_t n = 0;
    out[0] = '\0';
    if (!tag)
        return AR_OK;
    while (n < 9 && ((tag[n] >= 'a' && tag[n] <= 'z') || (tag[n] >= 'A' && tag[n] <= 'Z')))
        n++;
    if (n < 2 || n > 8 || (tag[n] != '\0' && tag[n] != '-' && tag[n] != '_'))
        return ar_error_set(err, AR_EINVAL, "item.lang",
                            "lang must be a BCP 47 tag such as \"en\" or \"ur-PK\"");
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(tag[i] | 0x20);
    out[n] = '\0';
    return AR_OK;
}

ar_status ar__item_upsert(ar_workflow *w, ar_store_txn *t, const ar_item_ref *item,
                          int64_t *item_id, ar_error *err)
{
    const char *kind = item->kind ? item->kind : "post";
    ar_status st = ar__text_check(item->platform_id, "item.id", 256, true, err);
    if (st == AR_OK && !one_of(kind, item_kinds, AR_ARRAY_LEN(item_kinds)))
        st = ar_error_set(err, AR_EINVAL, "item.kind",
                          "item kind must be post, comment, image, link, account or other, not '%s'",
                          kind);
    if (st == AR_OK)
        st = url_check(item->url, err);
    if (st == AR_OK)
        st = ar__text_check(item->author_ref, "item.author_ref", 256, false, err);
    if (st == AR_OK)
        st = ar__text_check(item->content_hash, "item.content_hash", 128, false, err);
    char lang[9];
    if (st == AR_OK)
        st = lang_primary(item->lang, lang, err);
    if (st != AR_OK)
        return st;
    ar_value lv = *lang ? AR_VTEXT(lang) : AR_VNULL;
    *item_id = 0;
    st = ar_store_query_int(t, "SELECT id FROM items WHERE platform_id = ?",
                            (ar_value[]){AR_VTEXT(item->platform_id)}, 1, item_id, err);
    if (st == AR_OK && *lang) /* a language learnt later fills the gap, never overwrites */
        st = ar_store_exec(t, "UPDATE items SET lang = ? WHERE id = ? AND lang IS NULL",
                           (ar_value[]){lv, AR_VINT(*item_id)}, 2, NULL, NULL, NULL, err);
    if (st != AR_ENOTFOUND)
        return st;
    ar_value p[] = {AR_VTEXT(item->platform_id), AR_VTEXT(kind),          AR_VTEXT(item->url),
                    AR_VTEXT(item->author_ref),  AR_VTEXT(item->content_hash), AR_VINT(ar__now(w)),
                    lv};
    st = ar_store_query_int(t,
                            "INSERT INTO items (platform_id, kind, url, author_ref, content_hash,"
                            " created_at, lang) VALUES (?,?,?,?,?,?,?) RETURNING id",
                            p, AR_ARRAY_LEN(p), item_id, err);
    if (st == AR_OK)
        st = ar__audit(w, t, "system", "item.create", "item", *item_id,
                       json_pack("{s:s, s:s}", "platform_id", item->platform_id, "kind", kind),
                       err);
    return st;
}
