/* fuzz/fuzz_scan_line.c - the `scan` line reader (src/cli/jsonl.h) against
 * jansson, the parser it replaced: any bytes get the same verdict from both
 * (bad JSON, not an object, bad id/text/lang, or accepted) and, if
 * accepted, the same id, text and lang, and raw spans of "links" and
 * "image_hashes" that load to the values jansson holds for those keys.
 * Aborts on any disagreement.
 *
 * One known difference is allowed: jansson skips a raw NUL byte straight
 * after a number or literal, which we refuse. When jansson accepted a line
 * with raw NULs that we refused, the line without them must read the same. */
#include "cli/jsonl.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct outcome {
    int status; /* cli_jsonl_status */
    bool id_is_string, has_lang;
    char id[32];
    size_t id_len;
    const char *text, *lang;
    size_t text_len, lang_len;
    json_t *root; /* keeps jansson's strings alive */
    const char *raw[2]; /* jsonl: the raw "links" and "image_hashes" spans */
    size_t raw_len[2];
} outcome;

static cli_jsonl scratch;

/* What `scan` did before: json_loadb and the same field rules. */
static outcome by_jansson(const char *line, size_t len)
{
    outcome o = {0};
    json_error_t e;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &e);
    o.root = root;
    if (!root) {
        o.status = CLI_JSONL_EJSON;
        return o;
    }
    json_t *id = json_object_get(root, "id"), *text = json_object_get(root, "text");
    json_t *lang = json_object_get(root, "lang");
    if (!json_is_object(root)) {
        o.status = CLI_JSONL_ENOTOBJECT;
        return o;
    }
    if (json_is_string(id)) {
        o.id_is_string = true;
        /* long ids: compare a prefix and the length */
        o.id_len = json_string_length(id);
        memcpy(o.id, json_string_value(id), o.id_len < sizeof o.id ? o.id_len : sizeof o.id);
    } else if (json_is_integer(id)) {
        o.id_len = (size_t)snprintf(o.id, sizeof o.id, "%lld", (long long)json_integer_value(id));
    } else {
        o.status = CLI_JSONL_EID;
        return o;
    }
    if (!json_is_string(text)) {
        o.status = CLI_JSONL_ETEXT;
        return o;
    }
    if (lang && !json_is_null(lang) && !json_is_string(lang)) {
        o.status = CLI_JSONL_ELANG;
        return o;
    }
    o.text = json_string_value(text);
    o.text_len = json_string_length(text);
    if (json_is_string(lang)) {
        o.has_lang = true;
        o.lang = json_string_value(lang);
        o.lang_len = json_string_length(lang);
    }
    return o;
}

static outcome by_jsonl(const char *line, size_t len)
{
    outcome o = {0};
    cli_jsonl_item it;
    cli_jsonl_error err;
    memset(&err, 0x55, sizeof err);
    o.status = cli_jsonl_parse(&scratch, line, len, &it, &err);
    if (o.status != CLI_JSONL_OK) {
        /* every refusal says why; a syntax error says where */
        if (!memchr(err.message, '\0', sizeof err.message) || !err.message[0])
            abort();
        if (o.status == CLI_JSONL_EJSON && (err.column < 1 || err.column > len + 1))
            abort();
        return o;
    }
    o.id_is_string = it.id_is_string;
    o.id_len = it.id_len;
    memcpy(o.id, it.id, it.id_len < sizeof o.id ? it.id_len : sizeof o.id);
    o.text = it.text;
    o.text_len = it.text_len;
    o.has_lang = it.lang != NULL;
    o.lang = it.lang;
    o.lang_len = it.lang_len;
    o.raw[0] = it.links;
    o.raw_len[0] = it.links_len;
    o.raw[1] = it.image_hashes;
    o.raw_len[1] = it.image_hashes_len;
    if (o.lang && o.lang[o.lang_len] != '\0')
        abort(); /* lang is NUL-terminated */
    if (!it.id_is_string && (it.id_len == 0 || it.id_len > 20))
        abort();
    return o;
}

/* The raw spans load (as any JSON value) to what jansson has for the key. */
static bool same_raw(const outcome *jansson, const outcome *jsonl)
{
    static const char *const keys[2] = {"links", "image_hashes"};
    for (int k = 0; k < 2; k++) {
        json_t *want = json_object_get(jansson->root, keys[k]);
        if (!want != !jsonl->raw[k])
            return false;
        if (!want)
            continue;
        json_t *got = json_loadb(jsonl->raw[k], jsonl->raw_len[k],
                                 JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        bool eq = got && json_equal(want, got);
        json_decref(got);
        if (!eq)
            return false;
    }
    return true;
}

static bool same(const outcome *a, const outcome *b)
{
    if (a->status != b->status)
        return false;
    if (a->status != CLI_JSONL_OK)
        return true;
    size_t idn = a->id_len < sizeof a->id ? a->id_len : sizeof a->id;
    return a->id_is_string == b->id_is_string && a->id_len == b->id_len &&
           !memcmp(a->id, b->id, idn) && a->text_len == b->text_len &&
           !memcmp(a->text, b->text, a->text_len) && a->has_lang == b->has_lang &&
           a->lang_len == b->lang_len && (!a->has_lang || !memcmp(a->lang, b->lang, a->lang_len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    outcome want = by_jansson(line, size), got = by_jsonl(line, size);
    bool ok = same(&want, &got) && (got.status != CLI_JSONL_OK || same_raw(&want, &got));
    if (!ok && want.status != CLI_JSONL_EJSON && got.status == CLI_JSONL_EJSON &&
        memchr(line, '\0', size)) {
        char *s = malloc(size);
        if (!s)
            abort();
        size_t n = 0;
        for (size_t i = 0; i < size; i++)
            if (line[i])
                s[n++] = line[i];
        got = by_jsonl(s, n);
        ok = same(&want, &got);
        free(s);
    }
    if (!ok) {
        fprintf(stderr, "fuzz_scan_line: jansson says %d, jsonl says %d\n", want.status,
                got.status);
        abort();
    }
    json_decref(want.root);
    return 0;
}
