/*
 * test_report.c - the report module: periods, every aggregate on small
 * hand-built histories (boundaries, superseded decisions, reversed appeals,
 * an empty period), suppression at output, and the seeded history's known
 * figures reproduced exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arbiter/arbiter.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t fake_now;
static int64_t fake_clock(void *ud)
{
    (void)ud;
    return fake_now;
}

static int64_t at(const char *rfc3339)
{
    int64_t t = 0;
    assert_int_equal(ar_time_parse(rfc3339, "t", &t, NULL), AR_OK);
    return t;
}

static void rm_rf(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/*---- Periods ---------------------------------------------------------------------*/

static void test_periods(void **state)
{
    (void)state;
    ar_period p;
    assert_int_equal(ar_period_parse("2026H2", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.start, at("2026-07-01T00:00:00Z"));
    assert_int_equal(p.end, at("2027-01-01T00:00:00Z"));
    assert_int_equal(ar_period_parse("2026H1", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.end, at("2026-07-01T00:00:00Z"));
    assert_int_equal(ar_period_parse("2026Q3", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.start, at("2026-07-01T00:00:00Z"));
    assert_int_equal(p.end, at("2026-10-01T00:00:00Z"));
    assert_int_equal(ar_period_parse("2026Q4", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.end, at("2027-01-01T00:00:00Z"));
    assert_int_equal(ar_period_parse("2024-02", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.end - p.start, 29 * 86400); /* leap year */
    assert_int_equal(ar_period_parse("2026", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.end - p.start, 365 * 86400);
    assert_int_equal(ar_period_parse("2026-07-01..2026-12-31", NULL, &p, NULL), AR_OK);
    assert_int_equal(p.start, at("2026-07-01T00:00:00Z"));
    assert_int_equal(p.end, at("2027-01-01T00:00:00Z"));
    assert_string_equal(p.label, "2026-07-01..2026-12-31");
    int64_t months[12];
    assert_int_equal(ar_period_months(&p, months, 12), 6);
    assert_int_equal(months[5], at("2026-12-01T00:00:00Z"));

    static const char *const bad[] = {"2026H3", "2026Q5", "2026-13", "2026-00", "26H2",
                                      "2026-02-30..2026-03-01", "2026-07-02..2026-07-01",
                                      "1999", "2026H2x", "", "2026-7", "2026-07-01..",
                                      "2026-07-01..2026-12-31x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ar_error err;
        assert_int_equal(ar_period_parse(bad[i], "--period", &p, &err), AR_EINVAL);
        assert_string_equal(err.field, "--period");
    }
}

/*---- A small hand-built history ------------------------------------------------------*/

typedef struct fixture {
    char dir[64];
    ar_ctx *ctx;
    ar_workflow *w;
} fixture;

static int64_t add_request(fixture *f, const char *country, const char *kind, const char *when,
                           int nitems, const char *prefix)
{
    char json[2048];
    int off = snprintf(json, sizeof json,
                       "{\"authority\":{\"name\":\"Authority %s\",\"country\":\"%s\","
                       "\"branch\":\"%s\"},\"legal_basis\":{\"instrument\":\"Act\","
                       "\"provision\":\"s.1\"},\"kind\":\"%s\",\"received_at\":\"%s\",\"items\":[",
                       country, country, !strcmp(kind, "user_data") ? "police" : "court", kind,
                       when);
    for (int i = 0; i < nitems; i++)
        off += snprintf(json + off, sizeof json - (size_t)off,
                        "%s{\"id\":\"%s-%d\",\"url\":\"https://x.example/%s-%d\"}", i ? "," : "",
                        prefix, i, prefix, i);
    snprintf(json + off, sizeof json - (size_t)off, "]}");
    ar_legal_request *r = NULL;
    int64_t id = 0;
    assert_int_equal(ar_legal_request_parse(f->ctx, json, strlen(json), &r, NULL), AR_OK);
    fake_now = at(when) + 10;
    assert_int_equal(ar_request_add(f->w, "legal1", r, &id, NULL), AR_OK);
    ar_legal_request_free(r);
    return id;
}

static int64_t decide(fixture *f, int64_t rid, const char *item, const char *outcome,
                      const char *reason)
{
    ar_item_outcome o = {.item = item, .outcome = outcome, .reason = reason,
                         .standard = "hate_speech", .data_categories = "basic_subscriber",
                         .accounts = 2};
    int64_t did = 0;
    ar_error err;
    ar_status st = ar_request_decide(f->w, "legal1", rid, &o, &did, &err);
    if (st != AR_OK)
        fail_msg("%s", err.message);
    return did;
}

static int64_t notice(fixture *f, const char *id, const char *kind, const char *when)
{
    ar_notice_in n = {.item = {.platform_id = id},
                      .notifier_kind = kind,
                      .category = "harassment",
                      .explanation = "breaks the rules",
                      .location = "https://x.example/n",
                      .good_faith = true};
    int64_t cid = 0;
    fake_now = at(when);
    assert_int_equal(ar_notice_add(f->w, &n, &cid, NULL), AR_OK);
    return cid;
}

static int64_t decide_case(fixture *f, int64_t cid, const char *action, int64_t when)
{
    ar_case_decision d = {.action = action, .standard = "harassment"};
    int64_t did = 0;
    fake_now = when;
    assert_int_equal(ar_case_decide(f->w, "mod1", cid, &d, &did, NULL), AR_OK);
    return did;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ar_report_XXXXXX");
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
    assert_int_equal(ar_staff_add(f->w, "admin", "mod2", AR_ROLE_MODERATOR, NULL, NULL, NULL),
                     AR_OK);

    /* one second before the half-year: outside */
    int64_t a = add_request(f, "PK", "content_restriction", "2026-06-30T23:59:59Z", 3, "a");
    fake_now = at("2026-07-02T00:00:00Z");
    decide(f, a, "a-0", "restrict", NULL);
    /* its first second: inside; one item restricted, one declined, one removed, two days on */
    int64_t b = add_request(f, "PK", "content_restriction", "2026-07-01T00:00:00Z", 3, "b");
    fake_now = at("2026-07-03T00:00:00Z");
    decide(f, b, "b-0", "restrict", NULL);
    decide(f, b, "b-1", "decline", "overbroad");
    fake_now = at("2026-07-05T00:00:00Z");
    decide(f, b, "b-2", "remove", NULL);
    /* a DE restriction (EU: statements of reasons) four days on */
    int64_t c = add_request(f, "DE", "content_restriction", "2026-09-01T00:00:00Z", 1, "c");
    fake_now = at("2026-09-05T00:00:00Z");
    decide(f, c, "c-0", "restrict", NULL);
    /* a data request with data produced, one without, and one still open at the last second */
    int64_t d = add_request(f, "IN", "user_data", "2026-10-01T00:00:00Z", 1, "d");
    fake_now = at("2026-10-02T00:00:00Z");
    decide(f, d, "d-0", "disclose", NULL);
    int64_t e = add_request(f, "IN", "user_data", "2026-10-01T00:00:00Z", 1, "e");
    fake_now = at("2026-10-11T00:00:00Z");
    decide(f, e, "e-0", "decline", "no_legal_basis");
    add_request(f, "IN", "user_data", "2026-12-31T23:59:59Z", 1, "g");
    /* the next half-year's first second: outside */
    add_request(f, "IN", "user_data", "2027-01-01T00:00:00Z", 1, "h");

    /* notices: one acted on in an hour then reversed on appeal, one with no action */
    int64_t n1 = notice(f, "post-n1", "user", "2026-08-01T00:00:00Z");
    int64_t d1 = decide_case(f, n1, "remove", at("2026-08-01T01:00:00Z"));
    int64_t n2 = notice(f, "post-n2", "trusted_flagger", "2026-08-02T00:00:00Z");
    decide_case(f, n2, "none", at("2026-08-02T05:00:00Z"));
    int64_t n3 = notice(f, "post-n3", "trusted_flagger", "2026-08-03T00:00:00Z");
    int64_t d3 = decide_case(f, n3, "label", at("2026-08-03T03:00:00Z"));
    int64_t ac = 0, ac2 = 0;
    fake_now = at("2026-08-10T00:00:00Z");
    assert_int_equal(ar_appeal_add(f->w, d1, "affected_user", "satire", &ac, NULL), AR_OK);
    fake_now = at("2026-08-12T00:00:00Z");
    assert_int_equal(ar_appeal_decide(f->w, "mod2", ac, "reversed", "satire", NULL, NULL), AR_OK);
    fake_now = at("2026-08-20T00:00:00Z");
    assert_int_equal(ar_appeal_add(f->w, d3, "affected_user", "wrong", &ac2, NULL), AR_OK);
    fake_now = at("2026-08-24T00:00:00Z");
    assert_int_equal(ar_appeal_decide(f->w, "mod2", ac2, "upheld", "stands", NULL, NULL), AR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ar_workflow_close(f->w);
    ar_ctx_free(f->ctx);
    rm_rf(f->dir);
    free(f);
    return 0;
}

static ar_report *compute(fixture *f, const char *period, const char *country, int suppress)
{
    ar_report_opts o = {.country = country, .suppress = suppress};
    assert_int_equal(ar_period_parse(period, NULL, &o.period, NULL), AR_OK);
    ar_report *r = NULL;
    ar_error err;
    if (ar_report_compute(f->ctx, ar_workflow_store(f->w), &o, &r, &err) != AR_OK)
        fail_msg("%s", err.message);
    return r;
}

static double cell(const ar_report *r, const char *table, const char *keys, const char *col)
{
    double v = -1;
    ar_error err;
    if (ar_report_cell(r, table, keys, col, &v, &err) != AR_OK)
        fail_msg("%s %s %s: %s", table, keys, col, err.message);
    return v;
}

static bool has_cell(const ar_report *r, const char *table, const char *keys, const char *col)
{
    double v;
    return ar_report_cell(r, table, keys, col, &v, NULL) == AR_OK;
}

static void test_requests(void **state)
{
    fixture *f = *state;
    ar_report *r = compute(f, "2026H2", NULL, 0);
    /* boundaries: a (June 30) and h (January 1) are outside */
    assert_true(cell(r, "legal_requests_by_kind", "all", "requests") == 5);
    assert_true(cell(r, "legal_requests_by_kind", "content_restriction", "requests") == 2);
    assert_true(cell(r, "legal_requests_by_kind", "content_restriction", "items") == 4);
    assert_true(cell(r, "legal_requests_by_kind", "user_data", "requests") == 3);
    assert_true(cell(r, "legal_requests_by_kind", "user_data", "requests_with_action") == 1);
    assert_true(fabs(cell(r, "legal_requests_by_kind", "user_data", "share_with_action") -
                     1.0 / 3) < 1e-9);
    assert_true(cell(r, "legal_requests_by_kind", "user_data", "accounts_disclosed") == 2);
    assert_true(cell(r, "legal_requests_by_kind", "content_restriction", "share_with_action") == 1);
    assert_true(cell(r, "legal_requests_by_branch", "court", "requests") == 2);
    assert_true(cell(r, "legal_requests_by_branch", "police", "requests") == 3);
    assert_true(cell(r, "legal_requests_by_country", "PK", "requests") == 1);
    assert_true(cell(r, "legal_requests_by_country", "PK", "items") == 3);
    assert_true(cell(r, "legal_requests_by_country", "IN", "requests") == 3);
    /* outcomes per item, with the decline reason */
    assert_true(cell(r, "legal_request_items_by_outcome", "content_restriction/restrict/", "items")
                == 2);
    assert_true(cell(r, "legal_request_items_by_outcome",
                     "content_restriction/decline/overbroad", "items") == 1);
    assert_true(cell(r, "legal_request_items_by_outcome", "content_restriction/remove/", "items")
                == 1);
    assert_true(cell(r, "legal_request_items_by_outcome", "content_restriction/remove/",
                     "share_of_kind") == 0.25);
    assert_true(cell(r, "legal_request_items_by_outcome", "user_data/pending/", "items") == 1);
    assert_true(cell(r, "legal_request_items_by_outcome", "user_data/decline/no_legal_basis",
                     "items") == 1);
    /* receipt to decision: b 4 days (its last item), c 4 days, d 1 day, e 10 days */
    assert_true(cell(r, "legal_request_timing", "all", "decided") == 4);
    assert_true(cell(r, "legal_request_timing", "all", "median_seconds") == 4 * 86400);
    assert_true(cell(r, "legal_request_timing", "all", "p90_seconds") == 10 * 86400);
    assert_true(cell(r, "legal_request_timing", "user_data", "median_seconds") == 86400);
    assert_false(has_cell(r, "legal_request_timing", "preservation", "median_seconds"));
    ar_report_free(r);

    /* one country: only its requests */
    r = compute(f, "2026H2", "IN", 0);
    assert_true(cell(r, "legal_requests_by_kind", "all", "requests") == 3);
    assert_false(has_cell(r, "legal_requests_by_country", "PK", "requests"));
    ar_report_free(r);
}

static void test_actions(void **state)
{
    fixture *f = *state;
    ar_report *r = compute(f, "2026H2", NULL, 0);
    /* b-0 (PK), c-0 (DE); a-0 was decided in July too, though received in June */
    assert_true(cell(r, "content_restrictions_by_country", "PK", "restrictions") == 2);
    assert_true(cell(r, "content_restrictions_by_country", "DE", "restrictions") == 1);
    assert_true(cell(r, "content_actions_by_action", "restrict/country", "decisions") == 3);
    /* b-2 and the notice's removal, which was later reversed: still an action taken */
    assert_true(cell(r, "content_actions_by_action", "remove/global", "decisions") == 2);
    assert_true(cell(r, "content_actions_by_action", "label/global", "decisions") == 1);
    assert_false(has_cell(r, "content_actions_by_action", "none/global", "decisions"));
    assert_true(cell(r, "content_actions_by_ground", "standard/hate_speech", "decisions") == 1);
    assert_true(cell(r, "content_actions_by_ground", "standard/harassment", "decisions") == 2);
    assert_true(cell(r, "content_actions_by_ground", "legal/Act s.1", "decisions") == 3);
    assert_true(cell(r, "content_actions_by_source", "legal_order", "decisions") == 4);
    assert_true(cell(r, "content_actions_by_source", "notice", "decisions") == 2);
    assert_true(cell(r, "automation", "all", "decisions") == 6);
    assert_true(cell(r, "automation", "all", "share_automated_decision") == 0);
    assert_true(cell(r, "content_actions_by_month", "2026-07", "restricted") == 2);
    assert_true(cell(r, "content_actions_by_month", "2026-07", "removed") == 1);
    assert_true(cell(r, "content_actions_by_month", "2026-08", "removed") == 1);
    assert_true(cell(r, "content_actions_by_month", "2026-08", "other") == 1);
    assert_true(cell(r, "content_actions_by_month", "2026-12", "restricted") == 0);
    ar_report_free(r);

    /* in DE: its restriction and the global actions, not PK's */
    r = compute(f, "2026H2", "DE", 0);
    assert_true(cell(r, "content_restrictions_by_country", "DE", "restrictions") == 1);
    assert_false(has_cell(r, "content_restrictions_by_country", "PK", "restrictions"));
    assert_true(cell(r, "content_actions_by_action", "restrict/country", "decisions") == 1);
    assert_true(cell(r, "content_actions_by_action", "remove/global", "decisions") == 2);
    ar_report_free(r);
}

static void test_notices_appeals(void **state)
{
    fixture *f = *state;
    ar_report *r = compute(f, "2026H2", NULL, 0);
    assert_true(cell(r, "notices", "all", "received") == 3);
    assert_true(cell(r, "notices", "all", "acted_on") == 2);
    assert_true(cell(r, "notices", "trusted_flagger", "received") == 2);
    assert_true(cell(r, "notices", "trusted_flagger", "acted_on") == 1);
    assert_true(cell(r, "notices", "user", "median_seconds_to_act") == 3600);
    assert_true(cell(r, "notices", "all", "median_seconds_to_act") == 3600);
    assert_true(cell(r, "appeals", "all", "received") == 2);
    assert_true(cell(r, "appeals", "all", "reversed") == 1);
    assert_true(cell(r, "appeals", "all", "upheld") == 1);
    assert_true(cell(r, "appeals", "all", "share_reversed") == 0.5);
    assert_true(cell(r, "appeals", "all", "median_seconds_to_decide") == 2 * 86400);
    ar_report_free(r);
}

static void test_empty_period(void **state)
{
    fixture *f = *state;
    ar_report *r = compute(f, "2025H1", NULL, AR_REPORT_SUPPRESS_DEFAULT);
    assert_false(has_cell(r, "legal_requests_by_kind", "all", "requests"));
    assert_false(has_cell(r, "appeals", "all", "received"));
    assert_true(cell(r, "content_actions_by_month", "2025-03", "removed") == 0);
    char *json = NULL;
    assert_int_equal(ar_report_json(r, &json, NULL), AR_OK);
    json_t *doc = json_loads(json, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "schema")), AR_REPORT_SCHEMA);
    assert_int_equal(json_array_size(json_object_get(json_object_get(doc, "tables"),
                                                     "legal_requests_by_kind")), 0);
    json_decref(doc);
    free(json);
    ar_report_free(r);
}

static void test_suppression(void **state)
{
    fixture *f = *state;
    ar_report *r = compute(f, "2026H2", NULL, AR_REPORT_SUPPRESS_DEFAULT);
    /* the exact figures stay available through the API */
    assert_true(cell(r, "legal_requests_by_kind", "all", "requests") == 5);
    char *json = NULL;
    assert_int_equal(ar_report_json(r, &json, NULL), AR_OK);
    json_t *doc = json_loads(json, 0, NULL);
    assert_non_null(doc);
    json_t *kinds = json_object_get(json_object_get(doc, "tables"), "legal_requests_by_kind");
    json_t *all = json_array_get(kinds, 0);
    assert_string_equal(json_string_value(json_object_get(all, "kind")), "all");
    assert_string_equal(json_string_value(json_object_get(all, "requests")), "1-9");
    assert_true(json_is_null(json_object_get(all, "share_with_action")));
    json_t *month = json_array_get(json_object_get(json_object_get(doc, "tables"),
                                                   "content_actions_by_month"), 5);
    assert_int_equal(json_integer_value(json_object_get(month, "restricted")), 0); /* 0 stays 0 */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "suppression"),
                                                        "threshold")), 9);
    json_decref(doc);
    /* no exact small number anywhere in the page */
    char *html = NULL;
    assert_int_equal(ar_report_html(r, &html, NULL), AR_OK);
    assert_non_null(strstr(html, "<svg"));
    assert_non_null(strstr(html, ">1-9<"));
    assert_null(strstr(html, "<td class=\"n\">5</td>"));
    assert_null(strstr(html, "src=")); /* self-contained: no external assets */
    assert_null(strstr(html, "href="));
    free(html);
    free(json);
    ar_report_free(r);

    /* threshold 0: every figure exact */
    r = compute(f, "2026H2", NULL, 0);
    assert_int_equal(ar_report_json(r, &json, NULL), AR_OK);
    doc = json_loads(json, 0, NULL);
    all = json_array_get(json_object_get(json_object_get(doc, "tables"),
                                         "legal_requests_by_kind"), 0);
    assert_int_equal(json_integer_value(json_object_get(all, "requests")), 5);
    json_decref(doc);
    free(json);
    ar_report_free(r);
}

static void test_csv(void **state)
{
    fixture *f = *state;
    ar_report *r = compute(f, "2026H2", NULL, AR_REPORT_SUPPRESS_DEFAULT);
    char dir[128], path[192], line[256];
    snprintf(dir, sizeof dir, "%s/csv", f->dir);
    assert_int_equal(ar_report_csv(r, dir, NULL), AR_OK);
    snprintf(path, sizeof path, "%s/legal_requests_by_kind.csv", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "kind,requests,items,requests_with_action,share_with_action,"
                              "accounts_disclosed\r\n");
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "all,1-9,1-9,1-9,,1-9\r\n");
    fclose(fp);
    snprintf(path, sizeof path, "%s/meta.csv", dir);
    assert_int_equal(access(path, R_OK), 0);
    ar_report_free(r);
}

static void test_bad_input(void **state)
{
    fixture *f = *state;
    ar_report_opts o = {.country = "pk"};
    assert_int_equal(ar_period_parse("2026H2", NULL, &o.period, NULL), AR_OK);
    ar_report *r = NULL;
    ar_error err;
    assert_int_equal(ar_report_compute(f->ctx, ar_workflow_store(f->w), &o, &r, &err), AR_EINVAL);
    assert_string_equal(err.field, "country");
    o.country = NULL;
    o.suppress = -1;
    assert_int_equal(ar_report_compute(f->ctx, ar_workflow_store(f->w), &o, &r, &err), AR_EINVAL);
    o.suppress = 0;
    assert_int_equal(ar_report_compute(f->ctx, ar_workflow_store(f->w), &o, &r, NULL), AR_OK);
    double v;
    assert_int_equal(ar_report_cell(r, "no_such_table", "all", "requests", &v, NULL), AR_ENOTFOUND);
    assert_int_equal(ar_report_cell(r, "legal_requests_by_kind", "all", "nope", &v, NULL),
                     AR_ENOTFOUND);
    assert_int_equal(ar_report_cell(r, "legal_requests_by_kind", "nope", "requests", &v, NULL),
                     AR_ENOTFOUND);
    ar_report_free(r);
}

/*---- The seeded history ------------------------------------------------------------------*/

static void test_seeded(void **state)
{
    (void)state;
    char dir[64] = "/tmp/ar_seed_XXXXXX";
    assert_non_null(mkdtemp(dir));
    ar_ctx *ctx = NULL;
    assert_int_equal(ar_ctx_new(NULL, &ctx, NULL), AR_OK);
    ar_demo_opts o = {.year = 2016, .seed = 7, .country = "IN", .data_requests = 1000,
                      .data_produced = 680, .restricted_items = 177, .notices = 60,
                      .appeals = 12, .jurisdictions = AR_SOURCE_DIR "/policies/jurisdictions.yaml"};
    ar_demo_summary s;
    ar_error err;
    if (ar_demo_seed(ctx, dir, &o, &s, &err) != AR_OK)
        fail_msg("seed: %s", err.message);
    assert_int_equal(s.data_requests, 1000);
    assert_int_equal(s.data_produced, 680);
    assert_int_equal(s.items_restricted, 177);
    assert_int_equal(s.appeals, 12);
    assert_int_equal(s.appeals_reversed, 3);

    ar_workflow_opts wo = {.dir = dir};
    ar_workflow *w = NULL;
    assert_int_equal(ar_workflow_open(ctx, &wo, &w, NULL), AR_OK);
    ar_report_opts ro = {.country = "IN", .suppress = AR_REPORT_SUPPRESS_DEFAULT};
    assert_int_equal(ar_period_parse("2016H2", NULL, &ro.period, NULL), AR_OK);
    ar_report *r = NULL;
    assert_int_equal(ar_report_compute(ctx, ar_workflow_store(w), &ro, &r, NULL), AR_OK);
    assert_true(cell(r, "legal_requests_by_kind", "user_data", "requests") == 1000);
    assert_true(cell(r, "legal_requests_by_kind", "user_data", "requests_with_action") == 680);
    assert_true(cell(r, "legal_requests_by_kind", "user_data", "share_with_action") == 0.68);
    assert_true(cell(r, "legal_requests_by_kind", "content_restriction", "requests") ==
                (double)s.content_requests);
    assert_true(cell(r, "content_restrictions_by_country", "IN", "restrictions") == 177);
    assert_true(cell(r, "legal_request_items_by_outcome", "content_restriction/restrict/",
                     "items") == 177);
    assert_true(cell(r, "legal_request_items_by_outcome", "content_restriction/remove/",
                     "items") == (double)s.items_removed);
    assert_true(cell(r, "appeals", "all", "reversed") == 3);
    assert_true(cell(r, "notices", "all", "acted_on") == (double)s.notices_acted);
    /* the seeded times all fall in the half-year */
    ar_report_free(r);
    assert_int_equal(ar_period_parse("2016H1", NULL, &ro.period, NULL), AR_OK);
    ro.country = NULL;
    assert_int_equal(ar_report_compute(ctx, ar_workflow_store(w), &ro, &r, NULL), AR_OK);
    assert_false(has_cell(r, "legal_requests_by_kind", "all", "requests"));
    assert_false(has_cell(r, "automation", "all", "decisions") &&
                 cell(r, "automation", "all", "decisions") > 0);
    ar_report_free(r);
    ar_workflow_close(w);
    ar_ctx_free(ctx);
    rm_rf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),
        cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notices_appeals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suppression, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test(test_seeded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
