/* tests/common/test_error.c - the one error convention and the JSON log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "arbiter/common.h"

static void test_status_names_are_stable(void **state)
{
    (void)state;
    /* These strings are API: they go out over HTTP and into the audit log. */
    assert_string_equal(ar_status_name(AR_OK), "ok");
    assert_string_equal(ar_status_name(AR_EINVAL), "invalid_argument");
    assert_string_equal(ar_status_name(AR_ENOTFOUND), "not_found");
    assert_string_equal(ar_status_name(AR_ECONFLICT), "conflict");
    assert_string_equal(ar_status_name(AR_EDENIED), "permission_denied");
    assert_string_equal(ar_status_name(AR_ETOOBIG), "too_big");
    assert_string_equal(ar_status_name(AR_ENOMEM), "out_of_memory");
    assert_string_equal(ar_status_name(AR_EIO), "io_error");
    assert_string_equal(ar_status_name(AR_EBACKEND), "backend_error");
    assert_string_equal(ar_status_name(AR_ECORRUPT), "corrupt");
    assert_string_equal(ar_status_name(AR_EINTERNAL), "internal");
    assert_int_equal(AR_EINTERNAL, 10); /* codes are append-only */
    assert_string_equal(ar_status_name((ar_status)999), "unknown");
}

static void test_error_set_returns_status_and_fills(void **state)
{
    (void)state;
    ar_error err;
    assert_int_equal(ar_error_set(&err, AR_ETOOBIG, "text", "item over %d bytes", 10), AR_ETOOBIG);
    assert_int_equal(err.status, AR_ETOOBIG);
    assert_string_equal(err.field, "text");
    assert_string_equal(err.message, "item over 10 bytes");
    assert_int_equal(err.line, 0);
    assert_int_equal(ar_error_set(NULL, AR_EIO, NULL, "ignored"), AR_EIO);
}

static void test_error_format_gives_file_line_column(void **state)
{
    (void)state;
    ar_error err;
    char buf[512];
    ar_error_set_at(&err, AR_EINVAL, "p.yaml", 3, 7, "standards[0].action", "bad action '%s'",
                    "nuke");
    ar_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "p.yaml:3:7: bad action 'nuke'");
    ar_error_set_at(&err, AR_EINVAL, "p.yaml", 3, 0, NULL, "x");
    ar_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "p.yaml:3: x");
    ar_error_set(&err, AR_ENOMEM, NULL, "%s", "");
    ar_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "out_of_memory");
}

static void test_error_truncates_long_fields(void **state)
{
    (void)state;
    char longfield[500];
    memset(longfield, 'f', sizeof longfield - 1);
    longfield[sizeof longfield - 1] = '\0';
    ar_error err;
    ar_error_set_at(&err, AR_EINVAL, longfield, 1, 1, longfield, "%s", longfield);
    assert_int_equal(strlen(err.field), AR_ERROR_FIELD_MAX - 1);
    assert_int_equal(strlen(err.file), AR_ERROR_FILE_MAX - 1);
    assert_int_equal(strlen(err.message), AR_ERROR_MESSAGE_MAX - 1);
}

static void test_log_line_is_one_json_object(void **state)
{
    (void)state;
    char buf[256];
    ar_log_kv kv[] = {AR_KV_INT("seq", 1200), AR_KV_STR("path", "a\"b\n"),
                      AR_KV_DBL("ms", 1.5)};
    size_t n = ar_log_format_json(buf, sizeof buf, AR_LOG_INFO, "audit", "checkpoint", kv, 3);
    assert_int_equal(n, strlen(buf));
    assert_string_equal(buf, "{\"level\":\"info\",\"module\":\"audit\",\"event\":\"checkpoint\","
                             "\"seq\":1200,\"path\":\"a\\\"b\\n\",\"ms\":1.5}");
}

static void test_log_line_truncates_safely(void **state)
{
    (void)state;
    char buf[16];
    size_t n = ar_log_format_json(buf, sizeof buf, AR_LOG_ERROR, "m", "e", NULL, 0);
    assert_true(n > sizeof buf);
    assert_int_equal(strlen(buf), sizeof buf - 1);
}

static int calls;
static void count_log(void *ud, ar_log_level l, const char *m, const char *e, const ar_log_kv *kv,
                      size_t n)
{
    (void)ud, (void)l, (void)m, (void)e, (void)kv, (void)n;
    calls++;
}

static void *fail_malloc(void *ud, size_t n)
{
    (void)ud, (void)n;
    return NULL;
}
static void *fail_realloc(void *ud, void *p, size_t n)
{
    (void)ud, (void)p, (void)n;
    return NULL;
}
static void no_free(void *ud, void *p)
{
    (void)ud, (void)p;
}

static void test_ctx_reports_allocation_failure(void **state)
{
    (void)state;
    ar_alloc a = {fail_malloc, fail_realloc, no_free, NULL};
    ar_ctx_opts o = {.alloc = &a, .log = count_log};
    ar_ctx *ctx = (ar_ctx *)0x1;
    ar_error err;
    assert_int_equal(ar_ctx_new(&o, &ctx, &err), AR_ENOMEM);
    assert_null(ctx);
    ar_ctx_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_are_stable),
        cmocka_unit_test(test_error_set_returns_status_and_fills),
        cmocka_unit_test(test_error_format_gives_file_line_column),
        cmocka_unit_test(test_error_truncates_long_fields),
        cmocka_unit_test(test_log_line_is_one_json_object),
        cmocka_unit_test(test_log_line_truncates_safely),
        cmocka_unit_test(test_ctx_reports_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
