/* tests/jurisdiction/test_errors.c - every kind of mistake in a
 * jurisdictions file comes out as file:line:column: message with its field
 * path, all of them, in file order (fixtures in data/bad/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jur_test.h"

#define BAD AR_TEST_DATA_DIR "/bad/"

typedef struct want {
    unsigned line, column;
    const char *field;
    const char *message;
} want;

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Load data/bad/<name>: it must fail with `status` and report exactly
 * w[0..n), each in <name>; *err must hold the first. */
static void expect_file(ar_ctx *ctx, const char *name, ar_status status, const want *w, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", BAD, name);
    ar_jurisdictions *j = (ar_jurisdictions *)&j; /* must be cleared */
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, ctx);
    ar_status s = ar_jurisdictions_load(ctx, path, &j, &d, &err);
    assert_null(j);
    bool ok = s == status && d.n == n;
    for (size_t i = 0; ok && i < n; i++) {
        const ar_error *e = &d.v[i];
        ok = ends_with(e->file, name) && e->line == w[i].line && e->column == w[i].column &&
             strcmp(e->field, w[i].field) == 0 && strcmp(e->message, w[i].message) == 0 &&
             e->status == status;
    }
    if (!ok) {
        print_message("%s: status %s (want %s); got %zu problems:\n", name, ar_status_name(s),
                      ar_status_name(status), d.n);
        for (size_t i = 0; i < d.n; i++)
            print_message("  %s:%u:%u: [%s] %s\n", d.v[i].file, d.v[i].line, d.v[i].column,
                          d.v[i].field, d.v[i].message);
        print_message("wanted %zu:\n", n);
        for (size_t i = 0; i < n; i++)
            print_message("  %u:%u: [%s] %s\n", w[i].line, w[i].column, w[i].field,
                          w[i].message);
        fail();
    }
    assert_int_equal(err.status, d.v[0].status);
    assert_int_equal(err.line, d.v[0].line);
    assert_int_equal(err.column, d.v[0].column);
    assert_string_equal(err.message, d.v[0].message);
    ar_diag_list_free(&d);
}

#define EXPECT(ctx, name, ...)                                                                     \
    do {                                                                                           \
        const want w_[] = {__VA_ARGS__};                                                           \
        expect_file((ctx), (name), AR_EINVAL, w_, sizeof w_ / sizeof w_[0]);                       \
    } while (0)

/*---- The file ----------------------------------------------------------------------*/

static void test_missing_file_is_not_found_with_its_path(void **state)
{
    ar_jurisdictions *j = NULL;
    ar_diag_list d;
    ar_error err;
    ar_diag_list_init(&d, *state);
    assert_int_equal(ar_jurisdictions_load(*state, BAD "no-such.yaml", &j, &d, &err),
                     AR_ENOTFOUND);
    assert_null(j);
    assert_int_equal(d.n, 1);
    assert_true(ends_with(err.file, "no-such.yaml"));
    assert_int_equal(err.line, 0);
    ar_diag_list_free(&d);
}

static void test_null_arguments_are_refused(void **state)
{
    ar_jurisdictions *j = NULL;
    ar_error err;
    assert_int_equal(ar_jurisdictions_load(NULL, BAD "top.yaml", &j, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_jurisdictions_load(*state, NULL, &j, NULL, &err), AR_EINVAL);
    assert_int_equal(ar_jurisdictions_load(*state, BAD "top.yaml", NULL, NULL, NULL), AR_EINVAL);
    ar_jurisdictions_free(NULL);
}

static void test_yaml_syntax_error_has_position(void **state)
{
    EXPECT(*state, "syntax.yaml",
           {4, 17, "", "YAML syntax error: wrongly indented double-quoted scalar"});
}

static void test_empty_file_says_what_it_needs(void **state)
{
    EXPECT(*state, "empty.yaml",
           {1, 1, "", "the file is empty: it needs at least 'version: 1' and 'rules'"});
}

static void test_file_must_be_a_mapping(void **state)
{
    EXPECT(*state, "list.yaml",
           {1, 1, "",
            "a jurisdictions file must be a mapping with 'version: 1' and 'rules', not a list"});
}

static void test_top_level_keys_and_empty_rules(void **state)
{
    EXPECT(*state, "top.yaml",
           {1, 1, "", "unknown key 'verison' in jurisdictions file (did you mean 'version'?)"},
           {1, 1, "", "the file has no 'version': start it with 'version: 1'"},
           {2, 8, "", "'rules' is empty: give at least one rule"},
           {3, 1, "", "unknown key 'extra' in jurisdictions file"});
}

static void test_version_and_rules_type(void **state)
{
    EXPECT(*state, "version.yaml",
           {1, 10, "", "version 2 is not supported: this arbiter reads version 1"},
           {2, 8, "", "'rules' must be a list of rules, not a mapping"});
}

/*---- Rules ---------------------------------------------------------------------------*/

static void test_unknown_missing_and_duplicate_keys(void **state)
{
    EXPECT(*state, "keys.yaml", {3, 5, "rules[0]", "rule has no 'instrument'"},
           {4, 5, "rules[0]", "unknown key 'instrumnet' in rule (did you mean 'instrument'?)"},
           {10, 5, "rules[0]", "unknown key 'notes' in rule"},
           {11, 5, "rules[0]", "duplicate key 'source' in rule (first at line 9)"});
}

static void test_wrong_types(void **state)
{
    EXPECT(*state, "types.yaml",
           {3, 14, "rules[0].country", "'country' must be a string, not a list"},
           {4, 17, "rules[0].instrument", "'instrument' must be a string, not a mapping"},
           {5, 5, "rules[0].provision", "'provision' must be a string, not empty"},
           {6, 12, "rules[0].kinds", "'kinds' must be a list: write [content_restriction]"},
           {7, 12, "rules[0].clock",
            "'clock' must be a mapping such as {hours: 24}, or none, not a list"},
           {9, 13, "rules[0].source", "'source' is blank"},
           {10, 5, "rules[1]", "a rule must be a mapping of keys to values, not a string"});
}

static void test_country_must_be_assigned_alpha2(void **state)
{
    EXPECT(*state, "country.yaml",
           {3, 15, "rules[0].country", "'country' must be two capital letters: write 'IN'"},
           {4, 15, "rules[1].country",
            "'country' must be an ISO 3166-1 alpha-2 code, two capital letters such as IN, not "
            "'IND'"},
           {5, 15, "rules[2].country", "'UK' is not an ISO 3166-1 alpha-2 code: write 'GB'"},
           {6, 15, "rules[3].country", "'QQ' is not an assigned ISO 3166-1 alpha-2 code"},
           {7, 15, "rules[4].country",
            "'country' must be an ISO 3166-1 alpha-2 code, two capital letters such as IN, not "
            "'I1'"});
}

static void test_kinds_come_from_the_list_once_each(void **state)
{
    EXPECT(*state, "kinds.yaml",
           {6, 34, "rules[0].kinds",
            "unknown request kind 'takedown': use content_restriction, user_data, preservation "
            "or emergency"},
           {6, 55, "rules[0].kinds", "request kind 'user_data' is listed twice"},
           {6, 66, "rules[0].kinds", "'kinds' must be a list of request kinds: item 5 is a list"},
           {13, 12, "rules[1].kinds",
            "'kinds' is empty: give at least one of content_restriction, user_data, "
            "preservation or emergency"});
}

static void test_clock_has_one_positive_unit_within_ten_years(void **state)
{
    EXPECT(*state, "clock.yaml",
           {7, 23, "rules[0].clock", "'clock' has both 'hours' and 'calendar_days': give exactly "
                                     "one"},
           {14, 20, "rules[1].clock", "'hours' must be at least 1"},
           {15, 32, "rules[1].emergency", "'calendar_days' is over 10 years: at most 3653"},
           {22, 20, "rules[2].clock",
            "'hours' must be a whole number, not a quoted string: write hours: 36"},
           {23, 24, "rules[2].emergency", "'hours' must be a positive whole number, not '1.5'"},
           {30, 5, "rules[3].clock",
            "'clock' is empty: give {hours: N}, {business_days: N} or {calendar_days: N}, or "
            "none if the law sets no fixed time"},
           {31, 17, "rules[3].emergency",
            "unknown key 'days' in emergency: use hours, business_days or calendar_days"},
           {39, 16, "rules[4].emergency",
            "the emergency clock (1 calendar day) is not shorter than the clock (24 hours)"},
           {46, 12, "rules[5].clock",
            "'clock' must be a mapping such as {hours: 24}, or none, not 'never'"},
           {47, 16, "rules[5].emergency",
            "'emergency' is empty: give one of hours, business_days or calendar_days"},
           {54, 28, "rules[6].clock", "'business_days' must be a positive whole number, not '-2'"},
           {55, 24, "rules[6].emergency", "'hours' is over 10 years: at most 87672"});
}

static void test_dates_are_real_and_ordered(void **state)
{
    EXPECT(*state, "dates.yaml",
           {8, 21, "rules[0].effective_from",
            "'effective_from' must be a real date written YYYY-MM-DD, not '2026/02/20'"},
           {9, 19, "rules[0].effective_to",
            "'effective_to' must be a real date written YYYY-MM-DD, not '2025-02-29'"},
           {18, 19, "rules[1].effective_to",
            "'effective_to' (2026-02-20) must be after 'effective_from' (2026-02-20): "
            "effective_to is the first day the rule no longer applies"},
           {26, 21, "rules[2].effective_from",
            "'effective_from' must be a date written YYYY-MM-DD, not a list"});
}

static void test_confidence_instrument_provision_and_source(void **state)
{
    EXPECT(*state, "confidence.yaml",
           {8, 17, "rules[0].confidence",
            "'confidence' must be verified, secondary or unverified, not 'high'"},
           {10, 5, "rules[1]", "rule has no 'confidence'"},
           {11, 17, "rules[1].instrument",
            "'instrument' is either '*' alone (the country's default) or a name without '*', "
            "not '*x'"},
           {12, 16, "rules[1].provision",
            "'provision' holds a line break or control character: keep it on one line"},
           {15, 13, "rules[1].source", "'source' is blank"});
}

static void test_overlapping_rules_are_refused(void **state)
{
    EXPECT(*state, "overlap.yaml",
           {11, 5, "rules[1]",
            "this rule overlaps the rule at line 3: both give IN 'it rules 2021' "
            "content_restriction from 2026-02-20; end one with effective_to or split their "
            "kinds"},
           {19, 5, "rules[2]",
            "this rule overlaps the rule at line 11: both give IN 'IT Rules 2021' user_data "
            "from 2026-02-20; end one with effective_to or split their kinds"});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_file_is_not_found_with_its_path),
        cmocka_unit_test(test_null_arguments_are_refused),
        cmocka_unit_test(test_yaml_syntax_error_has_position),
        cmocka_unit_test(test_empty_file_says_what_it_needs),
        cmocka_unit_test(test_file_must_be_a_mapping),
        cmocka_unit_test(test_top_level_keys_and_empty_rules),
        cmocka_unit_test(test_version_and_rules_type),
        cmocka_unit_test(test_unknown_missing_and_duplicate_keys),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_country_must_be_assigned_alpha2),
        cmocka_unit_test(test_kinds_come_from_the_list_once_each),
        cmocka_unit_test(test_clock_has_one_positive_unit_within_ten_years),
        cmocka_unit_test(test_dates_are_real_and_ordered),
        cmocka_unit_test(test_confidence_instrument_provision_and_source),
        cmocka_unit_test(test_overlapping_rules_are_refused),
    };
    return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
