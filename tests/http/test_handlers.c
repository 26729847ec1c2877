/* test_handlers.c - the handlers through dispatch, without a socket: check,
 * check:batch, visibility, visibility:batch, policy, metrics; and a corpus
 * of bad input that must be 400/413 naming the field, never 500. */
#include "http_test.h"
#include "http/handlers.h"

#define CLIENT AR_TOKEN_ROLE_CLIENT
#define ADMIN  AR_TOKEN_ROLE_ADMIN

static json_t *ok_json(ar_http_res *res)
{
    if (res->status != 200)
        fail_msg("status %u: %.*s", res->status, (int)res->len, res->body);
    json_t *doc = ht_json(res);
    ar_http_res_free(res);
    return doc;
}

static void test_check_returns_the_verdict(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT,
            "{\"id\":\"p1\",\"text\":\"free money here\",\"lang\":\"en\"}", &res);
    json_t *v = ok_json(&res);
    assert_string_equal(json_string_value(json_object_get(v, "id")), "p1");
    assert_true(json_is_true(json_object_get(v, "flagged")));
    assert_string_equal(json_string_value(json_object_get(v, "action")), "review");
    json_t *m = json_array_get(json_object_get(v, "matches"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "standard")), "spam");
    assert_int_equal(json_integer_value(json_object_get(m, "start")), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "end")), 10);
    assert_int_equal(json_string_length(json_object_get(v, "policy")), 16);
    json_decref(v);
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, "{\"text\":\"a kind word\"}", &res);
    v = ok_json(&res);
    assert_true(json_is_false(json_object_get(v, "flagged")));
    assert_null(json_object_get(v, "id"));
    json_decref(v);
    ht_free(f);
}

/* One POST /v1/check body answered the short way and through jansson
 * (ar_http_plain_check_body off): the same status and bytes. `plain`: the
 * plain reader takes it. */
static void answers_both_ways(ht *f, const char *body, bool plain)
{
    ar_http_req req = {.body = body, .body_len = strlen(body)};
    json_t *doc = ar_http_plain_check_body_read(&req);
    if ((doc != NULL) != plain)
        fail_msg("%s: read %s", body, doc ? "the short way" : "by jansson");
    json_decref(doc);
    ar_http_res fast, slow;
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, body, &fast);
    ar_http_plain_check_body = false;
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, body, &slow);
    ar_http_plain_check_body = true;
    if (fast.status != slow.status || fast.len != slow.len ||
        memcmp(fast.body, slow.body, fast.len))
        fail_msg("%.200s: %u %.*s against jansson's %u %.*s", body, fast.status, (int)fast.len,
                 fast.body, slow.status, (int)slow.len, slow.body);
    ar_http_res_free(&fast);
    ar_http_res_free(&slow);
}

/* POST /v1/check reads the plain {"id","text","lang"} body without jansson
 * (handlers.c): every body answers byte for byte as jansson's reading does,
 * and only the plain shape takes the short way. */
static void test_check_body_fast_reader_answers_as_jansson(void **state)
{
    static const struct {
        const char *body;
        bool plain;
    } cases[] = {
        {"{\"id\":\"p1\",\"text\":\"free money here\",\"lang\":\"en\"}", true},
        {" {\"text\" : \"kill all kafirs\" ,\"id\":\"p\\u00e9\"}\n", true},
        {"{\"id\":\"p2\",\"text\":\"caf\\u00e9 \\ud83d\\ude00 fr33 m0ney\",\"lang\":\"ur\"}", true},
        {"{\"\\u0069d\":\"p3\",\"text\":\"escaped key\"}", true},
        {"{\"id\":\"\",\"text\":\"empty id\"}", true},
        {"{\"id\":\"p4\",\"text\":\"bad lang\",\"lang\":\"english!\"}", true},
        {"{\"id\":\"p5\",\"text\":\"\"}", true},
        {"{\"id\":\"p6\",\"text\":\"dup\",\"text\":\"dup\"}", false},
        {"{\"id\":\"p7\",\"text\":\"x\",\"lang\":null}", false},
        {"{\"id\":7,\"text\":\"integer id\"}", false},
        {"{\"id\":\"p8\",\"text\":\"nul \\u0000 inside\"}", false},
        {"{\"id\":\"p9\",\"text\":\"x\",\"record\":false}", false},
        {"{\"id\":\"p10\",\"text\":\"x\",\"links\":[\"https://a.example/\"]}", false},
        {"{\"id\":\"p11\",\"text\":\"x\",\"extra\":1}", false},
        {"{\"text\":\"no id\"}", false},
        {"{\"id\":\"p12\",\"text\":\"x\"} trailing", false},
        {"{\"id\":\"p13\",\"text\":\"\xc3\x28 bad utf-8\"}", false},
        {"[{\"id\":\"p14\",\"text\":\"array\"}]", false},
        {"{\"id\":\"p15\",\"text\":5}", false},
    };
    ht *f = ht_new(NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        answers_both_ways(f, cases[i].body, cases[i].plain);
    ht_free(f);
}

/* The plain body's answer is written without jansson (src/http/verdict.c):
 * ids with every kind of escape, matches with spans, matches past the
 * per-item limit; each answered as jansson answers it. */
static void test_check_verdict_writer_answers_as_jansson(void **state)
{
    static const char *const plain[] = {
        /* quotes, backslash, '/', every short escape, other control
         * characters (\u00XX), DEL, 2- 3- and 4-byte UTF-8, U+2028/2029 */
        ("{\"id\":\"q\\\"b\\\\s\\/l\\u0001\\u001f\\b\\f\\n\\r\\t\\u007f \\u00e9\xc3\xa9 "
         "\\u2028\\u2029\xe2\x80\xa8 \\ud83d\\ude00\xf0\x9f\x98\x80\",\"text\":\"free money, "
         "kill all\"}"),
        "{\"id\":\"</script>\",\"text\":\"ass classic guaranted return\",\"lang\":\"en-GB\"}",
        "{\"id\":\"\\u0000\",\"text\":\"nul id goes to jansson\"}",
        ("{\"id\":\"\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\","
         "\"text\":\"edges of UTF-8\"}"),
        "{\"text\":\"no id: \\u0627\\u0644 kill all\",\"id\":\"last\"}",
    };
    ht *f = ht_new(NULL);
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        answers_both_ways(f, plain[i], i != 2);
    /* more matches than a verdict keeps: "matches_dropped" */
    size_t n = AR_MATCH_MAX_PER_ITEM + 40;
    char *body = malloc(64 + 4 * n);
    assert_non_null(body);
    size_t o = (size_t)sprintf(body, "{\"id\":\"many\",\"text\":\"");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(body + o, "ass ");
    sprintf(body + o, "\"}");
    ar_http_res res;
    answers_both_ways(f, body, true);
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, body, &res);
    assert_non_null(strstr(res.body, "\"matches_dropped\":40,"));
    ar_http_res_free(&res);
    free(body);
    ht_free(f);
}

static void test_check_batch_keeps_order_and_names_the_bad_item(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/check:batch", NULL, NULL, CLIENT,
            "{\"items\":[{\"id\":\"a\",\"text\":\"hello\"},{\"id\":\"b\",\"text\":\"kill all\"}]}",
            &res);
    json_t *v = ok_json(&res);
    json_t *r = json_object_get(v, "results");
    assert_int_equal(json_array_size(r), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 1), "action")),
                        "remove");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "id")), "a");
    json_decref(v);
    ht_call(f, AR_HTTP_POST, "/v1/check:batch", NULL, NULL, CLIENT,
            "{\"items\":[{\"text\":\"ok\"},{\"text\":7}]}", &res);
    ht_assert_error(&res, 400, "invalid_argument", "items[1].text");
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_POST, "/v1/check:batch", NULL, NULL, CLIENT, "{\"items\":[{\"text\":\"ok\"},3]}",
            &res);
    ht_assert_error(&res, 400, "invalid_argument", "items[1]");
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_check_batch_is_bounded(void **state)
{
    ar_http_config cfg = {.batch_max = 2};
    ht *f = ht_new(&cfg);
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/check:batch", NULL, NULL, CLIENT,
            "{\"items\":[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\"}]}", &res);
    ht_assert_error(&res, 413, "too_big", "items");
    ar_http_res_free(&res);
    ht_free(f);
}

static void remove_item(ht *f, const char *id)
{
    ar_engine *e = ar_engine_slot_acquire(f->slot);
    ar_check_scratch *s = NULL;
    ar_error err;
    ar_verdict v;
    assert_int_equal(ar_check_scratch_new(f->ctx, &s, &err), AR_OK);
    assert_int_equal(ar_check_text(e, s, "kill all", 8, NULL, &v, &err), AR_OK);
    ar_item_ref item = {.platform_id = id};
    int64_t cid = 0, did = 0;
    assert_int_equal(ar_workflow_record_verdict(f->w, &item, e, &v, &cid, &did, &err), AR_OK);
    assert_true(did > 0);
    ar_check_scratch_free(s);
    ar_engine_release(e);
}

static void test_visibility_one_and_batch(void **state)
{
    ht *f = ht_new(NULL);
    remove_item(f, "post/9");
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/items/post%2F9/visibility", "country", "pk", CLIENT, NULL, &res);
    json_t *v = ok_json(&res);
    assert_string_equal(json_string_value(json_object_get(v, "item")), "post/9");
    assert_string_equal(json_string_value(json_object_get(v, "country")), "PK");
    assert_string_equal(json_string_value(json_object_get(v, "state")), "removed");
    json_decref(v);
    ht_call(f, AR_HTTP_GET, "/v1/items/post%2F9/visibility", NULL, NULL, CLIENT, NULL, &res);
    v = ok_json(&res); /* no country: the whole scope */
    assert_string_equal(json_string_value(json_object_get(v, "state")), "removed");
    assert_int_equal(json_array_size(json_object_get(v, "restricted_in")), 0);
    assert_null(json_object_get(v, "country"));
    json_decref(v);
    ht_call(f, AR_HTTP_GET, "/v1/items/other/visibility", NULL, NULL, CLIENT, NULL, &res);
    v = ok_json(&res);
    assert_string_equal(json_string_value(json_object_get(v, "state")), "visible");
    assert_int_equal(json_array_size(json_object_get(v, "restricted_in")), 0);
    json_decref(v);
    ht_call(f, AR_HTTP_GET, "/v1/items/other/visibility", "country", "DE", CLIENT, NULL, &res);
    v = ok_json(&res);
    assert_string_equal(json_string_value(json_object_get(v, "state")), "visible");
    json_decref(v);
    ht_call(f, AR_HTTP_POST, "/v1/visibility:batch", NULL, NULL, CLIENT,
            "{\"country\":\"de\",\"items\":[{\"item\":\"post/9\"},{\"item\":\"x\",\"country\":\"IN\"}]}",
            &res);
    v = ok_json(&res);
    json_t *r = json_object_get(v, "results");
    assert_int_equal(json_array_size(r), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "state")),
                        "removed");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 0), "country")), "DE");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 1), "state")),
                        "visible");
    assert_string_equal(json_string_value(json_object_get(json_array_get(r, 1), "country")), "IN");
    json_decref(v);
    ht_free(f);
}

static void test_visibility_refuses_bad_countries_and_ids(void **state)
{
    ht *f = ht_new(NULL);
    const char *bad[] = {"", "P", "PAK", "P1", "1K", "\xc3\xa9K", "P K"};
    ar_http_res res;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ht_call(f, AR_HTTP_GET, "/v1/items/a/visibility", "country", bad[i], CLIENT, NULL, &res);
        ht_assert_error(&res, 400, "invalid_argument", "country");
        ar_http_res_free(&res);
    }
    const char *ids[] = {"bad%zz", "bad%", "nul%00", "bad%ff%fe"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/items/%s/visibility", ids[i]);
        ht_call(f, AR_HTTP_GET, path, "country", "PK", CLIENT, NULL, &res);
        ht_assert_error(&res, 400, "invalid_argument", "id");
        ar_http_res_free(&res);
    }
    char path[1024] = "/v1/items/";
    memset(path + 10, 'x', 300);
    strcpy(path + 310, "/visibility");
    ht_call(f, AR_HTTP_GET, path, "country", "PK", CLIENT, NULL, &res);
    ht_assert_error(&res, 400, "invalid_argument", "id");
    ar_http_res_free(&res);
    const char *bodies[][2] = {
        {"{\"items\":[{\"item\":\"a\"}]}", "items[0].country"},
        {"{\"items\":[{\"item\":\"a\",\"country\":\"XYZ\"}]}", "items[0].country"},
        {"{\"country\":\"PKK\",\"items\":[{\"item\":\"a\"}]}", "country"},
        {"{\"items\":[{\"item\":\"\",\"country\":\"PK\"}]}", "items[0].item"},
        {"{\"items\":[{\"item\":\"a\",\"country\":\"PK\",\"x\":1}]}", "items[0].x"},
        {"{\"items\":[]}", "items"},
        {"{\"items\":{}}", "items"},
        {"[]", "body"},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        ht_call(f, AR_HTTP_POST, "/v1/visibility:batch", NULL, NULL, CLIENT, bodies[i][0], &res);
        ht_assert_error(&res, 400, "invalid_argument", bodies[i][1]);
        ar_http_res_free(&res);
    }
    ht_free(f);
}

/* What jansson makes of a verdict's tree, built the way check_one and
 * record_one build it: the writer's answer must be these bytes. */
static char *tree_dump(const ar_http_verdict_doc *d)
{
    json_t *id = d->id ? json_stringn(d->id, d->id_len) : NULL;
    json_t *o = ar_http_verdict_json(id, d->v, d->policy);
    json_decref(id);
    assert_non_null(o);
    if (d->nimages)
        json_object_set_new(o, "images", ar_http_images_json(d->images, d->nimages,
                                                             d->v->low_quality));
    if (d->case_id)
        json_object_set_new(o, "case", json_integer(d->case_id));
    if (d->decision_id)
        json_object_set_new(o, "decision", json_integer(d->decision_id));
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}

static void writes_as_jansson(const ar_http_verdict_doc *d)
{
    size_t len = 0;
    char *fast = ar_http_verdict_write(d, &len), *slow = tree_dump(d);
    assert_non_null(fast);
    assert_non_null(slow);
    if (len != strlen(slow) || strcmp(fast, slow))
        fail_msg("writer: %s\njansson: %s", fast, slow);
    free(fast);
    free(slow);
}

/* Fields a plain check body cannot reach (links, banks, images, recorded
 * cases and decisions, repaired UTF-8) written as jansson writes them. */
static void test_verdict_writer_writes_every_field_as_jansson(void **state)
{
    ar_verdict_match m[] = {
        {.standard = "spam", .rule = "spam.1", .start = 0, .end = 10, .source = AR_VERDICT_TEXT},
        {.standard = "phish", .rule = "urls \"q\"\\", .start = 4294967295u, .end = 7,
         .source = AR_VERDICT_TEXT_URL, .list = "bad/links",
         .entry = "evil.example/\x01\t\xe2\x80\xa9"},
        {.standard = "phish", .rule = "r", .source = AR_VERDICT_LINK, .index = 3,
         .list = "l", .entry = "https://x.example/a?b=c&d"},
        {.standard = "csam", .rule = "bank", .source = AR_VERDICT_IMAGE_HASH, .index = 0,
         .list = "BANK_ONE", .entry = "f8f8", .distance = 31},
        {.standard = "csam", .rule = "\xc3\xa9t\xc3\xa9", .source = AR_VERDICT_IMAGE, .index = 2,
         .list = "bank", .entry = "00ff", .distance = 0, .variant = AR_PDQ_DIHEDRAL - 1},
        {.standard = "s", .rule = "no list", .source = AR_VERDICT_IMAGE, .index = 1,
         .distance = 12, .variant = AR_PDQ_ORIGINAL},
    };
    ar_check_image img[3];
    memset(img, 0, sizeof img);
    for (size_t i = 0; i < 3; i++) {
        memset(&img[i].variants[AR_PDQ_ORIGINAL], (int)(0x11 * (i + 1)),
               sizeof img[i].variants[AR_PDQ_ORIGINAL]);
        img[i].quality = (int)(i * 50);
    }
    ar_verdict v = {.flagged = true, .action = AR_ACTION_REMOVE, .matches = m,
                    .nmatches = sizeof m / sizeof m[0], .dropped = 7,
                    .text_flags = AR_TEXT_REPAIRED, .low_quality = 1u << 0 | 1u << 2};
    ar_http_verdict_doc d = {.id = "id\0with nul\n", .id_len = 12, .v = &v,
                             .policy = "0123456789abcdef", .images = img, .nimages = 3,
                             .case_id = 42, .decision_id = INT64_MAX};
    writes_as_jansson(&d);
    d.id = NULL; /* no id, no images, nothing recorded, nothing dropped */
    d.nimages = 0;
    d.case_id = 0;
    v.dropped = 0;
    v.text_flags = 0;
    writes_as_jansson(&d);
    d.decision_id = 0;
    v.flagged = false;
    v.action = AR_ACTION_NONE;
    v.nmatches = 0;
    writes_as_jansson(&d);
    /* strings jansson would not write as given: the writer leaves them to
     * jansson (the caller builds the tree) rather than guess */
    size_t len;
    v.nmatches = 2;
    m[1].entry = "\xc3\x28 not UTF-8";
    assert_null(ar_http_verdict_write(&d, &len));
    m[1].entry = NULL;
    assert_null(ar_http_verdict_write(&d, &len));
    m[1].entry = "ok";
    d.id = "\xed\xa0\x80"; /* a surrogate */
    d.id_len = 3;
    assert_null(ar_http_verdict_write(&d, &len));
}

/* The access log's line is ar_log_format_json()'s, byte for byte. */
static void test_access_line_is_the_log_format(void **state)
{
    static const struct {
        const char *id, *method, *route;
        unsigned status;
        uint64_t us;
        int64_t token;
        const char *code;
    } lines[] = {
        {"0badf00d-1", "POST", "/v1/check", 200, 57, 3, NULL},
        {"0badf00d-18446744073709551615", "GET", "/v1/items/{id}/visibility", 404, 0, -12,
         "not_found"},
        {"x", "DELETE", "(none)", 500, UINT64_MAX / 2, INT64_MIN, "internal"},
        {"q\"uote", "GET", "/back\\slash", 503, 1, 0, "ctl\x01"}, /* escaped: the long way */
        {"", "OTHER", "/a-very-long-route/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         429, 99, 1, "rate_limited"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char fast[512], slow[512];
        ar_log_kv kv[] = {
            AR_KV_STR("id", lines[i].id),
            AR_KV_STR("method", lines[i].method),
            AR_KV_STR("route", lines[i].route),
            AR_KV_INT("status", lines[i].status),
            AR_KV_INT("us", lines[i].us),
            AR_KV_INT("token", lines[i].token),
            AR_KV_STR("code", lines[i].code ? lines[i].code : ""),
        };
        size_t n = ar_log_format_json(slow, sizeof slow,
                                      lines[i].status >= 500 ? AR_LOG_ERROR : AR_LOG_INFO,
                                      "http", "request", kv, lines[i].code ? 7 : 6);
        size_t m = ar_http_access_line(fast, sizeof fast, lines[i].id, lines[i].method,
                                       lines[i].route, lines[i].status, lines[i].us,
                                       lines[i].token, lines[i].code);
        if (n != m || strcmp(fast, slow))
            fail_msg("access line %zu:\n%s\nagainst\n%s", i, fast, slow);
    }
}

/* Dispatch names each request "%08x-%llu" (process prefix, counter), and a
 * response header's value is copied whole up to its buffer. */
static void test_request_id_and_header_copy(void **state)
{
    ht *f = ht_new(NULL);
    static const unsigned prefixes[] = {0u, 0x1au, 0xdeadbeefu, 0xffffffffu};
    static const uint64_t counters[] = {0, 7, 4294967296u, UINT64_MAX - 1};
    for (size_t i = 0; i < 4; i++) {
        f->app.id_prefix = prefixes[i];
        atomic_store(&f->app.next_request_id, counters[i]);
        ar_http_req req = {.app = &f->app, .method = AR_HTTP_GET, .path = "/healthz"};
        ar_http_res res;
        ar_http_dispatch(&req, &res);
        char want[sizeof req.request_id];
        snprintf(want, sizeof want, "%08x-%llu", prefixes[i], (unsigned long long)counters[i]);
        assert_string_equal(req.request_id, want);
        ar_http_res_free(&res);
    }
    ar_http_res res;
    memset(&res, 0, sizeof res);
    char long_value[300];
    memset(long_value, 'v', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    ar_http_res_header(&res, "X-Short", "abc");
    ar_http_res_header(&res, "X-Long", long_value);
    assert_string_equal(res.headers[0].value, "abc");
    assert_int_equal(strlen(res.headers[1].value), sizeof res.hbuf[0] - 1);
    assert_memory_equal(res.headers[1].value, long_value, sizeof res.hbuf[0] - 1);
    ht_free(f);
}

static void test_bad_check_bodies_name_the_field(void **state)
{
    ht *f = ht_new(NULL);
    const char *cases[][3] = {
        {"", "400", "body"},
        {"{", "400", "body"},
        {"not json", "400", "body"},
        {"[1,2]", "400", "body"},
        {"\"text\"", "400", "body"},
        {"{}", "400", "text"},
        {"{\"text\":null}", "400", "text"},
        {"{\"text\":1}", "400", "text"},
        {"{\"text\":[\"a\"]}", "400", "text"},
        {"{\"text\":\"a\",\"extra\":true}", "400", "extra"},
        {"{\"text\":\"a\",\"id\":5}", "400", "id"},
        {"{\"text\":\"a\",\"id\":\"\"}", "400", "id"},
        {"{\"text\":\"a\",\"lang\":\"en us\"}", "400", "lang"},
        {"{\"text\":\"a\",\"lang\":\"\"}", "400", "lang"},
        {"{\"text\":\"a\",\"text\":\"b\"}", "400", "body"},     /* duplicate key */
        {"{\"text\":\"\xff\xfe\"}", "400", "body"},           /* invalid UTF-8 */
        {"{\"text\":\"\\ud800\"}", "400", "body"},            /* lone surrogate */
        {"{\"text\":\"a\\u0000b\"}", "400", "body"},          /* NUL */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ar_http_res res;
        ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, cases[i][0], &res);
        ht_assert_error(&res, (unsigned)atoi(cases[i][1]), "invalid_argument", cases[i][2]);
        ar_http_res_free(&res);
    }
    /* a long id: too_big, named */
    char body[600];
    memset(body, 0, sizeof body);
    strcpy(body, "{\"text\":\"a\",\"id\":\"");
    memset(body + strlen(body), 'i', 300);
    strcat(body, "\"}");
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, body, &res);
    ht_assert_error(&res, 413, "too_big", "id");
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_policy_swap_applies_new_rules_and_bad_policy_keeps_the_old(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_res res;
    ht_call(f, AR_HTTP_GET, "/v1/policy", NULL, NULL, ADMIN, NULL, &res);
    json_t *v = ok_json(&res);
    char old_digest[17];
    snprintf(old_digest, sizeof old_digest, "%s", json_string_value(json_object_get(v, "digest")));
    assert_int_equal(json_array_size(json_object_get(v, "standards")), 3);
    json_decref(v);

    const char *bad = "version: 1\nstandards:\n  - id: s\n    title: S\n    action: explode\n"
                      "    rules:\n      - terms: [x]\n";
    ht_call(f, AR_HTTP_POST, "/v1/policy", NULL, NULL, ADMIN, bad, &res);
    ht_assert_error(&res, 400, "invalid_argument", NULL);
    v = ht_json(&res);
    json_t *d = json_array_get(json_object_get(json_object_get(v, "error"), "diagnostics"), 0);
    assert_non_null(d);
    assert_int_equal(json_integer_value(json_object_get(d, "line")), 5);
    assert_true(json_integer_value(json_object_get(d, "column")) > 0);
    json_decref(v);
    ar_http_res_free(&res);

    /* the old policy still answers */
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, "{\"text\":\"free money\"}", &res);
    v = ok_json(&res);
    assert_true(json_is_true(json_object_get(v, "flagged")));
    assert_string_equal(json_string_value(json_object_get(v, "policy")), old_digest);
    json_decref(v);

    const char *good = "version: 1\nstandards:\n  - id: fruit\n    title: Fruit\n"
                       "    action: remove\n    rules:\n      - terms: [durian]\n";
    ht_call(f, AR_HTTP_POST, "/v1/policy", NULL, NULL, ADMIN, good, &res);
    v = ok_json(&res);
    assert_string_not_equal(json_string_value(json_object_get(v, "digest")), old_digest);
    json_decref(v);
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, "{\"text\":\"a durian\"}", &res);
    v = ok_json(&res);
    assert_string_equal(json_string_value(json_object_get(v, "action")), "remove");
    json_decref(v);
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, "{\"text\":\"free money\"}", &res);
    v = ok_json(&res);
    assert_true(json_is_false(json_object_get(v, "flagged")));
    json_decref(v);

    /* a policy over HTTP may not read server files */
    const char *files = "version: 1\nstandards:\n  - id: f\n    title: F\n    action: remove\n"
                        "    rules:\n      - terms_file: /etc/passwd\n";
    ht_call(f, AR_HTTP_POST, "/v1/policy", NULL, NULL, ADMIN, files, &res);
    assert_int_equal(res.status, 400);
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_metrics_count_routes_statuses_and_verdicts(void **state)
{
    ht *f = ht_new(NULL);
    ar_http_res res;
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, "{\"text\":\"free money\"}", &res);
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_POST, "/v1/check", NULL, NULL, CLIENT, "{", &res);
    ar_http_res_free(&res);
    ht_call(f, AR_HTTP_GET, "/metrics", NULL, NULL, AR_TOKEN_ROLE_AUDITOR, NULL, &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.content_type, "text/plain"));
    char *text = strndup(res.body, res.len);
    assert_non_null(strstr(text, "arbiter_http_requests_total{method=\"POST\",route=\"/v1/check\","
                                 "status=\"200\"} 1\n"));
    assert_non_null(strstr(text, "arbiter_http_requests_total{method=\"POST\",route=\"/v1/check\","
                                 "status=\"400\"} 1\n"));
    assert_non_null(strstr(text, "arbiter_verdicts_total{standard=\"spam\"} 1\n"));
    assert_non_null(strstr(text, "arbiter_http_request_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
    free(text);
    ar_http_res_free(&res);
    ht_free(f);
}

static void test_token_roles_parse_and_format(void **state)
{
    unsigned r = 0;
    ar_error err;
    assert_int_equal(ar_token_roles_parse("admin,client", &r, &err), AR_OK);
    assert_int_equal(r, AR_TOKEN_ROLE_ADMIN | AR_TOKEN_ROLE_CLIENT);
    char buf[64];
    ar_token_roles_format(r, buf, sizeof buf);
    assert_string_equal(buf, "client,admin");
    assert_int_equal(ar_token_roles_parse("root", &r, &err), AR_EINVAL);
    assert_string_equal(err.field, "role");
    assert_int_equal(ar_token_roles_parse("", &r, &err), AR_EINVAL);
}

static void test_token_is_stored_hashed_and_audited(void **state)
{
    ht *f = ht_new(NULL);
    ar_store_txn *t = NULL;
    ar_error err;
    int64_t n = 0;
    assert_int_equal(ar_store_read(ar_workflow_store(f->w), &t, &err), AR_OK);
    assert_int_equal(ar_store_query_int(t, "SELECT count(*) FROM api_tokens WHERE hash = ?",
                                        (ar_value[]){AR_VTEXT(f->tokens[0])}, 1, &n, &err),
                     AR_OK);
    assert_int_equal(n, 0); /* never the token itself */
    assert_int_equal(ar_store_query_int(t, "SELECT count(*) FROM audit_events"
                                           " WHERE action = 'token.create'",
                                        NULL, 0, &n, &err),
                     AR_OK);
    assert_int_equal(n, HT_NROLES);
    ar_store_rollback(t);
    ar_token_info info;
    assert_int_equal(ar_token_check(f->w, f->tokens[3], strlen(f->tokens[3]), &info, &err), AR_OK);
    assert_int_equal(info.roles, AR_TOKEN_ROLE_ADMIN);
    assert_string_equal(info.name, "admin");
    char wrong[AR_TOKEN_CHARS + 1];
    memcpy(wrong, f->tokens[3], sizeof wrong);
    wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
    assert_int_equal(ar_token_check(f->w, wrong, strlen(wrong), &info, &err), AR_EDENIED);
    ar_audit_report rep;
    assert_int_equal(ar_workflow_audit_verify(f->w, &rep, &err), AR_OK);
    assert_int_equal(rep.problem, AR_AUDIT_INTACT);
    ht_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_returns_the_verdict),
        cmocka_unit_test(test_check_body_fast_reader_answers_as_jansson),
        cmocka_unit_test(test_check_verdict_writer_answers_as_jansson),
        cmocka_unit_test(test_verdict_writer_writes_every_field_as_jansson),
        cmocka_unit_test(test_access_line_is_the_log_format),
        cmocka_unit_test(test_request_id_and_header_copy),
        cmocka_unit_test(test_check_batch_keeps_order_and_names_the_bad_item),
        cmocka_unit_test(test_check_batch_is_bounded),
        cmocka_unit_test(test_visibility_one_and_batch),
        cmocka_unit_test(test_visibility_refuses_bad_countries_and_ids),
        cmocka_unit_test(test_bad_check_bodies_name_the_field),
        cmocka_unit_test(test_policy_swap_applies_new_rules_and_bad_policy_keeps_the_old),
        cmocka_unit_test(test_metrics_count_routes_statuses_and_verdicts),
        cmocka_unit_test(test_token_roles_parse_and_format),
        cmocka_unit_test(test_token_is_stored_hashed_and_audited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
