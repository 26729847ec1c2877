/*
 * test_sor.c - statements of reasons and the register of orders: the export
 * from a real history validates, skips what it must (no EU/EEA scope, no
 * action, before 2020), batches at 100 and carries no personal data; the
 * validator passes the valid fixtures and names exactly the expected path
 * for each broken statement; the register redacts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arbiter/arbiter.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t fake_now;
static int64_t fake_clock(void *ud)
{
    (void)ud;
    return fake_now;
}

static int64_t at(const char *s)
{
    int64_t t = 0;
    assert_int_equal(ar_time_parse(s, "t", &t, NULL), AR_OK);
    return t;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static size_t validate_text(const char *text, size_t len, ar_sor_violation *v, size_t max)
{
    size_t count = 0;
    ar_error err;
    if (ar_sor_validate(NULL, text, len, v, max, &count, &err) != AR_OK)
        fail_msg("validate: %s", err.message);
    return count;
}

static size_t validate_file(const char *name, ar_sor_violation *v, size_t max)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", AR_TEST_DATA_DIR, name);
    char *text = slurp(path, &len);
    size_t n = validate_text(text, len, v, max);
    free(text);
    return n;
}

static void test_valid_fixtures(void **state)
{
    (void)state;
    ar_sor_violation v[8];
    size_t n = validate_file("sor_valid.jsonl", v, 8);
    if (n)
        fail_msg("%s: %s", v[0].path, v[0].message);
    assert_int_equal(validate_file("sor_valid_single.json", v, 8), 0);
}

static void test_invalid_fixture(void **state)
{
    (void)state;
    ar_sor_violation v[128];
    size_t n = validate_file("sor_invalid.json", v, 128);
    size_t len;
    char path[512];
    snprintf(path, sizeof path, "%s/sor_invalid.expected", AR_TEST_DATA_DIR);
    char *expected = slurp(path, &len);
    size_t i = 0;
    for (char *save = NULL, *line = strtok_r(expected, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save), i++) {
        if (i >= n)
            fail_msg("missing violation at %s", line);
        if (strcmp(v[i].path, line) != 0)
            fail_msg("violation %zu: got %s (%s), want %s", i, v[i].path, v[i].message, line);
    }
    assert_int_equal(n, i); /* one violation per broken statement, nothing more */
    free(expected);
    assert_int_equal(validate_file("sor_too_many.json", v, 128), 1);
    assert_string_equal(v[0].path, "statements");
}

static void test_not_json(void **state)
{
    (void)state;
    size_t count = 7;
    ar_error err;
    assert_int_equal(ar_sor_validate(NULL, "{nope", 5, NULL, 0, &count, &err), AR_EINVAL);
    assert_int_equal(count, 7); /* untouched on failure */
    ar_sor_violation v[64];
    const char *lines = "{\"statements\":[{}]}\nnot json\n";
    count = validate_text(lines, strlen(lines), v, 64);
    assert_true(count > 2 && count < 64);
    assert_string_equal(v[0].path, "line 1: statements[0]");
    assert_string_equal(v[count - 1].path, "line 2: ");
}

/*---- Export from a real history --------------------------------------------------------------*/

typedef struct fixture {
    char dir[64];
    ar_ctx *ctx;
    ar_workflow *w;
} fixture;

static int64_t request(fixture *f, const char *cc, const char *kind, const char *when,
                       const char *items)
{
    static char json[16384];
    snprintf(json, sizeof json,
             "{\"authority\":{\"name\":\"Authority\",\"country\":\"%s\",\"branch\":\"court\"},"
             "\"legal_basis\":{\"instrument\":\"Act\",\"provision\":\"s.9\"},\"kind\":\"%s\","
             "\"received_at\":\"%s\",\"external_ref\":\"CASE-SECRET-42\",\"items\":[%s]}",
             cc, kind, when, items);
    ar_legal_request *r = NULL;
    int64_t id = 0;
    assert_int_equal(ar_legal_request_parse(f->ctx, json, strlen(json), &r, NULL), AR_OK);
    fake_now = at(when);
    assert_int_equal(ar_request_add(f->w, "legal1", r, &id, NULL), AR_OK);
    ar_legal_request_free(r);
    return id;
}

static void decide(fixture *f, int64_t rid, const char *item, const char *outcome,
                   const char *withhold)
{
    ar_item_outcome o = {.item = item, .outcome = outcome, .standard = "hate_speech",
                         .reason = "overbroad", .data_categories = "basic_subscriber",
                         .accounts = 1, .statement = "Private note naming Jane Roe"};
    if (withhold) {
        o.withhold_basis = withhold;
        o.withhold_until = fake_now + 90 * 86400;
    }
    ar_error err;
    if (ar_request_decide(f->w, "legal1", rid, &o, NULL, &err) != AR_OK)
        fail_msg("%s", err.message);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ar_sor_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(ar_ctx_new(NULL, &f->ctx, NULL), AR_OK);
    assert_int_equal(ar_workflow_init(f->ctx, f->dir, NULL, NULL), AR_OK);
    ar_workflow_opts wo = {.dir = f->dir, .clock = fake_clock};
    fake_now = at("2026-01-01T00:00:00Z");
    assert_int_equal(ar_workflow_open(f->ctx, &wo, &f->w, NULL), AR_OK);
    assert_int_equal(ar_staff_add(f->w, NULL, "admin", AR_ROLE_ADMIN, NULL, NULL, NULL), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "admin", "legal1", AR_ROLE_LEGAL, NULL, NULL, NULL), AR_OK);
    assert_int_equal(ar_staff_add(f->w, "admin", "mod1", AR_ROLE_MODERATOR, NULL, NULL, NULL),
                     AR_OK);
    /* 120 DE restrictions: two batches */
    char items[120 * 96];
    int off = 0;
    for (int i = 0; i < 120; i++)
        off += snprintf(items + off, sizeof items - (size_t)off,
                        "%s{\"id\":\"de-%d\",\"url\":\"https://x.example/de-%d\"}", i ? "," : "",
                        i, i);
    int64_t de = request(f, "DE", "content_restriction", "2026-07-01T00:00:00Z", items);
    for (int i = 0; i < 120; i++) {
        char id[16];
        snprintf(id, sizeof id, "de-%d", i);
        decide(f, de, id, i == 0 ? "remove" : "restrict", i == 1 ? "court seal" : NULL);
    }
    /* PK: no EU/EEA scope */
    int64_t pk = request(f, "PK", "content_restriction", "2026-07-02T00:00:00Z",
                         "{\"id\":\"pk-0\",\"url\":\"https://x.example/pk-0\"},"
                         "{\"id\":\"pk-acct\",\"kind\":\"account\",\"url\":\"https://x.example/u/jane\"}");
    decide(f, pk, "pk-0", "restrict", NULL);
    decide(f, pk, "pk-acct", "restrict", NULL);
    /* a data request: never a URL */
    int64_t ud = request(f, "FR", "user_data", "2026-07-03T00:00:00Z",
                         "{\"id\":\"acct-1\",\"kind\":\"account\",\"url\":\"https://x.example/u/1\"}");
    decide(f, ud, "acct-1", "disclose", NULL);
    /* a notice with an author and a notifier reference, decided "none" */
    ar_notice_in n = {.item = {.platform_id = "post-n", .author_ref = "author-jane-roe"},
                      .notifier_kind = "user", .notifier_ref = "notifier-john-doe",
                      .category = "harassment", .explanation = "mentions john@example.org",
                      .location = "https://x.example/post-n", .good_faith = true};
    int64_t cid = 0;
    fake_now = at("2026-07-04T00:00:00Z");
    assert_int_equal(ar_notice_add(f->w, &n, &cid, NULL), AR_OK);
    ar_case_decision cd = {.action = "none"};
    assert_int_equal(ar_case_decide(f->w, "mod1", cid, &cd, NULL, NULL), AR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar_workflow_close(f->w);
    ar_ctx_free(f->ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static char *export_with(fixture *f, const ar_policy *policy, const char *since,
                         const char *until, ar_sor_stats *s, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    assert_int_equal(ar_sor_export(ar_workflow_store(f->w), policy, at(since), at(until), m, s,
                                   NULL),
                     AR_OK);
    fclose(m);
    return buf;
}

static void test_export(void **state)
{
    fixture *f = *state;
    ar_sor_stats s;
    size_t len = 0;
    char *out = export_with(f, NULL, "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", &s, &len);
    assert_int_equal(s.written, 120);
    assert_int_equal(s.batches, 2); /* 100 + 20 */
    assert_int_equal(s.skipped_scope, 2);
    assert_int_equal(s.skipped_none, 1);
    ar_sor_violation v[4];
    size_t n = validate_text(out, len, v, 4);
    if (n)
        fail_msg("%s: %s", v[0].path, v[0].message);
    /* never personal data, nor the staff-typed statement */
    assert_null(strstr(out, "jane"));
    assert_null(strstr(out, "Jane"));
    assert_null(strstr(out, "john"));
    assert_null(strstr(out, "CASE-SECRET"));
    assert_null(strstr(out, "x.example"));
    json_t *first = json_loadb(out, (size_t)(strchr(out, '\n') - out), 0, NULL);
    assert_non_null(first);
    json_t *list = json_object_get(first, "statements");
    assert_int_equal(json_array_size(list), 100);
    json_t *removal = json_array_get(list, 0), *restriction = json_array_get(list, 1);
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(removal, "decision_visibility"), 0)),
                        "DECISION_VISIBILITY_CONTENT_REMOVED");
    assert_int_equal(json_array_size(json_object_get(removal, "territorial_scope")), 30);
    assert_string_equal(json_string_value(json_object_get(removal, "decision_ground")),
                        "DECISION_GROUND_INCOMPATIBLE_CONTENT");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(restriction, "decision_visibility"), 0)),
                        "DECISION_VISIBILITY_CONTENT_DISABLED");
    assert_int_equal(json_array_size(json_object_get(restriction, "territorial_scope")), 1);
    assert_string_equal(json_string_value(json_object_get(restriction,
                                                          "illegal_content_legal_ground")),
                        "Act s.9");
    assert_string_equal(json_string_value(json_object_get(restriction, "source_type")),
                        "SOURCE_TYPE_OTHER_NOTIFICATION");
    json_decref(first);
    free(out);

    /* an empty window writes nothing; a reversed window is refused */
    out = export_with(f, NULL, "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z", &s, &len);
    assert_int_equal(len, 0);
    assert_int_equal(s.written + s.batches, 0);
    free(out);
    assert_int_equal(ar_sor_export(ar_workflow_store(f->w), NULL, 10, 5, stdout, &s, NULL),
                     AR_EINVAL);
}

/*---- Categories from the policy in force -------------------------------------------------------*/

static ar_policy *policy_of(fixture *f, const char *hate_keys)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "version: 1\nstandards:\n"
             "  - id: hate_speech\n    action: remove\n%s    rules: [{terms: [vermin]}]\n"
             "  - id: spam\n    action: review\n"
             "    dsa_category: STATEMENT_CATEGORY_SCAMS_AND_FRAUD\n"
             "    rules: [{terms: [freemoney]}]\n",
             hate_keys);
    ar_policy *p = NULL;
    ar_error err;
    if (ar_policy_parse_buffer(f->ctx, yaml, strlen(yaml), "p.yaml", NULL, &p, NULL, &err) != AR_OK)
        fail_msg("%u:%u: %s", err.line, err.column, err.message);
    return p;
}

/* The first line's statement i. */
static const char *field_of(const char *out, size_t i, const char *key, size_t k)
{
    static char value[128];
    json_t *doc = json_loadb(out, (size_t)(strchr(out, '\n') - out), 0, NULL);
    json_t *v = json_object_get(json_array_get(json_object_get(doc, "statements"), i), key);
    if (json_is_array(v))
        v = json_array_get(v, k);
    snprintf(value, sizeof value, "%s", v ? json_string_value(v) : "(absent)");
    json_decref(doc);
    return value;
}

static void test_category(void **state)
{
    fixture *f = *state;
    ar_sor_stats s;
    size_t len = 0;
    ar_sor_violation v[4];
    /* The removal's ground is the standard hate_speech; the 119 restrictions
     * are on the legal basis "Act s.9". The policy declares a category the
     * words of the id would never give, so only the policy can be its source. */
    ar_policy *declared = policy_of(f, "    dsa_category: STATEMENT_CATEGORY_CYBER_VIOLENCE\n"
                                       "    dsa_keywords: [KEYWORD_CYBER_INCITEMENT]\n");
    char *out = export_with(f, declared, "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", &s, &len);
    assert_int_equal(validate_text(out, len, v, 4), 0);
    assert_string_equal(field_of(out, 0, "category", 0), "STATEMENT_CATEGORY_CYBER_VIOLENCE");
    assert_string_equal(field_of(out, 0, "category_specification", 0),
                        "KEYWORD_CYBER_INCITEMENT");
    assert_string_equal(field_of(out, 1, "category", 0),
                        "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE");
    assert_string_equal(field_of(out, 1, "category_specification", 0), "(absent)");
    assert_int_equal(s.category_policy, 1);
    assert_int_equal(s.category_legal, 119);
    assert_int_equal(s.category_guessed_unknown + s.category_guessed_undeclared, 0);
    free(out);
    ar_policy_free(declared);

    /* A standard the policy holds without a category: guessed, and counted so. */
    ar_policy *silent = policy_of(f, "");
    out = export_with(f, silent, "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", &s, &len);
    assert_string_equal(field_of(out, 0, "category", 0),
                        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH");
    assert_string_equal(field_of(out, 0, "category_specification", 0), "(absent)");
    assert_int_equal(s.category_guessed_undeclared, 1);
    assert_int_equal(s.category_policy + s.category_guessed_unknown, 0);
    free(out);
    ar_policy_free(silent);

    /* No policy (or one without the standard, removed since): guessed too. */
    out = export_with(f, NULL, "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", &s, &len);
    assert_string_equal(field_of(out, 0, "category", 0),
                        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH");
    assert_int_equal(s.category_guessed_unknown, 1);
    assert_int_equal(s.category_legal, 119);
    assert_int_equal(s.written, s.category_policy + s.category_legal +
                                    s.category_guessed_unknown + s.category_guessed_undeclared);
    free(out);
}

static void test_orders(void **state)
{
    fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    int64_t n = 0;
    ar_period p;
    assert_int_equal(ar_period_parse("2026H2", NULL, &p, NULL), AR_OK);
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(ar_orders_export(ar_workflow_store(f->w), &p, AR_ORDERS_JSON, m, &n, NULL),
                     AR_OK);
    fclose(m);
    assert_int_equal(n, 3);
    json_t *doc = json_loads(buf, 0, NULL);
    assert_non_null(doc);
    json_t *orders = json_object_get(doc, "orders");
    json_t *de = json_array_get(orders, 0), *pk = json_array_get(orders, 1),
           *fr = json_array_get(orders, 2);
    assert_int_equal(json_integer_value(json_object_get(de, "items")), 120);
    /* the removal and the restrictions, but not the one whose notice is withheld */
    assert_int_equal(json_array_size(json_object_get(de, "urls")), 119);
    assert_int_equal(json_integer_value(json_object_get(de, "urls_withheld")), 1);
    assert_string_equal(json_string_value(json_object_get(de, "action_taken")), "Yes");
    assert_string_equal(json_string_value(json_object_get(de, "received")), "2026-07-01");
    /* an account's URL identifies a person: never listed */
    assert_int_equal(json_array_size(json_object_get(pk, "urls")), 1);
    assert_int_equal(json_array_size(json_object_get(fr, "urls")), 0);
    assert_string_equal(json_string_value(json_object_get(fr, "kind")), "user_data");
    assert_null(strstr(buf, "CASE-SECRET"));
    assert_null(strstr(buf, "/u/"));
    assert_null(strstr(buf, "Jane"));
    json_decref(doc);
    free(buf);

    buf = NULL;
    m = open_memstream(&buf, &len);
    assert_int_equal(ar_orders_export(ar_workflow_store(f->w), NULL, AR_ORDERS_CSV, m, &n, NULL),
                     AR_OK);
    fclose(m);
    assert_int_equal(n, 3);
    assert_non_null(strstr(buf, "id,received,country,authority"));
    assert_non_null(strstr(buf, "\r\n3,2026-07-03,FR,\"Authority\",court,"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_fixtures),
        cmocka_unit_test(test_invalid_fixture),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test_setup_teardown(test_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_orders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_category, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
