/* tests/http/test_lists_routes.c - the url-list and bank routes called
 * without a socket: create, add, import (all or nothing, every bad line
 * named), "{name}:import" routing, checks with links and image hashes that
 * see a change at once, and a list the policy in force names that cannot
 * be deleted. */
#include "http_test.h"

#define ADMIN  AR_TOKEN_ROLE_ADMIN
#define MOD    AR_TOKEN_ROLE_MODERATOR
#define CLIENT AR_TOKEN_ROLE_CLIENT

static void expect_error(ht *f, ar_http_method m, const char *path, unsigned role,
                         const char *body, unsigned status, const char *field)
{
    ar_http_res res;
    ht_call(f, m, path, NULL, NULL, role, body, &res);
    ht_assert_error(&res, status, status == 409 ? "conflict" : status == 404 ? "not_found"
                                                  : status == 403 ? "permission_denied"
                                                                  : "invalid_argument",
                    field);
    ar_http_res_free(&res);
}

static bool flagged(ht *f, const char *body)
{
    json_t *v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT, body, 200);
    bool yes = json_is_true(json_object_get(v, "flagged"));
    json_decref(v);
    return yes;
}

static void test_url_list_lifecycle_and_checks(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/url-lists", ADMIN, "{\"name\":\"phish\"}", 201));
    expect_error(f, AR_HTTP_POST, "/v1/url-lists", MOD, "{\"name\":\"x\"}", 403, "authorization");
    expect_error(f, AR_HTTP_POST, "/v1/url-lists", ADMIN, "{\"name\":\"phish\"}", 409, "name");
    expect_error(f, AR_HTTP_POST, "/v1/url-lists", ADMIN, "[]", 400, "body");
    json_t *r = ht_call_json(f, AR_HTTP_POST, "/v1/url-lists/phish/entries", ADMIN,
                          "[\"Evil.Example\",{\"value\":\"http://ok.test/bad/\",\"note\":\"n\"}]",
                          200);
    assert_int_equal(json_integer_value(json_object_get(r, "added")), 2);
    json_decref(r);
    expect_error(f, AR_HTTP_POST, "/v1/url-lists/phish/entries", ADMIN,
                 "[\"a.test/\",{\"value\":\"x\",\"extra\":1}]", 400, "entries[1].extra");
    expect_error(f, AR_HTTP_POST, "/v1/url-lists/phish:import", ADMIN,
                 "good.test/\nhttp://[::1]/\n", 400, "body");
    expect_error(f, AR_HTTP_POST, "/v1/url-lists/nope:import", ADMIN, "good.test/\n", 404, "name");
    r = ht_call_json(f, AR_HTTP_POST, "/v1/url-lists/phish:import", ADMIN,
                  "# list\ngood.test/ ok\nevil.example/\n", 200);
    assert_int_equal(json_integer_value(json_object_get(r, "added")), 1);
    assert_int_equal(json_integer_value(json_object_get(r, "already_present")), 1);
    json_decref(r);
    r = ht_call_json(f, AR_HTTP_GET, "/v1/url-lists/phish", MOD, NULL, 200);
    assert_int_equal(json_array_size(json_object_get(r, "entries")), 3);
    json_decref(r);

    /* the test policy has no url_list rule: a swap adds one */
    const char *yaml = "version: 1\nstandards:\n  - id: spam\n    action: review\n    rules:\n"
                       "      - url_list: phish\n";
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/policy", ADMIN, yaml, 200));
    assert_true(flagged(f, "{\"text\":\"hi www.EVIL.example/%7Ea\"}"));
    assert_true(flagged(f, "{\"links\":[\"https://x.ok.test/bad/y\"]}"));
    assert_false(flagged(f, "{\"links\":[\"https://ok.test/good\"],\"text\":\"evil.example\"}"));
    expect_error(f, AR_HTTP_POST, "/v1/check", CLIENT, "{\"links\":[\"mailto:a\"]}", 400,
                 "links[0]");
    expect_error(f, AR_HTTP_POST, "/v1/check", CLIENT, "{\"links\":\"http://a/\"}", 400, "links");
    expect_error(f, AR_HTTP_POST, "/v1/check:batch", CLIENT,
                 "{\"items\":[{\"text\":\"a\"},{\"image_hashes\":[\"zz\"]}]}", 400,
                 "items[1].image_hashes[0]");
    json_decref(ht_call_json(f, AR_HTTP_DELETE, "/v1/url-lists/phish/entries/evil.example%2F", ADMIN,
                          NULL, 200));
    assert_false(flagged(f, "{\"text\":\"hi www.EVIL.example/%7Ea\"}")); /* at once */
    expect_error(f, AR_HTTP_DELETE, "/v1/url-lists/phish", ADMIN, NULL, 409, "name");
    ht_free(f);
}

static void test_banks_match_within_distance(void **state)
{
    (void)state;
    ht *f = ht_new(NULL);
    const char *h0 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char body[256];
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/banks", ADMIN, "{\"name\":\"known\"}", 201));
    snprintf(body, sizeof body, "[\"%s\"]", h0);
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/banks/known/entries", ADMIN, body, 200));
    expect_error(f, AR_HTTP_GET, "/v1/url-lists/known", ADMIN, NULL, 404, "name");
    const char *yaml = "version: 1\nstandards:\n  - id: csam\n    action: remove\n    rules:\n"
                       "      - bank: known\n        distance: 2\n";
    json_decref(ht_call_json(f, AR_HTTP_POST, "/v1/policy", ADMIN, yaml, 200));
    /* last hex digit f -> c: two bits */
    snprintf(body, sizeof body, "{\"image_hashes\":[\"%.63sc\"]}", h0);
    json_t *v = ht_call_json(f, AR_HTTP_POST, "/v1/check", CLIENT, body, 200);
    json_t *m = json_array_get(json_object_get(v, "matches"), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "distance")), 2);
    assert_string_equal(json_string_value(json_object_get(m, "list")), "known");
    assert_string_equal(json_string_value(json_object_get(v, "action")), "remove");
    json_decref(v);
    snprintf(body, sizeof body, "{\"image_hashes\":[\"%.63s0\"]}", h0); /* f -> 0: four bits */
    assert_false(flagged(f, body));
    ht_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_list_lifecycle_and_checks),
        cmocka_unit_test(test_banks_match_within_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
