/* tests/http/test_hma.c - the HMA-compatible routes called without a
 * socket: banks (names, enabled_ratio refused), content by signal and by
 * upload with its row id, raw_lookup and lookup with distances and bank
 * filters, compare, index status, deletes by id, and bad input answered
 * 4xx JSON with nothing stored changed. */
#include "http_test.h"

#define ADMIN  AR_TOKEN_ROLE_ADMIN
#define MOD    AR_TOKEN_ROLE_MODERATOR
#define CLIENT AR_TOKEN_ROLE_CLIENT

#define WEE     AR_SOURCE_DIR "/tests/image/corpus/data/misc-images/wee.jpg"
#define WEE_PDQ "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d"
/* WEE_PDQ with the last digit's bit 0 flipped: distance 1 */
#define WEE_PDQ_1 "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2c"
#define FAR_PDQ "0000000000000000000000000000000000000000000000000000000000000000"
#define BOUNDARY "xYzzY-42"
#define MULTIPART "multipart/form-data; boundary=" BOUNDARY

typedef struct call {
    ar_http_method m;
    const char *path;
    const char *q[8]; /* key, value pairs */
    unsigned role;
    const char *ctype;
    const char *body;
    size_t len; /* 0: strlen(body) */
} call;

static void run(ht *f, const call *c, ar_http_res *res)
{
    ar_http_req req = {0};
    req.app = &f->app;
    req.method = c->m;
    req.path = c->path;
    for (size_t i = 0; i + 1 < 8 && c->q[i]; i += 2)
        req.query[req.nquery++] = (ar_http_kv){c->q[i], c->q[i + 1]};
    req.authorization = ht_auth(f, c->role);
    req.content_type = c->ctype;
    req.body = c->body;
    req.body_len = c->body ? (c->len ? c->len : strlen(c->body)) : 0;
    ar_http_dispatch(&req, res);
}

static json_t *ok(ht *f, const call *c, unsigned want)
{
    ar_http_res res;
    run(f, c, &res);
    if (res.status != want)
        fail_msg("%s %s: %u, expected %u: %.*s", ar_http_method_name(c->m), c->path, res.status,
                 want, (int)res.len, res.body);
    json_t *doc = ht_json(&res);
    ar_http_res_free(&res);
    return doc;
}

static void bad(ht *f, const call *c, unsigned status, const char *field)
{
    ar_http_res res;
    run(f, c, &res);
    ht_assert_error(&res, status,
                    status == 409   ? "conflict"
                    : status == 404 ? "not_found"
                    : status == 413 ? "too_big"
                    : status == 403 ? "permission_denied"
                                    : "invalid_argument",
                    field);
    ar_http_res_free(&res);
}

/* The JSON text of a response, for exact comparisons. */
static void expect_json(ht *f, const call *c, unsigned want, const char *text)
{
    json_t *doc = ok(f, c, want);
    json_t *exp = json_loads(text, 0, NULL);
    assert_non_null(exp);
    if (!json_equal(doc, exp)) {
        char *got = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("%s: got %s, expected %s", c->path, got, text);
    }
    json_decref(exp);
    json_decref(doc);
}

/* A multipart body: parts of (name, filename or NULL, data, len). */
static char *form(size_t *len, const char *name, const char *filename, const void *data,
                  size_t dlen, const char *name2, const char *value2)
{
    char *b = malloc(dlen + 1024);
    size_t n = (size_t)sprintf(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"",
                               name);
    if (filename)
        n += (size_t)sprintf(b + n, "; filename=\"%s\"\r\nContent-Type: image/jpeg", filename);
    n += (size_t)sprintf(b + n, "\r\n\r\n");
    memcpy(b + n, data, dlen);
    n += dlen;
    if (name2)
        n += (size_t)sprintf(b + n,
                             "\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; "
                             "name=\"%s\"\r\n\r\n%s",
                             name2, value2);
    n += (size_t)sprintf(b + n, "\r\n--" BOUNDARY "--\r\n");
    *len = n;
    return b;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static int64_t bank_entries(ht *f, const char *list)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/banks/%s", list);
    json_t *doc = ok(f, &(call){AR_HTTP_GET, path, {0}, ADMIN, NULL, NULL, 0}, 200);
    int64_t n = (int64_t)json_array_size(json_object_get(doc, "entries"));
    json_decref(doc);
    return n;
}

static void test_hma_banks_map_names_and_refuse_partial_rollout(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    expect_json(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"MY_BANK\"}", 0},
                201, "{\"name\":\"MY_BANK\",\"matching_enabled_ratio\":1.0}");
    /* stored as the lowercase pdq list */
    assert_int_equal(bank_entries(f, "my_bank"), 0);
    bad(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"MY_BANK\"}", 0}, 409,
        "name");
    bad(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"my_bank\"}", 0}, 400,
        "name");
    bad(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL,
                   "{\"name\":\"HALF\",\"enabled_ratio\":0.5}", 0},
        400, "enabled_ratio");
    bad(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL,
                   "{\"name\":\"OFF\",\"enabled\":false}", 0},
        400, "enabled");
    bad(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"X\",\"y\":1}", 0}, 400,
        "y");
    bad(f, &(call){AR_HTTP_POST, "/c/banks", {0}, MOD, NULL, "{\"name\":\"X\"}", 0}, 403,
        "authorization");
    expect_json(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL,
                           "{\"name\":\"FULL\",\"enabled_ratio\":1.0,\"enabled\":true}", 0},
                201, "{\"name\":\"FULL\",\"matching_enabled_ratio\":1.0}");
    /* a pdq list with '.' has no HMA name; a url list is no bank */
    json_decref(ok(f, &(call){AR_HTTP_POST, "/v1/banks", {0}, ADMIN, NULL, "{\"name\":\"a.b\"}", 0},
                   201));
    json_decref(ok(f, &(call){AR_HTTP_POST, "/v1/url-lists", {0}, ADMIN, NULL,
                              "{\"name\":\"urls\"}", 0},
                   201));
    expect_json(f, &(call){AR_HTTP_GET, "/c/banks", {0}, MOD, NULL, NULL, 0}, 200,
                "[{\"name\":\"MY_BANK\",\"matching_enabled_ratio\":1.0},"
                "{\"name\":\"FULL\",\"matching_enabled_ratio\":1.0}]");
    expect_json(f, &(call){AR_HTTP_GET, "/c/bank/MY_BANK", {0}, MOD, NULL, NULL, 0}, 200,
                "{\"name\":\"MY_BANK\",\"matching_enabled_ratio\":1.0}");
    bad(f, &(call){AR_HTTP_GET, "/c/bank/URLS", {0}, MOD, NULL, NULL, 0}, 404, "name");
    bad(f, &(call){AR_HTTP_GET, "/c/bank/NOPE", {0}, MOD, NULL, NULL, 0}, 404, "name");
    bad(f, &(call){AR_HTTP_GET, "/c/bank/a.b", {0}, MOD, NULL, NULL, 0}, 400, "name");
    /* PUT: no renames, no partial ratios; a no-op answers the bank */
    bad(f, &(call){AR_HTTP_PUT, "/c/bank/MY_BANK", {0}, ADMIN, NULL, "{\"name\":\"OTHER\"}", 0},
        400, "name");
    bad(f, &(call){AR_HTTP_PUT, "/c/bank/MY_BANK", {0}, ADMIN, NULL, "{\"enabled_ratio\":0}", 0},
        400, "enabled_ratio");
    expect_json(f, &(call){AR_HTTP_PUT, "/c/bank/MY_BANK", {0}, ADMIN, NULL,
                           "{\"enabled_ratio\":1}", 0},
                200, "{\"name\":\"MY_BANK\",\"matching_enabled_ratio\":1.0}");
    expect_json(f, &(call){AR_HTTP_DELETE, "/c/bank/FULL", {0}, ADMIN, NULL, NULL, 0}, 200,
                "{\"message\":\"Done\"}");
    bad(f, &(call){AR_HTTP_DELETE, "/c/bank/FULL", {0}, ADMIN, NULL, NULL, 0}, 404, "name");
    ht_free(f);
}

static int64_t add_signal(ht *f, const char *bank, const char *hash)
{
    char path[96], body[128];
    snprintf(path, sizeof path, "/c/bank/%s/signal", bank);
    snprintf(body, sizeof body, "{\"pdq\":\"%s\"}", hash);
    json_t *doc = ok(f, &(call){AR_HTTP_POST, path, {0}, ADMIN, NULL, body, 0}, 200);
    int64_t id = json_integer_value(json_object_get(doc, "id"));
    char lower[65];
    for (size_t i = 0; i < 64; i++)
        lower[i] = (char)(hash[i] >= 'A' && hash[i] <= 'F' ? hash[i] - 'A' + 'a' : hash[i]);
    lower[64] = '\0';
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "signals"), "pdq")),
                        lower);
    json_decref(doc);
    assert_true(id > 0);
    return id;
}

static void test_hma_signals_and_lookups_carry_content_ids(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    json_decref(ok(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"A\"}", 0},
                   201));
    json_decref(ok(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"B\"}", 0},
                   201));
    int64_t a = add_signal(f, "A", WEE_PDQ);
    assert_int_equal(add_signal(f, "A", WEE_PDQ), a); /* already there: the same id */
    int64_t b = add_signal(f, "B", "6227401F601FF4CCAFCC9FAD4B0D95D371A2EB7265A3285234D228CA94DEEB2C");
    assert_int_not_equal(a, b);
    char buf[256];
    /* raw_lookup: ids of every bank, with distances when asked */
    snprintf(buf, sizeof buf, "{\"matches\":[%lld,%lld]}", (long long)a, (long long)b);
    expect_json(f, &(call){AR_HTTP_GET, "/m/raw_lookup", {"signal_type", "pdq", "signal", WEE_PDQ},
                           CLIENT, NULL, NULL, 0},
                200, buf);
    snprintf(buf, sizeof buf,
             "{\"matches\":[{\"bank_content_id\":%lld,\"distance\":\"1\"},"
             "{\"bank_content_id\":%lld,\"distance\":\"0\"}]}",
             (long long)a, (long long)b);
    expect_json(f, &(call){AR_HTTP_GET, "/m/raw_lookup",
                           {"signal_type", "pdq", "signal", WEE_PDQ_1, "include_distance", "true"},
                           CLIENT, NULL, NULL, 0},
                200, buf);
    snprintf(buf, sizeof buf, "{\"matches\":[%lld]}", (long long)b);
    expect_json(f, &(call){AR_HTTP_GET, "/m/raw_lookup",
                           {"signal_type", "pdq", "signal", WEE_PDQ, "banks", "B,NOT_THERE"},
                           CLIENT, NULL, NULL, 0},
                200, buf);
    /* lookup: by bank, banks without matches left out */
    snprintf(buf, sizeof buf,
             "{\"A\":[{\"bank_content_id\":%lld,\"distance\":\"0\"}],"
             "\"B\":[{\"bank_content_id\":%lld,\"distance\":\"1\"}]}",
             (long long)a, (long long)b);
    expect_json(f, &(call){AR_HTTP_GET, "/m/lookup",
                           {"signal_type", "pdq", "signal", WEE_PDQ, "seed", "7",
                            "bypass_coinflip", "true"},
                           CLIENT, NULL, NULL, 0},
                200, buf);
    expect_json(f, &(call){AR_HTTP_GET, "/m/lookup", {"signal_type", "pdq", "signal", FAR_PDQ},
                           CLIENT, NULL, NULL, 0},
                200, "{}");
    /* bad queries */
    bad(f, &(call){AR_HTTP_GET, "/m/lookup", {"url", "http://x.test/a.jpg"}, CLIENT, NULL, NULL, 0},
        400, "url");
    bad(f, &(call){AR_HTTP_GET, "/m/lookup", {"signal_type", "video_md5", "signal", WEE_PDQ},
                   CLIENT, NULL, NULL, 0},
        400, "signal_type");
    bad(f, &(call){AR_HTTP_GET, "/m/raw_lookup", {"signal", WEE_PDQ}, CLIENT, NULL, NULL, 0}, 400,
        "signal_type");
    bad(f, &(call){AR_HTTP_GET, "/m/raw_lookup", {"signal_type", "pdq", "signal", "abc"}, CLIENT,
                   NULL, NULL, 0},
        400, "signal");
    bad(f, &(call){AR_HTTP_GET, "/m/raw_lookup",
                   {"signal_type", "pdq", "signal", WEE_PDQ, "include_distance", "maybe"},
                   CLIENT, NULL, NULL, 0},
        400, "include_distance");
    bad(f, &(call){AR_HTTP_GET, "/m/raw_lookup",
                   {"signal_type", "pdq", "signal", WEE_PDQ, "banks", "lower"}, CLIENT, NULL,
                   NULL, 0},
        400, "banks");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/A/signal", {0}, ADMIN, NULL, "{}", 0}, 400, "body");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/A/signal", {0}, ADMIN, NULL, "{\"md5\":\"x\"}", 0}, 400,
        "body");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/A/signal", {0}, ADMIN, NULL, "{\"pdq\":\"zz\"}", 0}, 400,
        "pdq");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/NONE/signal", {0}, ADMIN, NULL,
                   "{\"pdq\":\"" WEE_PDQ "\"}", 0},
        404, "name");
    assert_int_equal(bank_entries(f, "a"), 1);
    ht_free(f);
}

static void test_hma_compare_answers_match_and_distance(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    expect_json(f, &(call){AR_HTTP_POST, "/m/compare", {0}, CLIENT, NULL,
                           "{\"pdq\":[\"" WEE_PDQ "\",\"" WEE_PDQ_1 "\"]}", 0},
                200, "{\"pdq\":[true,{\"distance\":1}]}");
    expect_json(f, &(call){AR_HTTP_POST, "/m/compare", {0}, CLIENT, NULL,
                           "{\"pdq\":[\"" WEE_PDQ "\",\"" FAR_PDQ "\"]}", 0},
                200, "{\"pdq\":[false,{\"distance\":128}]}");
    bad(f, &(call){AR_HTTP_POST, "/m/compare", {0}, CLIENT, NULL, "{\"pdq\":[\"" WEE_PDQ "\"]}", 0},
        400, "pdq");
    bad(f, &(call){AR_HTTP_POST, "/m/compare", {0}, CLIENT, NULL,
                   "{\"pdq\":[\"" WEE_PDQ "\",1]}", 0},
        400, "pdq[1]");
    bad(f, &(call){AR_HTTP_POST, "/m/compare", {0}, CLIENT, NULL, "{\"md5\":[\"a\",\"b\"]}", 0},
        400, "body");
    bad(f, &(call){AR_HTTP_POST, "/m/compare", {0}, CLIENT, NULL, "not json", 0}, 400, "body");
    ht_free(f);
}

static void test_hma_uploads_hash_store_match_and_delete(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    size_t ilen, blen;
    char *img = read_file(WEE, &ilen);
    json_decref(ok(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"BANK\"}", 0},
                   201));
    /* /h/hash: the reference hash of the corpus image */
    char *body = form(&blen, "photo", "wee.jpg", img, ilen, NULL, NULL);
    expect_json(f, &(call){AR_HTTP_POST, "/h/hash", {0}, CLIENT, MULTIPART, body, blen}, 200,
                "{\"pdq\":\"" WEE_PDQ "\"}");
    /* content upload: the hash is stored, with the note */
    free(body);
    body = form(&blen, "photo", "wee.jpg", img, ilen, "note", "from the HMA test");
    json_t *doc = ok(f, &(call){AR_HTTP_POST, "/c/bank/BANK/content", {0}, ADMIN, MULTIPART, body,
                                blen},
                     200);
    int64_t id = json_integer_value(json_object_get(doc, "id"));
    assert_true(id > 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "signals"), "pdq")),
                        WEE_PDQ);
    json_decref(doc);
    json_t *shown = ok(f, &(call){AR_HTTP_GET, "/v1/banks/bank", {0}, ADMIN, NULL, NULL, 0}, 200);
    json_t *e0 = json_array_get(json_object_get(shown, "entries"), 0);
    assert_string_equal(json_string_value(json_object_get(e0, "value")), WEE_PDQ);
    assert_string_equal(json_string_value(json_object_get(e0, "note")), "from the HMA test");
    json_decref(shown);
    /* lookup by upload */
    free(body);
    body = form(&blen, "photo", "x.jpg", img, ilen, NULL, NULL);
    char want[160];
    snprintf(want, sizeof want, "{\"pdq\":{\"BANK\":[{\"bank_content_id\":%lld,\"distance\":\"0\"}]}}",
             (long long)id);
    expect_json(f, &(call){AR_HTTP_POST, "/m/lookup", {0}, CLIENT, MULTIPART, body, blen}, 200,
                want);
    /* bad uploads: 4xx, nothing stored */
    bad(f, &(call){AR_HTTP_POST, "/h/hash", {0}, CLIENT, NULL, body, blen}, 400, "content-type");
    bad(f, &(call){AR_HTTP_POST, "/h/hash", {0}, CLIENT, "application/json", "{}", 0}, 400,
        "content-type");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/BANK/content", {"url", "http://x.test/"}, ADMIN,
                   MULTIPART, body, blen},
        400, "url");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/NONE/content", {0}, ADMIN, MULTIPART, body, blen}, 404,
        "name");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/BANK/content", {0}, MOD, MULTIPART, body, blen}, 403,
        "authorization");
    free(body);
    body = form(&blen, "video", "x.mp4", img, ilen, NULL, NULL);
    bad(f, &(call){AR_HTTP_POST, "/h/hash", {0}, CLIENT, MULTIPART, body, blen}, 400, "body");
    free(body);
    body = form(&blen, "photo", "x.jpg", "not an image", 12, NULL, NULL);
    bad(f, &(call){AR_HTTP_POST, "/c/bank/BANK/content", {0}, ADMIN, MULTIPART, body, blen}, 400,
        "photo");
    free(body);
    body = form(&blen, "photo", "x.jpg", img, ilen, "metadata", "{}");
    bad(f, &(call){AR_HTTP_POST, "/c/bank/BANK/content", {0}, ADMIN, MULTIPART, body, blen}, 400,
        "body");
    free(body);
    body = form(&blen, "photo", NULL, img, ilen, NULL, NULL); /* a field, not a file */
    bad(f, &(call){AR_HTTP_POST, "/h/hash", {0}, CLIENT, MULTIPART, body, blen}, 400, "photo");
    body[blen - 4] = 'X'; /* the closing boundary broken */
    bad(f, &(call){AR_HTTP_POST, "/h/hash", {0}, CLIENT, MULTIPART, body, blen}, 400, "body");
    free(body);
    assert_int_equal(bank_entries(f, "bank"), 1);
    /* get by id, with the hash when asked */
    char path[64];
    snprintf(path, sizeof path, "/c/bank/BANK/content/%lld", (long long)id);
    snprintf(want, sizeof want,
             "{\"id\":%lld,\"bank\":\"BANK\",\"enabled\":true,\"original_media_uri\":null}",
             (long long)id);
    expect_json(f, &(call){AR_HTTP_GET, path, {0}, MOD, NULL, NULL, 0}, 200, want);
    doc = ok(f, &(call){AR_HTTP_GET, path, {"signal_type", "pdq"}, MOD, NULL, NULL, 0}, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "signals"), "pdq")),
                        WEE_PDQ);
    json_decref(doc);
    bad(f, &(call){AR_HTTP_GET, "/c/bank/BANK/content/999999", {0}, MOD, NULL, NULL, 0}, 404, "id");
    bad(f, &(call){AR_HTTP_GET, path, {0}, CLIENT, NULL, NULL, 0}, 403, "authorization");
    /* delete by id: 1, then 0 as HMA; a bad id is 400 */
    expect_json(f, &(call){AR_HTTP_DELETE, path, {0}, ADMIN, NULL, NULL, 0}, 200, "{\"deleted\":1}");
    expect_json(f, &(call){AR_HTTP_DELETE, path, {0}, ADMIN, NULL, NULL, 0}, 200, "{\"deleted\":0}");
    bad(f, &(call){AR_HTTP_DELETE, "/c/bank/BANK/content/x", {0}, ADMIN, NULL, NULL, 0}, 400, "id");
    expect_json(f, &(call){AR_HTTP_GET, "/m/lookup", {"signal_type", "pdq", "signal", WEE_PDQ},
                           CLIENT, NULL, NULL, 0},
                200, "{}");
    assert_int_equal(bank_entries(f, "bank"), 0);
    free(img);
    ht_free(f);
}

static void test_hma_status_and_index_status_report_the_snapshot(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    json_decref(ok(f, &(call){AR_HTTP_POST, "/c/banks", {0}, ADMIN, NULL, "{\"name\":\"S\"}", 0},
                   201));
    add_signal(f, "S", WEE_PDQ);
    add_signal(f, "S", FAR_PDQ);
    json_t *doc = ok(f, &(call){AR_HTTP_GET, "/m/index/status", {"signal_type", "pdq"}, CLIENT,
                                NULL, NULL, 0},
                     200);
    json_t *pdq = json_object_get(doc, "pdq");
    assert_true(json_is_true(json_object_get(pdq, "present")));
    assert_int_equal(json_integer_value(json_object_get(pdq, "size")), 2);
    assert_true(json_integer_value(json_object_get(pdq, "built_to")) > 1700000000);
    json_decref(doc);
    bad(f, &(call){AR_HTTP_GET, "/m/index/status", {"signal_type", "vpdq"}, CLIENT, NULL, NULL, 0},
        400, "signal_type");
    ar_http_res res;
    run(f, &(call){AR_HTTP_GET, "/status", {0}, CLIENT, NULL, NULL, 0}, &res);
    assert_int_equal(res.status, 200);
    assert_int_equal(res.len, 11);
    assert_memory_equal(res.body, "I-AM-ALIVE\n", 11);
    bool size_seen = false;
    for (size_t i = 0; i < res.nheaders; i++)
        size_seen |= !strcmp(res.headers[i].key, "X-Arbiter-Index-Size") &&
                     !strcmp(res.headers[i].value, "2");
    assert_true(size_seen);
    ar_http_res_free(&res);
    run(f, &(call){AR_HTTP_GET, "/status", {0}, 0, NULL, NULL, 0}, &res);
    assert_int_equal(res.status, 401);
    ar_http_res_free(&res);
    ht_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hma_banks_map_names_and_refuse_partial_rollout),
        cmocka_unit_test(test_hma_signals_and_lookups_carry_content_ids),
        cmocka_unit_test(test_hma_compare_answers_match_and_distance),
        cmocka_unit_test(test_hma_uploads_hash_store_match_and_delete),
        cmocka_unit_test(test_hma_status_and_index_status_report_the_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
